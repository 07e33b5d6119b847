"""Abbreviations used without being spelled out.

An abbreviation counts as spelled out when one of its uses sits next to its full form, either
way round: "an ninh Tổ quốc (ANTQ)", "ANTQ (an ninh Tổ quốc)", when it stands in brackets
itself ("(ANTQ)", "(NSA: National Security Agency)"), or after "viết tắt"/"gọi tắt".
Abbreviations every reader knows (the `common` flag of the shipped list: UBND, HĐND, THPT…) are
not flagged, except when used only once or twice in a text that writes the full form elsewhere
anyway. Headlines (runs of three or more all-caps words) and Roman numerals are not
abbreviations, and neither are sources in photo credits and bylines ("Ảnh: TTXVN",
"Theo VPCP", "Minh Anh - SMH"): a news reader takes them as names.
Expansions are shown with proper names capitalised ("Bồ Đào Nha") and ranked by how many of
their syllables the text itself uses ("BLĐ công ty" -> "ban lãnh đạo" first).
"""
from __future__ import annotations

import re
from collections import defaultdict

from ..text import strip_diacritics
from ..tokenize import Token, ACRONYM, CODE, FOREIGN, NAME, NUMBER, PUNCT, SYLLABLE
from .base import Context, RuleInfo

UNDEFINED = RuleInfo(
    "VI_ABBREVIATION_UNDEFINED", "style",
    "Chữ viết tắt chưa được giải thích ở lần dùng đầu tiên",
    "Abbreviation used without being spelled out", issue_type="style")
TYPO = RuleInfo(
    "VI_ABBREVIATION_TYPO", "spelling", "Chữ viết tắt bị gõ nhầm", "Mistyped abbreviation")
RULES = [UNDEFINED, TYPO]

_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_INTRO = ("viết tắt", "gọi tắt", "tên tắt")
HEADLINE_RUN = 3
COMMON_MAX_USES = 2
MIN_LENGTH = 3                  # two-letter abbreviations are too ambiguous to judge
TYPO_CONFIDENCE = 0.9           # 11 of 11 flags on 35,386 news articles were real (BENCHMARKS.md §12)
# Letters that start no Vietnamese syllable: an abbreviation using them is foreign (FIFA, WHO).
_FOREIGN_INITIALS = set("FJWZ")
_LINKS = (",", "và", "/", "-", "–")
# "Ảnh: TTXVN", "(Nguồn: VPCP)", "Video: VTV", "Theo SMH": a credit, up to the end of its line.
_CREDIT = re.compile(r"(?:\b(?:ảnh|nguồn|video|clip|đồ hoạ|đồ họa|infographic|thực hiện|bài và ảnh|bài, ảnh)"
                     r"(?:\s+(?:minh hoạ|minh họa|tư liệu|chụp màn hình))?\s*[:：]|\btheo\s*$)", re.IGNORECASE)
BYLINE_WORDS = 6         # a line this short that ends with the abbreviation after "-" or "/" is a byline
# Proper names inside expansions, in their written case (the source lists often lower-case them).
PROPER_NAMES = ("Việt Nam", "Hà Nội", "Hồ Chí Minh", "Trung Quốc", "Hoa Kỳ", "Nhật Bản", "Hàn Quốc",
                "Bồ Đào Nha", "Tây Ban Nha", "Liên Hợp Quốc", "Đông Nam Á", "Thái Bình Dương", "Châu Âu",
                "Quốc hội", "Chính phủ", "Tổ quốc", "Cửu Long", "Đà Nẵng", "Hải Phòng", "Cần Thơ",
                "Lào", "Campuchia", "Thái Lan", "Singapore", "Pháp", "Đức", "Nga", "Anh", "Mỹ")
_PROPER = [(re.compile(rf"(?<!\w){re.escape(n.lower())}(?!\w)"), n) for n in PROPER_NAMES if " " in n]


_CAPS_KINDS = frozenset((ACRONYM, SYLLABLE, NAME, FOREIGN))


