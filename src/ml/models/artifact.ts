/**
 * Model artifacts (STYLE §11): versioned, discriminated data, never code.
 *
 * Layout (little-endian):
 *   bytes 0..3   magic "PBIM"
 *   bytes 4..7   format version (u32)
 *   bytes 8..11  header length H (u32)
 *   bytes 12..15 binary length B (u32)
 *   bytes 16..19 CRC-32 of everything after byte 20
 *   20..20+H     UTF-8 JSON header `{ formatVersion, kind, ... }`; each typed array in it is a
 *                reference `{ "$a": "f64" | "i32", "o": byteOffset, "n": length }` into the binary part
 *   then         zero padding to a multiple of 8, then the binary part (B bytes)
 * Numbers travel as raw IEEE-754 bytes, so a loaded model predicts bit-identically.
 */
import { PbiError } from '../../domain/errors.js';
import type { JsonObject, JsonValue } from '../../domain/json.js';
import type { FittedModel, ModelKind } from '../regressor.js';
import { BoostingModel } from './boosting-model.js';
import { ForestModel } from './forest-model.js';
import { LinearModel } from './linear-model.js';
import { MultiOutputModel } from './multi-output-model.js';
import { PipelineModel } from './pipeline-model.js';
import { StandardScaler } from './standard-scaler.js';
import { TreeModel } from './tree-model.js';

/** The artifact format this code writes and the only one it reads. */
export const MODEL_FORMAT_VERSION = 1;
const MAGIC = [0x50, 0x42, 0x49, 0x4d]; // "PBIM"
const PREFIX = 20;
/** Nesting limit of models inside models (pipeline > multi-output > forest > tree is 4). */
const MAX_DEPTH = 16;

type ArrayTag = 'f64' | 'i32';
interface ArrayRef {
  $a: ArrayTag;
  o: number;
  n: number;
}

function artifactError(message: string, cause?: unknown): PbiError {
  return new PbiError('MODEL', `model artifact: ${message}`, [], cause === undefined ? undefined : { cause });
}

let crcTable: Int32Array | null = null;
/** CRC-32 (IEEE), to tell a damaged artifact from a valid one before trusting its numbers. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  const t = crcTable;
  let crc = -1;
  for (let i = start; i < end; i++) crc = (t[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

class BinaryWriter {
  private chunks: Uint8Array[] = [];
  length = 0;

  add(tag: ArrayTag, values: Float64Array | Int32Array): ArrayRef {
    const o = this.length;
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    this.chunks.push(bytes);
    this.length += bytes.length;
    const pad = (8 - (this.length % 8)) % 8;
    if (pad) {
      this.chunks.push(new Uint8Array(pad));
      this.length += pad;
    }
    return { $a: tag, o, n: values.length };
  }

  writeTo(out: Uint8Array, at: number): void {
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
  }
}

function encodeModel(m: FittedModel, w: BinaryWriter): JsonObject {
  if (m instanceof LinearModel) {
    return {
      kind: m.kind,
      nFeatures: m.nFeatures,
      nOutputs: m.nOutputs,
      coef: { ...w.add('f64', m.coef) },
      intercept: { ...w.add('f64', m.intercept) },
    };
  }
  if (m instanceof StandardScaler) {
    return {
      kind: m.kind,
      nFeatures: m.nFeatures,
      mean: m.mean ? { ...w.add('f64', m.mean) } : null,
      scale: m.scale ? { ...w.add('f64', m.scale) } : null,
    };
  }
  if (m instanceof TreeModel) {
    return {
      kind: m.kind,
      nFeatures: m.nFeatures,
      nOutputs: m.nOutputs,
      childrenLeft: { ...w.add('i32', m.childrenLeft) },
      childrenRight: { ...w.add('i32', m.childrenRight) },
      feature: { ...w.add('i32', m.feature) },
      threshold: { ...w.add('f64', m.threshold) },
      value: { ...w.add('f64', m.value) },
      nodeWeight: m.nodeWeight ? { ...w.add('f64', m.nodeWeight) } : null,
      impurity: m.impurity ? { ...w.add('f64', m.impurity) } : null,
    };
  }
  if (m instanceof ForestModel) return { kind: m.kind, trees: m.trees.map((t) => encodeModel(t, w)) };
  if (m instanceof BoostingModel) {
    return {
      kind: m.kind,
      nFeatures: m.nFeatures,
      nOutputs: m.nOutputs,
      init: { ...w.add('f64', m.init) },
      learningRate: m.learningRate,
      stages: m.stages.map((s) => s.map((t) => encodeModel(t, w))),
    };
  }
  if (m instanceof PipelineModel) return { kind: m.kind, steps: m.steps.map((s) => encodeModel(s, w)) };
  if (m instanceof MultiOutputModel) return { kind: m.kind, models: m.models.map((s) => encodeModel(s, w)) };
  throw artifactError(
    `cannot serialize a model of kind ${String(m.kind)} (not one of the native model classes)`,
  );
}

/**
 * Serializes a native fitted model (any class of `src/ml/models`) to artifact bytes.
 * @throws PbiError (MODEL) for a model that is not one of the native classes.
 */
