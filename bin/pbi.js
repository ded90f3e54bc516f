#!/usr/bin/env node
// The `pbi` executable: runs the compiled CLI (built by `npm run build`, which `npm install` runs).
//
// For `pbi serve` only, V8's young generation is kept at its initial size (1 MB semi-spaces; the
// default grows them up to 16 MB): that keeps the long-running server under its 150 MB RSS budget at
// the same or better throughput (bench/http.bench.ts). `--max-semi-space-size` would need a second
// node process (V8 reads it only at start-up, and a wrapper process costs ~44 MB RSS of its own),
// whereas the growth factor is read each time V8 considers growing the space, so setting it here,
// before anything else runs, takes effect (test/cli/serve-process.test.ts checks that it does).
// Other commands (training, imports) keep V8's defaults.
import process from 'node:process';
import v8 from 'node:v8';

/** The command word: the first argument that is neither a global option nor the value of `--db`. */
function commandWord(args) {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--db') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

// A young-generation size given on the node command line wins.
const sizedByHand = process.execArgv.some((a) => /^--(max|min)-semi-space-size/.test(a));
if (commandWord(process.argv.slice(2)) === 'serve' && !sizedByHand)
  v8.setFlagsFromString('--semi-space-growth-factor=1');

await import('../dist/main/cli.js');
