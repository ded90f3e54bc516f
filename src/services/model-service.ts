/**
 * Model registry use cases (`pbi models …`, `/api/models`): list, show, activate, prune, performance,
 * load. The model registry itself lives in the store; this layer parses `NAME[@VERSION]` references and
 * shapes the answers for the interfaces.
 */
import { checkField, ValidationError } from '../domain/errors.js';
import type {
  LoadedModel,
  ModelDetails,
  ModelPerformance,
  ModelSummary,
  ModelVersionInfo,
  PruneReport,
} from '../store/model-registry-types.js';
import type { AliasEvent } from '../store/alias-repository.js';
import type { Run } from '../domain/run.js';
import type { ServiceContext } from './context.js';
import { type ModelPredictReport, runModelOnCsv, runModelOnCsvText } from './model-runner.js';
import { type ModelVerdict, modelVerdict } from './model-verdict.js';
import { REGISTERED_FROM_RUN } from './run-registration.js';

/** A version with its verdict against the naive baselines. */
export type VersionView = ModelVersionInfo & { readonly verdict: ModelVerdict };
/** A model with the verdict of its active version (null when none is active). */
export type ModelSummaryView = ModelSummary & { readonly activeVerdict: ModelVerdict | null };

/** A run in a version's lineage (the run that trained it, or the search it was part of). */
export interface LineageRun {
  readonly id: number;
  readonly experiment: string;
  readonly kind: Run['kind'];
  readonly status: Run['status'];
  /** sha256 (hex) of the draw history the run saw. */
  readonly dataDigest: string | null;
  readonly nDraws: number | null;
  readonly startedAt: string;
  readonly params: Run['params'];
  readonly metrics: Run['metrics'];
}

export interface VersionDetails {
  readonly version: VersionView;
  readonly run: LineageRun | null;
  readonly parentRun: LineageRun | null;
  /** Aliases pointing at this version now (`active` included). */
  readonly aliases: readonly string[];
  /** Every move of an alias to or away from this version, oldest first. */
  readonly aliasEvents: readonly AliasEvent[];
}

/** `NAME` or `NAME@VERSION` (`NAME@active` is the same as `NAME`). */
export interface ModelReference {
  readonly name: string;
  readonly version: number | 'active';
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Parses `NAME[@VERSION]`.
 * @throws ValidationError naming `where` when the name or version is malformed, or when a version
 * is required (`requireVersion`) and missing.
 */
export function parseModelReference(text: string, where = 'model', requireVersion = false): ModelReference {
  const at = text.lastIndexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const versionText = at < 0 ? null : text.slice(at + 1);
  const fail = (reason: string): never => {
    throw new ValidationError(`${where}: "${text}" ${reason}`, [{ where, reason }]);
  };
  if (!NAME_RE.test(name))
    fail('is not a model name (letters, digits, _ . -; expected NAME or NAME@VERSION)');
  if (versionText === null || versionText === 'active') {
    if (requireVersion) fail('needs a version: NAME@VERSION');
    return { name, version: 'active' };
  }
  if (!/^\d{1,9}$/.test(versionText) || Number(versionText) < 1)
    fail('has a version that is not a whole number ≥ 1');
  return { name, version: Number(versionText) };
}

/** What `models show` answers: a whole model, or one version of it. */
export type ShowModelResult =
  | {
      readonly kind: 'model';
      readonly details: Omit<ModelDetails, 'versions'> & { readonly versions: readonly VersionView[] };
    }
  | { readonly kind: 'version'; readonly version: VersionView };

const withVerdict = (v: ModelVersionInfo): VersionView => ({ ...v, verdict: modelVerdict(v) });

export class ModelService {
  constructor(private readonly ctx: ServiceContext<'models' | 'runs' | 'aliases'>) {}

  /** Every registered model with its active version. */
  list(): ModelSummaryView[] {
    return this.ctx.store.models.listModels().map((m) => ({
      ...m,
      activeVerdict:
        m.activeVersion === null
          ? null
          : modelVerdict(this.ctx.store.models.getVersion(m.name, m.activeVersion)),
    }));
  }

  /**
   * `NAME` shows the model and all its versions; `NAME@VERSION` one version with its folds.
   * @throws ValidationError for a malformed reference; NotFoundError when it does not exist.
   */
  show(reference: string): ShowModelResult {
    const ref = parseModelReference(reference);
    if (reference.includes('@'))
      return {
        kind: 'version',
        version: withVerdict(this.ctx.store.models.getVersion(ref.name, ref.version)),
      };
    const details = this.ctx.store.models.showModel(ref.name);
    return { kind: 'model', details: { ...details, versions: details.versions.map(withVerdict) } };
  }