def _caps_word(t: Token) -> bool:
    n = t.norm
    return n.isupper() and t.kind in _CAPS_KINDS and n.isalpha()


def _joiner(t: Token) -> bool:
    return t.kind is PUNCT and t.norm in "-–—:,&"


def _headline_run(toks: list[Token], text: str, i: int) -> tuple[int, int, bool]:
    """The run around all-caps word `i`: [a, b] and whether it is a headline.

    A run is all-caps words and joiners ("-", ":", "&"...) on one line, starting with a word;
    a headline is a run of >= HEADLINE_RUN words. Only the acronyms' runs are looked at: a
    walk over every token cost more than the rest of the family."""
    a = i
    while a and _caps_or_joiner(toks, text, a - 1):
        a -= 1
    while not _caps_word(toks[a]):   # a run cannot start with a joiner
        a += 1
    b = i
    while b + 1 < len(toks) and _caps_or_joiner(toks, text, b + 1, left=False):
        b += 1
    return a, b, sum(1 for j in range(a, b + 1) if toks[j].kind is not PUNCT) >= HEADLINE_RUN


def _caps_or_joiner(toks: list[Token], text: str, j: int, left: bool = True) -> bool:
    """Whether token j continues the run next to it (on its right if `left`), on the same line."""
    t = toks[j]
    gap = text[t.end:toks[j + 1].start] if left else text[toks[j - 1].end:t.start]
    return "\n" not in gap and (_caps_word(t) or _joiner(t))


def _initial(word: str) -> str:
    c = word[:1]
    return "Đ" if c in "đĐ" else strip_diacritics(c).upper()


def _spells(words: list[Token], abbr: str) -> bool:
    """Whether the last words of `words` have the initials of `abbr`."""
    inits = "".join(_initial(w.norm) for w in words)
    return inits.endswith(abbr.upper())


def _is_word(t: Token) -> bool:
    return t.kind in (SYLLABLE, NAME, ACRONYM, FOREIGN)


def _defined_at(toks: list[Token], i: int, abbr: str, text: str) -> bool:
    n = len(abbr) + 2
    # "(ANTQ)", "(NSA: National Security Agency)", "(GCN QSDĐ)": brackets around a use introduce it.
    j = i - 1
    while j >= 0 and i - j <= 3 and toks[j].kind is ACRONYM:
        j -= 1
    if j >= 0 and toks[j].norm == "(":
        k = i + 1
        while k < len(toks) and k - i <= 3 and toks[k].kind is ACRONYM:
            k += 1
        if k < len(toks) and toks[k].norm in (")", ":", ",", ";", "-", "–"):
            return True
    # Full form before: "an ninh Tổ quốc (ANTQ)", "an ninh Tổ quốc - ANTQ".
    j = i - 1
    while j >= 0 and toks[j].kind is PUNCT and toks[j].norm in "(-–:,":
        j -= 1
    before = []
    while j >= 0 and _is_word(toks[j]) and len(before) < n:
        before.append(toks[j])
        j -= 1
    before.reverse()   # built backwards: insert(0, ...) made a long abbreviation cost O(n^2)
    if before and _spells(before, abbr):
        return True
    # Explained right after: "ANTQ (an ninh Tổ quốc)", "USA (Hoa Kỳ)".
    if i + 1 < len(toks) and toks[i + 1].norm == "(" and i + 2 < len(toks) and _is_word(toks[i + 2]):
        return True
    # "(viết tắt: ANTQ)", "gọi tắt là ANTQ".
    window = text[max(0, toks[i].start - 25):toks[i].start].lower()
    return any(w in window for w in _INTRO)


