"""Candidates: the syllables a writer may have meant, from Vietnamese error patterns.

Each candidate carries the kind of slip that turns it into what was typed and a channel
prior, log P(typed | meant), from the error-type masses below. Only attested syllables are
proposed. Lists for a syllable are computed once and cached.

Beside the Vietnamese patterns: every known syllable within two operations of a non-word
(`edits.SkeletonIndex`: keys, dropped, extra and swapped letters on the unmarked skeleton, plus
tone and vowel marks), swapped letters for known syllables too ("màu" for mùa), the marked
forms of a word typed without marks ("nguoi"), and syllables split by a space ("tr ường").
Stray capitals ("chíUnh") are read by `tokenize.shift_slip`.
"""
from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache, partial

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .edits import OP_SHARE, SECOND_OP, SkeletonIndex, alignment_ops, op_weight
from .lexicon import Lexicon
from .syllable import FRONT, RHYMES, compose, from_telex, from_vni, parse, parse_loose, respell_onset
from .text import split_tone, strip_diacritics, tone_key

# P(kind of slip | a slip happened), shared evenly among a syllable's candidates of that kind.
# Estimated from the kinds of the labelled typos in the tuning half of viwiki-dev (398 typos
# whose correction is one of our candidates), with small floors for the kinds it lacks.
ERROR_TYPES: dict[str, float] = {
    "tone": 0.24,        # wrong or missing tone mark: chúng/chung, đoàn/đoạn
    "hoi_nga": 0.23,     # hỏi/ngã confusion: sẻ/sẽ, vẩn/vẫn
    "mark": 0.14,        # â ă ơ ô ư ê đ marks: tầu/tàu, mọt/một
    "mark_tone": 0.02,   # both at once
    "onset": 0.075,      # dialect pairs: s/x, ch/tr, r/d/gi, l/n, v/d
    "coda": 0.05,        # -n/-ng, -t/-c, -nh/-n, -ch/-t: nhât/nhân
    "keyboard": 0.03,    # a neighbouring key: vảo/bảo, tiêng/riêng
    "rhyme": 0.10,       # one letter of the rhyme: tại/tạo
    "edit": 0.04,        # a dropped, doubled or swapped letter: rong/trong
    "telex": 0.03,       # Telex/VNI leftovers: nghij, vie65t
    "word": 0.002,       # two-letter edits backed by a lexicon word: huyện đại/hiện đại
    "i_y": 0.04,         # i/y spellings: quí/quý, lí/lý, sỹ/sĩ
    "onset_any": 0.03,   # any other initial consonant: mà/là, tới/với
    # Kinds of the general search (`edits`). Half A's category counts give the mass left to
    # them: "other" (any slip no named category covers) is 126 of its 481 typos (26%), most of
    # it held by rhyme, edit, keyboard, coda and onset_any above; "split_merge" is 7 (1.5%) and
    # "case_only" 1 (0.2%). Swaps are 14% of letter slips (edits.OP_SHARE); the other letter
    # slips hold edit + keyboard = 0.07 here, so a swap gets 0.07 * 0.14 / 0.86 = 0.01.
    "transpose": 0.01,   # two letters swapped, marks kept: cảu/của, màu/mùa
    "edit2": 0.02,       # two operations (letters or marks) on a non-word: truog/trường
    # A word typed with no mark at all in marked text: each syllable it may stand for shares
    # the mass by the square root of its frequency (the language model weighs the context).
    # No category count isolates it; it is the slip of a writer switching the input method off.
    "accents": 0.05,     # phuc/phúc, nguoi/người
}
DIALECT_ONSETS = [("s", "x"), ("ch", "tr"), ("r", "d"), ("r", "gi"), ("d", "gi"), ("l", "n"),
                  ("v", "d"), ("v", "gi"), ("đ", "d")]
