"""Test-split scores, the same for models and baselines."""
from __future__ import annotations

import numpy as np


def score(task: str, y_true, output) -> dict:
    """Binary: accuracy, F1, ROC-AUC from probabilities (N,) or (N, 1). Multiclass: accuracy and
    macro F1 from (N, C) probabilities. Regression: RMSE and MAE, in the units of ``y_true``."""
    from sklearn import metrics

    y_true = np.asarray(y_true)
    output = np.asarray(output, dtype=np.float64)
    if task == "regression":
        error = output.reshape(-1) - y_true
        return {"rmse": float(np.sqrt(np.mean(error**2))), "mae": float(np.mean(np.abs(error)))}
    if task == "binary":
        p = output.reshape(-1)
        predicted = (p >= 0.5).astype(int)
        both_classes = len(np.unique(y_true)) == 2
        return {
            "accuracy": float(metrics.accuracy_score(y_true, predicted)),
            "f1": float(metrics.f1_score(y_true, predicted, zero_division=0)),
            "roc_auc": float(metrics.roc_auc_score(y_true, p)) if both_classes else None,
        }
    predicted = output.argmax(axis=1)
    return {
        "accuracy": float(metrics.accuracy_score(y_true, predicted)),
        "f1_macro": float(metrics.f1_score(y_true, predicted, average="macro", zero_division=0)),
    }
