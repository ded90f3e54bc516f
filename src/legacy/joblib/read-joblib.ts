/**
 * Reads a joblib file (or a bare pickle): detect the compression, decompress under a size cap, then
 * parse with the allowlist pickle parser. joblib's inline numpy arrays are handled by the parser,
 * which sees the whole decompressed stream.
 */
import { readFileSync, statSync } from 'node:fs';
import { UnsafePickleError } from '../pickle/errors.js';
import { parsePickle, type PickleLimits } from '../pickle/parser.js';
import type { PickleValue } from '../pickle/values.js';
import { decompress, detectCompression, type Compression } from './decompress.js';

export interface JoblibLimits extends PickleLimits {
  /** Largest file accepted on disk, in bytes. */
  readonly maxFileBytes: number;
  /** Largest decompressed stream accepted, in bytes. */
  readonly maxDecompressedBytes: number;
}

export const DEFAULT_JOBLIB_LIMITS: Partial<JoblibLimits> = Object.freeze({
  maxFileBytes: 512 * 1024 * 1024,
  maxDecompressedBytes: 1024 * 1024 * 1024,
});

export interface JoblibContent {
  readonly value: PickleValue;
  readonly compression: Compression;
  /** Size of the file as given. */
  readonly fileBytes: number;
  /** Size of the pickle stream after decompression. */
  readonly streamBytes: number;
}

/**
 * Parses joblib bytes.
 * @throws UnsafePickleError (UNSAFE_PICKLE) for unknown formats, corrupt or truncated data, bombs,
 *   refused globals and exceeded limits.
 */
export function readJoblibBytes(bytes: Uint8Array, limits: Partial<JoblibLimits> = {}): JoblibContent {
  const l = { ...DEFAULT_JOBLIB_LIMITS, ...limits };
  const maxFile = l.maxFileBytes ?? Infinity;
  if (bytes.length > maxFile)
    throw new UnsafePickleError(
      'limit',
      `file of ${bytes.length} bytes exceeds the ${maxFile}-byte limit`,
      -1,
    );
  const compression = detectCompression(bytes);
  const stream = decompress(bytes, compression, l.maxDecompressedBytes ?? 1024 * 1024 * 1024);
  const { value } = parsePickle(stream, { limits: l });
  return { value, compression, fileBytes: bytes.length, streamBytes: stream.length };
}

/**
 * Reads and parses a joblib file from disk (checking its size before reading it).
 * @throws UnsafePickleError as readJoblibBytes; Node's own error if the file cannot be read.
 */
export function readJoblibFile(path: string, limits: Partial<JoblibLimits> = {}): JoblibContent {
  const max = limits.maxFileBytes ?? DEFAULT_JOBLIB_LIMITS.maxFileBytes ?? Infinity;
  const size = statSync(path).size;
  if (size > max)
    throw new UnsafePickleError('limit', `${path} is ${size} bytes, over the ${max}-byte limit`, -1);
  return readJoblibBytes(new Uint8Array(readFileSync(path)), limits);
}
