"""What the runner passes to the checker: publication dates, levels, accepted archive words."""
from __future__ import annotations

import pytest

from vnproof.audit import runner
from vnproof.audit.inputs import Item
from vnproof.audit.runner import AuditConfig, process
from vnproof.audit.synth import page


@pytest.fixture(autouse=True)
def _restore_contexts():
    saved = dict(runner._CONTEXTS)
    yield
    runner._CONTEXTS.clear()
    runner._CONTEXTS.update(saved)


class _Recorder:
    def __init__(self):
        self.calls = []

    def check(self, text, **opts):
        self.calls.append(opts)
        return []


def _with_fake_checker(cfg: AuditConfig, accept=frozenset()):
    ctx = runner._Context.__new__(runner._Context)
    ctx.checker, ctx.accept = _Recorder(), accept
    runner._CONTEXTS[cfg.key()] = ctx
    return ctx.checker


def test_pub_date_from_page_only_when_asked():
    html = page("Tiêu đề", "Nội dung bài viết về hội nghị tổng kết năm.", date="2021-03-05").encode()
    item = Item("p.html", "p.html", "html", html, {"id": "p.html"})
    for flag, want in ((False, None), (True, "2021-03-05")):
        cfg = AuditConfig(pub_date_from_page=flag, level="picky")
        rec = _with_fake_checker(cfg)
        res = process(item, 0, cfg)
        assert res["status"] == "ok" and res["meta"]["date"] == "2021-03-05"
        assert rec.calls[-1].get("pub_date") == want and rec.calls[-1]["level"] == "picky"


def test_record_date_field_always_used_and_words_accepted():
    cfg = AuditConfig(accept="x")
    rec = _with_fake_checker(cfg, accept=frozenset({"xơk"}))
    item = Item("d.jsonl:1", "d.jsonl", "record", {"text": "Lễ xơk của đồng bào."}, {"id": "r1", "date": "5/6/2020",
                                                                                       "date_from": "field"})
    res = process(item, 3, cfg)
    assert res["id"] == "r1" and res["seq"] == 3 and res["words"] == 5
    assert rec.calls[-1]["pub_date"] == "2020-06-05" and rec.calls[-1]["dictionary"] == frozenset({"xơk"})


def test_bad_input_is_an_error_row_not_an_exception():
    res = process(Item("b.txt", "b.txt", "txt", b"\x00\x01\x02" * 1000, {"id": "b.txt"}), 7, AuditConfig())
    assert res["status"] == "error" and res["issues"] == [] and res["seq"] == 7
