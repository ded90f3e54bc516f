/**
 * Model aliases with history (`champion`, `challenger`, …, and `active`): set, remove, list every
 * move, roll back to the version an alias held before.
 */
import { NotFoundError } from '../domain/errors.js';
import type { AliasEvent, ModelAlias } from '../store/alias-repository.js';
import type { ServiceContext } from './context.js';
import { parseModelReference } from './model-service.js';

export interface AliasHistory {
  readonly model: string;
  /** Current aliases, `active` included. */
  readonly current: readonly ModelAlias[];
  /** Every move, oldest first. */
  readonly events: readonly AliasEvent[];
}

/**
 * Points an alias (`champion`, `challenger`, …) at `NAME@VERSION`, recording the move.
 * @throws ValidationError for a malformed reference or alias; NotFoundError for an unknown version.
 */
export function setAlias(
  ctx: ServiceContext<'aliases' | 'models'>,
  reference: string,
  alias: string,
): { event: AliasEvent | null; alias: ModelAlias } {
  const ref = parseModelReference(reference, 'model', true);
  const version = ctx.store.models.getVersion(ref.name, ref.version);
  const event = ctx.store.aliases.set(ref.name, alias, version.version, ctx.clock.now().toISOString());
  return { event, alias: ctx.store.aliases.get(ref.name, alias) as ModelAlias };
}

/** Removes an alias, recording it. @throws NotFoundError. */
export function removeAlias(
  ctx: ServiceContext<'aliases' | 'models'>,
  model: string,
  alias: string,
): AliasEvent {
  return ctx.store.aliases.remove(parseModelReference(model).name, alias, ctx.clock.now().toISOString());
}

/**
 * Which version held which alias when, activations included.
 * @throws NotFoundError for a model with neither versions nor alias history.
 */
export function aliasHistory(ctx: ServiceContext<'aliases' | 'models'>, model: string): AliasHistory {
  const name = parseModelReference(model).name;
  const events = ctx.store.aliases.history(name);
  if (events.length === 0) ctx.store.models.showModel(name); // throws NotFound for unknown models
  return { model: name, current: ctx.store.aliases.list(name), events };
}

/**
 * Moves an alias back to the version it held before (`active`: re-activates the previous version).
 * @throws NotFoundError when the alias has no earlier version or that version no longer exists.
 */
export function rollback(
  ctx: ServiceContext<'aliases' | 'models'>,
  model: string,
  alias = 'active',
): { alias: string; from: number | null; to: number } {
  const name = parseModelReference(model).name;
  const from = ctx.store.aliases.get(name, alias)?.version ?? null;
  const to = ctx.store.aliases.previous(name, alias);
  if (to === null)
    throw new NotFoundError(`${name}: alias "${alias}" has no earlier version to roll back to`);
  ctx.store.models.getVersion(name, to); // the earlier version may have been pruned
  if (alias === 'active') ctx.store.models.activate(name, to);
  else
    ctx.store.aliases.set(name, alias, to, ctx.clock.now().toISOString(), `rollback from ${from ?? 'none'}`);
  return { alias, from, to };
}
