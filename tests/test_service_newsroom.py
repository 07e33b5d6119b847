"""The newsroom loop in one process: tenants' house models, feedback, calibration, operator view."""
from __future__ import annotations

import io
import json
import tarfile
import zipfile

import numpy as np
import pytest
from fastapi.testclient import TestClient

from conftest_service import checker  # noqa: F401  (fixture)
from newsroom_corpus import LOCAL_NAME, LOCAL_SENTENCE, build_model, tar_of
from service.auth import hash_key
from service.dictionary import DictionaryStore
from service.feedback import Feedback, choose_threshold, parse_event, proposals, weekly

A, B, ADMIN = {"X-API-Key": "key-a"}, {"X-API-Key": "key-b"}, {"Authorization": "Bearer admin-key"}
RO = {"X-API-Key": "key-ro"}
CONTEXT = "VI_SPELLING_CONTEXT"
SLIP = "Kết quả đạt được là đáng ghi nhận, nói chúng là tốt."   # 'chúng' flagged at confidence ~0.8 (< 0.9)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return build_model(tmp_path_factory.mktemp("house") / "house")


@pytest.fixture()
def client(checker, tmp_path):  # noqa: F811
    from service.app import create_app
    from service.config import Settings

    settings = Settings(db_path=tmp_path / "db.sqlite3", auth=True,
                        api_keys={"a": hash_key("key-a"), "b": hash_key("key-b"), "ro": hash_key("key-ro")},
                        read_only_tenants=["ro"], admin_key_sha256=hash_key("admin-key"), house_cache=2)
    with TestClient(create_app(settings, checker=checker)) as c:
        yield c


def flagged(client, headers, text=LOCAL_SENTENCE) -> list[str]:
    r = client.post("/v1/check", json={"text": text}, headers=headers)
    assert r.status_code == 200, r.text
    return [i["text"] for i in r.json()["issues"]]


def event(conf: float, action: str, rule: str = CONTEXT, text: str = "chúng", at: float = 1.8e9) -> Feedback:
    return Feedback(rule, text, None, action, conf, at)


# --- the store ----------------------------------------------------------------------------------
def test_store_keeps_feedback_settings_and_usage_per_tenant(tmp_path):
    store = DictionaryStore(tmp_path / "s.sqlite3")
    assert store.record_feedback("a", [event(0.5, "applied", at=1.0), event(0.7, "ignored", at=2.0)]) == 2
    assert [e.action for e in store.feedback("a")] == ["applied", "ignored"]
    assert store.feedback("a", since=1.5) == [event(0.7, "ignored", at=2.0)]
    assert store.feedback("b") == []
    store.set_setting("a", "threshold", "0.6")
    store.set_setting("a", "threshold", "0.7")
    assert store.settings("a") == {"threshold": "0.7"} and store.settings("b") == {}
    store.add_usage("a", "2026-12-01", 1, 10)
    store.add_usage("a", "2026-12-01", 2, 5)
    store.add_usage("a", "2026-12-02", 1, 1)
    assert store.usage("a") == [("2026-12-01", 3, 15), ("2026-12-02", 1, 1)]   # oldest first, as PostgreSQL
    store.add("c", ["Đăk Tô"])
    assert store.tenants() == ["a", "c"]
    reopened = DictionaryStore(tmp_path / "s.sqlite3")
    assert len(reopened.feedback("a")) == 2 and reopened.words("c") == ["Đăk Tô"]


def test_store_refuses_an_unknown_action(tmp_path):
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError):
        DictionaryStore(tmp_path / "s.sqlite3").record_feedback("a", [event(0.5, "liked")])


# --- calibration, proposals, weeks --------------------------------------------------------------
def test_threshold_rises_when_editors_ignore_the_low_confidence_issues():
    events = [event(0.5 + i / 1000, "ignored") for i in range(100)] + [event(0.8 + i / 1000, "applied") for i in range(40)]
    got = choose_threshold(events, target=0.9, min_count=30)
    # the lowest: 40 real among 44 (0.909); one ignored issue more would be 40 / 45 < 0.9
    assert got.threshold == 0.596 and got.precision == 0.9091 and got.decisions == 44 and got.total == 140
    assert choose_threshold(events, target=1.0, min_count=30).threshold == 0.8


