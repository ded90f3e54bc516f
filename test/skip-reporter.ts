/**
 * A vitest reporter that ends a run by saying loudly which tests were skipped and where: a green
 * run with the dashboard's browser tests skipped (no Chromium) must not read like a full pass.
 * Quiet when a name filter (-t) is given, since vitest then reports every other test as skipped.
 */
import path from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';

export default class SkipReporter implements Reporter {
  private filtered = false;
  private root = process.cwd();

  onInit(vitest: Vitest): void {
    this.filtered = Boolean(vitest.config.testNamePattern);
    this.root = vitest.config.root;
  }

  private message: string | null = null;

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (this.filtered) return;
    const perFile = new Map<string, number>();
    for (const m of testModules)
      for (const t of m.children.allTests())
        if (t.result().state === 'skipped') {
          const file = path.relative(this.root, m.moduleId);
          perFile.set(file, (perFile.get(file) ?? 0) + 1);
        }
    if (perFile.size === 0) return;
    const total = [...perFile.values()].reduce((a, b) => a + b, 0);
    const where = [...perFile].map(([f, n]) => `${f}: ${n}`).join(', ');
    const browser = [...perFile.keys()].some((f) => f.startsWith('test/e2e/'))
      ? ' The dashboard tests need /usr/bin/chromium (apt-get install -y chromium).'
      : '';
    this.message =
      `WARNING: ${total} test${total === 1 ? '' : 's'} SKIPPED, not run (${where}).${browser} ` +
      'See the SKIPPED notes above for why.';
  }

  /** Called after every reporter's onTestRunEnd, so this prints below vitest's own summary. */
  onFinished(): void {
    if (this.message) process.stdout.write(`\x1b[1;33m ${this.message}\x1b[0m\n`);
    this.message = null;
  }
}
