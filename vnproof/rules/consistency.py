"""Consistency within one document: tone-mark placement, i/y spellings and date formats.

Each rule counts the competing forms over the whole text and reports the minority form (or,
with `tone_style`, every form off the chosen style). A minority form is reported once per
distinct word (date formats: at most `MAX_REPORTS` times), never once per majority occurrence.
"""
from __future__ import annotations

from functools import lru_cache

import re
from collections import Counter, defaultdict

from ..syllable import parse
from ..text import tone_key
from ..tokenize import Token, ACRONYM, DATE, NAME, SYLLABLE
from .base import Context, FormCache, RuleInfo, indexes, match_case

TONE_STYLE = RuleInfo(
    "VI_TONE_STYLE_MIXED", "consistency",
    "Đặt dấu thanh không thống nhất (hoá/hóa, uỷ/ủy)",
    "Mixed tone-mark placement (old hoá/uỷ vs new hóa/ủy)", issue_type="inconsistency")
IY_VARIANT = RuleInfo(
    "VI_IY_VARIANT_MIXED", "consistency",
    "Dùng i/y không thống nhất (sĩ/sỹ, kĩ/kỹ, lí/lý)",
    "Mixed i/y spellings (sĩ/sỹ, kĩ/kỹ, lí/lý)", issue_type="inconsistency")
DATE_FORMAT = RuleInfo(
    "VI_DATE_FORMAT_MIXED", "consistency",
    "Cách viết ngày tháng không thống nhất (02-3-2022 / 01/6/2021)",
    "Mixed date formats (02-3-2022 vs 01/6/2021)", issue_type="inconsistency")
RULES = [TONE_STYLE, IY_VARIANT, DATE_FORMAT]
# At the default level (majority mode), at most this many words of the minority form are named.
MAX_PER_TEXT = {IY_VARIANT.id: 3, DATE_FORMAT.id: 3}

MAX_REPORTS = 3
MAX_FORMS = 3      # majority mode: distinct minority-form words named per text
_WORD_KINDS = (SYLLABLE, NAME, ACRONYM)
# Onsets after which i and y alternate in one word (lí/lý, kĩ/kỹ, sĩ/sỹ, mĩ/mỹ, hi/hy, quí/quý).
_IY_ONSETS = frozenset({"h", "k", "l", "m", "s", "t", "qu"})
_STYLE_NAME = {"new": "kiểu mới (hóa, thủy)", "old": "kiểu cũ (hoá, thuỷ)"}
_STYLE_NAME_EN = {"new": "new style (hóa, thủy)", "old": "old style (hoá, thuỷ)"}


@lru_cache(maxsize=100_000)
def tone_style_of(form: str) -> str | None:
    """'old' or 'new' for a syllable whose two placements differ, else None ('hoá' -> 'old')."""
    low = form.lower()
    syl = parse(low)
    if syl is None or not syl.tone:
        return None
    old, new = syl.compose("old"), syl.compose("new")
    if old == new:
        return None
    return "old" if low == old else "new" if low == new else None


def _word_style(form: str) -> str | None:
    """`tone_style_of(form)` for an all-letter `form`, else None (cached by form in _WORD_STYLE)."""
    return tone_style_of(form) if form.isalpha() else None


def _tone_style(ctx: Context, seen: dict[str, list[Token]]) -> None:
    """`seen`: the word tokens by tone style, from `_scan`."""
    target = ctx.options.tone_style
    if target is None:
        if not seen["old"] or not seen["new"]:
            return
        target = "old" if len(seen["old"]) > len(seen["new"]) else "new"
        per_form = True
    else:
        per_form = False
    other = "new" if target == "old" else "old"
    wrong = seen[other]
    counts = Counter(tone_key(t.norm) for t in wrong)
    done: set[str] = set()
    for t in wrong:
        low = t.norm.lower()
        key = tone_key(low)
        if per_form and (key in done or len(done) >= MAX_FORMS):
            continue
        done.add(key)
        fixed = match_case(parse(low).compose(target), t.norm)
        if per_form:
            msg = (f"Bài viết chủ yếu đặt dấu {_STYLE_NAME[target]} ({len(seen[target])} lần) "
                   f"nhưng “{t.norm}” đặt dấu {_STYLE_NAME[other]} ({counts[key]} lần). Nên viết “{fixed}”.")
            msg_en = (f"The text mostly uses the {_STYLE_NAME_EN[target]} ({len(seen[target])} times) "
                      f"but “{t.norm}” follows the {_STYLE_NAME_EN[other]} ({counts[key]} times). Write “{fixed}”.")
        else:
            msg = f"Theo quy ước đã chọn, đặt dấu {_STYLE_NAME[target]}: “{fixed}”."
            msg_en = f"The chosen convention is the {_STYLE_NAME_EN[target]}: “{fixed}”."
        ctx.add(TONE_STYLE, t.start, t.end, msg, msg_en, [fixed], short="Dấu thanh không thống nhất",
                occurrences=counts[key], style=target)


@lru_cache(maxsize=100_000)
def _iy_key(form: str) -> tuple[str, int, str] | None:
    syl = parse(form)
    if syl is None or syl.rhyme not in ("i", "y") or syl.onset not in _IY_ONSETS:
        return None
    return syl.onset, syl.tone, syl.rhyme


def _iy_key_lower(form: str) -> tuple[str, int, str] | None:
    """`_iy_key(form)` for a lower-case `form`, else None."""
    return _iy_key(form) if form.islower() else None


