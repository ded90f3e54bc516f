/**
 * Text from files and users, made safe to show: control characters (a terminal's escape
 * sequences among them) are printed as escapes, never sent to the terminal.
 */

import { ValidationError } from './errors.js';

// C0 controls except tab and newline, DEL, C1 controls, and the bidirectional overrides that can
// make a line read differently from what it holds.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every unprintable character written as `\xNN` or `\u{NNNN}`. */
export function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/**
 * Names the encoding of bytes that are not UTF-8 text, or returns null for UTF-8 (with or without
 * a byte-order mark). Checks the byte-order marks of UTF-16/32, NUL bytes (binary data or BOM-less
 * UTF-16), then strict UTF-8 decoding.
 */
export function notUtf8(bytes: Uint8Array): string | null {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe)
    return c === 0 && d === 0 ? 'UTF-32 (little-endian)' : 'UTF-16 (little-endian)';
  if (a === 0xfe && b === 0xff) return 'UTF-16 (big-endian)';
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return 'UTF-32 (big-endian)';
  const head = bytes.subarray(0, 4096);
  const nuls = head.filter((x) => x === 0).length;
  if (nuls > 0) {
    // Every other byte NUL: UTF-16 text of ASCII characters without a byte-order mark.
    const evenNuls = head.filter((x, i) => i % 2 === 1 && x === 0).length;
    const oddNuls = head.filter((x, i) => i % 2 === 0 && x === 0).length;
    if (evenNuls > head.length / 4 && oddNuls === 0) return 'UTF-16 (little-endian, no byte-order mark)';
    if (oddNuls > head.length / 4 && evenNuls === 0) return 'UTF-16 (big-endian, no byte-order mark)';
    return 'binary data, not text';
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return null;
  } catch {
    return 'not UTF-8 (perhaps Latin-1 or Windows-1252)';
  }
}

/**
 * The text of an uploaded file, without its byte-order mark.
 * @throws ValidationError (MALFORMED_FILE) naming `name` when the bytes are not UTF-8 text, or when
 * `nonBlank` and the text is only blanks.
 */
export function decodeUpload(bytes: Uint8Array, name: string, nonBlank = false): string {
  const encoding = notUtf8(bytes);
  if (encoding)
    throw new ValidationError(
      `${name} is ${encoding}; upload UTF-8 text`,
      [{ where: 'body', reason: encoding }],
      'MALFORMED_FILE',
    );
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  if (nonBlank && !/\S/.test(text))
    throw new ValidationError(
      'the uploaded file is empty',
      [{ where: 'body', reason: 'empty' }],
      'MALFORMED_FILE',
    );
  return text;
}
