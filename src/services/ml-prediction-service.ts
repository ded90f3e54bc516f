/**
 * The one entry point of the product (DESIGN §1): the CLI, the HTTP API and the dashboard call only
 * this. Each area is a small service; this file only composes them, handing each the repositories
 * its constructor names (see `ServiceContext<Parts>`). Interfaces never reach the store through it.
 */
import fs from 'node:fs';
import { openStore } from '../store/store.js';
import { type AppConfig, type Clock, type ServiceContext, systemClock } from './context.js';
import { DrawService } from './draw-service.js';
import { ExperimentService } from './experiment-service.js';
import { AnalysisService } from './analysis-service.js';
import { AskService } from './ask-service.js';
import { DatabaseService } from './database-service.js';
import { FeatureService } from './feature-service.js';
import { TrainingService } from './training-service.js';
import { ModelService } from './model-service.js';
import { PredictionQueryService } from './prediction-query-service.js';
import { PredictionService } from './prediction-service.js';
import { StrategyCatalog } from './strategy-catalog.js';
import { EvaluationService } from './evaluation-service.js';
import { JobService } from './job-service.js';
import { BacktestService } from './backtest-service.js';
import { MigrationService } from './migration/index.js';
import { TicketService } from './ticket-service.js';

export class MLPredictionService {
  readonly context: ServiceContext;
  readonly draws: DrawService;
  /** Tracked runs, tuning, aliases, feature importance. */
  readonly experiments: ExperimentService;
  readonly analysis: AnalysisService;
  /** `pbi ask`: plain-language questions answered by the analysis code. */
  readonly ask: AskService;
  readonly database: DatabaseService;
  readonly features: FeatureService;
  readonly training: TrainingService;
  readonly models: ModelService;
  readonly predictions: PredictionQueryService;
  /** Generating prediction sets (strategies, weighted ensemble). */
  readonly predictor: PredictionService;
  readonly evaluation: EvaluationService;
  readonly backtest: BacktestService;
  /** `pbi migrate`: the legacy app folder into the store. */
  readonly migration: MigrationService;
  /** The tickets a person played, checked against every draw. */
  readonly tickets: TicketService;
  /** Background work of `pbi serve` (training, tuning, backtests) that clients poll; in memory. */
  readonly jobs: JobService;

  constructor(context: ServiceContext) {
    this.context = context;
    this.draws = new DrawService(context);
    this.analysis = new AnalysisService(context);
    this.ask = new AskService(context, this.analysis);
    this.database = new DatabaseService(context);
    this.features = new FeatureService(context);
    this.training = new TrainingService(context, this.features);
    this.experiments = new ExperimentService(context, this.features);
    this.models = new ModelService(context);
    this.predictions = new PredictionQueryService(context);
    // One catalog of strategies (and its caches) shared by prediction, evaluation and backtests.
    const strategies = new StrategyCatalog(context);
    this.predictor = new PredictionService(context, strategies);
    this.evaluation = new EvaluationService(context, strategies);
    this.backtest = new BacktestService(context, strategies);
    this.migration = new MigrationService(context, this.database);
    this.tickets = new TicketService(context);
    this.jobs = new JobService(context.clock, { maxConcurrent: context.config.maxConcurrentJobs ?? 1 });
  }

  /**
   * Opens the database named by the config (creating and migrating it).
   * @throws DatabaseError when it cannot be opened.
   */
  static open(config: AppConfig, clock: Clock = systemClock): MLPredictionService {
    const store = openStore(config.dbPath);
    // A migration killed mid-way would otherwise stay `running` forever. A read-only database can
    // still be read: the mark waits for a writable open.
    if (store.writeProblem() === null) store.migrations.markInterruptedRuns(clock.now().toISOString());
    return new MLPredictionService({ config, store, clock });
  }

  close(): void {
    this.context.store.close();
  }

  /**
   * Closes the service and deletes its database file (with its WAL and shared-memory files) when
   * no table holds a row: what a failed first command leaves behind, e.g. a rejected import into a
   * path that did not exist. Returns whether it deleted; a database with any data is kept.
   */
  closeAndDiscardIfEmpty(): boolean {
    const { store } = this.context;
    const empty = store.isEmpty();
    store.close();
    if (!empty) return false;
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${store.path}${suffix}`, { force: true });
    return true;
  }
}
