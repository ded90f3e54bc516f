export {
  parsePickle,
  DEFAULT_PICKLE_LIMITS,
  type PickleLimits,
  type ParseOptions,
  type ParseResult,
} from './parser.js';
export { UnsafePickleError, type LegacyReadReason } from './errors.js';
export { allowedGlobals } from './allowlist.js';
export * from './values.js';
