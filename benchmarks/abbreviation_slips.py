"""Abbreviation slips ("THTP" for THPT, "HĐNĐ" for HĐND) flagged on news articles, to be judged.

    python benchmarks/abbreviation_slips.py [--articles 35386] [--seed 11] [--start 0]

Articles of ../shared/corpus (their 20-150-syllable paragraphs joined, as `news_flags.articles`
gives them), shuffled with `--seed`; articles `--start` to `--articles` of that order are run
through the VI_ABBREVIATION_TYPO rule alone, and every flag is printed with its context for an
editor to judge. Nothing is written anywhere; only the judged counts go to BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import random

from news_flags import articles

from vnproof.lexicon import default_lexicon
from vnproof.options import CheckOptions
from vnproof.rules import run_rules
from vnproof.tokenize import tokenize

RULE = "VI_ABBREVIATION_TYPO"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=None, help="end of the range (default: all)")
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    lex, opts = default_lexicon(), CheckOptions.make(enabled_only=True, enabled_rules=[RULE])
    arts = articles()
    random.Random(a.seed).shuffle(arts)
    flags = words = 0
    for art_id, paras in arts[a.start:a.articles]:
        text = "\n".join(paras)
        words += len(text.split())
        for i in run_rules(tokenize(text), opts, lex):
            flags += 1
            ctx = text[max(0, i.offset - 50):i.end + 30].replace("\n", " ")
            print(f"{art_id}: {i.text} -> {i.replacements}\n    {ctx}")
    print(f"{flags} flag(s) in {words:,} words of {len(arts[a.start:a.articles]):,} articles")


if __name__ == "__main__":
    main()
