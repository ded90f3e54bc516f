/**
 * What one parse may consume, and the running account of what it has allocated. Every limit breach
 * is an `UnsafePickleError('limit')`; together the limits keep a hostile file under 1 GB of heap.
 */
import { UnsafePickleError } from './errors.js';

/** Bounds on what one parse may consume. Every limit breach is an `UnsafePickleError('limit')`. */
export interface PickleLimits {
  /** Largest input accepted, in bytes. */
  readonly maxInputBytes: number;
  /** Deepest value nesting (and MARK nesting) accepted. */
  readonly maxDepth: number;
  /** Most memo entries. */
  readonly maxMemo: number;
  /** Most items on the parse stack at one level. */
  readonly maxStack: number;
  /** Rough budget of memory the parse may allocate (strings, bytes, arrays, containers), in bytes. */
  readonly maxAllocatedBytes: number;
  /** Most values in the tree counting shared references every time (stops "billion laughs" via the memo). */
  readonly maxExpandedValues: number;
  /** Most bytes in one Python int (LONG1/LONG4). */
  readonly maxIntBytes: number;
  /** How deeply joblib object arrays may nest pickles inside pickles. */
  readonly maxNestedPickles: number;
}

export const DEFAULT_PICKLE_LIMITS: PickleLimits = Object.freeze({
  // Input and allocations together stay well under 1 GB of heap, whatever the file holds; the
  // largest real legacy file (a 100-tree forest) is tens of megabytes.
  maxInputBytes: 256 * 1024 * 1024,
  maxDepth: 256,
  maxMemo: 10_000_000,
  maxStack: 10_000_000,
  maxAllocatedBytes: 512 * 1024 * 1024,
  maxExpandedValues: 200_000_000,
  maxIntBytes: 4096,
  maxNestedPickles: 4,
});

/**
 * What V8 really spends (64-bit, measured with --expose-gc): a small object or array ~48 bytes, one
 * array slot 8, an empty Map ~190 (its hash table is allocated up front), a Map entry ~48 with
 * the table's growth slack. Charging less let 36 million EMPTY_DICTs through a 2 GB "budget".
 */
export const OBJECT_COST = 48;
export const SLOT = 8;
export const MAP_COST = 192;
export const MAP_ENTRY = 48;

/** Shared between a pickle and the pickles nested in it, so limits hold for the whole file. */
export class Budget {
  allocated = 0;
  /** Containers handed out more than once (memo GET, DUP): the only ones that can be shared or cyclic. */
  readonly shared = new Set<object>();

  constructor(private readonly maxAllocatedBytes: number) {}

  /**
   * Adds `n` bytes to the account, before they are allocated.
   * @throws UnsafePickleError ('limit') at byte `at` once the total passes the limit.
   */
  charge(n: number, at: number): void {
    this.allocated += n;
    if (this.allocated > this.maxAllocatedBytes) {
      throw new UnsafePickleError(
        'limit',
        `pickle would allocate more than ${this.maxAllocatedBytes} bytes`,
        at,
      );
    }
  }
}
