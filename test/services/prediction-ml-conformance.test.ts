/**
 * The ml strategy as the product builds it — over a real ridge model registered in a real database,
 * features from the one pipeline — passes the shared Strategy conformance suite.
 */
import { afterAll } from 'vitest';
import { PredictionService } from '../../src/services/prediction-service.js';
import { runStrategyConformance } from '../strategies/strategy-conformance.js';
import { createTestDb, registerRidge } from './prediction-fixtures.js';

const db = createTestDb();
const service = db.open();
registerRidge(service, '2019-12-31');
afterAll(() => {
  service.close();
  db.cleanup();
});

// Each call: a fresh prediction service, so no cache is shared between instances.
runStrategyConformance({
  create: () => new PredictionService(service.context).catalog.get('ml'),
  independentPools: false,
});
