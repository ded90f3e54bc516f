#!/usr/bin/python3
"""scikit-learn reference numbers for the TypeScript Lasso (src/ml/lasso.ts).

Run with Debian's interpreter (python3-sklearn):
    /usr/bin/python3 scripts/sklearn-lasso-reference.py [--matrix test/fixtures/sklearn/matrix.csv]
        [--out test/fixtures/sklearn/lasso-reference.json]

Every fit is scikit-learn's Lasso(alpha, fit_intercept=True, max_iter=1000, tol=1e-4,
selection='cyclic') unless a case says otherwise. Written, kept small:
  real.coef        every coefficient, intercept, n_iter_ and dual_gap_ at alpha 1.0 on the real matrix
  real.alphas      per alpha (0.01, 0.1, 1.0): n_iter_, intercepts, every 20th feature's coefficient,
                   the number of non-zero coefficients, the in-sample MAE, and the 5-fold
                   TimeSeriesSplit CV MAE (per fold and mean), with the seconds scikit-learn took
  small            seeded random matrices (data included): tall, wide (more features than rows), one
                   with a constant column, and one without intercept; every coefficient
The matrix CSV layout is the one of `pbi features export`: draw_date, every feature, six targets.

    /usr/bin/python3 scripts/sklearn-lasso-reference.py --bench [--alphas 1,0.1,0.01] [--repeats 3]
        writes nothing: times the 5-fold CV per alpha (median of the repeats) and prints one JSON
        line (the peer of bench/lasso.bench.ts).
"""
import argparse
import csv
import json
import os
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso
from sklearn.model_selection import TimeSeriesSplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "test", "fixtures", "sklearn")
N_TARGETS = 6
FOLDS = 5
ALPHAS = [0.01, 0.1, 1.0]
SAMPLE_EVERY = 20


def load(path):
    with open(path) as f:
        rd = csv.reader(f)
        next(rd)
        data = np.array([[float(v) for v in r[1:]] for r in rd], dtype=np.float64)
    return data[:, :-N_TARGETS], data[:, -N_TARGETS:]


def lasso(alpha, **kw):
    return Lasso(alpha=alpha, fit_intercept=kw.get("fit_intercept", True), max_iter=1000, tol=1e-4,
                 selection="cyclic")


def fit(model, x, y):
    # Small alphas on the real matrix stop at max_iter (scikit-learn warns); that is part of the
    # reference, the TypeScript port must stop at the same pass.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(x, y)


def cv(alpha, x, y):
    folds = []
    t0 = time.perf_counter()
    for train, test in TimeSeriesSplit(n_splits=FOLDS).split(x):
        m = fit(lasso(alpha), x[train], y[train])
        mae = np.abs(m.predict(x[test]) - y[test]).mean(axis=0)
        folds.append({"train": int(len(train)), "test": int(len(test)), "mae": mae.tolist(),
                      "overall": float(mae.mean()), "n_iter": np.atleast_1d(m.n_iter_).tolist()})
    return {"folds": folds, "mean_mae": float(np.mean([f["overall"] for f in folds])),
            "seconds": time.perf_counter() - t0}


def full(m):
    coef = np.atleast_2d(m.coef_)
    # intercept_ is the scalar 0.0 without an intercept: one per output, as with one.
    intercept = np.broadcast_to(np.atleast_1d(m.intercept_), (coef.shape[0],))
    return {"coef": coef.tolist(), "intercept": intercept.tolist(),
            "n_iter": np.atleast_1d(m.n_iter_).tolist(), "dual_gap": np.atleast_1d(m.dual_gap_).tolist()}


