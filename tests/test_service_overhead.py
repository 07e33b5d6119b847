"""The faster per-request steps of the service against the plain versions they replaced."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, quote

import numpy as np
import pytest
from fastapi import HTTPException
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest_service import checker  # noqa: F401  (fixture)
from service import bodies, checking, lt_format
from vnproof.language import MIN_WORDS, WORD, detect

# Characters that matter to each step, mixed with any text.
FORM_CHARS = st.sampled_from(list("%+&=aAfF09gz \\xé\u1ea1😀") + ["%2", "%C3", "%A9", "%ff", "%ed%a0%80", "%e1%ba%a1"])
SENTENCE_CHARS = st.sampled_from(list(".!?…\"'”’»)] \t\n\r\u00a0\u2028ab1"))


def _mixed(chars: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.lists(chars, max_size=40).map("".join), st.text(max_size=40))


def _parse_qs_reference(text: str) -> dict[str, str] | str:
    try:
        return dict(parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict"))
    except UnicodeDecodeError:
        return "400"


@given(_mixed(FORM_CHARS))
@settings(max_examples=500)
@example("language=vi&text=" + quote("Tôi đi hoc vảo buổi sáng. 😀 \\x41 %zz", safe=""))
@example("a=%ed%a0%80")        # a surrogate's UTF-8: not text
@example("a=%C3\u00e9")        # a lead byte, then a literal character
@example("%41%4=%4G&&x&=y")
def test_form_parsing_matches_urllib(text):
    try:
        got: dict[str, str] | str = bodies._parse_qs(text, "form body")
    except HTTPException as e:
        assert e.status_code == 400
        got = "400"
    assert got == _parse_qs_reference(text)


_OLD_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|\n+")


def _sentence_ranges_reference(text: str) -> list[tuple[int, int]]:
    """`lt_format.sentence_ranges` before it was made faster (main at bd2b438)."""
    out, start = [], 0
    for m in _OLD_SENTENCE_END.finditer(text):
        end = m.end() if not m.group().startswith("\n") else m.start()
        if text[start:end].strip():
            out.append((start, end))
        start = m.end()
        while start < len(text) and text[start] in " \t":
            start += 1
    if text[start:].strip():
        out.append((start, len(text)))
    return out or [(0, len(text))]


@given(_mixed(SENTENCE_CHARS))
@settings(max_examples=1000)
@example("Một. Hai! \tBa?” Bốn…\n\n  Năm.) sáu\r\nBảy")
def test_sentence_ranges_match_the_plain_loop(text):
    assert lt_format.sentence_ranges(text) == _sentence_ranges_reference(text)


FACTS_CHARS = st.sampled_from(list(".!?… \t\n\r\u00a0'”)") + ["\n\n", "\n  ", "😀", "ΑΣ", "Σ", "a\u0301",
                                                                 "\u0301", "Tôi", "đi", "học", "the", "of", "hop"])


@given(_mixed(FACTS_CHARS))
@settings(max_examples=1000)
@example("Hôm nay trời đẹp. 😀 Tôi đi học.\nThe end.")
@example("a.\n\t b. \n\n  \nc.”\n")
def test_text_facts_are_the_texts_own(text):
    """Put together from the lines' facts, the same as over the whole text."""
    lt_format.text_facts.cache_clear()
    detected, sentences, starts, ranges16 = lt_format.text_facts(text)
    assert detected == detect(text) and sentences == _sentence_ranges_reference(text)
    assert starts == [a for a, _ in sentences]
    assert ranges16 == tuple((len(text[:a].encode("utf-16-le", "surrogatepass")) // 2,
                              len(text[:b].encode("utf-16-le", "surrogatepass")) // 2) for a, b in sentences)
    assert lt_format.text_facts(text) is lt_format.text_facts(text[:] + "")   # kept: equal texts share them


@given(_mixed(st.sampled_from(list("ab1 _-\u0301\u0323\u1ea1ạ.\n"))))
@settings(max_examples=500)
@example("a\u0301 b\u0323 c d")   # NFD: the marks split words until NFC joins them
def test_short_paragraph_test_counts_words_as_before(text):
    assert checking._short(text) == (len(WORD.findall(unicodedata.normalize("NFC", text))) < MIN_WORDS)


@pytest.mark.parametrize("auth", [False, True])
def test_check_makes_one_thread_hand_off(checker, tmp_path, monkeypatch, auth):  # noqa: F811
    """A `/v2/check` and a `/v1/check` hand work to the thread pool once (the tenant's store
    reads and usage, then the check), plus once to authenticate when keys are on."""
    from fastapi.testclient import TestClient

    import service.auth
    import service.languagetool
    import service.native
    from service.app import create_app
    from service.auth import hash_key
    from service.config import Settings

    calls = []

    def counting(module):
        real = module.run_in_threadpool

        async def run_in_threadpool(fn, *args, **kw):
            calls.append(fn.__name__)
            return await real(fn, *args, **kw)
        monkeypatch.setattr(module, "run_in_threadpool", run_in_threadpool)
    for module in (service.auth, service.languagetool, service.native):
        counting(module)
    keys = {"auth": True, "api_keys": {"t": hash_key("k")}} if auth else {}
    headers = {"Authorization": "Bearer k"} if auth else {}
    with TestClient(create_app(Settings(db_path=tmp_path / "db.sqlite3", **keys), checker=checker)) as client:
        assert client.post("/v2/check", data={"language": "vi", "text": "Tôi đi hoc."}, headers=headers).status_code == 200
        assert client.post("/v1/check", json={"text": "Tôi đi hoc."}, headers=headers).status_code == 200
    assert calls == (["authenticate", "_run"] * 2 if auth else ["_run"] * 2)


def test_issue_dicts_are_asdicts(checker):  # noqa: F811
    """`Issue.to_dict()` copies plain fields directly: the same dict as `dataclasses.asdict`
    (category as its id), key order and JSON included, and `asdict`'s copy for anything else."""
    import dataclasses
    import json

    from test_hardening_properties import RULE_GENERATORS
    from vnproof import Issue

    texts = ["Tôi đi hoc vảo buổi sáng , hôm nay trời đẹp nhât.  Ông  ấy nói:“xin chào”"]
    texts += [make(2000, 0) for make in RULE_GENERATORS.values()]
    issues = [i for t in texts for level in ("default", "picky") for i in checker.check(t, level=level)]
    nested = Issue(0, 1, "a", ("b",), "X", "style", "m", "m", extra={"nested": {"k": [1]}})
    issues.append(nested)
    assert len(issues) > 100 and any(i.extra for i in issues)
    for i in issues:
        want = {**dataclasses.asdict(i), "category": str(i.category)}
        assert json.dumps(i.to_dict(), ensure_ascii=False) == json.dumps(want, ensure_ascii=False)
    d = nested.to_dict()
    assert d["replacements"] == ("b",) and d["extra"]["nested"] is not nested.extra["nested"]   # a deep copy


def test_a_response_goes_out_in_one_send():
    """The head and body of a response leave in one write; a lone write at the loop's next turn;
    nothing is held past close()."""
    import asyncio

    from service.cli import _OneSendTransport

    class Fake:
        def __init__(self):
            self.writes, self.closed = [], False

        def write(self, data):
            assert not self.closed
            self.writes.append(data)

        def close(self):
            self.closed = True

        def is_closing(self):
            return self.closed

    async def main():
        fake = Fake()
        t = _OneSendTransport(fake, asyncio.get_running_loop())
        t.write(b"HTTP/1.1 200 OK\r\n\r\n")
        t.write(b"body")
        t.write(b"")                     # h11's end of a Content-Length message
        assert fake.writes == [b"HTTP/1.1 200 OK\r\n\r\nbody"]
        t.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        assert len(fake.writes) == 1
        await asyncio.sleep(0)           # the loop's next turn
        assert fake.writes[1:] == [b"HTTP/1.1 100 Continue\r\n\r\n"]
        t.write(b"last")
        assert not t.is_closing()        # the transport's own answer
        t.close()
        assert fake.writes[2:] == [b"last"] and fake.closed
    asyncio.run(main())


@given(st.one_of(st.lists(st.sampled_from(list('"\\[]{}a\n') + ['\\"', '"\\\\"', "\\u00e9"]), max_size=40).map("".join),
                 st.text(max_size=40)))
@settings(max_examples=1000)
def test_json_depth_scan_skips_the_strings_it_skipped(text):
    """The depth check's string pattern removes exactly what the plain alternation removed."""
    old = re.compile(r'"(?:[^"\\]|\\.)*"')
    assert bodies._JSON_STRINGS.sub("", text) == old.sub("", text)


_JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-2**63, 2**63 - 1),
    st.text(alphabet=st.characters(exclude_categories=("Cs",))),   # any text but lone surrogates (refused earlier)
    # the answers' floats: confidences (3 decimals), seconds (4), offsets as numbers
    st.floats(0, 1e9, allow_nan=False).map(lambda x: round(x, 3)),
    st.floats(0, 1, allow_nan=False).map(lambda x: round(x, 4)))
_JSON = st.recursive(_JSON_LEAVES, lambda kids: st.one_of(
    st.lists(kids, max_size=6), st.dictionaries(st.text(max_size=8), kids, max_size=6)), max_leaves=40)


@given(_JSON)
@settings(max_examples=500)
@example({"matches": [{"message": "«vảo» \u2028 \x00 \"x\" \\", "offset": 0, "confidence": 0.001}],
          "seconds": 0.0001, "language": {"code": "vi-VN"}})
@example({"score": np.float64(0.125), "n": [np.float64(1e-3), (1, "a")]})   # a float subclass, a tuple
def test_check_answers_have_the_bytes_json_dumps_gave(value):
    """The check endpoints' orjson encoding (`service.responses`) writes what Starlette's
    JSONResponse (json.dumps, compact, UTF-8) wrote for every value an answer holds."""
    from fastapi.responses import JSONResponse

    from service.responses import FastJSONResponse

    assert FastJSONResponse(value).body == JSONResponse(value).body
