"""Issues -> LanguageTool `/v2/check` JSON (RuleMatchesAsJsonSerializer's shape), in UTF-16 units."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Callable

import vnproof
from vnproof import Issue
from vnproof.language import Language, detect_counted, word_counts
from vnproof.rules import rule_info

from .offsets import Utf16Map, utf16_len

CONTEXT_CHARS = 40  # LanguageTool's default context size, each side
SENTENCE_CHARS = 1000  # longest "sentence" given with a match

# Library category id -> (LanguageTool UPPER_SNAKE id, display name).
CATEGORIES: dict[str, tuple[str, str]] = {
    "spelling": ("TYPOS", "Lỗi chính tả"),
    "consistency": ("CONSISTENCY", "Tính nhất quán"),
    "typography": ("TYPOGRAPHY", "Trình bày, dấu câu"),
    "style": ("STYLE", "Văn phong"),
    "grammar": ("GRAMMAR", "Ngữ pháp"),
}
_FROM_LT = {lt: ours for ours, (lt, _) in CATEGORIES.items()}
_ISSUE_TYPES = {"spelling": "misspelling", "consistency": "inconsistency", "typography": "typographical",
                "style": "style", "grammar": "grammar"}

LANGUAGE = {"name": "Vietnamese", "code": "vi", "longCode": "vi-VN"}
# Accepted as `motherTongue` (and listed by /v2/languages for clients that check it); not checked.
MOTHER_TONGUES = tuple({"name": n, "code": c.split("-")[0], "longCode": c} for n, c in (
    ("English (US)", "en-US"), ("English (GB)", "en-GB"), ("French", "fr-FR"), ("German", "de-DE"),
    ("Chinese", "zh-CN"), ("Japanese", "ja-JP"), ("Korean", "ko-KR"), ("Russian", "ru-RU"),
    ("Spanish", "es-ES")))
SOFTWARE = {"name": "vnproof", "version": vnproof.__version__, "buildDate": None, "apiVersion": 1,
            "premium": False, "status": ""}

# A sentence's end: . ! ? … (then closing quotes and brackets) before a space, or line breaks;
# then the spaces and tabs before the next sentence. The empty group marks where a sentence
# ending in a mark ends (one ending at a line break ends before it). Starting with a character
# set lets the regex engine skip to the candidates (4x faster than an alternation).
_SENTENCE_END = re.compile(r"[.!?…\n](?:(?<=[.!?…])[.!?…]*[\"'”’»)\]]*(?=\s)()|(?<=\n)\n*)[ \t]*")
TEXTS_KEPT = 32   # recent texts whose language and sentences are kept: a text sent again skips both
LINES_KEPT = 2048        # and recent lines' (an edited text's other lines skip both)
LINE_CHARS_KEPT = 2_000  # longer lines are not kept: at most ~16 MB of lines


def category_ids(value: str | None) -> list[str]:
    """A LanguageTool category list ("TYPOS,STYLE") -> library category ids; unknown ids pass through."""
    out = []
    for c in (value or "").split(","):
        c = c.strip()
        if c:
            out.append(_FROM_LT.get(c.upper(), c.lower() if c.lower() in CATEGORIES else c))
    return out


def sentence_ranges(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans (code points): split after . ! ? … and at line breaks."""
    return _spans(text) or [(0, len(text))]


