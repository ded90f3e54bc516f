#!/usr/bin/python3
"""Write realistic legacy app folders under test/fixtures/legacy/ with real joblib and scikit-learn.

Run with Debian's Python (`apt-get install -y python3-sklearn python3-joblib python3-lz4`):

    /usr/bin/python3 scripts/make-legacy-fixtures.py

Everything is seeded, so a re-run with the same library versions writes the same model numbers
(file bytes can differ where joblib/pickle embed nothing random; SQLite pages may differ).
The generated files are committed: the TypeScript tests never need Python.

Layout written (see test/fixtures/legacy/README.md, also written by this script):
  app-basic/      a full legacy app folder (history, models, SQLite databases, artifacts, memory)
  app-minimal/    an older folder: prediction_sets without model_artifact_path, no experiments
  compression/    the same joblib payloads with every compression joblib supports
  protocols/      plain pickle.dumps of data and models with protocols 0..5
  hostile/        pickles that would execute code (never loaded here, only written)
  reference/      the input matrix X.json and scikit-learn's predictions for every model
"""

import datetime as dt
import io
import json
import os
import pickle
import shutil
import sqlite3
import sys

import joblib
import numpy as np
import sklearn
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import Ridge
from sklearn.multioutput import MultiOutputRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "legacy")
N_FEATURES = 12
RNG = np.random.RandomState(20240115)
TOOLS = ["frequency", "recency", "trends", "combo", "sum", "dow", "ml"]
LEGACY_WEIGHTS = {"frequency": 0.20, "recency": 0.15, "trends": 0.15, "combo": 0.15, "sum": 0.15, "dow": 0.10, "ml": 0.10}


def fresh(path):
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(path)


def training_data(n=400):
    """Feature rows shaped like the legacy features (sums, gaps, frequencies), targets = sorted whites."""
    whites = np.sort(np.array([RNG.choice(np.arange(1, 70), 5, replace=False) for _ in range(n)]), axis=1)
    pb = RNG.randint(1, 27, size=n)
    X = np.column_stack([
        whites.sum(axis=1) + RNG.normal(0, 10, n),
        whites.mean(axis=1),
        whites.std(axis=1),
        RNG.randint(0, 7, n),            # day of week
        RNG.randint(1, 13, n),           # month
        RNG.uniform(0, 1, n),            # hot-number score
        RNG.uniform(0, 1, n),
        RNG.normal(35, 12, n),
        RNG.normal(0, 1, n),
        RNG.exponential(3, n),
        RNG.randint(0, 2, n).astype(float),  # even/odd flag
        np.round(RNG.uniform(0, 100, n), 1),  # values on a 0.1 grid: ties with tree thresholds
    ])
    return X, whites.astype(float), pb.astype(float)


def fit_models():
    X, yw, yp = training_data()
    m = {}
    m["ridge_white"] = Pipeline([("scaler", StandardScaler()), ("model", Ridge(alpha=1.0))]).fit(X, yw)
    m["ridge_pb"] = Pipeline([("scaler", StandardScaler()), ("model", Ridge(alpha=0.5))]).fit(X, yp)
    m["rf_white"] = Pipeline([("scaler", StandardScaler()),
                              ("model", RandomForestRegressor(n_estimators=10, max_depth=6, random_state=1))]).fit(X, yw)
    m["rf_pb"] = Pipeline([("scaler", StandardScaler()),
                           ("model", RandomForestRegressor(n_estimators=10, max_depth=5, random_state=2))]).fit(X, yp)
    m["gb_white"] = Pipeline([("scaler", StandardScaler()),
                              ("model", MultiOutputRegressor(GradientBoostingRegressor(
                                  n_estimators=15, max_depth=3, learning_rate=0.1, random_state=3)))]).fit(X, yw)
    m["gb_pb"] = Pipeline([("scaler", StandardScaler()),
                           ("model", GradientBoostingRegressor(n_estimators=20, max_depth=2, subsample=0.8,
                                                              random_state=4))]).fit(X, yp)
    # init='zero' and a quantile-initialised loss: both are constant starts the converter must honour.
    m["gb_zero"] = GradientBoostingRegressor(n_estimators=10, max_depth=2, init="zero", random_state=5).fit(X, yp)
    m["gb_lad"] = GradientBoostingRegressor(n_estimators=10, max_depth=2, loss="absolute_error",
                                            random_state=6).fit(X, yp)
    m["tree"] = DecisionTreeRegressor(max_depth=4, random_state=7).fit(X, yp)
    m["scaler_only_ridge"] = Pipeline([("scaler", StandardScaler(with_mean=False)),
                                       ("model", Ridge(alpha=2.0, fit_intercept=False))]).fit(X, yp)
    return X, m


