"""A typing-error channel: realistic slips injected into clean text, for training and benchmarks.

`corrupt(text, rng)` turns about one syllable in `rate` into a slip and returns the new text
with each slip's span in it. The mix of slip types (`RATES`) follows real typo statistics: the
category counts of the tuning half of viwiki-dev (481 labelled typos: tone 193, other vowel
marks 62, initials 57, i/y 19, tone placement 16, merges and splits 7, "other" 126 — codas,
dropped, added and neighbouring letters), with floors for slips that set has few of but
typists make (Telex leftovers, Shift slips, transpositions, words typed without accents).
Only the counts are used, never the text. A slip that forms another valid syllable (a
real-word error) is the common and hard case; the channel does not avoid non-words either.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from .candidates import DIALECT_CODAS, DIALECT_ONSETS, KEY_NEIGHBOURS, ONSET_SET
from .syllable import compose, parse, respell_onset, to_telex
from .text import match_case, strip_diacritics
from .tokenize import Kind, tokenize

RATES: dict[str, float] = {
    "tone": 0.33,        # another tone mark, or none (hỏi/ngã included)
    "mark": 0.11,        # â ă ơ ô ư ê đ added, dropped or swapped
    "onset": 0.10,       # s/x, ch/tr, d/gi/r, l/n ... and other initials
    "coda": 0.08,        # -n/-ng, -t/-c, -nh/-n ...
    "i_y": 0.035,
    "drop": 0.06,        # a letter left out
    "insert": 0.03,      # a letter typed twice or a stray one
    "keyboard": 0.05,    # a neighbouring key
    "transpose": 0.025,  # two letters swapped
    "vowel": 0.03,       # another vowel letter of the rhyme
    "telex": 0.025,      # Telex keys left in ("nghij")
    "unaccented": 0.03,  # the word typed without any accents
    "shift": 0.01,       # a capital from a Shift slip in mid-word
    "merge": 0.015,      # the space to the next word lost
}
_TONE_SIBLING = {3: 4, 4: 3}  # hỏi <-> ngã is the commonest tone slip
_VOWEL_SWAPS = {"a": "ăâeo", "e": "êai", "o": "ôơau", "u": "ưoi", "i": "yeu", "y": "i"}
_MARKS = {"a": "ăâ", "ă": "aâ", "â": "aă", "e": "ê", "ê": "e", "o": "ôơ", "ô": "oơ", "ơ": "oô", "u": "ư", "ư": "u"}


@dataclass(frozen=True)
class Slip:
    """One injected slip: its span in the corrupted text, what was typed and what was meant."""

    start: int
    end: int
    typed: str
    meant: str
    type: str


def _retone(s: str, rng: random.Random) -> str | None:
    syl = parse(s)
    if syl is None:
        return None
    tone = _TONE_SIBLING[syl.tone] if syl.tone in _TONE_SIBLING and rng.random() < 0.5 else \
        rng.choice([t for t in range(6) if t != syl.tone])
    return compose(syl.onset, syl.rhyme, tone)


def _remark(s: str, rng: random.Random) -> str | None:
    spots = [i for i, c in enumerate(s) if strip_diacritics(c) != c or c in _MARKS or c in "dđ"]
    rng.shuffle(spots)
    syl = parse(s)
    for i in spots:
        c = s[i]
        base = strip_diacritics(c).lower()
        if base == "d":
            return s[:i] + ("d" if c == "đ" else "đ") + s[i + 1:]
        if syl is None:
            return None
        plain = [ch for ch in syl.rhyme]
        for j, ch in enumerate(plain):
            if ch in _MARKS:
                plain[j] = rng.choice(_MARKS[ch])
                return compose(syl.onset, "".join(plain), syl.tone)
    return None


def _reonset(s: str, rng: random.Random) -> str | None:
    syl = parse(s)
    if syl is None:
        return None
    pairs = [b if a == syl.onset else a for a, b in DIALECT_ONSETS if syl.onset in (a, b)]
    onset = rng.choice(pairs) if pairs and rng.random() < 0.7 else rng.choice(ONSET_SET)
    if onset == syl.onset:
        return None
    return compose(respell_onset(onset, syl.rhyme), syl.rhyme, syl.tone)


def _recoda(s: str, rng: random.Random) -> str | None:
    syl = parse(s)
    if syl is None or not syl.coda:
        return None
    pairs = [b if a == syl.coda else a for a, b in DIALECT_CODAS if syl.coda in (a, b)]
    if not pairs:
        return None
    return compose(syl.onset, syl.vowels + rng.choice(pairs), syl.tone)


def _i_y(s: str, rng: random.Random) -> str | None:
    syl = parse(s)
    if syl is None or not syl.onset or syl.rhyme not in ("i", "y"):
        return None       # quí/quý, lí/lý, kĩ/kỹ: a lone i or y after an initial
    for a, b in (("i", "y"), ("y", "i"), ("ì", "ỳ"), ("ỳ", "ì"), ("í", "ý"), ("ý", "í"), ("ỉ", "ỷ"),
                 ("ỷ", "ỉ"), ("ĩ", "ỹ"), ("ỹ", "ĩ"), ("ị", "ỵ"), ("ỵ", "ị")):
        if s.endswith(a):
            return s[: -len(a)] + b
    return None


def _drop(s: str, rng: random.Random) -> str | None:
    if len(s) < 2:
        return None
    i = rng.randrange(len(s))
    return s[:i] + s[i + 1:]


def _insert(s: str, rng: random.Random) -> str | None:
    i = rng.randrange(len(s))
    c = s[i] if rng.random() < 0.5 else rng.choice(KEY_NEIGHBOURS.get(strip_diacritics(s[i]), "") or "n")
    return s[:i] + c + s[i:]


def _keyboard(s: str, rng: random.Random) -> str | None:
    spots = [i for i, c in enumerate(s) if c in KEY_NEIGHBOURS]
    if not spots:
        return None
    i = rng.choice(spots)
    return s[:i] + rng.choice(KEY_NEIGHBOURS[s[i]]) + s[i + 1:]


def _transpose(s: str, rng: random.Random) -> str | None:
    if len(s) < 2:
        return None
    i = rng.randrange(len(s) - 1)
    if s[i] == s[i + 1]:
        return None
    return s[:i] + s[i + 1] + s[i] + s[i + 2:]


def _vowel(s: str, rng: random.Random) -> str | None:
    syl = parse(s)
    if syl is None:
        return None
    spots = [i for i, c in enumerate(syl.rhyme) if c in _VOWEL_SWAPS]
    if not spots:
        return None
    i = rng.choice(spots)
    rhyme = syl.rhyme[:i] + rng.choice(_VOWEL_SWAPS[syl.rhyme[i]]) + syl.rhyme[i + 1:]
    return compose(syl.onset, rhyme, syl.tone)


def _telex(s: str, rng: random.Random) -> str | None:
    keys = to_telex(s)
    return keys if keys != s and keys.isascii() else None


def _unaccented(s: str, rng: random.Random) -> str | None:
    plain = strip_diacritics(s).replace("đ", "d")
    return plain if plain != s else None


def _shift(s: str, rng: random.Random) -> str | None:
    if len(s) < 3:
        return None
    i = rng.randrange(1, len(s))
    return s[:i] + s[i].upper() + s[i + 1:] if rng.random() < 0.5 else s[:i] + s[i].upper() + s[i:]


_SLIPS = {"tone": _retone, "mark": _remark, "onset": _reonset, "coda": _recoda, "i_y": _i_y,
          "drop": _drop, "insert": _insert, "keyboard": _keyboard, "transpose": _transpose,
          "vowel": _vowel, "telex": _telex, "unaccented": _unaccented, "shift": _shift}


def slip(word: str, kind: str, rng: random.Random) -> str | None:
    """`word` (lower case) with a slip of `kind`, or None where that slip does not apply."""
    out = _SLIPS[kind](word, rng)
    return out if out and out != word else None


def corrupt(text: str, rng: random.Random, rate: float = 0.05,
            rates: dict[str, float] = RATES) -> tuple[str, list[Slip]]:
    """`text` with about `rate` of its Vietnamese syllables slipped; spans are in the new text."""
    kinds, weights = list(rates), list(rates.values())
    toks = [t for t in tokenize(text).tokens if t.kind is Kind.SYLLABLE]
    out, slips, pos, shift, skip = [], [], 0, 0, -1
    for k, t in enumerate(toks):
        if k <= skip or rng.random() >= rate:
            continue
        kind = rng.choices(kinds, weights)[0]
        low = t.text.lower()
        if kind == "merge":
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if nxt is None or text[t.end:nxt.start] != " ":
                continue
            typed, meant, end = t.text + nxt.text, text[t.start:nxt.end], nxt.end
            skip = k + 1
        else:
            new = slip(low, kind, rng)
            if new is None:
                continue
            typed = new if kind == "shift" else match_case(new, t.text)
            meant, end = t.text, t.end
        out.append(text[pos:t.start])
        start = t.start + shift
        out.append(typed)
        slips.append(Slip(start, start + len(typed), typed, meant, kind))
        shift += len(typed) - (end - t.start)
        pos = end
    out.append(text[pos:])
    return "".join(out), slips
