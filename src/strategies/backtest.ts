/**
 * Walk-forward backtest (DESIGN §3): at each draw of the range, every strategy sees only earlier
 * draws, gives its distribution, is scored on the actual result against the uniform baseline, and
 * has tickets sampled from it that are scored like real tickets. Every comparison with chance is a
 * Monte Carlo test against replays of the same backtest on uniform draws (`chance-test.ts`), valid
 * at any number of draws; one Holm family covers every test of every strategy. Pure: draws in,
 * report out.
 */
import type { IsoDate } from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import { eraOf, type RuleEra } from '../domain/eras.js';
import { InsufficientDataError, ValidationError } from '../domain/errors.js';
import { PRIZE_TIERS, type PrizeTier, tierProbability } from '../domain/prizes.js';
import { Rng } from '../ml/rng.js';
import {
  CHANCE_SEQUENCES,
  ChanceAccumulator,
  ChanceDraws,
  type ChanceTest,
  type LogScoreMoments,
  MAX_TICKETS_PER_DRAW,
} from './chance-test.js';
import { logLikelihoodRatio } from './probability.js';
import { sampleTickets } from './sampling.js';
import { holmAdjust, type MeanEstimate, meanEstimate } from './statistics.js';
import type { Strategy } from './strategy.js';

/** The family-wise error rate of every backtest. */
export const FAMILY_ALPHA = 0.05;

export interface BacktestRequest {
  readonly strategies: readonly Strategy[];
  /** Every stored draw, oldest first. */
  readonly draws: readonly Draw[];
  /** The era whose draws are targets (the current era). */
  readonly era: RuleEra;
  readonly from?: IsoDate;
  readonly to?: IsoDate;
  readonly seed: number;
  /** Tickets sampled per strategy per draw (default 10, at most 32). */
  readonly ticketsPerDraw?: number;
  /** Simulated chance sequences (default 10,000). */
  readonly chanceSequences?: number;
  onProgress?(fraction: number): void;
}

export interface TierResult {
  readonly tier: PrizeTier;
  readonly hits: number;
  readonly rate: number;
  /** Exact probability of the tier for one random ticket. */
  readonly expected: number;
  /** Two-sided Monte Carlo p-value of `hits`, before the family correction. */
  readonly pValue: number;
}

/** A test with its place in the backtest's family. */
export interface FamilyTest extends ChanceTest {
  /** Holm-adjusted over every test of every strategy in the backtest. */
  readonly adjustedP: number;
  readonly significant: boolean;
}

export interface StrategyBacktest {
  readonly strategy: string;
  readonly draws: number;
  readonly tickets: number;
  /** Log-likelihood ratio of each actual draw against uniform, nats per draw. */
  readonly llr: MeanEstimate;
  readonly llrWhites: number;
  readonly llrPowerball: number;
  /** The tested statistic: log score per draw beside its exact mean and sd under chance. */
  readonly logScore: LogScoreMoments;
  readonly uniformWeight: number;
  /** Mean white matches per ticket (per-draw means, so the interval respects shared results). */
  readonly whiteMatches: MeanEstimate & { readonly expected: number };
  readonly powerballHits: MeanEstimate & { readonly expected: number };
  readonly tiers: readonly TierResult[];
  /** Every comparison with chance (12 per strategy). */
  readonly tests: readonly FamilyTest[];
  /** True when some test is significant after the family correction. */
  readonly significant: boolean;
  readonly verdict: string;
}

export interface BacktestFamily {
  readonly method: string;
  readonly alpha: number;
  readonly tests: number;
  readonly strategies: number;
  readonly chanceSequences: number;
}

export interface BacktestReport {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly draws: number;
  readonly seed: number;
  readonly ticketsPerDraw: number;
  readonly family: BacktestFamily;
  readonly results: readonly StrategyBacktest[];
}

