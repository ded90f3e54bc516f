/**
 * A pure pickle parser: bytes in, a tree of plain values out (STYLE §12). It reads every opcode that
 * Python 3 writes for protocols 0–5, never imports or calls anything, and rebuilds only the globals
 * that have a reconstructor (reconstructors.ts) as data.
 *
 * Written here rather than wrapping `pickleparser`: we need the stream position right after a joblib
 * `NumpyArrayWrapper` BUILD (its array bytes follow inline, and object arrays are a nested pickle),
 * byte offsets in every error, a limit on every declared length before anything is allocated, and a
 * value model (Map dicts, tagged records, typed arrays) that the converters consume directly. That
 * is less code than the adapters a wrapper would need, and there is no permissive mode to misuse.
 *
 * The pieces: opcodes.ts names the opcodes; reader.ts reads the byte stream; machine.ts runs the
 * stack machine and opcode-handlers.ts says what each opcode does; reconstructors.ts rebuilds the
 * allowed globals (and is the allowlist); limits.ts and check-tree.ts bound what a parse may cost.
 */
import { checkTree } from './check-tree.js';
import { UnsafePickleError } from './errors.js';
import { Budget, DEFAULT_PICKLE_LIMITS, type PickleLimits } from './limits.js';
import { Unpickler, type ParseResult } from './machine.js';

export { DEFAULT_PICKLE_LIMITS, type PickleLimits } from './limits.js';
export type { ParseResult } from './machine.js';

export interface ParseOptions {
  readonly limits?: Partial<PickleLimits>;
  /** Where the pickle starts in `bytes` (joblib streams hold nested pickles). */
  readonly start?: number;
}

/**
 * Parses one pickle.
 * @throws UnsafePickleError (code UNSAFE_PICKLE) naming the refused global, the exceeded limit or the
 *   malformed/truncated spot, with its byte offset.
 */
export function parsePickle(bytes: Uint8Array, options: ParseOptions = {}): ParseResult {
  const limits = { ...DEFAULT_PICKLE_LIMITS, ...options.limits };
  if (bytes.length > limits.maxInputBytes) {
    throw new UnsafePickleError(
      'limit',
      `pickle of ${bytes.length} bytes exceeds the ${limits.maxInputBytes}-byte limit`,
      -1,
    );
  }
  const budget = new Budget(limits.maxAllocatedBytes);
  const result = new Unpickler(bytes, options.start ?? 0, limits, budget, 0).run();
  checkTree(result.value, limits, budget.shared);
  return result;
}
