"""Optional API keys (stored as sha256 digests, compared in constant time) and per-key rate limits."""
from __future__ import annotations

import hashlib
import hmac
import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import Annotated, Callable

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool

DEFAULT_TENANT = "default"
log = logging.getLogger("vnproof.service")


def hash_key(key: str) -> str:
    """The digest to put in `VNPROOF_API_KEYS` for a key (`vnproof serve --hash-key KEY` prints it)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class KeyHolder:
    tenant: str
    read_only: bool = False


class KeyRing:
    """Tenant lookup by key; never holds a key, only digests. Digests come from the settings and,
    given a store, from its api_keys table (`vnproof keys add`), re-read at most `refresh` seconds
    apart, so a key added or removed through any node applies everywhere within that time."""

    def __init__(self, digests: dict[str, str], store=None, *, refresh: float = 1.0,
                 clock: Callable[[], float] = time.monotonic):
        self._config = [(tenant, digest, False) for tenant, digest in digests.items()]
        self._store = store
        self._refresh = refresh
        self._clock = clock
        self._stored: list[tuple[str, str, bool]] = []
        self._loaded_at = -math.inf
        self._lock = threading.Lock()

    def _entries(self) -> list[tuple[str, str, bool]]:
        if self._store is not None and self._clock() - self._loaded_at >= self._refresh:
            with self._lock:
                now = self._clock()
                if now - self._loaded_at >= self._refresh:   # another thread may have just re-read them
                    try:
                        self._stored = self._store.key_digests()
                    except Exception as e:   # the database is away: keep the keys we had
                        log.warning("cannot re-read the stored API keys (keeping the last ones): %s", e)
                    self._loaded_at = now
        return self._stored + self._config   # on a clash the settings win (read last)

    def has_keys(self) -> bool:
        return bool(self._entries())

    def holder(self, key: str) -> KeyHolder | None:
        presented = hash_key(key)
        found = None
        for tenant, digest, read_only in self._entries():   # no early exit: timing does not depend on position
            if hmac.compare_digest(presented, digest):
                found = KeyHolder(tenant, read_only)
        return found

    def tenant(self, key: str) -> str | None:
        holder = self.holder(key)
        return holder.tenant if holder else None


class RateLimiter:
    """Token buckets, one per key: `per_minute` tokens refill continuously up to `burst`."""

    def __init__(self, per_minute: float, burst: int):
        self.rate = per_minute / 60.0
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when the request may go ahead, else the seconds to wait."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate


def presented_key(request: Request, form_key: str | None = None) -> str | None:
    """The key from `Authorization: Bearer`, `X-API-Key`, or an `apiKey` parameter (LanguageTool's)."""
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return request.headers.get("x-api-key") or form_key or request.query_params.get("apiKey") or None


def authenticate(request: Request, form_key: str | None = None) -> str:
    """The tenant for this request; 401 on a missing/wrong key, 429 past the rate limit."""
    state = request.app.state
    if state.settings.auth:
        key = presented_key(request, form_key)
        holder = state.keyring.holder(key) if key else None
        if holder is None:
            raise HTTPException(401, "missing or invalid API key: send 'Authorization: Bearer <key>' "
                                     "or 'X-API-Key: <key>' (or apiKey=<key> on /v2)",
                                headers={"WWW-Authenticate": "Bearer"})
        tenant = holder.tenant
        request.state.read_only_key = holder.read_only
        bucket = "key:" + tenant
    else:
        tenant = DEFAULT_TENANT
        bucket = "addr:" + (request.client.host if request.client else "?")
    wait = state.limiter.take(bucket)
    if wait > 0:
        raise HTTPException(429, f"rate limit exceeded; retry in {math.ceil(wait)} s",
                            headers={"Retry-After": str(math.ceil(wait))})
    return tenant


async def tenant_of(request: Request, form_key: str | None = None) -> str:
    """`authenticate`, in the thread pool only when keys are on (the key ring may read the store);
    with keys off it is a rate-limit bucket, not worth a hand-off to a thread and back."""
    if request.app.state.settings.auth:
        return await run_in_threadpool(authenticate, request, form_key)
    return authenticate(request, form_key)


async def _tenant(request: Request) -> str:
    """The dependency: only the request (a `form_key` argument would become a query parameter)."""
    return await tenant_of(request)


TenantDep = Annotated[str, Depends(_tenant)]


def ensure_writable(request: Request, tenant: str) -> None:
    """Refuse a change of stored state that this caller may not make: anonymous callers may only
    read (with keys off there is one dictionary, shared by every client), and read-only tenants
    may not write."""
    settings = request.app.state.settings
    if not settings.auth and not settings.anonymous_writes:
        raise HTTPException(403, "changing the dictionary needs an API key with write rights, and this server "
                                 "runs without API keys, so its shared dictionary is read-only. For words of "
                                 "your own, send them with each check (the 'dictionary' field). The operator "
                                 "can turn keys on (VNPROOF_AUTH=true, VNPROOF_API_KEYS).")
    if settings.auth and (tenant in settings.read_only_tenants or getattr(request.state, "read_only_key", False)):
        raise HTTPException(403, f"the API key of tenant {tenant!r} may read its dictionary but not change it: "
                                 "use a key with write rights")


async def _writer(request: Request) -> str:
    """The tenant, for a request that changes stored state."""
    tenant = await tenant_of(request)
    ensure_writable(request, tenant)
    return tenant


WriterDep = Annotated[str, Depends(_writer)]
