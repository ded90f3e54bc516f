/**
 * Imports every noun module so it registers its commands. One line per noun.
 */
import './init.js';
import './serve.js';
import './features.js';
import './draws.js';
import './analyze.js';
import './db.js';
import './models.js';
import './predictions.js';
import './train.js';
import './models-predict.js';
import './tune.js';
import './runs.js';
import './aliases.js';
import './models-importance.js';
import './predict.js';
import './evaluate.js';
import './backtest.js';
import './migrate.js';
import './bench.js';
import './tickets.js';
import './ask.js';