export function serializeModel(model: FittedModel): Uint8Array {
  const w = new BinaryWriter();
  const header = { formatVersion: MODEL_FORMAT_VERSION, ...encodeModel(model, w) };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const binStart = PREFIX + headerBytes.length + ((8 - ((PREFIX + headerBytes.length) % 8)) % 8);
  const out = new Uint8Array(binStart + w.length);
  out.set(MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(4, MODEL_FORMAT_VERSION, true);
  dv.setUint32(8, headerBytes.length, true);
  dv.setUint32(12, w.length, true);
  out.set(headerBytes, PREFIX);
  w.writeTo(out, binStart);
  dv.setUint32(16, crc32(out, PREFIX), true);
  return out;
}

/** The kind and format version of an artifact, read from its header without building the model. */
export function peekModelKind(bytes: Uint8Array): { kind: ModelKind; formatVersion: number } {
  const { header } = readEnvelope(bytes);
  return { kind: header.kind as ModelKind, formatVersion: header.formatVersion as number };
}

function readEnvelope(bytes: Uint8Array): { header: JsonObject; bin: Uint8Array } {
  if (!(bytes instanceof Uint8Array)) throw artifactError('expected bytes');
  if (bytes.length < PREFIX || MAGIC.some((b, i) => bytes[i] !== b))
    throw artifactError('not a model artifact (bad magic)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== MODEL_FORMAT_VERSION) {
    throw artifactError(
      `format version ${version} is not supported (this build reads ${MODEL_FORMAT_VERSION})`,
    );
  }
  const h = dv.getUint32(8, true);
  const b = dv.getUint32(12, true);
  const binStart = PREFIX + h + ((8 - ((PREFIX + h) % 8)) % 8);
  if (binStart + b !== bytes.length) throw artifactError('truncated or padded (lengths do not match)');
  if (crc32(bytes, PREFIX) !== dv.getUint32(16, true))
    throw artifactError('checksum mismatch (corrupt bytes)');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX, PREFIX + h)));
  } catch (e) {
    throw artifactError('header is not valid JSON', e);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw artifactError('header is not an object');
  const hd = header as JsonObject;
  if (hd.formatVersion !== MODEL_FORMAT_VERSION)
    throw artifactError(`header format version ${String(hd.formatVersion)}`);
  if (typeof hd.kind !== 'string') throw artifactError('header has no kind');
  return { header: hd, bin: bytes.subarray(binStart) };
}

class Reader {
  constructor(private readonly bin: Uint8Array) {}

  obj(v: JsonValue | undefined, where: string): JsonObject {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw artifactError(`${where} is not an object`);
    return v;
  }

  list(v: JsonValue | undefined, where: string): JsonValue[] {
    if (!Array.isArray(v)) throw artifactError(`${where} is not a list`);
    return v;
  }

  num(v: JsonValue | undefined, where: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw artifactError(`${where} is not a finite number`);
    return v;
  }

  array(v: JsonValue | undefined, tag: 'f64', where: string): Float64Array;
  array(v: JsonValue | undefined, tag: 'i32', where: string): Int32Array;
  array(v: JsonValue | undefined, tag: ArrayTag, where: string): Float64Array | Int32Array {
    const r = this.obj(v, where);
    if (r.$a !== tag) throw artifactError(`${where} should be a ${tag} array`);
    const o = r.o;
    const n = r.n;
    const size = tag === 'f64' ? 8 : 4;
    if (!Number.isSafeInteger(o) || !Number.isSafeInteger(n) || (o as number) < 0 || (n as number) < 0) {
      throw artifactError(`${where} has a bad array reference`);
    }
    const start = o as number;
    const end = start + (n as number) * size;
    if (end > this.bin.length) throw artifactError(`${where} points outside the artifact`);
    // Copy into a fresh, aligned buffer: the input may sit at any byte offset.
    const copy = this.bin.slice(start, end).buffer;
    return tag === 'f64' ? new Float64Array(copy) : new Int32Array(copy);
  }

