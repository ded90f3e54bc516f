/**
 * Experiments: tracked runs of every training and tuning trial, hyperparameter search, model
 * aliases with history, and feature importance. MLflow is the reference for the shape: experiments
 * hold runs; a run has params, tags, a metric history, the digest of the data it saw, and the model
 * version it produced.
 *
 * This class is the door the interfaces use; each concern lives in its own module: run-tracking.ts
 * (recording and querying runs), tuning.ts (the search), model-aliases.ts, feature-importance.ts.
 */
import type { AliasEvent, ModelAlias } from '../store/alias-repository.js';
import type { ServiceContext } from './context.js';
import { featureImportance, type ImportanceReport } from './feature-importance.js';
import type { FeatureService } from './feature-service.js';
import { type AliasHistory, aliasHistory, removeAlias, rollback, setAlias } from './model-aliases.js';
import {
  compareRuns,
  listExperiments,
  listRuns,
  recordTrainingRun,
  type RunComparison,
  type RunDetails,
  type RunListRequest,
  showRun,
  type TrainingRecord,
} from './run-tracking.js';
import { registerRunModel, type RunRegistration } from './run-registration.js';
import { HyperparameterSearch, type TuneReport, type TuneRequest } from './tuning.js';

export type { AliasHistory } from './model-aliases.js';
export type { ImportanceReport } from './feature-importance.js';
export {
  drawsDigest,
  foldMetricPoints,
  parseMetricFilter,
  recordTrainingRun,
  TRAINING_EXPERIMENT,
  type RunComparison,
  type RunDetails,
  type RunListRequest,
  type TrainingRecord,
} from './run-tracking.js';
export type { RunRegistration } from './run-registration.js';
export type { TrialSummary, TuneReport, TuneRequest } from './tuning.js';

export class ExperimentService {
  private readonly search: HyperparameterSearch;

  constructor(
    private readonly ctx: ServiceContext<'aliases' | 'draws' | 'models' | 'runs'>,
    private readonly features: FeatureService,
  ) {
    this.search = new HyperparameterSearch(ctx, features);
  }

  /**
   * Records one `pbi train` of one model as a finished (or failed) run of the `training`
   * experiment (see {@link recordTrainingRun}).
   * @returns the run id.
   */
  recordTraining(record: TrainingRecord): number {
    return recordTrainingRun(this.ctx, record);
  }

  /**
   * Registers the artifact run `runId` produced as a new version of its model (see
   * {@link registerRunModel}).
   * @throws NotFoundError for an unknown run; ConflictError when the run kept no artifact.
   */
  registerRun(runId: number, activate?: boolean): RunRegistration {
    return registerRunModel(this.ctx, runId, activate);
  }

  /** Builds the search space of a request (default, typed params or a file) and checks it. */
  resolveSpace(...args: Parameters<HyperparameterSearch['resolveSpace']>) {
    return this.search.resolveSpace(...args);
  }

  /** Checks a search request without running it. @throws as `tune`. */
  planTune(request: TuneRequest) {
    return this.search.planTune(request);
  }

  /** Hyperparameter search; see {@link HyperparameterSearch.tune}. */
  tune(request: TuneRequest): Promise<TuneReport> {
    return this.search.tune(request);
  }

  /**
   * Runs, filtered and ordered, newest first by default.
   * @throws NotFoundError for an unknown experiment.
   */
  listRuns(request: RunListRequest = {}) {
    return listRuns(this.ctx, request);
  }

  /** Every experiment with its run count. */
  experiments() {
    return listExperiments(this.ctx);
  }

  /** A run with its full metric history and its child runs. @throws NotFoundError. */
  showRun(runId: number): RunDetails {
    return showRun(this.ctx, runId);
  }

  /**
   * Params and summary metrics of several runs side by side.
   * @throws ValidationError for fewer than two ids; NotFoundError naming an unknown run.
   */
  compareRuns(runIds: readonly number[]): RunComparison {
    return compareRuns(this.ctx, runIds);
  }

  /**
   * Points an alias at `NAME@VERSION`, recording the move.
   * @throws ValidationError for a malformed reference or alias; NotFoundError for an unknown version.
   */
  setAlias(reference: string, alias: string): { event: AliasEvent | null; alias: ModelAlias } {
    return setAlias(this.ctx, reference, alias);
  }

  /** Removes an alias, recording it. @throws NotFoundError. */
  removeAlias(model: string, alias: string): AliasEvent {
    return removeAlias(this.ctx, model, alias);
  }

  /** Which version held which alias when. @throws NotFoundError for an unknown model. */
  aliasHistory(model: string): AliasHistory {
    return aliasHistory(this.ctx, model);
  }

  /** Moves an alias back to the version it held before. @throws NotFoundError. */
  rollback(model: string, alias = 'active'): { alias: string; from: number | null; to: number } {
    return rollback(this.ctx, model, alias);
  }

  /**
   * Impurity and permutation importance of a stored model (see feature-importance.ts).
   * @throws NotFoundError for an unknown model/version; PbiError (MODEL) for an unusable artifact.
   */
  importance(
    reference: string,
    options: { repeats?: number; seed?: number; folds?: number } = {},
  ): ImportanceReport {
    return featureImportance(this.ctx, this.features, reference, options);
  }
}
