"""Fuzz targets: one function per target, taking raw bytes, raising only on a real bug.

Shared by the atheris runner (`run_atheris.py`, coverage-guided, long runs) and the hypothesis
tests in `test_fuzz.py` (short runs in CI). Each target asserts the invariants of its code, so a
wrong answer fails as loudly as a crash.
"""
from __future__ import annotations

import unicodedata

TARGETS = ("tokenize", "syllable", "encodings")


def text_of(data: bytes) -> str:
    """Bytes -> a str that may hold anything, lone surrogates included (first byte picks how)."""
    if not data:
        return ""
    mode, body = data[0] % 4, data[1:]
    if mode == 0:
        return body.decode("utf-8", "replace")
    if mode == 1:
        return body[: len(body) // 2 * 2].decode("utf-16-le", "surrogatepass")
    if mode == 2:
        return unicodedata.normalize("NFD", body.decode("utf-8", "replace"))
    return body.decode("latin-1")


def fuzz_tokenize(data: bytes) -> None:
    from vnproof.tokenize import Kind, tokenize

    text = text_of(data)
    doc = tokenize(text)
    assert doc.text is text
    prev, prev_sentence = (0, 0), 0
    for t in doc.tokens:
        assert 0 <= t.start <= t.end <= len(text), t
        # Tokens never overlap, except that pieces of one combining cluster ("&" + U+0331 when the
        # text needed normalising) each map back to the whole cluster.
        assert t.start >= prev[1] or _one_cluster(text[t.start:max(prev[1], t.end)]), ("overlapping tokens", t)
        assert text[t.start:t.end] == t.text, t
        assert isinstance(t.kind, Kind) and t.sentence >= prev_sentence
        prev, prev_sentence = (t.start, max(t.end, prev[1])), t.sentence


def _one_cluster(s: str) -> bool:
    return bool(s) and all(unicodedata.combining(c) for c in s[1:])


def fuzz_syllable(data: bytes) -> None:
    from vnproof.syllable import compose, from_telex, from_vni, is_valid, parse, parse_loose, restyle, to_telex

    s = text_of(data)[:16]
    for cand in (s, s.lower(), unicodedata.normalize("NFC", s.lower())):
        p = parse(cand)
        if p is not None:
            assert 0 <= p.tone <= 5
            for style in ("new", "old"):
                assert parse(p.compose(style)) == p, (cand, p, style)
            assert from_telex(to_telex(cand)) == compose(p.onset, p.rhyme, p.tone, "new"), cand
            assert is_valid(cand)
        parse_loose(cand)
        restyle(cand, "old")
        restyle(cand, "new")
    for decode in (from_telex, from_vni):
        out = decode(s)
        assert out is None or (isinstance(out, str) and parse(out) is not None), (decode.__name__, s, out)


_DECLARED = (None, "utf-8", "cp1258", "windows-1252", "latin-1", "utf-16", "utf-7", "idna", "punycode",
             "unicode_escape", "raw_unicode_escape", "undefined", "hex", "rot13", "no-such-codec")


def fuzz_encodings(data: bytes) -> None:
    from vnproof.audit import encodings as E

    declared = _DECLARED[data[0] % len(_DECLARED)] if data else None
    raw = data[1:]
    try:
        text, notes = E.decode_bytes(raw, declared)
    except E.UndecodableError:
        pass
    else:
        assert isinstance(text, str) and all(isinstance(n, str) for n in notes)
        text.encode("utf-8")                                  # no lone surrogates come out
        assert unicodedata.is_normalized("NFC", text)
    s = text_of(raw)
    fixed, notes = E.fix_text(s)
    assert isinstance(fixed, str) and isinstance(notes, list)
    for encode in (E.encode_tcvn3, E.encode_vni, E.encode_viqr, E.encode_cp1258):
        assert isinstance(encode(s), bytes)
    for decode in (E.decode_tcvn3, E.decode_vni, E.decode_viqr):
        assert isinstance(decode(s), str)
    E.vietnamese_score(s)
    # Round trips on Vietnamese text (small letters: TCVN3 has no toned capitals).
    vi = "".join(c for c in unicodedata.normalize("NFC", s.lower()) if c in _VI_LETTERS)
    if vi:
        assert E.decode_vni(E.encode_vni(vi).decode("cp1252")) == vi, vi
        assert E.decode_tcvn3(E.encode_tcvn3(vi).decode("latin-1")) == vi, vi


def _vi_letters() -> frozenset[str]:
    from vnproof.text import VIETNAMESE_LETTERS
    return frozenset(c for c in VIETNAMESE_LETTERS if c.islower()) | {" "}


_VI_LETTERS = _vi_letters()

FUZZERS = {"tokenize": fuzz_tokenize, "syllable": fuzz_syllable, "encodings": fuzz_encodings}
