"""The newsroom loop of tests/test_service_newsroom_live.py against PostgreSQL (issue #16, "Done
when"): two `vnproof serve` processes on different ports share one database and one models folder
(VNPROOF_MODELS_DIR). A model trained through node 1 is used by node 2; decisions recorded through
both nodes are calibrated through node 2 and the threshold applies on node 1; a word added through
node 1 is honoured by node 2; each within a second of the write being acknowledged."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from conftest_pg import pg_server, pg_url  # noqa: F401  (fixtures)
from newsroom_corpus import LOCAL_NAME, LOCAL_SENTENCE, articles, jsonl
from test_service_newsroom_live import (ADMIN, REPO, SLIP, A, B, Server, _wait_trained, cut_above, editor_decisions,
                                        slip_confidence)

httpx = pytest.importorskip("httpx")
pytest.importorskip("psycopg")
WITHIN = 1.0           # seconds: "honoured by the other within a second"
NONWORD = "nhât"       # flagged for both tenants (confidence ~0.98, above any calibrated cut) until added to a dictionary


class Counted:
    """Tenant A's requests as sent, to compare with the usage both nodes record in the shared store."""

    def __init__(self) -> None:
        self.requests = self.chars = 0

    def flagged(self, node: Server, headers: dict, text: str) -> list[str]:
        if headers is A:
            self.requests += 1
            self.chars += len(text)
        return node.flagged(headers, text)

    def slip_confidence(self, node: Server) -> float:
        self.requests += 1
        self.chars += len(SLIP)
        return slip_confidence(node, A)

    def soon(self, node: Server, headers: dict, text: str, present: bool, word: str) -> float:
        """Seconds until `word` is (present) or is not flagged in `text` on `node`; fails past WITHIN."""
        start = time.monotonic()
        while True:
            if (word in self.flagged(node, headers, text)) == present:
                return time.monotonic() - start
            if time.monotonic() - start > WITHIN:
                raise AssertionError(f"node on port {node.port}: {word!r} still {'not ' if present else ''}"
                                     f"flagged {WITHIN:g} s after the write through the other node")
            time.sleep(0.05)


def test_newsroom_loop_on_two_nodes_sharing_postgres(pg_url, tmp_path):
    models = tmp_path / "models"
    env = {"VNPROOF_DATABASE_URL": pg_url, "VNPROOF_MODELS_DIR": str(models)}
    (tmp_path / "n1").mkdir()
    (tmp_path / "n2").mkdir()
    one = Server(tmp_path / "n1", env)
    two = Server(tmp_path / "n2", env)
    a = Counted()
    try:
        one.start()
        two.start()
        assert one.port != two.port

        # Before: the local name is flagged for both tenants, on both nodes.
        b_before = {n.port: httpx.post(n.url + "/v1/check", json={"text": LOCAL_SENTENCE}, headers=B).json()["issues"]
                    for n in (one, two)}
        assert [[i["text"] for i in v] for v in b_before.values()] == [[LOCAL_NAME], [LOCAL_NAME]]
        for n in (one, two):
            assert LOCAL_NAME in a.flagged(n, A, LOCAL_SENTENCE)

        # Train A's model from 2,000 articles through node 1; node 2 sees the job and the model.
        r = httpx.put(one.url + "/v1/models/house", content=jsonl(articles(2000)), headers=A, timeout=60)
        assert r.status_code == 202 and r.json()["state"] == "running", r.text
        done = _wait_trained(one, A)
        assert done["training"]["state"] == "ready", done
        version = done["model"]["version"]
        assert version == done["training"]["version"] and done["model"]["syllables"] > 100_000
        assert (models / "a" / "current").read_text().strip() == version   # in the shared folder
        seen = httpx.get(two.url + "/v1/models/house", headers=A, timeout=10).json()
        assert seen["model"]["version"] == version and seen["training"]["state"] == "ready"

        # A's checks through node 2 use it (within a second), B's stay as they were on both nodes.
        a.soon(two, A, LOCAL_SENTENCE, present=False, word=LOCAL_NAME)
        assert LOCAL_NAME not in a.flagged(two, A, f"Bà con xã {LOCAL_NAME} trồng lúa và nuôi cá.")
        assert LOCAL_NAME not in a.flagged(one, A, LOCAL_SENTENCE)
        for n in (one, two):
            b_after = httpx.post(n.url + "/v1/check", json={"text": LOCAL_SENTENCE}, headers=B).json()["issues"]
            assert b_after == b_before[n.port]
            assert httpx.get(n.url + "/v1/models/house", headers=B).json()["model"] is None

        # 200 editor decisions, half through each node (feedback switched on through node 2).
        assert httpx.put(two.url + "/v1/admin/tenants/a", json={"feedback": True}, headers=ADMIN).status_code == 200
        cut = cut_above(a.slip_confidence(one))   # the slip is flagged on node 1 before calibrating
        events = editor_decisions(cut)
        for n, half in ((one, events[:100]), (two, events[100:])):
            r = httpx.post(n.url + "/v1/feedback", json={"events": half}, headers=A)
            assert r.status_code == 200 and r.json()["recorded"] == 100, r.text
            assert httpx.post(n.url + "/v1/feedback", json={"events": half[:1]}, headers=B).status_code == 403

        # The command line reads the same database and agrees (dry run).
        cli = subprocess.run([sys.executable, "-m", "vnproof.cli", "calibrate", "--tenant", "a", "--dry-run"],
                             capture_output=True, text=True, cwd=REPO, timeout=60,
                             env={**os.environ, "VNPROOF_DATABASE_URL": pg_url})
        assert cli.returncode == 0, cli.stderr
        assert json.loads(cli.stdout)["threshold"] == cut and json.loads(cli.stdout)["decisions"] == 200

        # Calibrate through node 2; node 1 applies the new threshold within a second.
        r = httpx.post(two.url + "/v1/tenants/me/calibrate", headers=A).json()
        assert r["previous"] == 0.45 and r["threshold"] == cut and r["decisions"] == 200, r
        a.soon(one, A, SLIP, present=False, word="chúng")
        for n in (one, two):
            assert "chúng" in n.flagged(B, SLIP)
            assert httpx.get(n.url + "/v1/tenants/me", headers=B).json()["threshold"] == 0.45

        # A word added to A's dictionary through node 1 is honoured by node 2 within a second.
        text = f"Ông ấy {NONWORD} định đi."
        assert NONWORD in a.flagged(two, A, text) and NONWORD in two.flagged(B, text)
        r = httpx.post(one.url + "/v1/dictionary", json={"words": [NONWORD]}, headers=A, timeout=10)
        assert r.json() == {"tenant": "a", "added": 1}
        a.soon(two, A, text, present=False, word=NONWORD)
        assert NONWORD in two.flagged(B, text) and NONWORD in one.flagged(B, text)

        # Both nodes give the same operator view: model, threshold, decisions, dictionary, and
        # usage that counts every check of A's on either node, once.
        views = [httpx.get(n.url + "/v1/tenants/me", headers=A).json() for n in (one, two)]
        for me in views:
            assert me["model"]["version"] == version and me["threshold"] == cut
            assert me["feedback_events"] == 200 and me["dictionary_words"] == 1
            assert me["usage"]["total"] == {"requests": a.requests, "chars": a.chars}, (me["usage"], a.requests)
        assert views[0]["usage"] == views[1]["usage"]
        assert "precision" in httpx.get(one.url + "/report", headers=A).text
    finally:
        for n in (one, two):
            if n.proc is not None:
                n.stop()
