import path from 'node:path';
import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Four projects, so each kind of test can run alone (`npm run test:unit` etc.):
 * - unit: domain, ml, strategies, store, the pickle reader and pure services, in this process's
 *   children only as test workers: no child process, no server, no browser, no build needed;
 * - integration: the CLI, the HTTP API and the services on real databases, the store under
 *   concurrent processes, and the few smoke tests of the built executable;
 * - e2e: the dashboard in Chromium (needs `npm run build`);
 * - bench: the benchmark harness and its peers (child processes running tsx and Python).
 *
 * Within each project, longest files first; each worker process runs file after file and keeps
 * the modules it loaded (see `isolate` below).
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
const INTEGRATION = [
  'test/cli/**/*.test.ts',
  'test/http/**/*.test.ts',
  'test/services/**/*.test.ts',
  ...UNIT_FOLDERS_WITH_PROCESSES,
];
const E2E = ['test/e2e/**/*.test.ts'];
const BENCH = ['test/bench/**/*.test.ts'];

/**
 * Seconds each slow file took in a full run on the quiet 2-core machine (only the order matters;
 * refresh from test-artifacts/vitest.json when it has drifted). The files not listed take a few
 * seconds at most (under 2 s quiet) and follow.
 */
const SLOW_FILES: Readonly<Record<string, number>> = {
  'test/e2e/dashboard.test.ts': 39,
  'test/e2e/analysis-pages.test.ts': 30,
  'test/store/reliability.test.ts': 27,
  'test/e2e/data-pages.test.ts': 23,
  'test/http/flows.test.ts': 17,
  'test/http/server.test.ts': 14,
  'test/bench/run.test.ts': 11,
  'test/ml/gradient-boosting.test.ts': 11,
  'test/legacy/pickle-budget.test.ts': 11,
  'test/bench/pbi-bench.test.ts': 10,
  'test/ml/random-forest.test.ts': 9,
  'test/http/draw-upload.test.ts': 8,
  'test/e2e/tickets.test.ts': 8,
  'test/services/training-service.test.ts': 7,
  'test/ml/lasso.test.ts': 6,
  'test/bench/xgboost-peer.test.ts': 5,
  'test/cli/lasso.test.ts': 4,
  'test/e2e/ask.test.ts': 4,
  'test/ml/model-bytes.test.ts': 4,
  'test/e2e/legacy-accuracy.test.ts': 4,
  'test/services/backtest-service.test.ts': 4,
  'test/services/prediction-cli.test.ts': 3,
  'test/http/job-service.test.ts': 3,
  'test/strategies/backtest.test.ts': 3,
  'test/services/experiment-cli.test.ts': 3,
  'test/cli/hardening.test.ts': 3,
  'test/cli/train.test.ts': 3,
  'test/legacy/joblib.test.ts': 3,
  'test/services/migration/migration-fuzz.test.ts': 3,
  'test/bench/sklearn-peer.test.ts': 3,
  'test/http/lasso.test.ts': 3,
  'test/cli/serve-process.test.ts': 3,
  'test/cli/hardening-input.test.ts': 2,
  'test/services/experiment-service.test.ts': 2,
};

/**
 * Longest files first, so the run does not end with one long file on one core while the other
 * waits. A fixed table rather than vitest's cache of the last run's durations, which a clean
 * clone (CI) does not have.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const weight = (f: TestSpecification) => SLOW_FILES[path.relative(root, f.moduleId)] ?? 0;
    const byCacheOrSize = await super.sort(files);
    return [...byCacheOrSize].sort((a, b) => weight(b) - weight(a));
  }
}

const projects: TestProjectInlineConfiguration[] = [
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
      include: INTEGRATION,
      exclude: [...configDefaults.exclude, ...PURE_SERVICES],
    },
  },
  { extends: true, test: { name: 'e2e', include: E2E } },
  { extends: true, test: { name: 'bench', include: BENCH } },
];

export default defineConfig({
  test: {
    pool: 'forks',
    poolOptions: {
      forks: {
        // Two test files at once on two cores: most tests are one busy thread, so this halves the
        // wall time; more workers than cores only make each synchronous stretch longer.
        maxForks: 2,
        minForks: 1,
        // A worker keeps its loaded modules from one file to the next instead of starting a fresh
        // process per file: most integration files import the whole app (~270 modules, 1.7 s each
        // time), and reuse cut the suite's CPU time by a third. Safe because no test mocks a module
        // or changes process.env, the working folder or timers (each uses its own temp folder).
        // vitest then runs the projects one after another, each still on both cores.
        isolate: false,
      },
    },
    sequence: { sequencer: LongestFirst },
    // The summary ends by naming skipped tests (e.g. the browser tests without Chromium).
    reporters: ['default', './test/skip-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    projects,
  },
});
