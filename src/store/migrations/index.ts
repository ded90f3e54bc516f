/**
 * Numbered schema migrations, applied in order at open and recorded in `schema_migrations`.
 * Never edit a released migration: add the next number.
 */
import { m001Draws } from './001-draws.js';
import { m002ModelsPredictions } from './002-models-predictions.js';
import { m003Experiments } from './003-experiments.js';
import { m004ModelVersionCounter } from './004-model-version-counter.js';
import { m005ScoredSets } from './005-scored-sets.js';
import { m006BeliefStrength } from './006-belief-strength.js';
import { m007Tickets } from './007-tickets.js';
import { m008LegacyAccuracy } from './008-legacy-accuracy.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  m001Draws,
  m002ModelsPredictions,
  m003Experiments,
  m004ModelVersionCounter,
  m005ScoredSets,
  m006BeliefStrength,
  m007Tickets,
  m008LegacyAccuracy,
];
