"""Calibration: is an issue's confidence the share of such issues that are real typos?

    python benchmarks/calibration.py [--data DATA.jsonl]   # default viwiki-dev
    python benchmarks/calibration.py --sweep    # detection P/R/F1 by threshold, halves A and B

Prints a reliability table (issues by confidence band: how many, how many overlap a labelled
typo) for half A (first 30 documents: the Platt scaling of the decision and the thresholds are
fitted there, `dictionaries/fit_decision.py`), half B (held out) and all, at the picky level.
"""
from __future__ import annotations

import argparse
import json

import numpy as np
from _common import SPLIT_A, VIWIKI

import vnproof


def _hit(issue, row) -> bool:
    return any(issue.offset < g["end"] and g["start"] < issue.offset + issue.length for g in row["errors"])


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


BANDS = (0.0, 0.3, 0.5, 0.7, 0.9, 1.01)


def reliability(rows: list[dict], checker: vnproof.Checker) -> list[tuple[str, int, int]]:
    """(band, issues, labelled typos) of the picky-level spelling issues by confidence band."""
    counts = [[0, 0] for _ in BANDS[:-1]]
    for row in rows:
        for issue in checker.check(row["text_with_errors"], level="picky"):
            if issue.category != "spelling":
                continue
            k = max(i for i, lo in enumerate(BANDS[:-1]) if issue.confidence >= lo)
            counts[k][0] += 1
            counts[k][1] += _hit(issue, row)
    return [(f"{lo:.1f}–{min(hi, 1.0):.1f}", n, h) for (lo, hi), (n, h) in zip(zip(BANDS, BANDS[1:]), counts)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(VIWIKI))
    ap.add_argument("--sweep", action="store_true", help="P/R/F1 by threshold on halves A and B")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.data, encoding="utf-8") if line.strip()]
    checker = vnproof.Checker()
    if args.sweep:
        ts = [round(0.05 * i, 2) for i in range(20)]
        sets = {"A": sweep(rows[:SPLIT_A], checker, ts), "B": sweep(rows[SPLIT_A:], checker, ts)}
        print("| threshold | A P | A R | A F1 | A FA/1k | B P | B R | B F1 | B FA/1k |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for a, b in zip(sets["A"], sets["B"]):
            print(f"| {a[0]:.2f} | " + " | ".join(f"{v:.3f}" for v in a[1:] + b[1:]) + " |")
    print("\n| set | confidence | issues | labelled typos | share |")
    print("|---|---|---:|---:|---:|")
    for name, part in (("A (tuning)", rows[:SPLIT_A]), ("B (held out)", rows[SPLIT_A:]), ("all", rows)):
        for band, n, h in reliability(part, checker):
            print(f"| {name} | {band} | {n} | {h} | {h / max(n, 1):.3f} |")


if __name__ == "__main__":
    main()