/** A stable per-strategy seed so a strategy's figures do not depend on which others ran. */
export function strategySeed(seed: number, name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (seed ^ h) >>> 0;
}

function targetIndexes(request: BacktestRequest): number[] {
  const { draws, era } = request;
  const from = request.from && request.from > era.from ? request.from : era.from;
  const targets: number[] = [];
  for (let i = 0; i < draws.length; i++) {
    const d = draws[i] as Draw;
    if (d.date >= from && (!request.to || d.date <= request.to) && eraOf(d.date) === era) targets.push(i);
  }
  if (targets.length === 0) {
    throw new InsufficientDataError(`no draws of the era from ${era.from} fall in the backtest range`);
  }
  return targets;
}

/**
 * Runs the backtest.
 * @throws InsufficientDataError when no draw of the era falls in the range; ValidationError for more
 *   than 32 tickets per draw.
 */
export function runBacktest(request: BacktestRequest): BacktestReport {
  const { draws, era } = request;
  const perDraw = request.ticketsPerDraw ?? 10;
  if (!(Number.isInteger(perDraw) && perDraw >= 1 && perDraw <= MAX_TICKETS_PER_DRAW)) {
    throw new ValidationError(`tickets per draw must be 1 to ${MAX_TICKETS_PER_DRAW}, got ${perDraw}`);
  }
  const sequences = request.chanceSequences ?? CHANCE_SEQUENCES;
  const targets = targetIndexes(request);
  const n = targets.length;
  // One stream of chance draws for the whole backtest: every strategy is replayed on the same ones.
  const chance = new ChanceDraws(era, sequences, strategySeed(request.seed, '#chance'));
  const state = request.strategies.map((s) => ({
    strategy: s,
    rng: new Rng(strategySeed(request.seed, s.name)),
    llr: new Float64Array(n),
    llrW: 0,
    llrP: 0,
    matches: new Float64Array(n),
    pbHits: new Float64Array(n),
    tiers: new Map<PrizeTier, number>(),
    acc: new ChanceAccumulator(era, sequences),
    uniformWeight: 0,
  }));
  for (let t = 0; t < n; t++) {
    const index = targets[t] as number;
    const actual = draws[index] as Draw;
    const history = draws.slice(0, index);
    const target = { date: actual.date, era };
    chance.next();
    for (const st of state) {
      const d = st.strategy.distribution(history, target);
      st.uniformWeight = d.shrinkage.uniformWeight;
      const r = logLikelihoodRatio(d, actual, era);
      st.llr[t] = r.total;
      st.llrW += r.whites;
      st.llrP += r.powerball;
      const tickets = sampleTickets(d, era, perDraw, st.rng, { withProbability: false });
      const drawn = new Set(actual.whites);
      let m = 0;
      let pb = 0;
      for (const ticket of tickets) {
        m += ticket.whites.filter((w) => drawn.has(w)).length;
        if (ticket.powerball === actual.powerball) pb++;
      }
      st.matches[t] = m / perDraw;
      st.pbHits[t] = pb / perDraw;
      st.acc.add(actual, { whites: d.whites, powerball: d.powerball, tickets }, chance);
    }
    if (request.onProgress && (t % 25 === 0 || t === n - 1)) request.onProgress((t + 1) / n);
  }
  const tickets = n * perDraw;
  const raw = state.map((st) => {
    const tests = st.acc.tests();
    const tiers = PRIZE_TIERS.map((info): TierResult => {
      const test = tests.find((x) => x.key === `tier:${info.tier}`) as ChanceTest;
      return {
        tier: info.tier,
        hits: test.observed,
        rate: test.observed / tickets,
        expected: tierProbability(info, era),
        pValue: test.pValue,
      };
    });
    return {
      strategy: st.strategy.name,
      draws: n,
      tickets,
      llr: meanEstimate(st.llr),
      llrWhites: st.llrW / n,
      llrPowerball: st.llrP / n,
      logScore: st.acc.logScoreMoments(),
      uniformWeight: st.uniformWeight,
      whiteMatches: { ...meanEstimate(st.matches), expected: (5 * 5) / era.whiteMax },
      powerballHits: { ...meanEstimate(st.pbHits), expected: 1 / era.powerballMax },
      tiers,
      tests: tests.map((x) => ({ ...x, adjustedP: x.pValue, significant: false })),
      significant: false,
      verdict: '',
    };
  });
  const { results, family } = applyFamily(raw, sequences);
  return {
    from: (draws[targets[0] as number] as Draw).date,
    to: (draws[targets[n - 1] as number] as Draw).date,
    draws: n,
    seed: request.seed,
    ticketsPerDraw: perDraw,
    family,
    results,
  };
}