def test_threshold_falls_when_editors_apply_even_the_unsure_ones():
    events = [event(0.1 + i / 100, "applied") for i in range(80)] + [event(0.05, "ignored")]
    got = choose_threshold(events, target=0.9, min_count=30)
    assert got.threshold == pytest.approx(0.05) and got.precision == pytest.approx(80 / 81, abs=1e-4)


def test_threshold_needs_enough_decisions_and_ignores_other_rules():
    few = [event(0.9, "applied")] * 29
    assert choose_threshold(few, min_count=30).threshold is None
    other = [event(0.2, "ignored", rule="VI_TYPO_SPACE")] * 100 + [event(0.6, "applied")] * 30
    assert choose_threshold(other, min_count=30).threshold == 0.6


def test_tied_confidences_are_taken_together():
    events = [event(0.5, "applied")] * 27 + [event(0.5, "ignored")] * 3 + [event(0.4, "ignored")] * 10
    assert choose_threshold(events, target=0.9, min_count=30).threshold == 0.5
    assert choose_threshold(events, target=0.95, min_count=30).threshold is None


def test_words_added_again_and_again_are_proposed_unless_known():
    events = [event(0.5, "added", text="Pơ Kô")] * 3 + [event(0.5, "added", text="pơ  kô")] + \
             [event(0.5, "added", text="Lôc")] * 2 + [event(0.5, "added", text="Đăk Tô")] * 5
    assert proposals(events, known={"đăk tô"}) == [{"word": "Pơ Kô", "times": 4}]


def test_weekly_precision():
    week1, week2 = 1_796_000_000.0, 1_796_000_000.0 + 7 * 86400
    rows = weekly([event(0.5, "applied", at=week1), event(0.5, "ignored", at=week1), event(0.5, "applied", at=week2)])
    assert [(r["decisions"], r["precision"]) for r in rows] == [(2, 0.5), (1, 1.0)]
    assert rows[0]["week"] < rows[1]["week"]


@pytest.mark.parametrize("raw, msg", [
    ({"rule_id": "X", "text": "a", "action": "liked", "confidence": 0.5}, "action"),
    ({"rule_id": "X", "text": "a", "action": "applied", "confidence": 1.5}, "confidence"),
    ({"rule_id": "X", "text": "a", "action": "applied", "confidence": True}, "confidence"),
    ({"rule_id": "", "text": "a", "action": "applied", "confidence": 0.5}, "rule_id"),
    ({"rule_id": "X", "text": "a", "action": "applied", "confidence": 0.5, "who": 1}, "unknown"),
    ("applied", "object"),
])
def test_bad_events_are_refused(raw, msg):
    with pytest.raises(ValueError, match=msg):
        parse_event(raw)


# --- house models through the API ---------------------------------------------------------------
def test_house_model_upload_applies_to_its_tenant_only(client, model_dir):
    assert LOCAL_NAME in flagged(client, A) and LOCAL_NAME in flagged(client, B)
    r = client.put("/v1/models/house", content=tar_of(model_dir), headers=A)
    assert r.status_code == 201, r.text
    version = r.json()["version"]
    assert flagged(client, A) == [] and LOCAL_NAME in flagged(client, B)
    got = client.get("/v1/models/house", headers=A).json()
    assert got["model"]["version"] == version and got["model"]["bytes"] > 0
    assert client.get("/v1/models/house", headers=B).json()["model"] is None
    me = client.get("/v1/tenants/me", headers=A).json()
    assert me["model"]["version"] == version and me["usage"]["total"] == {"requests": 2, "chars": 2 * len(LOCAL_SENTENCE)}


def test_a_zip_of_the_model_files_works_too(client, model_dir):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in model_dir.iterdir():
            z.write(f, f.name)
    assert client.put("/v1/models/house", content=buf.getvalue(), headers=A).status_code == 201
    assert flagged(client, A) == []


