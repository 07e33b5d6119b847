"""Service settings, read from `VNPROOF_*` environment variables; invalid values fail at start-up."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _default_db() -> Path:
    return Path.home() / ".local" / "share" / "vnproof" / "service.sqlite3"


class StartupError(RuntimeError):
    """The service cannot start with these settings (store unreachable, auth on without keys); says why."""


class Settings(BaseSettings):
    """Everything the service can be told. Environment: `VNPROOF_<NAME>` (lists/dicts as JSON)."""

    model_config = SettingsConfigDict(env_prefix="VNPROOF_", extra="ignore")

    models: list[str] = Field(default_factory=list, description="house models (vnproof train) to mix in")
    level: str = "default"
    max_text_chars: int = Field(100_000, gt=0, description="longest text one request may check")
    max_body_bytes: int | None = Field(None, gt=0, description="request body cap; default ~12 bytes per allowed char")
    time_budget: float = Field(10.0, gt=0, description="seconds of checking per request before results are partial")
    body_timeout: float = Field(30.0, gt=0, description="seconds a client has to send its whole request body (else 408)")
    db_path: Path = Field(default_factory=_default_db, description="SQLite file holding the dictionaries")
    database_url: str = Field("", repr=False,   # may hold a password; checked (and redacted) by store.open_store
                              description="postgresql://... : keep dictionaries, keys, settings, usage and "
                                          "feedback in PostgreSQL (several nodes); '' = SQLite at db_path")
    auth: bool = False
    api_keys: dict[str, str] = Field(default_factory=dict, description="tenant -> sha256 hex of its API key")
    read_only_tenants: list[str] = Field(default_factory=list, description="tenants whose keys may read but not change their dictionary")
    anonymous_writes: bool = Field(False, description="with auth off, let anyone change the shared dictionary (single-user machines only)")
    rate_limit_per_minute: float = Field(0, ge=0, description="per key (or client address); 0 = unlimited")
    rate_limit_burst: int = Field(20, ge=1)
    api_docs: bool = Field(False, description="serve Swagger UI at /docs (its scripts come from a CDN)")
    allow_origin: str = Field("", description="CORS origin(s) for browser clients, comma-separated; '' = none")
    models_dir: Path | None = Field(None, description="tenants' house models; default: 'models' beside db_path")
    max_upload_bytes: int = Field(64 * 1024 * 1024, gt=0, description="largest model or archive upload (PUT /v1/models/house)")
    max_unpacked_bytes: int = Field(512 * 1024 * 1024, gt=0, description="largest unpacked size of an uploaded archive")
    house_cache: int = Field(16, ge=1, description="tenant checkers (house models) kept loaded per worker (LRU)")
    result_cache_mb: float = Field(64.0, ge=0, description="per-paragraph results kept per worker for texts "
                                                            "checked again (LRU, MB of text and issues); 0 = off")
    train_timeout: float = Field(3600.0, gt=0, description="seconds a training job may run")
    admin_key_sha256: str | None = Field(None, description="sha256 hex of the admin key (admin endpoints); none: no admin")

    @field_validator("level")
    @classmethod
    def _level(cls, v: str) -> str:
        if v not in ("default", "picky"):
            raise ValueError("level must be 'default' or 'picky'")
        return v

    @field_validator("api_keys")
    @classmethod
    def _hashes(cls, v: dict[str, str]) -> dict[str, str]:
        out = {}
        for tenant, digest in v.items():
            digest = digest.strip().lower()
            if not _SHA256.match(digest):
                raise ValueError(f"api_keys[{tenant!r}] must be a sha256 hex digest (64 hex chars), never the key itself")
            out[tenant] = digest
        return out

    @field_validator("admin_key_sha256")
    @classmethod
    def _admin_hash(cls, v: str | None) -> str | None:
        if v is None or not v.strip():
            return None
        v = v.strip().lower()
        if not _SHA256.match(v):
            raise ValueError("admin_key_sha256 must be a sha256 hex digest (64 hex chars), never the key itself")
        return v

    @property
    def house_dir(self) -> Path:
        """Where tenants' house models live."""
        return self.models_dir or Path(self.db_path).parent / "models"

    @property
    def body_limit(self) -> int:
        """Request bodies larger than this are refused before they are read in full."""
        return self.max_body_bytes or self.max_text_chars * 12 + 64 * 1024


@lru_cache
def get_settings() -> Settings:
    """The process's settings (cached); tests override this dependency."""
    return Settings()
