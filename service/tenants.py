"""The caller's tenant (`/v1/tenants/me`), editors' feedback (`/v1/feedback`) and the operator's
admin routes (`/v1/admin`, behind `VNPROOF_ADMIN_KEY_SHA256`)."""
from __future__ import annotations

import hmac
import math
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool

from . import tenancy
from .auth import TenantDep, WriterDep, hash_key, presented_key
from .bodies import read_json
from .checking import unprocessable
from .dictionary import DictionaryStore
from .feedback import MAX_EVENTS_PER_CALL, MIN_DECISIONS, TARGET_PRECISION, choose_threshold, parse_event, proposals
from .tenancy import TenantConfig

router = APIRouter(prefix="/v1", tags=["tenants"])


def _body(properties: dict, required: list[str] | None = None) -> dict:
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    return {"requestBody": {"required": bool(required), "content": {"application/json": {"schema": schema}}}}


_UNIT = {"type": "number", "minimum": 0, "maximum": 1}
_EVENT = {"type": "object", "additionalProperties": False, "required": ["rule_id", "text", "action", "confidence"],
          "properties": {"rule_id": {"type": "string", "minLength": 1}, "text": {"type": "string", "minLength": 1},
                         "replacement": {"type": ["string", "null"]},
                         "action": {"enum": ["applied", "ignored", "added"]}, "confidence": _UNIT,
                         "at": {"type": "number", "minimum": 0, "description": "Unix time; default now"}}}


def _store(request: Request) -> DictionaryStore:
    return request.app.state.store


async def _object(request: Request, allowed: set[str], empty_ok: bool = True) -> dict:
    """A JSON object body with only `allowed` keys (an empty body is {} when `empty_ok`)."""
    if empty_ok and not await request.body():
        return {}
    body = await read_json(request)
    if not isinstance(body, dict):
        raise unprocessable("the body must be a JSON object")
    unknown = set(body) - allowed
    if unknown:
        raise unprocessable(f"unknown field(s): {', '.join(sorted(unknown))}")
    return body


def tenant_view(request: Request, tenant: str) -> dict:
    """Everything an operator wants to know about one tenant (blocking)."""
    state = request.app.state
    settings = state.settings
    store: DictionaryStore = state.store
    cfg = TenantConfig.of(store.settings(tenant))
    usage = store.usage(tenant)
    training = state.house.training(tenant)
    return {
        "tenant": tenant,
        "model": state.house.info(tenant),
        "training": {k: v for k, v in training.items() if k not in ("pid", "host")} if training else None,
        "dictionary_words": len(store.words(tenant)),
        "threshold": cfg.effective_threshold(),
        "threshold_source": "tenant" if cfg.threshold is not None else "level default",
        "feedback": cfg.feedback,
        "feedback_accepted": cfg.feedback and _writable(settings, tenant),
        "feedback_events": len(store.feedback(tenant)),
        "usage": {"today": next(({"requests": r, "chars": c} for d, r, c in usage if d == tenancy.today()),
                                {"requests": 0, "chars": 0}),
                  "total": {"requests": sum(r for _, r, _ in usage), "chars": sum(c for *_, c in usage)},
                  "days": [{"day": d, "requests": r, "chars": c} for d, r, c in reversed(usage[-31:])]},
        "limits": {"max_text_chars": settings.max_text_chars, "time_budget": settings.time_budget,
                   "rate_limit_per_minute": settings.rate_limit_per_minute or None,
                   "rate_limit_burst": settings.rate_limit_burst, "max_upload_bytes": settings.max_upload_bytes,
                   "read_only": tenant in settings.read_only_tenants},
    }


def _writable(settings, tenant: str) -> bool:
    """Whether this tenant's key may change stored state (as `ensure_writable` decides)."""
    if not settings.auth:
        return settings.anonymous_writes
    return tenant not in settings.read_only_tenants


@router.get("/tenants/me")
async def me(request: Request, tenant: TenantDep) -> dict:
    """The caller's tenant: model, dictionary size, threshold, feedback, usage and limits."""
    return await run_in_threadpool(tenant_view, request, tenant)


@router.post("/feedback", openapi_extra=_body(
    {"events": {"type": "array", "items": _EVENT, "minItems": 1, "maxItems": MAX_EVENTS_PER_CALL}}, ["events"]))
async def feedback(request: Request, tenant: WriterDep) -> dict:
    """Record editors' decisions `{"events": [{rule_id, text, replacement, action, confidence}]}`
    (action: applied | ignored | added). Only for tenants with feedback on (403 otherwise)."""
    body = await _object(request, {"events"}, empty_ok=False)
    raw = body.get("events")
    if not isinstance(raw, list) or not raw or len(raw) > MAX_EVENTS_PER_CALL:
        raise unprocessable(f"'events' must be a list of 1 to {MAX_EVENTS_PER_CALL} events", ("body", "events"))
    events = []
    for n, e in enumerate(raw):
        try:
            events.append(parse_event(e))
        except ValueError as err:
            raise unprocessable(str(err), ("body", "events", n)) from None
    cfg = await run_in_threadpool(tenancy.config, request, tenant)
    tenancy.ensure_feedback_on(cfg, tenant)
    stored = await run_in_threadpool(_store(request).record_feedback, tenant, events)
    return {"tenant": tenant, "recorded": stored}


