/** Downloads a draw file (the official export) within one deadline and the file size limit. */
import { PbiError } from '../../domain/errors.js';
import { MAX_DRAW_FILE_BYTES } from './limits.js';

/**
 * Fetches a URL as text with one deadline covering the connection and the whole body.
 * @throws PbiError NETWORK or TOO_LARGE.
 */
export async function download(
  url: string,
  timeoutMs: number,
  onProgress?: (received: number, total: number | null) => void,
): Promise<string> {
  const signal = AbortSignal.timeout(timeoutMs);
  const failed = (error: unknown): PbiError => {
    if (signal.aborted || (error instanceof Error && error.name === 'TimeoutError'))
      return new PbiError('NETWORK', `no complete answer from ${url} within ${timeoutMs} ms (timed out)`, [
        { where: url, reason: 'timeout' },
      ]);
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const message = error instanceof Error ? error.message : String(error);
    return new PbiError(
      'NETWORK',
      `cannot download ${url}: ${message}${cause}`,
      [{ where: url, reason: message }],
      {
        cause: error,
      },
    );
  };
  let response: Response;
  try {
    response = await fetch(url, {
      signal,
      headers: { accept: 'text/csv, application/json;q=0.9, */*;q=0.1' },
    });
  } catch (error) {
    throw failed(error);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new PbiError(
      'NETWORK',
      `${url} answered HTTP ${response.status} ${response.statusText}`.trimEnd(),
      [{ where: url, reason: `HTTP ${response.status}` }],
    );
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > MAX_DRAW_FILE_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw new PbiError(
      'TOO_LARGE',
      `${url} sends ${declared} bytes; draw files are limited to ${MAX_DRAW_FILE_BYTES}`,
    );
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const reader = response.body?.getReader();
    for (;;) {
      if (!reader) break;
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_DRAW_FILE_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw new PbiError(
          'TOO_LARGE',
          `${url} sent more than ${MAX_DRAW_FILE_BYTES} bytes; draw files are limited to that`,
        );
      }
      chunks.push(Buffer.from(value));
      onProgress?.(total, Number.isFinite(declared) ? declared : null);
    }
  } catch (error) {
    if (error instanceof PbiError) throw error;
    throw failed(error);
  }
  return Buffer.concat(chunks).toString('utf8');
}
