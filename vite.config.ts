// The dashboard (src/interfaces/web/app) is bundled into dist/web, which `pbi serve` serves.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/interfaces/web/app',
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: '../../../../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 250,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
