"""Accuracy on the labelled sets, measured by the yardstick ../shared/eval/score.py.

    python benchmarks/accuracy.py [--house-model PATH | --no-house] [--json OUT.json]

Runs score.py (each run a fresh subprocess, `--json`) on viwiki-dev whole, half A (first 30
documents, used for tuning), half B (last 29, held out) and the seed article, with the default
model and with the default model plus a house model (`--house-model`; by default the one
`benchmarks/house_model.py` leaves in /tmp/vnproof-bench/house, skipped if it is not there).
Prints one markdown table (rows: set x model; columns: detection P/R/F1, correction P/R/F1,
false alarms per 1,000 syllables of the corrected text, syllables/s of check() time) and a
recall-by-category table for viwiki-dev and the seed article.

syl/s here is one score.py run on a shared machine: use benchmarks/speed.py for speed.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (ACCURACY_HEADERS, DEFAULT_HOUSE, accuracy_row, category_table,  # noqa: E402
                     eval_sets, md_table, run_score, write_results)


def measure(house: Path | None, log=print) -> dict[tuple[str, str], dict]:
    """{(set, model): score.py figures} for every set, default model and (if given) house."""
    models: list[tuple[str, Path | None]] = [("default", None)]
    if house:
        models.append(("default+house", house))
    results = {}
    for set_name, path in eval_sets().items():
        for model, hm in models:
            t = time.perf_counter()
            results[(set_name, model)] = f = run_score(path, hm)
            log(f"# {set_name} / {model}: {f['summary']} ({time.perf_counter() - t:.0f} s)",
                file=sys.stderr)
    return results


def report(results: dict[tuple[str, str], dict]) -> str:
    rows = [accuracy_row(s, m, f) for (s, m), f in results.items()]
    out = [md_table(ACCURACY_HEADERS, rows)]
    for set_name in ("viwiki-dev", "seed article"):
        per = [(m, f) for (s, m), f in results.items() if s == set_name]
        if per:
            out.append(f"\nRecall by gold category, {set_name} (detection and correction recall, "
                       "count in brackets):\n")
            out.append(category_table(per))
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--house-model", type=Path, default=None,
                    help=f"house model folder (default: {DEFAULT_HOUSE} if it exists)")
    ap.add_argument("--no-house", action="store_true", help="score the default model only")
    ap.add_argument("--json", type=Path, help="also write all figures here")
    args = ap.parse_args()
    house = None
    if not args.no_house:
        house = args.house_model or (DEFAULT_HOUSE if DEFAULT_HOUSE.exists() else None)
        if args.house_model and not args.house_model.exists():
            sys.exit(f"no house model at {args.house_model}")
        if house is None:
            print(f"# no house model at {DEFAULT_HOUSE}: run benchmarks/house_model.py first; "
                  "default model only", file=sys.stderr)
    results = measure(house)
    print(report(results))
    if args.json:
        write_results(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
