"""Library time on 100,000 characters of each adversarial generator of the rule tests.

    python benchmarks/hostile.py [--chars 100000]

The generators are those of `tests/test_hardening_properties.py::RULE_GENERATORS` (glued
punctuation, no spaces, brackets and quotes, abbreviations, numbers and dates...). Prints wall
and CPU seconds of one `check_detailed()` each (after a warm-up), and the number of issues.
"""
from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chars", type=int, default=100_000)
    args = ap.parse_args()
    from test_hardening_properties import RULE_GENERATORS
    import vnproof

    checker = vnproof.default_checker()
    checker.check("Khởi động.")
    print(f"| generator ({args.chars:,} chars) | wall s | CPU s | issues |")
    print("|---|---:|---:|---:|")
    for name, make in RULE_GENERATORS.items():
        text = make(args.chars, 0)
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        result = checker.check_detailed(text)
        print(f"| {name} | {time.perf_counter() - t0:.2f} | {time.process_time() - c0:.2f} | {len(result.issues):,} |",
              flush=True)


if __name__ == "__main__":
    main()
