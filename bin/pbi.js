#!/usr/bin/env node
// The `pbi` executable: runs the compiled CLI (built by `npm run build`, which `npm install` runs).
//
// `pbi serve` runs in a child node with `--max-semi-space-size=2`: a young generation of 2 MB
// semi-spaces instead of up to 16 MB keeps the server under its 150 MB RSS budget at the same or
// better throughput (bench/http.bench.ts), and V8 reads the flag only at start-up, so it has to be
// on the command line. Every other command runs here directly, with no second process.
import { spawn } from 'node:child_process';
import process from 'node:process';

const SEMI_SPACE_FLAG = '--max-semi-space-size=2';

/** The command word: the first argument that is neither a global option nor the value of `--db`. */
function commandWord(args) {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--db') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

// Given on the node command line already (by hand, or this is the child below): run as is.
const hasFlag = process.execArgv.some((a) => a.startsWith('--max-semi-space-size'));

if (commandWord(process.argv.slice(2)) === 'serve' && !hasFlag) {
  const child = spawn(
    process.execPath,
    [...process.execArgv, SEMI_SPACE_FLAG, process.argv[1], ...process.argv.slice(2)],
    {
      // Its own process group, so a Ctrl+C on the terminal reaches the server once (forwarded below),
      // not twice (a second SIGINT would cut its graceful stop short). The IPC channel tells the
      // server when this process is gone, even killed outright, so it never outlives it.
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      detached: process.platform !== 'win32',
    },
  );
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));
  child.on('error', (error) => {
    process.stderr.write(`pbi: could not start the server process: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      // Die of the same signal, so the caller sees what the server saw.
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
} else {
  if (process.channel && hasFlag) {
    // The server child of the wrapper above: stop gracefully when the wrapper goes away, and do not
    // let the channel itself keep this process alive.
    process.channel.unref();
    process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  }
  await import('../dist/main/cli.js');
}
