/** Kept for the legacy tests' import; the helpers live in test/support/run-pbi.ts. */
export * from '../support/run-pbi.js';
