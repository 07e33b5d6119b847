"""Calibration check: of the spelling issues at confidence >= 0.9, how many are labelled typos?

    python benchmarks/calibration.py [--threshold 0.9] [--data ../shared/eval/viwiki-dev.jsonl]

Reports half A (first 30 documents, used to fit the calibration), half B (held out) and all.
"""
from __future__ import annotations

import argparse
import json

import vnproof


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/eval/viwiki-dev.jsonl")
    ap.add_argument("--threshold", type=float, default=0.9)
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.data, encoding="utf-8") if line.strip()]
    checker = vnproof.Checker()
    print("| set | issues at confidence >= %.2f | labelled typos | share |" % args.threshold)
    print("|---|---:|---:|---:|")
    for name, part in (("A (tuning)", rows[:30]), ("B (held out)", rows[30:]), ("all", rows)):
        n = hits = 0
        for row in part:
            for issue in checker.check(row["text_with_errors"]):
                if issue.category != "spelling" or issue.confidence < args.threshold:
                    continue
                n += 1
                hits += any(issue.offset < g["end"] and g["start"] < issue.offset + issue.length
                            for g in row["errors"])
        print(f"| {name} | {n} | {hits} | {hits / max(n, 1):.3f} |")


if __name__ == "__main__":
    main()
