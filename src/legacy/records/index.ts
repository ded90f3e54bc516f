export * from './common.js';
export * from './history.js';
export * from './model-db.js';
export * from './experiments-db.js';
export * from './ml-memory.js';
export * from './sqlite-source.js';
export * from './accuracy-db.js';
