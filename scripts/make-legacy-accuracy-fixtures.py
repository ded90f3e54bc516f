#!/usr/bin/python3
"""Legacy app folders holding accuracy records in the shapes the legacy app really wrote.

Run with Debian's Python (`apt-get install -y python3-joblib python3-numpy`):

    /usr/bin/python3 scripts/make-legacy-accuracy-fixtures.py

The legacy app (RobbyMo81/claude-agent-templates, templates/lotto-data-analyzer) kept accuracy in
two places, and this script re-enacts both with a fixed clock:

- data/model_predictions.db: tables as core/persistent_model_predictions.py and
  core/prediction_accuracy_evaluator.py create them. A prediction set is stored the way
  store_model_predictions stores it (older sets of the model stop being current, their
  predictions inactive); a draw is evaluated the way evaluate_predictions_against_draw does it:
  one row per model holding averages over the model's active predictions, white and total matches
  rounded to 2 decimals, powerball_matched = "some ticket hit", and prediction_set_id read from a
  dict that has no such key, so '' (a few rows here carry a set id, as a fixed evaluator would).
- data/prediction_history.joblib: predictions appended as PredictionStorageManager.store_prediction
  appends them; after a draw update_with_new_draw appends {white_matches, pb_match, white_accuracy,
  full_match} for predictions[-1] (and a {tool: score} feedback dict). app-stamped adds a timestamp
  and draw date to each accuracy entry, as the issue allows a later version to have done.

Every accuracy record's expected fate (link, check against the real draw, skip) is written to
expected.json from what the scenario did, not from the migration's rules. Draw results come from
data/powerball/draws.csv, so the checks run against the real history.

Layout:
  app-real/     model_predictions.db + prediction_history.joblib, both in the real shapes
  app-single/   a history holding one prediction: every accuracy entry followed it
  app-stamped/  a history whose accuracy entries carry timestamps and draw dates
  draws.csv     the real draws of 2024-12-01 to 2025-03-01 (from data/powerball/draws.csv)
  expected.json what each accuracy record must become
"""

import datetime as dt
import json
import os
import shutil
import sqlite3

import joblib
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "test", "fixtures", "legacy-accuracy")
DRAWS_CSV = os.path.join(HERE, "..", "data", "powerball", "draws.csv")
MODELS = ["Ridge Regression", "Random Forest", "Gradient Boosting"]
UTC = dt.timezone.utc
RNG = np.random.RandomState(20250119)


def real_draws():
    out = {}
    with open(DRAWS_CSV) as f:
        next(f)
        for line in f:
            c = line.strip().split(",")
            out[c[0]] = ([int(x) for x in c[1:6]], int(c[6]))
    return out


DRAWS = real_draws()


def ticket():
    return sorted(int(x) for x in RNG.choice(np.arange(1, 70), 5, replace=False)), int(RNG.randint(1, 27))


# ---- data/model_predictions.db ------------------------------------------------------------------

SCHEMA = """
CREATE TABLE IF NOT EXISTS model_predictions (
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
    created_at TIMESTAMP NOT NULL,
    version INTEGER DEFAULT 1,
    is_active BOOLEAN DEFAULT TRUE,
    UNIQUE(model_name, prediction_id, version)
);
CREATE TABLE IF NOT EXISTS prediction_sets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    set_id TEXT UNIQUE NOT NULL,
    model_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    is_current BOOLEAN DEFAULT TRUE,
    total_predictions INTEGER DEFAULT 5,
    training_duration REAL,
    notes TEXT,
    model_artifact_path TEXT
);
CREATE INDEX IF NOT EXISTS idx_model_name ON model_predictions(model_name);
CREATE INDEX IF NOT EXISTS idx_prediction_set ON model_predictions(prediction_set_id);
CREATE INDEX IF NOT EXISTS idx_active ON model_predictions(is_active);
CREATE INDEX IF NOT EXISTS idx_current_sets ON prediction_sets(is_current);
CREATE TABLE IF NOT EXISTS prediction_accuracy (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    prediction_set_id TEXT NOT NULL,
    model_name TEXT NOT NULL,
    draw_date TEXT NOT NULL,
    actual_white_numbers TEXT NOT NULL,
    actual_powerball INTEGER NOT NULL,
    white_numbers_matched INTEGER NOT NULL,
    powerball_matched BOOLEAN NOT NULL,
    total_matches INTEGER NOT NULL,
    accuracy_score REAL NOT NULL,
    evaluated_at TEXT NOT NULL,
    FOREIGN KEY (prediction_set_id) REFERENCES prediction_sets(set_id)
);
CREATE INDEX IF NOT EXISTS idx_accuracy_model_date ON prediction_accuracy(model_name, draw_date);
"""