def test_tenant_checkers_share_the_default_model_and_the_cache_is_bounded(client, model_dir, checker):  # noqa: F811
    house = client.app.state.house
    for headers in (A, B):
        assert client.put("/v1/models/house", content=tar_of(model_dir), headers=headers).status_code == 201
    a, b = house.checker("a", checker), house.checker("b", checker)
    assert a is not checker and a is house.checker("a", checker)          # cached
    default = checker.lm.models[0]
    assert a.lm.models[0] is default and b.lm.models[0] is default        # one default model object
    assert a.lexicon is checker.lexicon                                    # one lexicon
    assert isinstance(default.tri_keys.base, np.memmap)                    # page cache, not private memory
    assert house.cached() == 2
    client.put("/v1/models/house", content=tar_of(model_dir), headers=A)  # a new version for A
    house.checker("a", checker)
    assert house.cached() == 2                                             # house_cache=2: LRU evicts
    import gc
    import weakref

    b.check(SLIP)
    dropped = weakref.ref(b)
    a = b = None
    house._cache.clear()
    gc.collect()
    assert dropped() is None                                               # nothing else keeps it alive


def _tar(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            t.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def _file(name: str, data: bytes = b"x") -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), data


def test_archives_that_escape_or_link_are_refused(client, tmp_path):
    link = tarfile.TarInfo("meta.json")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    cases = {
        "outside": _tar([_file("../meta.json", b"{}")]),
        "absolute": _tar([_file("/tmp/meta.json", b"{}")]),
        "link or special": _tar([(link, None)]),
    }
    for why, data in cases.items():
        r = client.put("/v1/models/house", content=data, headers=A)
        assert r.status_code == 422 and why in r.json()["detail"], (why, r.text)
    assert not (tmp_path / "meta.json").exists()
    assert not list((tmp_path / "models").glob("*/.stage-*"))   # stage folders are cleaned up


def test_archive_size_limit(client):
    client.app.state.house.max_unpacked = 1000
    r = client.put("/v1/models/house", content=_tar([_file("meta.json", b"{" + b" " * 2000 + b"}")]), headers=A)
    assert r.status_code == 422 and "more than 1,000 bytes" in r.json()["detail"]


def test_upload_size_limit_is_a_413_and_checks_keep_their_own(checker, tmp_path, model_dir):  # noqa: F811
    from service.app import create_app
    from service.config import Settings

    settings = Settings(db_path=tmp_path / "d.sqlite3", auth=True, api_keys={"a": hash_key("key-a")},
                        max_upload_bytes=4000, max_text_chars=100)
    with TestClient(create_app(settings, checker=checker)) as c:
        r = c.put("/v1/models/house", content=tar_of(model_dir), headers=A)
        assert r.status_code == 413 and "upload too large: at most 4,000 bytes" in r.json()["detail"]
        assert c.post("/v1/check", json={"text": "a" * 2000}, headers=A).status_code == 413


def test_models_of_another_format_version_or_damaged_are_refused(client, model_dir, tmp_path):
    import shutil

    old = tmp_path / "old"
    shutil.copytree(model_dir, old)
    meta = json.loads((old / "meta.json").read_text())
    (old / "meta.json").write_text(json.dumps({**meta, "version": 1}))
    r = client.put("/v1/models/house", content=tar_of(old), headers=A)
    assert r.status_code == 422 and "v1" in r.json()["detail"] and "rebuild" in r.json()["detail"]
    (old / "meta.json").write_text(json.dumps(meta))
    np.save(old / "uni.npy", np.zeros(3, np.float32))
    r = client.put("/v1/models/house", content=tar_of(old), headers=A)
    assert r.status_code == 422 and "uni.npy" in r.json()["detail"]
    (old / "stray.sh").write_text("echo")
    assert "unexpected file" in client.put("/v1/models/house", content=tar_of(old), headers=A).json()["detail"]
    assert client.get("/v1/models/house", headers=A).json()["model"] is None


@pytest.mark.parametrize("body, status, msg", [
    (b"", 400, "empty body"),
    (b"\xff\xfe", 422, "UTF-8"),
    (b"not json\n", 422, "not JSON"),
    (b'{"title": "x"}\n', 422, "'text'"),
    (b"PK\x03\x04garbage", 422, "damaged"),
    (b"\x1f\x8bgarbage", 422, "damaged"),
    (__import__("gzip").compress(b"not json\n"), 422, "not JSON"),
])
def test_bad_uploads_are_clear_4xx(client, body, status, msg):
    r = client.put("/v1/models/house", content=body, headers=A)
    assert r.status_code == status and msg in r.json()["detail"], r.text