def _foreign_neighbour(toks: list[Token], i: int) -> bool:
    """Part of a foreign name: "AC Milan", "MTV Video Music Awards", "Manchester United (MUSC)"."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(toks):
            t = toks[j]
            if t.kind is FOREIGN or (t.kind is NAME and not t.valid):
                return True
    return False


def _part_of_code(toks: list[Token], i: int) -> bool:
    """"Bộ NN&PTNT", "số 6386/BNV- CCVC", "209 TCN", "BKS 43B-048.78": not a free-standing abbreviation."""
    prev = toks[i - 1] if i else None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if prev is not None and prev.kind is NUMBER:
        return True
    if nxt is not None and nxt.kind is CODE:
        return True   # the label of a code that follows: a plate, a form or a road number
    if (prev is not None and prev.norm == "&") or (nxt is not None and nxt.norm == "&" and nxt.start == toks[i].end):
        return True
    return bool(prev is not None and prev.norm in "-/" and i >= 2 and toks[i - 2].end == prev.start
                and toks[i - 2].kind in (CODE, ACRONYM))


def _coordinated(toks: list[Token], i: int, others: set[str]) -> bool:
    """Listed next to a Vietnamese abbreviation: "tình hình ANCT, TTATXH"."""
    for step in (-1, 1):
        j = i + step
        if 0 <= j < len(toks) and toks[j].norm.lower() in _LINKS:
            j += step
            if 0 <= j < len(toks) and toks[j].norm in others and toks[j].sentence == toks[i].sentence:
                return True
    return False


def _proper_case(expansion: str) -> str:
    """"bồ đào nha" -> "Bồ Đào Nha", "bóng đá việt nam" -> "bóng đá Việt Nam"."""
    low = expansion.lower()
    for pattern, name in _PROPER:
        for m in pattern.finditer(low):
            expansion = expansion[:m.start()] + name + expansion[m.end():]
    return expansion


def _expansions(entry, context: set[str] | None = None) -> list[str]:
    """The entry's expansions, proper names capitalised; with `context` (the text's syllables,
    lower case), those sharing more syllables with the text first, the list's order otherwise."""
    if not entry or not entry[0]:
        return []
    out = [_proper_case(e.strip()) for e in entry[0].split("|") if e.strip()]
    if context:
        out.sort(key=lambda e: -sum(1 for w in set(e.lower().split()) if w in context))
    return out


def _credit_or_byline(toks: list[Token], i: int, text: str) -> bool:
    """A source in a photo credit ("Ảnh: SMH"), after "Theo", or closing a short byline line."""
    t = toks[i]
    line_start = text.rfind("\n", 0, t.start) + 1
    line_end = text.find("\n", t.end)
    line_end = len(text) if line_end < 0 else line_end
    if _CREDIT.search(text[max(line_start, t.start - 60):t.start]):
        return True
    line = text[line_start:line_end]
    prev = toks[i - 1] if i else None
    rest = text[t.end:line_end].strip(" .)”\"")
    return (not rest and prev is not None and prev.norm in ("-", "–", "/", "(")
            and len(line.split()) <= BYLINE_WORDS)


def _base(c: str) -> str:
    return "D" if c == "Đ" else strip_diacritics(c)


def slip_of(typed: str, known: str) -> str | None:
    """How `typed` could be a slip for the abbreviation `known`: "swap" (two neighbouring letters
    swapped, "THTP" for THPT), "marks" (letters that differ only in their marks, "HĐNĐ" for
    HĐND, "ƯBND" for UBND), or None."""
    if len(typed) != len(known) or typed == known:
        return None
    diff = [i for i, (a, b) in enumerate(zip(typed, known)) if a != b]
    if len(diff) == 2 and diff[1] == diff[0] + 1 and typed[diff[0]] == known[diff[1]] \
            and typed[diff[1]] == known[diff[0]]:
        return "swap"
    if all(_base(typed[i]) == _base(known[i]) for i in diff):
        return "marks"
    return None


_COMMON_CACHE: dict[int, tuple[dict, int, dict[int, list[str]]]] = {}