  optionalArray(v: JsonValue | undefined, where: string): Float64Array | null {
    return v === null || v === undefined ? null : this.array(v, 'f64', where);
  }

  tree(v: JsonValue | undefined, where: string, depth: number): TreeModel {
    const m = this.model(v, where, depth);
    if (!(m instanceof TreeModel)) throw artifactError(`${where} should be a decision tree`);
    return m;
  }

  model(v: JsonValue | undefined, where: string, depth: number): FittedModel {
    if (depth > MAX_DEPTH) throw artifactError('models nested too deeply');
    const n = this.obj(v, where);
    const kind = n.kind;
    switch (kind) {
      case 'linear':
      case 'ridge':
      case 'lasso':
        return new LinearModel({
          kind,
          nFeatures: this.num(n.nFeatures, `${where}.nFeatures`),
          nOutputs: this.num(n.nOutputs, `${where}.nOutputs`),
          coef: this.array(n.coef, 'f64', `${where}.coef`),
          intercept: this.array(n.intercept, 'f64', `${where}.intercept`),
        });
      case 'standard_scaler':
        return new StandardScaler({
          nFeatures: this.num(n.nFeatures, `${where}.nFeatures`),
          mean: this.optionalArray(n.mean, `${where}.mean`),
          scale: this.optionalArray(n.scale, `${where}.scale`),
        });
      case 'decision_tree':
        return new TreeModel({
          nFeatures: this.num(n.nFeatures, `${where}.nFeatures`),
          nOutputs: this.num(n.nOutputs, `${where}.nOutputs`),
          childrenLeft: this.array(n.childrenLeft, 'i32', `${where}.childrenLeft`),
          childrenRight: this.array(n.childrenRight, 'i32', `${where}.childrenRight`),
          feature: this.array(n.feature, 'i32', `${where}.feature`),
          threshold: this.array(n.threshold, 'f64', `${where}.threshold`),
          value: this.array(n.value, 'f64', `${where}.value`),
          nodeWeight: this.optionalArray(n.nodeWeight, `${where}.nodeWeight`),
          impurity: this.optionalArray(n.impurity, `${where}.impurity`),
        });
      case 'random_forest':
        return new ForestModel(
          this.list(n.trees, `${where}.trees`).map((t, i) => this.tree(t, `${where}.trees[${i}]`, depth + 1)),
        );
      case 'gradient_boosting':
        return new BoostingModel({
          nFeatures: this.num(n.nFeatures, `${where}.nFeatures`),
          nOutputs: this.num(n.nOutputs, `${where}.nOutputs`),
          init: this.array(n.init, 'f64', `${where}.init`),
          learningRate: this.num(n.learningRate, `${where}.learningRate`),
          stages: this.list(n.stages, `${where}.stages`).map((s, i) =>
            this.list(s, `${where}.stages[${i}]`).map((t, j) =>
              this.tree(t, `${where}.stages[${i}][${j}]`, depth + 1),
            ),
          ),
        });
      case 'pipeline':
        return new PipelineModel(
          this.list(n.steps, `${where}.steps`).map((s, i) =>
            this.model(s, `${where}.steps[${i}]`, depth + 1),
          ),
        );
      case 'multi_output':
      case 'stacked_outputs':
        return new MultiOutputModel(
          this.list(n.models, `${where}.models`).map((s, i) =>
            this.model(s, `${where}.models[${i}]`, depth + 1),
          ),
          kind,
        );
      default:
        throw artifactError(`${where} has unknown kind ${JSON.stringify(kind)}`);
    }
  }
}

/**
 * Loads a model written by {@link serializeModel}. Predictions are bit-identical to the original's.
 * @param expectedKind when given, the artifact must hold a model of this kind.
 * @throws PbiError (MODEL) for bytes that are not an artifact, another format version, a damaged
 *   artifact (checksum, lengths, references) or inconsistent model parameters.
 */
export function deserializeModel(bytes: Uint8Array, expectedKind?: ModelKind): FittedModel {
  const { header, bin } = readEnvelope(bytes);
  if (expectedKind !== undefined && header.kind !== expectedKind) {
    throw artifactError(`holds a ${String(header.kind)} model, expected ${expectedKind}`);
  }
  try {
    return new Reader(bin).model(header, 'model', 0);
  } catch (e) {
    if (e instanceof PbiError && e.code === 'MODEL') throw e;
    throw artifactError('invalid model data', e);
  }
}
