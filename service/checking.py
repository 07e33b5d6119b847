"""One check request as the service runs it: validated options, size limit, shared time budget."""
from __future__ import annotations

import time

from fastapi import HTTPException

from vnproof import Checker, Issue
from vnproof.options import CheckOptions

from .config import Settings
from .limits import too_large_message


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


def run(checker: Checker, texts: list[str], opts: dict, budget: float) -> tuple[list[list[Issue]], bool, float]:
    """Check each text in turn within one budget; texts past it come back empty and incomplete."""
    t0 = time.perf_counter()
    deadline = t0 + budget
    results, incomplete = [], False
    for text in texts:
        left = deadline - time.perf_counter()
        if left <= 0:
            results.append([])
            incomplete = True
            continue
        r = checker.check_detailed(text, time_budget=left, **opts)
        results.append(r.issues)
        incomplete |= r.incomplete
    return results, incomplete, time.perf_counter() - t0
