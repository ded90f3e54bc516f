/**
 * `pbi serve [--host 127.0.0.1] [--port 8080] [--token T]`: the HTTP JSON API under /api and the
 * dashboard, over the same service as every other command. Runs until SIGINT/SIGTERM.
 */
import { startServer } from '../../http/server.js';
import type { CommandModule } from '../cli-context.js';
import { intFlag } from '../parse.js';

/** Adds `pbi serve` to the program. */
export const registerServe: CommandModule = (program, ctx) => {
  program
    .command('serve')
    .description('serve the HTTP JSON API under /api and the dashboard')
    .option('--host <host>', 'address to listen on (a non-loopback address needs a token)', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', intFlag('--port', 0, 65535), 8080)
    .option('--token <token>', 'token required by mutating endpoints (default $PBI_TOKEN)')
    .option('--max-upload-mb <mb>', 'largest accepted upload in MiB', intFlag('--max-upload-mb', 1, 512), 8)
    .action(async (opts: { host: string; port: number; token?: string; maxUploadMb: number }) => {
      const { out, service, config } = ctx();
      const token = opts.token ?? config.serveToken ?? null;
      const running = await startServer({
        service: service(),
        host: opts.host,
        port: opts.port,
        token,
        uploadLimitBytes: opts.maxUploadMb * 1024 * 1024,
        log: (m) => out.info(m),
      });
      const info = {
        url: running.url,
        api: `${running.url}/api`,
        openapi: `${running.url}/api/openapi.json`,
        tokenRequired: token !== null,
      };
      out.result(
        info,
        () =>
          `Powerball Insights on ${running.url}  (API ${info.api}, OpenAPI ${info.openapi})` +
          (token !== null ? '\nMutating endpoints need "Authorization: Bearer <token>".' : '') +
          '\nPress Ctrl+C to stop.',
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          out.info('stopping (waiting for running jobs)…');
          void running.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
};