def small_cases():
    rng = np.random.default_rng(7)
    cases = []

    def add(name, x, y, alphas, fit_intercept=True):
        out = {"name": name, "rows": x.shape[0], "features": x.shape[1], "outputs": y.shape[1],
               "fit_intercept": fit_intercept, "x": x.tolist(), "y": y.tolist(), "fits": []}
        for a in alphas:
            m = fit(lasso(a, fit_intercept=fit_intercept), x, y)
            out["fits"].append({"alpha": a, **full(m)})
        cases.append(out)

    # Tall: 40 rows, 6 features of different scales, two outputs built from three of them.
    x = rng.normal(size=(40, 6)) * np.array([1, 3, 0.5, 10, 1, 2]) + np.array([0, 5, -2, 100, 0, 1])
    y = np.column_stack([2 * x[:, 0] - 0.5 * x[:, 1] + rng.normal(scale=0.3, size=40),
                         0.1 * x[:, 3] + x[:, 5] + rng.normal(scale=1.0, size=40)])
    add("tall", x, y, [0.001, 0.05, 0.5, 5.0])
    # Wide: more features than rows (the residual solver only).
    x = rng.normal(size=(12, 30))
    y = (x[:, :3] @ np.array([1.5, -2.0, 0.7]) + rng.normal(scale=0.1, size=12)).reshape(-1, 1)
    add("wide", x, y, [0.01, 0.1])
    # A constant column (zero norm after centring: never updated) and a duplicated column.
    x = rng.normal(size=(30, 5))
    x[:, 2] = 4.0
    x[:, 4] = x[:, 0]
    y = np.column_stack([x[:, 0] + x[:, 1] + rng.normal(scale=0.2, size=30)])
    add("constant_and_duplicate", x, y, [0.01, 0.2])
    # No intercept.
    x = rng.normal(size=(25, 4)) + 1.0
    y = np.column_stack([x @ np.array([1.0, 0.0, -1.0, 0.5]) + 3.0, x[:, 1] * 2.0])
    add("no_intercept", x, y, [0.05, 0.5], fit_intercept=False)
    return cases


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--matrix", default=os.path.join(FIX, "matrix.csv"))
    ap.add_argument("--out", default=os.path.join(FIX, "lasso-reference.json"))
    ap.add_argument("--bench", action="store_true", help="only time the CVs, print one JSON line")
    ap.add_argument("--alphas", default="1,0.1,0.01")
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    x, y = load(a.matrix)
    if a.bench:
        out = {}
        for text in a.alphas.split(","):
            runs = [cv(float(text), x, y) for _ in range(a.repeats)]
            secs = sorted(r["seconds"] for r in runs)
            out[text] = {"seconds": secs[len(secs) // 2], "mean_mae": runs[0]["mean_mae"]}
        print(json.dumps({"sklearn_version": sklearn.__version__, "repeats": a.repeats, "alphas": out}))
        return
    t0 = time.perf_counter()
    m1 = fit(lasso(1.0), x, y)
    ref = {
        "generated_by": "scripts/sklearn-lasso-reference.py",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "matrix": os.path.relpath(a.matrix, ROOT),
        "rows": int(x.shape[0]),
        "features": int(x.shape[1]),
        "folds": FOLDS,
        "sample_every": SAMPLE_EVERY,
        "real": {"coef": {"alpha": 1.0, **full(m1), "seconds": time.perf_counter() - t0}, "alphas": []},
        "small": small_cases(),
    }
    for alpha in ALPHAS:
        t0 = time.perf_counter()
        m = fit(lasso(alpha), x, y)
        seconds = time.perf_counter() - t0
        ref["real"]["alphas"].append({
            "alpha": alpha,
            "n_iter": np.atleast_1d(m.n_iter_).tolist(),
            "intercept": m.intercept_.tolist(),
            "coef_sample": m.coef_[:, ::SAMPLE_EVERY].tolist(),
            "nonzero": (m.coef_ != 0).sum(axis=1).tolist(),
            "train_mae": float(np.abs(m.predict(x) - y).mean()),
            "fit_seconds": seconds,
            "cv": cv(alpha, x, y),
        })
        print(f"alpha {alpha}: n_iter {list(m.n_iter_)}, fit {seconds:.3f}s, "
              f"CV MAE {ref['real']['alphas'][-1]['cv']['mean_mae']:.6f} "
              f"in {ref['real']['alphas'][-1]['cv']['seconds']:.3f}s", file=sys.stderr)
    with open(a.out, "w") as f:
        json.dump(ref, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
