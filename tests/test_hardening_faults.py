"""Load and faults, bounded and on loopback only: slow and half-open clients, `kill -9` of a worker in
the middle of requests, `kill -9` of a process writing to the dictionary database."""
from __future__ import annotations

import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from conftest_service import free_port

REPO = Path(__file__).resolve().parents[1]
TEXT = "Ông ấy vảo tôi đi họp ở Đăk Tô. Quân chúng nhât dân đã tham gia. "


class Served:
    """`vnproof serve` in a subprocess on a loopback port; stopped (and waited for) on exit."""

    def __init__(self, tmp_path: Path, *args: str, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, VNPROOF_DB_PATH=str(tmp_path / "served.sqlite3"), **(env or {}))
        self.args = ["--port", str(self.port), "--log-level", "warning", *args]
        self.log = tmp_path / f"serve-{self.port}.log"

    def __enter__(self) -> "Served":
        self.logf = open(self.log, "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "vnproof.cli", "serve", *self.args], env=self.env,
                                     stdout=self.logf, stderr=subprocess.STDOUT, cwd=REPO)
        self.wait_ready(60)
        return self

    def wait_ready(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                if httpx.get(self.url + "/ready", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "service not ready\n" + self.log.read_text()
            time.sleep(0.1)

    def __exit__(self, *exc) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self.logf.close()


def _closed_by_server(sock: socket.socket) -> bool:
    """True when the peer closed the connection (EOF or reset), False while it is still open."""
    sock.settimeout(0.2)
    try:
        while sock.recv(4096):      # whatever was still unread (a response's body), then EOF
            pass
        return True
    except socket.timeout:
        return False
    except (ConnectionResetError, BrokenPipeError):
        return True


def test_slow_and_half_open_clients_do_not_block_others(tmp_path):
    with Served(tmp_path, "--header-timeout", "1.5", "--timeout-keep-alive", "1") as srv:
        socks = []
        try:
            for n in range(30):
                s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
                if n % 3 == 1:      # half a request line
                    s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty")
                elif n % 3 == 2:    # full head, then a body that stalls after 10 of 500 bytes
                    s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                              b"Content-Length: 500\r\n\r\n{\"text\": \"")
                socks.append(s)     # n % 3 == 0: connects and says nothing
            # Meanwhile a normal client is served at once (generous bound: 2 shared cores).
            with httpx.Client(base_url=srv.url, timeout=10) as http:
                for _ in range(5):
                    t0 = time.monotonic()
                    r = http.post("/v1/check", json={"text": TEXT})
                    assert r.status_code == 200 and r.json()["issues"]
                    assert time.monotonic() - t0 < 5
            # Connections without a complete request head are dropped after --header-timeout.
            time.sleep(2.5)
            silent = [s for n, s in enumerate(socks) if n % 3 != 2]
            closed = sum(_closed_by_server(s) for s in silent)
            assert closed == len(silent), f"only {closed} of {len(silent)} stalled connections were closed"
            assert httpx.get(srv.url + "/health", timeout=5).status_code == 200
        finally:
            for s in socks:
                s.close()


def test_idle_keep_alive_and_oversized_heads_are_closed(tmp_path):
    with Served(tmp_path, "--header-timeout", "30", "--timeout-keep-alive", "1") as srv:
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        try:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert s.recv(4096).startswith(b"HTTP/1.1 200")
            time.sleep(2)
            assert _closed_by_server(s)
        finally:
            s.close()
        # A request head past the h11 limit (64 KiB) is refused, not buffered without end.
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
            try:
                s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + b"a" * 200_000)
            except (BrokenPipeError, ConnectionResetError):
                pass
            try:
                reply = s.recv(4096)
            except ConnectionResetError:
                reply = b""
            assert reply == b"" or reply.startswith(b"HTTP/1.1 4"), reply[:100]
        assert httpx.get(srv.url + "/health", timeout=5).status_code == 200


def _workers(pid: int) -> list[int]:
    psutil = pytest.importorskip("psutil")
    out = []
    for k in psutil.Process(pid).children(recursive=True):
        try:
            if k.status() == psutil.STATUS_ZOMBIE:
                continue  # a killed worker not reaped yet
            # uvicorn's spawn-based supervisor also starts a resource tracker: workers are the ones serving.
            if "multiprocessing.resource_tracker" not in " ".join(k.cmdline()):
                out.append(k.pid)
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            continue
    return sorted(out)


