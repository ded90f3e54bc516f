#!/usr/bin/python3
"""scikit-learn reference numbers for the TypeScript regressors (issue 4, "parity with scikit-learn").

Run with Debian's interpreter (python3-sklearn): /usr/bin/python3 scripts/sklearn-reference.py

  synthetic [--out test/fixtures/sklearn/synthetic-matrix.csv]
      Writes a seeded, realistic stand-in for `pbi features export` (used before the real export
      existed): simulated current-era draws, frequency/gap/temporal/statistical features computed
      from past draws only, and the six targets (the next draw's sorted whites and Powerball).
  reference [--matrix test/fixtures/sklearn/matrix.csv] [--out test/fixtures/sklearn/reference.json]
      Ridge coefficients and predictions, TimeSeriesSplit indices, 5-fold CV MAE of Ridge,
      RandomForestRegressor and MultiOutputRegressor(GradientBoostingRegressor), with the legacy
      defaults and random_state 42, and the time scikit-learn takes for the three CVs.
  bench [--matrix PATH] [--jobs N]
      Only times the 5-fold CV of the three models and prints one JSON line (used by the benchmark).

The matrix CSV layout is the one of `pbi features export`: draw_date, every feature, then six targets.
test/fixtures/sklearn/matrix.csv is that export of the bundled history (pbi init; pbi features export);
regenerate it and then `reference` whenever the feature set changes.
"""
import argparse
import csv
import datetime as dt
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit
from sklearn.multioutput import MultiOutputRegressor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "test", "fixtures", "sklearn")
N_TARGETS = 6
FOLDS = 5
SEED = 42


def synthetic(out, n_rows=1300, seed=SEED):
    rng = np.random.default_rng(seed)
    warmup = 100
    total = n_rows + warmup + 1
    whites = np.array([np.sort(rng.choice(69, 5, replace=False) + 1) for _ in range(total)])
    pbs = rng.integers(1, 27, size=total)
    # Draw dates: Mon/Wed/Sat from 2015-10-07 (the current era), like the real calendar since 2021.
    dates = []
    d = dt.date(2015, 10, 7)
    while len(dates) < total:
        if d.weekday() in (0, 2, 5):
            dates.append(d)
        d += dt.timedelta(days=1)
    names = (
        [f"white_freq_25_{i}" for i in range(1, 70)]
        + [f"white_gap_{i}" for i in range(1, 70)]
        + ["weekday", "draw_index", "days_since_prev"]
        + ["prev_sum", "prev_mean", "prev_spread", "prev_odd", "prev_high", "prev_pb", "sum_mean_10", "pb_freq_50_same"]
    )
    rows = []
    last_seen = np.full(70, -1)
    for t in range(total):
        if t >= warmup + 1:
            # Features of draw t come from draws < t only.
            past = whites[max(0, t - 25):t]
            freq = np.zeros(70)
            for w in past:
                freq[w] += 1
            gaps = np.where(last_seen[1:] >= 0, t - last_seen[1:], t + 1)
            prev = whites[t - 1]
            sums10 = whites[t - 10:t].sum(axis=1)
            pb50 = pbs[max(0, t - 50):t]
            feats = list(freq[1:]) + list(gaps)
            feats += [dates[t].weekday(), t, (dates[t] - dates[t - 1]).days]
            feats += [prev.sum(), prev.mean(), prev[-1] - prev[0], int((prev % 2).sum()), int((prev > 35).sum()),
                      pbs[t - 1], sums10.mean(), int((pb50 == pbs[t - 1]).sum())]
            rows.append([dates[t].isoformat()] + feats + list(whites[t]) + [pbs[t]])
        for w in whites[t]:
            last_seen[w] = t
    with open(out, "w", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["draw_date"] + names + ["white_1", "white_2", "white_3", "white_4", "white_5", "powerball"])
        for r in rows:
            wr.writerow([r[0]] + [repr(float(v)) if isinstance(v, (float, np.floating)) and not float(v).is_integer() else int(v) for v in r[1:]])
    print(f"wrote {out}: {len(rows)} rows x {len(names)} features", file=sys.stderr)


def load(path):
    with open(path) as f:
        rd = csv.reader(f)
        header = next(rd)
        data = np.array([[float(v) for v in r[1:]] for r in rd], dtype=np.float64)
    return header[1:-N_TARGETS], data[:, :-N_TARGETS], data[:, -N_TARGETS:]


