"""One check request as the service runs it: validated options, size limit, shared time budget,
and the two passes (rules over the text, spelling per paragraph) that the result cache serves."""
from __future__ import annotations

import time
import unicodedata

from fastapi import HTTPException

from vnproof import Checker, Issue, chunks
from vnproof.issues import Category
from vnproof.language import MIN_WORDS, WORD, without_foreign_spelling
from vnproof.options import CheckOptions
from vnproof.rules import CATEGORIES

from .config import Settings
from .limits import too_large_message
from .result_cache import ResultCache, checker_token, options_digest, shifted


def unprocessable(msg: str, loc: tuple = ("body",)) -> HTTPException:
    """A 422 whose detail has the documented shape (FastAPI's HTTPValidationError: a list of errors)."""
    return HTTPException(422, [{"loc": list(loc), "msg": msg, "type": "value_error"}])


def ensure_size(chars: int, settings: Settings) -> None:
    if chars > settings.max_text_chars:
        raise HTTPException(413, too_large_message(settings.max_text_chars) + f" This request had {chars:,}.")


def options(**kw) -> dict:
    """Loose options -> checker keyword arguments, validated now so mistakes are a 422, not a 500."""
    kw = {k: v for k, v in kw.items() if v not in (None, "", [], ())}
    try:
        CheckOptions.make(**dict(kw))
    except (ValueError, TypeError) as e:
        raise unprocessable(f"invalid option: {e}") from None
    return kw


# --- the check itself ----------------------------------------------------------------------------
# A text is checked in two passes whose issues are merged: the rules (typography, consistency,
# abbreviations, ... : every category but spelling) over the whole text, since they pair quotes
# across paragraphs and compare a text's parts; and spelling paragraph by paragraph (a line
# break always ends a sentence, so the context model sees the same sentences), so that an
# edit re-checks the spelling of its own paragraph only. Both passes go through `ResultCache`.
# The one difference from `Checker.check(text)` in one pass: spelling's document evidence
# (a syllable pair used again, a syllable used once in a long text) is gathered per paragraph.
# The cache changes nothing in the answers: with `VNPROOF_RESULT_CACHE_MB=0` the same passes run.
SPELLING_ONLY = tuple(CATEGORIES)          # categories to disable for the spelling pass
RULES_ONLY = (Category.SPELLING.value,)


def _with_disabled(opts: dict, categories: tuple[str, ...]) -> dict:
    return {**opts, "disabled_categories": sorted(set(opts.get("disabled_categories") or ()) | set(categories))}


def _words(text: str) -> int:
    """Words as `vnproof.language` counts them to judge a paragraph's language."""
    return len(WORD.findall(unicodedata.normalize("NFC", text)))


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, line) for each line of `text` with something to check (a trailing "\\r" stays on its line)."""
    out, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((start, line))
        start += len(line) + 1
    return out


class _Pass:
    """One pass's options, digest and cache, with the request's deadline."""

    def __init__(self, checker: Checker, opts: dict, cache: ResultCache | None, deadline: float):
        self.checker, self.opts, self.cache, self.deadline = checker, opts, cache, deadline
        self.key = (checker_token(checker), options_digest(opts)) if cache is not None and cache.enabled else None
        self.incomplete = False

    def issues(self, text: str, offset: int = 0) -> list[Issue]:
        key = self.key and self.key + (text,)
        if key:
            hit = self.cache.get(key)
            if hit is not None:
                return shifted(hit, offset)
        left = self.deadline - time.perf_counter()
        if left <= 0:
            self.incomplete = True
            return []
        r = self.checker.check_detailed(text, time_budget=left, **self.opts)
        if r.incomplete:
            self.incomplete = True
        elif key:
            self.cache.put(key, text, r.issues)
        return chunks.shift(r.issues, offset)


def check_text(checker: Checker, text: str, opts: dict, cache: ResultCache | None,
               deadline: float) -> tuple[list[Issue], bool]:
    """One text's issues (sorted as `Checker.check` sorts them) and whether the deadline cut them short."""
    spelling = _Pass(checker, _with_disabled(opts, SPELLING_ONLY), cache, deadline)
    rules = _Pass(checker, _with_disabled(opts, RULES_ONLY), cache, deadline)
    issues: list[Issue] = []
    short = False
    for offset, para in paragraphs(text):
        found = spelling.issues(para, offset)
        if found:
            issues.extend(found)
            short = short or _words(para) < MIN_WORDS
    if short:   # spelling in a short line follows the whole text's language, as in one pass
        issues = without_foreign_spelling(text, issues)
    issues.extend(rules.issues(text))
    issues.sort(key=lambda i: (i.offset, i.length, i.rule_id))
    return issues, spelling.incomplete or rules.incomplete


def run(checker: Checker, texts: list[str], opts: dict, budget: float,
        cache: ResultCache | None = None) -> tuple[list[list[Issue]], bool, float]:
    """Check each text in turn within one budget; texts past it come back empty and incomplete."""
    t0 = time.perf_counter()
    deadline = t0 + budget
    results, incomplete = [], False
    for text in texts:
        if time.perf_counter() >= deadline:
            results.append([])
            incomplete = True
            continue
        found, cut = check_text(checker, text, opts, cache, deadline)
        results.append(found)
        incomplete |= cut
    return results, incomplete, time.perf_counter() - t0
