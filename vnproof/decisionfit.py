"""Fitting the learned decision (`vnproof.decision`), at build time.

Rows: every syllable the decoder asks the decision about in the tuning half of viwiki-dev (the
first 30 documents, error and clean texts), labelled 1 when it overlaps an annotated typo.
Model: an L2-penalised logistic regression by Newton steps. Which features, and how strong the
penalty, are chosen by 5-fold cross-validated log loss with whole documents as folds, among the
nested sets of `FEATURE_SETS` (the posterior enters as a linear spline with knots at 0.3 and 0.6). Thresholds: `default` is the lowest confidence at which the
issues of the error texts reach precision 0.9 on the tuning half, `picky` the lowest at 0.5.

Synthetic slips (`vnproof.slips`) in held-out open-corpus text were tried as training rows
(BENCHMARKS.md §12): a regression fitted on them ranked real typos worse than the decoder's
posterior alone, so they serve the benchmark (`benchmarks/synthetic.py`), not the fit.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .decision import Decision, features, knows_nothing

BASE = ("posterior_logit", "posterior_above_0.3", "posterior_above_0.6", "unique", "top_alone", "nonword", "rare_typed", "freq_1e-5", "freq_1e-4")
LM = ("lm_gain", "lm_gain_pos")
PRIOR = ("top_prior", "log_options")
REPEAT = ("repeated", "repeated_supported")
SEEN = ("own_unseen_both", "top_seen_left", "top_seen_right")
FEATURE_SETS = {"base": BASE, "+lm": BASE + LM, "+prior": BASE + PRIOR, "+lm+prior": BASE + LM + PRIOR,
                "+lm+prior+repeat": BASE + LM + PRIOR + REPEAT,
                "+lm+prior+repeat+seen": BASE + LM + PRIOR + REPEAT + SEEN}
RIDGES = (1.0, 3.0, 10.0)


def viwiki_rows(checker, path: Path, first: int = 30):
    """Features, labels, clean-text flags, document numbers and the typo count of the first
    `first` documents of viwiki-dev."""
    X, y, clean, doc, typos = [], [], [], [], 0
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()][:first]
    for d, row in enumerate(rows):
        typos += len(row["errors"])
        for text, is_clean in ((row["text_with_errors"], False), (row["corrected_text"], True)):
            for tok, _, view in checker.slot_rows(text):
                if knows_nothing(view):
                    continue
                hit = not is_clean and any(tok.start < e["end"] and e["start"] < tok.end for e in row["errors"])
                X.append(features(view))
                y.append(float(hit))
                clean.append(is_clean)
                doc.append(d)
    return np.asarray(X), np.asarray(y), np.asarray(clean), np.asarray(doc), typos


def logistic(X: np.ndarray, y: np.ndarray, ridge: float) -> np.ndarray:
    """Weights (intercept last) of an L2-penalised logistic regression, by Newton steps."""
    A = np.hstack([X, np.ones((len(X), 1))])
    beta = np.zeros(A.shape[1])
    pen = np.full(A.shape[1], ridge)
    pen[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(A @ beta, -35, 35)))
        grad = A.T @ (y - p) - pen * beta
        hess = (A * (p * (1 - p))[:, None]).T @ A + np.diag(pen) + 1e-9 * np.eye(A.shape[1])
        step = np.linalg.solve(hess, grad)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    return beta


def log_loss(X: np.ndarray, y: np.ndarray, beta: np.ndarray) -> float:
    z = X @ beta[:-1] + beta[-1]
    return float(np.sum(np.logaddexp(0.0, z) - y * z))


def _standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    sd = X.std(axis=0)
    return X.mean(axis=0), np.where(sd > 1e-9, sd, 1.0)


def cv_loss(X: np.ndarray, y: np.ndarray, doc: np.ndarray, ridge: float, folds: int = 5) -> float:
    """Mean held-out log loss per row, documents as folds."""
    total = 0.0
    for k in range(folds):
        test = doc % folds == k
        mean, scale = _standardise(X[~test])
        beta = logistic((X[~test] - mean) / scale, y[~test], ridge)
        total += log_loss((X[test] - mean) / scale, y[test], beta)
    return total / len(y)


def threshold_for(conf: np.ndarray, y: np.ndarray, clean: np.ndarray, precision: float) -> float:
    """The lowest confidence (to 0.01) at which the issues of the error texts reach `precision`."""
    err = ~clean
    for t in np.round(np.arange(0.05, 1.0, 0.01), 2):
        flagged = err & (conf >= t)
        if flagged.sum() and y[flagged].mean() >= precision:
            return float(t)
    return 0.99


def fit(X: np.ndarray, y: np.ndarray, clean: np.ndarray, doc: np.ndarray) -> tuple[Decision, dict]:
    """The decision of the best feature set and ridge by cross-validated log loss."""
    from .decision import FEATURES

    scores = {}
    for name, cols in FEATURE_SETS.items():
        idx = [FEATURES.index(c) for c in cols]
        for ridge in RIDGES:
            scores[(name, ridge)] = cv_loss(X[:, idx], y, doc, ridge)
    name, ridge = min(scores, key=scores.get)
    cols = FEATURE_SETS[name]
    idx = [FEATURES.index(c) for c in cols]
    mean, scale = _standardise(X[:, idx])
    beta = logistic((X[:, idx] - mean) / scale, y, ridge)
    meta = {"feature_set": name, "ridge": ridge, "cv_log_loss": round(scores[(name, ridge)], 5),
            "rows": int(len(y)), "real": int(y.sum())}
    d = Decision(cols, beta[:-1], float(beta[-1]), mean, scale, {}, meta)
    conf = d.confidence(X)
    thresholds = {"default": threshold_for(conf, y, clean, 0.9), "picky": threshold_for(conf, y, clean, 0.5)}
    d = Decision(cols, beta[:-1], float(beta[-1]), mean, scale, thresholds, meta)
    return d, {f"{n} ridge {r:g}": round(v, 5) for (n, r), v in scores.items()}
