/**
 * Walk-forward backtest (DESIGN §3): at each draw of the range, every strategy sees only earlier
 * draws, gives its distribution, is scored on the actual result against the uniform baseline, and
 * has tickets sampled from it that are scored like real tickets. Pure: draws in, report out.
 */
import type { IsoDate } from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import { eraOf, type RuleEra } from '../domain/eras.js';
import { InsufficientDataError } from '../domain/errors.js';
import { PRIZE_TIERS, type PrizeTier, scoreTicket, tierProbability } from '../domain/prizes.js';
import type { Ticket, Whites } from '../domain/ticket.js';
import { Rng } from '../ml/rng.js';
import { logLikelihoodRatio } from './probability.js';
import { sampleTickets } from './sampling.js';
import { binomialTwoSidedP, type MeanEstimate, meanEstimate } from './statistics.js';
import type { Strategy } from './strategy.js';

export interface BacktestRequest {
  readonly strategies: readonly Strategy[];
  /** Every stored draw, oldest first. */
  readonly draws: readonly Draw[];
  /** The era whose draws are targets (the current era). */
  readonly era: RuleEra;
  readonly from?: IsoDate;
  readonly to?: IsoDate;
  readonly seed: number;
  /** Tickets sampled per strategy per draw (default 10). */
  readonly ticketsPerDraw?: number;
  onProgress?(fraction: number): void;
}

export interface TierResult {
  readonly tier: PrizeTier;
  readonly hits: number;
  readonly rate: number;
  /** Exact probability of the tier for one random ticket. */
  readonly expected: number;
  /** Exact two-sided binomial p-value of `hits` among all tickets. */
  readonly pValue: number;
}

export interface StrategyBacktest {
  readonly strategy: string;
  readonly draws: number;
  readonly tickets: number;
  /** Log-likelihood ratio of each actual draw against uniform, nats per draw. */
  readonly llr: MeanEstimate;
  readonly llrWhites: number;
  readonly llrPowerball: number;
  readonly uniformWeight: number;
  /** Mean white matches per ticket (per-draw means, so the interval respects shared results). */
  readonly whiteMatches: MeanEstimate & { readonly expected: number };
  readonly powerballHits: MeanEstimate & { readonly expected: number };
  readonly tiers: readonly TierResult[];
  /** True when some comparison with chance is significant after a Bonferroni correction. */
  readonly significant: boolean;
  readonly verdict: string;
}

export interface BacktestReport {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly draws: number;
  readonly seed: number;
  readonly ticketsPerDraw: number;
  readonly results: readonly StrategyBacktest[];
}

/** A stable per-strategy seed so a strategy's figures do not depend on which others ran. */
function strategySeed(seed: number, name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (seed ^ h) >>> 0;
}

/**
 * Runs the backtest.
 * @throws InsufficientDataError when no draw of the era falls in the range.
 */
