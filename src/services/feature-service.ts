/**
 * Features of the stored draw history: the one pipeline (src/ml/features) fed from the store, for
 * training, the ML strategy, the dashboard and `pbi features export`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { nextDrawDate } from '../domain/calendar.js';
import type { IsoDate } from '../domain/dates.js';
import { CURRENT_ERA } from '../domain/eras.js';
import { InsufficientDataError, PbiError } from '../domain/errors.js';
import { said } from '../domain/hints.js';
import {
  buildFeatureMatrix,
  type FeatureMatrix,
  formatFeatureCsv,
  nextDrawFeatures,
  type NextDrawFeatures,
} from '../ml/features/index.js';
import type { ServiceContext } from './context.js';

export interface FeatureExportReport {
  readonly file: string;
  readonly rows: number;
  readonly features: number;
  readonly targets: readonly string[];
  /** Draw dates of the first and last rows. */
  readonly firstDate: IsoDate;
  readonly lastDate: IsoDate;
  /** Era draws used only as history before the first row. */
  readonly warmup: number;
  /** Layout id (feature-set version, ranges, windows). */
  readonly featureSet: string;
  readonly bytes: number;
}

/** A summary of the feature set, for the dashboard and `--json` consumers. */
export interface FeatureSetInfo {
  readonly featureSet: string;
  readonly era: { readonly from: IsoDate; readonly whiteMax: number; readonly powerballMax: number };
  readonly windows: readonly number[];
  readonly warmup: number;
  readonly names: readonly string[];
  readonly targets: readonly string[];
  readonly eraDraws: number;
  readonly rows: number;
}

export class FeatureService {
  private cache: { revision: string; matrix: FeatureMatrix } | null = null;

  constructor(private readonly ctx: ServiceContext<'draws'>) {}

  /**
   * The training matrix of the stored history (current era, after the warm-up), cached until the
   * stored draws change.
   */
  matrix(): FeatureMatrix {
    const revision = this.ctx.store.draws.revision();
    if (this.cache?.revision === revision) return this.cache.matrix;
    const matrix = buildFeatureMatrix(this.ctx.store.draws.list({ from: CURRENT_ERA.from }));
    this.cache = { revision, matrix };
    return matrix;
  }

  /**
   * The training matrix, or a clear error when it has fewer than `minRows` rows.
   * @throws InsufficientDataError naming how many current-era draws there are and how many are needed.
   */
  requireMatrix(minRows = 1): FeatureMatrix {
    const m = this.matrix();
    if (m.x.rows < minRows) {
      const era = `the current era (since ${CURRENT_ERA.from})`;
      throw new InsufficientDataError(
        m.eraDraws === 0
          ? said`no draws of ${era} are stored; ${{ kind: 'load-history' }}`
          : `${m.eraDraws} draw(s) of ${era} give ${m.x.rows} feature row(s) after the ${m.warmup}-draw warm-up; ` +
              `${minRows} row(s) (${m.warmup + minRows} draws) are needed`,
      );
    }
    return m;
  }

  /**
   * Features of the next draw after the stored history (on `date`, by default the next draw date
   * after the last stored draw).
   * @throws InsufficientDataError when the current era has fewer draws than the warm-up.
   */
  next(date?: IsoDate): NextDrawFeatures {
    const draws = this.ctx.store.draws.list({ from: CURRENT_ERA.from });
    const last = draws[draws.length - 1];
    const target = date ?? nextDrawDate(last?.date ?? CURRENT_ERA.from);
    return nextDrawFeatures(draws, target);
  }

  /** What the feature set is, with the size of the stored history's matrix. */
  info(): FeatureSetInfo {
    const m = this.matrix();
    return {
      featureSet: m.layout.id,
      era: { from: m.era.from, whiteMax: m.era.whiteMax, powerballMax: m.era.powerballMax },
      windows: m.layout.windows,
      warmup: m.warmup,
      names: m.names,
      targets: m.targetNames,
      eraDraws: m.eraDraws,
      rows: m.x.rows,
    };
  }

  /**
   * The matrix as CSV text (what `exportCsv` writes to a file), for a download.
   * @throws InsufficientDataError when there are no rows.
   */
  csv(): { readonly text: string; readonly rows: number; readonly featureSet: string } {
    const m = this.requireMatrix(1);
    return { text: formatFeatureCsv(m), rows: m.x.rows, featureSet: m.layout.id };
  }

  /**
   * Writes the matrix as CSV: `draw_date`, every feature by name, then the six targets — exactly
   * the rows and columns training uses.
   * @throws InsufficientDataError when there are no rows; PbiError (INVALID_INPUT) when the file
   *   cannot be written.
   */
  exportCsv(file: string): FeatureExportReport {
    const m = this.requireMatrix(1);
    const text = formatFeatureCsv(m);
    const target = path.resolve(file);
    try {
      fs.writeFileSync(target, text);
    } catch (error) {
      throw new PbiError('INVALID_INPUT', `cannot write ${file}: ${(error as Error).message}`, [
        { where: file, reason: 'not writable' },
      ]);
    }
    return {
      file: target,
      rows: m.x.rows,
      features: m.x.cols,
      targets: m.targetNames,
      firstDate: m.dates[0] as IsoDate,
      lastDate: m.dates[m.dates.length - 1] as IsoDate,
      warmup: m.warmup,
      featureSet: m.layout.id,
      bytes: Buffer.byteLength(text),
    };
  }
}