def _common_by_length(abbrs: dict) -> dict[int, list[str]]:
    """The common abbreviations of `abbrs` by length, in the dict's order; computed once per
    (read-only) lexicon table instead of once per text."""
    hit = _COMMON_CACHE.get(id(abbrs))
    if hit is not None and hit[0] is abbrs and hit[1] == len(abbrs):
        return hit[2]
    table: dict[int, list[str]] = {}
    for a, (_, known) in abbrs.items():
        if known:
            table.setdefault(len(a), []).append(a)
    if len(_COMMON_CACHE) >= 8:
        _COMMON_CACHE.clear()
    _COMMON_CACHE[id(abbrs)] = (abbrs, len(abbrs), table)
    return table


_BASE_CACHE: dict[int, tuple[dict, int, dict[tuple, list[str]]]] = {}


def _common_by_base(abbrs: dict) -> dict[tuple, list[str]]:
    """The common abbreviations of `abbrs` by their letters' `_base`s, in the dict's order; once
    per (read-only) lexicon table. A "marks" slip has the same bases as what it slips for, so only
    those are asked `slip_of` (instead of every common abbreviation of that length)."""
    hit = _BASE_CACHE.get(id(abbrs))
    if hit is not None and hit[0] is abbrs and hit[1] == len(abbrs):
        return hit[2]
    table: dict[tuple, list[str]] = {}
    for a, (_, known) in abbrs.items():
        if known:
            table.setdefault(tuple(map(_base, a)), []).append(a)
    if len(_BASE_CACHE) >= 8:
        _BASE_CACHE.clear()
    _BASE_CACHE[id(abbrs)] = (abbrs, len(abbrs), table)
    return table


def _typos(ctx: Context, uses: dict[str, list[int]], abbrs: dict) -> None:
    """An abbreviation used once that no list knows, a slip of one the text uses elsewhere (or,
    for marks, of one every reader knows): "trường THTP" beside "THPT", "HĐNĐ xã"."""
    toks = ctx.doc.tokens
    used = [a for a in uses if a in abbrs]
    common: dict[tuple, list[str]] | None = None
    for typed, idx in uses.items():
        if len(idx) != 1 or typed in abbrs or len(typed) < MIN_LENGTH:
            continue
        i = idx[0]
        if _foreign_neighbour(toks, i) or _part_of_code(toks, i):
            continue
        # Three-letter codes are dense (stock tickers: "STB" beside "SBT"): a swap needs a common one.
        fixes = [k for k in used if slip_of(typed, k) == "marks" or len(k) > 3 or abbrs[k][1]]
        fixes = [k for k in fixes if slip_of(typed, k)]
        if common is None:
            common = _common_by_base(abbrs)
        # a "marks" slip has typed's length and bases: only those common abbreviations can be one
        fixes += [k for k in common.get(tuple(map(_base, typed)), ()) if k not in fixes and slip_of(typed, k) == "marks"]
        if not fixes:
            continue
        fixes.sort(key=lambda k: (-len(uses.get(k, ())), k))
        t = toks[i]
        ctx.add(TYPO, t.start, t.end, f"Có phải “{fixes[0]}”? “{typed}” không phải chữ viết tắt quen thuộc.",
                f"Did you mean “{fixes[0]}”? “{typed}” is no known abbreviation.", fixes[:3],
                confidence=TYPO_CONFIDENCE, short="Viết tắt gõ nhầm")