export function runBacktest(request: BacktestRequest): BacktestReport {
  const { draws, era } = request;
  const perDraw = request.ticketsPerDraw ?? 10;
  const from = request.from && request.from > era.from ? request.from : era.from;
  const targets: number[] = [];
  for (let i = 0; i < draws.length; i++) {
    const d = draws[i] as Draw;
    if (d.date >= from && (!request.to || d.date <= request.to) && eraOf(d.date) === era) targets.push(i);
  }
  if (targets.length === 0) {
    throw new InsufficientDataError(`no draws of the era from ${era.from} fall in the backtest range`);
  }
  const n = targets.length;
  const state = request.strategies.map((s) => ({
    strategy: s,
    rng: new Rng(strategySeed(request.seed, s.name)),
    llr: new Float64Array(n),
    llrW: 0,
    llrP: 0,
    matches: new Float64Array(n),
    pbHits: new Float64Array(n),
    tiers: new Map<PrizeTier, number>(),
    uniformWeight: 0,
  }));
  for (let t = 0; t < n; t++) {
    const index = targets[t] as number;
    const actual = draws[index] as Draw;
    const history = draws.slice(0, index);
    const target = { date: actual.date, era };
    for (const st of state) {
      const d = st.strategy.distribution(history, target);
      st.uniformWeight = d.shrinkage.uniformWeight;
      const r = logLikelihoodRatio(d, actual, era);
      st.llr[t] = r.total;
      st.llrW += r.whites;
      st.llrP += r.powerball;
      let m = 0;
      let pb = 0;
      for (const ticket of sampleTickets(d, era, perDraw, st.rng, { withProbability: false })) {
        const score = scoreTicket(
          { whites: ticket.whites as unknown as Whites, powerball: ticket.powerball } as Ticket,
          actual,
        );
        m += score.whiteMatches;
        if (score.powerballMatch) pb++;
        if (score.tier) st.tiers.set(score.tier, (st.tiers.get(score.tier) ?? 0) + 1);
      }
      st.matches[t] = m / perDraw;
      st.pbHits[t] = pb / perDraw;
    }
    if (request.onProgress && (t % 25 === 0 || t === n - 1)) request.onProgress((t + 1) / n);
  }
  const tickets = n * perDraw;
  const results = state.map((st): StrategyBacktest => {
    const tiers = PRIZE_TIERS.map((info) => {
      const hits = st.tiers.get(info.tier) ?? 0;
      const expected = tierProbability(info, era);
      return {
        tier: info.tier,
        hits,
        rate: hits / tickets,
        expected,
        pValue: binomialTwoSidedP(hits, tickets, expected),
      };
    });
    const llr = meanEstimate(st.llr);
    const whiteMatches = { ...meanEstimate(st.matches), expected: (5 * 5) / era.whiteMax };
    const powerballHits = { ...meanEstimate(st.pbHits), expected: 1 / era.powerballMax };
    const { significant, verdict } = judge(llr, whiteMatches, powerballHits, tiers);
    return {
      strategy: st.strategy.name,
      draws: n,
      tickets,
      llr,
      llrWhites: st.llrW / n,
      llrPowerball: st.llrP / n,
      uniformWeight: st.uniformWeight,
      whiteMatches,
      powerballHits,
      tiers,
      significant,
      verdict,
    };
  });
  return {
    from: (draws[targets[0] as number] as Draw).date,
    to: (draws[targets[n - 1] as number] as Draw).date,
    draws: n,
    seed: request.seed,
    ticketsPerDraw: perDraw,
    results,
  };
}

/** Two-sided p-value of a normal z. */
function normalP(z: number): number {
  // Abramowitz–Stegun 7.1.26 for erfc; ample for a verdict.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
    Math.exp(-x * x);
  return Math.min(1, erfc);
}

function judge(
  llr: MeanEstimate,
  matches: MeanEstimate & { expected: number },
  pb: MeanEstimate & { expected: number },
  tiers: readonly TierResult[],
): { significant: boolean; verdict: string } {
  const tests: { what: string; p: number; better: boolean }[] = [];
  const z = (e: MeanEstimate, ref: number) => (e.sd > 0 ? (e.mean - ref) / (e.sd / Math.sqrt(e.n)) : 0);
  tests.push({ what: 'log-likelihood vs uniform', p: normalP(z(llr, 0)), better: llr.mean > 0 });
  tests.push({
    what: 'white matches per ticket',
    p: normalP(z(matches, matches.expected)),
    better: matches.mean > matches.expected,
  });
  tests.push({ what: 'Powerball hit rate', p: normalP(z(pb, pb.expected)), better: pb.mean > pb.expected });
  for (const t of tiers)
    tests.push({ what: `tier ${t.tier} hit rate`, p: t.pValue, better: t.rate > t.expected });
  const alpha = 0.05 / tests.length;
  const hits = tests.filter((t) => t.p < alpha);
  const ci = `${llr.mean.toFixed(4)} nats/draw, 95% CI ${llr.ci95[0].toFixed(4)} to ${llr.ci95[1].toFixed(4)}`;
  if (hits.length === 0) {
    const ciExcludesZero = llr.ci95[0] > 0 || llr.ci95[1] < 0;
    return {
      significant: false,
      verdict:
        `no significant difference from chance (log-likelihood ratio ${ci}` +
        (ciExcludesZero
          ? `; the 95% interval alone excludes 0, but across ${tests.length} comparisons that happens by chance`
          : '') +
        `; no test below p = ${alpha.toFixed(4)}, Bonferroni over ${tests.length} tests)`,
    };
  }
  const list = hits
    .map((h) => `${h.what} ${h.better ? 'better' : 'worse'} than chance (p = ${h.p.toPrecision(2)})`)
    .join('; ');
  return { significant: true, verdict: `significant: ${list} (log-likelihood ratio ${ci})` };
}
