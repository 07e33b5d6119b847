"""Measure the checker's evidence likelihood ratios (`WORD_EVIDENCE_LR`, `UNIQUE_LR`, `REPEAT_LR`).

For every valid syllable the checker decides on, it records:
  - word evidence: does the typed syllable make a lexicon word with a neighbour? does a
    candidate make a frequent one with a neighbour that is otherwise left alone?
  - whether the syllable occurs only once in a text long enough to expect it more often, and
    whether the pair it makes with a neighbour is used again elsewhere in the document.
This script fits a logistic regression of "labelled typo" on all of them (one-hot word evidence
plus the two document flags) and prints each as a likelihood ratio against the base typo rate:

    python benchmarks/word_evidence.py            # fit on half A (tuning); check on half B

The values in vnproof/checker.py are the half-A fit; the half-B fit shows how well they carry.
"""
from __future__ import annotations

import collections
import json
import sys

import numpy as np
from _common import SPLIT_A, VIWIKI

import vnproof
from vnproof.checker import REPEAT_LR, UNIQUE_LR, WORD_EVIDENCE_LR

KINDS = list(WORD_EVIDENCE_LR)


def observe(rows: list[dict], checker: vnproof.Checker) -> collections.Counter:
    """(is_typo, evidence, unique, pair used again) -> number of decided valid syllables."""
    tally: collections.Counter = collections.Counter()
    seen: list = []
    original = checker._decode

    def spy(batch):
        uncertain = original(batch)
        seen.extend(s for _, slots in batch for s in slots if not s.nonword)
        return uncertain

    checker._decode = spy
    try:
        for r in rows:
            spans = [(e["start"], e["end"]) for e in r["errors"]]
            seen.clear()
            checker.check(r["text_with_errors"], enabled_categories=["spelling"], enabled_only=True)
            for s in seen:
                typo = any(a < s.token.end and s.token.start < b for a, b in spans)
                tally[(typo, s.evidence, s.unique, s.repeats > 0)] += 1
    finally:
        checker._decode = original
    return tally


def fit(tally: collections.Counter) -> tuple[dict[str, float], float, float]:
    """Weighted logistic regression (Newton steps, small ridge) -> likelihood ratios."""
    cells = sorted(tally)
    X = np.array([[1.0 * (e == k) for k in KINDS] + [1.0 * u, 1.0 * r] for _, e, u, r in cells])
    y = np.array([1.0 * t for t, *_ in cells])
    w = np.array([tally[c] for c in cells], float)
    beta = np.zeros(X.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-X @ beta))
        grad = X.T @ (w * (y - p)) - 0.1 * beta
        hess = (X * (w * p * (1 - p))[:, None]).T @ X + 0.1 * np.eye(len(beta))
        beta += np.linalg.solve(hess, grad)
    base = np.log(w[y == 1].sum() / w[y == 0].sum())   # log prior odds of a typo
    lrs = {k: float(np.exp(beta[i] - base)) for i, k in enumerate(KINDS)}
    return lrs, float(np.exp(beta[-2])), float(np.exp(beta[-1]))


def report(name: str, tally: collections.Counter) -> None:
    typos = sum(v for (t, *_), v in tally.items() if t)
    clean = sum(v for (t, *_), v in tally.items() if not t)
    lrs, unique, repeat = fit(tally)
    print(f"\n{name}: {typos} typos, {clean} clean syllables (valid syllables the checker decided on)")
    print(f"{'evidence':16} {'typos':>6} {'clean':>7} {'fitted LR':>10} {'in code':>8}")
    for k in KINDS:
        t = sum(v for (ty, e, *_), v in tally.items() if ty and e == k)
        c = sum(v for (ty, e, *_), v in tally.items() if not ty and e == k)
        print(f"{k:16} {t:6} {c:7} {lrs[k]:10.2f} {WORD_EVIDENCE_LR[k]:8.2f}")
    t = sum(v for (ty, _, u, _r), v in tally.items() if ty and u)
    c = sum(v for (ty, _, u, _r), v in tally.items() if not ty and u)
    print(f"{'× unique':16} {t:6} {c:7} {unique:10.2f} {UNIQUE_LR:8.2f}")
    t = sum(v for (ty, *_, r), v in tally.items() if ty and r)
    c = sum(v for (ty, *_, r), v in tally.items() if not ty and r)
    print(f"{'× pair again':16} {t:6} {c:7} {repeat:10.2f} {REPEAT_LR:8.2f}")


def main() -> int:
    if not VIWIKI.exists():
        print(f"{VIWIKI} not found", file=sys.stderr)
        return 2
    rows = [json.loads(l) for l in VIWIKI.read_text(encoding="utf-8").splitlines() if l.strip()]
    checker = vnproof.Checker()
    report("half A (tuning)", observe(rows[:SPLIT_A], checker))
    report("half B (held out)", observe(rows[SPLIT_A:], checker))
    return 0


if __name__ == "__main__":
    sys.exit(main())
