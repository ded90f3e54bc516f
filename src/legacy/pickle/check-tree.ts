/**
 * The limits that hold for the finished tree rather than for any one opcode: no reference cycles,
 * no nesting deeper than maxDepth, and no expansion (shared references counted every time) beyond
 * maxExpandedValues, so a consumer walking the tree cannot be made to loop or explode.
 */
import { UnsafePickleError } from './errors.js';
import type { PickleLimits } from './limits.js';
import type { PickleValue } from './values.js';

const NO_KIDS: readonly object[] = [];

/**
 * The children of a container that are themselves containers, and how many other (leaf) children it
 * has; null for a leaf value. Strings, numbers and bytes never need walking.
 */
function containerKids(v: PickleValue): { kids: readonly object[]; leaves: number } | null {
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return null;
  let items: readonly PickleValue[];
  if (Array.isArray(v)) items = v;
  else if (v instanceof Map) {
    let kids: object[] | null = null;
    let leaves = 0;
    for (const [k, x] of v) {
      if (k !== null && typeof k === 'object' && !(k instanceof Uint8Array)) (kids ??= []).push(k);
      else leaves++;
      if (x !== null && typeof x === 'object' && !(x instanceof Uint8Array)) (kids ??= []).push(x);
      else leaves++;
    }
    return { kids: kids ?? NO_KIDS, leaves };
  } else {
    switch (v.kind) {
      case 'tuple':
      case 'set':
        items = v.items;
        break;
      case 'object': {
        const all: PickleValue[] = [...v.args];
        if (v.kwargs) all.push(v.kwargs);
        if (v.state !== undefined) all.push(v.state);
        items = all;
        break;
      }
      case 'datetime':
        items = v.tz ? [v.tz] : [];
        break;
      case 'ndarray':
        if (Array.isArray(v.data)) items = v.data;
        else if (v.data instanceof Map) items = [...v.data.values()];
        else return null;
        break;
      default:
        return null;
    }
  }
  let kids: object[] | null = null;
  let leaves = 0;
  for (let i = 0; i < items.length; i++) {
    const x = items[i];
    if (x !== null && typeof x === 'object' && !(x instanceof Uint8Array)) (kids ??= []).push(x);
    else leaves++;
  }
  return { kids: kids ?? NO_KIDS, leaves };
}

/**
 * Rejects cycles, trees deeper than maxDepth, and trees that would expand (counting shared
 * references each time) beyond maxExpandedValues. Iterative, so hostile depth cannot overflow the
 * JS stack. Only containers the parser handed out twice (`shared`) can be reached twice, so only
 * they are cached and cycle-checked: linear time without hashing every node.
 */
export function checkTree(root: PickleValue, limits: PickleLimits, shared: Set<object>): void {
  const cache = new Map<object, { h: number; n: number }>();
  const onPath = new Set<object>();
  type Frame = { node: object; kids: readonly object[]; i: number; h: number; n: number };
  const frames: Frame[] = [];
  const tooDeep = (): never => {
    throw new UnsafePickleError('limit', `pickle value nested deeper than ${limits.maxDepth}`, -1);
  };
  const finish = (node: object, h: number, n: number): void => {
    if (h > limits.maxDepth) tooDeep();
    if (n > limits.maxExpandedValues) {
      throw new UnsafePickleError(
        'limit',
        `pickle expands to more than ${limits.maxExpandedValues} values through shared references`,
        -1,
      );
    }
    if (shared.has(node)) {
      cache.set(node, { h, n });
      onPath.delete(node);
    }
    const parent = frames[frames.length - 1];
    if (parent) {
      parent.h = Math.max(parent.h, h + 1);
      parent.n += n;
    }
  };
  /** Visits v: either finishes it at once (leaf, cached, no container children) or pushes a frame. */
  const visit = (v: object): void => {
    const isShared = shared.has(v);
    if (isShared) {
      const c = cache.get(v);
      if (c) return (finish(v, c.h, c.n), undefined);
      if (onPath.has(v))
        throw new UnsafePickleError('malformed', 'pickle value contains itself (a reference cycle)', -1);
    }
    const k = containerKids(v as PickleValue);
    if (!k) return finish(v, 0, 1);
    if (k.kids.length === 0) return finish(v, 1, 1 + k.leaves);
    if (frames.length >= limits.maxDepth) tooDeep();
    if (isShared) onPath.add(v);
    frames.push({ node: v, kids: k.kids, i: 0, h: 1, n: 1 + k.leaves });
  };
  if (root === null || typeof root !== 'object') return;
  visit(root);
  while (frames.length) {
    const f = frames[frames.length - 1] as Frame;
    if (f.i < f.kids.length) {
      visit(f.kids[f.i++] as object);
      continue;
    }
    frames.pop();
    finish(f.node, f.h, f.n);
  }
}
