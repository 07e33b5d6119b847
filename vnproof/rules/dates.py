"""Dates: impossible dates, and cited documents dated after the text's publication date.

`guess_pub_date()` reads a publication date from an article's first lines (a date on a line of
its own, as news pages print it); the checker never guesses, callers such as the audit may.
"""
from __future__ import annotations

import calendar
import re
from datetime import date

from .base import Context, RuleInfo, matches_at

INVALID = RuleInfo(
    "VI_DATE_INVALID", "grammar", "Ngày tháng không có thật (31-4-2022)",
    "Impossible date (31-4-2022)", issue_type="grammar")
AFTER_PUB = RuleInfo(
    "VI_DATE_AFTER_PUBLICATION", "consistency", "Văn bản được dẫn có ngày sau ngày đăng bài",
    "Cited document dated after the publication date", issue_type="inconsistency")
ORDER = RuleInfo(
    "VI_DATE_ORDER", "consistency", "Văn bản thực hiện một văn bản ban hành sau nó",
    "A document implements one dated after it", issue_type="inconsistency")
RULES = [INVALID, AFTER_PUB, ORDER]

# Both start by consuming a digit (the lookbehind follows it), so `re` scans for digits in C
# instead of trying the pattern at every position; plain forms, equal in tests/test_rules_speed.py:
# (?<![\d/.-])(\d{1,2})([-/.])(\d{1,2})\2((?:19|20)\d{2})(?![\d/]|\.\d) and
# (?<!\d)(\d{1,2}) tháng (\d{1,2})(?:,? (?:năm )?(\d{4}))?(?!\d) (re.I).
_NUMERIC = re.compile(r"(\d(?<![\d/.-].)\d?)([-/.])(\d{1,2})\2((?:19|20)\d{2})(?![\d/]|\.\d)")
_WORDED = re.compile(r"(\d(?<!\d.)\d?) tháng (\d{1,2})(?:,? (?:năm )?(\d{4}))?(?!\d)", re.I)
# Words that name a document ("Quyết định số 12/QĐ-UBND ngày ...").
DOC_WORDS = ("số", "quyết định", "nghị quyết", "nghị định", "chỉ thị", "kế hoạch", "đề án",
             "chương trình", "công văn", "thông tư", "thông báo", "báo cáo", "hướng dẫn", "tờ trình",
             "luật", "pháp lệnh", "văn bản", "công điện", "quy chế", "quy định", "dự án")
_DOC_CODE = re.compile(r"\d+[-/][\wĐđ]")
_IMPLEMENTS = ("thực hiện", "triển khai", "cụ thể hóa", "cụ thể hoá", "căn cứ")


def _valid(d: int, m: int, y: int | None) -> bool:
    if not 1 <= m <= 12 or d < 1:
        return False
    days = calendar.monthrange(y, m)[1] if y else (29 if m == 2 else calendar.monthrange(2001, m)[1])
    return d <= days


def _occurrences(text: str, needle: str) -> list[int]:
    """The start offsets of every occurrence of `needle` in `text`, overlapping ones too."""
    out = []
    i = text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _starts(anchors: list[int], before: tuple[int, ...]) -> list[int]:
    """Each anchor offset (increasing) less each of `before` (decreasing), each offset once, in order."""
    out: list[int] = []
    nxt = 0
    for q in anchors:
        for d in before:
            s = q - d
            if s >= nxt:
                out.append(s)
                nxt = s + 1
    return out


def _numeric(text: str) -> list[re.Match]:
    """`_NUMERIC.finditer(text)`: a match's second separator is followed by "19" or "20" and
    comes 3 to 5 characters after its start; only those starts are tried (the scan for a digit
    cost ~50 instructions a character of the whole text)."""
    anchors = [q - 1 for y in ("19", "20") for q in _occurrences(text, y) if q and text[q - 1] in "-/."]
    if not anchors:
        return []
    anchors.sort()
    return matches_at(_NUMERIC, text, _starts(anchors, (5, 4, 3)))


# The "á" of _WORDED's " tháng " (any case), found by a scan for a literal "á" or "Á" (fast);
# the rest of " tháng " is checked around it, in _WORDED's own case-insensitive terms.
_THANG_A = tuple((a, re.compile(a + r"(?<=(?i: th)" + a + r")(?=(?i:ng) )")) for a in "áÁ")


