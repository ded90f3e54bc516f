#!/usr/bin/python3
"""XGBoost peer of the training benchmark: the same tree ensembles' cross-validation in XGBoost.

Reads a feature matrix in the layout of `pbi features export` (draw_date, every feature, then the six
targets) and times, on exactly that data, 5-fold expanding-window CV (scikit-learn's TimeSeriesSplit,
written out here so that only numpy and xgboost are needed): fit on the training rows, predict the
test rows, mean absolute error per fold. The same work as ml/cv.ts crossValidate.

Models, in the shapes of the DESIGN section 7 defaults, with XGBoost's histogram method (tree_method
"hist", max_bin 256) on --threads threads (default 2, this machine's cores):

  gradient_boosting  --rounds rounds (100) of one depth-6 tree per output (XGBoost 1.7 grows one
                     tree per target), learning rate 0.1, every row and feature.
  random_forest      XGBoost's random-forest mode: one round of num_parallel_tree = --trees (100)
                     trees of depth 10 per output, learning rate 1. XGBoost samples rows without
                     replacement, so subsample 0.632 stands for the bootstrap (the share of distinct
                     rows a bootstrap sample holds); every feature at every node (colsample 1.0, as
                     scikit-learn's RandomForestRegressor max_features=1.0).

Both use min_child_weight 2 (a leaf holds at least two rows, as min_samples_leaf=2) and lambda 0 (no L2
penalty on leaf values, as scikit-learn's trees), seed 42.

Prints one JSON line on stdout: {"xgboost", "numpy", "python", "rows", "features", "threads", "cv":
{model: {"seconds", "mean_mae"}}, "cv_seconds"}. Run with Debian's interpreter (python3-xgboost):
/usr/bin/python3 bench/peers/xgboost_cv.py --matrix F
"""
import argparse
import json
import platform
import sys
import time

import numpy as np
import xgboost as xgb

N_TARGETS = 6
SEED = 42
MODELS = ("random_forest", "gradient_boosting")


def load(path):
    # np.loadtxt is what a Python user would reach for; the date column is skipped.
    with open(path) as f:
        header = f.readline().rstrip("\n").split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, usecols=range(1, len(header)), dtype=np.float64, ndmin=2)
    return data[:, :-N_TARGETS], data[:, -N_TARGETS:]


def time_series_split(n, folds):
    """scikit-learn's TimeSeriesSplit(n_splits=folds): expanding training prefixes, equal test blocks."""
    test_size = n // (folds + 1)
    if test_size < 1:
        raise SystemExit(f"{n} rows are too few for {folds} folds")
    for i in range(folds):
        test_start = n - (folds - i) * test_size
        yield np.arange(0, test_start), np.arange(test_start, test_start + test_size)


def params(name, threads, trees):
    common = {
        "tree_method": "hist",
        "max_bin": 256,
        "objective": "reg:squarederror",
        "min_child_weight": 2,
        "lambda": 0.0,
        "nthread": threads,
        "seed": SEED,
        "verbosity": 0,
    }
    if name == "gradient_boosting":
        return {**common, "max_depth": 6, "eta": 0.1, "subsample": 1.0}, None
    if name == "random_forest":
        forest = {
            **common,
            "max_depth": 10,
            "eta": 1.0,
            "num_parallel_tree": trees,
            "subsample": 0.632,
            "colsample_bynode": 1.0,
        }
        return forest, 1
    raise SystemExit(f"unknown model {name}")


def cross_validate(name, x, y, folds, threads, trees, rounds):
    p, fixed_rounds = params(name, threads, trees)
    maes = []
    for train, test in time_series_split(x.shape[0], folds):
        model = xgb.train(p, xgb.DMatrix(x[train], label=y[train]), num_boost_round=fixed_rounds or rounds)
        pred = model.predict(xgb.DMatrix(x[test])).reshape(len(test), -1)
        maes.append(float(np.abs(pred - y[test]).mean()))
    return float(np.mean(maes))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--matrix", required=True)
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--trees", type=int, default=100, help="forest trees per output")
    ap.add_argument("--rounds", type=int, default=100, help="boosting rounds")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    names = [m for m in a.models.split(",") if m]

    x, y = load(a.matrix)
    out = {
        "xgboost": xgb.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "rows": int(x.shape[0]),
        "features": int(x.shape[1]),
        "threads": a.threads,
    }
    cv = {}
    for name in names:
        t = time.perf_counter()
        mae = cross_validate(name, x, y, a.folds, a.threads, a.trees, a.rounds)
        cv[name] = {"seconds": time.perf_counter() - t, "mean_mae": mae}
        print(f"{name}: {cv[name]['seconds']:.2f} s, MAE {mae:.3f}", file=sys.stderr)
    out["cv"] = cv
    out["cv_seconds"] = sum(v["seconds"] for v in cv.values())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
