"""Human-judged recall and precision on real news (issue #13): paragraphs to read, then the flags.

    python benchmarks/news_read.py --print [--seed 20261202] [--seed 20261203 ...]
    python benchmarks/news_read.py --typos FILE.json [--seed ...] [--json OUT]

Draws 40 paragraphs (40 to 150 syllables, one per article, fixed seed; the same drawing as
`news_flags.sample()`, with the longer minimum) from `../shared/corpus/` for each `--seed`,
numbered on (a second seed gives paragraphs 41-80; an article drawn twice is kept once).

`--print` prints them numbered with their article ids, to be read word by word by a person who
writes every real typo into FILE.json, a list of
    {"article": id, "paragraph_start": first 40 characters, "wrong": typed text,
     "right": correction, "offset": character offset of `wrong` in the paragraph}
kept outside the repository (it is derived from the corpus).

`--typos FILE.json` checks each paragraph alone at the default level and prints every spelling
flag (and doubled word, `news_flags.is_slip`) with its context and whether it overlaps a listed typo, then every listed typo with
whether it is flagged (a spelling flag overlaps it) and corrected (that flag's first
replacement, put in place of the flag's span, gives `right`). Recall = flagged / listed;
the share of flags on a listed typo is an upper bound of precision until each flag is judged.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from _common import CORPUS
from news_flags import SYL, articles, is_slip, sample

import vnproof

SEEDS = [20261202]
N = 40
LO, HI = 40, 150


def draw(seeds: list[int], n: int = N) -> list[tuple[int, str, str]]:
    """(number from 1, article id, paragraph) for each seed in turn; a repeated article kept once."""
    arts = articles(LO, HI)
    out, seen = [], set()
    for seed in seeds:
        for aid, text in sample(n, seed, arts):
            if aid not in seen:
                seen.add(aid)
                out.append((len(out) + 1, aid, text))
    return out


def cell(s: str) -> str:
    return s.replace("|", "/").replace("\n", " ")


def context(text: str, a: int, b: int, width: int = 40) -> str:
    return cell(text[max(0, a - width):a] + "[" + text[a:b] + "]" + text[b:b + width])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, action="append", help="repeatable; default 20261202")
    ap.add_argument("--paragraphs", type=int, default=N, help="per seed")
    ap.add_argument("--print", action="store_true", help="print the paragraphs to read")
    ap.add_argument("--typos", help="the typos found by reading (JSON list)")
    ap.add_argument("--json", help="write flags and typos with their outcome here")
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"{CORPUS} not found", file=sys.stderr)
        return 2
    if not (args.print or args.typos):
        ap.error("give --print or --typos")
    paras = draw(args.seed or SEEDS, args.paragraphs)

    if args.print:
        for i, aid, text in paras:
            print(f"## {i}. {aid} ({len(SYL.findall(text))} syllables)\n\n{text}\n")
        if not args.typos:
            return 0

    typos = json.loads(Path(args.typos).read_text(encoding="utf-8"))
    by_article = {aid: (i, text) for i, aid, text in paras}
    bad = 0
    for t in typos:
        t["detected"] = t["corrected"] = False
        t["fix"] = ""
        if t["article"] not in by_article:
            print(f"typo in an article not drawn: {t}", file=sys.stderr)
            bad += 1
            continue
        i, text = by_article[t["article"]]
        t["n"] = i
        if not text.startswith(t["paragraph_start"][:40]):
            print(f"paragraph_start does not match paragraph {i}: {t}", file=sys.stderr)
            bad += 1
        a = t["offset"]
        if text[a:a + len(t["wrong"])] != t["wrong"]:
            found = text.find(t["wrong"])
            print(f"offset {a} of {t['wrong']!r} in paragraph {i} is wrong"
                  f" (first found at {found})", file=sys.stderr)
            bad += 1
    if bad:
        print(f"{bad} bad entries in {args.typos}", file=sys.stderr)
        return 2

    checker = vnproof.Checker()
    syllables, flags = 0, []
    for i, aid, text in paras:
        syllables += len(SYL.findall(text))
        mine = [t for t in typos if t["article"] == aid]
        for issue in checker.check(text):
            if not is_slip(issue):
                continue
            a, b = issue.offset, issue.end
            hit = [t for t in mine if a < t["offset"] + len(t["wrong"]) and t["offset"] < b]
            fix = issue.replacements[0] if issue.replacements else ""
            for t in hit:
                t["detected"] = True
                # the corrected span: the typo's span with the flag's span replaced by the fix
                lo, hi = min(a, t["offset"]), max(b, t["offset"] + len(t["wrong"]))
                fixed = text[lo:a] + fix + text[b:hi]
                wanted = text[lo:t["offset"]] + t["right"] + text[t["offset"] + len(t["wrong"]):hi]
                if fixed == wanted:
                    t["corrected"] = True
                t["fix"] = t["fix"] or fix
            flags.append({"n": i, "article": aid, "text": issue.text,
                          "fix": issue.replacements[:3], "confidence": issue.confidence,
                          "rule": issue.rule_id, "on_typo": bool(hit),
                          "context": context(text, a, b)})

    detected = sum(t["detected"] for t in typos)
    corrected = sum(t["corrected"] for t in typos)
    on_typo = sum(f["on_typo"] for f in flags)
    print(f"{len(paras)} paragraphs, {syllables:,} syllables; {len(typos)} typos found by reading; "
          f"{len(flags)} default-level spelling flags\n")
    print("| | count | share |")
    print("|---|---:|---:|")
    print(f"| typos flagged (recall) | {detected} / {len(typos)} | "
          f"{detected / max(len(typos), 1):.0%} |")
    print(f"| typos corrected (first replacement) | {corrected} / {len(typos)} | "
          f"{corrected / max(len(typos), 1):.0%} |")
    print(f"| flags on a listed typo | {on_typo} / {len(flags)} | "
          f"{on_typo / max(len(flags), 1):.0%} |\n")

    print("### Flags\n")
    print("| # | para | flag → fix | conf | rule | on a listed typo | context |")
    print("|---:|---:|---|---:|---|---|---|")
    for k, f in enumerate(flags, 1):
        print(f"| {k} | {f['n']} | {f['text']} → {', '.join(f['fix'])} | {f['confidence']:.2f} | "
              f"{f['rule']} | {'yes' if f['on_typo'] else 'no'} | {f['context']} |")

    print("\n### Typos found by reading\n")
    print("| # | para | wrong → right | flagged | corrected | checker's fix | context |")
    print("|---:|---:|---|---|---|---|---|")
    for k, t in enumerate(sorted(typos, key=lambda t: (t["n"], t["offset"])), 1):
        text = by_article[t["article"]][1]
        a = t["offset"]
        print(f"| {k} | {t['n']} | {t['wrong']} → {t['right']} | "
              f"{'yes' if t['detected'] else 'no'} | {'yes' if t['corrected'] else 'no'} | "
              f"{t['fix']} | {context(text, a, a + len(t['wrong']), 30)} |")
    if args.json:
        Path(args.json).write_text(json.dumps({"paragraphs": len(paras), "syllables": syllables,
                                               "flags": flags, "typos": typos},
                                              ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
