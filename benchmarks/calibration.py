"""Calibration: of the spelling issues at confidence >= 0.9, how many are labelled typos?

    python benchmarks/calibration.py [--threshold 0.9] [--data DATA.jsonl]   # default viwiki-dev
    python benchmarks/calibration.py --fit      # refit `CALIBRATION` on half A, then check
    python benchmarks/calibration.py --sweep    # detection P/R/F1 by threshold, halves A and B

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


def sweep(rows: list[dict], checker: vnproof.Checker, thresholds: list[float]) -> list[tuple]:
    """(threshold, P, R, F1, clean false alarms per 1k syllables) of the spelling issues."""
    import re

    syl = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]+")
    found: list[tuple[float, bool]] = []         # (confidence, overlaps a typo) of every issue
    best: list[float] = []                        # per typo: the best confidence of an issue on it
    clean: list[float] = []
    n_syl = 0
    for row in rows:
        issues = [i for i in checker.check(row["text_with_errors"], level="picky") if i.category == "spelling"]
        found += [(i.confidence, _hit(i, row)) for i in issues]
        for g in row["errors"]:
            on = [i.confidence for i in issues if i.offset < g["end"] and g["start"] < i.offset + i.length]
            best.append(max(on, default=-1.0))
        clean += [i.confidence for i in checker.check(row["corrected_text"], level="picky") if i.category == "spelling"]
        n_syl += len(syl.findall(row["corrected_text"]))
    out = []
    for t in thresholds:
        n = sum(c >= t for c, _ in found)
        tp = sum(c >= t and h for c, h in found)
        r = sum(b >= t for b in best) / max(len(best), 1)
        p = tp / max(n, 1)
        out.append((t, p, r, 2 * p * r / max(p + r, 1e-9), 1000 * sum(c >= t for c in clean) / max(n_syl, 1)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(VIWIKI))
    ap.add_argument("--threshold", type=float, default=0.9)
    ap.add_argument("--fit", action="store_true", help="refit CALIBRATION on half A first")
    ap.add_argument("--sweep", action="store_true", help="P/R/F1 by threshold on halves A and B")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.data, encoding="utf-8") if line.strip()]
    checker = vnproof.Checker()
    if args.fit:
        X, y = collect(rows[:SPLIT_A], checker)
        beta = fit(X, y)
        print(f"fitted on {len(y)} picky-level issues of half A ({int(y.sum())} real):")
        print("CALIBRATION = (" + ", ".join(f"{b:.3f}" for b in beta) + ")  # in calibration_features order")
        checker_module.CALIBRATION = tuple(float(b) for b in beta)
    if args.sweep:
        ts = [round(0.05 * i, 2) for i in range(15)]
        sets = {"A": sweep(rows[:SPLIT_A], checker, ts), "B": sweep(rows[SPLIT_A:], checker, ts)}
        print("| threshold | A P | A R | A F1 | A FA/1k | B P | B R | B F1 | B FA/1k |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for a, b in zip(sets["A"], sets["B"]):
            print(f"| {a[0]:.2f} | " + " | ".join(f"{v:.3f}" for v in a[1:] + b[1:]) + " |")
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
