"""Shared pieces of the rule families: rule metadata, the per-call context and issue building.

Rules work on a tokenized `Doc`. Token offsets already index the original text; offsets found
by a regex on the normal form (`doc.normalized.text`) are mapped back with `Context.span`.
"""
from __future__ import annotations

import re

from ..text import match_case  # noqa: F401  (re-exported for the rule modules)

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Callable

from ..issues import Issue
from ..options import CheckOptions
from ..tokenize import Doc, Token, require_token_type

try:   # cython.compiled: True in the compiled module; False (or no Cython at all) for the .py
    import cython
    require_token_type(__name__, cython.compiled)
except ModuleNotFoundError:
    pass

CATEGORIES = ("consistency", "typography", "style", "grammar", "spelling")

_INDEX: list[int] = list(range(4096))


def indexes(n: int) -> list[int]:
    """A shared list 0, 1, 2, ... at least `n` long (never change it): `zip(indexes(len(xs)), xs)`
    numbers a list without making an int per item, as a `range` loop does here."""
    global _INDEX
    if len(_INDEX) < n:
        _INDEX = list(range(max(n, 2 * len(_INDEX))))
    return _INDEX


class FormCache:
    """`fn(key)` by key: a plain dict `table` (at most `maxsize` kept) and `fill(key)` for a miss.

    Rules look a token's form up once per token: `table[form]` in a `try` (`fill(form)` on a
    KeyError) is one dict lookup on a hit, where an `lru_cache` call cost several times that and
    a bound `table.get` call twice that (issue #14). Not a dict subclass: one inherits dict's
    `__getitem__` as a Python-level slot (3x slower)."""

    __slots__ = ("table", "_fn", "_max")

    def __init__(self, fn: Callable, maxsize: int = 100_000):
        self.table: dict = {}
        self._fn = fn
        self._max = maxsize

    def fill(self, key):
        """`fn(key)`, kept in `table`."""
        table = self.table
        if len(table) >= self._max:
            table.clear()
        value = table[key] = self._fn(key)
        return value

    def __getitem__(self, key):
        try:
            return self.table[key]
        except KeyError:
            return self.fill(key)


_LOWER = FormCache(str.lower, 200_000)


def matches_at(rx: re.Pattern, text: str, starts) -> list[re.Match]:
    """What `rx.finditer(text)` gives, for a pattern whose every match starts at one of `starts`
    (increasing; more are harmless) and none is empty: `rx` is tried at those offsets only.

    A match tried at its start is what the scan finds there (lookbehinds see the text before it),
    and the first one that matches at or after the previous match's end is the next one the scan
    finds: none starts between, as every start is a candidate."""
    out = []
    pos = 0
    for s in starts:
        if s >= pos:
            m = rx.match(text, s)
            if m is not None:
                out.append(m)
                pos = m.end()
    return out


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule's stable id and what the outside world may know about it."""

    id: str
    category: str
    description: str          # Vietnamese
    description_en: str
    picky: bool = False       # reported only at level="picky" (or when enabled by id)
    issue_type: str = "misspelling"   # LanguageTool issueType: misspelling, typographical, style, grammar, inconsistency


class Spans:
    """[start, end) spans (merged where they overlap) with an O(log n) overlap test.

    Rules ask "is this match inside a protected span?" once per match; a linear walk over all
    spans made that O(matches x spans), quadratic on long texts.
    """

    __slots__ = ("_starts", "_ends")

    def __init__(self, spans: list[tuple[int, int]]):
        self._starts: list[int] = []
        self._ends: list[int] = []
        for s, e in sorted(spans):
            if self._ends and s < self._ends[-1]:      # overlapping: merge
                self._ends[-1] = max(self._ends[-1], e)
            else:
                self._starts.append(s)
                self._ends.append(e)

    def overlaps(self, a: int, b: int) -> bool:
        """Whether any span meets [a, b)."""
        k = bisect_right(self._ends, a)      # first span ending after a (ends are sorted too)
        return k < len(self._starts) and self._starts[k] < b

    def __len__(self) -> int:
        return len(self._starts)


def _token_columns(tokens: list[Token]) -> tuple[list[str], list, list[str]]:
    """The tokens' forms, kinds and lower-case forms (compiled: a C function reading the
    tokens' C fields, base.pxd)."""
    norms: list[str] = []
    kinds: list = []
    lowers: list[str] = []
    table, fill = _LOWER.table, _LOWER.fill
    for t in tokens:
        n = t.norm
        norms.append(n)
        kinds.append(t.kind)
        try:
            low = table[n]
        except KeyError:
            low = fill(n)
        lowers.append(low)
    return norms, kinds, lowers


@dataclass
class Context:
    """What one rule run sees: the document, the options, the lexicon, and the issue sink.

    `pairs_seen`, when the checker runs the rules, says for a list of (syllable, syllable) pairs
    of tone keys whether its language models have seen each as a bigram (one batched query);
    rules that need the models' evidence skip that part without it."""

    doc: Doc
    options: CheckOptions
    lexicon: object | None = None
    issues: list[Issue] = field(default_factory=list)
    pairs_seen: Callable[[list[tuple[str, str]]], list[bool]] | None = None
    _lowers: list[str] | None = field(default=None, init=False, repr=False, compare=False)
    _norms: list[str] | None = field(default=None, init=False, repr=False, compare=False)
    _kinds: list | None = field(default=None, init=False, repr=False, compare=False)

    def _columns(self) -> None:
        """The token attributes the rules read, as lists, in one pass over the tokens: several
        rules reading a token's attributes cost more than their own work (issue #14)."""
        self._norms, self._kinds, self._lowers = _token_columns(self.doc.tokens)

    @property
    def norms(self) -> list[str]:
        """`t.norm` for each token of the document, computed once per rule run."""
        if self._norms is None:
            self._columns()
        return self._norms

    @property
    def kinds(self) -> list:
        """`t.kind` for each token of the document, computed once per rule run."""
        if self._kinds is None:
            self._columns()
        return self._kinds

    @property
    def lowers(self) -> list[str]:
        """`t.norm.lower()` for each token of the document, computed once per rule run (and
        once per distinct form across runs)."""
        if self._lowers is None:
            self._columns()
        return self._lowers

    @property
    def lex(self):
        """The checker's lexicon, or the shipped one when the caller passed none."""
        if self.lexicon is None:
            from ..lexicon import default_lexicon
            self.lexicon = default_lexicon()
        return self.lexicon

    @property
    def text(self) -> str:
        """The NFC form of the input; regexes run on it, `span` maps back."""
        return self.doc.normalized.text

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.doc.normalized.span(start, end)

    def add(self, rule: RuleInfo, start: int, end: int, message: str, message_en: str,
            replacements: list[str] | None = None, *, confidence: float = 0.9,
            short: str = "", **extra) -> None:
        """Report original-text span [start, end) under `rule`."""
        if end <= start:
            return
        original = self.doc.text
        self.issues.append(Issue(
            offset=start, length=end - start, text=original[start:end],
            replacements=list(replacements or []), rule_id=rule.id, category=rule.category,
            message=message, message_en=message_en, confidence=confidence,
            short_message=short or rule.description, picky=rule.picky, extra=dict(extra)))

    def add_norm(self, rule: RuleInfo, nstart: int, nend: int, *args, **kw) -> None:
        """Report a span given in normal-form offsets."""
        a, b = self.span(nstart, nend)
        self.add(rule, a, b, *args, **kw)

    def add_tokens(self, rule: RuleInfo, first: Token, last: Token, *args, **kw) -> None:
        self.add(rule, first.start, last.end, *args, **kw)