DIALECT_CODAS = [("n", "ng"), ("t", "c"), ("nh", "n"), ("ch", "t"), ("nh", "ng"), ("ch", "c")]
ONSET_SET = ("", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph",
             "qu", "r", "s", "t", "th", "tr", "v", "x")
JOIN_MIN = 500     # a split syllable is joined only into one at least this frequent
INSERT_LETTERS = "bcdghklmnprstvxđ"  # consonants a writer drops; vowels come from the rhyme edits
_KEYBOARD_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
MARK_SHARE = 0.3   # a wrong tone or vowel mark inside a two-operation slip (tone and marks are
#                    the most frequent Vietnamese slips: tone_only + diacritic_other = 53% of half A)


def _keyboard() -> dict[str, str]:
    pos = {c: (r, i) for r, row in enumerate(_KEYBOARD_ROWS) for i, c in enumerate(row)}
    near: dict[str, str] = {}
    for c, (r, i) in pos.items():
        near[c] = "".join(d for d, (r2, j) in pos.items()
                          if d != c and abs(r2 - r) <= 1 and (j - i in (0, 1) if r2 > r else i - j in (0, 1) if r2 < r else abs(j - i) == 1))
    return near


KEY_NEIGHBOURS = _keyboard()
# ONSET_SET spelt before a rhyme that starts with a front vowel (i e ê y) and before any other
_ONSETS_FRONT = tuple(respell_onset(o, "i") for o in ONSET_SET)
_ONSETS_BACK = tuple(respell_onset(o, "a") for o in ONSET_SET)


@dataclass(frozen=True, slots=True)
class Candidate:
    text: str       # lower-case surface form
    key: str        # tone key (style-independent identity)
    kind: str       # the slip, one of ERROR_TYPES
    prior: float    # log P(typed | meant), without the overall error rate


# A candidate as a plain tuple (text, key, kind, prior), as `Candidate(*row)` takes it. Caches of
# rows cost the garbage collector nothing: a tuple of str and float is untracked after its first
# collection, while every Candidate instance (and every tuple holding one) is walked by each full
# collection, which for the checker's caches was a tenth of a pass.
Row = tuple[str, str, str, float]


_VI_ONLY_MARKS = frozenset("\u0309\u0323\u031b\u0306")   # hook above, dot below, horn, breve


def has_vietnamese_only_marks(word: str) -> bool:
    """Marks no other Latin-script language uses: hỏi, nặng, ơ/ư, ă, đ, or â/ê/ô with a tone
    ("Tổgn", not "Río", "José" or "Côte")."""
    nfd = unicodedata.normalize("NFD", word.lower())
    return "đ" in word.lower() or any(c in _VI_ONLY_MARKS for c in nfd) or \
        any(a == "\u0302" and b in "\u0300\u0301\u0303" for a, b in zip(nfd, nfd[1:]))


@lru_cache(maxsize=50_000)
def _marks(base: str) -> tuple[str, ...]:
    """The vowel marks and đ of a toneless syllable, sorted (a multiset); the ươ pair counts as
    one mark."""
    return tuple(sorted(c for c in base.replace("ươ", "\0") if c in "âăêôơưđ\0"))


def _mark_distance(a: str, b: str) -> int:
    """Mark differences between two toneless syllables (a changed mark counts once): the larger
    of the two multiset differences."""
    left = list(_marks(a))   # a's marks b lacks, once b's are taken out
    only_b = 0
    for c in _marks(b):
        if c in left:
            left.remove(c)
        else:
            only_b += 1
    return max(len(left), only_b)