def test_uploads_need_a_key_with_write_rights(client, model_dir):
    assert client.put("/v1/models/house", content=tar_of(model_dir)).status_code == 401
    assert client.put("/v1/models/house", content=tar_of(model_dir), headers=RO).status_code == 403


def test_a_crash_leftover_never_loads(client, model_dir, checker):  # noqa: F811
    """A stage folder of a dead process and a version folder that `current` does not name are ignored."""
    import shutil

    house = client.app.state.house
    folder = house.root / "a"
    (folder / ".stage-999999999-dead").mkdir(parents=True)
    shutil.copytree(model_dir, folder / "20990101T000000Z-half")
    (folder / "20990101T000000Z-half" / "meta.json").unlink()   # as `vnproof train` leaves a crashed build
    assert house.version("a") is None and house.checker("a", checker) is checker
    assert house.cleanup() == 1 and not (folder / ".stage-999999999-dead").exists()
    assert LOCAL_NAME in flagged(client, A)


# --- feedback, calibration, operator view -------------------------------------------------------
def test_feedback_is_opt_in_and_calibration_moves_the_threshold(client):
    events = [{"rule_id": CONTEXT, "text": "chúng", "action": "ignored", "confidence": 0.5 + i / 500} for i in range(150)]
    events += [{"rule_id": CONTEXT, "text": "chúng", "action": "ignored" if i % 10 == 5 else "applied",
                "replacement": "chung", "confidence": 0.9 + i / 1000} for i in range(50)]   # 45 of 50 real
    assert client.post("/v1/feedback", json={"events": events}, headers=A).status_code == 403
    assert client.get("/v1/tenants/me", headers=A).json()["feedback_accepted"] is False
    assert client.put("/v1/admin/tenants/a", json={"feedback": True}, headers=ADMIN).status_code == 200
    assert client.get("/v1/tenants/me", headers=A).json()["feedback_accepted"] is True
    assert client.post("/v1/feedback", json={"events": events}, headers=A).json()["recorded"] == 200
    assert "chúng" in flagged(client, A, SLIP)
    dry = client.post("/v1/tenants/me/calibrate", json={"dry_run": True}, headers=A).json()
    assert dry["threshold"] == 0.9 and client.get("/v1/tenants/me", headers=A).json()["threshold"] == 0.45
    r = client.post("/v1/tenants/me/calibrate", headers=A).json()
    assert r["previous"] == 0.45 and r["threshold"] == 0.9 and r["changed"] and r["precision"] == 0.9
    me = client.get("/v1/tenants/me", headers=A).json()
    assert me["threshold"] == 0.9 and me["threshold_source"] == "tenant" and me["feedback_events"] == 200
    assert "chúng" not in flagged(client, A, SLIP) and "chúng" in flagged(client, B, SLIP)
    picky = client.post("/v1/check", json={"text": SLIP, "level": "picky"}, headers=A).json()["issues"]
    assert "chúng" in [i["text"] for i in picky]   # the tenant's threshold is its default level's
    def lt_flagged(headers):
        matches = client.post("/v2/check", data={"language": "vi", "text": SLIP}, headers=headers).json()["matches"]
        return [SLIP[m["offset"]:m["offset"] + m["length"]] for m in matches]
    assert "chúng" not in lt_flagged(A) and "chúng" in lt_flagged(B)


def test_calibration_with_too_few_decisions_keeps_the_threshold(client):
    client.put("/v1/admin/tenants/a", json={"feedback": True, "threshold": 0.6}, headers=ADMIN)
    client.post("/v1/feedback", json={"events": [{"rule_id": CONTEXT, "text": "x", "action": "applied",
                                                  "confidence": 0.7}] * 10}, headers=A)
    r = client.post("/v1/tenants/me/calibrate", json={"target": 0.9}, headers=A).json()
    assert r["threshold"] == 0.6 and not r["changed"] and "fewer than 30" in r["reason"]
    assert client.post("/v1/tenants/me/calibrate", json={"target": 2}, headers=A).status_code == 422
    assert client.post("/v1/tenants/me/calibrate", json={"bogus": 1}, headers=A).status_code == 422


