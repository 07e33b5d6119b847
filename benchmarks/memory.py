"""Peak memory and time of one `check()` on a huge text (news articles joined to N MB).

    python benchmarks/memory.py --mb 10            # articles from ../shared/corpus/
    python benchmarks/memory.py --mb 10 FILE.txt   # or any text file, repeated to size

Prints the process's peak RSS after loading the checker and after the check (ru_maxrss), the
text size, the time and the number of issues. Long texts are checked part by part
(`vnproof.chunks`), so the second figure should not grow with the input.
"""
from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CORPUS  # noqa: E402


def corpus_text(chars: int) -> str:
    out, size = [], 0
    for path in sorted(CORPUS.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                body = json.loads(line).get("text") or ""
                out.append(body)
                size += len(body) + 2
                if size >= chars:
                    return "\n\n".join(out)[:chars]
    text = "\n\n".join(out)
    return (text * (chars // max(len(text), 1) + 1))[:chars]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--mb", type=float, default=10.0, help="text size in millions of characters")
    args = ap.parse_args()
    chars = int(args.mb * 1_000_000)
    if args.files:
        text = "\n\n".join(p.read_text(encoding="utf-8") for p in args.files)
        text = (text * (chars // max(len(text), 1) + 1))[:chars]
    else:
        text = corpus_text(chars)
    import vnproof
    checker = vnproof.default_checker()
    checker.check("Khởi động.")
    loaded = peak_mb()
    t0 = time.perf_counter()
    result = checker.check_detailed(text)
    seconds = time.perf_counter() - t0
    print("| characters | peak RSS, loaded | peak RSS, after check | seconds | issues |")
    print("|---:|---:|---:|---:|---:|")
    print(f"| {len(text):,} | {loaded:.0f} MB | {peak_mb():.0f} MB | {seconds:.0f} | {len(result.issues):,} |")


if __name__ == "__main__":
    main()
