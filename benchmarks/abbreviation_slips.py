"""Abbreviation slips ("THTP" for THPT, "HĐNĐ" for HĐND), or another rule's, flagged on news articles, to be judged.

    python benchmarks/abbreviation_slips.py [--articles 35386] [--seed 11] [--start 0] [--rule ID] [--content]

Articles of ../shared/corpus (their 20-150-syllable paragraphs joined, as `news_flags.articles`
gives them), shuffled with `--seed`; articles `--start` to `--articles` of that order are run
through the VI_ABBREVIATION_TYPO rule (or `--rule`) alone, with the default checker's models for
the rules that ask them, and every flag is printed with its context for an editor to judge
(`--content`: only VI_REPEATED_WORD's doubled content words, those the models decide). Nothing
is written anywhere; only the judged counts go to BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import random

from news_flags import articles

import vnproof
from vnproof.options import CheckOptions
from vnproof.rules import run_rules
from vnproof.rules.typography import FUNCTION_WORDS
from vnproof.tokenize import tokenize


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=None, help="end of the range (default: all)")
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--rule", default="VI_ABBREVIATION_TYPO")
    ap.add_argument("--content", action="store_true", help="doubled content words only")
    a = ap.parse_args()
    checker, opts = vnproof.Checker(), CheckOptions.make(enabled_only=True, enabled_rules=[a.rule])
    arts = articles()
    random.Random(a.seed).shuffle(arts)
    flags = words = 0
    for art_id, paras in arts[a.start:a.articles]:
        text = "\n".join(paras)
        words += len(text.split())
        for i in run_rules(tokenize(text), opts, checker.lexicon, pairs_seen=checker._pairs_seen):
            if a.content and i.replacements[0].lower() in FUNCTION_WORDS:
                continue
            flags += 1
            ctx = text[max(0, i.offset - 50):i.end + 30].replace("\n", " ")
            print(f"{art_id}: {i.text} -> {i.replacements}\n    {ctx}")
    print(f"{flags} flag(s) in {words:,} words of {len(arts[a.start:a.articles]):,} articles")


if __name__ == "__main__":
    main()
