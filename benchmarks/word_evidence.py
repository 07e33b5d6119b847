"""Measure the word-evidence likelihood ratios of the checker (`WORD_EVIDENCE_LR`).

For every syllable the checker decides on, it records the word evidence (does the typed syllable
make a lexicon word with a neighbour? does a candidate make a frequent one with a neighbour that
is otherwise left alone?). This script counts each kind of evidence on labelled typos and on
clean syllables and prints P(evidence | typo) / P(evidence | clean):

    python benchmarks/word_evidence.py            # half A (the tuning half) and half B

The ratios in vnproof/checker.py were measured on half A; half B shows how well they carry over.
"""
from __future__ import annotations

import collections
import json
import sys

from _common import SPLIT_A, VIWIKI

import vnproof
from vnproof.checker import WORD_EVIDENCE_LR


def count(rows: list[dict], checker: vnproof.Checker) -> collections.Counter:
    tally: collections.Counter = collections.Counter()
    seen: list = []
    original = checker._decode

    def spy(batch):
        original(batch)
        seen.extend(s for _, slots in batch for s in slots if not s.nonword)

    checker._decode = spy
    try:
        for r in rows:
            spans = [(e["start"], e["end"]) for e in r["errors"]]
            seen.clear()
            checker.check(r["text_with_errors"], enabled_categories=["spelling"], enabled_only=True)
            for s in seen:
                typo = any(a < s.token.end and s.token.start < b for a, b in spans)
                tally[(typo, s.evidence)] += 1
    finally:
        checker._decode = original
    return tally


def report(name: str, tally: collections.Counter) -> None:
    typos = sum(v for (t, _), v in tally.items() if t)
    clean = sum(v for (t, _), v in tally.items() if not t)
    print(f"\n{name}: {typos} typos, {clean} clean syllables (valid syllables the checker decided on)")
    print(f"{'evidence':16} {'typos':>6} {'clean':>7} {'P(e|typo)':>10} {'P(e|clean)':>11} {'LR':>7} {'in code':>8}")
    for kind in WORD_EVIDENCE_LR:
        t, c = tally[(True, kind)], tally[(False, kind)]
        pt, pc = t / max(typos, 1), c / max(clean, 1)
        lr = f"{pt / pc:.2f}" if pc else "-"
        print(f"{kind:16} {t:6} {c:7} {pt:10.4f} {pc:11.5f} {lr:>7} {WORD_EVIDENCE_LR[kind]:8.2f}")


def main() -> int:
    if not VIWIKI.exists():
        print(f"{VIWIKI} not found", file=sys.stderr)
        return 2
    rows = [json.loads(l) for l in VIWIKI.read_text(encoding="utf-8").splitlines() if l.strip()]
    checker = vnproof.Checker()
    report("half A (tuning)", count(rows[:SPLIT_A], checker))
    report("half B (held out)", count(rows[SPLIT_A:], checker))
    return 0


if __name__ == "__main__":
    sys.exit(main())
