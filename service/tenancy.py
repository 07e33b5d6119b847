"""A tenant's operating point, as every check applies it: its house model, its threshold, its usage.

Tenant settings (the store's `tenant_settings`): `threshold` (a number from 0 to 1, the spelling
confidence threshold of its default-level checks; absent: the level's) and `feedback` (`on` to
record editors' decisions; off by default).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from fastapi import HTTPException, Request

from vnproof import Checker
from vnproof.decision import shipped_thresholds

from .dictionary import DictionaryStore


@dataclass(frozen=True)
class TenantConfig:
    threshold: float | None = None
    feedback: bool = False

    @classmethod
    def of(cls, settings: dict[str, str]) -> "TenantConfig":
        try:
            t = float(settings["threshold"]) if "threshold" in settings else None
        except ValueError:
            t = None
        return cls(t, settings.get("feedback", "off") == "on")

    def effective_threshold(self) -> float:
        return shipped_thresholds()["default"] if self.threshold is None else self.threshold


def today() -> str:
    return time.strftime("%Y-%m-%d", time.gmtime())


def prepare(request: Request, base: Checker, tenant: str, chars: int, level: str) -> tuple[Checker, dict]:
    """The tenant's checker and extra options, with this request counted in its usage (blocking:
    run it in the thread pool)."""
    state = request.app.state
    store: DictionaryStore = state.store
    store.add_usage(tenant, today(), 1, chars)
    config = TenantConfig.of(store.settings(tenant))
    opts = {"threshold": config.threshold} if config.threshold is not None and level == "default" else {}
    return state.house.checker(tenant, base), opts


def words_and_prepare(request: Request, store: DictionaryStore, base: Checker, tenant: str, chars: int,
                      level: str) -> tuple[list[str], Checker, dict]:
    """`store.words(tenant)` (its dictionary), then `prepare`: one thread-pool hand-off for both."""
    words = store.words(tenant)
    return (words, *prepare(request, base, tenant, chars, level))


def config(request: Request, tenant: str) -> TenantConfig:
    return TenantConfig.of(request.app.state.store.settings(tenant))


def ensure_feedback_on(cfg: TenantConfig, tenant: str) -> None:
    if not cfg.feedback:
        raise HTTPException(403, f"feedback is off for tenant {tenant!r}: recording editors' decisions is "
                                 "opt-in; the operator turns it on (PUT /v1/admin/tenants/{tenant} "
                                 "{\"feedback\": true})")
