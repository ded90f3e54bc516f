#!/usr/bin/python3
"""scikit-learn peer of the training and prediction benchmarks (issue 9).

Reads a feature matrix in the layout of `pbi features export` (draw_date, every feature, then the six
targets) and times, on exactly that data:

  cv       5-fold walk-forward CV (TimeSeriesSplit) of each model: fit on the training rows, predict
           the test rows, mean absolute error per fold. The same work as ml/cv.ts crossValidate.
  predict  each model fitted on every row, then the prediction of one row (the next draw), timed
           as the median of --repeat calls.

Models are the DESIGN section 7 defaults (the legacy app's settings): Ridge(alpha=1), a
RandomForestRegressor (max_depth 10, min_samples_split 5, min_samples_leaf 2) and
MultiOutputRegressor(GradientBoostingRegressor) (learning_rate 0.1, max_depth 6, min_samples_split 5,
min_samples_leaf 2), --trees trees/stages each, random_state 42, n_jobs = --jobs (default: every core,
as our trees use every core).

Prints one JSON line on stdout: {"sklearn", "numpy", "python", "rows", "features", "jobs", "trees",
"cv": {model: {"seconds", "mean_mae"}}, "cv_seconds", "predict": {model: ms}, "predict_ms",
"load_seconds"}. Run with Debian's interpreter: /usr/bin/python3 bench/peers/sklearn_cv.py --matrix F
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit
from sklearn.multioutput import MultiOutputRegressor

N_TARGETS = 6
SEED = 42
MODELS = ("ridge", "random_forest", "gradient_boosting")


def load(path):
    # np.loadtxt is what a Python user would reach for; the date column is skipped.
    with open(path) as f:
        header = f.readline().rstrip("\n").split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, usecols=range(1, len(header)), dtype=np.float64, ndmin=2)
    return data[:, :-N_TARGETS], data[:, -N_TARGETS:]


def make(name, trees, jobs):
    if name == "ridge":
        return Ridge(alpha=1.0)
    if name == "random_forest":
        return RandomForestRegressor(
            n_estimators=trees, max_depth=10, min_samples_split=5, min_samples_leaf=2, random_state=SEED, n_jobs=jobs
        )
    if name == "gradient_boosting":
        return MultiOutputRegressor(
            GradientBoostingRegressor(
                n_estimators=trees, learning_rate=0.1, max_depth=6, min_samples_split=5, min_samples_leaf=2,
                subsample=1.0, random_state=SEED,
            ),
            n_jobs=jobs,
        )
    raise SystemExit(f"unknown model {name}")


def cross_validate(model, x, y, folds):
    maes = []
    for train, test in TimeSeriesSplit(n_splits=folds).split(x):
        model.fit(x[train], y[train])
        maes.append(float(np.abs(model.predict(x[test]) - y[test]).mean()))
    return float(np.mean(maes))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--matrix", required=True)
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--trees", type=int, default=100)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=-1)
    ap.add_argument("--no-cv", action="store_true")
    ap.add_argument("--predict", action="store_true", help="also time fit-on-all + one-row prediction")
    ap.add_argument("--repeat", type=int, default=50)
    a = ap.parse_args()
    names = [m for m in a.models.split(",") if m]

    t0 = time.perf_counter()
    x, y = load(a.matrix)
    out = {
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "rows": int(x.shape[0]),
        "features": int(x.shape[1]),
        "jobs": a.jobs if a.jobs > 0 else os.cpu_count(),
        "trees": a.trees,
        "load_seconds": time.perf_counter() - t0,
    }
    if not a.no_cv:
        cv = {}
        for name in names:
            t = time.perf_counter()
            mae = cross_validate(make(name, a.trees, a.jobs), x, y, a.folds)
            cv[name] = {"seconds": time.perf_counter() - t, "mean_mae": mae}
            print(f"{name}: {cv[name]['seconds']:.2f} s, MAE {mae:.3f}", file=sys.stderr)
        out["cv"] = cv
        out["cv_seconds"] = sum(v["seconds"] for v in cv.values())
    if a.predict:
        fitted = {name: make(name, a.trees, a.jobs).fit(x, y) for name in names}
        row = x[-1:]
        per = {}
        for name, model in fitted.items():
            # One row: threads cost more than they save, so give scikit-learn its best setting.
            if "n_jobs" in model.get_params(deep=False):
                model.set_params(n_jobs=1)
            model.predict(row)  # warm-up (first call pays imports and thread start)
            times = []
            for _ in range(a.repeat):
                t = time.perf_counter()
                model.predict(row)
                times.append((time.perf_counter() - t) * 1000)
            per[name] = statistics.median(times)
        out["predict"] = per
        out["predict_ms"] = sum(per.values())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
