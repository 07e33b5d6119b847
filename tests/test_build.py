"""dictionaries/build.py and its source modules: registry, text cleaning, options (no network, no cache)."""
from __future__ import annotations

import gzip
import io
import sys
import tarfile
from collections import Counter
from pathlib import Path

import msgpack
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dictionaries import build  # noqa: E402
from dictionaries.sources import TEXT_SOURCES, all_packages, merge, wordfreq  # noqa: E402
from dictionaries.sources.common import is_syllable, normalise_word  # noqa: E402
from dictionaries.sources.debian_pins import DEB_PINS  # noqa: E402
from dictionaries.sources.fetch import DEB_LICENCE, Archive  # noqa: E402
from dictionaries.sources.textclean import clean_line, is_vietnamese_prose  # noqa: E402

SYLLABLES = set("bấm nút để lưu tệp tin của bạn vào thư mục mở trang đầu tiên".split())


def test_every_package_is_pinned_with_a_licence():
    packages = all_packages()
    assert {p.kind for p in packages} == {"pypi", "deb"}
    for p in packages:
        assert p.version and p.licence, p
        if p.kind == "deb":
            assert p.licence == DEB_LICENCE and DEB_PINS[p.name] == p.version
    assert sorted(p.name for p in packages if p.kind == "deb") == sorted(DEB_PINS)  # no stale pin


def test_text_sources_are_unique_and_declare_their_packages():
    names = [s.name for s in TEXT_SOURCES]
    assert len(names) == len(set(names)) == 10
    for s in TEXT_SOURCES:
        assert s.packages and 0 < s.weight <= 1 and s.domain, s.name
    assert {s.name: s.min_tokens for s in TEXT_SOURCES}["kodi-ui"] == 3


@pytest.mark.parametrize("raw,clean", [
    ("_Mở tệp %s", "Mở tệp"),
    ("  1. Bấm nút  &Lưu\u00a0để lưu  ", "Bấm nút Lưu để lưu"),
    ("-c, --config=FILE đọc tệp cấu hình", "đọc tệp cấu hình"),
    ("Đã lưu {count} tệp vào %(dir)s[24]", "Đã lưu tệp vào"),
    ("Nghe\u0323 tha\u0301ng  ba", "Nghẹ tháng ba"),  # NFC, spaces collapsed
])
def test_clean_line(raw, clean):
    assert clean_line(raw) == clean


@pytest.mark.parametrize("line,keep", [
    ("Bấm nút để lưu tệp tin của bạn", True),
    ("Bấm nút để lưu tệp tin của bạn vào /usr/lib/x.so", False),   # code
    ("Bấm nút lưu", False),                                        # too short
    ("Press the button to save your file", False),                 # not Vietnamese
    ("Bấm nút Save File Download Now để lưu", False),              # too many unknown tokens
    ("mở trang dau tien cua ban", False),                          # too few marked syllables
])
def test_prose_filter(line, keep):
    assert is_vietnamese_prose(line, SYLLABLES) is keep


def test_prose_filter_minimum_length_is_a_parameter():
    assert is_vietnamese_prose("Lưu tệp tin", SYLLABLES, min_tokens=3)
    assert not is_vietnamese_prose("Lưu tệp tin", SYLLABLES)


def test_syllable_and_word_filters():
    assert all(is_syllable(s) for s in ("nghiêng", "quốc", "hoà", "hòa", "được"))
    assert not any(is_syllable(s) for s in ("hoaf", "nhât1", "strength", "hóà", ""))
    # the checker's grammar: no stripped stop-coda forms, foreign shapes or misspelt onsets
    assert not any(is_syllable(s) for s in ("cac", "môt", "room", "gen", "iên", "chyển", "ngĩ"))
    assert normalise_word("Quần_Chúng") == "quần chúng"
    assert normalise_word("xin") is None and normalise_word("a b c d e") is None


def test_merge_syllables_and_words():
    hamster = Counter({"chung": 90, "cac": 9})
    syllables = merge.build_syllables(hamster, {"riêng": 0.1, "xyz": 0.5}, Counter({"nói": 10}),
                                      {"nói", "tạo"})
    assert set(syllables) >= {"chung", "riêng", "nói", "tạo"} and "xyz" not in syllables
    assert syllables["riêng"] == round(0.1 * 99) and syllables["tạo"] == 1
    words = merge.build_words(Counter({"nói chung": 7, "nói": 10}), [{"cải tạo", "nói chung"}], syllables)
    assert words == Counter({"nói chung": 7})  # "cải" is not a known syllable


def test_abbreviations_merge_keeps_first_spelling_and_marks_common():
    rows = merge.build_abbreviations([[("UBND", "Ủy ban  nhân dân"), ("XYZ", "một")],
                                      [("UBND", "ủy ban nhân dân"), ("UBND", "Uỷ ban nhân dân"), ("123", "số")]])
    assert rows == [("UBND", "Ủy ban nhân dân | Uỷ ban nhân dân", 1), ("XYZ", "một", 0)]


def test_wordfreq_buckets_are_read_with_msgpack(tmp_path):
    packed = msgpack.packb([{"format": "cB", "version": 1}, ["của"], [], ["và", "Của"]])
    path = tmp_path / "wordfreq-3.1.1.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        data = gzip.compress(packed)
        info = tarfile.TarInfo("wordfreq/data/small_vi.msgpack.gz")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    buckets = wordfreq._buckets(Archive(path), "vi")
    assert buckets == [["của"], [], ["và", "Của"]]


def test_missing_open_corpus_is_a_clear_error(tmp_path, capsys):
    missing = tmp_path / "no-such-corpus"
    with pytest.raises(SystemExit) as exc:
        build.parse_args(["--open-corpus", str(missing)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "--open-corpus DIR" in err and "--no-open-corpus" in err


def test_open_corpus_options(tmp_path):
    assert build.parse_args(["--open-corpus", str(tmp_path)]).open_corpus == tmp_path
    assert build.parse_args(["--no-open-corpus"]).open_corpus is None
    assert build.parse_args(["--skip-lm", "--open-corpus", str(tmp_path / "x")]).skip_lm
    assert build.DEFAULT_OPEN_CORPUS == REPO.parent / "shared" / "open-corpus"
    with pytest.raises(SystemExit):
        build.parse_args(["--no-open-corpus", "--open-corpus", str(tmp_path)])
