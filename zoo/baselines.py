"""Baselines without recurrence, trained on the same training split as the models.

Text: TF-IDF + logistic regression (the seed's "single vector" model). Series: naive persistence
(tomorrow is today; up/down repeats the last move) and ridge regression (logistic regression for
up/down) on the flattened window.
"""
from __future__ import annotations

import numpy as np

from .metrics import score
from .prepare import Prepared
from .text import tokenize


def baseline_scores(prepared: Prepared) -> dict[str, dict]:
    raw, task = prepared.raw, prepared.task
    if prepared.state["kind"] == "text":
        return {"tfidf-logistic": score(task, raw["test"]["labels"], _tfidf_logistic(raw))}
    train_x, test_x = _flat(raw["train"]["windows"]), _flat(raw["test"]["windows"])
    train_y, test_y = raw["train"]["targets"], raw["test"]["targets"]
    out = {}
    if prepared.state["kind"] == "series":
        last, before = raw["test"]["windows"][:, -1, 0], raw["test"]["windows"][:, -2, 0]
        out["persistence"] = score(task, test_y, last if task == "regression" else (last > before).astype(float))
    elif task == "multiclass":  # always the training split's class shares: what knowing nothing scores
        shares = np.bincount(np.asarray(train_y, dtype=np.int64), minlength=prepared.spec.n_classes) / len(train_y)
        out["class-shares"] = score(task, test_y, np.tile(shares, (len(test_y), 1)))
    else:
        out["mean"] = score(task, test_y, np.full(len(test_y), float(np.mean(train_y))))
    if task == "regression":
        from sklearn.linear_model import Ridge

        out["ridge-window"] = score(task, test_y, Ridge(alpha=1.0).fit(train_x, train_y).predict(test_x))
    else:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(train_x, train_y)
        probabilities = model.predict_proba(test_x)
        out["logistic-window"] = score(task, test_y, probabilities[:, 1] if task == "binary" else probabilities)
    return out


def _tfidf_logistic(raw: dict) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    # scikit-learn's defaults, on the same tokens the models see: a standard baseline, not a tuned one.
    model = make_pipeline(
        TfidfVectorizer(tokenizer=tokenize, lowercase=False, token_pattern=None),
        LogisticRegression(max_iter=2000),
    ).fit(raw["train"]["texts"], raw["train"]["labels"])
    probabilities = model.predict_proba(raw["test"]["texts"])
    return probabilities[:, 1] if probabilities.shape[1] == 2 else probabilities


def _flat(windows: np.ndarray) -> np.ndarray:
    return np.asarray(windows, dtype=np.float64).reshape(len(windows), -1)
