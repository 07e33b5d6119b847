"""kill -9 in the middle of an audit, re-run: only the rest is done, reports identical."""
from __future__ import annotations

import importlib.util
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("audit_fixtures", Path(__file__).parent / "fixtures" / "audit" / "build.py")
fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fx)



def _audit(src: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "vnproof.cli", "audit", str(src), "-o", str(out),
                             "--workers", "1", "--no-progress", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _done(out: Path) -> int:
    db = out / "state.sqlite"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2) as con:
            return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def _counts(out: Path) -> tuple[int, int]:
    with sqlite3.connect(out / "state.sqlite") as con:
        return con.execute("SELECT COUNT(*), COUNT(DISTINCT key) FROM articles").fetchone()


def test_kill9_and_resume(tmp_path):
    src = fx.small_articles(tmp_path / "in", n=40, paragraphs=4)
    ref = tmp_path / "ref"
    p = _audit(src, ref, "--workers", "2")
    assert p.wait(120) == 0, p.stderr.read().decode()

    out = tmp_path / "out"
    p = _audit(src, out)
    deadline = time.monotonic() + 60
    while _done(out) < 3 and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert p.poll() is None, "the audit finished before it could be killed"
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    first = _done(out)
    assert 0 < first < 40
    assert not (out / "report.html").exists()

    p = _audit(src, out)
    assert p.wait(120) == 0, p.stderr.read().decode()
    assert _counts(out) == (40, 40)
    for name in ("issues.jsonl", "articles.csv"):
        assert (out / name).read_bytes() == (ref / name).read_bytes(), name
    assert b"v\xe1\xba\xa3o" in (out / "issues.jsonl").read_bytes()  # "vảo"