def test_kill_9_worker_mid_request_service_keeps_answering(tmp_path):
    long_text = TEXT * 1200     # ~80k chars: a second or more of checking per request
    with Served(tmp_path, "--workers", "2") as srv:
        deadline = time.monotonic() + 60
        while len(_workers(srv.proc.pid)) < 2:
            assert time.monotonic() < deadline, "workers did not start"
            time.sleep(0.2)
        before = _workers(srv.proc.pid)

        def long_request(_):
            try:
                return httpx.post(srv.url + "/v1/check", json={"text": long_text}, timeout=60).status_code
            except httpx.HTTPError as e:
                return type(e).__name__

        with ThreadPoolExecutor(4) as pool:
            inflight = [pool.submit(long_request, n) for n in range(4)]
            time.sleep(0.8)                            # the four requests are being checked
            victim = before[0]
            os.kill(victim, signal.SIGKILL)
            # The surviving worker keeps answering while the killed one is replaced.
            ok = 0
            with httpx.Client(base_url=srv.url, timeout=30) as http:
                for _ in range(10):
                    try:
                        ok += http.post("/v1/check", json={"text": TEXT}).status_code == 200
                    except httpx.HTTPError:
                        pass
            results = [f.result(timeout=90) for f in inflight]
        assert ok >= 9, f"only {ok}/10 requests answered after the kill"
        # Requests in flight on the killed worker fail fast (connection reset); none hangs. Which
        # worker accepted which connection is up to the kernel, so all four may have been lost.
        assert all(r == 200 or r in ("RemoteProtocolError", "ReadError", "ConnectError") for r in results), results
        # The supervisor replaces the dead worker (uvicorn checks worker health every few seconds).
        deadline = time.monotonic() + 60
        while True:
            now = _workers(srv.proc.pid)
            if len(now) == 2 and victim not in now:
                break
            assert time.monotonic() < deadline, f"worker not replaced: {before} -> {now}"
            time.sleep(0.3)
        srv.wait_ready(60)
        with httpx.Client(base_url=srv.url, timeout=30) as http:
            assert all(http.post("/v1/check", json={"text": TEXT}).status_code == 200 for _ in range(6))


WRITER = textwrap.dedent("""
    import sys
    from service.dictionary import DictionaryStore
    store = DictionaryStore(sys.argv[1])
    tenant, n = sys.argv[2], 0
    while n < 200000:
        words = [f"{tenant}-từ-{n}-{k}" for k in range(1 + n % 3)]
        store.add(tenant, words)               # committed when this returns
        for w in words:
            sys.stdout.write(w + "\\n")
        sys.stdout.flush()                     # acknowledged only after the commit
        n += 1
""")


def _ack_reader(proc: subprocess.Popen, acked: list[str]) -> threading.Thread:
    def read():
        for line in proc.stdout:
            acked.append(line.rstrip("\n"))
    t = threading.Thread(target=read, daemon=True)
    t.start()
    return t


@pytest.mark.parametrize("round_", range(3))
def test_kill_9_during_dictionary_writes_loses_no_acknowledged_word(tmp_path, round_):
    """Two writer processes (as two workers would be) share the database; one is SIGKILLed at a random
    moment, then the other. Every word acknowledged after its commit is there, and the file is sound."""
    db = tmp_path / "dict.sqlite3"
    from service.dictionary import DictionaryStore
    DictionaryStore(db)                          # create schema + WAL up front
    rnd = random.Random(round_)
    procs, acked, readers = [], {}, []
    for tenant in ("alpha", "beta"):
        p = subprocess.Popen([sys.executable, "-c", WRITER, str(db), tenant], cwd=REPO, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, encoding="utf-8")
        acked[tenant] = []
        readers.append(_ack_reader(p, acked[tenant]))
        procs.append(p)
    try:
        deadline = time.monotonic() + 30
        while min(len(a) for a in acked.values()) < 20:   # both are writing
            assert time.monotonic() < deadline and all(p.poll() is None for p in procs), \
                [p.stderr.read() for p in procs if p.poll() is not None]
            time.sleep(0.02)
        for p in procs:
            time.sleep(rnd.uniform(0.05, 0.6))
            p.send_signal(signal.SIGKILL)
            p.wait(10)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait(10)
    for t in readers:
        t.join(10)
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    store = DictionaryStore(db)
    for tenant, words in acked.items():
        assert words, tenant
        stored = set(store.words(tenant))
        missing = [w for w in words if w not in stored]
        assert not missing, f"{len(missing)} acknowledged words lost for {tenant}: {missing[:5]}"
        # Tenants' words stay apart.
        assert all(w.startswith(tenant + "-") for w in stored)
    print(f"round {round_}: killed after {[len(a) for a in acked.values()]} acknowledged words, none lost")
