"""Merge the sources' evidence into the shipped tables, and spot-check the result."""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from .common import has_vi_diacritic, is_syllable, nfc
from .own import COMMON_ABBREVIATIONS

MIN_SYLLABLE_COUNT = 3
MAX_WORDS_BYTES = 6_000_000
MUST_SYLLABLES = ["chung", "riêng", "bảo", "nhân", "hiện", "tạo", "đoạn", "quần"]
MUST_WORDS = ["hiện đại", "giai đoạn", "quần chúng", "nói chung", "cải tạo"]


def curated_syllables(entries: Iterable[str]) -> set[str]:
    """All lower-case syllables of dictionary entries (hyphenated entries skipped)."""
    out: set[str] = set()
    for entry in entries:
        if "-" not in entry:
            out.update(nfc(entry).lower().replace("_", " ").split())
    return out


def keep_syllable(token: str, hamster: Counter) -> bool:
    """Syllable filter: well-formed and (diacritic or attested in g2p-hamster)."""
    return is_syllable(token) and (has_vi_diacritic(token) or hamster.get(token, 0) > 0)


def build_syllables(hamster: Counter, wordfreq: dict[str, float], genz: Counter,
                    word_syllables: set[str]) -> Counter:
    """Merge syllable evidence into one pseudo-count per syllable.

    g2p-hamster counts are kept as they are; wordfreq frequencies and the
    single-syllable counts of genz-tokenize's vocabulary are scaled to the
    size of the g2p-hamster corpus and added; syllables attested only in the
    curated word lists (``word_syllables``: pyvi, Viet74K) get count 1.
    Syllables below :data:`MIN_SYLLABLE_COUNT` that no curated list has are
    dropped: rare forms that no dictionary lists are mostly typos.
    """
    total = sum(hamster.values())
    genz_total = sum(genz.values()) or 1
    merged: Counter = Counter()
    for syl, c in hamster.items():
        if keep_syllable(syl, hamster):
            merged[syl] += c
    for syl, f in wordfreq.items():
        if keep_syllable(syl, hamster):
            merged[syl] += round(f * total)
    for syl, c in genz.items():
        if " " not in syl and keep_syllable(syl, hamster):
            merged[syl] += round(c * total / genz_total)
    for syl in word_syllables:
        if keep_syllable(syl, hamster):
            merged[syl] = max(merged[syl], 1)
    return Counter({s: max(c, 1) for s, c in merged.items()
                    if c >= MIN_SYLLABLE_COUNT or s in word_syllables})


def build_words(genz: Counter, lists: Iterable[set[str]], syllables: Counter) -> Counter:
    """Merge word lists (genz corpus count if known, otherwise 1), keep words of known
    syllables, and trim to :data:`MAX_WORDS_BYTES`."""
    merged: Counter = Counter({w: c for w, c in genz.items() if " " in w})
    for words in lists:
        for w in words:
            merged[w] = max(merged[w], 1)
    known = Counter({w: c for w, c in merged.items() if all(s in syllables for s in w.split())})
    return trim_words(known, MAX_WORDS_BYTES)


def trim_words(words: Counter, max_bytes: int) -> Counter:
    """Drop the lowest-count words until the TSV would fit in ``max_bytes``."""
    ranked = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))
    size, kept = 0, Counter()
    for w, c in ranked:
        size += len(f"{w}\t{c}\n".encode())
        if size > max_bytes:
            break
        kept[w] = c
    return kept


def build_abbreviations(sources: Iterable[list[tuple[str, str]]]) -> list[tuple[str, str, int]]:
    """Group expansions per ABBR (first spelling wins, ``|``-joined) and mark common ones."""
    grouped: dict[str, list[str]] = {}
    for pairs in sources:
        for abbr, exp in pairs:
            abbr, exp = nfc(abbr), nfc(re.sub(r"\s+", " ", exp))
            if "\t" in abbr or not re.search(r"[^\W\d_]", abbr):
                continue
            exps = grouped.setdefault(abbr, [])
            if exp.lower() not in {e.lower() for e in exps}:
                exps.append(exp)
    return sorted((a, " | ".join(e), int(a in COMMON_ABBREVIATIONS)) for a, e in grouped.items())


def validate(syllables: Counter, words: Counter) -> None:
    """Spot-check that common syllables and words made it in with high counts."""
    ranked = {s: i for i, (s, _) in enumerate(syllables.most_common())}
    for s in MUST_SYLLABLES:
        assert s in syllables, f"missing syllable {s}"
        print(f"  syllable {s!r}: count {syllables[s]}, rank {ranked[s]}")
        assert ranked[s] < 3000, f"syllable {s} has a low count"
    for w in MUST_WORDS:
        assert w in words, f"missing word {w}"
        print(f"  word {w!r}: count {words[w]}")
