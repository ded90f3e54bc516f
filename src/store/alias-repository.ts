/**
 * Model aliases with history: `champion`, `challenger`, … point at one version of a model;
 * every move is appended to an event log, as is every activation (pseudo-alias `active`, written by
 * triggers on the registry's table, see migration 003), so a user can see which version held what
 * when, and roll back. The current table and the log change in one transaction, so they never
 * disagree (`pbi db check` verifies it).
 */
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { Connection } from './connection.js';

/** The pseudo-alias under which activations are logged. */
export const ACTIVE_ALIAS = 'active';
const ALIAS = /^[a-z][a-z0-9_-]{0,63}$/;

export interface ModelAlias {
  readonly modelName: string;
  readonly alias: string;
  readonly version: number;
  readonly updatedAt: string;
}

export interface AliasEvent {
  readonly id: number;
  readonly modelName: string;
  readonly alias: string;
  /** The version the alias moved to, or null when it was removed. */
  readonly version: number | null;
  readonly previousVersion: number | null;
  readonly at: string;
  readonly note: string | null;
}

interface EventRow {
  event_id: number;
  model_name: string;
  alias: string;
  version: number | null;
  previous_version: number | null;
  at: string;
  note: string | null;
}

const toEvent = (r: EventRow): AliasEvent => ({
  id: r.event_id,
  modelName: r.model_name,
  alias: r.alias,
  version: r.version,
  previousVersion: r.previous_version,
  at: r.at,
  note: r.note,
});

/**
 * Checks an alias name.
 * @throws ValidationError unless it is lowercase letters, digits, `_` or `-`, starting with a letter.
 */
export function checkAliasName(alias: string): void {
  if (!ALIAS.test(alias))
    throw new ValidationError(
      `alias "${alias}" must start with a lowercase letter and hold only a-z, 0-9, _ or - (at most 64)`,
      [{ where: 'alias', reason: 'invalid alias name' }],
    );
}

export class AliasRepository {
  constructor(private readonly db: Connection) {}

  /**
   * Points `alias` of a model at `version` and logs the move (nothing is logged when it already
   * points there). The caller checks that the version exists.
   * @returns the event written, or null when nothing changed.
   * @throws ValidationError on a bad alias name.
   */
  set(
    modelName: string,
    alias: string,
    version: number,
    at: string,
    note: string | null = null,
  ): AliasEvent | null {
    checkAliasName(alias);
    if (alias === ACTIVE_ALIAS)
      throw new ValidationError(
        `alias "${ACTIVE_ALIAS}" is kept by the registry; use \`pbi models activate\``,
        [{ where: 'alias', reason: 'reserved' }],
      );
    return this.db.write(() => {
      const current = this.get(modelName, alias);
      if (current?.version === version) return null;
      this.db
        .prepare(
          `INSERT INTO model_aliases (model_name, alias, version, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (model_name, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
        )
        .run(modelName, alias, version, at);
      return this.log(modelName, alias, version, current?.version ?? null, at, note);
    });
  }

  /**
   * Removes an alias and logs it.
   * @throws NotFoundError when the model has no such alias.
   */
  remove(modelName: string, alias: string, at: string, note: string | null = null): AliasEvent {
    return this.db.write(() => {
      const current = this.get(modelName, alias);
      if (!current) throw new NotFoundError(`model ${modelName} has no alias "${alias}"`);
      this.db.prepare('DELETE FROM model_aliases WHERE model_name = ? AND alias = ?').run(modelName, alias);
      return this.log(modelName, alias, null, current.version, at, note);
    });
  }

  /** The alias, or null. */
  get(modelName: string, alias: string): ModelAlias | null {
    const row = this.db
      .prepare(
        'SELECT model_name AS modelName, alias, version, updated_at AS updatedAt FROM model_aliases WHERE model_name = ? AND alias = ?',
      )
      .get(modelName, alias) as ModelAlias | undefined;
    return row ?? null;
  }

  /** Current aliases of a model (every model when omitted), by model then alias. */
  list(modelName?: string): ModelAlias[] {
    const sql = `SELECT model_name AS modelName, alias, version, updated_at AS updatedAt FROM model_aliases
                 ${modelName === undefined ? '' : 'WHERE model_name = ?'} ORDER BY model_name, alias`;
    return this.db.prepare(sql).all(...(modelName === undefined ? [] : [modelName])) as ModelAlias[];
  }

  /** Every logged move of a model's aliases (and activations), oldest first. */
  history(modelName: string, alias?: string): AliasEvent[] {
    const rows =
      alias === undefined
        ? this.db
            .prepare('SELECT * FROM model_alias_events WHERE model_name = ? ORDER BY event_id')
            .all(modelName)
        : this.db
            .prepare('SELECT * FROM model_alias_events WHERE model_name = ? AND alias = ? ORDER BY event_id')
            .all(modelName, alias);
    return (rows as EventRow[]).map(toEvent);
  }

  /**
   * The version the alias held before its current one (the target of a rollback), or null.
   * Walks back past events that re-pointed it at the current version.
   */
  previous(modelName: string, alias: string): number | null {
    const current = this.get(modelName, alias)?.version ?? null;
    const events = this.history(modelName, alias);
    for (let i = events.length - 1; i >= 0; i--) {
      const v = (events[i] as AliasEvent).version;
      if (v !== null && v !== current) return v;
    }
    return null;
  }

  private log(
    modelName: string,
    alias: string,
    version: number | null,
    previous: number | null,
    at: string,
    note: string | null,
  ): AliasEvent {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO model_alias_events (model_name, alias, version, previous_version, at, note)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(modelName, alias, version, previous, at, note).lastInsertRowid,
    );
    return { id, modelName, alias, version, previousVersion: previous, at, note };
  }
}
