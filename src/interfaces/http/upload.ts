/**
 * Reads an uploaded file from a request: a multipart form's `file` field, or the raw body. The
 * content stays in memory (the body limit has already bounded it); nothing touches the disk.
 */
import type { Context } from 'hono';
import { PbiError, ValidationError } from '../../domain/errors.js';
import { notUtf8 } from '../../domain/text.js';

export interface Upload {
  /** The client's file name (base name only), or `upload`. */
  readonly name: string;
  readonly text: string;
}

/**
 * @throws ValidationError when a multipart body is malformed or has no `file` field or the text is not UTF-8;
 * PbiError (TOO_LARGE) when the file is over `limit` bytes.
 */
export async function readUpload(c: Context, limit: number): Promise<Upload> {
  const type = c.req.header('content-type') ?? '';
  let name = 'upload';
  let bytes: Uint8Array;
  if (/^multipart\/form-data/i.test(type)) {
    let form: Awaited<ReturnType<typeof c.req.parseBody>>;
    try {
      form = await c.req.parseBody();
    } catch (error) {
      // A broken multipart body is the client's mistake: say so, not "internal error".
      throw new ValidationError(
        `the multipart body could not be read: ${error instanceof Error ? error.message : String(error)}`,
        [{ where: 'body', reason: 'malformed multipart/form-data' }],
        'MALFORMED_FILE',
      );
    }
    const file = form['file'];
    if (!(file instanceof File)) {
      throw new ValidationError('the form has no `file` field holding a file', [
        { where: 'body.file', reason: 'missing' },
      ]);
    }
    name = baseName(file.name) || 'upload';
    bytes = new Uint8Array(await file.arrayBuffer());
  } else {
    bytes = new Uint8Array(await c.req.arrayBuffer());
  }
  if (bytes.length > limit) {
    throw new PbiError('TOO_LARGE', `the upload is larger than the limit of ${limit} bytes`, [
      { where: 'body', reason: `over ${limit} bytes` },
    ]);
  }
  const encoding = notUtf8(bytes);
  if (encoding)
    throw new ValidationError(
      `${name} is ${encoding}; upload UTF-8 text`,
      [{ where: 'body', reason: encoding }],
      'MALFORMED_FILE',
    );
  const text = new TextDecoder('utf-8').decode(bytes);
  return { name, text: text.replace(/^\uFEFF/, '') };
}

/** A client-given file name without any folder part (it is only used in messages). */
function baseName(name: string): string {
  return name.split(/[\\/]/).pop()?.slice(0, 200) ?? '';
}