def calibrate_tenant(store: DictionaryStore, tenant: str, target: float = TARGET_PRECISION,
                     min_count: int = MIN_DECISIONS, apply: bool = True) -> dict:
    """Choose the tenant's threshold from its recorded decisions; store it (unless `apply` is
    False). With too few decisions the threshold stays as it is."""
    cfg = TenantConfig.of(store.settings(tenant))
    result = choose_threshold(store.feedback(tenant), target, min_count)
    before = cfg.effective_threshold()
    after = before if result.threshold is None else result.threshold
    if apply and result.threshold is not None:
        store.set_setting(tenant, "threshold", repr(after))
    return {"tenant": tenant, "threshold": after, "previous": before, "changed": after != before,
            "target_precision": target, "precision": result.precision, "decisions_above": result.decisions,
            "decisions": result.total, "min_count": min_count,
            "reason": None if result.threshold is not None else
            f"fewer than {min_count} decisions reach {target:.0%} precision at any threshold: kept"}


def _number(body: dict, key: str, default: float, lo: float, hi: float) -> float:
    v = body.get(key, default)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not lo <= v <= hi:
        raise unprocessable(f"{key} must be a number from {lo:g} to {hi:g}", ("body", key))
    return v


@router.post("/tenants/me/calibrate", openapi_extra=_body(
    {"target": {"type": "number", "minimum": 0.01, "maximum": 1}, "min_count": {"type": "integer", "minimum": 1},
     "dry_run": {"type": "boolean"}}))
async def calibrate(request: Request, tenant: WriterDep) -> dict:
    """Set the tenant's threshold from its editors' decisions: the lowest confidence whose
    precision among decisions at or above it reaches `target` (default 0.9), over at least
    `min_count` (default 30) decisions. `{"dry_run": true}` only reports."""
    body = await _object(request, {"target", "min_count", "dry_run"})
    target = _number(body, "target", TARGET_PRECISION, 0.01, 1.0)
    min_count = int(_number(body, "min_count", MIN_DECISIONS, 1, 1_000_000))
    return await run_in_threadpool(calibrate_tenant, _store(request), tenant, target, min_count,
                                   not body.get("dry_run", False))


@router.get("/tenants/me/proposals")
async def tenant_proposals(request: Request, tenant: TenantDep) -> dict:
    """Words editors added to the dictionary again and again, not yet in it: for the tenant's admin."""
    store = _store(request)
    events, words = await run_in_threadpool(lambda: (store.feedback(tenant), store.words(tenant)))
    return {"tenant": tenant, "proposals": proposals(events, set(words))}


# --- admin -------------------------------------------------------------------------------------
def _admin(request: Request) -> None:
    digest = request.app.state.settings.admin_key_sha256
    if digest is None:
        raise HTTPException(404, "no admin key is configured on this server (VNPROOF_ADMIN_KEY_SHA256)")
    key = presented_key(request)
    if not key or not hmac.compare_digest(hash_key(key), digest):
        raise HTTPException(401, "admin routes need the admin key: 'Authorization: Bearer <admin key>'",
                            headers={"WWW-Authenticate": "Bearer"})


AdminDep = Annotated[None, Depends(_admin)]


@router.get("/admin/tenants")
async def admin_tenants(request: Request, _: AdminDep) -> dict:
    """Every tenant with a key or stored state, and its view."""
    state = request.app.state
    names = sorted(set(state.settings.api_keys) | set(await run_in_threadpool(state.store.tenants)))
    return {"tenants": [await run_in_threadpool(tenant_view, request, t) for t in names]}


@router.put("/admin/tenants/{name}", openapi_extra=_body(
    {"threshold": {"anyOf": [_UNIT, {"type": "null"}]}, "feedback": {"type": "boolean"}}))
async def admin_set(request: Request, name: str, _: AdminDep) -> dict:
    """Set a tenant's `threshold` (0-1, or null for the level's) and/or `feedback` (true/false)."""
    body = await _object(request, {"threshold", "feedback"}, empty_ok=False)
    if not body:
        raise unprocessable("send 'threshold' and/or 'feedback'")
    store = _store(request)
    if "threshold" in body:
        if body["threshold"] is None:
            await run_in_threadpool(store.set_setting, name, "threshold", "")
        else:
            t = _number(body, "threshold", 0.0, 0.0, 1.0)
            await run_in_threadpool(store.set_setting, name, "threshold", repr(float(t)))
    if "feedback" in body:
        if not isinstance(body["feedback"], bool):
            raise unprocessable("feedback must be true or false", ("body", "feedback"))
        await run_in_threadpool(store.set_setting, name, "feedback", "on" if body["feedback"] else "off")
    return await run_in_threadpool(tenant_view, request, name)
