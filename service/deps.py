"""Shared dependencies: the checker (loaded once per worker), settings, the dictionary store.

They are `async def`: they only read `app.state`, and FastAPI runs a plain `def` dependency in
its thread pool, a hand-off to a thread and back per dependency per request (under load the
largest cost of a `/v2/check` served from the result cache). The settings are the app's own
(`app.state.settings`), not an override of `get_settings`: while an app has any dependency
override, FastAPI rebuilds every dependency of a route (an `inspect.signature` each) per request."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from vnproof import Checker

from .config import Settings
from .store import Store


async def get_checker(request: Request) -> Checker:
    checker = getattr(request.app.state, "checker", None)
    if checker is None:
        raise HTTPException(503, "the checker is still loading; retry shortly", headers={"Retry-After": "1"})
    return checker


async def app_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_store(request: Request) -> Store:
    return request.app.state.store


CheckerDep = Annotated[Checker, Depends(get_checker)]
SettingsDep = Annotated[Settings, Depends(app_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
