/**
 * What the tests of the benchmark's Python peers (bench/peers/*.py) share: Debian's interpreter
 * (the `python3` on PATH may be one without scikit-learn or XGBoost), a scratch folder, seeded draws
 * and their feature export in the layout of `pbi features export`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { ROOT, runProcess, tempDir, type ProcessRun } from './child-process.js';
import { buildFeatureMatrix, formatFeatureCsv } from '../../src/ml/features/index.js';
import { createDraw, type Draw } from '../../src/domain/draw.js';
import { nextDrawDate } from '../../src/domain/calendar.js';
import type { IsoDate } from '../../src/domain/dates.js';
import { Rng } from '../../src/ml/rng.js';

export const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * Whether Debian's python3 has every one of `modules` (e.g. `xgboost, numpy`) installed. Found, not
 * imported: importing scikit-learn or XGBoost costs over a second of CPU, and the tests import them
 * anyway (a broken installation then fails there instead of skipping).
 */
export function pythonCanImport(modules: string): boolean {
  const names = modules.split(',').map((m) => m.trim());
  const script =
    'import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in sys.argv[1:]) else 1)';
  return spawnSync(SYSTEM_PYTHON, ['-c', script, ...names], { encoding: 'utf8' }).status === 0;
}

/** The path of a peer script in bench/peers. */
export function peerScript(name: string): string {
  return path.join(ROOT, 'bench', 'peers', name);
}

/** Runs a peer script with Debian's python3. */
export function runPeer(script: string, args: readonly string[], timeoutMs: number): Promise<ProcessRun> {
  return runProcess(SYSTEM_PYTHON, [peerScript(script), ...args], { timeoutMs });
}

/** A fresh scratch folder, removed after the calling file's tests. */
export function peerScratchDir(prefix: string): string {
  const dir = tempDir(prefix);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * `count` draws on consecutive draw dates from 2015-10-07, their whites drawn by a seeded RNG from
 * 1..`whitePool` (a small pool makes pairs and triplets recur) and their Powerball from 1..26.
 */
export function seededDraws(seed: number, count: number, whitePool = 69): Draw[] {
  const rng = new Rng(seed);
  const draws: Draw[] = [];
  let date = '2015-10-07' as IsoDate;
  for (let i = 0; i < count; i++) {
    const whites = Array.from(rng.sampleWithoutReplacement(whitePool, 5), (v) => v + 1);
    draws.push(createDraw({ date, whites, powerball: rng.nextInt(26) + 1 }, null));
    date = nextDrawDate(date);
  }
  return draws;
}

/** Writes the feature export of `draws` to `file`; returns its shape. */
export function writeFeatureCsv(draws: readonly Draw[], file: string): { rows: number; cols: number } {
  const m = buildFeatureMatrix(draws);
  fs.writeFileSync(file, formatFeatureCsv(m));
  return { rows: m.x.rows, cols: m.x.cols };
}