def _marks_distance(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """`_mark_distance` on the two syllables' `_marks`."""
    if a == b:
        return 0
    left = list(a)
    only_b = 0
    for c in b:
        if c in left:
            left.remove(c)
        else:
            only_b += 1
    return max(len(left), only_b)


_ONE_OP_KIND = {"keyboard": "keyboard", "swap": "transpose"}   # a one-letter slip's kind, else "edit"


def _found_add(found: dict, k: str, way: tuple) -> None:
    ways = found.get(k)
    if ways is None:
        found[k] = [way]
    else:
        ways.append(way)


def _swap_coda(rhyme: str, old: str, new: str) -> str | None:
    if not rhyme.endswith(old):
        return None
    r = rhyme[: len(rhyme) - len(old)] + new
    return r if r in RHYMES else None


class CandidateGenerator:
    """Makes ranked candidate lists for syllables, using a lexicon for attestation."""

    def __init__(self, lexicon: Lexicon, min_count: int = 3):
        self.lex = lexicon
        self.min_count = min_count
        self.known = {k for k, c in lexicon.syllables.items()
                      if c >= min_count and parse(lexicon.forms[k]) is not None}
        self.by_skeleton: dict[str, tuple[str, ...]] = defaultdict(list)
        for k in self.known:
            form = lexicon.forms[k]
            if parse(form) is not None:
                self.by_skeleton[strip_diacritics(form)].append(form)
        # Every spelling of a known syllable (both tone styles) -> its key: a fast membership test.
        self.form_key: dict[str, str] = {}
        for k in self.known:
            syl = parse(lexicon.forms[k])
            for style in ("new", "old"):
                self.form_key[syl.compose(style)] = k
            self.form_key[lexicon.forms[k]] = k
        # Every pair of neighbouring letters in those spellings ("\0" + the first: the start),
        # to skip inserted letters no spelling allows (`_insertable`).
        pairs: set[str] = set()
        for f in self.form_key:
            prev = "\0"
            for c in f:
                pairs.add(prev + c)
                prev = c
        self._pairs = frozenset(pairs)
        self._inserts: dict[str, str] = {}   # pair of letters -> _insertable
        self.forms_by_len: dict[int, tuple[str, ...]] = defaultdict(list)
        for k in sorted(self.known):   # sorted: the order of candidates must not depend on the hash seed
            self.forms_by_len[len(lexicon.forms[k])].append(lexicon.forms[k])
        self.index = SkeletonIndex(list(self.by_skeleton), KEY_NEIGHBOURS)
        self.rhyme_neighbours = {r: tuple(x for x in RHYMES if x != r and Levenshtein.distance(r, x) == 1)
                                 for r in RHYMES}
        # Lexicon words by one syllable's key, for context-backed two-letter edits:
        # neighbour key -> (forms, keys) of the syllables that make a word with it.
        by_next: dict[str, list[str]] = defaultdict(list)
        by_prev: dict[str, list[str]] = defaultdict(list)
        for w in lexicon.words:
            parts = w.split(" ")
            if len(parts) == 2 and all(p in self.known for p in parts):
                by_next[parts[1]].append(parts[0])
                by_prev[parts[0]].append(parts[1])
        self.words_by_next = {n: (tuple(lexicon.forms[k] for k in ks), tuple(ks)) for n, ks in by_next.items()}
        self.words_by_prev = {n: (tuple(lexicon.forms[k] for k in ks), tuple(ks)) for n, ks in by_prev.items()}
        # Tuples, not lists, in the tables kept for the process's life: a tuple of strings is
        # untracked by the garbage collector, a list is walked by every full collection (these
        # lists held 200,000 references).
        self.by_skeleton = {k: tuple(v) for k, v in self.by_skeleton.items()}
        self.forms_by_len = {k: tuple(v) for k, v in self.forms_by_len.items()}
        self._tm_cache: dict[str, tuple] = {}   # skeleton -> _tones_marks
        self._freq_cache: dict[str, tuple] = {}   # skeleton -> _freqs
        self._word_edits = lru_cache(maxsize=200_000)(partial(_word_edits, self.words_by_next, self.words_by_prev))

    def is_known(self, syllable: str) -> bool:
        return tone_key(syllable) in self.known

    @lru_cache(maxsize=50_000)
    def for_syllable(self, typed: str) -> tuple[Candidate, ...]:
        """Candidates for a lower-case syllable, strongest prior first."""
        return tuple(Candidate(*r) for r in self.rows_for_syllable(typed))

    def rows_for_syllable(self, typed: str) -> tuple[Row, ...]:
        """`for_syllable` as plain rows (`Row`), not cached: for callers that cache them."""
        found: dict[str, list[tuple[str, str, float]]] = {}  # key -> [(form, kind, weight)]
        own = tone_key(typed)

        form_key = self.form_key
        lex_forms = self.lex.forms
        get = form_key.get

        def add(form: str | None, kind: str, weight: float = 1.0) -> None:
            k = form_key.get(form) if form else None
            if k is not None and k != own:
                ways = found.get(k)
                if ways is None:
                    found[k] = [(lex_forms[k], kind, weight)]
                else:
                    ways.append((lex_forms[k], kind, weight))

        base, tone = split_tone(typed)
        for form in self.by_skeleton.get(strip_diacritics(typed), ()):
            fb, ft = split_tone(form)
            if fb == base:
                add(form, "hoi_nga" if {ft, tone} == {3, 4} else "tone")
            else:
                add(form, "mark" if ft == tone else "mark_tone")
        valid = parse(typed) is not None
        syl = parse_loose(typed)
        if syl is not None:
            s_onset, s_rhyme, s_tone = syl.onset, syl.rhyme, syl.tone
            for x, y in DIALECT_ONSETS:
                for a, b in ((x, y), (y, x)):
                    if s_onset == a or (a == "gi" and s_onset == "g" and s_rhyme.startswith("i")):
                        if s_onset == "g":  # gì -> dì
                            add(compose(b, s_rhyme, s_tone), "onset")
                        else:
                            add(compose(respell_onset(b, s_rhyme), s_rhyme, s_tone), "onset")
            for x, y in DIALECT_CODAS:
                for a, b in ((x, y), (y, x)):
                    r = _swap_coda(s_rhyme, a, b)
                    if r:
                        add(compose(s_onset, r, s_tone), "coda")
            if s_onset != "g":
                # compose(o, rhyme, tone) is o + the marked rhyme, the same for every onset
                # but qu (`_tone_index`); the onsets come respelled for the rhyme's first letter.
                marked = compose("", s_rhyme, s_tone)
                respelled = _ONSETS_FRONT if s_rhyme[:1] in FRONT else _ONSETS_BACK
                for onset, spelt in zip(ONSET_SET, respelled):
                    if onset != s_onset:
                        k = get(spelt + marked if spelt != "qu" else compose("qu", s_rhyme, s_tone))
                        if k is not None and k != own:
                            _found_add(found, k, (lex_forms[k], "onset_any", 1.0))
            if s_rhyme in ("i", "y"):
                add(compose(s_onset, "y" if s_rhyme == "i" else "i", s_tone), "i_y")
            respell = s_onset in ("c", "k", "g", "gh", "ng", "ngh")
            for r in self.rhyme_neighbours.get(s_rhyme, ()):
                k = get(compose(respell_onset(s_onset, r) if respell else s_onset, r, s_tone))
                if k is not None and k != own:
                    _found_add(found, k, (lex_forms[k], "rhyme", 1.0))
        # One letter slips: about a hundred lookups per syllable, nearly all misses, so the
        # lookup is written out here rather than made through `add`.
        n_typed = len(typed)
        inserts = self._inserts
        for i, ch in enumerate(typed):
            head, tail = typed[:i], typed[i + 1:]
            near = KEY_NEIGHBOURS.get(ch)
            if near:
                for n in near:
                    k = get(head + n + tail)
                    if k is not None and k != own:
                        _found_add(found, k, (lex_forms[k], "keyboard", 1.0))
            k = get(head + tail)
            if k is not None and k != own:
                _found_add(found, k, (lex_forms[k], "edit", 1.0))
            rest = ch + tail
            pair = (typed[i - 1] if i else "\0") + ch
            letters = inserts.get(pair)
            if letters is None:
                letters = self._insertable(pair)
            for letter in letters:
                k = get(head + letter + rest)
                if k is not None and k != own:
                    _found_add(found, k, (lex_forms[k], "edit", 1.0))
            if i + 1 < n_typed:
                k = get(head + typed[i + 1] + ch + typed[i + 2:])
                if k is not None and k != own:
                    _found_add(found, k, (lex_forms[k], "edit", 1.0))
        if own in self.known:
            self._swaps(typed, add)
            if typed.isascii():   # "tu" for từ: every marked form, by frequency
                forms = self.by_skeleton.get(typed, ())
                total = sum(self.lex.syllables.get(tone_key(f), 1) for f in forms)
                for form in forms:
                    add(form, "accents", math.sqrt(self.lex.syllables.get(tone_key(form), 1) / total))
        else:
            self._search(typed, add)
        if not valid:
            add(from_telex(typed), "telex")
            add(from_vni(typed), "telex")
            if not found:
                for L in (len(typed) - 1, len(typed), len(typed) + 1):
                    forms = self.forms_by_len.get(L)
                    if forms:   # one call for the thousands of forms; in their order
                        hits = process.extract(typed, forms, scorer=Levenshtein.distance, processor=None,
                                               score_cutoff=1, limit=None)
                        for i in sorted(h[2] for h in hits):
                            add(forms[i], "edit")
        return self._rank(found)

    def _insertable(self, pair: str) -> str:
        """The letters of INSERT_LETTERS that can stand between the two letters of `pair`
        ("\0" first: the start) in a known spelling: an inserted letter making a pair no
        known spelling has cannot make a known one, so it is not looked up."""
        pairs = self._pairs
        a, b = pair[0], pair[1]
        letters = "".join([c for c in INSERT_LETTERS if a + c in pairs and c + b in pairs])
        if len(self._inserts) < 4096:   # bounded: a pair of odd characters is not kept
            self._inserts[pair] = letters
        return letters

    def _swaps(self, typed: str, add) -> None:
        """Two neighbouring letters swapped, marks kept: "màu" for mùa, "cảu" for của."""
        base, tone = split_tone(typed)
        skel = strip_diacritics(typed)
        marks = _marks(base)
        for i in range(len(skel) - 1):
            if skel[i] == skel[i + 1]:
                continue
            other = skel[:i] + skel[i + 1] + skel[i] + skel[i + 2:]
            for form in self.by_skeleton.get(other, ()):
                fb, ft = split_tone(form)
                if ft == tone and _marks(fb) == marks:
                    add(form, "transpose")

    def _search(self, typed: str, add) -> None:
        """Every known syllable within two operations of a non-word (letters on the skeleton,
        tone and vowel marks): one letter slip keeps its kind, two make an "edit2" candidate;
        a word typed with no mark at all also gets every marked form of its own skeleton."""
        skel = strip_diacritics(typed)
        if len(skel) < 2 or not skel.isalpha():
            return
        plain = skel == typed   # no mark at all: "nguoi", "truog"
        base, tone = split_tone(typed)
        marks = _marks(base)
        by_skeleton = self.by_skeleton
        near = self.index.near
        if plain:   # its own skeleton: every marked form (one mark away) is an "accents" slip
            forms = by_skeleton.get(skel)
            if forms:
                for form, freq in zip(forms, self._freqs(skel)):
                    if form != skel:
                        add(form, "accents", freq)
        # (its own skeleton holds no slip for a marked word: mark-only slips are the patterns)
        for s, dist in self.index.within(skel):
            forms = by_skeleton[s]
            # The marks each form is away from `typed`; a skeleton whose every form is more
            # than two operations away in all (letters at least `dist`) is not aligned at all.
            if plain:
                if dist == 2 and s not in forms:
                    continue
            else:
                diacs = [(ft != tone) + _marks_distance(marks, fm) for ft, fm in self._tones_marks(s)]
                if dist + min(diacs) > 2:
                    continue
            ops = alignment_ops(skel, s, near)
            if ops is None or not 0 < len(ops) <= 2:
                continue
            n_ops = len(ops)
            w0 = op_weight(ops)
            one_kind = _ONE_OP_KIND.get(ops[0], "edit")
            if plain:   # which marked form: by frequency, tempered (square root of its share)
                for form, freq in zip(forms, self._freqs(s)):
                    diac = 0 if form == s else 1
                    if n_ops + diac > 2:
                        continue
                    w = w0 * freq
                    if n_ops + diac == 1:
                        add(form, one_kind, w)
                    else:
                        add(form, "edit2", w * (SECOND_OP * 1.0 if diac else 1.0))
            else:
                for form, diac in zip(forms, diacs):
                    total = n_ops + diac
                    if total > 2:
                        continue
                    w = w0 * 1.0
                    if total == 1:
                        add(form, one_kind, w)
                    else:
                        add(form, "edit2", w * (SECOND_OP * MARK_SHARE if diac else 1.0))

    def _freqs(self, skeleton: str) -> tuple[float, ...]:
        """The square root of each form's share of its skeleton's count, kept per skeleton once
        asked (the counts are the lexicon's, fixed at load like the tables above)."""
        hit = self._freq_cache.get(skeleton)
        if hit is None:
            count = self.lex.syllables
            counts = [count.get(tone_key(f), 1) for f in self.by_skeleton[skeleton]]
            total_count = sum(counts)
            hit = self._freq_cache[skeleton] = tuple([math.sqrt(c / total_count) for c in counts])
        return hit

    def _tones_marks(self, skeleton: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
        """(tone, marks) of each form of a known skeleton, as `_search` compares them; kept
        per skeleton once asked (a few thousand small tuples at most)."""
        hit = self._tm_cache.get(skeleton)
        if hit is None:
            out = []
            for form in self.by_skeleton[skeleton]:
                fb, ft = split_tone(form)
                out.append((ft, _marks(fb)))
            hit = self._tm_cache[skeleton] = tuple(out)
        return hit

    def _rank(self, found: dict[str, list[tuple]]) -> tuple[Row, ...]:
        # Kinds in the order they were found (a set's order depends on the hash seed: a tie
        # between two kinds, and so the message, changed from one process to the next).
        # A kind's mass is shared among its candidates by weight (1 for the patterns).
        kinds: list[dict[str, float]] = []   # per key of `found`, in its order
        per_kind: dict[str, float] = {}
        for ways in found.values():
            ks: dict[str, float] = {}
            for way in ways:   # (form, kind) or (form, kind, weight)
                kind, w = way[1], (way[2] if len(way) > 2 else 1.0)
                prev = ks.get(kind)
                if prev is None:
                    ks[kind] = w if w > 0.0 else 0.0   # max(0.0, w)
                elif w > prev:
                    ks[kind] = w
            kinds.append(ks)
            for kind, w in ks.items():   # summed key by key, in found's order
                per_kind[kind] = per_kind.get(kind, 0.0) + w
        out = []
        order = []   # the rows' sort keys
        count = self.lex.syllables
        log = math.log
        for (key, ways), ks in zip(found.items(), kinds):
            # the strongest kind (the first of equals) and the sum of the kinds' shares
            if len(ks) == 1:   # most keys: one kind
                for best, w in ks.items():
                    total = 0.0 + ERROR_TYPES[best] * w / per_kind[best]
            else:
                best = None
                best_share = total = 0.0
                for kind, w in ks.items():
                    share = ERROR_TYPES[kind] * w / per_kind[kind]
                    total += share
                    if best is None or share > best_share:
                        best, best_share = kind, share
            prior = log(total)
            out.append((ways[0][0], key, best, prior))
            order.append((-prior, -count.get(key, 0)))
        # sorted by those keys, stably: a sort of the keys' positions, no Python call per row
        return tuple([out[i] for i in sorted(range(len(out)), key=order.__getitem__)])

    def split_glued(self, word: str, min_count: int = 2000) -> tuple[str, str] | None:
        """Split a token that is two frequent syllables run together: "đượcmột" -> được, một."""
        best = None
        for i in range(1, len(word)):
            a, b = word[:i], word[i:]
            ka = tone_key(a)
            if parse(a) is None or parse(b.lower()) is None:
                continue
            ca, cb = self.lex.syllables.get(ka, 0), self.lex.syllables.get(tone_key(b.lower()), 0)
            if ca >= min_count and cb >= min_count and (best is None or min(ca, cb) > best[0]):
                best = (min(ca, cb), a, b)
        return (best[1], best[2]) if best else None

    @lru_cache(maxsize=20_000)
    def unaccented(self, word: str) -> bool:
        """Whether a lower-case ascii word is a known syllable typed without its marks, or one
        letter away from one ("nguoi", "truog"): a target among marked Vietnamese words."""
        if word in self.by_skeleton:
            return True
        runs = sum(1 for i, c in enumerate(word) if c in "aeiouy" and (i == 0 or word[i - 1] not in "aeiouy"))
        if runs != 1:
            return False   # "diva", "video": one syllable has one run of vowels
        return any(len(m.ops) == 1 for m in self.index.search(word)) if 2 <= len(word) <= 7 else False

    def join_split(self, a: str, b: str, min_count: int = JOIN_MIN) -> str | None:
        """The frequent syllable two lower-case pieces make when a space split it ("tr ường",
        "ng ười"); None unless one piece is no syllable at all."""
        if parse(a) is not None and parse(b) is not None:
            return None
        joined = a + b
        k = tone_key(joined)
        if parse(joined) is None or self.lex.syllables.get(k, 0) < min_count:
            return None
        return self.lex.forms[k] if joined == self.lex.forms[k] else joined

    def from_words(self, typed: str, prev: str | None, nxt: str | None) -> tuple[Candidate, ...]:
        """Syllables two letters away from `typed` that form a lexicon word with a neighbour.

        `prev` and `nxt` are the neighbours' tone keys (model tokens).
        """
        return tuple(Candidate(*r) for r in self.rows_from_words(typed, prev, nxt))

    def rows_from_words(self, typed: str, prev: str | None, nxt: str | None) -> tuple[Row, ...]:
        """`from_words` as plain rows. Not cached itself (most of its calls are new contexts):
        the edits per neighbour, `_word_edits`, are."""
        if len(typed) < 4:
            return ()
        out = dict(self._word_edits(typed, nxt, True))
        out.update(self._word_edits(typed, prev, False))
        if not out:
            return ()
        prior = math.log(ERROR_TYPES["word"] / len(out))
        return tuple((form, k, "word", prior) for k, form in out.items())


def _word_edits(words_by_next: dict, words_by_prev: dict, typed: str, neighbour: str | None,
                before: bool) -> tuple[tuple[str, str], ...]:
    """(key, form) of syllables that make a lexicon word with `neighbour` after (or before) it,
    with the same onset and tone as `typed` and at most two letters apart: "huyện" -> "hiện".

    Each generator caches it under a key of plain strings (`CandidateGenerator._word_edits`):
    a method's cache key would hold the generator, and so be walked by every garbage collection."""
    pool = (words_by_next if before else words_by_prev).get(neighbour) if neighbour else None
    syl = parse(typed)
    if not pool or syl is None:
        return ()
    forms, keys = pool
    own = tone_key(typed)
    out = []
    for _, _, i in process.extract(typed, forms, scorer=Levenshtein.distance, score_cutoff=2, limit=None):
        other = parse(forms[i])
        if keys[i] != own and other and other.onset == syl.onset and other.tone == syl.tone:
            out.append((keys[i], forms[i]))
    return tuple(out)
