"""The native API, `/v1`: checks with the library's Issue fields, and the tenant's dictionary."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from vnproof import Checker, Issue
from vnproof.documents import DocumentError, docx_text, is_docx
from vnproof.rules import RULES

from . import checking, tenancy
from .auth import TenantDep, WriterDep
from .bodies import MULTIPART, ensure_unicode, media_type, read_json
from .config import Settings
from .deps import CheckerDep, SettingsDep, StoreDep
from .store import Store
from .dictionary import MAX_WORDS_PER_CALL, as_option
from .offsets import Utf16Map
from .responses import FastJSONResponse

router = APIRouter(prefix="/v1", tags=["native"])


class CheckRequest(BaseModel):
    """Either `text` or `paragraphs` (checked one by one; offsets are then per paragraph)."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = None
    paragraphs: list[str] | None = None
    level: Literal["default", "picky"] = "default"
    enabled_rules: list[str] = []
    disabled_rules: list[str] = []
    enabled_categories: list[str] = []
    disabled_categories: list[str] = []
    enabled_only: bool = False
    dictionary: list[str] = Field([], description="extra accepted words for this request only")
    pub_date: str | None = Field(None, description="publication date (ISO), for the date rules")
    tone_style: Literal["new", "old"] | None = None
    time_budget: float | None = Field(None, gt=0, description="seconds; capped by the server's budget")

    @model_validator(mode="after")
    def _one_input(self) -> "CheckRequest":
        if (self.text is None) == (self.paragraphs is None):
            raise ValueError("send exactly one of 'text' or 'paragraphs'")
        return self


class WordsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    words: list[str] = Field(..., min_length=1, max_length=MAX_WORDS_PER_CALL)


def _issue(issue: Issue, u16: Utf16Map, paragraph: int) -> dict:
    d = issue.to_dict()
    d["utf16_offset"], d["utf16_length"] = u16.span(issue.offset, issue.length)
    d["paragraph"] = paragraph
    return d


def _schema(model: type[BaseModel]) -> dict:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": model.model_json_schema()}}}}


async def _model(request: Request, model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(await read_json(request))
    except ValidationError as e:
        raise HTTPException(422, [{k: err[k] for k in ("loc", "msg", "type")} for err in e.errors()]) from None


@router.post("/check", openapi_extra=_schema(CheckRequest))
async def check(request: Request, checker: CheckerDep, settings: SettingsDep, store: StoreDep,
                tenant: TenantDep) -> dict:
    """Check a text (or paragraphs). Offsets are code points; `utf16_offset`/`utf16_length` too."""
    req: CheckRequest = await _model(request, CheckRequest)
    texts = [req.text] if req.text is not None else req.paragraphs
    checking.ensure_size(sum(map(len, texts)), settings)
    ensure_unicode(*texts, *req.dictionary)
    results, incomplete, seconds = await run_in_threadpool(_run, request, store, checker, settings, tenant, req, texts)
    issues = []
    for n, (text, found) in enumerate(zip(texts, results)):
        u16 = Utf16Map(text)
        issues.extend(_issue(i, u16, n) for i in found)
    counts: dict[str, int] = {}
    for i in issues:
        counts[i["category"]] = counts.get(i["category"], 0) + 1
    # A response, not a dict: skips FastAPI's jsonable_encoder walk (these are plain JSON types).
    return FastJSONResponse({"issues": issues, "counts": counts, "incomplete": incomplete, "seconds": round(seconds, 4)})


def _run(request: Request, store: Store, checker: Checker, settings: Settings, tenant: str, req: CheckRequest,
         texts: list[str]) -> tuple[list[list[Issue]], bool, float]:
    """The tenant's dictionary, checker and usage, the options, the check: one hand-off to the thread pool."""
    words, checker, extra = tenancy.words_and_prepare(request, store, checker, tenant, sum(map(len, texts)), req.level)
    opts = checking.options(level=req.level, enabled_rules=req.enabled_rules, disabled_rules=req.disabled_rules,
                            enabled_categories=req.enabled_categories, disabled_categories=req.disabled_categories,
                            enabled_only=req.enabled_only or None, pub_date=req.pub_date, tone_style=req.tone_style,
                            dictionary=sorted(as_option(words) | set(req.dictionary)), **extra)
    budget = min(settings.time_budget, req.time_budget or settings.time_budget)
    return checking.run(checker, texts, opts, budget, request.app.state.result_cache)


@router.get("/rules")
def rules() -> dict:
    """Every rule the checker may report, with its category."""
    return {"rules": [{"id": r.id, "category": r.category, "description": r.description,
                       "description_en": r.description_en, "picky": r.picky, "issue_type": r.issue_type}
                      for r in RULES.values()]}


@router.get("/dictionary")
async def dictionary_list(store: StoreDep, tenant: TenantDep) -> dict:
    """The words this tenant accepts."""
    words = await run_in_threadpool(store.words, tenant)
    return {"tenant": tenant, "words": words, "count": len(words)}


@router.post("/dictionary", openapi_extra=_schema(WordsRequest))
async def dictionary_add(request: Request, store: StoreDep, tenant: WriterDep) -> dict:
    """Add words; they apply from the next request on. Needs a key with write rights (403 without)."""
    req: WordsRequest = await _model(request, WordsRequest)
    ensure_unicode(*req.words)
    try:
        added = await run_in_threadpool(store.add, tenant, req.words)
    except ValueError as e:
        raise checking.unprocessable(str(e), ("body", "words")) from None
    return {"tenant": tenant, "added": added}


@router.delete("/dictionary")
async def dictionary_remove(request: Request, store: StoreDep, tenant: WriterDep,
                            word: list[str] = Query([], description="words to remove (or a JSON body {words})")) -> dict:
    """Remove words, given as `?word=` parameters or a JSON body `{"words": [...]}`."""
    words = list(word)
    if not words:
        if not await request.body():
            raise HTTPException(400, "say which words to remove: ?word=... or a JSON body {\"words\": [...]}")
        words = (await _model(request, WordsRequest)).words
    try:
        removed = await run_in_threadpool(store.remove, tenant, words)
    except ValueError as e:
        raise checking.unprocessable(str(e), ("words",)) from None
    return {"tenant": tenant, "removed": removed}


@router.post("/extract", openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {
    "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}}})
async def extract(request: Request, tenant: TenantDep) -> dict:
    """A `.docx` (or UTF-8 `.txt`) upload as text, one line per paragraph, ready for `/v1/check`."""
    if media_type(request) != MULTIPART:
        raise HTTPException(415, "send the file as multipart/form-data, in a field named 'file'")
    try:
        form = await request.form()
    except Exception as e:  # python-multipart errors vary by version
        raise HTTPException(400, f"malformed multipart body: {e}") from None
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise HTTPException(400, "no file: send it in a multipart field named 'file'")
    data = await upload.read()
    try:
        if is_docx(upload.filename or "", data):
            text = await run_in_threadpool(docx_text, data)
        else:
            text = data.decode("utf-8-sig")
    except DocumentError as e:
        raise HTTPException(422 if "python-docx" not in str(e) else 501, str(e)) from None
    except UnicodeDecodeError as e:
        raise HTTPException(422, f"not a .docx file, nor UTF-8 text (byte {e.start})") from None
    return {"text": text, "paragraphs": text.count("\n") + 1 if text else 0}
