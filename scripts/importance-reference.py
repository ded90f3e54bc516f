"""Reference impurity importances from scikit-learn for test/ml/importance.test.ts.

Run with Debian's python3-sklearn: /usr/bin/python3 scripts/importance-reference.py
Writes test/fixtures/importance/reference.json (committed; tests need no Python).
"""
import json
import numpy as np
from sklearn.tree import DecisionTreeRegressor
from sklearn.ensemble import RandomForestRegressor, GradientBoostingRegressor

rng = np.random.RandomState(0)
n, p = 300, 5
X = rng.uniform(0, 10, size=(n, p)).astype(np.float32).astype(np.float64)
Y = np.stack([3 * X[:, 0] + X[:, 2] + rng.normal(0, 1, n), X[:, 1] * X[:, 0] + rng.normal(0, 1, n)], axis=1)


def tree_json(t, n_outputs):
    tr = t.tree_
    return {
        "childrenLeft": tr.children_left.tolist(),
        "childrenRight": tr.children_right.tolist(),
        "feature": tr.feature.tolist(),
        "threshold": tr.threshold.tolist(),
        "value": tr.value[:, :n_outputs, 0].reshape(-1).tolist(),
        "nodeWeight": tr.weighted_n_node_samples.tolist(),
        "impurity": tr.impurity.tolist(),
        "nOutputs": n_outputs,
    }


dt = DecisionTreeRegressor(max_depth=5, random_state=0).fit(X, Y)
rf = RandomForestRegressor(n_estimators=5, max_depth=4, max_features=0.6, random_state=0).fit(X, Y)
gb = GradientBoostingRegressor(n_estimators=8, max_depth=3, learning_rate=0.1, random_state=0).fit(X, Y[:, 0])
out = {
    "X": X.reshape(-1).tolist(),
    "Y": Y.reshape(-1).tolist(),
    "rows": n,
    "cols": p,
    "tree": {"model": tree_json(dt, 2), "importances": dt.feature_importances_.tolist()},
    "forest": {"trees": [tree_json(t, 2) for t in rf.estimators_], "importances": rf.feature_importances_.tolist()},
    "boosting": {
        "init": [float(gb.init_.constant_.reshape(-1)[0])],
        "learningRate": 0.1,
        "stages": [tree_json(s[0], 1) for s in gb.estimators_],
        "importances": gb.feature_importances_.tolist(),
    },
}
with open("test/fixtures/importance/reference.json", "w") as f:
    json.dump(out, f)
print("ok", dt.feature_importances_, rf.feature_importances_, gb.feature_importances_)
