#!/usr/bin/python3
"""numpy peer of feature engineering (issue 9): the feature matrix of src/ml/features (feature set 1:
sliding-window frequencies, gaps, weekday, last-draw statistics, rolling means, pair/triplet
recurrence; current era, windows 10/50/100, warm-up 100) computed the way a numpy user would:
vectorised, cumulative sums for the windows, a running maximum for the gaps, a sort for the pair and
triplet recurrence. No pandas: numpy alone is the fast Python baseline.

  --draws FILE   draws CSV (draw_date, white_1..white_5, powerball[, multiplier]); only current-era
                 draws (from 2015-10-07) are used, as by `pbi features export`.
  --check FILE   a `pbi features export` CSV of the same draws: exits 1 unless every cell matches.
  --repeat N     timed builds (median reported), after one warm-up build.

Prints one JSON line: {"rows", "features", "median_ms", "max_abs_diff" (with --check), "numpy"}.
"""
import argparse
import datetime as dt
import json
import statistics
import sys
import time

import numpy as np

ERA_FROM = "2015-10-07"
W, P = 69, 26
WINDOWS = (10, 50, 100)
WARMUP = max(WINDOWS)
HALF = W >> 1


def read_draws(path):
    dates, whites, pbs = [], [], []
    with open(path) as f:
        next(f)
        for line in f:
            c = line.rstrip("\n").split(",")
            if c[0] < ERA_FROM:
                continue
            dates.append(c[0])
            whites.append([int(v) for v in c[1:6]])
            pbs.append(int(c[6]))
    days = np.array([dt.date.fromisoformat(d).toordinal() for d in dates], dtype=np.int64)
    return dates, np.array(whites, dtype=np.int64), np.array(pbs, dtype=np.int64), days


def window_counts(cum, t, w):
    """Counts over draws [t - w, t) for each row t, from a cumulative table with a leading zero row."""
    return cum[t] - cum[np.maximum(t - w, 0)]


def combo_recurrence(whites, k):
    """For each draw: how many of its k-subsets occurred before, and how many times in all."""
    n = whites.shape[0]
    idx = [(a, b) for a in range(5) for b in range(a + 1, 5)] if k == 2 else [
        (a, b, c) for a in range(5) for b in range(a + 1, 5) for c in range(b + 1, 5)]
    key = np.zeros((n, len(idx)), dtype=np.int64)
    for j, cols in enumerate(idx):
        for col in cols:
            key[:, j] = key[:, j] * 100 + whites[:, col]
    flat = key.ravel()
    draw = np.repeat(np.arange(n), len(idx))
    order = np.lexsort((draw, flat))
    sk = flat[order]
    start = np.r_[0, np.flatnonzero(sk[1:] != sk[:-1]) + 1]
    run = np.repeat(start, np.diff(np.r_[start, sk.size]))
    before = np.empty_like(flat)
    before[order] = np.arange(sk.size) - run  # earlier draws holding the same subset
    before = before.reshape(n, len(idx))
    return (before > 0).sum(axis=1), before.sum(axis=1)


def build(whites, pbs, days):
    n = whites.shape[0]
    rows = max(0, n - WARMUP)
    t = np.arange(WARMUP, n)
    ar = np.arange(n)
    onehot_w = np.zeros((n, W + 1), dtype=np.int64)
    onehot_w[ar[:, None], whites] = 1
    onehot_p = np.zeros((n, P + 1), dtype=np.int64)
    onehot_p[ar, pbs] = 1
    cum_w = np.vstack([np.zeros((1, W + 1), dtype=np.int64), np.cumsum(onehot_w, axis=0)])
    cum_p = np.vstack([np.zeros((1, P + 1), dtype=np.int64), np.cumsum(onehot_p, axis=0)])
    cols = []
    for w in WINDOWS:
        cols.append(window_counts(cum_w, t, w)[:, 1:])
        cols.append(window_counts(cum_p, t, w)[:, 1:])
    # Gaps: t minus the last draw before t holding the number (-1 if none).
    last_w = np.maximum.accumulate(np.where(onehot_w == 1, ar[:, None], -1), axis=0)
    last_p = np.maximum.accumulate(np.where(onehot_p == 1, ar[:, None], -1), axis=0)
    cols.append(t[:, None] - last_w[t - 1, 1:])
    cols.append(t[:, None] - last_p[t - 1, 1:])
    # Weekday of the draw (ordinal 1 = Monday), one-hot Monday, Wednesday, Saturday.
    wd = days[t] % 7  # 1 = Monday ... 0 = Sunday
    cols.append(np.stack([wd == 1, wd == 3, wd == 6], axis=1))
    cols.append(t[:, None])
    cols.append((days[t] - days[t - 1])[:, None])
    # Statistics of every draw, then of the previous draw for each row.
    s = whites.sum(axis=1)
    spread = whites[:, 4] - whites[:, 0]
    odd = (whites & 1).sum(axis=1)
    high = (whites > HALF).sum(axis=1)
    prev_w = np.vstack([np.zeros((1, W + 1), dtype=np.int64), onehot_w[:-1]])
    repeat = (onehot_w * prev_w).sum(axis=1)
    std = whites.std(axis=1)
    last = np.column_stack([whites, pbs, s, s / 5, spread, std, odd, 5 - odd, high, 5 - high, repeat])
    cols.append(last[t - 1])
    # Rolling means over the last min(t, w) draws.
    stat = np.column_stack([s, spread, odd, high, whites, pbs]).astype(np.float64)
    cum_s = np.vstack([np.zeros((1, stat.shape[1])), np.cumsum(stat, axis=0)])
    for w in WINDOWS:
        m = np.minimum(t, w)
        cols.append((cum_s[t] - cum_s[t - m]) / m[:, None])
    ps, pt = combo_recurrence(whites, 2)
    ts, tt = combo_recurrence(whites, 3)
    cols.append(np.column_stack([ps, pt, ts, tt])[t - 1])
    x = np.column_stack([np.asarray(c, dtype=np.float64).reshape(rows, -1) for c in cols])
    y = np.column_stack([whites[t], pbs[t]]).astype(np.float64)
    return x, y


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--draws", required=True)
    ap.add_argument("--check")
    ap.add_argument("--repeat", type=int, default=20)
    a = ap.parse_args()
    _, whites, pbs, days = read_draws(a.draws)
    x, y = build(whites, pbs, days)
    times = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        build(whites, pbs, days)
        times.append((time.perf_counter() - t0) * 1000)
    out = {"rows": int(x.shape[0]), "features": int(x.shape[1]), "median_ms": statistics.median(times),
           "numpy": np.__version__}
    if a.check:
        ref = np.loadtxt(a.check, delimiter=",", skiprows=1, usecols=range(1, x.shape[1] + 7), ndmin=2)
        if ref.shape != (x.shape[0], x.shape[1] + 6):
            print(f"shape {ref.shape} in {a.check}, ours {(x.shape[0], x.shape[1] + 6)}", file=sys.stderr)
            sys.exit(1)
        diff = np.abs(ref - np.column_stack([x, y]))
        out["max_abs_diff"] = float(diff.max()) if diff.size else 0.0
        if out["max_abs_diff"] > 1e-9:
            r, c = np.unravel_index(int(diff.argmax()), diff.shape)
            print(f"mismatch at row {r} column {c}: {ref[r, c]} vs {np.column_stack([x, y])[r, c]}", file=sys.stderr)
            print(json.dumps(out))
            sys.exit(1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
