"""Abbreviation flags on 100 news paragraphs of ../shared/corpus, for an editor to judge.

    python benchmarks/abbreviations_news.py [--show]

The paragraphs: in file order, the first paragraph of each article that holds an all-caps word
of three letters or more, 50 from news-dantri-01 and 50 from news-baomoi-01. Each article is
checked whole (an abbreviation may be spelled out in an earlier paragraph); the flags inside
the chosen paragraph are counted. `--show` prints each flag with its context so it can be
judged; nothing is written to the repository.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re

from _common import CORPUS

import vnproof

RULE = "VI_ABBREVIATION_UNDEFINED"
CAPS = re.compile(r"(?<!\w)[A-ZĐ][A-ZĐĂÂÊÔƠƯ]{2,}(?!\w)")
PER_FILE = 50


def paragraphs(name: str, n: int):
    with gzip.open(CORPUS / name, "rt", encoding="utf-8") as f:
        for line in f:
            art = json.loads(line)
            text = art["text"]
            start = 0
            for k, para in enumerate(text.split("\n")):
                if CAPS.search(para):
                    yield art["id"], k, text, start, start + len(para)
                    n -= 1
                    break
                start += len(para) + 1
            if n == 0:
                return


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="print each flag with its context")
    args = ap.parse_args()
    checker = vnproof.default_checker()
    total = 0
    for name in ("news-dantri-01.jsonl.gz", "news-baomoi-01.jsonl.gz"):
        for art_id, k, text, a, b in paragraphs(name, PER_FILE):
            flags = [i for i in checker.check(text, enabled_only=True, enabled_rules=[RULE]) if a <= i.offset < b]
            total += len(flags)
            for i in flags:
                ctx = text[max(a, i.offset - 60):min(b, i.end + 60)].replace("\n", " ")
                print(f"{art_id} ¶{k}: {i.text} -> {i.replacements[:2]}" + (f"\n    {ctx}" if args.show else ""))
    print(f"{total} abbreviation flag(s) in {2 * PER_FILE} paragraphs")


if __name__ == "__main__":
    main()
