"""PostgreSQL specifics: choosing the backend, readable start-up errors, concurrent start-up and writes."""
from __future__ import annotations

import os
import threading

import pytest

from conftest_pg import ENV, pg_server, pg_url  # noqa: F401  (fixtures)
from service.config import Settings
from service.store import SqliteStore, StoreError, open_store

if os.environ.get(ENV):   # CI: a missing driver fails, it does not skip
    import psycopg
else:
    psycopg = pytest.importorskip("psycopg", reason="psycopg missing: pip install 'vnproof[postgres]'")


def test_open_store_picks_the_backend(tmp_path, pg_url):
    from service.store_pg import PgStore
    sqlite = open_store(Settings(db_path=tmp_path / "s.sqlite3"))
    pg = open_store(Settings(db_path=tmp_path / "unused.sqlite3", database_url=pg_url))
    try:
        assert isinstance(sqlite, SqliteStore) and isinstance(pg, PgStore)
        assert not (tmp_path / "unused.sqlite3").exists()
    finally:
        sqlite.close()
        pg.close()


@pytest.mark.parametrize("url, says", [
    ("mysql://u:hunter2@db/x", "must be a PostgreSQL URL"),
    ("postgresql://u:hunter2@127.0.0.1:1/x", "cannot use the PostgreSQL database at postgresql://u:***@127.0.0.1:1/x"),
    ("postgresql://u:hunter2@[bad", "PostgreSQL"),
])
def test_bad_or_unreachable_database_fails_readably(tmp_path, url, says):
    with pytest.raises(StoreError) as e:
        open_store(Settings(db_path=tmp_path / "s.sqlite3", database_url=url))
    assert says in str(e.value) and "hunter2" not in str(e.value)


def test_serve_refuses_to_start_without_its_database(monkeypatch, capsys):
    from service import cli
    from service.config import get_settings
    monkeypatch.setenv("VNPROOF_DATABASE_URL", "postgresql://u:hunter2@127.0.0.1:1/x")
    get_settings.cache_clear()
    try:
        assert cli.main(["--port", "1"]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert "cannot use the PostgreSQL database" in err and "hunter2" not in err


def test_auth_without_any_key_refuses_to_start(pg_url, monkeypatch, capsys):
    from service import cli
    from service.config import get_settings
    monkeypatch.setenv("VNPROOF_DATABASE_URL", pg_url)
    monkeypatch.setenv("VNPROOF_AUTH", "true")
    get_settings.cache_clear()
    try:
        assert cli.main(["--port", "1"]) == 2
    finally:
        get_settings.cache_clear()
    assert "no API key" in capsys.readouterr().err


def test_nodes_starting_together_create_the_schema_once(pg_url):
    """Concurrent CREATE TABLE IF NOT EXISTS can collide in the catalogue; the advisory lock orders them."""
    from service.store_pg import PgStore
    n = 6
    barrier, stores, errors = threading.Barrier(n), [], []

    def start() -> None:
        barrier.wait()
        try:
            stores.append(PgStore(pg_url))
        except Exception as e:  # pragma: no cover (the failure this test is for)
            errors.append(e)
    threads = [threading.Thread(target=start) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert not errors and len(stores) == n
        assert all(s.ping() for s in stores)
    finally:
        for s in stores:
            s.close()


def test_concurrent_writers_lose_nothing(pg_url):
    from service.store_pg import PgStore
    stores = [PgStore(pg_url, max_size=3), PgStore(pg_url, max_size=3)]   # as two nodes would
    errors = []

    def writer(n: int) -> None:
        try:
            for k in range(25):
                stores[n % 2].add("t", [f"từ-{n}-{k}"])
                stores[(n + 1) % 2].add_usage("t", "2026-12-01", 1, 10)
        except Exception as e:  # pragma: no cover
            errors.append(e)
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert not errors
        assert len(stores[0].words("t")) == 6 * 25
        assert stores[1].usage("t") == [("2026-12-01", 150, 1500)]
    finally:
        for s in stores:
            s.close()


def test_values_postgres_cannot_hold_are_refused_clearly(pg_url):
    from service.store_pg import PgStore
    store = PgStore(pg_url)
    try:
        with pytest.raises(ValueError, match="NUL"):
            store.add("t", ["a\x00b"])
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            store.add_usage("t", "1/12/2026", 1, 1)
        with pytest.raises(ValueError):
            store.add_usage("t", "2026-13-40", 1, 1)
        assert store.words("t") == [] and store.usage("t") == []
    finally:
        store.close()


def test_non_utf8_database_is_refused(pg_server):
    from service.store_pg import PgStore
    from conftest_pg import with_database
    name = "vnproof_latin1"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")
    try:
        with pytest.raises(StoreError, match="UTF8"):
            PgStore(with_database(pg_server, name))
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


WRITER = """
import sys
from service.feedback import Feedback
from service.store_pg import PgStore
store, n = PgStore(sys.argv[1]), 0
while n < 100000:
    store.add("t", [f"từ-{n}"])
    store.record_feedback("t", [Feedback("R", f"từ-{n}", None, "added", 0.5, float(n))])
    sys.stdout.write(f"từ-{n}\\n")
    sys.stdout.flush()                 # acknowledged only after both commits
    n += 1
"""


def test_kill_9_during_writes_loses_no_acknowledged_write(pg_url):
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from service.store_pg import PgStore
    PgStore(pg_url).close()   # schema up front
    proc = subprocess.Popen([sys.executable, "-c", WRITER, pg_url], cwd=Path(__file__).resolve().parents[1],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    acked: list[str] = []
    reader = threading.Thread(target=lambda: acked.extend(line.rstrip("\n") for line in proc.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while len(acked) < 50:
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read() if proc.poll() else "slow"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    reader.join(10)
    store = PgStore(pg_url)
    try:
        words = set(store.words("t"))
        decided = {e.text for e in store.feedback("t")}
        assert acked and not [w for w in acked if w not in words or w not in decided]
    finally:
        store.close()