class LegacyDb:
    """The legacy prediction store and accuracy evaluator, with the clock passed in."""

    def __init__(self, path):
        self.con = sqlite3.connect(path)
        self.con.executescript(SCHEMA)
        self.expected = []

    def store_set(self, model, at, n):
        """As store_model_predictions: returns the set id."""
        iso = at.astimezone(UTC).isoformat()
        set_id = "%s_%s" % (model.lower().replace(" ", "_"),
                            iso.replace(":", "").replace("-", "").replace("T", "_").replace(".", "_"))
        c = self.con.cursor()
        c.execute("UPDATE prediction_sets SET is_current = FALSE WHERE model_name = ? AND is_current = TRUE", (model,))
        c.execute("UPDATE model_predictions SET is_active = FALSE WHERE model_name = ? AND is_active = TRUE", (model,))
        c.execute("INSERT OR REPLACE INTO prediction_sets (set_id, model_name, created_at, is_current, "
                  "total_predictions, training_duration, notes, model_artifact_path) VALUES (?,?,?,?,?,?,?,?)",
                  (set_id, model, iso, True, n, 2.5, None, None))
        for i in range(n):
            whites, pb = ticket()
            c.execute("INSERT INTO model_predictions (model_name, prediction_id, prediction_set_id, white_numbers, "
                      "powerball, probability, features_used, hyperparameters, performance_metrics, created_at, "
                      "version, is_active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, TRUE)",
                      (model, "%s_pred_%d" % (set_id, i + 1), set_id, json.dumps(whites), pb,
                       float(RNG.uniform(1e-9, 1e-8)), json.dumps(["sum", "mean", "gap"]),
                       json.dumps({"alpha": 1.0}), json.dumps({"mae": 12.5}), iso))
        self.con.commit()
        return set_id

    def evaluate(self, draw_date, at, expect, actual=None, set_ids=None):
        """As evaluate_predictions_against_draw; `expect[model]` is the link the migration must make."""
        whites, pb = actual if actual is not None else DRAWS[draw_date]
        c = self.con.cursor()
        for model in MODELS:
            rows = c.execute("SELECT prediction_id, white_numbers, powerball, prediction_set_id FROM model_predictions "
                             "WHERE model_name = ? AND is_active = TRUE ORDER BY prediction_id", (model,)).fetchall()
            if not rows:
                continue
            results = []
            for _, w, p, _ in rows:
                wm = len(set(whites) & set(json.loads(w)))
                hit = p == pb
                results.append((wm, hit, wm + (1 if hit else 0), (wm + (1 if hit else 0)) / 6.0))
            n = len(results)
            set_id = (set_ids or {}).get(model, "")
            c.execute("INSERT INTO prediction_accuracy (prediction_set_id, model_name, draw_date, actual_white_numbers, "
                      "actual_powerball, white_numbers_matched, powerball_matched, total_matches, accuracy_score, "
                      "evaluated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (set_id, model, draw_date, json.dumps(whites), pb, round(sum(r[0] for r in results) / n, 2),
                       sum(1 for r in results if r[1]) > 0, round(sum(r[2] for r in results) / n, 2),
                       sum(r[3] for r in results) / n, at.replace(tzinfo=UTC).isoformat()))
            e = dict(expect[model])
            e["record"] = "prediction_accuracy row %d" % c.lastrowid
            e["model"] = model
            e["evaluated_set"] = rows[0][3]
            self.expected.append(e)
        self.con.commit()


def at(s):
    return dt.datetime.fromisoformat(s)