_PLAIN = (None, None)


def _form_info(form: str) -> tuple:
    """(`_word_style(form)`, `_iy_key_lower(form)`); `_PLAIN` itself when both are None."""
    style, key = _word_style(form), _iy_key_lower(form)
    return _PLAIN if style is None and key is None else (style, key)


# Looked up once per word token: a dict hit instead of two lru_cache calls (~600 instructions each).
_FORM_INFO = FormCache(_form_info)


def _scan(ctx: Context) -> tuple[dict[str, list[Token]], list[tuple]]:
    """What `_tone_style` and `_iy_variant` count, in one pass over the token lists (no token is
    read but the hits): the word tokens by tone style, and (index, i/y key) of each syllable
    with an i/y key."""
    seen: dict[str, list[Token]] = {"old": [], "new": []}
    iy: list[tuple] = []
    toks, norms, kinds = ctx.doc.tokens, ctx.norms, ctx.kinds
    table, fill, plain = _FORM_INFO.table, _FORM_INFO.fill, _PLAIN
    for k, t, kind, n in zip(indexes(len(norms)), toks, kinds, norms):
        if kind is SYLLABLE or kind is NAME or kind is ACRONYM:
            try:
                info = table[n]
            except KeyError:
                info = fill(n)
            if info is plain:
                continue
            style, key = info
            # All-caps words (headlines, "VĂN HOÁ") are left out: capitals hide no placement habit.
            if style and (kind is not ACRONYM or not n.isupper()):
                seen[style].append(t)
            if key and kind is SYLLABLE:
                iy.append((k, key))
    return seen, iy


def _iy_variant(ctx: Context, hits: list[tuple]) -> None:
    """Compare spellings of the same word ("lí do"/"lý do"), not of one syllable across words
    ("kì quái" next to "thời kỳ" is common and tolerated). `hits`: (index, key), from `_scan`."""
    toks = ctx.doc.tokens
    words = ctx.lex.words
    groups: dict[tuple, dict[str, list[Token]]] = defaultdict(lambda: defaultdict(list))
    for k, key in hits:
        t = toks[k]
        tk = tone_key(t.norm)
        for j, side in ((k - 1, "L"), (k + 1, "R")):
            if 0 <= j < len(toks) and toks[j].kind is SYLLABLE and toks[j].sentence == t.sentence:
                other = tone_key(toks[j].norm)
                pair = f"{other} {tk}" if side == "L" else f"{tk} {other}"
                alt = tk.replace("y", "i") if key[2] == "y" else tk.replace("i", "y")
                pair_alt = f"{other} {alt}" if side == "L" else f"{alt} {other}"
                if pair in words or pair_alt in words:
                    groups[(key[0], key[1], side, other)][key[2]].append(t)
                    break
    for (onset, tone, side, other), forms in groups.items():
        if len(forms) < 2:
            continue
        major = "i" if len(forms["i"]) > len(forms["y"]) else "y"
        minor = "y" if major == "i" else "i"
        first = forms[minor][0]
        fixed = forms[major][0].norm
        msg = (f"Bài viết dùng cả “{first.norm}” ({len(forms[minor])} lần) và “{fixed}” "
               f"({len(forms[major])} lần) trong cùng một từ. Nên thống nhất một cách viết: “{fixed}”.")
        msg_en = (f"The text spells the same word with “{first.norm}” ({len(forms[minor])} times) and “{fixed}” "
                  f"({len(forms[major])} times). Use one spelling: “{fixed}”.")
        ctx.add(IY_VARIANT, first.start, first.end, msg, msg_en, [fixed],
                short="i/y không thống nhất", occurrences=len(forms[minor]))


_DATE_SEP = re.compile(r"[-/.]")


def _date_format(ctx: Context) -> None:
    by_sep: dict[str, list[Token]] = defaultdict(list)
    for t, kind in zip(ctx.doc.tokens, ctx.kinds):
        if kind is not DATE:   # the kinds' list: no token is read but the dates
            continue
        if t.norm.count(t.norm[-5]) == 2:   # day-month-year only
            by_sep[t.norm[-5]].append(t)
    if len(by_sep) < 2:
        return
    ranked = sorted(by_sep, key=lambda s: (-len(by_sep[s]), s != "/"))
    major = ranked[0]
    example = by_sep[major][0].norm
    for sep in ranked[1:]:
        for t in by_sep[sep][:MAX_REPORTS]:
            fixed = _DATE_SEP.sub(major, t.norm)
            msg = (f"Cách viết ngày “{t.norm}” khác với cách viết chủ yếu trong bài (“{example}”, "
                   f"{len(by_sep[major])} lần). Nên viết “{fixed}”.")
            msg_en = (f"The date “{t.norm}” is written differently from most dates in the text "
                      f"(“{example}”, {len(by_sep[major])} times). Write “{fixed}”.")
            ctx.add(DATE_FORMAT, t.start, t.end, msg, msg_en, [fixed], short="Ngày tháng không thống nhất",
                    occurrences=len(by_sep[sep]))


def run(ctx: Context, enabled: set[str]) -> None:
    tone, iy = TONE_STYLE.id in enabled, IY_VARIANT.id in enabled
    if tone or iy:
        seen, hits = _scan(ctx)
        if tone:
            _tone_style(ctx, seen)
        if iy:
            _iy_variant(ctx, hits)
    if DATE_FORMAT.id in enabled:
        _date_format(ctx)
