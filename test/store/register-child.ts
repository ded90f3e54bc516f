/**
 * A child process for the reliability tests: registers COUNT versions of model `shared`.
 * Usage: node register-child.mjs DB_FILE WRITER_ID COUNT (bundled to plain JS by the test).
 */
import { openStore } from '../../src/store/store.js';

const [file, writer, countText] = process.argv.slice(2);
if (!file || !writer || !countText) throw new Error('usage: register-child DB WRITER COUNT');
const store = openStore(file);
for (let i = 0; i < Number(countText); i++) {
  store.models.registerModelVersion({
    name: 'shared',
    kind: 'ridge',
    hyperparameters: { writer, i },
    featureNames: ['x0'],
    folds: [],
    trainingDurationMs: null,
    seed: i,
    artifact: new Uint8Array(1000).fill(i % 256),
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    activate: i % 3 === 0,
  });
}
store.close();