@pytest.mark.parametrize("body", [{}, {"events": []}, {"events": "x"}, {"events": [{"rule_id": "X"}]}, [1]])
def test_bad_feedback_bodies_are_422(client, body):
    client.put("/v1/admin/tenants/a", json={"feedback": True}, headers=ADMIN)
    assert client.post("/v1/feedback", json=body, headers=A).status_code == 422


def test_proposals_and_report(client):
    client.put("/v1/admin/tenants/a", json={"feedback": True}, headers=ADMIN)
    added = [{"rule_id": "VI_SPELLING_NONWORD", "text": LOCAL_NAME, "action": "added", "confidence": 0.65}] * 3
    client.post("/v1/feedback", json={"events": added + [{"rule_id": CONTEXT, "text": "<b>chúng</b>",
                                                          "action": "applied", "confidence": 0.85}]}, headers=A)
    assert client.get("/v1/tenants/me/proposals", headers=A).json()["proposals"] == [{"word": LOCAL_NAME, "times": 3}]
    assert client.get("/v1/tenants/me/proposals", headers=B).json()["proposals"] == []
    client.post("/v1/dictionary", json={"words": [LOCAL_NAME]}, headers=A)
    assert client.get("/v1/tenants/me/proposals", headers=A).json()["proposals"] == []
    page = client.get("/report?apiKey=key-a")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "precision <b>25.0%</b>" in page.text and "VI_SPELLING_NONWORD" in page.text
    assert "<b>chúng</b>" not in client.get("/report?apiKey=key-a").text   # escaped
    assert client.get("/report").status_code == 401


def test_admin_routes_need_the_admin_key(client):
    assert client.get("/v1/admin/tenants", headers=A).status_code == 401
    assert client.get("/v1/admin/tenants").status_code == 401
    got = client.get("/v1/admin/tenants", headers=ADMIN).json()
    assert [t["tenant"] for t in got["tenants"]] == ["a", "b", "ro"]
    assert client.put("/v1/admin/tenants/b", json={"threshold": 1.5}, headers=ADMIN).status_code == 422
    assert client.put("/v1/admin/tenants/b", json={"feedback": "yes"}, headers=ADMIN).status_code == 422
    assert client.put("/v1/admin/tenants/b", json={}, headers=ADMIN).status_code == 422
    r = client.put("/v1/admin/tenants/b", json={"threshold": 0.3}, headers=ADMIN).json()
    assert r["threshold"] == 0.3
    assert client.put("/v1/admin/tenants/b", json={"threshold": None}, headers=ADMIN).json()["threshold"] == 0.45


def test_without_an_admin_key_configured_admin_routes_are_absent(checker, tmp_path):  # noqa: F811
    from service.app import create_app
    from service.config import Settings

    with TestClient(create_app(Settings(db_path=tmp_path / "d.sqlite3"), checker=checker)) as c:
        assert c.get("/v1/admin/tenants", headers=ADMIN).status_code == 404
        me = c.get("/v1/tenants/me").json()
        assert me["tenant"] == "default" and me["feedback_accepted"] is False


def test_threshold_option_of_the_library(checker):  # noqa: F811
    assert [i.text for i in checker.check(SLIP)] == ["chúng"]
    assert checker.check(SLIP, threshold=0.99) == []
    with pytest.raises(ValueError, match="threshold"):
        checker.check(SLIP, threshold=2)


# --- training jobs --------------------------------------------------------------------------------
def test_training_interrupted_by_a_dead_server_is_reported_failed(client):
    house = client.app.state.house
    house._status("a", {"state": "running", "started": 1.0, "pid": 999_999_999})
    got = client.get("/v1/models/house", headers=A).json()["training"]
    assert got["state"] == "failed" and "stopped during training" in got["error"] and "pid" not in got