def make_db(path):
    db = LegacyDb(path)
    first = {m: db.store_set(m, at("2025-01-02T10:00:00.250000"), 3 if m == "Gradient Boosting" else 5)
             for m in MODELS}
    cur = lambda s: {"link": "current_at_draw", "set_id": s, "check": "agrees"}
    # Draw of 2025-01-04 evaluated the next morning: the sets current at the draw were evaluated.
    db.evaluate("2025-01-04", at("2025-01-05T09:00:00"), {m: cur(first[m]) for m in MODELS})
    ridge2 = db.store_set("Ridge Regression", at("2025-01-07T12:00:00.5"), 5)
    db.evaluate("2025-01-08", at("2025-01-09T08:30:00"),
                {"Ridge Regression": cur(ridge2), "Random Forest": cur(first["Random Forest"]),
                 "Gradient Boosting": cur(first["Gradient Boosting"])})
    # A Random Forest set made after the draw of 2025-01-11 but before it was evaluated: the legacy
    # scored that newer set, the set current at the draw is another one, so no link can be trusted.
    rf2 = db.store_set("Random Forest", at("2025-01-12T15:00:00"), 5)
    db.evaluate("2025-01-11", at("2025-01-14T08:00:00"),
                {"Ridge Regression": cur(ridge2),
                 "Random Forest": {"link": "none", "check": "agrees", "why": "newer set"},
                 "Gradient Boosting": cur(first["Gradient Boosting"])})
    # The user typed the draw of 2025-01-15 wrong: the legacy figures disagree with the real draw.
    real_w, real_pb = DRAWS["2025-01-15"]
    typo = ([real_w[0], real_w[1], real_w[2], real_w[3], 1 if real_w[4] != 1 else 2], real_pb % 26 + 1)
    db.evaluate("2025-01-15", at("2025-01-16T07:00:00"),
                {"Ridge Regression": dict(cur(ridge2), check="disagrees"),
                 "Random Forest": dict(cur(rf2), check="disagrees"),
                 "Gradient Boosting": dict(cur(first["Gradient Boosting"]), check="disagrees")}, actual=typo)
    # A fixed evaluator that wrote the set id; one id names no set, so the draw date decides.
    db.evaluate("2025-01-18", at("2025-01-19T10:00:00"),
                {"Ridge Regression": {"link": "set_id", "set_id": ridge2, "check": "agrees"},
                 "Random Forest": {"link": "set_id", "set_id": rf2, "check": "agrees"},
                 "Gradient Boosting": cur(first["Gradient Boosting"])},
                set_ids={"Ridge Regression": ridge2, "Random Forest": rf2,
                         "Gradient Boosting": "gradient_boosting_19990101_000000"})
    # Draws the database does not have: a Thursday typed by mistake, and a draw after the history.
    db.evaluate("2025-01-16", at("2025-01-19T11:00:00"),
                {m: dict(cur(s), check="no draw") for m, s in
                 [("Ridge Regression", ridge2), ("Random Forest", rf2), ("Gradient Boosting", first["Gradient Boosting"])]},
                actual=([3, 9, 27, 44, 61], 7))
    db.evaluate("2026-09-02", at("2026-09-03T09:00:00"),
                {m: dict(cur(s), check="no draw") for m, s in
                 [("Ridge Regression", ridge2), ("Random Forest", rf2), ("Gradient Boosting", first["Gradient Boosting"])]},
                actual=([5, 17, 22, 48, 60], 11))
    # An old draw entered after the sets existed: no set of any model was made before it.
    db.evaluate("2024-12-30", at("2025-01-20T09:00:00"),
                {m: {"link": "none", "check": "agrees", "why": "no set before the draw"} for m in MODELS})
    # Rows whose own figures are impossible (edited by hand): the only ones to be skipped.
    c = db.con.cursor()
    c.execute("INSERT INTO prediction_accuracy (prediction_set_id, model_name, draw_date, actual_white_numbers, "
              "actual_powerball, white_numbers_matched, powerball_matched, total_matches, accuracy_score, evaluated_at) "
              "VALUES ('', 'Ridge Regression', '2025-01-22', '[5, 6, 27, 40, 49]', 5, 7, 0, 7, 1.1667, "
              "'2025-01-23T09:00:00+00:00')")
    db.expected.append({"record": "prediction_accuracy row %d" % c.lastrowid, "link": "skipped",
                        "field": "white_numbers_matched", "model": "Ridge Regression"})
    c.execute("INSERT INTO prediction_accuracy (prediction_set_id, model_name, draw_date, actual_white_numbers, "
              "actual_powerball, white_numbers_matched, powerball_matched, total_matches, accuracy_score, evaluated_at) "
              "VALUES ('', 'Random Forest', '2025-01-22', '[5, 6, 27, 40, 49]', 5, 'n/a', 0, 0, 0.0, "
              "'2025-01-23T09:00:00+00:00')")
    db.expected.append({"record": "prediction_accuracy row %d" % c.lastrowid, "link": "skipped",
                        "field": "white_numbers_matched", "model": "Random Forest"})
    db.con.commit()
    db.con.close()
    return db.expected


