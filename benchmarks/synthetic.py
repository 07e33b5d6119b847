"""Synthetic slips by type, in text the default model never saw: recall, correction, precision.

    python benchmarks/synthetic.py [--paragraphs 600] [--seed 20261202] [--sources open,news]
                                   [--level default] [--house-model PATH]

Sources of clean paragraphs:
  open  held-out open-corpus documents (never counted into the default model) of the *test*
        part, which the decision's fitting never reads (`vnproof.lmsources.is_test_document`).
  news  paragraphs of ../shared/corpus/*.jsonl.gz, published news no shipped model contains
        (read at run time; nothing derived from it is written anywhere).

Slips come from `vnproof.slips`, the same channel the decision is trained with, in two runs:
  mix      the realistic mix of slip types (`slips.RATES`), about 4 slips per 100 syllables:
           overall detection precision, recall and correction, and false alarms per 1,000
           untouched syllables;
  by type  every type equally often: recall and correction per type.
A slip is detected when a spelling issue overlaps it, corrected when that issue's first
replacement is what was meant.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CORPUS, md_table  # noqa: E402

import vnproof  # noqa: E402
from vnproof.lmsources import heldout_documents  # noqa: E402
from vnproof.slips import RATES, corrupt  # noqa: E402

OPEN_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "open-corpus"


def paragraphs(source: str, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    if source == "open":
        paras = [p for _, _, t in heldout_documents(OPEN_CORPUS, "test") for p in t.split("\n")]
    else:
        paras = []
        for f in sorted(CORPUS.glob("*.jsonl.gz")):
            with gzip.open(f, "rt", encoding="utf-8") as fh:
                for i, line in enumerate(fh):
                    if i % 50 == 0:
                        paras.extend(json.loads(line)["text"].split("\n"))
    paras = [p for p in paras if 80 <= len(p) <= 1500]
    return rng.sample(paras, min(n, len(paras)))


def run(checker, paras: list[str], rates: dict[str, float], seed: int, level: str) -> dict:
    rng = random.Random(seed)
    by_type: dict[str, list[int]] = {k: [0, 0, 0] for k in rates}   # slips, detected, corrected
    flags = real = syllables = 0
    for para in paras:
        bad, slips = corrupt(para, rng, 0.04, rates)
        issues = [i for i in checker.check(bad, level=level) if i.category == "spelling"]
        for s in slips:
            hit = [i for i in issues if i.offset < s.end and s.start < i.offset + i.length]
            row = by_type[s.type]
            row[0] += 1
            row[1] += bool(hit)
            row[2] += bool(hit) and bool(hit[0].replacements) and hit[0].replacements[0].lower() == s.meant.lower()
        flags += len(issues)
        real += sum(any(i.offset < s.end and s.start < i.offset + i.length for s in slips) for i in issues)
        syllables += len(bad.split()) - len(slips)
    return {"by_type": by_type, "flags": flags, "real": real, "clean_syllables": syllables}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paragraphs", type=int, default=600)
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("--sources", default="open,news")
    ap.add_argument("--level", default="default")
    ap.add_argument("--house-model", type=Path)
    a = ap.parse_args()
    checker = vnproof.Checker(models=[a.house_model] if a.house_model else None)
    uniform = {k: 1.0 for k in RATES}
    for source in a.sources.split(","):
        paras = paragraphs(source, a.paragraphs, a.seed)
        mix = run(checker, paras, RATES, a.seed, a.level)
        n = sum(r[0] for r in mix["by_type"].values())
        det = sum(r[1] for r in mix["by_type"].values())
        cor = sum(r[2] for r in mix["by_type"].values())
        p = mix["real"] / max(mix["flags"], 1)
        r = det / max(n, 1)
        fa = (mix["flags"] - mix["real"]) / max(mix["clean_syllables"], 1) * 1000
        print(f"\n### {source}: {len(paras)} paragraphs, level {a.level}, seed {a.seed}\n")
        print(md_table(["run", "slips", "flags", "precision", "recall", "corrected", "F1", "false alarms / 1k"],
                       [["mix", n, mix["flags"], p, r, cor / max(n, 1), 2 * p * r / max(p + r, 1e-9), fa]]))
        one = run(checker, paras, uniform, a.seed + 1, a.level)
        rows = [[k, s, d / max(s, 1), c / max(s, 1)] for k, (s, d, c) in one["by_type"].items()]
        print()
        print(md_table(["slip type", "slips", "detected", "corrected"], rows))


if __name__ == "__main__":
    main()
