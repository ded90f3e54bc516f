export {
  readJoblibBytes,
  readJoblibFile,
  DEFAULT_JOBLIB_LIMITS,
  type JoblibContent,
  type JoblibLimits,
} from './read-joblib.js';
export { detectCompression, decompress, type Compression } from './decompress.js';