def reference_matrix(X_train, models):
    """A fixed input matrix: fresh rows plus rows sitting exactly on tree thresholds (float32 ties)."""
    rows = list(training_data(20)[0])
    tree = models["tree"].tree_
    for node in range(min(tree.node_count, 8)):
        f = tree.feature[node]
        if f < 0:
            continue
        r = X_train[node].copy()
        r[f] = float(tree.threshold[node])           # exactly the (float32-rounded) threshold
        rows.append(r)
        r2 = X_train[node].copy()
        r2[f] = float(np.nextafter(np.float32(tree.threshold[node]), np.float32(np.inf)))
        rows.append(r2)
    return np.array(rows)


def ts_variants(i, base):
    """The timestamp shapes the old code wrote, cycling."""
    t = base + dt.timedelta(hours=7 * i, minutes=i % 60, seconds=i % 59, microseconds=(i * 7919) % 1000000)
    k = i % 6
    if k == 0:
        return t                                           # naive datetime
    if k == 1:
        return t.isoformat()                               # '2024-01-15T10:30:00.123456'
    if k == 2:
        return t.strftime("%Y-%m-%d %H:%M:%S")             # sqlite-ish
    if k == 3:
        return t.replace(tzinfo=dt.timezone.utc)            # aware UTC datetime
    if k == 4:
        return t.replace(tzinfo=dt.timezone(dt.timedelta(hours=-5), "EST"))
    return t.replace(microsecond=0).isoformat() + "Z"


def ticket(i):
    whites = sorted(RNG.choice(np.arange(1, 70), 5, replace=False).tolist())
    pb = int(RNG.randint(1, 27))
    return whites, pb


