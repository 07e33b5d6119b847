"""PostgreSQL for the tests (imported by name from tests/test_store*.py).

`VNPROOF_TEST_DATABASE_URL` names a server whose role may CREATE DATABASE (CI starts one in
`.ci/run`). Without it, a throwaway cluster is started here when `initdb` is found (on PATH or in
Debian's /usr/lib/postgresql/*/bin), as the `postgres` user when running as root; else the tests
that need PostgreSQL skip, saying so. Each test gets a fresh database, dropped afterwards.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ENV = "VNPROOF_TEST_DATABASE_URL"


def pg_bin(name: str) -> str | None:
    """A PostgreSQL program: on PATH, else the newest of Debian's versioned folders."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                      key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return versions[-1] if versions else None


class Cluster:
    """initdb + pg_ctl in a temporary folder, listening on a unix socket there only."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            raise RuntimeError("initdb/pg_ctl not found (apt-get install postgresql)")
        self.prefix: list[str] = []
        self.root = Path(tempfile.mkdtemp(prefix="vnpg-"))   # short: a socket path has ~100 bytes
        if os.geteuid() == 0:   # initdb refuses root: run the server as the postgres user
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root and there is no 'postgres' user to run the server") from None
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.data = self.root / "data"

    def _run(self, *args: str) -> None:
        r = subprocess.run([*self.prefix, *args], capture_output=True, text=True, timeout=120)
        if r.returncode:
            raise RuntimeError(f"{' '.join(args[:2])} failed ({r.returncode}): {r.stderr.strip() or r.stdout.strip()}")

    def start(self) -> str:
        self._run(self.initdb, "-D", str(self.data), "-U", "vnproof", "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        opts = f"-c listen_addresses='' -k {self.root} -p 5432 -c fsync=off -c synchronous_commit=off " \
               "-c full_page_writes=off"
        self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.root / "log"), "-o", opts, "-w", "-s", "start")
        return f"postgresql://vnproof@/postgres?host={self.root}&port=5432"

    def stop(self) -> None:
        try:
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "-s", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name` instead."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def pg_server():
    """The URL of a PostgreSQL server whose role may create databases."""
    url = os.environ.get(ENV)
    if url:   # CI: never skip
        import psycopg  # noqa: F401
        yield url
        return
    pytest.importorskip("psycopg", reason="psycopg missing: pip install 'vnproof[postgres]'")
    if not (pg_bin("initdb") and pg_bin("pg_ctl")):
        pytest.skip(f"{ENV} is unset and initdb is not installed, so no PostgreSQL to test against "
                    "(bash .ci/run installs and starts one)")
    cluster = Cluster()
    try:
        yield cluster.start()
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty database on the test server (dropped afterwards)."""
    import psycopg

    name = "vnproof_t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
    try:
        yield with_database(pg_server, name)
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
