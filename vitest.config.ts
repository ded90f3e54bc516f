import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Four projects, so each kind of test can run alone (`npm run test:unit` etc.; `npm test` runs all):
 * - unit: domain, ml, strategies, store, the pickle reader and pure services, in this process's
 *   children only as test workers: no child process, no server, no browser, no build needed;
 * - integration: the CLI, the HTTP API and the services on real databases, the store under
 *   concurrent processes, and the few smoke tests of the built executable;
 * - e2e: the dashboard in Chromium (needs `npm run build`);
 * - bench: the benchmark harness and its peers (child processes running tsx and Python).
 */
/** Services tests that need no database. */
const PURE_SERVICES = ['test/services/analysis-stats.test.ts', 'test/services/draws/parse-draw-file.test.ts'];
const UNIT = [
  'test/domain/**/*.test.ts',
  'test/ml/**/*.test.ts',
  'test/strategies/**/*.test.ts',
  'test/store/**/*.test.ts',
  'test/legacy/**/*.test.ts',
  ...PURE_SERVICES,
];
/** Tests under the unit folders that start processes: they run with the integration tests. */
const UNIT_FOLDERS_WITH_PROCESSES = ['test/store/reliability.test.ts', 'test/legacy/pickle-budget.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    poolOptions: {
      forks: {
        // Two test files at once on two cores: most tests are one busy thread, so this halves the
        // wall time; more workers than cores only make each synchronous stretch longer.
        maxForks: 2,
        minForks: 1,
      },
    },
    // The summary ends by naming skipped tests (e.g. the browser tests without Chromium).
    reporters: ['default', './test/skip-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT,
          exclude: [...configDefaults.exclude, ...UNIT_FOLDERS_WITH_PROCESSES],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [
            'test/cli/**/*.test.ts',
            'test/http/**/*.test.ts',
            'test/services/**/*.test.ts',
            ...UNIT_FOLDERS_WITH_PROCESSES,
          ],
          exclude: [...configDefaults.exclude, ...PURE_SERVICES],
        },
      },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
      { extends: true, test: { name: 'bench', include: ['test/bench/**/*.test.ts'] } },
    ],
  },
});
