/**
 * Reads an uploaded file from a request: a multipart form's `file` field, or the raw body. The body
 * is read as a stream and counted as it arrives, so an upload over the limit, or (when asked) a
 * text line longer than any valid one, is refused before the rest is read. The content stays in
 * memory; nothing touches the disk.
 */
import type { Context } from 'hono';
import { PbiError, ValidationError } from '../../domain/errors.js';
import { decodeUpload } from '../../domain/text.js';

export interface Upload {
  /** The client's file name (base name only), or `upload`. */
  readonly name: string;
  readonly text: string;
}

export interface UploadOptions {
  /**
   * Refuse a line longer than this many bytes. JSON content (first non-blank byte `[` or `{`) is
   * exempt: a whole valid JSON file may be one line.
   */
  readonly maxLineBytes?: number;
}

/** An uploaded file's bytes, not yet decoded. */
export interface UploadBytes {
  /** The client's file name (base name only), or `upload`. */
  readonly name: string;
  /** Backed by a buffer of its own (it may be transferred to a worker thread). */
  readonly bytes: Uint8Array<ArrayBuffer>;
}

/**
 * @throws ValidationError when a multipart body is malformed or has no `file` field, the text is not
 * UTF-8 or has a line over `maxLineBytes`; PbiError (TOO_LARGE) when the body is over `limit` bytes.
 */
export async function readUpload(c: Context, limit: number, options: UploadOptions = {}): Promise<Upload> {
  const { name, bytes } = await readUploadBytes(c, limit, options);
  return { name, text: decodeUpload(bytes, name) };
}

/**
 * The upload's bytes, for a caller that decodes them elsewhere (`decodeUpload`).
 * @throws as `readUpload`, except that the bytes are not checked to be UTF-8.
 */
export async function readUploadBytes(
  c: Context,
  limit: number,
  options: UploadOptions = {},
): Promise<UploadBytes> {
  const type = c.req.header('content-type') ?? '';
  const multipart = /^multipart\/form-data/i.test(type);
  // A raw body is the file itself, so its lines are checked as they arrive; a form's file part is
  // checked once the form is read (its own headers and boundaries are lines too).
  const lines = options.maxLineBytes === undefined ? null : new LineGuard(options.maxLineBytes, 'upload');
  const body = await readBody(c, limit, multipart ? null : lines);
  if (!multipart) return { name: 'upload', bytes: body };
  const file = await formFile(body, type);
  const name = baseName(file.name) || 'upload';
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (options.maxLineBytes !== undefined) new LineGuard(options.maxLineBytes, name).check(bytes);
  return { name, bytes };
}

function tooLarge(limit: number): PbiError {
  return new PbiError('TOO_LARGE', `the upload is larger than the limit of ${limit} bytes`, [
    { where: 'body', reason: `over ${limit} bytes` },
  ]);
}

/**
 * The request body, read chunk by chunk: refused as soon as it passes `limit` bytes or `lines`
 * finds an over-long line.
 */
async function readBody(
  c: Context,
  limit: number,
  lines: LineGuard | null,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  const stream = c.req.raw.body;
  if (stream === null) return new Uint8Array(0);
  // With a declared length the body is copied once, into a buffer of that size.
  let exact = Number.isSafeInteger(declared) && declared >= 0 ? new Uint8Array(declared) : null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.length > limit) throw tooLarge(limit);
      lines?.check(value);
      if (exact !== null && size + value.length <= exact.length) exact.set(value, size);
      else {
        if (exact !== null) chunks.push(exact.subarray(0, size));
        exact = null;
        chunks.push(value);
      }
      size += value.length;
    }
  } finally {
    // Refusing early leaves the rest unread: cancel it rather than buffer it.
    await reader.cancel().catch(() => {});
  }
  if (exact !== null) return exact.subarray(0, size);
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}

/** The `file` field of a multipart body. */
async function formFile(body: Uint8Array<ArrayBuffer>, type: string): Promise<File> {
  let form: FormData;
  try {
    form = await new Request('http://upload.invalid/', {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    }).formData();
  } catch (error) {
    // A broken multipart body is the client's mistake: say so, not "internal error".
    throw new ValidationError(
      `the multipart body could not be read: ${error instanceof Error ? error.message : String(error)}`,
      [{ where: 'body', reason: 'malformed multipart/form-data' }],
      'MALFORMED_FILE',
    );
  }
  const file = form.get('file');
  if (!(file instanceof File)) {
    throw new ValidationError('the form has no `file` field holding a file', [
      { where: 'body.file', reason: 'missing' },
    ]);
  }
  return file;
}

const NEWLINE = 0x0a;
const BLANK = new Set([0x20, 0x09, 0x0d, 0x0a, 0xef, 0xbb, 0xbf]); // whitespace and the UTF-8 BOM

/** Follows the lines of a byte stream, chunk by chunk, and refuses one over `max` bytes. */
class LineGuard {
  private line = 1;
  private length = 0;
  /**
   * null until the first non-blank byte says whether the content is exempt: JSON, or not text at
   * all (UTF-16 or binary: NUL bytes), which is refused as such once read.
   */
  private exempt: boolean | null = null;

  constructor(
    private readonly max: number,
    private readonly source: string,
  ) {}

  /** @throws ValidationError (MALFORMED_FILE) naming the line once it is over `max` bytes. */
  check(chunk: Uint8Array): void {
    if (this.exempt === true) return;
    let start = 0;
    if (this.exempt === null) {
      if (chunk[0] === 0xff || chunk[0] === 0xfe || chunk.subarray(0, 4096).includes(0)) {
        this.exempt = true;
        return;
      }
      while (start < chunk.length && BLANK.has(chunk[start] as number)) {
        if (chunk[start] === NEWLINE) this.line++;
        start++;
      }
      if (start === chunk.length) return;
      this.exempt = chunk[start] === 0x5b || chunk[start] === 0x7b; // `[` or `{`
      if (this.exempt) return;
    }
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      this.length += (end < 0 ? chunk.length : end) - start;
      if (this.length > this.max) {
        throw new ValidationError(
          `${this.source}: line ${this.line} is longer than ${this.max} bytes; no draw file has lines that long`,
          [{ where: `${this.source}:${this.line}`, reason: `line over ${this.max} bytes` }],
          'MALFORMED_FILE',
        );
      }
      if (end < 0) return;
      this.line++;
      this.length = 0;
      start = end + 1;
    }
  }
}

/** A client-given file name without any folder part (it is only used in messages). */
function baseName(name: string): string {
  return name.split(/[\\/]/).pop()?.slice(0, 200) ?? '';
}
