export { convertSklearn } from './sklearn.js';
export { convertModelArtifact, convertPredictionModels, type LegacyModelPair } from './legacy-models.js';
