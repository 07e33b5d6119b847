"""Input readers: discovery, text/id fields of JSONL and CSV, WARC, boilerplate of text copies."""
from __future__ import annotations

import csv
import gzip
import io
import json

from vnproof.audit.boilerplate import strip_lines
from vnproof.audit.inputs import discover, iso_date, read_articles, ReadOptions
from vnproof.audit.synth import page

BODY = "Sáng nay, Công an huyện tổ chức hội nghị tổng kết phong trào toàn dân vảo vệ an ninh Tổ quốc."


def test_discover_dirs_globs_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "a.html", "c.jsonl", "skip.pdf", "b/1.csv"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])]
    assert found == ["a.html", "b/1.csv", "b/2.txt", "c.jsonl"]
    assert [p.name for p in discover([str(tmp_path / "**" / "*.txt")])] == ["2.txt"]


def test_jsonl_and_csv_fields(tmp_path):
    with open(tmp_path / "dump.jsonl", "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"nid": 7, "body": BODY, "published": "20/04/2022", "title": "T"}) + "\n")
        fh.write("{not json\n")
    with open(tmp_path / "dump.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["nid", "body", "published"])
        w.writerow(["c1", BODY, "2021-12-01"])
    errors = []
    arts = list(read_articles([tmp_path], ReadOptions(text_field="body", id_field="nid", date_field="published"),
                              on_error=lambda item, e: errors.append(item.key)))
    assert [(a.id, a.meta.get("date")) for a in arts] == [("c1", "2021-12-01"), ("7", "2022-04-20")]
    assert arts[1].text == BODY and arts[1].meta["title"] == "T"
    assert len(errors) == 1 and errors[0].endswith("dump.jsonl:2")


def test_warc(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        body = page("Hội nghị", BODY, date="2022-04-20").encode("utf-8")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://example.vn/a", "response", payload=io.BytesIO(body),
                                            http_headers=headers))
        img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://example.vn/x.png", "response", payload=io.BytesIO(b"\x89PNG"),
                                            http_headers=img))
    arts = list(read_articles([path]))
    assert len(arts) == 1
    a = arts[0]
    assert a.id == "https://example.vn/a" and a.meta["url"] == "https://example.vn/a"
    assert "vảo vệ" in a.text and "Số lượt xem" not in a.text and "Tổng số người truy cập" not in a.text


def test_gzipped_jsonl(tmp_path):
    with gzip.open(tmp_path / "a.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "g1", "text": BODY}) + "\n")
    assert [a.id for a in read_articles([tmp_path])] == ["g1"]


def test_text_copy_furniture_removed():
    saved = ("banner\nThứ 4,\xa0ngày 18 tháng 5 năm 2022\n" + BODY + "\nSố lượt xem:29\nline_weight BÀI VIẾT LIÊN QUAN:\n"
             "Địa chỉ: số 217 Lê Duẩn\n155826 Tổng số người truy cập: 198 Số người online:\n")
    text, removed = strip_lines(saved)
    assert text == BODY and removed >= 5


def test_iso_date():
    assert iso_date("2022-04-20T10:00:00+07:00") == "2022-04-20"
    assert iso_date("20-4-2022") == "2022-04-20"
    assert iso_date("không rõ") is None
