/**
 * The analysis resource: the report of `pbi analyze`, one view per dashboard page
 * (`/analysis/<kind>`), and the feature set and database check.
 */
import type { RouteModule } from '../../deps.js';
import { featureRoutes } from './features.js';
import { reportRoutes } from './report.js';
import { viewRoutes } from './views.js';

export const analysisRoutes: RouteModule = (api, deps) => {
  reportRoutes(api, deps);
  viewRoutes(api, deps);
  featureRoutes(api, deps);
};