/**
 * One family over every test of every strategy given: Holm-adjusts the raw p-values together and
 * writes each strategy's verdict. Call it again over the results of several reports that form one
 * backtest.
 */
export function applyFamily(
  results: readonly StrategyBacktest[],
  chanceSequences: number,
): { results: StrategyBacktest[]; family: BacktestFamily } {
  const all = results.flatMap((r) => r.tests.map((t) => t.pValue));
  const adjusted = holmAdjust(all);
  const family: BacktestFamily = {
    method: 'Holm',
    alpha: FAMILY_ALPHA,
    tests: all.length,
    strategies: results.length,
    chanceSequences,
  };
  let at = 0;
  const out = results.map((r) => {
    const tests = r.tests.map((t) => {
      const adjustedP = adjusted[at++] as number;
      return { ...t, adjustedP, significant: adjustedP <= FAMILY_ALPHA };
    });
    const significant = tests.some((t) => t.significant);
    return { ...r, tests, significant, verdict: verdictOf(r, tests, family) };
  });
  return { results: out, family };
}

const p2 = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toPrecision(2));

function verdictOf(r: StrategyBacktest, tests: readonly FamilyTest[], family: BacktestFamily): string {
  const llr =
    r.llr.ci95 === null
      ? `log-likelihood ratio ${r.llr.mean.toFixed(4)} nats/draw over ${r.draws} draw${r.draws === 1 ? '' : 's'}; ${r.llr.interval}`
      : `log-likelihood ratio ${r.llr.mean.toFixed(4)} nats/draw, 95% CI ${r.llr.ci95[0].toFixed(4)} to ${r.llr.ci95[1].toFixed(4)} (${r.llr.interval})`;
  const ls = r.logScore;
  const chanceLine = `log score ${ls.mean.toFixed(4)} nats/draw, chance expects ${ls.chanceMean.toFixed(4)} ± ${ls.chanceSd.toFixed(4)}`;
  const scope = `${chanceLine}; Holm over ${family.tests} tests of ${family.strategies} strateg${family.strategies === 1 ? 'y' : 'ies'}, each against ${family.chanceSequences.toLocaleString('en-US')} simulated chance sequences`;
  const hits = tests.filter((t) => t.significant);
  if (hits.length === 0) {
    const best = [...tests].sort((a, b) => a.pValue - b.pValue)[0];
    const smallest = best
      ? `; smallest p = ${p2(best.pValue)} (${best.what}), ${p2(best.adjustedP)} after correction`
      : '';
    const ci = r.llr.ci95;
    const alone =
      ci && (ci[0] > 0 || ci[1] < 0)
        ? `; the interval alone excludes 0, which among ${family.tests} tests happens by chance`
        : '';
    return `no significant difference from chance (${llr}${alone}${smallest}; ${scope})`;
  }
  const list = hits
    .map(
      (h) =>
        `${h.what} ${h.direction === 'worse' ? 'worse' : 'better'} than chance (p = ${p2(h.pValue)}, ${p2(h.adjustedP)} after correction)`,
    )
    .join('; ');
  return `significant: ${list} (${llr}; ${scope})`;
}
