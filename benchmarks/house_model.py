"""House model: train on the whole news stand-in corpus, then score with and without it.

    python benchmarks/house_model.py [--output /tmp/vnproof-bench/house] [--reuse]

1. `vnproof train ../shared/corpus/*.jsonl.gz -o OUTPUT` in a subprocess: wall time, peak RSS
   of the training process, model size on disk, syllables read (as `vnproof train` counts
   them: text and titles), MB per million syllables.
2. benchmarks/accuracy.py's measurement (score.py subprocesses) on viwiki-dev whole, A, B and
   the seed article, default model vs default + house model.

The model stays in /tmp (never in the repository: the corpus is third-party text and nothing
derived from it may be committed). `--reuse` skips training when OUTPUT already holds a model.
Takes about 7 minutes of training and 10 of scoring on the 2-core machine.
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import accuracy  # noqa: E402
from _common import CORPUS, DEFAULT_HOUSE, ROOT, md_table  # noqa: E402


def train(output: Path) -> dict:
    files = sorted(CORPUS.glob("*.jsonl.gz"))  # not the folder: it also holds manifest.json
    if not files:
        sys.exit(f"no corpus in {CORPUS}")
    return {"files": len(files), **run_train(files, output)}


def run_train(files: list[Path], output: Path) -> dict:
    """`vnproof train FILES -o OUTPUT` in a subprocess: wall time, the training process's peak
    RSS, and the syllables it read (from its summary line)."""
    if output.exists():
        shutil.rmtree(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    vnproof = Path(sys.executable).with_name("vnproof")
    cmd = ([str(vnproof)] if vnproof.exists() else [sys.executable, "-m", "vnproof.cli"]) + \
        ["train", *map(str, files), "-o", str(output)]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    secs = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    line = (proc.stdout + proc.stderr).strip().splitlines()[-1]
    m = re.search(r"([\d,]+) syllables", line)
    syl = int(m.group(1).replace(",", "")) if m else 0
    return {"train_seconds": secs, "train_peak_rss_mb": rss, "syllables": syl, "summary": line}


def model_info(output: Path, stats: dict) -> dict:
    size = sum(f.stat().st_size for f in output.iterdir() if f.is_file())
    stats["model_mb"] = size / 1e6
    if stats.get("syllables"):
        stats["mb_per_million_syllables"] = stats["model_mb"] / (stats["syllables"] / 1e6)
    return stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--output", type=Path, default=DEFAULT_HOUSE)
    ap.add_argument("--reuse", action="store_true", help="keep an existing model at --output")
    ap.add_argument("--json", type=Path, help="also write all figures here")
    args = ap.parse_args()
    if args.reuse and (args.output / "meta.json").exists():
        stats = {"train_seconds": None, "syllables": 0, "summary": "reused"}
        print(f"# reusing {args.output}", file=sys.stderr)
    else:
        print(f"# training on {CORPUS} -> {args.output}", file=sys.stderr)
        stats = train(args.output)
        print(f"# {stats['summary']}", file=sys.stderr)
    stats = model_info(args.output, stats)
    print("### House model trained on ../shared/corpus (all 5 files)\n")
    print(md_table(["syllables read", "train time s", "train peak RSS MB", "model MB",
                    "MB per million syllables"],
                  [[f"{stats['syllables']:,}" if stats["syllables"] else "?",
                    f"{stats['train_seconds']:.0f}" if stats["train_seconds"] else "reused",
                    f"{stats.get('train_peak_rss_mb', 0):.0f}" if stats.get("train_peak_rss_mb") else "-",
                    f"{stats['model_mb']:.1f}",
                    f"{stats['mb_per_million_syllables']:.2f}" if stats.get("mb_per_million_syllables") else "?"]]))
    results = accuracy.measure(args.output)
    print("\n### Accuracy with and without the house model\n")
    print(accuracy.report(results))
    if args.json:
        args.json.write_text(json.dumps({"training": stats, **{f"{s} / {m}": f for (s, m), f in results.items()}},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
