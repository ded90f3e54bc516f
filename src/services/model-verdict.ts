/**
 * Whether a model version earns its place: its cross-validated MAE against the two naive baselines
 * recorded with the same folds (the training mean of each target, and the expected sorted draw of a
 * random ticket), and the rule that makes a new version active only when it beats both baselines
 * and the version already active.
 */
import type { FoldMetrics } from '../domain/fold-metrics.js';
import { said, type Said } from '../domain/hints.js';
import type { ModelVersionInfo } from '../store/model-registry-types.js';

export interface ModelVerdict {
  /** True when the CV MAE is below every recorded baseline's. */
  readonly beatsBaselines: boolean;
  readonly cvMae: number | null;
  /** Baseline name → its mean MAE over the same folds. */
  readonly baselines: Readonly<Record<string, number>>;
  /** One line, e.g. "does not beat the naive baselines: CV MAE 64.90 vs training_mean 8.47, …". */
  readonly text: string;
}

const f2 = (x: number) => x.toFixed(2);

/** The verdict of a version from its stored folds. */
export function modelVerdict(v: { readonly folds: readonly FoldMetrics[] }): ModelVerdict {
  const mean = (pick: (f: FoldMetrics) => number | undefined): number | null => {
    const xs = v.folds.map(pick).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const cvMae = mean((f) => f.metrics.mae);
  const names = [...new Set(v.folds.flatMap((f) => Object.keys(f.baselines ?? {})))];
  const baselines: Record<string, number> = {};
  for (const b of names) {
    const m = mean((f) => f.baselines?.[b]?.mae);
    if (m !== null) baselines[b] = m;
  }
  const entries = Object.entries(baselines);
  if (cvMae === null || entries.length === 0) {
    return {
      beatsBaselines: false,
      cvMae,
      baselines,
      text: 'no verdict: not cross-validated against the naive baselines here (e.g. a migrated model)',
    };
  }
  const beats = entries.every(([, m]) => cvMae < m);
  const list = entries.map(([b, m]) => `${b} ${f2(m)}`).join(', ');
  return {
    beatsBaselines: beats,
    cvMae,
    baselines,
    text: beats
      ? `beats both naive baselines: CV MAE ${f2(cvMae)} vs ${list}`
      : `does not beat the naive baselines: CV MAE ${f2(cvMae)} vs ${list}`,
  };
}

export interface ActivationDecision {
  readonly activate: boolean;
  readonly reason: Said;
}

/**
 * The activation rule: a new version becomes active only when its CV MAE beats both naive
 * baselines and the active version's; `force` (`--activate`) activates it anyway.
 */
export function activationDecision(
  candidate: ModelVerdict,
  active: ModelVersionInfo | null,
  force: boolean,
): ActivationDecision {
  const activeVerdict = active ? modelVerdict(active) : null;
  const ref = active ? `${active.name}@${active.version}` : '';
  if (force)
    return {
      activate: true,
      reason: said`${{ kind: 'force-activate', done: true }}${candidate.beatsBaselines ? '' : ` although it ${candidate.text}`}`,
    };
  if (!candidate.beatsBaselines)
    return {
      activate: false,
      reason: said`registered inactive: it ${candidate.text}; ${{ kind: 'force-activate' }}`,
    };
  if (activeVerdict?.cvMae != null && (candidate.cvMae as number) >= activeVerdict.cvMae)
    return {
      activate: false,
      reason: said`registered inactive: its CV MAE ${f2(candidate.cvMae as number)} does not beat the active ${ref} (${f2(activeVerdict.cvMae)}); ${{ kind: 'force-activate' }}`,
    };
  return {
    activate: true,
    reason: `active: it ${candidate.text}${activeVerdict?.cvMae != null ? `, and the active ${ref} (${f2(activeVerdict.cvMae)})` : ''}`,
  };
}
