"""The store in PostgreSQL (psycopg 3, a small connection pool per worker process), for several nodes.

Same API and semantics as the SQLite store (service/store.py lists it). Reads are not cached, so a
word, setting or key written through one node is seen by the next query on every other node.
The schema is created at start-up under an advisory lock, so nodes may start together.
"""
from __future__ import annotations

import re
import time
from datetime import date

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool, PoolTimeout

from .dictionary import normalize
from .feedback import Feedback
from .keys import check_digest
from .store import StoreError

ACTIONS = ("applied", "ignored", "added")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SCHEMA_LOCK = 0x766E70726F6F66   # "vnproof": one advisory lock id for schema creation

_SCHEMA = """
CREATE TABLE IF NOT EXISTS words (
    tenant text NOT NULL,
    key    text NOT NULL,              -- NFC, case-folded: one entry per word whatever its case
    word   text NOT NULL,              -- as first added
    added  double precision NOT NULL,
    PRIMARY KEY (tenant, key)
);
CREATE TABLE IF NOT EXISTS feedback (
    id          bigserial PRIMARY KEY,
    tenant      text NOT NULL,
    rule_id     text NOT NULL,
    text        text NOT NULL,
    replacement text,
    action      text NOT NULL CHECK (action IN ('applied', 'ignored', 'added')),
    confidence  double precision NOT NULL,
    at          double precision NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_tenant_at ON feedback (tenant, at);
CREATE TABLE IF NOT EXISTS tenant_settings (
    tenant text NOT NULL,
    key    text NOT NULL,
    value  text NOT NULL,
    PRIMARY KEY (tenant, key)
);
CREATE TABLE IF NOT EXISTS usage (
    tenant   text NOT NULL,
    day      text NOT NULL,            -- YYYY-MM-DD
    requests bigint NOT NULL DEFAULT 0,
    chars    bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, day)
);
CREATE TABLE IF NOT EXISTS api_keys (
    tenant    text NOT NULL,
    digest    text PRIMARY KEY,        -- sha256 hex of the key; the key itself is never stored
    read_only boolean NOT NULL DEFAULT false,
    added     double precision NOT NULL
);
"""


def redact(url: str) -> str:
    """The URL (or key=value string) without its password, for messages."""
    url = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)
    return re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", url, flags=re.IGNORECASE)


def _text(*values: str) -> None:
    for v in values:
        if not isinstance(v, str):
            raise ValueError(f"expected a string, got {type(v).__name__}")
        if "\x00" in v:
            raise ValueError("text with a NUL character cannot be stored")


