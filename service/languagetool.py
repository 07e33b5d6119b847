"""LanguageTool-compatible API, `/v2`: existing LT clients work by changing the server URL.

Errors are plain text (`Error: ...`), as LanguageTool answers them; offsets are UTF-16 units.
"""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool

from vnproof import Checker

from . import checking, lt_format
from .annotated import Annotated, AnnotationError
from .auth import authenticate
from .bodies import ensure_unicode, read_form
from .deps import CheckerDep, SettingsDep, StoreDep
from .config import Settings
from .dictionary import DictionaryStore, as_option

router = APIRouter(prefix="/v2", tags=["languagetool"])

LANGUAGES = {"vi": "vi-VN", "vi-vn": "vi-VN", "auto": "vi-VN"}
_TRUE = ("true", "1", "yes", "on")


@router.get("/languages")
def languages() -> list[dict]:
    """The languages this server checks."""
    return [dict(lt_format.LANGUAGE)]


@router.post("/check", openapi_extra={"requestBody": {"content": {
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
        name: {"type": "string"} for name in ("text", "data", "language", "enabledRules", "disabledRules",
                                              "enabledCategories", "disabledCategories", "enabledOnly",
                                              "level", "apiKey", "username")}}}}}})
async def check(request: Request, checker: CheckerDep, settings: SettingsDep, store: StoreDep) -> dict:
    """Check `text` or annotated `data` (form-encoded); LanguageTool's response shape."""
    return await _check(request, checker, settings, store)


@router.get("/check")
async def check_get(request: Request, checker: CheckerDep, settings: SettingsDep, store: StoreDep) -> dict:
    """The same check with query parameters, as LanguageTool also accepts."""
    return await _check(request, checker, settings, store)


async def _check(request: Request, checker: Checker, settings: Settings, store: DictionaryStore) -> dict:
    p = await read_form(request)
    tenant = await run_in_threadpool(authenticate, request, p.get("apiKey"))
    lang = p.get("language")
    if not lang:
        raise HTTPException(400, "missing 'language' parameter: use language=vi (or vi-VN, auto)")
    if lang.lower() not in LANGUAGES:
        raise HTTPException(400, f"language {lang!r} is not supported by this server: use vi, vi-VN or auto")
    if ("text" in p) == ("data" in p):
        raise HTTPException(400, "send exactly one of the 'text' or 'data' parameters")
    ann = None
    if "data" in p:
        try:
            ann = Annotated.parse(p["data"])
        except AnnotationError as e:
            raise HTTPException(400, str(e)) from None
        plain, original = ann.plain, ann.original
    else:
        plain = original = p["text"]
    checking.ensure_size(len(plain), settings)
    ensure_unicode(plain, original)
    level = p.get("level", "default") or "default"
    if level not in ("default", "picky"):
        raise HTTPException(400, f"level must be 'default' or 'picky', not {level!r}")
    enabled_only = p.get("enabledOnly", "false").lower() in _TRUE
    if enabled_only and not (p.get("enabledRules") or p.get("enabledCategories")):
        raise HTTPException(400, "enabledOnly=true needs enabledRules or enabledCategories")
    words = await run_in_threadpool(store.words, tenant)
    opts = checking.options(level=level, enabled_rules=p.get("enabledRules"), disabled_rules=p.get("disabledRules"),
                            enabled_categories=lt_format.category_ids(p.get("enabledCategories")),
                            disabled_categories=lt_format.category_ids(p.get("disabledCategories")),
                            enabled_only=enabled_only or None, dictionary=sorted(as_option(words)))
    results, incomplete, _ = await run_in_threadpool(checking.run, checker, [plain], opts, settings.time_budget)
    return lt_format.response(results[0], plain, original, incomplete, ann.to_original if ann else None)
