/**
 * Many dot products between vectors stored one after another in typed arrays: ridge's Gram matrix
 * (XᵀX from X's columns, or the kernel XXᵀ from its rows) and, in ridge with alpha by CV, the
 * projection of test rows onto the eigenvectors. Both are most of their fit's cost, so both go
 * through one blocked kernel (addDotBlock): two vectors by four at a time, so each load serves
 * several products (one running sum is bound by add latency). Each product still sums its terms in
 * order from 0, so the results do not depend on the blocking.
 */

/** The dot product of the `len` values at `a` in `x` and at `b` in `u`, summed in order. */
export function dot(x: Float64Array, a: number, u: Float64Array, b: number, len: number): number {
  let s = 0;
  for (let r = 0; r < len; r++) s += (x[a + r] as number) * (u[b + r] as number);
  return s;
}

/**
 * Adds to out[o0 .. o0+3] the dot products of the vector at `a0` in `x` with the four vectors at
 * b, b+len, b+2·len, b+3·len in `u`, and to out[o1 .. o1+3] those of the vector at `a1`.
 */
export function addDotBlock(
  x: Float64Array,
  a0: number,
  a1: number,
  u: Float64Array,
  b: number,
  len: number,
  out: Float64Array,
  o0: number,
  o1: number,
): void {
  const b1 = b + len;
  const b2 = b1 + len;
  const b3 = b2 + len;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  for (let r = 0; r < len; r++) {
    const x0 = x[a0 + r] as number;
    const x1 = x[a1 + r] as number;
    const u0 = u[b + r] as number;
    const u1 = u[b1 + r] as number;
    const u2 = u[b2 + r] as number;
    const u3 = u[b3 + r] as number;
    s0 += x0 * u0;
    s1 += x0 * u1;
    s2 += x0 * u2;
    s3 += x0 * u3;
    t0 += x1 * u0;
    t1 += x1 * u1;
    t2 += x1 * u2;
    t3 += x1 * u3;
  }
  out[o0] = (out[o0] as number) + s0;
  out[o0 + 1] = (out[o0 + 1] as number) + s1;
  out[o0 + 2] = (out[o0 + 2] as number) + s2;
  out[o0 + 3] = (out[o0 + 3] as number) + s3;
  out[o1] = (out[o1] as number) + t0;
  out[o1 + 1] = (out[o1 + 1] as number) + t1;
  out[o1 + 2] = (out[o1 + 2] as number) + t2;
  out[o1 + 3] = (out[o1 + 3] as number) + t3;
}

/**
 * Adds the lower triangle of V Vᵀ to `a` (count × count, row-major), V being `count` vectors of
 * `len` values stored one after another: XᵀX from X's columns (column-major), or the kernel XXᵀ
 * from its rows.
 */
export function addGram(v: Float64Array, count: number, len: number, a: Float64Array): void {
  let i = 0;
  for (; i + 1 < count; i += 2) {
    const vi = i * len;
    const vk = vi + len;
    const ai = i * count;
    const ak = ai + count;
    let j = 0;
    for (; j + 3 <= i; j += 4) addDotBlock(v, vi, vk, v, j * len, len, a, ai + j, ak + j);
    for (let c = j; c <= i; c++) a[ai + c] = (a[ai + c] as number) + dot(v, vi, v, c * len, len);
    for (let c = j; c <= i + 1; c++) a[ak + c] = (a[ak + c] as number) + dot(v, vk, v, c * len, len);
  }
  if (i < count) {
    const ai = i * count;
    for (let c = 0; c <= i; c++) a[ai + c] = (a[ai + c] as number) + dot(v, i * len, v, c * len, len);
  }
}

/** Z = R Vᵀ (m × q) for m rows R (m × p) and q vectors V (q × p), all row-major. */
export function projectRows(
  rows: Float64Array,
  m: number,
  p: number,
  v: Float64Array,
  q: number,
): Float64Array {
  const z = new Float64Array(m * q);
  let r = 0;
  for (; r + 1 < m; r += 2) {
    const a0 = r * p;
    const a1 = a0 + p;
    const z0 = r * q;
    const z1 = z0 + q;
    let i = 0;
    for (; i + 4 <= q; i += 4) addDotBlock(rows, a0, a1, v, i * p, p, z, z0 + i, z1 + i);
    for (; i < q; i++) {
      z[z0 + i] = dot(rows, a0, v, i * p, p);
      z[z1 + i] = dot(rows, a1, v, i * p, p);
    }
  }
  if (r < m) for (let i = 0; i < q; i++) z[r * q + i] = dot(rows, r * p, v, i * p, p);
  return z;
}
