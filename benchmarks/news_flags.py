"""False alarms on real news: every default-level spelling flag (and doubled word) on paragraphs of published news.

    python benchmarks/news_flags.py [--paragraphs 300] [--seed 20261201] [--model PATH] [--json OUT]

Draws `--paragraphs` paragraphs (20 to 150 syllables, one per article, fixed seed) from
`../shared/corpus/` (copyrighted news that no shipped model contains: an unseen domain for the
default model), checks each alone at the default level, as a LanguageTool client sends them, and
prints the spelling flags per 1,000 syllables and the list of every flag with its context, to be
read and judged: most flags on published news are false alarms, and a flag on an everyday
phrase is a defect. Nothing it prints may be committed except the figures and the judged list.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from pathlib import Path

from _common import CORPUS

import vnproof

SLIP_RULES = ("VI_REPEATED_WORD",)   # typography rules whose flags are typing slips ("sau sau")


def is_slip(issue) -> bool:
    """A flag on a typing slip: every spelling flag, and a doubled word."""
    return issue.category == "spelling" or issue.rule_id in SLIP_RULES


SYL = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]+")


def articles(lo: int = 20, hi: int = 150) -> list[tuple[str, list[str]]]:
    """(article id, its paragraphs of lo..hi syllables), in corpus order."""
    out = []
    for f in sorted(CORPUS.glob("*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                paras = [p for p in row["text"].split("\n") if lo <= len(SYL.findall(p)) <= hi]
                if paras:
                    out.append((row["id"], paras))
    return out


def sample(n: int, seed: int, arts: list[tuple[str, list[str]]] | None = None) -> list[tuple[str, str]]:
    """(article id, paragraph): one paragraph from each of n random articles of `arts` (default:
    the corpus's articles with paragraphs of 20 to 150 syllables)."""
    arts = articles() if arts is None else arts
    rng = random.Random(seed)
    picked = rng.sample(arts, min(n, len(arts)))
    return [(aid, rng.choice(paras)) for aid, paras in picked]


def slip_flags(checker: vnproof.Checker, paras: list[tuple[str, str]]) -> list[dict]:
    """Every slip flag (`is_slip`) of each paragraph checked alone at the default level, with
    40 characters of context each side."""
    flags = []
    for aid, text in paras:
        for issue in checker.check(text):
            if not is_slip(issue):
                continue
            a, b = issue.offset, issue.offset + issue.length
            flags.append({"article": aid, "offset": a, "length": issue.length, "text": issue.text,
                          "fix": issue.replacements[:3], "confidence": issue.confidence, "rule": issue.rule_id,
                          "context": text[max(0, a - 40):a] + "[" + text[a:b] + "]" + text[b:b + 40]})
    return flags


def context(flag: dict) -> str:
    """A flag's context as one markdown table cell."""
    return flag["context"].replace("|", "/").replace("\n", " ")


def flag_table(flags: list[dict]) -> str:
    """The flags as a markdown table, most confident first."""
    lines = ["| # | flag → fix | conf | context |", "|---:|---|---:|---|"]
    for i, f in enumerate(sorted(flags, key=lambda f: -f["confidence"]), 1):
        lines.append(f"| {i} | {f['text']} → {', '.join(f['fix'])} | {f['confidence']:.2f} | {context(f)} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--paragraphs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--model", action="append", default=[], help="a house model to add")
    ap.add_argument("--json", help="write the flags here")
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"{CORPUS} not found", file=sys.stderr)
        return 2
    checker = vnproof.Checker(models=args.model or None)
    paras = sample(args.paragraphs, args.seed)
    syllables = sum(len(SYL.findall(text)) for _, text in paras)
    flags = slip_flags(checker, paras)
    print(f"{len(paras)} paragraphs, {syllables:,} syllables: {len(flags)} spelling flags (and doubled words), "
          f"{1000 * len(flags) / max(syllables, 1):.2f} per 1,000 syllables\n")
    print(flag_table(flags))
    if args.json:
        Path(args.json).write_text(json.dumps({"paragraphs": len(paras), "syllables": syllables,
                                               "flags": flags}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