def history(n_pred=420):
    base = dt.datetime(2023, 3, 1, 9, 0, 0)
    preds = []
    for i in range(n_pred):
        whites, pb = ticket(i)
        tools = RNG.choice(TOOLS, size=RNG.randint(1, 4), replace=False).tolist()
        if i % 3 == 0:
            contrib = {t: {"white_numbers": [np.int64(w) for w in whites[:2]], "weight": LEGACY_WEIGHTS[t],
                           "score": np.float64(RNG.uniform())} for t in tools}
        else:
            contrib = {t: np.float64(LEGACY_WEIGHTS[t]) for t in tools}
        p = {
            "timestamp": ts_variants(i, base),
            "white_numbers": [np.int64(w) for w in whites] if i % 4 else np.array(whites, dtype=np.int64),
            "powerball": np.int64(pb) if i % 2 else pb,
            "probability": np.float64(RNG.uniform(1e-9, 1e-6)) if i % 5 else float(RNG.uniform(0, 1)),
            "tool_contributions": contrib,
            "sources": tools,
            "method": "weighted_ensemble" if i % 7 else "ml_prediction",
        }
        if i % 10 == 0:
            p["prediction_id"] = "pred_%06d" % i
        if i % 11 == 0:
            p["analysis"] = {"sum": np.int64(sum(whites)), "odd_count": int(sum(w % 2 for w in whites)),
                             "features": np.arange(4, dtype=np.float64) / 3.0}
        preds.append(p)
    # What the old code also wrote: a 4-number ticket, a duplicate white, a missing timestamp, a None.
    preds.append({"timestamp": "2023-05-02 10:00:00", "white_numbers": [3, 14, 15, 92], "powerball": 6,
                  "probability": 0.1, "tool_contributions": {}, "sources": []})
    preds.append({"timestamp": dt.datetime(2023, 5, 3), "white_numbers": [5, 5, 10, 20, 30], "powerball": 7,
                  "probability": np.float64(0.5), "tool_contributions": {"combo": 0.15}, "sources": ["combo"]})
    preds.append({"white_numbers": [1, 2, 3, 4, 5], "powerball": 1, "probability": 0.01,
                  "tool_contributions": {}, "sources": []})
    preds.append({"timestamp": "not a date", "white_numbers": [1, 2, 3, 4, 6], "powerball": 2,
                  "probability": None, "tool_contributions": None, "sources": None})
    preds.append("garbage entry")

    accuracy = []
    for i in range(0, n_pred, 3):
        aw, ap = ticket(i)
        pw = preds[i]["white_numbers"]
        pw = [int(x) for x in pw]
        wm = len(set(pw) & set(aw))
        accuracy.append({
            "timestamp": ts_variants(i + 1, base + dt.timedelta(days=2)),
            "prediction": {"white_numbers": pw, "powerball": int(preds[i]["powerball"])},
            "prediction_index": i,
            "actual_numbers": [np.int64(x) for x in aw],
            "actual_powerball": np.int64(ap),
            "draw_date": (dt.date(2023, 3, 1) + dt.timedelta(days=i)),
            "white_matches": np.int64(wm),
            "powerball_match": bool(int(preds[i]["powerball"]) == ap),
            "accuracy_score": np.float64(wm / 5.0),
        })
    accuracy.append({"timestamp": "2023-06-01", "actual_numbers": "1,2,3", "prediction": None})

    feedback = []
    weights = dict(LEGACY_WEIGHTS)
    for i in range(60):
        before = dict(weights)
        tool = TOOLS[i % len(TOOLS)]
        delta = float(RNG.normal(0, 0.01))
        weights[tool] = max(0.01, weights[tool] + delta)
        feedback.append({
            "timestamp": ts_variants(i, base + dt.timedelta(days=3)),
            "tool": tool,
            "adjustment": np.float64(delta),
            "reason": "matched %d numbers" % (i % 4),
            "weights_before": before,
            "weights_after": dict(weights),
            "draw_date": "2023-%02d-%02d" % (3 + i // 28, 1 + i % 28),
        })
    return {"predictions": preds, "accuracy": accuracy, "feedback": feedback,
            "last_updated": dt.datetime(2024, 1, 15, 10, 30), "version": "2.1"}


TS_FORMATS = [
    lambda t: t.strftime("%Y-%m-%d %H:%M:%S"),
    lambda t: t.isoformat(),
    lambda t: t.replace(microsecond=0).isoformat() + "Z",
    lambda t: t.replace(tzinfo=dt.timezone(dt.timedelta(hours=2))).isoformat(),
    lambda t: t.strftime("%Y-%m-%d %H:%M:%S.%f"),
    lambda t: int(t.replace(tzinfo=dt.timezone.utc).timestamp()),   # unix seconds stored as INTEGER
]


def make_model_db(path, with_artifact_path, artifacts):
    con = sqlite3.connect(path)
    c = con.cursor()
    c.executescript("""
    CREATE TABLE model_predictions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        model_name TEXT NOT NULL,
        prediction_id TEXT NOT NULL,
        prediction_set_id TEXT NOT NULL,
        white_numbers TEXT NOT NULL,
        powerball INTEGER NOT NULL,
        probability REAL NOT NULL,
        features_used TEXT NOT NULL,
        hyperparameters TEXT NOT NULL,
        performance_metrics TEXT NOT NULL,
        created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
        version TEXT DEFAULT '1.0',
        is_active BOOLEAN DEFAULT TRUE
    );
    CREATE TABLE prediction_sets (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        set_id TEXT UNIQUE NOT NULL,
        model_name TEXT NOT NULL,
        created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
        is_current BOOLEAN DEFAULT TRUE,
        total_predictions INTEGER DEFAULT 5,
        training_duration REAL,
        notes TEXT
    );
    CREATE TABLE prediction_accuracy (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        prediction_id TEXT NOT NULL,
        actual_draw_date TEXT,
        actual_white_numbers TEXT,
        actual_powerball INTEGER,
        white_matches INTEGER,
        powerball_match BOOLEAN,
        prize_tier TEXT,
        accuracy_score REAL,
        created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
    );
    CREATE INDEX idx_model_predictions_set ON model_predictions(prediction_set_id);
    """)
    if with_artifact_path:
        c.execute("ALTER TABLE prediction_sets ADD COLUMN model_artifact_path TEXT")
    base = dt.datetime(2023, 9, 1, 8, 0, 0, 250000)
    features = ["sum", "mean", "std", "dow", "month", "hot", "cold", "gap_mean", "z", "exp", "even", "grid"]
    pred_no = 0
    models = ["ridge", "random_forest", "gradient_boosting"]
    for s in range(36):
        model = models[s % 3]
        t = base + dt.timedelta(days=3 * s, minutes=s)
        set_id = "%s_%s" % (model, t.strftime("%Y%m%d_%H%M%S"))
        n = 5 if s % 9 else 1                                   # sets with a single prediction
        if s % 12 == 11:
            n = 3
        created = TS_FORMATS[s % len(TS_FORMATS)](t)
        cols = "set_id, model_name, created_at, is_current, total_predictions, training_duration, notes"
        vals = [set_id, model, created, 1 if s >= 33 else 0, 5 if s % 4 else n, round(1.5 + s * 0.25, 3),
                None if s % 5 else "retrained after draw %d" % s]
        if with_artifact_path:
            cols += ", model_artifact_path"
            art = artifacts.get(model) if s % 3 == 0 or s >= 33 else None
            if s == 6:
                art = "/home/legacy/powerball/models/ridge_19990101_000000.joblib"   # points nowhere
            vals.append(art)
        if s != 20:                                              # set 20: predictions whose set is missing
            c.execute("INSERT INTO prediction_sets (%s) VALUES (%s)" % (cols, ",".join("?" * len(vals))), vals)
        hp = {"ridge": {"alpha": 1.0}, "random_forest": {"n_estimators": 10, "max_depth": 6},
              "gradient_boosting": {"n_estimators": 15, "learning_rate": 0.1, "max_depth": 3}}[model]
        for k in range(n):
            whites, pb = ticket(pred_no)
            pred_no += 1
            wjson = json.dumps(whites)
            fjson = json.dumps(features)
            mjson = json.dumps({"mae_white": round(float(RNG.uniform(10, 15)), 4),
                                "mae_powerball": round(float(RNG.uniform(6, 8)), 4), "cv_folds": 5})
            if s == 14 and k == 1:
                wjson = "[12, 18, 33, 41"                          # truncated JSON
            if s == 15 and k == 2:
                fjson = "{'sum': 1}"                               # python repr, not JSON
            if s == 16 and k == 0:
                wjson = json.dumps(whites[:4])                     # four numbers
            if s == 17 and k == 3:
                wjson = "not json at all"
            pid = "%s_pred_%d" % (set_id, k + 1)
            psid = set_id
            if s == 25:
                psid = ""                                          # empty prediction_set_id
            c.execute("""INSERT INTO model_predictions (model_name, prediction_id, prediction_set_id,
                white_numbers, powerball, probability, features_used, hyperparameters, performance_metrics,
                created_at, version, is_active) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
                      (model, pid, psid, wjson, pb, float(RNG.uniform(1e-9, 1e-8)), fjson, json.dumps(hp), mjson,
                       TS_FORMATS[(s + k) % len(TS_FORMATS)](t + dt.timedelta(seconds=k)),
                       "1.0" if s < 18 else "2.0", 1 if s >= 33 else 0))
        if s == 10:
            # The old code re-ran a set with the same id: duplicate set ids in model_predictions.
            for k in range(2):
                whites, pb = ticket(pred_no)
                pred_no += 1
                c.execute("""INSERT INTO model_predictions (model_name, prediction_id, prediction_set_id,
                    white_numbers, powerball, probability, features_used, hyperparameters, performance_metrics,
                    created_at) VALUES (?,?,?,?,?,?,?,?,?,?)""",
                          (model, "%s_pred_%d" % (set_id, k + 1), set_id, json.dumps(whites), pb, 0.0,
                           json.dumps(features), json.dumps(hp), "{}", t.isoformat()))
    # Accuracy rows: some for real predictions, one for an unknown prediction, odd dates.
    rows = c.execute("SELECT prediction_id FROM model_predictions ORDER BY id LIMIT 40").fetchall()
    for j, (pid,) in enumerate(rows):
        aw, ap = ticket(1000 + j)
        dd = (dt.date(2023, 9, 2) + dt.timedelta(days=3 * j))
        draw_date = dd.isoformat() if j % 3 else dd.strftime("%m/%d/%Y")
        c.execute("""INSERT INTO prediction_accuracy (prediction_id, actual_draw_date, actual_white_numbers,
            actual_powerball, white_matches, powerball_match, prize_tier, accuracy_score, created_at)
            VALUES (?,?,?,?,?,?,?,?,?)""",
                  (pid, draw_date, json.dumps(aw) if j != 7 else "1 2 3 4 5", ap, j % 3, 1 if j % 11 == 0 else 0,
                   None if j % 3 == 0 else "no prize", round(j % 3 / 5, 3),
                   TS_FORMATS[j % len(TS_FORMATS)](dt.datetime(2023, 9, 3) + dt.timedelta(days=3 * j))))
    c.execute("""INSERT INTO prediction_accuracy (prediction_id, actual_draw_date, actual_white_numbers,
        actual_powerball, white_matches, powerball_match, accuracy_score, created_at)
        VALUES ('pred_does_not_exist', '2023-10-04', '[1,2,3,4,5]', 9, 0, 0, 0.0, 'yesterday')""")
    con.commit()
    con.close()


def make_experiments_db(path):
    con = sqlite3.connect(path)
    c = con.cursor()
    c.executescript("""
    CREATE TABLE experiment_jobs (
        job_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT,
        config TEXT NOT NULL,
        status TEXT DEFAULT 'pending',
        created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
        started_at TIMESTAMP,
        completed_at TIMESTAMP,
        error_message TEXT,
        progress REAL DEFAULT 0.0
    );
    CREATE TABLE experiment_runs (
        run_id TEXT PRIMARY KEY,
        job_id TEXT NOT NULL,
        run_number INTEGER,
        model_name TEXT NOT NULL,
        hyperparameters TEXT,
        metrics TEXT,
        status TEXT DEFAULT 'pending',
        started_at TIMESTAMP,
        completed_at TIMESTAMP,
        duration_seconds REAL,
        artifact_path TEXT,
        FOREIGN KEY (job_id) REFERENCES experiment_jobs(job_id)
    );
    CREATE TABLE metrics_timeseries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL,
        metric_name TEXT NOT NULL,
        value REAL,
        step INTEGER,
        timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP
    );
    """)
    base = dt.datetime(2023, 11, 1, 12, 0, 0)
    statuses = ["completed", "completed", "failed", "running", "completed"]
    for j in range(5):
        job = "job_%08x" % (0xabc000 + j)
        t = base + dt.timedelta(days=j)
        cfg = {"models": ["ridge", "random_forest"], "search": "grid", "param_grid": {"alpha": [0.1, 1.0, 10.0]},
               "cv_folds": 5}
        c.execute("INSERT INTO experiment_jobs VALUES (?,?,?,?,?,?,?,?,?,?)",
                  (job, "tuning run %d" % j, None if j % 2 else "grid search", json.dumps(cfg) if j != 3 else "{bad",
                   statuses[j], TS_FORMATS[j % 6](t), t.isoformat(), None if statuses[j] == "running"
                   else (t + dt.timedelta(minutes=5)).isoformat(), "ValueError: NaN in input" if statuses[j] == "failed"
                   else None, 1.0 if statuses[j] == "completed" else 0.4))
        for r in range(4):
            run = "%s_run_%d" % (job, r)
            m = {"mae": round(float(RNG.uniform(10, 14)), 4), "rmse": round(float(RNG.uniform(13, 17)), 4),
                 "fold_mae": [round(float(x), 4) for x in RNG.uniform(10, 15, 5)]}
            c.execute("INSERT INTO experiment_runs VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                      (run, job if not (j == 4 and r == 3) else "job_missing", r + 1, ["ridge", "random_forest"][r % 2],
                       json.dumps({"alpha": [0.1, 1.0, 10.0, 100.0][r]}), json.dumps(m) if r != 2 or j != 1 else "",
                       "completed", (t + dt.timedelta(seconds=30 * r)).isoformat(),
                       (t + dt.timedelta(seconds=30 * r + 20)).strftime("%Y-%m-%d %H:%M:%S"), 20.0 + r, None))
            for step in range(8):
                c.execute("INSERT INTO metrics_timeseries (run_id, metric_name, value, step, timestamp) VALUES (?,?,?,?,?)",
                          (run, "mae" if step % 2 == 0 else "val_loss", float(15 - step * 0.3 + RNG.normal(0, 0.1)),
                           step, TS_FORMATS[step % 6](t + dt.timedelta(seconds=30 * r + step))))
    c.execute("INSERT INTO metrics_timeseries (run_id, metric_name, value, step, timestamp) VALUES "
              "('run_nowhere', 'mae', 1.0, 0, '2023-11-01 12:00:00')")
    con.commit()
    con.close()


def artifact(white, pb, model_type, trained_at):
    return {"white_pipeline": white, "powerball_pipeline": pb, "model_type": model_type, "trained_at": trained_at,
            "feature_count": np.int64(N_FEATURES), "sklearn_version": sklearn.__version__}


COMPRESSIONS = [("none", 0), ("zlib", ("zlib", 3)), ("gzip", ("gzip", 3)), ("bz2", ("bz2", 3)),
                ("lzma", ("lzma", 3)), ("xz", ("xz", 3)), ("lz4", ("lz4", 3))]


class Hostile:
    """Pickles as a call to `fn(*args)`: what an attacker puts in a .joblib file."""

    def __init__(self, fn, args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return (self.fn, self.args)


def framed(body):
    """A protocol-4 pickle: PROTO 4, one FRAME holding body."""
    return b"\x80\x04\x95" + len(body).to_bytes(8, "little") + body


def write_hostile(folder):
    import builtins
    import subprocess
    written = []
    for proto in range(6):
        for name, obj in [("os-system", Hostile(os.system, ("echo pwned",))),
                          ("builtins-eval", Hostile(builtins.eval, ("__import__('os').getcwd()",))),
                          ("subprocess-popen", Hostile(subprocess.Popen, (["echo", "pwned"],)))]:
            data = pickle.dumps({"predictions": [obj]}, protocol=proto)
            fn = "%s.p%d.pkl" % (name, proto)
            open(os.path.join(folder, fn), "wb").write(data)
            written.append(fn)
    # Hand-crafted: STACK_GLOBAL of os.system, INST opcode, NEWOBJ of an unlisted class, a hostile
    # global hidden behind an allowed-looking module prefix, getattr chains.
    crafted = {
        "stack-global-os-system.pkl": framed(b"\x8c\x02os\x94\x8c\x06system\x94\x93\x94\x8c\x02id\x94\x85\x94R\x94."),
        "inst-os-system.pkl": b"(S'id'\nios\nsystem\n.",
        "obj-posix-system.pkl": b"(cposix\nsystem\nS'id'\no.",
        "newobj-unlisted.pkl": b"\x80\x02csubprocess\nPopen\nq\x00)\x81q\x01.",
        "builtins-getattr.pkl": b"\x80\x02c__builtin__\ngetattr\n(c__builtin__\nobject\nS'__subclasses__'\ntR.",
        "numpy-lookalike.pkl": b"\x80\x02cnumpy.core.multiarray\nsystem\n(S'id'\ntR.",
        "sklearn-lookalike.pkl": b"\x80\x02csklearn.linear_model._ridge\nos\n)R.",
        "ext-registry.pkl": b"\x80\x02\x82\x01)R.",
        "persid.pkl": b"\x80\x02X\x03\x00\x00\x00abcQ.",
    }
    for fn, data in crafted.items():
        open(os.path.join(folder, fn), "wb").write(data)
        written.append(fn)
    # A hostile payload inside a compressed joblib file.
    joblib.dump({"predictions": [Hostile(os.system, ("echo pwned",))]}, os.path.join(folder, "os-system.joblib.gz"),
                compress=("gzip", 3))
    written.append("os-system.joblib.gz")
    return written


def main():
    fresh(ROOT)
    X_train, models = fit_models()
    trained_at = dt.datetime(2024, 1, 15, 10, 30, 0)

    # ---- app-basic ----------------------------------------------------------------------------
    app = os.path.join(ROOT, "app-basic")
    for sub in ["data", "models", "data/experiment_tracking", "data/ml_memory"]:
        os.makedirs(os.path.join(app, sub), exist_ok=True)
    hist = history()
    joblib.dump(hist, os.path.join(app, "data", "prediction_history.joblib"))
    joblib.dump({"white_balls": models["rf_white"], "powerball": models["ridge_pb"]},
                os.path.join(app, "data", "prediction_models.joblib"))
    artifacts = {}
    for kind, (w, p), stamp in [("ridge", ("ridge_white", "ridge_pb"), "20240115_103000"),
                                ("random_forest", ("rf_white", "rf_pb"), "20240116_091500"),
                                ("gradient_boosting", ("gb_white", "gb_pb"), "20240117_180005")]:
        rel = "models/%s_%s.joblib" % (kind, stamp)
        joblib.dump(artifact(models[w], models[p], kind, dt.datetime.strptime(stamp, "%Y%m%d_%H%M%S")),
                    os.path.join(app, rel))
        artifacts[kind] = rel if kind != "gradient_boosting" else "/home/legacy/powerball/" + rel
    make_model_db(os.path.join(app, "data", "model_predictions.db"), True, artifacts)
    make_experiments_db(os.path.join(app, "data", "experiment_tracking", "experiments.db"))
    for kind in ["ridge", "random_forest", "gradient_boosting"]:
        mem = {"model_name": kind, "last_training": {
            "timestamp": "2024-01-1%dT10:30:00" % (5 + ["ridge", "random_forest", "gradient_boosting"].index(kind)),
            "training_samples": 1200, "feature_count": N_FEATURES, "training_duration": 3.25,
            "metrics": {"mae_white": 12.4, "mae_powerball": 7.1}, "hyperparameters": {"alpha": 1.0}},
            "history": [{"timestamp": "2023-12-0%dT10:00:00Z" % d, "mae_white": 12.0 + d / 10} for d in range(1, 4)]}
        with open(os.path.join(app, "data", "ml_memory", "%s_memory.json" % kind), "w") as f:
            json.dump(mem, f, indent=2)
    with open(os.path.join(app, "data", "ml_memory", "broken_memory.json"), "w") as f:
        f.write('{"model_name": "broken", "last_training": ')

    # ---- app-minimal: older schema (no model_artifact_path), only a history -------------------
    mini = os.path.join(ROOT, "app-minimal")
    os.makedirs(os.path.join(mini, "data"))
    small = {"predictions": hist["predictions"][:12], "accuracy": [], "feedback": []}
    joblib.dump(small, os.path.join(mini, "data", "prediction_history.joblib"), compress=3)
    make_model_db(os.path.join(mini, "data", "model_predictions.db"), False, {})

    # ---- compression --------------------------------------------------------------------------
    comp = os.path.join(ROOT, "compression")
    os.makedirs(comp)
    payload_models = {"white_balls": models["gb_white"], "powerball": models["gb_pb"]}
    for name, c in COMPRESSIONS:
        joblib.dump(payload_models, os.path.join(comp, "models.%s.joblib" % name), compress=c)
        joblib.dump(small, os.path.join(comp, "history.%s.joblib" % name), compress=c)
    # F-ordered and 0-d arrays, big-endian, structured and object arrays, joblib without alignment.
    arrays = {"f_order": np.asfortranarray(np.arange(12, dtype=np.float64).reshape(3, 4)),
              "zero_d": np.array(7.5), "big_endian": np.arange(5, dtype=">i4"),
              "bools": np.array([True, False, True]), "u8": np.arange(4, dtype=np.uint8),
              "f32": np.array([0.1, 0.2], dtype=np.float32), "empty": np.zeros((0, 3)),
              "objects": np.array(["a", 1, None], dtype=object), "unicode": np.array(["ab", "c"]),
              "structured": np.array([(1, 2.5), (3, 4.5)], dtype=[("a", "<i8"), ("b", "<f8")]),
              "i16": np.array([-1, 2], dtype=np.int16), "scalar_i64": np.int64(2 ** 62), "scalar_f32": np.float32(0.1),
              "scalar_bool": np.bool_(True), "scalar_u16": np.uint16(65535)}
    joblib.dump(arrays, os.path.join(comp, "arrays.none.joblib"))
    joblib.dump(arrays, os.path.join(comp, "arrays.zlib.joblib"), compress=("zlib", 1))
    # A bz2 "bomb": 64 MiB of zeros in a few hundred bytes (Node has no bz2 compressor for the test).
    import bz2
    open(os.path.join(comp, "bomb.bz2"), "wb").write(bz2.compress(b"\0" * (64 * 1024 * 1024), 9))
    # The same as joblib writes lzma: FORMAT_ALONE with an unknown size and an end marker.
    import lzma
    open(os.path.join(comp, "bomb.lzma"), "wb").write(lzma.compress(b"\0" * (64 * 1024 * 1024), format=lzma.FORMAT_ALONE))

    # ---- protocols: plain pickle with every protocol --------------------------------------------
    prot = os.path.join(ROOT, "protocols")
    os.makedirs(prot)
    plain = {"predictions": hist["predictions"][:20], "when": dt.datetime(2024, 1, 2, 3, 4, 5, 6),
             "day": dt.date(2024, 2, 29), "span": dt.timedelta(days=-1, seconds=5, microseconds=7),
             "tz": dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30), "IST")),
             "set": {1, 2, 3}, "frozen": frozenset(["a"]), "bytes": b"\x00\x01\xff", "ba": bytearray(b"xy"),
             "big": 2 ** 100, "neg": -(2 ** 70), "float": 1.5e-300, "tuple": (1, (2, 3)), "nested": [[[]]],
             "unicode": "Powerball \u00e9\u4e2d\U0001F3B1", "true": True, "none": None,
             "arr": np.arange(6, dtype=np.int64).reshape(2, 3), "np_f": np.float64(2.5)}
    shared = [1, 2]
    plain["shared_a"] = shared
    plain["shared_b"] = shared
    from collections import OrderedDict
    plain["ordered"] = OrderedDict([("z", 1), ("a", 2)])
    for p in range(6):
        open(os.path.join(prot, "data.p%d.pkl" % p), "wb").write(pickle.dumps(plain, protocol=p))
        open(os.path.join(prot, "ridge.p%d.pkl" % p), "wb").write(pickle.dumps(models["ridge_pb"], protocol=p))
        open(os.path.join(prot, "tree.p%d.pkl" % p), "wb").write(pickle.dumps(models["tree"], protocol=p))

    # ---- hostile -------------------------------------------------------------------------------
    hostile = os.path.join(ROOT, "hostile")
    os.makedirs(hostile)
    hostile_files = write_hostile(hostile)

    # ---- reference predictions -----------------------------------------------------------------
    ref = os.path.join(ROOT, "reference")
    os.makedirs(ref)
    Xr = reference_matrix(X_train, models)
    joblib.dump(models["tree"], os.path.join(ref, "tree.joblib"))
    joblib.dump(models["gb_zero"], os.path.join(ref, "gb_zero.joblib"))
    joblib.dump(models["gb_lad"], os.path.join(ref, "gb_lad.joblib"))
    joblib.dump(models["scaler_only_ridge"], os.path.join(ref, "scaler_only_ridge.joblib"))
    # (file, key path inside the loaded object, model) — key path [] means the file is the model.
    cases = [
        ("app-basic/data/prediction_models.joblib", ["white_balls"], "rf_white"),
        ("app-basic/data/prediction_models.joblib", ["powerball"], "ridge_pb"),
        ("app-basic/models/ridge_20240115_103000.joblib", ["white_pipeline"], "ridge_white"),
        ("app-basic/models/ridge_20240115_103000.joblib", ["powerball_pipeline"], "ridge_pb"),
        ("app-basic/models/random_forest_20240116_091500.joblib", ["white_pipeline"], "rf_white"),
        ("app-basic/models/random_forest_20240116_091500.joblib", ["powerball_pipeline"], "rf_pb"),
        ("app-basic/models/gradient_boosting_20240117_180005.joblib", ["white_pipeline"], "gb_white"),
        ("app-basic/models/gradient_boosting_20240117_180005.joblib", ["powerball_pipeline"], "gb_pb"),
        ("reference/tree.joblib", [], "tree"),
        ("reference/gb_zero.joblib", [], "gb_zero"),
        ("reference/gb_lad.joblib", [], "gb_lad"),
        ("reference/scaler_only_ridge.joblib", [], "scaler_only_ridge"),
    ] + [("compression/models.%s.joblib" % n, ["white_balls"], "gb_white") for n, _ in COMPRESSIONS] \
      + [("protocols/ridge.p%d.pkl" % p, [], "ridge_pb") for p in range(6)] \
      + [("protocols/tree.p%d.pkl" % p, [], "tree") for p in range(6)]
    out = []
    for f, keys, name in cases:
        y = models[name].predict(Xr)
        out.append({"file": f, "path": keys, "model": name,
                    "outputs": 1 if y.ndim == 1 else int(y.shape[1]),
                    "predictions": [[float(v)] if np.ndim(v) == 0 else [float(x) for x in v] for v in y]})
    with open(os.path.join(ref, "X.json"), "w") as f:
        json.dump({"rows": [[float(v) for v in r] for r in Xr]}, f)
    with open(os.path.join(ref, "predictions.json"), "w") as f:
        json.dump({"generator": "scripts/make-legacy-fixtures.py", "sklearn": sklearn.__version__,
                   "joblib": joblib.__version__, "numpy": np.__version__, "python": sys.version.split()[0],
                   "cases": out}, f)
    with open(os.path.join(ref, "expected.json"), "w") as f:
        json.dump({"history": {"predictions": len(hist["predictions"]), "accuracy": len(hist["accuracy"]),
                               "feedback": len(hist["feedback"])},
                   "hostile": hostile_files}, f, indent=1)

    with open(os.path.join(ROOT, "README.md"), "w") as f:
        f.write(__doc__.replace("Write realistic", "Realistic").split("Run with")[0]
                + "Generated by scripts/make-legacy-fixtures.py with scikit-learn %s, joblib %s, numpy %s, "
                  "Python %s. Do not edit by hand; re-run the script.\n\n" % (
                      sklearn.__version__, joblib.__version__, np.__version__, sys.version.split()[0])
                + "Layout:\n" + __doc__.split("Layout written")[1].split("\n", 1)[1])


if __name__ == "__main__":
    main()
