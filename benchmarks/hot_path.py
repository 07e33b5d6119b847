"""A workload for a profiler: the checker on viwiki-dev texts or on news paragraphs.

    py-spy record -r 200 -f raw -o out.txt -- python benchmarks/hot_path.py --set viwiki
    python benchmarks/hot_path.py --set news --paragraphs 200 --collapse out.txt

Runs a warm-up pass, then `--passes` timed passes, and prints syllables/second. With
`--collapse FILE` (py-spy's raw output), it prints instead the functions with the largest
self and cumulative shares of the samples taken in the timed passes.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import VIWIKI  # noqa: E402

SYL = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]+")


def workload(name: str, paragraphs: int) -> list[str]:
    if name == "viwiki":
        return [json.loads(l)["text_with_errors"] for l in VIWIKI.read_text(encoding="utf-8").splitlines() if l.strip()]
    from news_flags import sample

    return [p for _, p in sample(paragraphs, 20261201)]


def collapse(path: Path, top: int) -> None:
    """Self and cumulative shares per function from py-spy's raw (collapsed-stack) output."""
    self_n: Counter = Counter()
    cum_n: Counter = Counter()
    total = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        stack, _, n = line.rpartition(" ")
        if "timed_pass (" not in stack:
            continue
        n = int(n)
        total += n
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]
        frames = frames[next(i for i, f in enumerate(frames) if f.startswith("timed_pass ")) + 1:] or frames
        frames = [re.sub(r" \((?:/[^)]*/)?(vnproof/|benchmarks/)?", r" (\1", f) for f in frames]
        self_n[frames[-1]] += n
        for f in set(frames):
            cum_n[f] += n
    print(f"{total} samples\n\n| function | self % | cumulative % |\n|---|---:|---:|")
    names = [f for f, _ in self_n.most_common(top)]
    for f in names:
        print(f"| `{f}` | {100 * self_n[f] / total:.1f} | {100 * cum_n[f] / total:.1f} |")
    print("\n| function (by cumulative) | cumulative % | self % |\n|---|---:|---:|")
    for f, n in cum_n.most_common(top + 8):
        print(f"| `{f}` | {100 * n / total:.1f} | {100 * self_n[f] / total:.1f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=("viwiki", "news"), default="viwiki")
    ap.add_argument("--paragraphs", type=int, default=200)
    ap.add_argument("--passes", type=int, default=2)
    ap.add_argument("--collapse", type=Path, help="summarise this py-spy raw file instead")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    if args.collapse:
        collapse(args.collapse, args.top)
        return 0
    import vnproof

    texts = workload(args.set, args.paragraphs)
    syl = sum(len(SYL.findall(t)) for t in texts)
    checker = vnproof.Checker()
    for t in texts:
        checker.check(t)
    for _ in range(args.passes):
        s = time.perf_counter()
        timed_pass(checker, texts)
        print(f"{syl / (time.perf_counter() - s):,.0f} syl/s ({syl} syllables)", flush=True)
    return 0


def timed_pass(checker, texts: list[str]) -> None:
    """One pass after the warm-up: `--collapse` counts only the samples under it."""
    for t in texts:
        checker.check(t)


if __name__ == "__main__":
    sys.exit(main())
