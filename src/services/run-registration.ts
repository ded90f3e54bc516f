/**
 * Registering a tracked run's model ("register best" on the Experiments page, as MLflow registers a
 * run's artifact): the artifact the run produced becomes a new version, the same bytes with the same
 * hyperparameters, features and CV metrics. Nothing is refit, so what was compared is what gets
 * registered, and its predictions are the run's model's.
 */
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Said } from '../domain/hints.js';
import type { JsonObject } from '../domain/json.js';
import type { Run } from '../domain/run.js';
import type { LoadedModel, ModelVersionInfo } from '../store/model-registry-types.js';
import type { ServiceContext } from './context.js';
import { activationDecision, type ModelVerdict, modelVerdict } from './model-verdict.js';

/** The key of a version's `extra` naming the run whose artifact it was registered from. */
export const REGISTERED_FROM_RUN = 'registeredFromRun';

export interface RunRegistration {
  readonly runId: number;
  /** The version the run produced, whose artifact was copied. */
  readonly source: { readonly name: string; readonly version: number };
  readonly version: ModelVersionInfo & { readonly verdict: ModelVerdict };
  /** Why the new version is (or is not) active: the activation rule of training. */
  readonly activation: Said;
}

/** The run's stored model. @throws ConflictError when the run kept none, or it was deleted since. */
function runArtifact(ctx: ServiceContext<'models'>, run: Run): LoadedModel {
  if (run.modelVersion === null)
    throw new ConflictError(
      `run ${run.id} kept no model to register: ${
        run.kind === 'train' ? 'its training did not finish' : `a ${run.kind} run is only cross-validated`
      }; train ${run.modelName} with its parameters to get a version, or compare runs that trained one`,
    );
  try {
    return ctx.store.models.loadModel(run.modelName, run.modelVersion);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new ConflictError(
      `run ${run.id}'s model (${run.modelName}@${run.modelVersion}) was deleted since, so there is no artifact to register; train ${run.modelName} with its parameters instead`,
    );
  }
}

/**
 * Registers run `runId`'s artifact as the next version of its model, active only by the rule of
 * training (it beats the baselines and the active version) unless `activate` says otherwise.
 * @throws NotFoundError for an unknown run; ConflictError when the run kept no artifact.
 */
export function registerRunModel(
  ctx: ServiceContext<'models' | 'runs'>,
  runId: number,
  activate?: boolean,
): RunRegistration {
  const run = ctx.store.runs.require(runId);
  const model = runArtifact(ctx, run);
  const verdict = modelVerdict(model);
  const summary = ctx.store.models.listModels().find((m) => m.name === model.name);
  const active =
    summary?.activeVersion != null ? ctx.store.models.getVersion(model.name, summary.activeVersion) : null;
  const decision =
    activate === false
      ? { activate: false, reason: 'registered inactive, as asked' }
      : activationDecision(verdict, active, activate === true);
  const extra: JsonObject = {
    ...(model.extra ?? {}),
    [REGISTERED_FROM_RUN]: run.id,
    copiedFrom: `${model.name}@${model.version}`,
  };
  const version = ctx.store.models.registerModelVersion({
    name: model.name,
    kind: model.kind,
    hyperparameters: model.hyperparameters,
    featureNames: model.featureNames,
    folds: model.folds,
    trainingDurationMs: model.trainingDurationMs,
    seed: model.seed,
    artifact: model.artifact,
    source: model.source,
    createdAt: ctx.clock.now().toISOString(),
    activate: decision.activate,
    keepInactive: !decision.activate,
    ...(model.trainingData ? { trainingData: model.trainingData } : {}),
    notes: `registered from run ${run.id} (the artifact of ${model.name}@${model.version})`,
    extra,
  });
  return {
    runId: run.id,
    source: { name: model.name, version: model.version },
    version: { ...version, verdict },
    activation: decision.reason,
  };
}
