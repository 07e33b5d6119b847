"""Long texts and the time budget: parts cut at paragraph breaks, offsets into the whole text,
and one deadline that covers the rules as well as spelling."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from vnproof import chunks

EXAMPLE = (Path(__file__).resolve().parent.parent / "examples" / "bai-viet-mau.txt").read_text(encoding="utf-8")


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(st.sampled_from("ab \n\r.!?”\u0301\t"), max_size=400), st.integers(4, 60))
def test_parts_rejoin_to_the_text_and_respect_the_size(text, size):
    got = list(chunks.parts(text, size))
    assert "".join(p for _, p in got) == text
    assert all(len(p) <= size for _, p in got)
    assert [o for o, _ in got] == [sum(len(p) for _, p in got[:k]) for k in range(len(got))]
    for o, p in got[:-1]:
        assert not (p.endswith("\r") and text[o + len(p)] == "\n")         # a CRLF is never split
        if not all(unicodedata.combining(c) for c in p[1:]):                 # (a run of marks must be cut)
            assert not unicodedata.combining(text[o + len(p)])               # nor a letter and its mark


def test_parts_end_at_paragraph_breaks():
    text = "\n".join(f"Đoạn {n} có vài chữ." for n in range(100))
    for _, p in list(chunks.parts(text, 200))[:-1]:
        assert p.endswith("\n")


def test_long_text_is_checked_part_by_part_with_offsets_into_the_whole(checker, monkeypatch):
    text = "\n\n".join([EXAMPLE] * 12)
    monkeypatch.setattr(chunks, "CHUNK_CHARS", 1000)
    got = checker.check(text, level="picky")
    parts = list(chunks.parts(text))
    assert len(parts) > 8
    for i in got:
        assert text[i.offset:i.offset + i.length] == i.text
    # Exactly the issues of each part checked alone, moved to the part's place in the text.
    key = lambda i: (i.offset, i.length, i.rule_id, tuple(i.replacements))
    expected = [i for offset, part in parts for i in chunks.shift(checker.check(part, level="picky"), offset)]
    assert sorted(map(key, got)) == sorted(map(key, expected))
    # The article's typos are found in every copy, each copy a part of its own (two copies in one
    # part would make each typo a repeated pair, which is document evidence).
    monkeypatch.setattr(chunks, "CHUNK_CHARS", len(EXAMPLE) + 2)
    got = checker.check(text, level="picky")
    typos = [i for i in checker.check(EXAMPLE, level="picky") if i.category == "spelling"]
    assert typos
    for t in typos:
        assert sum(1 for i in got if i.text == t.text and i.rule_id == t.rule_id) == 12 * sum(
            1 for u in typos if u.text == t.text and u.rule_id == t.rule_id)


def test_caps_apply_over_all_parts(checker, monkeypatch):
    text = "\n".join(["Ông ấy nói,không đi ,vì mưa."] * 400)
    capped = [i for i in checker.check(text) if i.rule_id == "VI_MISSING_SPACE_AFTER_PUNCTUATION"]
    monkeypatch.setattr(chunks, "CHUNK_CHARS", 1000)
    parted = [i for i in checker.check(text) if i.rule_id == "VI_MISSING_SPACE_AFTER_PUNCTUATION"]
    assert len(parted) == len(capped) == 3
    assert parted[-1].extra["more"] == capped[-1].extra["more"] == 397


def test_a_spent_budget_stops_the_rules_too(checker):
    """Past the budget nothing more runs, rules included, and the result says it is incomplete."""
    text = ("Ông ấy nói,không đi ,vì mưa.... Quân chúng nhât dân. " * 50)
    r = checker.check_detailed(text, time_budget=1e-9)
    assert r.incomplete and r.issues == []
    full = checker.check_detailed(text, time_budget=60)
    assert not full.incomplete and {i.category for i in full.issues} >= {"spelling", "typography"}


def test_the_budget_is_checked_between_rule_families(checker, monkeypatch):
    from vnproof.rules import FAMILIES, typography
    calls = []
    original = typography.run

    def slow_typography(ctx, enabled):
        original(ctx, enabled)
        calls.append(1)
        import time
        time.sleep(0.3)

    monkeypatch.setattr(typography, "run", slow_typography)
    r = checker.check_detailed("Ông ấy nói,không đi. Lần lần nữa ANTQ.", time_budget=0.2, disabled_categories=["spelling"])
    assert calls and r.incomplete
    assert not [i for i in r.issues if i.rule_id == "VI_ABBREVIATION_UNDEFINED"]   # a later family: skipped
    assert FAMILIES.index(typography) < len(FAMILIES) - 1
