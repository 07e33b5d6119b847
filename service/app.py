"""Assembles the service: settings, middleware, routers, the proofreading page, the checker's lifespan."""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles

import vnproof
from vnproof import Checker

from . import health, languagetool, models_api, native, report, rule_pages, tenants
from .auth import KeyRing, RateLimiter
from .config import Settings, StartupError, get_settings
from .house import HouseModels
from .limits import BodyLimit
from .result_cache import ResultCache
from .store import open_store

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None, checker: Checker | None = None) -> FastAPI:
    """A configured app. `checker` skips loading (tests share one); otherwise each worker loads its own."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if app.state.checker is None:
            app.state.checker = await asyncio.to_thread(Checker, settings.models or None, level=settings.level)
        await asyncio.to_thread(app.state.house.cleanup)
        yield
        app.state.store.close()

    # Swagger UI loads its scripts from a CDN (blank offline): off unless asked for.
    app = FastAPI(title="vnproof", version=vnproof.__version__, lifespan=lifespan,
                  docs_url="/docs" if settings.api_docs else None, redoc_url=None,
                  description="Vietnamese proofreading: native API (/v1) and LanguageTool-compatible API (/v2).")
    app.state.settings = settings
    app.state.checker = checker
    app.state.store = open_store(settings)
    app.state.keyring = KeyRing(settings.api_keys, app.state.store)
    if settings.auth and not app.state.keyring.has_keys():
        app.state.store.close()
        raise StartupError("auth is on but there is no API key: set VNPROOF_API_KEYS='{\"tenant\": \"<sha256>\"}' "
                           "or store one with `vnproof keys add TENANT`")
    app.state.limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
    app.state.house = HouseModels(settings.house_dir, cache=settings.house_cache,
                                  max_unpacked=settings.max_unpacked_bytes, train_timeout=settings.train_timeout)
    app.state.result_cache = ResultCache(int(settings.result_cache_mb * 1024 * 1024))

    app.add_middleware(BodyLimit, max_bytes=settings.body_limit, max_chars=settings.max_text_chars,
                       timeout=settings.body_timeout, uploads={"/v1/models/house": settings.max_upload_bytes})
    if settings.allow_origin:
        app.add_middleware(CORSMiddleware, allow_origins=[o.strip() for o in settings.allow_origin.split(",")],
                           allow_methods=["GET", "POST", "PUT", "DELETE"], allow_headers=["*"])
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _internal_error)

    app.include_router(health.router)
    app.include_router(native.router)
    app.include_router(languagetool.router)
    app.include_router(models_api.router)
    app.include_router(tenants.router)
    app.include_router(report.router)
    app.include_router(rule_pages.router)
    app.mount("/", StaticFiles(directory=STATIC, html=True), name="page")
    return app


async def _http_error(request: Request, exc: HTTPException):
    if request.url.path.startswith("/v2/"):   # LanguageTool's errors are plain text
        detail = exc.detail
        if isinstance(detail, list):   # validation errors: their messages, not a Python repr
            detail = "; ".join(str(e.get("msg", e)) if isinstance(e, dict) else str(e) for e in detail)
        return PlainTextResponse(f"Error: {detail}", status_code=exc.status_code, headers=exc.headers)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def _validation_error(request: Request, exc: RequestValidationError):
    errors = [{k: e.get(k) for k in ("loc", "msg", "type")} for e in exc.errors()]
    return await _http_error(request, HTTPException(422, errors))


async def _internal_error(request: Request, exc: Exception):
    """A bug, not a bad request: say so in the surface's error format (uvicorn logs the traceback)."""
    return await _http_error(request, HTTPException(500, f"internal error ({type(exc).__name__}); "
                                                         "please report it with the text that caused it"))
