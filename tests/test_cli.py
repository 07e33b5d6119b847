"""CLI: `vnproof check` and `vnproof train`, run as a subprocess like a user would."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TYPO_TEXT = "Dòng đầu đúng chính tả.\nTôi thích ăn cơm vảo buổi tối.\n"
CLEAN_TEXT = "Hôm nay trời đẹp.\nChúng tôi đi học.\n"
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): .*\[(?P<rule>[A-Z0-9_]+)\](?: → (?P<fix>.+))?$")


def run(*args, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vnproof.cli", *map(str, args)], input=stdin,
                          capture_output=True, cwd=cwd or REPO, timeout=120)


@pytest.fixture()
def files(tmp_path):
    typo = tmp_path / "typo.txt"
    typo.write_text(TYPO_TEXT, encoding="utf-8")
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN_TEXT, encoding="utf-8")
    return typo, clean


def test_check_reports_file_line_col_rule_and_fix(files):
    typo, _ = files
    r = run("check", typo)
    assert r.returncode == 1, r.stderr
    out = r.stdout.decode("utf-8")
    heads = [m for m in map(LINE.match, out.splitlines()) if m]
    hit = [m for m in heads if "vảo" in m.group(0)]
    assert hit, out
    m = hit[0]
    assert m.group("file") == str(typo)
    assert (int(m.group("line")), int(m.group("col"))) == (2, TYPO_TEXT.splitlines()[1].index("vảo") + 1)
    assert m.group("rule") == "VI_SPELLING_NONWORD"
    assert m.group("fix") in ("vào", "bảo")
    assert "Tôi thích ăn cơm vảo buổi tối." in out   # the line in context
    assert "Traceback" not in r.stderr.decode()


def test_clean_file_exits_zero(files):
    _, clean = files
    r = run("check", clean)
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert r.stdout.decode().strip() == ""


def test_json_format(files):
    typo, clean = files
    r = run("check", "--format", "json", typo, clean)
    assert r.returncode == 1
    rows = [json.loads(line) for line in r.stdout.decode("utf-8").splitlines() if line.strip()]
    assert rows
    for row in rows:
        assert {"file", "offset", "length", "text", "replacements", "rule_id", "category",
                "message", "message_en", "confidence"} <= set(row)
        assert row["file"] == str(typo)
        assert TYPO_TEXT[row["offset"]:row["offset"] + row["length"]] == row["text"]
    assert any(r["text"] == "vảo" for r in rows)


def test_stdin(files):
    r = run("check", "-", stdin=TYPO_TEXT.encode("utf-8"))
    assert r.returncode == 1
    assert "vảo" in r.stdout.decode("utf-8")
    assert run("check", "-", stdin=CLEAN_TEXT.encode("utf-8")).returncode == 0


def test_utf8_bom_and_crlf_file(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + TYPO_TEXT.replace("\n", "\r\n").encode("utf-8"))
    r = run("check", "--format", "json", p)
    assert r.returncode == 1
    rows = [json.loads(x) for x in r.stdout.decode().splitlines() if x.strip()]
    text = TYPO_TEXT.replace("\n", "\r\n")
    assert any(text[x["offset"]:x["offset"] + x["length"]] == "vảo" for x in rows)


def test_invalid_utf8_is_a_clear_error(tmp_path):
    p = tmp_path / "legacy.txt"
    p.write_bytes("Tiếng Việt ".encode("utf-8") + b"\xff\xfe bad \xc3\x28")
    r = run("check", p)
    assert r.returncode == 2
    err = r.stderr.decode("utf-8")
    assert "UTF-8" in err and str(p) in err
    assert "Traceback" not in err


def test_missing_file_is_a_clear_error(tmp_path):
    r = run("check", tmp_path / "nope.txt")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr.decode()


def test_english_messages(files):
    typo, _ = files
    out = run("check", "--english", typo).stdout.decode("utf-8")
    vi = run("check", typo).stdout.decode("utf-8")
    assert "Vietnamese" in out and out != vi


def test_disable_rule(files):
    typo, _ = files
    r = run("check", "--disable", "VI_SPELLING_NONWORD", typo)
    assert "VI_SPELLING_NONWORD" not in r.stdout.decode()


def test_help_and_unknown_command():
    assert run("--help").returncode == 0
    r = run("frobnicate")
    assert r.returncode == 2 and "Traceback" not in r.stderr.decode()


def test_train_writes_loadable_model(tmp_path):
    from vnproof.lm import NgramModel

    corpus = tmp_path / "corpus.txt"
    corpus.write_text("Hôm nay trời đẹp lắm.\nChúng tôi đi học ở trường.\n" * 50, encoding="utf-8")
    out = tmp_path / "model"
    r = run("train", corpus, "-o", out)
    assert r.returncode == 0, r.stderr
    m = NgramModel.load(out)
    assert m.meta["kind"] == "house" and m.meta["syllables"] > 0
    assert "hom0" in m.vocab or any(k.startswith("hôm") for k in m.vocab)
    # and the checker accepts it on the command line; impossible syllables are still reported
    r = run("check", "--model", out, "-", stdin="Chúng tôi nhât định thắng.\n".encode("utf-8"))
    assert r.returncode == 1 and "nhât" in r.stdout.decode("utf-8"), r.stderr


def test_check_with_broken_model_is_a_clear_error(tmp_path):
    (tmp_path / "m").mkdir()
    r = run("check", "--model", tmp_path / "m", "-", stdin=CLEAN_TEXT.encode("utf-8"))
    err = r.stderr.decode("utf-8")
    assert "vnproof train" in err
    assert r.returncode == 2
    assert "Traceback" not in err


def test_train_missing_corpus_is_an_error(tmp_path):
    r = run("train", tmp_path / "missing.txt", "-o", tmp_path / "m")
    assert r.returncode == 2 and "Traceback" not in r.stderr.decode()


def test_version_rules_and_help_for_every_option():
    assert run("--version").stdout.decode().startswith("vnproof ")
    rules = run("rules").stdout.decode()
    assert "VI_SPELLING_NONWORD" in rules and "VI_ABBREVIATION_UNDEFINED" in rules
    helptext = run("check", "--help").stdout.decode()
    for option in ("--format", "--level"):
        block = helptext[helptext.index(option):].split("\n  -", 1)[0]
        assert len(block.split()) > 4, block          # the option has a description


def test_docx_matches_the_same_text_as_plain_text(tmp_path):
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    for line in TYPO_TEXT.splitlines():
        doc.add_paragraph(line)
    path = tmp_path / "draft.docx"
    doc.save(path)
    plain = tmp_path / "draft.txt"
    plain.write_text(TYPO_TEXT.rstrip("\n"), encoding="utf-8")
    r = run("check", "--format", "json", path, plain)
    rows = [json.loads(line) for line in r.stdout.decode("utf-8").splitlines()]
    by_file = {}
    for row in rows:
        by_file.setdefault(row["file"], []).append((row["offset"], row["length"], row["line"], row["column"]))
    assert by_file[str(path)] and by_file[str(path)] == by_file[str(plain)]
    off, n, line, col = by_file[str(path)][0]
    assert (line, col) == (2, TYPO_TEXT.splitlines()[1].index("vảo") + 1)


def test_missing_file_prints_no_summary_and_context_keeps_whole_words(tmp_path):
    r = run("check", tmp_path / "missing.txt")
    assert r.returncode == 2 and "issue(s)" not in r.stderr.decode() and "error" in r.stderr.decode()
    long = tmp_path / "long.txt"
    words = "Chúng tôi tổ chức hội nghị tổng kết công tác cải cách hành chính tại địa phương"
    long.write_text(f"{words} vảo {words}.", encoding="utf-8")
    out = run("check", long).stdout.decode("utf-8").splitlines()
    snippet = out[1].strip()
    assert set(snippet.split()) <= set(f"{words} vảo {words}.".split())   # no word cut in half


def test_audit_without_its_extra_names_the_extra(tmp_path, monkeypatch, capsys):
    from vnproof.cli import main

    monkeypatch.setitem(sys.modules, "tqdm", None)          # as after `pip install ".[service]"`
    (tmp_path / "a.txt").write_text("Toàn dân vảo vệ an ninh.", encoding="utf-8")
    assert main(["audit", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "tqdm" in err and "vnproof[audit]" in err