def run(ctx: Context, enabled: set[str]) -> None:
    toks, text = ctx.doc.tokens, ctx.doc.text
    headline: dict[int, bool] = {}   # token index -> inside a headline, for the runs seen so far
    uses: dict[str, list[int]] = defaultdict(list)
    kinds = ctx.kinds
    for i in range(len(kinds)):
        if kinds[i] is not ACRONYM:   # the kinds' list: no token is read but the acronyms
            continue
        t = toks[i]
        if not t.norm.isalpha() or not t.norm.isupper() or len(t.norm) < 2:
            continue
        if i not in headline:
            a, b, is_headline = _headline_run(toks, text, i)
            headline.update(dict.fromkeys(range(a, b + 1), is_headline))
        if headline[i] or _ROMAN.match(t.norm):
            continue
        uses[t.norm].append(i)
    abbrs = getattr(ctx.lex, "abbreviations", {}) or {}
    if TYPO.id in enabled:
        _typos(ctx, uses, abbrs)
    if UNDEFINED.id not in enabled:
        return
    undefined = {a for a, idx in uses.items() if not any(_defined_at(toks, i, a, text) for i in idx)}
    if not undefined:
        return
    low_text: str | None = None
    syllables: set[str] | None = None   # both only for abbreviations with a listed expansion
    # Vietnamese abbreviations from the list that readers may not know (ANTQ, TTATXH).
    listed = {a for a in undefined if a in abbrs and not abbrs[a][1] and len(a) >= MIN_LENGTH
              and not set(a) & _FOREIGN_INITIALS}
    for abbr in sorted(undefined, key=lambda a: uses[a][0]):
        idx = uses[abbr]
        entry = abbrs.get(abbr)
        if syllables is None and entry and entry[0]:
            lowers = ctx.lowers
            syllables = {w for w, kind in zip(lowers, ctx.kinds) if kind is not PUNCT and kind is not ACRONYM}
        expansions = _expansions(entry, syllables)
        if len(abbr) < MIN_LENGTH or set(abbr) & _FOREIGN_INITIALS:
            continue
        idx = [i for i in idx if not _credit_or_byline(toks, i, text)]
        if not idx:
            continue   # only in credits and bylines
        first = toks[idx[0]]
        if all(_foreign_neighbour(toks, i) or _part_of_code(toks, i) for i in idx):
            continue   # part of a foreign name or a code; a unit or era after a number ("209 TCN")
        if entry is None and not any(_coordinated(toks, i, listed) for i in idx):
            continue
        if entry and entry[1]:
            # A common abbreviation: only when used rarely while its full form is in the text.
            # The full forms the text writes, as it writes them ("khu công nghiệp", not the list's case).
            if low_text is None:
                low_text = ctx.text.lower()
            found = [re.search(rf"(?<!\w){re.escape(e.lower())}(?!\w)", low_text) if e.lower() in low_text
                     else None for e in expansions]   # the substring first: the regex scans slowly
            written = [ctx.text[m.start():m.end()] for m in found if m]
            if len(idx) > COMMON_MAX_USES or not written:
                continue
            msg = (f"“{abbr}” chỉ dùng {len(idx)} lần trong khi bài đã viết đầy đủ “{written[0]}”; "
                   f"nên viết đầy đủ hoặc giới thiệu “{written[0]} ({abbr})”.")
            msg_en = (f"“{abbr}” is used only {len(idx)} time(s) while the text writes “{written[0]}” "
                      f"in full elsewhere; write it out or introduce it as “{written[0]} ({abbr})”.")
            reps = [written[0], f"{written[0]} ({abbr})"]
        elif expansions:
            shown = " / ".join(f"“{e}”" for e in expansions[:3])
            msg = (f"Chữ viết tắt “{abbr}” chưa được giải thích ở lần dùng đầu tiên (có thể là {shown}); "
                   f"nên viết đầy đủ kèm chữ viết tắt trong ngoặc.")
            msg_en = (f"The abbreviation “{abbr}” is not spelled out at its first use (maybe {shown}); "
                      f"write the full form followed by the abbreviation in brackets.")
            reps = [f"{e} ({abbr})" for e in expansions[:3]]
        else:
            msg = (f"Chữ viết tắt “{abbr}” chưa được giải thích ở lần dùng đầu tiên; "
                   f"nên viết đầy đủ kèm chữ viết tắt trong ngoặc.")
            msg_en = (f"The abbreviation “{abbr}” is not spelled out at its first use; "
                      f"write the full form followed by the abbreviation in brackets.")
            reps = []
        ctx.add(UNDEFINED, first.start, first.end, msg, msg_en, reps, short="Viết tắt chưa giải thích",
                uses=len(idx), known=bool(entry))
