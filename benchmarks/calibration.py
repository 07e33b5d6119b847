"""Calibration: of the spelling issues at confidence >= 0.9, how many are labelled typos?

    python benchmarks/calibration.py [--threshold 0.9] [--data DATA.jsonl]   # default viwiki-dev
    python benchmarks/calibration.py --fit      # refit `CALIBRATION` on half A, then check

Reports half A (first 30 documents, used to fit the calibration), half B (held out) and all.
`--fit` collects the picky-level issues of half A's error and clean texts with their calibration
features and fits a logistic regression of "overlaps a labelled typo" on them.
"""
from __future__ import annotations

import argparse
import json

import numpy as np
from _common import SPLIT_A, VIWIKI

import vnproof
import vnproof.checker as checker_module


def _hit(issue, row) -> bool:
    return any(issue.offset < g["end"] and g["start"] < issue.offset + issue.length for g in row["errors"])


def collect(rows: list[dict], checker: vnproof.Checker) -> tuple[np.ndarray, np.ndarray]:
    """Calibration features and labels of the picky-level context and non-word issues."""
    feats: list[tuple[float, ...]] = []
    real = checker_module.calibrate
    # Each calibrated issue gets its feature row's index (+ 1000) as its confidence; issues with
    # a fixed confidence (misplaced tone marks, Telex leftovers) are not calibrated.
    checker_module.calibrate = lambda f: feats.append(f) or 1000.0 + len(feats) - 1
    X, y = [], []
    try:
        for row in rows:
            for text, clean in ((row["text_with_errors"], False), (row["corrected_text"], True)):
                feats.clear()
                for issue in checker.check(text, level="picky"):
                    if issue.confidence >= 1000:
                        X.append(feats[int(issue.confidence) - 1000])
                        y.append(0.0 if clean else float(_hit(issue, row)))
    finally:
        checker_module.calibrate = real
    return np.asarray(X), np.asarray(y)


def fit(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logistic regression by Newton steps (a small ridge keeps rare features finite)."""
    beta = np.zeros(X.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-X @ beta))
        grad = X.T @ (y - p) - 0.01 * beta
        hess = (X * (p * (1 - p))[:, None]).T @ X + 0.01 * np.eye(X.shape[1])
        beta += np.linalg.solve(hess, grad)
    return beta


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(VIWIKI))
    ap.add_argument("--threshold", type=float, default=0.9)
    ap.add_argument("--fit", action="store_true", help="refit CALIBRATION on half A first")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.data, encoding="utf-8") if line.strip()]
    checker = vnproof.Checker()
    if args.fit:
        X, y = collect(rows[:SPLIT_A], checker)
        beta = fit(X, y)
        print(f"fitted on {len(y)} picky-level issues of half A ({int(y.sum())} real):")
        print("CALIBRATION = (" + ", ".join(f"{b:.3f}" for b in beta) + ")  # in calibration_features order")
        checker_module.CALIBRATION = tuple(float(b) for b in beta)
    print("| set | issues at confidence >= %.2f | labelled typos | share |" % args.threshold)
    print("|---|---:|---:|---:|")
    for name, part in (("A (tuning)", rows[:SPLIT_A]), ("B (held out)", rows[SPLIT_A:]), ("all", rows)):
        n = hits = 0
        for row in part:
            for issue in checker.check(row["text_with_errors"]):
                if issue.category != "spelling" or issue.confidence < args.threshold:
                    continue
                n += 1
                hits += _hit(issue, row)
        print(f"| {name} | {n} | {hits} | {hits / max(n, 1):.3f} |")


if __name__ == "__main__":
    main()
