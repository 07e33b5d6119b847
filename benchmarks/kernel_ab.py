"""The LM kernel's share, measured in one process: passes with and without it, alternated.

    python benchmarks/kernel_ab.py [--rounds 5] [--set news --paragraphs 200]

One `Checker` checks every viwiki-dev `text_with_errors` (or `--set news`: news paragraphs as
`hot_path.py` draws them, checked one by one) once to warm its caches, then
alternates passes with each model's C kernel (`vnproof/_lmkernel.pyx`) and with `kernel = None`
(lm.py's numpy twin), `--rounds` times; prints the CPU seconds of each pass, the medians and
their ratio, and checks that both give the same issues. Both see the same machine load, so the
ratio holds on a shared machine where separate processes' rates do not.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import median  # noqa: E402
from hot_path import workload  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--set", choices=("viwiki", "news"), default="viwiki")
    ap.add_argument("--paragraphs", type=int, default=200)
    args = ap.parse_args()
    import vnproof

    texts = workload(args.set, args.paragraphs)
    checker = vnproof.Checker()
    kernels = [m.kernel for m in checker.lm.models]
    if any(k is None for k in kernels):
        print("the LM kernel is not in use here (not built, or VNPROOF_PURE_PYTHON is set)", file=sys.stderr)
        return 2
    want = [[i.to_dict() for i in checker.check(t)] for t in texts]   # warm-up, and the reference
    times: dict[str, list[float]] = {"kernel": [], "numpy": []}
    for _ in range(args.rounds):
        for name in times:
            for m, k in zip(checker.lm.models, kernels):
                m.kernel = k if name == "kernel" else None
            t = time.process_time()
            got = [[i.to_dict() for i in checker.check(x)] for x in texts]
            times[name].append(time.process_time() - t)
            if got != want:
                print(f"different issues with the {name} path", file=sys.stderr)
                return 1
    for name, ts in times.items():
        print(f"{name}: {' '.join(f'{x:.2f}' for x in ts)} CPU-s a pass, median {median(ts):.2f}")
    print(f"numpy / kernel: {median(times['numpy']) / median(times['kernel']):.2f}x (same issues)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