def _spans(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start(1) if m.start(1) >= 0 else m.start()
        if not text[start:end].isspace() and end > start:
            out.append((start, end))
        start = m.end()
    if start < len(text) and not text[start:].isspace():
        out.append((start, len(text)))
    return out


@lru_cache(maxsize=TEXTS_KEPT)
def text_facts(plain: str) -> tuple[Language, list[tuple[int, int]], list[int], tuple[tuple[int, int], ...]]:
    """What an answer says of a checked text whatever its issues: its language, its sentences
    (code points), their starts, and `sentenceRanges` (UTF-16). Read-only: shared by the answers.

    Put together from its lines' facts (kept: an editor's re-check changes one line), the same
    as over the whole text: no sentence and no word spans a line break."""
    sentences: list[tuple[int, int]] = []
    ranges16: list[tuple[int, int]] = []
    words = marked = english = 0
    at = at16 = 0
    lines = plain.split("\n")
    last = len(lines) - 1
    for k, line in enumerate(lines):
        spans, spans16, len16, (n, m, e) = (_line_facts if len(line) <= LINE_CHARS_KEPT else
                                            _line_facts.__wrapped__)(line, k > 0, k < last)
        sentences.extend([(at + a, at + b) for a, b in spans])
        ranges16.extend([(at16 + a, at16 + b) for a, b in spans16])
        words, marked, english = words + n, marked + m, english + e
        at += len(line) + 1
        at16 += len16 + 1
    if not sentences:
        sentences, ranges16 = [(0, len(plain))], [(0, utf16_len(plain))]
    return (detect_counted(plain, (words, marked, english)), sentences, [a for a, _ in sentences],
            tuple(ranges16))


@lru_cache(maxsize=LINES_KEPT)
def _line_facts(line: str, after_break: bool, before_break: bool) -> tuple[
        tuple[tuple[int, int], ...], tuple[tuple[int, int], ...], int, tuple[int, int, int]]:
    """A line's sentences (code points from its start), the same in UTF-16 units, its UTF-16
    length and its `word_counts`. Over the whole text, a line break's match takes the spaces
    and tabs that start the next line, and a mark's end looks at the break after it."""
    skip = len(line) - len(line.lstrip(" \t")) if after_break else 0
    spans = tuple((a + skip, b + skip) for a, b in _spans(line[skip:] + ("\n" if before_break else "")))
    u16 = Utf16Map(line)
    return spans, tuple((u16(a), u16(b)) for a, b in spans), utf16_len(line), word_counts(line)


def _context(text: str, start: int, end: int) -> dict:
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    prefix = "..." if lo > 0 else ""
    suffix = "..." if hi < len(text) else ""
    window = text[lo:hi].replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return {"text": prefix + window + suffix,
            "offset": utf16_len(prefix + text[lo:start]),
            "length": utf16_len(text[start:end])}


def _sentence(text: str, lo: int, hi: int, at: int) -> str:
    """The sentence of a match; of a very long one (a text without sentence ends) only the
    SENTENCE_CHARS around the match: a copy of a 100,000-character sentence per match made the
    response grow with issues x text length."""
    if hi - lo > SENTENCE_CHARS:
        lo = max(lo, min(at - SENTENCE_CHARS // 2, hi - SENTENCE_CHARS))
        hi = lo + SENTENCE_CHARS
    return text[lo:hi].strip()


@lru_cache(maxsize=4096)
def _rule(rule_id: str, category: str, short_message: str, picky: bool, rule_base: str) -> tuple[dict, dict]:
    """A match's `type` and `rule`, which follow from the rule and these fields only: built once
    and shared by every match of the rule (read-only). Built per match they were a third of a
    re-check's answer, whose matches are mostly the same few rules."""
    info = rule_info(rule_id)
    cat_id, cat_name = CATEGORIES.get(category, (category.upper(), category))
    issue_type = info.issue_type if info else _ISSUE_TYPES.get(category, "uncategorized")
    type_name = "UnknownWord" if issue_type == "misspelling" else "Hint" if issue_type == "style" else "Other"
    return {"typeName": type_name}, {
        "id": rule_id,
        "description": info.description if info else (short_message or rule_id),
        "issueType": issue_type,
        "category": {"id": cat_id, "name": cat_name},
        **({"urls": [{"value": rule_base + rule_id}]} if rule_base else {}),
        **({"tags": ["picky"]} if picky else {}),
    }


def match(issue: Issue, plain: str, sentences: list[tuple[int, int]], starts: list[int],
          to_original: Callable[[int, int], tuple[int, int]], u16: Utf16Map, rule_base: str = "") -> dict:
    """One LanguageTool match. `plain` is the checked text; offsets are mapped to the original."""
    kind, rule = _rule(issue.rule_id, issue.category, issue.short_message, issue.picky, rule_base)
    o_off, o_len = to_original(issue.offset, issue.length)
    off16, len16 = u16.span(o_off, o_len)
    s = max(0, bisect_right(starts, issue.offset) - 1)
    s_lo, s_hi = sentences[s]
    return {
        "message": issue.message,
        "shortMessage": issue.short_message or "",
        "replacements": [{"value": r} for r in issue.replacements],
        "offset": off16,
        "length": len16,
        "context": _context(plain, issue.offset, issue.end),
        "sentence": _sentence(plain, s_lo, max(s_hi, issue.end), issue.offset),
        "type": kind,
        "rule": rule,
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


def response(issues: list[Issue], plain: str, original: str, incomplete: bool,
             to_original: Callable[[int, int], tuple[int, int]] | None = None, rule_base: str = "") -> dict:
    """The whole `/v2/check` answer. `rule_base` + rule id is each rule's page (`rule.urls`)."""
    detected, sentences, starts, ranges16 = text_facts(plain)
    to_original = to_original or (lambda o, n: (o, n))
    u16 = Utf16Map(original) if issues else None
    return {
        "software": SOFTWARE,
        "warnings": {"incompleteResults": incomplete},
        "language": {"name": LANGUAGE["name"], "code": "vi-VN",
                     "detectedLanguage": {"name": detected.name, "code": detected.code,
                                          "confidence": detected.confidence, "source": "syllables"}},
        "matches": [match(i, plain, sentences, starts, to_original, u16, rule_base) for i in issues],
        "sentenceRanges": ranges16,
    }
