"""Resumable run state in SQLite (WAL).

Each finished article is one row, written with its issues in one transaction, so a `kill -9`
loses at most the uncommitted batch and never leaves half an article. Rows carry the article's
position in the input walk (`seq`), and reports read rows ordered by `seq`, so a resumed run
writes exactly the same reports as an uninterrupted one.
"""
from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Iterator

SCHEMA = """
CREATE TABLE IF NOT EXISTS run (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    key TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,            -- 'ok' | 'error'
    words INTEGER NOT NULL DEFAULT 0,
    meta TEXT NOT NULL DEFAULT '{}',
    conversions TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    issues TEXT NOT NULL DEFAULT '[]'  -- JSON list of issue dicts, in offset order
);
CREATE INDEX IF NOT EXISTS articles_seq ON articles(seq);
"""


class ConfigMismatch(RuntimeError):
    """The output folder holds a run made with different inputs or options."""


class State:
    def __init__(self, path: str | Path, batch: int = 16, max_delay: float = 1.0):
        self.path = Path(path)
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self.batch, self.max_delay = batch, max_delay
        self._pending: list[tuple] = []
        self._last = time.monotonic()

    # -- run configuration ------------------------------------------------------------------
    def check_config(self, config: dict, restart: bool = False) -> None:
        """Remember `config`; refuse to mix results of a different configuration."""
        want = json.dumps(config, sort_keys=True, ensure_ascii=False)
        row = self.db.execute("SELECT value FROM run WHERE key='config'").fetchone()
        if row and row[0] != want:
            if not restart:
                raise ConfigMismatch("the output folder holds an audit with other inputs or options; "
                                     "use --restart to discard it, or another -o folder")
            self.db.execute("DELETE FROM articles")
            self.db.execute("DELETE FROM run")
        self.db.execute("INSERT OR REPLACE INTO run VALUES ('config', ?)", (want,))

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM run WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO run VALUES (?, ?)", (key, value))

    # -- articles -------------------------------------------------------------------------------
    def done_keys(self) -> set[str]:
        return {k for (k,) in self.db.execute("SELECT key FROM articles")}

    def is_done(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE key=?", (key,)).fetchone() is not None

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def add(self, result: dict) -> None:
        """Queue one article result; committed in small batches (or after `max_delay` s)."""
        self._pending.append((
            result["key"], result["seq"], result["id"], result["source"], result["status"],
            result.get("words", 0), json.dumps(result.get("meta") or {}, ensure_ascii=False, sort_keys=True),
            json.dumps(result.get("conversions") or [], ensure_ascii=False), result.get("error"),
            json.dumps(result.get("issues") or [], ensure_ascii=False, sort_keys=True)))
        if len(self._pending) >= self.batch or time.monotonic() - self._last > self.max_delay:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        self.db.execute("BEGIN")
        self.db.executemany("INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?)", self._pending)
        self.db.execute("COMMIT")
        self._pending.clear()
        self._last = time.monotonic()

    def rows(self) -> Iterator[dict]:
        """Finished articles in input order, issues decoded."""
        cur = self.db.cursor()
        cur.execute("SELECT key, seq, id, source, status, words, meta, conversions, error, issues "
                    "FROM articles ORDER BY seq, key")
        for r in cur:
            yield {"key": r[0], "seq": r[1], "id": r[2], "source": r[3], "status": r[4], "words": r[5],
                   "meta": json.loads(r[6]), "conversions": json.loads(r[7]), "error": r[8],
                   "issues": json.loads(r[9])}

    def close(self) -> None:
        self.flush()
        self.db.close()
