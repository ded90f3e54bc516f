/**
 * Feature engineering: one module for training, the ML strategy and the dashboard.
 */
export * from './build-features.js';
export * from './feature-csv.js';
export * from './feature-names.js';
