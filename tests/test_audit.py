"""End to end: `vnproof audit` on the seed article as an HTML page, a TCVN3 .txt and a JSONL dump."""
from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest

from vnproof.audit.cli import main

_spec = importlib.util.spec_from_file_location("audit_fixtures", Path(__file__).parent / "fixtures" / "audit" / "build.py")
fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fx)



@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    root = tmp_path_factory.mktemp("audit")
    src = fx.seed_folder(root / "in")
    (src / "broken.txt").write_bytes(bytes(range(256)) * 40)      # not text: reported, run goes on
    out = root / "out"
    assert main([str(src), "-o", str(out), "--no-progress"]) == 0
    issues = [json.loads(l) for l in (out / "issues.jsonl").read_text(encoding="utf-8").splitlines()]
    with open(out / "articles.csv", encoding="utf-8") as fh:
        arts = list(csv.DictReader(fh))
    return src, out, issues, arts


def test_three_reports(audited):
    _, out, issues, arts = audited
    for name in ("issues.jsonl", "articles.csv", "report.html"):
        assert (out / name).stat().st_size > 0
    assert len(arts) == 5  # html, tcvn3 txt, 2 jsonl records, broken file


@pytest.mark.parametrize("suffix", ["dakto-2022.html", "dakto-2022-tcvn3.txt", "cms-1001"])
def test_seed_typos_found_in_every_copy(audited, suffix):
    _, _, issues, _ = audited
    mine = [i for i in issues if i["article_id"].endswith(suffix)]
    found = {(i["text"], i["fix"]) for i in mine}
    assert ("vảo", "bảo") in found
    assert any(t == "nhât" for t, _ in found)
    for i in mine:
        assert set(i) >= {"article_id", "offset", "length", "context", "replacements", "fix", "rule_id", "category"}
        assert f"[{i['text']}]" in i["context"]


def test_no_issue_from_boilerplate(audited):
    _, _, issues, _ = audited
    for i in issues:
        for junk in fx.BOILERPLATE:
            assert junk.lower() not in i["context"].lower(), (junk, i["context"])
        assert "ĐĂK TÔ - TỈNH" not in i["context"]


def test_tcvn3_converted_and_checked(audited):
    _, out, issues, arts = audited
    row = next(a for a in arts if a["id"].endswith("tcvn3.txt"))
    assert row["conversions"] == "tcvn3" and row["status"] == "ok"
    assert int(row["words"]) > fx.MIN_WORDS and int(row["issues"]) >= 2
    assert "tcvn3" in (out / "report.html").read_text(encoding="utf-8")
    html_row = next(a for a in arts if a["id"].endswith(".html"))
    assert html_row["conversions"] == "" and html_row["date"] == fx.DATE
    assert html_row["title"].startswith(fx.TITLE)


def test_undecodable_file_reported(audited):
    _, out, _, arts = audited
    row = next(a for a in arts if a["id"].endswith("broken.txt"))
    assert row["status"] == "error" and "binary" in row["error"]
    assert "Không đọc được" in (out / "report.html").read_text(encoding="utf-8")


def test_report_html_self_contained_and_escaped(audited, tmp_path):
    _, out, _, _ = audited
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<svg" in page and "<script>" in page and 'id="articles"' in page
    assert "src=\"http" not in page and "<link" not in page
    # Hostile metadata is escaped.
    src = tmp_path / "in"
    src.mkdir()
    (src / "x.jsonl").write_text(json.dumps({"id": "<script>alert(1)</script>", "title": "<img src=x onerror=alert(1)>",
                                             "text": "Toàn dân vảo vệ an ninh Tổ quốc <b>đẹp</b>."}) + "\n",
                                 encoding="utf-8")
    assert main([str(src), "-o", str(tmp_path / "out"), "--no-progress"]) == 0
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_rerun_is_idempotent(audited):
    src, out, _, _ = audited
    before = (out / "issues.jsonl").read_bytes(), (out / "articles.csv").read_bytes()
    assert main([str(src), "-o", str(out), "--no-progress"]) == 0
    assert ((out / "issues.jsonl").read_bytes(), (out / "articles.csv").read_bytes()) == before


def test_changed_options_refused_without_restart(audited):
    src, out, _, _ = audited
    assert main([str(src), "-o", str(out), "--no-progress", "--level", "picky"]) == 2