  /**
   * Makes `NAME@VERSION` the active version.
   * @throws ValidationError without a version; NotFoundError when it does not exist.
   */
  activate(reference: string): VersionView {
    const ref = parseModelReference(reference, 'model', true);
    return withVerdict(this.ctx.store.models.activate(ref.name, ref.version as number));
  }

  /**
   * Deletes all but the newest `keep` versions (of one model or all), never the active version and,
   * unless `force`, never one that stored predictions or aliases refer to.
   * @throws ValidationError for a bad `keep` or model name; NotFoundError for an unknown model.
   */
  prune(options: { readonly keep: number; readonly model?: string; readonly force?: boolean }): PruneReport {
    if (options.model !== undefined) checkField('model', () => parseModelReference(options.model as string));
    return this.ctx.store.models.prune({
      keep: options.keep,
      ...(options.model === undefined ? {} : { name: options.model }),
      force: options.force === true,
    });
  }

  /** Per-fold metrics of every version of a model. @throws NotFoundError. */
  performance(name: string): ModelPerformance & {
    readonly versions: readonly (ModelPerformance['versions'][number] & { readonly verdict: ModelVerdict })[];
  } {
    const perf = this.ctx.store.models.modelPerformance(parseModelReference(name).name);
    return { ...perf, versions: perf.versions.map((v) => ({ ...v, verdict: modelVerdict(v) })) };
  }

  /**
   * One version as the dashboard shows it: its record and verdict, the run that produced it (with
   * the digest of the draws it saw), the search that run belonged to, and every move of an alias
   * to or from it (its activations included).
   * @throws ValidationError for a malformed name; NotFoundError for an unknown version.
   */
  versionDetails(name: string, version: number): VersionDetails {
    const ref = parseModelReference(name);
    const info = withVerdict(this.ctx.store.models.getVersion(ref.name, version));
    const runs = this.ctx.store.runs.search({ modelName: ref.name, limit: 1000 }).runs;
    // A version registered from a run's artifact names that run; a trained one is its run's version.
    const from = info.extra?.[REGISTERED_FROM_RUN];
    const run =
      (typeof from === 'number'
        ? this.ctx.store.runs.get(from)
        : runs.find((r) => r.modelVersion === version)) ?? null;
    const parent = run?.parentRunId != null ? this.ctx.store.runs.get(run.parentRunId) : null;
    const events = this.ctx.store.aliases
      .history(ref.name)
      .filter((e) => e.version === version || e.previousVersion === version);
    const aliases = this.ctx.store.aliases
      .list(ref.name)
      .filter((a) => a.version === version)
      .map((a) => a.alias);
    const lineageRun = (r: Run) => ({
      id: r.id,
      experiment: r.experiment,
      kind: r.kind,
      status: r.status,
      dataDigest: r.dataDigest,
      nDraws: r.nDraws,
      startedAt: r.startedAt,
      params: r.params,
      metrics: r.metrics,
    });
    return {
      version: info,
      run: run ? lineageRun(run) : null,
      parentRun: parent ? lineageRun(parent) : null,
      aliases,
      aliasEvents: events,
    };
  }

  /** A stored version with its artifact bytes (`NAME` = the active one). @throws NotFoundError. */
  load(reference: string): LoadedModel {
    const ref = parseModelReference(reference);
    return this.ctx.store.models.loadModel(ref.name, ref.version);
  }

  /**
   * Runs a stored model (trained or migrated) on a CSV file of feature rows
   * (`pbi models predict NAME[@VERSION] --input FILE`).
   * @throws see runModelOnCsv.
   */
  predictFile(ref: ModelReference, file: string): ModelPredictReport {
    return runModelOnCsv(this.ctx.store.models, ref, file);
  }

  /**
   * Runs a stored model on feature rows given as CSV text (the HTTP API takes the content, never a
   * path); `source` names the upload.
   * @throws ValidationError (MALFORMED_FILE, missing columns, a malformed `reference`); NotFoundError;
   *   PbiError (MODEL).
   */
  predictCsv(reference: string, text: string, source: string): ModelPredictReport {
    const ref = parseModelReference(reference, 'path.ref');
    return runModelOnCsvText(this.ctx.store.models, ref, text, source, source);
  }
}
