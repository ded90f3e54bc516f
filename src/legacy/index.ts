/** Reading the legacy Python app's files as plain typed records and native models, never executing pickle code. */
export * from './pickle/index.js';
export * from './joblib/index.js';
export * from './convert/index.js';
export * from './records/index.js';
export * from './folder.js';
