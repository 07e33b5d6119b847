"""LanguageTool-compatible API, `/v2`: existing LT clients work by changing the server URL.

Errors are plain text (`Error: ...`), as LanguageTool answers them; offsets are UTF-16 units.
"""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool

from vnproof import Checker, Issue

from . import checking, lt_format, tenancy
from .annotated import Annotated, AnnotationError
from .auth import ensure_writable, tenant_of
from .bodies import ensure_unicode, read_form
from .deps import CheckerDep, SettingsDep, StoreDep
from .config import Settings
from .dictionary import DictionaryStore, as_option, normalize
from .responses import FastJSONResponse

router = APIRouter(prefix="/v2", tags=["languagetool"])

LANGUAGES = {"vi": "vi-VN", "vi-vn": "vi-VN", "auto": "vi-VN"}
_TRUE = ("true", "1", "yes", "on")
# Parameters LanguageTool documents that change nothing here; they are accepted and ignored.
IGNORED = ("motherTongue", "preferredVariants", "username", "tokenV2", "mode", "allowIncompleteResults",
           "useragent", "noopLanguages", "preferredLanguages", "textSessionId", "ruleValues", "dicts")


@router.get("/languages")
def languages() -> list[dict]:
    """Vietnamese, the language this server checks, then the languages a client may name as
    `motherTongue` (LanguageTool clients check that tag against this list); `/v2/check`
    refuses them as `language`."""
    return [dict(lt_format.LANGUAGE)] + [dict(m) for m in lt_format.MOTHER_TONGUES]


@router.get("/info", include_in_schema=False)   # undocumented in LanguageTool's own API too
def info(settings: SettingsDep) -> dict:
    """The software, its languages and the longest text one request may check."""
    return {"software": lt_format.SOFTWARE, "languages": [dict(lt_format.LANGUAGE)],
            "maxTextLength": settings.max_text_chars}


@router.post("/check", openapi_extra={"requestBody": {"content": {
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
        name: {"type": "string"} for name in ("text", "data", "language", "enabledRules", "disabledRules",
                                              "enabledCategories", "disabledCategories", "enabledOnly",
                                              "level", "apiKey", "username", *IGNORED)}}}}}})
async def check(request: Request, checker: CheckerDep, settings: SettingsDep, store: StoreDep) -> dict:
    """Check `text` or annotated `data` (form-encoded); LanguageTool's response shape."""
    return await _check(request, checker, settings, store)


@router.get("/check")
async def check_get(request: Request, checker: CheckerDep, settings: SettingsDep, store: StoreDep) -> dict:
    """The same check with query parameters, as LanguageTool also accepts."""
    return await _check(request, checker, settings, store)


async def _check(request: Request, checker: Checker, settings: Settings, store: DictionaryStore) -> dict:
    p = await read_form(request)
    tenant = await tenant_of(request, p.get("apiKey"))
    lang = p.get("language")
    if not lang:
        raise HTTPException(400, "missing 'language' parameter: use language=vi (or vi-VN, auto)")
    if lang.lower() not in LANGUAGES:
        raise HTTPException(400, f"language {lang!r} is not checked by this server, which checks Vietnamese "
                                 "only: use vi, vi-VN or auto")
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
    results, incomplete = await run_in_threadpool(_run, request, store, checker, settings, tenant, plain, level, p,
                                                  enabled_only)
    # A response, not a dict: FastAPI would walk a dict through jsonable_encoder first (plain
    # JSON types already; that walk cost as much as the rest of the request once checks were cached).
    return FastJSONResponse(lt_format.response(results[0], plain, original, incomplete,
                                               ann.to_original if ann else None,
                                               rule_base=str(request.base_url) + "rules/"))


def _run(request: Request, store: DictionaryStore, checker: Checker, settings: Settings, tenant: str, plain: str,
         level: str, p: dict[str, str], enabled_only: bool) -> tuple[list[list[Issue]], bool]:
    """The tenant's dictionary, checker and usage, the options, the check: one hand-off to the thread pool."""
    words, checker, extra = tenancy.words_and_prepare(request, store, checker, tenant, len(plain), level)
    opts = checking.options(level=level, enabled_rules=p.get("enabledRules"), disabled_rules=p.get("disabledRules"),
                            enabled_categories=lt_format.category_ids(p.get("enabledCategories")),
                            disabled_categories=lt_format.category_ids(p.get("disabledCategories")),
                            enabled_only=enabled_only or None, dictionary=sorted(as_option(words)), **extra)
    results, incomplete, _ = checking.run(checker, [plain], opts, settings.time_budget, request.app.state.result_cache)
    return results, incomplete


# --- /v2/words: LanguageTool's user dictionary, on the tenant's dictionary ----------------------
_WORD_FORM = {"requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
    "type": "object", "required": ["word"],
    "properties": {name: {"type": "string"} for name in ("word", "apiKey", "username", "dict")}}}}}}


@router.get("/words", responses={422: {"description": "a bad parameter, as LanguageTool says it: `Error: ...`",
                                      "content": {"text/plain": {"schema": {"type": "string"}}}}})
async def words_list(request: Request, store: StoreDep, offset: int = Query(0, ge=0),
                     limit: int = Query(10_000, ge=0), apiKey: str | None = None,  # noqa: N803 (LT's name)
                     username: str | None = None) -> dict:
    """The tenant's accepted words (`offset`, `limit` page through them)."""
    tenant = await tenant_of(request, apiKey)
    words = await run_in_threadpool(store.words, tenant)
    return {"words": words[offset:offset + limit]}


@router.post("/words/add", openapi_extra=_WORD_FORM)
async def words_add(request: Request, store: StoreDep) -> dict:
    """Add `word` to the tenant's dictionary (needs an API key)."""
    tenant, word = await _word_request(request)
    return {"added": await run_in_threadpool(store.add, tenant, [word]) > 0}


@router.post("/words/delete", openapi_extra=_WORD_FORM)
async def words_delete(request: Request, store: StoreDep) -> dict:
    """Remove `word` from the tenant's dictionary (needs an API key)."""
    tenant, word = await _word_request(request)
    return {"deleted": await run_in_threadpool(store.remove, tenant, [word]) > 0}


async def _word_request(request: Request) -> tuple[str, str]:
    p = await read_form(request)
    tenant = await tenant_of(request, p.get("apiKey"))
    ensure_writable(request, tenant)
    word = p.get("word", "")
    ensure_unicode(word)
    try:
        return tenant, normalize(word)
    except ValueError as e:
        raise HTTPException(400, f"bad 'word' parameter: {e}") from None
