"""Incremental house-model training: `vnproof train --update` against a full rebuild.

    python benchmarks/train_update.py [--work /tmp/vnproof-bench/update] [--new 10000] [--workers 2]

1. Split ../shared/corpus (files in name order, articles in file order) into BASE, all but the
   last `--new` articles, and NEW, those articles (JSONL chunks in WORK, outside the repository).
2. `vnproof train BASE -o base`, then copy it and time `vnproof train --update copy NEW`.
3. Time the full rebuild `vnproof train BASE NEW -o full`.
4. Every stored probability of the two, n-grams matched by token string, and score.py on
   viwiki-dev with each as --house-model: the figures should be identical.
Models stay in WORK (never in the repository: the corpus is third-party text).
"""
from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CORPUS, ROOT, SCORE, VIWIKI, md_table  # noqa: E402

CHUNK = 2500  # articles per split file, so that counting runs in parallel


def split(work: Path, new: int) -> tuple[Path, Path]:
    lines = []
    for f in sorted(CORPUS.glob("*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            lines.extend(l for l in fh if l.strip())
    parts = {"base": lines[:-new], "new": lines[-new:]}
    for name, rows in parts.items():
        d = work / name
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        for i in range(0, len(rows), CHUNK):
            (d / f"{i // CHUNK:03d}.jsonl").write_text("".join(rows[i:i + CHUNK]), encoding="utf-8")
    return work / "base", work / "new"


def train(*args: str) -> tuple[float, str]:
    cmd = [sys.executable, "-m", "vnproof.cli", "train", *args]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)}:\n{proc.stderr[-2000:]}")
    return time.perf_counter() - t, proc.stdout.strip().splitlines()[-1]


def score(model: Path) -> str:
    proc = subprocess.run([sys.executable, str(SCORE), str(VIWIKI), "--house-model", str(model)],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    return proc.stdout.strip().splitlines()[-1]


def compare(m1: Path, m2: Path) -> dict[str, float]:
    """Largest |difference| of every stored log10 value of two models, n-grams matched by token
    string (ids differ); raises if their n-gram sets differ."""
    from vnproof.lm import BITS, MASK, NgramModel

    a, b = NgramModel.load(m1), NgramModel.load(m2)
    words = sorted(b.vocab, key=b.vocab.get)
    remap = np.array([a.vocab[w] for w in words], np.uint64)  # b's ids -> a's

    def recode(keys: np.ndarray, order: int) -> np.ndarray:
        out = np.zeros(len(keys), np.uint64)
        for k in range(order):
            shift = np.uint64(BITS * k)
            out |= remap[((keys >> shift) & np.uint64(MASK)).astype(np.int64)] << shift
        return out

    ids = remap.astype(np.int64)
    diff = {name: float(np.abs(getattr(a, name)[ids] - getattr(b, name)).max()) for name in ("uni", "uni_bow")}
    for name, order in (("bi", 2), ("tri", 3)):
        keys = recode(getattr(b, f"{name}_keys"), order)
        pos = np.argsort(keys)
        if not np.array_equal(keys[pos], getattr(a, f"{name}_keys")):
            raise AssertionError(f"{name}gram sets differ")
        va, vb = (_logp(m, name)[p] for m, p in ((a, slice(None)), (b, pos)))
        diff[name] = float(np.abs(va - vb).max())
        if name == "bi":
            diff["bi_bow"] = float(np.abs(np.asarray(a.bi_bow, np.float32) - np.asarray(b.bi_bow, np.float32)[pos]).max())
    return diff


def _logp(m, name: str) -> np.ndarray:
    v = getattr(m, f"{name}_logp")
    return m.tri_book[v] if name == "tri" and m.tri_book is not None else np.asarray(v, np.float32)


def _accuracy(summary: str) -> list[str]:
    """score.py's summary without the timing fields (speed, load)."""
    return [f for f in summary.split(" | ") if "syl/s" not in f and not f.startswith("load")]


def size_mb(model: Path, counts: bool = False) -> float:
    return sum(f.stat().st_size for f in model.iterdir() if (f.name == "counts.npz") == counts) / 1e6


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/vnproof-bench/update"))
    ap.add_argument("--new", type=int, default=10_000, help="articles held back for the update")
    ap.add_argument("--workers", default="2")
    args = ap.parse_args()
    base_dir, new_dir = split(args.work, args.new)
    w = ["--workers", args.workers]
    base, upd, full = args.work / "base-model", args.work / "updated", args.work / "full"
    for m in (base, upd, full):
        shutil.rmtree(m, ignore_errors=True)
    r = {"base": train(str(base_dir), "-o", str(base), *w)}
    shutil.copytree(base, upd)
    r["update"] = train("--update", str(upd), str(new_dir), *w)
    r["full"] = train(str(base_dir), str(new_dir), "-o", str(full), *w)
    for k, v in r.items():
        print(f"# {k}: {v[0]:.1f} s; {v[1]}", file=sys.stderr)
    rows = [[name, f"{r[key][0]:.0f}", f"{size_mb(m):.1f}", f"{size_mb(m, counts=True):.1f}",
             json.loads((m / "meta.json").read_text())["trigrams"]]
            for name, key, m in (("base (all but the last 10,000)", "base", base),
                                 ("--update with the last 10,000", "update", upd),
                                 ("full rebuild on all", "full", full))]
    print(md_table(["model", "seconds", "model MB", "counts.npz MB", "trigrams"],
                   [[*row[:4], f"{row[4]:,}"] for row in rows]))
    s_upd, s_full = score(upd), score(full)
    print(f"\nscore.py --house-model updated: {s_upd}\nscore.py --house-model full:    {s_full}")
    print(f"largest |log10 difference| updated vs full, by n-gram: {compare(full, upd)}")
    print("accuracy identical" if _accuracy(s_upd) == _accuracy(s_full) else "accuracy DIFFERENT")
    return 0


if __name__ == "__main__":
    sys.exit(main())
