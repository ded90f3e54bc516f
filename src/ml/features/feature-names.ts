/**
 * The feature layout: which columns exist, in which order, under which stable names. The layout
 * depends only on the era's number ranges and the rolling windows, so a model trained on one matrix
 * can always be given the same columns again (names are stored with every model version).
 */
import type { RuleEra } from '../../domain/eras.js';
import { ValidationError } from '../../domain/errors.js';

/** Bumped whenever the meaning of an existing feature name changes. */
export const FEATURE_SET_VERSION = 1;

/** Rolling windows (in draws) of the frequency and rolling-mean features. */
export const DEFAULT_WINDOWS: readonly number[] = Object.freeze([10, 50, 100]);

/** The six regression targets: the five sorted whites of the draw, then its Powerball. */
export const TARGET_NAMES: readonly string[] = Object.freeze([
  'target_w1',
  'target_w2',
  'target_w3',
  'target_w4',
  'target_w5',
  'target_pb',
]);

/** Weekdays (0 = Sunday) that get a one-hot column: the three draw days. */
export const DOW_COLUMNS: readonly (readonly [string, number])[] = [
  ['dow_mon', 1],
  ['dow_wed', 3],
  ['dow_sat', 6],
];

/** Statistics of the last draw, in column order. */
export const LAST_DRAW_STATS = [
  'last_w1',
  'last_w2',
  'last_w3',
  'last_w4',
  'last_w5',
  'last_pb',
  'last_sum',
  'last_mean',
  'last_spread',
  'last_std',
  'last_odd',
  'last_even',
  'last_high',
  'last_low',
  'last_repeat',
] as const;

/** Rolling means per window, in column order (suffixed `_<window>`). */
export const ROLLING_STATS = [
  'roll_sum',
  'roll_spread',
  'roll_odd',
  'roll_high',
  'roll_w1',
  'roll_w2',
  'roll_w3',
  'roll_w4',
  'roll_w5',
  'roll_pb',
] as const;

/** Pair and triplet recurrence of the previous draw's numbers in the history before it. */
export const COMBO_STATS = [
  'combo_pairs_seen',
  'combo_pairs_total',
  'combo_triplets_seen',
  'combo_triplets_total',
] as const;

/** Column offsets of each feature family inside a row. */
export interface FeatureLayout {
  readonly whiteMax: number;
  readonly powerballMax: number;
  readonly windows: readonly number[];
  /** Start of `freq_*` (per window: whites 1..whiteMax, then Powerballs 1..powerballMax). */
  readonly freq: number;
  /** Start of `gap_w_*` then `gap_pb_*`. */
  readonly gap: number;
  /** Start of the temporal block: DOW_COLUMNS, draw_index, days_since_prev. */
  readonly temporal: number;
  readonly last: number;
  /** Start of ROLLING_STATS, window by window. */
  readonly rolling: number;
  readonly combo: number;
  readonly width: number;
  readonly names: readonly string[];
  /** Identifies the layout (version, ranges, windows), stored beside the names. */
  readonly id: string;
}

/**
 * Builds the layout for an era's ranges and the windows.
 * @throws ValidationError when a window is not a positive integer or windows repeat.
 */
export function featureLayout(
  era: Pick<RuleEra, 'whiteMax' | 'powerballMax'>,
  windows: readonly number[] = DEFAULT_WINDOWS,
): FeatureLayout {
  if (windows.length === 0 || new Set(windows).size !== windows.length) {
    throw new ValidationError('feature windows must be a non-empty list of distinct draw counts');
  }
  for (const w of windows) {
    if (!Number.isInteger(w) || w < 1)
      throw new ValidationError(`feature window ${w} is not a whole number ≥ 1`);
  }
  const W = era.whiteMax;
  const P = era.powerballMax;
  const names: string[] = [];
  const freq = names.length;
  for (const w of windows) {
    for (let n = 1; n <= W; n++) names.push(`freq_w_${n}_${w}`);
    for (let n = 1; n <= P; n++) names.push(`freq_pb_${n}_${w}`);
  }
  const gap = names.length;
  for (let n = 1; n <= W; n++) names.push(`gap_w_${n}`);
  for (let n = 1; n <= P; n++) names.push(`gap_pb_${n}`);
  const temporal = names.length;
  for (const [name] of DOW_COLUMNS) names.push(name);
  names.push('draw_index', 'days_since_prev');
  const last = names.length;
  names.push(...LAST_DRAW_STATS);
  const rolling = names.length;
  for (const w of windows) for (const s of ROLLING_STATS) names.push(`${s}_${w}`);
  const combo = names.length;
  names.push(...COMBO_STATS);
  return Object.freeze({
    whiteMax: W,
    powerballMax: P,
    windows: Object.freeze([...windows]),
    freq,
    gap,
    temporal,
    last,
    rolling,
    combo,
    width: names.length,
    names: Object.freeze(names),
    id: `pbi-features/${FEATURE_SET_VERSION};whites=1-${W};powerball=1-${P};windows=${windows.join(',')}`,
  });
}
