#!/usr/bin/python3
"""scikit-learn reference errors for the TypeScript random forest and gradient boosting on a seeded
synthetic matrix with real signal and noise (test/ml/ensemble-parity.test.ts reads the output).

Run with Debian's interpreter (python3-sklearn):
    /usr/bin/python3 scripts/sklearn-ensemble-parity.py [--out test/fixtures/sklearn/ensemble-parity.json]

The matrix (data included in the JSON, so the test needs no Python): 600 rows, 8 integer-valued
features in 0..99 (at most 100 distinct values, so the TypeScript histogram learner's bins are the
exact values and every split it can choose is one scikit-learn can choose), two outputs:
  y0 = 8 sin(x0 / 12) + 0.15 x1 + 6 [x2 > 60] + N(0, 2)
  y1 = 0.002 x3 x4 - 0.08 x0 + 4 [x5 < 30][x1 > 50] + N(0, 1.5)
x6 and x7 are pure noise. The first 450 rows train, the last 150 test.

For each case, the per-output train and test MAE of scikit-learn's RandomForestRegressor (the mean
over random_state 1..5) and MultiOutputRegressor(GradientBoostingRegressor) (random_state 42;
subsample 1.0 makes it deterministic). Each case also records the
errors of a "wrong" twin (min_samples_leaf 1 for the forest, half the learning rate for the boosting)
so the test can show its tolerance is tighter than the distance to a broken implementation.
"""
import argparse
import json
import os

import numpy as np
import sklearn
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.multioutput import MultiOutputRegressor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "test", "fixtures", "sklearn")
SEED = 42
# The forests' errors are means over these random_states: one forest of 100 bootstrap trees varies
# by about 2% per output from seed to seed, more than a forest with min_samples_leaf ignored moves.
FOREST_SEEDS = [1, 2, 3, 4, 5]
ROWS = 600
TRAIN = 450


def matrix():
    rng = np.random.default_rng(20)
    x = rng.integers(0, 100, size=(ROWS, 8)).astype(np.float64)
    y0 = 8 * np.sin(x[:, 0] / 12) + 0.15 * x[:, 1] + 6 * (x[:, 2] > 60) + rng.normal(0, 2, ROWS)
    y1 = 0.002 * x[:, 3] * x[:, 4] - 0.08 * x[:, 0] + 4 * ((x[:, 5] < 30) & (x[:, 1] > 50)) \
        + rng.normal(0, 1.5, ROWS)
    return x, np.column_stack([y0, y1])


def forest(p, seed):
    return RandomForestRegressor(
        n_estimators=p["n_estimators"], max_depth=p["max_depth"], min_samples_split=p["min_samples_split"],
        min_samples_leaf=p["min_samples_leaf"], max_features=p["max_features"], bootstrap=True,
        random_state=seed)


def boosting(p):
    return MultiOutputRegressor(GradientBoostingRegressor(
        n_estimators=p["n_estimators"], learning_rate=p["learning_rate"], max_depth=p["max_depth"],
        min_samples_split=p["min_samples_split"], min_samples_leaf=p["min_samples_leaf"],
        subsample=p["subsample"], random_state=SEED))


def errors(model, x, y):
    model.fit(x[:TRAIN], y[:TRAIN])
    mae = lambda a, b: np.abs(a - b).mean(axis=0)
    return {"train_mae": mae(model.predict(x[:TRAIN]), y[:TRAIN]),
            "test_mae": mae(model.predict(x[TRAIN:]), y[TRAIN:])}


def forest_errors(p, x, y):
    runs = [errors(forest(p, s), x, y) for s in FOREST_SEEDS]
    return {k: np.mean([r[k] for r in runs], axis=0).tolist() for k in ("train_mae", "test_mae")}


def boosting_errors(p, x, y):
    return {k: v.tolist() for k, v in errors(boosting(p), x, y).items()}


FOREST_CASES = [
    {"name": "legacy defaults", "n_estimators": 100, "max_depth": 10, "min_samples_split": 5,
     "min_samples_leaf": 2, "max_features": 1.0},
    {"name": "large leaves", "n_estimators": 100, "max_depth": 10, "min_samples_split": 5,
     "min_samples_leaf": 20, "max_features": 1.0},
]
BOOSTING_CASES = [
    {"name": "legacy defaults", "n_estimators": 100, "learning_rate": 0.1, "max_depth": 6,
     "min_samples_split": 5, "min_samples_leaf": 2, "subsample": 1.0},
    {"name": "shallow, few stages", "n_estimators": 30, "learning_rate": 0.1, "max_depth": 3,
     "min_samples_split": 5, "min_samples_leaf": 10, "subsample": 1.0},
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(FIX, "ensemble-parity.json"))
    a = ap.parse_args()
    x, y = matrix()
    out = {"generated_by": "scripts/sklearn-ensemble-parity.py", "sklearn_version": sklearn.__version__,
           "numpy_version": np.__version__, "seed": SEED, "forest_seeds": FOREST_SEEDS, "train_rows": TRAIN,
           "x": x.astype(int).tolist(), "y": y.tolist(), "forest": [], "boosting": []}
    for p in FOREST_CASES:
        wrong = dict(p, min_samples_leaf=1)
        out["forest"].append({"params": p, **forest_errors(p, x, y),
                              "min_samples_leaf_1": forest_errors(wrong, x, y)})
    for p in BOOSTING_CASES:
        wrong = dict(p, learning_rate=p["learning_rate"] / 2)
        out["boosting"].append({"params": p, **boosting_errors(p, x, y),
                                "half_learning_rate": boosting_errors(wrong, x, y)})
    for kind in ("forest", "boosting"):
        for c in out[kind]:
            print(kind, c["params"]["name"], {k: [round(v, 4) for v in c[k]] for k in ("train_mae", "test_mae")},
                  {k: {kk: [round(v, 4) for v in vv] for kk, vv in c[k].items()}
                   for k in ("min_samples_leaf_1", "half_learning_rate") if k in c})
    with open(a.out, "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