def models(jobs=None):
    return {
        "ridge": Ridge(alpha=1.0),
        "random_forest": RandomForestRegressor(
            n_estimators=100, max_depth=10, min_samples_split=5, min_samples_leaf=2, random_state=SEED, n_jobs=jobs
        ),
        "gradient_boosting": MultiOutputRegressor(
            GradientBoostingRegressor(
                n_estimators=100, learning_rate=0.1, max_depth=6, min_samples_split=5, min_samples_leaf=2,
                subsample=1.0, random_state=SEED,
            ),
            n_jobs=jobs,
        ),
    }


def cross_validate(model, x, y):
    folds = []
    for train, test in TimeSeriesSplit(n_splits=FOLDS).split(x):
        model.fit(x[train], y[train])
        pred = model.predict(x[test])
        mae = np.abs(pred - y[test]).mean(axis=0)
        base = np.abs(y[train].mean(axis=0) - y[test]).mean(axis=0)
        folds.append({"train": int(len(train)), "test": int(len(test)), "mae": mae.tolist(),
                      "overall": float(mae.mean()), "train_mean_mae": base.tolist()})
    return {"folds": folds, "mean_mae": float(np.mean([f["overall"] for f in folds]))}


def timed_cv(x, y, jobs=None):
    out = {}
    for name, m in models(jobs).items():
        t0 = time.perf_counter()
        res = cross_validate(m, x, y)
        res["seconds"] = time.perf_counter() - t0
        out[name] = res
    return out


def reference(matrix, out):
    names, x, y = load(matrix)
    ridge = Ridge(alpha=1.0).fit(x, y)
    splits = {}
    for n in [x.shape[0], 6, 7, 11, 17, 100, 101, 1299]:
        splits[str(n)] = [
            {"train_end": int(tr[-1]) + 1, "test_start": int(te[0]), "test_end": int(te[-1]) + 1,
             "contiguous": bool((np.diff(tr) == 1).all() and (np.diff(te) == 1).all() and tr[0] == 0)}
            for tr, te in TimeSeriesSplit(n_splits=FOLDS).split(np.zeros((n, 1)))
        ]
    t0 = time.perf_counter()
    cv = timed_cv(x, y)
    total = time.perf_counter() - t0
    ref = {
        "generated_by": "scripts/sklearn-reference.py",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "matrix": os.path.relpath(matrix, ROOT),
        "rows": int(x.shape[0]),
        "features": int(x.shape[1]),
        "folds": FOLDS,
        "ridge": {"alpha": 1.0, "coef": ridge.coef_.tolist(), "intercept": ridge.intercept_.tolist(),
                  "predictions": ridge.predict(x).tolist()},
        "time_series_split": splits,
        "cv": cv,
        "cv_seconds_total_single_process": total,
        "machine_note": f"{os.cpu_count()} cpus",
    }
    with open(out, "w") as f:
        json.dump(ref, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(json.dumps({k: round(v["seconds"], 3) for k, v in cv.items()}), file=sys.stderr)
    for k, v in cv.items():
        print(k, "mean MAE", round(v["mean_mae"], 4), file=sys.stderr)


def bench(matrix, jobs):
    _, x, y = load(matrix)
    t0 = time.perf_counter()
    cv = timed_cv(x, y, jobs)
    total = time.perf_counter() - t0
    print(json.dumps({"total_seconds": total, "jobs": jobs, "sklearn_version": sklearn.__version__,
                      "models": {k: {"seconds": v["seconds"], "mean_mae": v["mean_mae"]} for k, v in cv.items()}}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("synthetic")
    s.add_argument("--out", default=os.path.join(FIX, "synthetic-matrix.csv"))
    s.add_argument("--rows", type=int, default=1300)
    r = sub.add_parser("reference")
    r.add_argument("--matrix", default=os.path.join(FIX, "matrix.csv"))
    r.add_argument("--out", default=os.path.join(FIX, "reference.json"))
    b = sub.add_parser("bench")
    b.add_argument("--matrix", default=os.path.join(FIX, "matrix.csv"))
    b.add_argument("--jobs", type=int, default=None)
    a = ap.parse_args()
    if a.cmd == "synthetic":
        synthetic(a.out, a.rows)
    elif a.cmd == "reference":
        reference(a.matrix, a.out)
    else:
        bench(a.matrix, a.jobs)


if __name__ == "__main__":
    main()