class PgStore:
    """The store on a PostgreSQL database; thread-safe (a pool of `max_size` connections)."""

    def __init__(self, url: str, *, max_size: int = 8, connect_timeout: int = 5):
        self.shown = redact(url)
        try:
            params = conninfo_to_dict(url)
        except psycopg.ProgrammingError as e:
            reason = redact(str(e).replace(url, self.shown)).strip()
            raise StoreError(f"VNPROOF_DATABASE_URL is not a valid PostgreSQL URL ({self.shown}): {reason}") from None
        extra = {"application_name": "vnproof"}
        if "connect_timeout" not in params:
            extra["connect_timeout"] = str(connect_timeout)
        conninfo = make_conninfo(url, **extra)
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                self._check_and_create(conn)
        except psycopg.Error as e:
            text = redact(str(e).replace(url, self.shown)).strip()
            msg = text.splitlines()[0] if text else type(e).__name__
            raise StoreError(f"cannot use the PostgreSQL database at {self.shown}: {msg}") from None
        # check: a connection broken by a database restart is replaced before use, not handed out.
        self._pool = ConnectionPool(conninfo, min_size=1, max_size=max_size, kwargs={"autocommit": True},
                                    check=ConnectionPool.check_connection, timeout=10.0, name="vnproof", open=True)

    def _check_and_create(self, conn: psycopg.Connection) -> None:
        encoding = conn.execute("SHOW server_encoding").fetchone()[0]
        if encoding.upper() not in ("UTF8", "UTF-8"):
            raise StoreError(f"the PostgreSQL database at {self.shown} has encoding {encoding}; vnproof needs "
                             "UTF8 (CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0)")
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            conn.execute(_SCHEMA)

    def close(self) -> None:
        self._pool.close()

    def ping(self) -> bool:
        try:
            with self._pool.connection(timeout=2.0) as conn:
                conn.execute("SELECT 1").fetchone()
            return True
        except (psycopg.Error, PoolTimeout):
            return False

    # --- words -------------------------------------------------------------------------------

    def words(self, tenant: str) -> list[str]:
        with self._pool.connection() as conn:
            rows = conn.execute('SELECT word FROM words WHERE tenant = %s ORDER BY key COLLATE "C"', (tenant,))
            return [r[0] for r in rows]

    def add(self, tenant: str, words: list[str]) -> int:
        """Add words (duplicates and existing ones are ignored); the number actually added."""
        new: dict[str, str] = {}
        for w in map(normalize, words):
            _text(w)
            new.setdefault(w.casefold(), w)
        if not new:
            return 0
        with self._pool.connection() as conn:
            cur = conn.execute(
                "INSERT INTO words (tenant, key, word, added) SELECT %s, k, w, %s "
                "FROM unnest(%s::text[], %s::text[]) AS t(k, w) ON CONFLICT DO NOTHING",
                (tenant, time.time(), list(new), list(new.values())))
            return cur.rowcount

    def remove(self, tenant: str, words: list[str]) -> int:
        keys = sorted({normalize(w).casefold() for w in words})
        _text(*keys)
        if not keys:
            return 0
        with self._pool.connection() as conn:
            return conn.execute("DELETE FROM words WHERE tenant = %s AND key = ANY(%s)", (tenant, keys)).rowcount

    # --- editors' decisions ------------------------------------------------------------------

    def record_feedback(self, tenant: str, events: list[Feedback]) -> int:
        """Store editors' decisions (all or none); the number stored."""
        rows = []
        for e in events:
            if e.action not in ACTIONS:
                raise ValueError(f"action must be one of {', '.join(ACTIONS)}, not {e.action!r}")
            _text(e.rule_id, e.text, *([e.replacement] if e.replacement is not None else []))
            rows.append((tenant, e.rule_id, e.text, e.replacement, e.action, float(e.confidence), float(e.at)))
        if not rows:
            return 0
        with self._pool.connection() as conn, conn.transaction():
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO feedback (tenant, rule_id, text, replacement, action, confidence, at) "
                                "VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)
        return len(rows)

    def feedback(self, tenant: str, since: float = 0.0) -> list[Feedback]:
        """The tenant's decisions at or after `since` (Unix time), oldest first."""
        with self._pool.connection() as conn:
            rows = conn.execute("SELECT rule_id, text, replacement, action, confidence, at FROM feedback "
                                "WHERE tenant = %s AND at >= %s ORDER BY at, id", (tenant, float(since)))
            return [Feedback(*r) for r in rows]

    # --- per-tenant settings (thresholds, ...) and usage ---------------------------------------

    def settings(self, tenant: str) -> dict[str, str]:
        with self._pool.connection() as conn:
            rows = conn.execute("SELECT key, value FROM tenant_settings WHERE tenant = %s ORDER BY key", (tenant,))
            return dict(rows.fetchall())

    def set_setting(self, tenant: str, key: str, value: str) -> None:
        _text(tenant, key, value)
        with self._pool.connection() as conn:
            conn.execute("INSERT INTO tenant_settings (tenant, key, value) VALUES (%s, %s, %s) "
                         "ON CONFLICT (tenant, key) DO UPDATE SET value = EXCLUDED.value", (tenant, key, value))

    def add_usage(self, tenant: str, day: str, requests: int, chars: int) -> None:
        """Add to the tenant's counts for `day` (YYYY-MM-DD)."""
        if not (isinstance(day, str) and _DAY.match(day)):
            raise ValueError(f"day must be YYYY-MM-DD, not {day!r}")
        date.fromisoformat(day)   # ValueError for 2026-13-40
        if requests < 0 or chars < 0:
            raise ValueError("usage counts cannot be negative")
        with self._pool.connection() as conn:
            conn.execute("INSERT INTO usage (tenant, day, requests, chars) VALUES (%s, %s, %s, %s) "
                         "ON CONFLICT (tenant, day) DO UPDATE SET requests = usage.requests + EXCLUDED.requests, "
                         "chars = usage.chars + EXCLUDED.chars", (tenant, day, int(requests), int(chars)))

    def usage(self, tenant: str) -> list[tuple[str, int, int]]:
        """(day, requests, chars) per day, oldest first."""
        with self._pool.connection() as conn:
            rows = conn.execute("SELECT day, requests, chars FROM usage WHERE tenant = %s ORDER BY day", (tenant,))
            return [tuple(r) for r in rows]

    def tenants(self) -> list[str]:
        """Every tenant with words, decisions, settings or usage stored."""
        with self._pool.connection() as conn:
            rows = conn.execute('SELECT tenant FROM (SELECT tenant FROM words UNION SELECT tenant FROM feedback '
                                "UNION SELECT tenant FROM tenant_settings UNION SELECT tenant FROM usage) AS t "
                                'ORDER BY tenant COLLATE "C"')
            return [r[0] for r in rows]

    # --- API keys ----------------------------------------------------------------------------

    def key_digests(self) -> list[tuple[str, str, bool]]:
        with self._pool.connection() as conn:
            rows = conn.execute('SELECT tenant, digest, read_only FROM api_keys ORDER BY tenant COLLATE "C", digest')
            return [(t, d, bool(ro)) for t, d, ro in rows]

    def add_key(self, tenant: str, digest: str, read_only: bool = False) -> None:
        """Store a key's digest for `tenant`; ValueError if that digest is stored already."""
        digest = check_digest(digest)
        _text(tenant)
        try:
            with self._pool.connection() as conn:
                conn.execute("INSERT INTO api_keys (tenant, digest, read_only, added) VALUES (%s, %s, %s, %s)",
                             (tenant, digest, bool(read_only), time.time()))
        except psycopg.errors.UniqueViolation:
            raise ValueError("this key is stored already") from None

    def remove_key(self, digest: str) -> int:
        """Forget a key (its full digest); 1 if it was stored, else 0."""
        with self._pool.connection() as conn:
            return conn.execute("DELETE FROM api_keys WHERE digest = %s", (check_digest(digest),)).rowcount
