/**
 * Every route module, one per resource (STYLE §13). One line per module.
 */
import type { RouteModule } from '../deps.js';
import { analysisRoutes } from './analysis/index.js';
import { askRoutes } from './ask.js';
import { dataRoutes } from './data.js';
import { drawRoutes } from './draws.js';
import { evaluationRoutes } from './evaluation.js';
import { experimentRoutes } from './experiments.js';
import { jobRoutes } from './jobs.js';
import { modelRoutes } from './models.js';
import { overviewRoutes } from './overview.js';
import { predictionRoutes } from './predictions.js';
import { ticketRoutes } from './tickets.js';

export const ROUTE_MODULES: readonly RouteModule[] = [
  overviewRoutes,
  drawRoutes,
  analysisRoutes,
  modelRoutes,
  predictionRoutes,
  evaluationRoutes,
  dataRoutes,
  experimentRoutes,
  jobRoutes,
  ticketRoutes,
  askRoutes,
];
