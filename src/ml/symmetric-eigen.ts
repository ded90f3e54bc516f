/**
 * Eigendecomposition of a real symmetric matrix, A = V Λ Vᵀ: Householder reduction to
 * tridiagonal form, then the implicit QL algorithm with accumulated rotations (EISPACK's tred2 and
 * tql2, as JAMA transcribes them). Written by hand on Float64Array because the project dropped
 * ml-matrix (its per-element accessors were the bottleneck of every ridge fit) and the classic
 * algorithm is about 150 lines of code; a cyclic Jacobi solver was tried first and took ~14 s per
 * 434 × 434 Gram matrix (this: well under 1.5 s on a loaded machine).
 *
 * The working array holds Vᵀ (row i is eigenvector i) so that every inner loop, which in JAMA
 * walks a column of V, walks contiguous memory instead.
 */
import { PbiError } from '../domain/errors.js';

export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  readonly values: Float64Array;
  /** n × n row-major; row i is the unit eigenvector of `values[i]`. */
  readonly vectors: Float64Array;
}

/**
 * The eigenvalues and orthonormal eigenvectors of the symmetric n × n row-major matrix `a` (only
 * its lower triangle is read; `a` is not modified).
 * @throws PbiError (MODEL) if QL does not converge (not seen for finite input).
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  // w[c*n + r] stands for JAMA's V[r][c]; a symmetric input is its own transpose.
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = a[i * n + j] as number;
      w[i * n + j] = v;
      w[j * n + i] = v;
    }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: w };
  tridiagonalize(w, n, d, e);
  qlImplicit(w, n, d, e);
  return { values: d, vectors: w };
}

/** tred2: Householder reduction; leaves the diagonal in d, the off-diagonal in e[1..], Q in w. */
function tridiagonalize(w: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = w[j * n + n - 1] as number;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k] as number);
    if (scale === 0) {
      e[i] = d[i - 1] as number;
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + i - 1] as number;
        w[j * n + i] = 0;
        w[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = (d[k] as number) / scale;
        h += (d[k] as number) * (d[k] as number);
      }
      let f = d[i - 1] as number;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        const cj = j * n;
        f = d[j] as number;
        w[i * n + j] = f;
        g = (e[j] as number) + (w[cj + j] as number) * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const v = w[cj + k] as number;
          g += v * (d[k] as number);
          e[k] = (e[k] as number) + v * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = (e[j] as number) / h;
        f += (e[j] as number) * (d[j] as number);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = (e[j] as number) - hh * (d[j] as number);
      for (let j = 0; j < i; j++) {
        const cj = j * n;
        f = d[j] as number;
        g = e[j] as number;
        for (let k = j; k <= i - 1; k++)
          w[cj + k] = (w[cj + k] as number) - (f * (e[k] as number) + g * (d[k] as number));
        d[j] = w[cj + i - 1] as number;
        w[cj + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    const ci = i * n;
    const c1 = (i + 1) * n;
    w[ci + n - 1] = w[ci + i] as number;
    w[ci + i] = 1;
    const h = d[i + 1] as number;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = (w[c1 + k] as number) / h;
      for (let j = 0; j <= i; j++) {
        const cj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += (w[c1 + k] as number) * (w[cj + k] as number);
        for (let k = 0; k <= i; k++) w[cj + k] = (w[cj + k] as number) - g * (d[k] as number);
      }
    }
    for (let k = 0; k <= i; k++) w[c1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = w[j * n + n - 1] as number;
    w[j * n + n - 1] = 0;
  }
  w[n * n - 1] = 1;
  e[0] = 0;
}

/** hypot without Math.hypot's cost, safe from overflow. */
function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) return x * Math.sqrt(1 + (y / x) * (y / x));
  return y === 0 ? 0 : y * Math.sqrt(1 + (x / y) * (x / y));
}

/** tql2: implicit QL on the tridiagonal (d, e), rotating the rows of w; sorts ascending. */
function qlImplicit(w: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i] as number;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l] as number) + Math.abs(e[l] as number));
    let m = l;
    while (m < n && Math.abs(e[m] as number) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new PbiError('MODEL', 'symmetric eigendecomposition did not converge');
        let g = d[l] as number;
        let p = ((d[l + 1] as number) - g) / (2 * (e[l] as number));
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = (e[l] as number) / (p + r);
        d[l + 1] = (e[l] as number) * (p + r);
        const dl1 = d[l + 1] as number;
        let h = g - (d[l] as number);
        for (let i = l + 2; i < n; i++) d[i] = (d[i] as number) - h;
        f += h;
        p = d[m] as number;
        let c = 1;
        let c2 = 1;
        let c3 = 1;
        const el1 = e[l + 1] as number;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * (e[i] as number);
          h = c * p;
          r = hypot(p, e[i] as number);
          e[i + 1] = s * r;
          s = (e[i] as number) / r;
          c = p / r;
          p = c * (d[i] as number) - s * g;
          d[i + 1] = h + s * (c * g + s * (d[i] as number));
          const ci = i * n;
          const c1 = ci + n;
          for (let k = 0; k < n; k++) {
            const t = w[c1 + k] as number;
            const u = w[ci + k] as number;
            w[c1 + k] = s * u + c * t;
            w[ci + k] = c * u - s * t;
          }
        }
        p = (-s * s2 * c3 * el1 * (e[l] as number)) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l] as number) > eps * tst1);
    }
    d[l] = (d[l] as number) + f;
    e[l] = 0;
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i] as number;
    for (let j = i + 1; j < n; j++)
      if ((d[j] as number) < p) {
        k = j;
        p = d[j] as number;
      }
    if (k !== i) {
      d[k] = d[i] as number;
      d[i] = p;
      const row = w.slice(i * n, i * n + n);
      w.copyWithin(i * n, k * n, k * n + n);
      w.set(row, k * n);
    }
  }
}
