"""Where one audit process spends its CPU per article: reading and extracting vs checking.

    python benchmarks/audit_split.py ARCHIVE [-n 500]

Runs in one process, as `vnproof audit --workers 1` does (`Item.load` then `Checker.check`, the
checker loaded first and warmed on 20 articles not counted), and prints the CPU seconds per
article (`time.process_time`) of each part. Run it with another checkout's interpreter, in that
checkout, to measure that tree (`cd /work/wt-before && .venv/bin/python /path/to/audit_split.py`).
"""
from __future__ import annotations

import argparse
import itertools
import os
import sys
import time

from vnproof import Checker
from vnproof.audit.inputs import ReadOptions, iter_items


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("archive")
    ap.add_argument("-n", type=int, default=500)
    a = ap.parse_args()
    checker = Checker()
    read = ReadOptions()
    items = iter_items([a.archive], read)
    for it in itertools.islice(items, 20):
        checker.check(it.load(read).text)
    t_load = t_check = 0.0
    n = words = 0
    for it in itertools.islice(items, a.n):
        t0 = time.process_time()
        art = it.load(read)
        t1 = time.process_time()
        checker.check(art.text)
        t2 = time.process_time()
        t_load += t1 - t0
        t_check += t2 - t1
        n += 1
        words += len(art.text.split())
    impl = "pure" if os.environ.get("VNPROOF_PURE_PYTHON") else "default"
    print(f"{os.getcwd()} ({impl}): {n} articles, {words / n:.0f} words each; CPU s per article: read+extract "
          f"{t_load / n:.4f}, check {t_check / n:.4f}, total {(t_load + t_check) / n:.4f}; load avg "
          f"{os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
