/**
 * Hints: what the user can do next, as data. A service says a text that holds a hint (`no draws are
 * stored; <load the history> first`) and each interface words the hint its own way: the command
 * line as its command or flag, the API in its field names, the dashboard as the button or page that
 * does it. Services never word a hint in one interface's terms.
 */

/** One thing the user can do, or did, that an interface names its own way. */
export type Hint =
  /** Download the official results (stored draws stop before the last scheduled draw). */
  | { readonly kind: 'fetch-draws' }
  /** Import again, keeping the valid rows of a draw file. */
  | { readonly kind: 'import-valid-rows' }
  /** Import again, keeping the valid lines of a ticket file. */
  | { readonly kind: 'import-valid-lines' }
  /** Replace the stored draw of a date with `with` (the numbers sent). */
  | { readonly kind: 'overwrite-draw'; readonly with: string }
  /** Activate a version that the activation rule left inactive; `done`: it was. */
  | { readonly kind: 'force-activate'; readonly done?: true }
  /** Train a model (`first`: before what was asked; `for`: what it enables). */
  | { readonly kind: 'train-model'; readonly first?: true; readonly for?: 'ml-strategy' }
  /** Load the draw history (none, or none of the era, is stored). */
  | { readonly kind: 'load-history' }
  /** Score stored predictions against stored results. */
  | { readonly kind: 'evaluate' };

export type HintKind = Hint['kind'];

/** How one interface words a hint (the words fit where the service put the hint in its text). */
export type HintWords = (hint: Hint) => string;

/** Interface-free words: what a text says before (or without) an interface wording it. */
export const plainHintWords: HintWords = (hint) => {
  switch (hint.kind) {
    case 'fetch-draws':
      return 'fetch the official results';
    case 'import-valid-rows':
      return '(skip invalid rows to import the valid rows)';
    case 'import-valid-lines':
      return '(skip invalid lines to import the valid lines)';
    case 'overwrite-draw':
      return `(overwrite to replace it with ${hint.with})`;
    case 'force-activate':
      return hint.done ? 'activated by force' : 'forcing activation makes it active';
    case 'train-model':
      return `train a model${hint.first ? ' first' : ''}${hint.for === 'ml-strategy' ? ' to use the ml strategy' : ''}`;
    case 'load-history':
      return 'load the draw history first';
    case 'evaluate':
      return 'evaluating stored predictions scores it';
  }
};

type Part = string | Hint;

/** A text with hints in it; {@link Hinted.worded} words it for one interface. */
export class Hinted {
  readonly parts: readonly Part[];
  /** Marks the text in a copy that lost the class (a worker thread's message): see {@link revived}. */
  readonly hinted = true;

  constructor(parts: readonly Part[]) {
    this.parts = parts;
  }

  /** The hints in the text, in order. */
  get hints(): readonly Hint[] {
    return this.parts.filter((p): p is Hint => typeof p !== 'string');
  }

  /** The text with each hint in `words`. */
  worded(words: HintWords): string {
    return this.parts.map((p) => (typeof p === 'string' ? p : words(p))).join('');
  }

  /** The interface-free words (logs, or a text that reached no interface). */
  toString(): string {
    return this.worded(plainHintWords);
  }

  toJSON(): string {
    return this.toString();
  }
}

/** A text that may hold hints. */
export type Said = string | Hinted;

const isHint = (v: unknown): v is Hint => typeof v === 'object' && v !== null && 'kind' in v;

/**
 * Builds a text from a template whose values are plain values, hints or other texts:
 * `` said`no draws are stored; ${{ kind: 'load-history' }}` ``. Without hints it is a plain string.
 */
export function said(strings: TemplateStringsArray, ...values: readonly unknown[]): Said {
  const parts: Part[] = [];
  const push = (p: Part) => {
    const last = parts.at(-1);
    if (typeof p === 'string' && typeof last === 'string') parts[parts.length - 1] = last + p;
    else if (p !== '') parts.push(p);
  };
  strings.forEach((s, i) => {
    push(s);
    if (i >= values.length) return;
    const v = values[i];
    if (v instanceof Hinted) v.parts.forEach(push);
    else if (isHint(v)) push(v);
    else push(String(v));
  });
  return parts.every((p) => typeof p === 'string') ? parts.join('') : new Hinted(parts);
}

/** `text` in `words`. */
export function worded(text: Said, words: HintWords): string {
  return typeof text === 'string' ? text : text.worded(words);
}

/**
 * `value` from a structured clone (a worker thread's message) with its hinted texts, which arrived
 * as plain `{ parts, hinted: true }` objects, made {@link Hinted} again.
 */
export function revived<T>(value: T): T {
  return rebuilt(value, (v) => {
    const o = v as Record<string, unknown>;
    return typeof o === 'object' && o !== null && o.hinted === true && Array.isArray(o.parts)
      ? new Hinted(o.parts as Part[])
      : undefined;
  }) as T;
}

/**
 * `value` with each part that `replace` answers for replaced, arrays and plain objects copied only
 * where something inside them changed: most answers hold no hint and are returned as they are, with
 * no copy of a large list.
 */
function rebuilt(value: unknown, replace: (v: unknown) => unknown): unknown {
  const walk = (v: unknown): unknown => {
    const r = replace(v);
    if (r !== undefined) return r;
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      v.forEach((x, i) => {
        const w = walk(x);
        if (w !== x) (copy ??= [...v])[i] = w;
      });
      return copy ?? v;
    }
    if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return v;
    let copy: Record<string, unknown> | undefined;
    for (const [k, x] of Object.entries(v)) {
      const w = walk(x);
      if (w !== x) (copy ??= { ...v })[k] = w;
    }
    return copy ?? v;
  };
  return walk(value);
}

/** `T` with every hinted text worded as a string. */
export type Worded<T> = T extends Hinted
  ? string
  : T extends string | number | boolean | bigint | symbol | null | undefined
    ? T
    : T extends object
      ? { [K in keyof T]: Worded<T[K]> }
      : T;

/**
 * A report with every hinted text in it worded by `words`; `found` collects the hints met (with the
 * words they were given), for an interface that also hands them over as data.
 */
export function wordedAll<T>(value: T, words: HintWords, found?: Hint[]): Worded<T> {
  return rebuilt(value, (v) => {
    if (!(v instanceof Hinted)) return undefined;
    found?.push(...v.hints);
    return v.worded(words);
  }) as Worded<T>;
}