def _worded(text: str) -> list[re.Match]:
    """`_WORDED.finditer(text)`: a match's " tháng " (any case) starts 1 or 2 characters after
    its start (3 before its "á"); only those starts are tried."""
    anchors = [m.start() - 3 for a, rx in _THANG_A if a in text for m in rx.finditer(text)]
    if not anchors:
        return []
    anchors.sort()
    return matches_at(_WORDED, text, _starts(anchors, (2, 1)))


def _dates(text: str) -> list[tuple]:
    """(start, end, day, month, year|None) for numeric and worded dates in `text`."""
    out = [(m.start(), m.end(), int(m.group(1)), int(m.group(3)), int(m.group(4))) for m in _numeric(text)]
    for m in _worded(text):
        out.append((m.start(), m.end(), int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None))
    return out


def guess_pub_date(text: str, max_lines: int = 8) -> date | None:
    """A publication date printed on a line of its own near the top ("20-4-2022"), or None."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][:max_lines]
    for strict in (True, False):
        for ln in lines:
            if strict and len(ln) > 12:
                continue
            if not strict and len(ln) > 60:
                continue
            for a, b, d, m, y in _dates(ln):
                if y and _valid(d, m, y) and (not strict or (a == 0 and b == len(ln))):
                    return date(y, m, d)
    return None


# _cited's patterns, compiled once (re's own cache lookup per call was most of its time).
_NGAY_END = re.compile(r"ngày\s*$", re.I)
_NGAY_TAIL = re.compile(r"\s*ngày\s*$", re.I)
_CLAUSE_SEP = re.compile(r"[;!?\n]|\.\s")
_DOC_WORD_RES = tuple((w, re.compile(rf"(?<!\w){w}(?!\w)")) for w in DOC_WORDS)
_SENTENCE_MARK = re.compile(r"[.;!?\n]")


def _cited(ctx: Context, start: int) -> bool:
    """Whether the date at normal-form `start` dates a cited document ("… số 01-ĐA/ĐUCA ngày …")."""
    before = ctx.text[max(0, start - 80):start]
    if not _NGAY_END.search(before):
        return False
    before = _NGAY_TAIL.sub("", before)
    clause = _CLAUSE_SEP.split(before)[-1][-50:].lower()
    if _DOC_CODE.search(clause):
        return True
    for w, rx in _DOC_WORD_RES:
        if w in clause and rx.search(clause):   # the substring first: the regex scans slowly
            return True
    return False


def run(ctx: Context, enabled: set[str]) -> None:
    text = ctx.text
    pub = ctx.options.pub_date
    found = sorted(_dates(text))
    cited = []
    for a, b, d, m, y in found:
        if not _valid(d, m, y):
            if INVALID.id in enabled:
                s = text[a:b]
                ctx.add_norm(INVALID, a, b, f"Ngày “{s}” không có thật (tháng {m} không có ngày {d}).",
                             f"“{s}” is not a real date (month {m} has no day {d}).", [],
                             short="Ngày không có thật")
            continue
        if y and _cited(ctx, a):
            cited.append((a, b, date(y, m, d)))
    if pub and AFTER_PUB.id in enabled:
        for a, b, when in cited:
            if when > pub:
                s = text[a:b]
                ctx.add_norm(AFTER_PUB, a, b,
                             f"Văn bản được dẫn có ngày {s}, sau ngày đăng bài {pub:%d-%m-%Y}; kiểm tra lại ngày.",
                             f"The cited document is dated {s}, after the publication date {pub:%Y-%m-%d}; check the date.",
                             [], short="Ngày sau ngày đăng")
    if ORDER.id in enabled:
        for (a1, b1, d1), (a2, b2, d2) in zip(cited, cited[1:]):
            if a2 - b1 >= 120:
                continue
            between = text[b1:a2].lower()
            if d2 > d1 and not _SENTENCE_MARK.search(between) \
                    and any(w in between for w in _IMPLEMENTS):
                s1, s2 = text[a1:b1], text[a2:b2]
                ctx.add_norm(ORDER, a2, b2,
                             f"Văn bản ngày {s1} lại thực hiện văn bản ngày {s2}, ban hành sau nó; kiểm tra lại ngày.",
                             f"A document dated {s1} implements one dated {s2}, issued later; check the dates.",
                             [], short="Thứ tự ngày không hợp lý")
