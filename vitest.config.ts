import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // The summary ends by naming skipped tests (e.g. the browser tests without Chromium).
    reporters: ['default', './test/skip-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