def test_another_hosts_training_and_stages_are_not_judged_by_this_hosts_pids(client):
    """Nodes on different hosts share the models folder: a pid recorded by another host says
    nothing here, so its running job stays running (until past the training timeout) and its
    stage folder is left alone."""
    import time

    from service.house import HOST_TAG

    house = client.app.state.house
    house._status("a", {"state": "running", "started": time.time(), "pid": 999_999_999, "host": "other-node"})
    got = client.get("/v1/models/house", headers=A).json()["training"]
    assert got["state"] == "running" and "host" not in got and "pid" not in got
    assert "host" not in client.get("/v1/tenants/me", headers=A).json()["training"]
    r = client.put("/v1/models/house", content='{"text": "Xin chào."}\n'.encode(), headers=A)
    assert r.status_code == 409
    house._status("a", {"state": "running", "started": time.time() - house.train_timeout - 61,
                        "pid": 999_999_999, "host": "other-node"})
    assert client.get("/v1/models/house", headers=A).json()["training"]["state"] == "failed"
    foreign = house.root / "a" / ".stage-999999999-0123abcd-ffffffff"
    foreign.mkdir(parents=True)
    assert house.cleanup() == 0 and foreign.is_dir()
    own = house.stage("a")
    assert own.name.endswith("-" + HOST_TAG)
    assert house.cleanup() == 0 and own.is_dir()   # this process is alive


def test_a_second_training_while_one_runs_is_a_409_and_a_refused_upload_keeps_the_state(client):
    import os

    house = client.app.state.house
    house._status("a", {"state": "running", "started": 1.0, "pid": os.getpid()})
    r = client.put("/v1/models/house", content='{"text": "Xin chào."}\n'.encode(), headers=A)
    assert r.status_code == 409 and "already running" in r.json()["detail"]
    house._status("a", {"state": "ready", "version": "v0", "pid": os.getpid()})
    assert client.put("/v1/models/house", content=b"not json\n", headers=A).status_code == 422
    assert client.get("/v1/models/house", headers=A).json()["training"]["state"] == "ready"


def test_an_archive_of_articles_trains_a_model(client):
    from newsroom_corpus import articles

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("2026/12/bai.txt", "\n".join(a["text"] for a in articles(300)))
    r = client.put("/v1/models/house", content=buf.getvalue(), headers=A)
    assert r.status_code == 202, r.text
    _wait_ready(client, A)
    assert flagged(client, A) == [] and LOCAL_NAME in flagged(client, B)
    none = io.BytesIO()
    with zipfile.ZipFile(none, "w") as z:
        z.writestr("notes.doc", "x")
    r = client.put("/v1/models/house", content=none.getvalue(), headers=A)
    assert r.status_code == 422 and "no articles" in r.json()["detail"]


def test_unsafe_tenant_names_stay_inside_the_models_folder(tmp_path):
    from service.house import tenant_folder

    for name in ("../evil", "/etc", ".hidden", "a/b", "x" * 200):
        folder = tenant_folder(tmp_path, name)
        assert folder.parent == tmp_path and not folder.name.startswith(".")
    assert tenant_folder(tmp_path, "toa-soan_1").name == "toa-soan_1"


def test_vnproof_calibrate_command(tmp_path, capsys):
    from vnproof.cli import main

    db = tmp_path / "s.sqlite3"
    store = DictionaryStore(db)
    store.record_feedback("a", [event(0.3, "applied")] * 40 + [event(0.2, "ignored")] * 40)
    assert main(["calibrate", "--tenant", "a", "--db", str(db), "--dry-run"]) == 0
    assert json.loads(capsys.readouterr().out)["threshold"] == 0.3 and store.settings("a") == {}
    assert main(["calibrate", "--tenant", "a", "--db", str(db)]) == 0
    assert store.settings("a") == {"threshold": "0.3"}
    assert main(["calibrate", "--tenant", "b", "--db", str(db)]) == 0
    assert "no recorded decisions" in capsys.readouterr().err and store.settings("b") == {}
    with pytest.raises(SystemExit):
        main(["calibrate", "--tenant", "a", "--db", str(db), "--target", "3"])


def test_gzipped_jsonl_articles_train_a_model(client):
    import gzip

    from newsroom_corpus import articles, jsonl

    r = client.put("/v1/models/house", content=gzip.compress(jsonl(articles(300))), headers=A)
    assert r.status_code == 202, r.text
    _wait_ready(client, A)
    assert flagged(client, A) == []


def _wait_ready(client, headers) -> None:
    """Wait (up to a minute) for the tenant's training job to end, and require it to succeed."""
    import time

    for _ in range(600):
        got = client.get("/v1/models/house", headers=headers).json()
        if got["training"]["state"] != "running":
            break
        time.sleep(0.1)
    assert got["training"]["state"] == "ready", got