# ---- data/prediction_history.joblib -------------------------------------------------------------

TOOLS = ["frequency", "recency", "trends", "combo", "sum", "dow", "ml"]


def next_draw(day):
    d = day
    while d.weekday() not in (0, 2, 5):
        d += dt.timedelta(days=1)
    return d.isoformat()


class LegacyHistory:
    """PredictionStorageManager.store_prediction and PredictionSystem.update_with_new_draw."""

    def __init__(self):
        self.h = {"predictions": [], "accuracy": [], "feedback": []}
        self.expected = []

    def store_prediction(self, now):
        whites, pb = ticket()
        tools = {t: {"white_numbers": sorted(int(x) for x in RNG.choice(np.arange(1, 70), 5, replace=False)),
                     "powerball": int(RNG.randint(1, 27))} for t in TOOLS}
        sources = {w: [t for t in TOOLS if w in tools[t]["white_numbers"]] for w in whites}
        sources[pb] = [t for t in TOOLS if tools[t]["powerball"] == pb]
        self.h["predictions"].append({
            "white_numbers": [np.int64(w) for w in whites], "powerball": np.int64(pb),
            "probability": np.float64(RNG.uniform(0.001, 0.01)), "tool_contributions": tools, "sources": sources,
            "prediction_for_date": next_draw(now.date()), "timestamp": now.isoformat(), "storage_version": "2.0"})

    def update_with_new_draw(self, draw_date, expect, stamp=None, pb_match=None):
        if not self.h["predictions"]:
            return
        whites, pb = DRAWS[draw_date]
        last = self.h["predictions"][-1]
        wm = len(set(int(x) for x in last["white_numbers"]) & set(whites))
        hit = last["powerball"] == pb                       # np.bool_, as the legacy computed it
        entry = {"white_matches": wm, "pb_match": hit if pb_match is None else pb_match,
                 "white_accuracy": wm / 5, "full_match": wm == 5 and hit}
        if stamp is not None:
            entry["timestamp"] = stamp.isoformat()
            entry["draw_date"] = draw_date
        self.h["accuracy"].append(entry)
        self.h["feedback"].append({t: (len(set(last["tool_contributions"][t]["white_numbers"]) & set(whites)) / 5) * 0.8
                                   + (0.2 if last["tool_contributions"][t]["powerball"] == pb else 0) for t in TOOLS})
        e = dict(expect)
        e["record"] = "accuracy#%d" % (len(self.h["accuracy"]) - 1)
        e["followed"] = len(self.h["predictions"]) - 1
        self.expected.append(e)


