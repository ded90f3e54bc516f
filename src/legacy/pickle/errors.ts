/** The one error type of the legacy readers: machine code UNSAFE_PICKLE plus what went wrong and where. */
import { PbiError } from '../../domain/errors.js';

/**
 * Why a legacy file was refused:
 * - `refused-global`: the pickle names a global outside the allowlist (it would run code in Python);
 * - `limit`: a size, depth, memo or length limit was exceeded (hostile or absurd input);
 * - `truncated`: the data ends before what it declares;
 * - `malformed`: bytes that are not a valid pickle / container / numpy payload;
 * - `unsupported`: valid but a feature we deliberately do not read (persistent ids, extension codes).
 */
export type LegacyReadReason = 'refused-global' | 'limit' | 'truncated' | 'malformed' | 'unsupported';

/** A legacy file could not be read safely. `offset` is the byte offset in the (decompressed) stream. */
export class UnsafePickleError extends PbiError {
  readonly reason: LegacyReadReason;
  readonly offset: number;

  constructor(reason: LegacyReadReason, message: string, offset: number, options?: ErrorOptions) {
    super(
      'UNSAFE_PICKLE',
      offset >= 0 ? `${message} (at byte ${offset})` : message,
      [{ where: offset >= 0 ? `byte ${offset}` : 'file', reason }],
      options,
    );
    this.reason = reason;
    this.offset = offset;
  }
}
