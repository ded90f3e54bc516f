/**
 * Imports every noun module so it registers its commands. One line per noun.
 */
import './init.js';
