"""Two real `vnproof serve` processes on different ports sharing one PostgreSQL database: a word
added through one node is honoured by the other at its next request, and a key made with
`vnproof keys add` works on both, and stops working on both once revoked (the key ring re-reads
keys at most a second apart)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest_pg import pg_server, pg_url  # noqa: F401  (fixtures)
from conftest_service import free_port
from service.auth import hash_key

httpx = pytest.importorskip("httpx")
REPO = Path(__file__).resolve().parents[1]
TEXT = "Ông ấy vảo tôi."


class Node:
    """`vnproof serve` in a subprocess, its log in a file."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc = subprocess.Popen([sys.executable, "-m", "vnproof.cli", "serve", "--port", str(self.port),
                                      "--log-level", "warning"], cwd=REPO, env=env,
                                     stdout=log.open("w"), stderr=subprocess.STDOUT)

    def wait_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if httpx.get(self.url + "/ready", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"node on {self.port} not ready (exit {self.proc.poll()}): {self.log.read_text()[-2000:]}")

    def flagged(self, key: str) -> list[str]:
        r = httpx.post(self.url + "/v2/check", data={"language": "vi", "text": TEXT, "apiKey": key}, timeout=30)
        assert r.status_code == 200, r.text
        return [TEXT[m["offset"]:m["offset"] + m["length"]] for m in r.json()["matches"]]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:  # pragma: no cover
            self.proc.kill()
            self.proc.wait()


def keys_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vnproof.cli", "keys", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)


def accepted_everywhere(nodes: list[Node], key: str, within: float = 15.0) -> list[dict]:
    """Each node's /v1/dictionary answer for `key`, once every node accepts it (401 until then)."""
    deadline, answers = time.monotonic() + within, {}
    while len(answers) < len(nodes) and time.monotonic() < deadline:
        for n in nodes:
            if n.port not in answers:
                r = httpx.get(n.url + "/v1/dictionary", headers={"X-API-Key": key}, timeout=10)
                if r.status_code == 200:
                    answers[n.port] = r.json()
                else:
                    assert r.status_code == 401, r.text
        time.sleep(0.1)
    assert len(answers) == len(nodes), "a key stored with `vnproof keys add` was not accepted by every node"
    return [answers[n.port] for n in nodes]


def test_two_nodes_share_one_postgres(pg_url, tmp_path):
    env = {**os.environ, "VNPROOF_DATABASE_URL": pg_url, "VNPROOF_AUTH": "true",
           "VNPROOF_API_KEYS": json.dumps({"alpha": hash_key("key-a")}), "VNPROOF_DB_PATH": str(tmp_path / "no.sqlite3")}
    nodes = [Node(env, tmp_path / "node1.log"), Node(env, tmp_path / "node2.log")]
    try:
        deadline = time.monotonic() + 120
        for n in nodes:
            n.wait_ready(deadline)
        one, two = nodes
        a = {"X-API-Key": "key-a"}

        # A word added through node 1 applies to node 2's very next check (reads are not cached).
        assert "vảo" in two.flagged("key-a")
        r = httpx.post(one.url + "/v1/dictionary", json={"words": ["vảo"]}, headers=a, timeout=10)
        assert r.json() == {"tenant": "alpha", "added": 1}
        assert "vảo" not in two.flagged("key-a")
        assert httpx.get(two.url + "/v2/words", params={"apiKey": "key-a"}).json() == {"words": ["vảo"]}
        r = httpx.post(two.url + "/v2/words/delete", data={"word": "vảo", "apiKey": "key-a"}, timeout=10)
        assert r.json() == {"deleted": True}
        assert "vảo" in one.flagged("key-a")

        # A key made with `vnproof keys add` while the nodes run works on both, for its own tenant.
        made = keys_cli(env, "add", "beta")
        assert made.returncode == 0, made.stderr
        key_b = made.stdout.strip()
        assert len(key_b) > 30 and key_b not in made.stderr
        assert [ans["tenant"] for ans in accepted_everywhere(nodes, key_b)] == ["beta", "beta"]
        r = httpx.post(two.url + "/v1/dictionary", json={"words": ["vảo"]}, headers={"X-API-Key": key_b}, timeout=10)
        assert r.json() == {"tenant": "beta", "added": 1}
        assert "vảo" not in one.flagged(key_b) and "vảo" in one.flagged("key-a")   # tenants stay apart

        # A read-only key reads on both nodes and may not write on either.
        made = keys_cli(env, "add", "desk", "--read-only")
        key_ro = made.stdout.strip()
        accepted_everywhere(nodes, key_ro)
        for n in nodes:
            r = httpx.post(n.url + "/v1/dictionary", json={"words": ["x"]}, headers={"X-API-Key": key_ro}, timeout=10)
            assert r.status_code == 403
        listed = keys_cli(env, "list").stdout
        assert "beta\t" in listed and "desk\t" in listed and "read-only" in listed and key_b not in listed

        # A revoked key stops working on both nodes.
        assert keys_cli(env, "revoke", hash_key(key_b)[:12]).returncode == 0
        deadline, refused = time.monotonic() + 15, set()
        while len(refused) < 2 and time.monotonic() < deadline:
            for n in nodes:
                if httpx.get(n.url + "/v1/dictionary", headers={"X-API-Key": key_b}, timeout=10).status_code == 401:
                    refused.add(n.port)
            time.sleep(0.1)
        assert len(refused) == 2, "a revoked key still works on a node"
    finally:
        for n in nodes:
            n.stop()