def main():
    if os.path.exists(ROOT):
        shutil.rmtree(ROOT)
    expected = {}

    app = os.path.join(ROOT, "app-real", "data")
    os.makedirs(app)
    expected["app-real"] = {"prediction_accuracy": make_db(os.path.join(app, "model_predictions.db"))}
    h = LegacyHistory()
    h.store_prediction(at("2025-01-03T20:15:00.123456"))
    h.store_prediction(at("2025-01-05T18:00:00"))
    h.update_with_new_draw("2025-01-06", {"link": "none", "why": "order"})
    h.store_prediction(at("2025-01-07T09:30:00"))
    h.update_with_new_draw("2025-01-08", {"link": "none", "why": "order"})
    h.update_with_new_draw("2025-01-11", {"link": "none", "why": "order"})
    h.store_prediction(at("2025-01-12T10:00:00"))
    joblib.dump(h.h, os.path.join(app, "prediction_history.joblib"))
    expected["app-real"]["accuracy"] = h.expected

    app = os.path.join(ROOT, "app-single", "data")
    os.makedirs(app)
    h = LegacyHistory()
    h.store_prediction(at("2025-02-01T12:00:00"))
    for d in ["2025-02-01", "2025-02-03", "2025-02-05"]:
        h.update_with_new_draw(d, {"link": "order"})
    h.h["accuracy"].append({"white_matches": 6, "pb_match": False, "white_accuracy": 1.2, "full_match": False})
    h.expected.append({"record": "accuracy#3", "link": "skipped", "field": "white_matches"})
    joblib.dump(h.h, os.path.join(app, "prediction_history.joblib"), compress=3)
    expected["app-single"] = {"accuracy": h.expected}

    app = os.path.join(ROOT, "app-stamped", "data")
    os.makedirs(app)
    h = LegacyHistory()
    h.update_with_new_draw("2025-02-08", {})                  # nothing stored yet: the legacy did nothing
    h.store_prediction(at("2025-02-08T09:00:00"))
    h.update_with_new_draw("2025-02-08", {"link": "timestamp", "check": "agrees"}, stamp=at("2025-02-09T08:00:00"))
    h.store_prediction(at("2025-02-09T10:00:00"))
    h.store_prediction(at("2025-02-10T11:00:00"))
    h.update_with_new_draw("2025-02-10", {"link": "timestamp", "check": "agrees"}, stamp=at("2025-02-11T07:00:00"))
    h.store_prediction(at("2025-02-12T09:00:00"))
    w, pb = DRAWS["2025-02-12"]
    last = h.h["predictions"][-1]
    h.update_with_new_draw("2025-02-12", {"link": "timestamp", "check": "disagrees"}, stamp=at("2025-02-13T07:00:00"),
                           pb_match=not bool(int(last["powerball"]) == pb))
    # A draw date with no draw in the history (a Sunday): linked, but nothing to check against.
    h.h["accuracy"].append({"white_matches": 1, "pb_match": False, "white_accuracy": 0.2, "full_match": False,
                            "timestamp": at("2025-02-16T09:00:00").isoformat(), "draw_date": "2025-02-16"})
    h.expected.append({"record": "accuracy#3", "link": "timestamp", "followed": 3, "check": "no draw"})
    # Stamped before any prediction was stored: nothing it could have followed.
    h.h["accuracy"].append({"white_matches": 0, "pb_match": False, "white_accuracy": 0.0, "full_match": False,
                            "timestamp": at("2025-02-01T09:00:00").isoformat(), "draw_date": "2025-02-01"})
    h.expected.append({"record": "accuracy#4", "link": "none", "why": "before any prediction"})
    joblib.dump(h.h, os.path.join(app, "prediction_history.joblib"))
    expected["app-stamped"] = {"accuracy": h.expected}

    # The real draws the scenario used, pinned here so a refreshed history cannot change the tests.
    with open(DRAWS_CSV) as src, open(os.path.join(ROOT, "draws.csv"), "w") as f:
        for i, line in enumerate(src):
            if i == 0 or "2024-12-01" <= line[:10] <= "2025-03-01":
                f.write(line)
    with open(os.path.join(ROOT, "expected.json"), "w") as f:
        json.dump({"generator": "scripts/make-legacy-accuracy-fixtures.py", "joblib": joblib.__version__,
                   "numpy": np.__version__, "apps": expected}, f, indent=1)
    with open(os.path.join(ROOT, "README.md"), "w") as f:
        f.write(__doc__.split("Run with")[0] + "Generated by scripts/make-legacy-accuracy-fixtures.py "
                "(joblib %s, numpy %s). Do not edit by hand; re-run the script.\n\n" % (joblib.__version__, np.__version__)
                + "Layout:\n" + __doc__.split("Layout:\n")[1])


if __name__ == "__main__":
    main()
