"""One check request as the service runs it: validated options, size limit, shared time budget,
and the two passes (rules over the text, spelling per paragraph) that the result cache serves."""
from __future__ import annotations

import time
import unicodedata
from itertools import islice

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
# abbreviations, ...: every category but spelling) over the whole text, since they pair quotes
# across paragraphs and compare a text's parts; and spelling by paragraph (a line break always
# ends a sentence, so the context model sees the same sentences), so that an edit re-checks the
# spelling of its own paragraph only. Both go through `ResultCache`. The paragraphs not in the
# cache are checked together in one call, so spelling's document evidence (a syllable pair used
# again, a syllable used once in a long text) comes from the paragraphs checked with it: all of
# them on a text's first check (as in `Checker.check(text)`), the edited ones on a re-check.
# On 80 news articles of ~1,000 words (half with typos) that found exactly the issues of one pass.
# With `VNPROOF_RESULT_CACHE_MB=0` the same passes run, every paragraph checked each time.
SPELLING_ONLY = tuple(c for c in CATEGORIES if c != Category.SPELLING.value)  # disabled for the spelling pass
RULES_ONLY = (Category.SPELLING.value,)


def _with_disabled(opts: dict, categories: tuple[str, ...]) -> dict:
    return {**opts, "disabled_categories": sorted(set(opts.get("disabled_categories") or ()) | set(categories))}


def _short(text: str) -> bool:
    """Fewer than MIN_WORDS words, as `vnproof.language` counts them to judge a paragraph's
    language (`WORD` over the NFC text), counting no further than MIN_WORDS."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return sum(1 for _ in islice(WORD.finditer(text), MIN_WORDS)) < MIN_WORDS


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

    def cached(self, text: str) -> list[Issue] | None:
        return self.cache.get(self.key + (text,)) if self.key else None

    def issues(self, text: str, offset: int = 0) -> list[Issue]:
        """`text`'s issues, from the cache or checked now (and kept), moved to `offset`."""
        hit = self.cached(text)
        if hit is not None:
            return shifted(hit, offset)
        found, complete = self.check(text)
        if complete and self.key:
            self.cache.put(self.key + (text,), text, found)
        return chunks.shift(found, offset)

    def check(self, text: str) -> tuple[list[Issue], bool]:
        """`text`'s issues, and whether the deadline left them complete (only those are kept)."""
        left = self.deadline - time.perf_counter()
        if left <= 0:
            self.incomplete = True
            return [], False
        r = self.checker.check_detailed(text, time_budget=left, **self.opts)
        self.incomplete |= r.incomplete
        return r.issues, not r.incomplete

    def batch(self, paras: list[tuple[int, str]]) -> list[Issue]:
        """Issues of many lines at their offsets: those not cached checked in one call (the
        models' lookups are vectorised per call: one call per line took twice the time)."""
        out: list[Issue] = []
        todo: list[tuple[int, str]] = []
        for offset, para in paras:
            hit = self.cached(para)
            if hit is None:
                todo.append((offset, para))
            else:
                out.extend(shifted(hit, offset))
        if not todo:
            return out
        joined = "\n".join(p for _, p in todo)
        found, keep = self.check(joined)   # cut short: what was found is returned, not kept
        found.sort(key=lambda i: i.offset)
        k, at = 0, 0
        for offset, para in todo:
            end = at + len(para)
            mine = []
            while k < len(found) and found[k].offset < end + 1:
                mine.append(found[k])
                k += 1
            mine = chunks.shift(mine, -at) if at else mine
            if keep and self.key:
                self.cache.put(self.key + (para,), para, mine)
            out.extend(chunks.shift(mine, offset))
            at = end + 1
        return out


def check_text(checker: Checker, text: str, opts: dict, cache: ResultCache | None,
               deadline: float) -> tuple[list[Issue], bool]:
    """One text's issues (sorted as `Checker.check` sorts them) and whether the deadline cut them short."""
    spelling = _Pass(checker, _with_disabled(opts, SPELLING_ONLY), cache, deadline)
    rules = _Pass(checker, _with_disabled(opts, RULES_ONLY), cache, deadline)
    paras = paragraphs(text)
    issues = spelling.batch(paras)
    if issues and any(_short(p) for _, p in paras):
        # Spelling in a short line follows the whole text's language, as in one pass.
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
