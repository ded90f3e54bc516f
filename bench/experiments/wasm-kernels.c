/*
 * Experiment, not product code (see wasm-kernels.ts beside it): the tree learner's two hottest
 * loops (src/ml/tree/histogram-kernels.ts addRows and split-search.ts scanBins, for one output and for six), written in C to measure
 * what a WebAssembly learner would gain over V8's code for the same loops.
 * Build: clang --target=wasm32 -O3 -msimd128 -nostdlib -Wl,--no-entry -Wl,--export-all \
 *          -Wl,--import-memory -o wasm-kernels.wasm wasm-kernels.c   (Debian: apt-get install clang lld)
 */
#include <stdint.h>
#define INF (__builtin_inf())
void add_rows_k1(double* h, const uint8_t* bins, const int32_t* off, const int32_t* idx, const double* wy,
                 int n, int p, int N, double sign) {
  for (int f = 0; f < p; f++) {
    const uint8_t* col = bins + (long)f * N;
    int o = off[f];
    for (int i = 0; i < n; i++) {
      int j = (o + col[idx[i]]) << 1;
      h[j] += sign;
      h[j + 1] += wy[i];
    }
  }
}
double scan_k1(const double* h, const int32_t* off, int p, double n, double w, double t0, double minLeaf,
               int32_t* out) {
  double best = -INF;
  int bf = -1, bb = -1;
  for (int f = 0; f < p; f++) {
    int b0 = off[f], end = off[f + 1];
    if (end - b0 < 2) continue;
    double cn = 0, cw = 0, s0 = 0;
    int prev = -1;
    for (int b = b0; b < end; b++) {
      double c = h[2 * b];
      if (c == 0) continue;
      if (prev >= 0 && cn >= minLeaf) {
        if (n - cn < minLeaf) break;
        double r0 = t0 - s0;
        double gain = s0 * s0 / cw + r0 * r0 / (w - cw);
        if (gain > best) { best = gain; bf = f; bb = prev; }
      }
      cn += c; cw += c; s0 += h[2 * b + 1]; prev = b;
    }
  }
  out[0] = bf; out[1] = bb;
  return best;
}
void add_rows_k6(double* h, const uint8_t* bins, const int32_t* off, const int32_t* idx, const double* ww,
                 const double* wy, int n, int p, int N, double sign) {
  for (int f = 0; f < p; f++) {
    const uint8_t* col = bins + (long)f * N;
    int o = off[f];
    for (int i = 0; i < n; i++) {
      double* q = h + (o + col[idx[i]]) * 8;
      const double* y = wy + i * 6;
      q[0] += sign; q[1] += ww[i];
      q[2] += y[0]; q[3] += y[1]; q[4] += y[2]; q[5] += y[3]; q[6] += y[4]; q[7] += y[5];
    }
  }
}
double scan_k6(const double* h, const int32_t* off, int p, double n, double w, const double* t, double minLeaf,
               int32_t* out) {
  double best = -INF;
  int bf = -1, bb = -1;
  for (int f = 0; f < p; f++) {
    int b0 = off[f], end = off[f + 1];
    if (end - b0 < 2) continue;
    double cn = 0, cw = 0, s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0;
    int prev = -1;
    for (int b = b0; b < end; b++) {
      const double* q = h + 8 * b;
      double c = q[0];
      if (c == 0) continue;
      if (prev >= 0 && cn >= minLeaf) {
        if (n - cn < minLeaf) break;
        double r0 = t[0] - s0, r1 = t[1] - s1, r2 = t[2] - s2, r3 = t[3] - s3, r4 = t[4] - s4, r5 = t[5] - s5;
        double gain = (s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3 + s4 * s4 + s5 * s5) / cw +
                      (r0 * r0 + r1 * r1 + r2 * r2 + r3 * r3 + r4 * r4 + r5 * r5) / (w - cw);
        if (gain > best) { best = gain; bf = f; bb = prev; }
      }
      cn += c; cw += q[1]; s0 += q[2]; s1 += q[3]; s2 += q[4]; s3 += q[5]; s4 += q[6]; s5 += q[7]; prev = b;
    }
  }
  out[0] = bf; out[1] = bb;
  return best;
}
