"""Liveness and readiness."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

import vnproof

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> dict:
    """The process answers."""
    return {"status": "ok", "version": vnproof.__version__}


@router.get("/ready")
def ready(request: Request) -> JSONResponse:
    """200 once the checker's data is loaded and the dictionary database answers, else 503."""
    state = request.app.state
    checks = {"checker": getattr(state, "checker", None) is not None, "dictionary": state.store.ping()}
    ok = all(checks.values())
    return JSONResponse({"status": "ready" if ok else "loading", **checks}, status_code=200 if ok else 503)
