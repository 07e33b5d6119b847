"""Per-paragraph results, kept for editors who re-check a text as they type (`VNPROOF_RESULT_CACHE_MB`).

A key is (the checker, a digest of every option, the text): the checker stands for the models
(a tenant's house model version is its own checker object, so a new version is a new key), and
the options hold the level, rule and category choices, the tenant's threshold and its whole
dictionary, so a word added or a threshold calibrated is a new key too. Nothing is ever
invalidated; old keys simply stop being asked for and fall out of the LRU.

Issues are stored with offsets into the text of their key and shifted on the way out. Results
cut short by the time budget are never stored. The bound counts the bytes of the keys' texts
and of the issues' strings (an estimate of what the entries hold, not of allocator overhead).
"""
from __future__ import annotations

import hashlib
import itertools
import json
import sys
import threading
import weakref
from collections import OrderedDict

from vnproof import Checker, Issue

ENTRY_BYTES = 160   # the key tuple, the OrderedDict node and the list, roughly
ISSUE_BYTES = 240   # an Issue object and its fixed fields, roughly

_tokens: "weakref.WeakKeyDictionary[Checker, int]" = weakref.WeakKeyDictionary()
_counter = itertools.count(1)
_tokens_lock = threading.Lock()


def checker_token(checker: Checker) -> int:
    """A number that names this checker object for as long as it lives (never reused, unlike id())."""
    with _tokens_lock:
        token = _tokens.get(checker)
        if token is None:
            token = _tokens[checker] = next(_counter)
        return token


def options_digest(opts: dict) -> str:
    """A digest of checker keyword arguments (lists as given: the callers sort the dictionary)."""
    blob = json.dumps(opts, sort_keys=True, ensure_ascii=False, default=sorted, separators=(",", ":"))
    return hashlib.blake2b(blob.encode("utf-8"), digest_size=16).hexdigest()


def issue_bytes(i: Issue) -> int:
    return (ISSUE_BYTES + sys.getsizeof(i.text) + sys.getsizeof(i.message) + sys.getsizeof(i.message_en)
            + sys.getsizeof(i.short_message) + sum(sys.getsizeof(r) + 8 for r in i.replacements)
            + (sys.getsizeof(json.dumps(i.extra, default=str)) if i.extra else 0))


def _copy(i: Issue, offset: int) -> Issue:
    """`i` moved by `offset`, with its own `replacements` and `extra` (callers may write to theirs).
    Built by the constructor: `dataclasses.replace` took twice as long, and a re-check copies
    every cached issue of the text."""
    return Issue(offset=i.offset + offset, length=i.length, text=i.text, replacements=list(i.replacements),
                 rule_id=i.rule_id, category=i.category, message=i.message, message_en=i.message_en,
                 confidence=i.confidence, short_message=i.short_message, picky=i.picky, extra=dict(i.extra))


def shifted(issues: list[Issue], offset: int) -> list[Issue]:
    """Copies of cached issues moved to `offset`."""
    return [_copy(i, offset) for i in issues]


class ResultCache:
    """A thread-safe LRU of issue lists, bounded by an estimate of the bytes it holds."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max(0, int(max_bytes))
        self._data: OrderedDict[tuple, tuple[list[Issue], int]] = OrderedDict()
        self._lock = threading.Lock()
        self.bytes = 0
        self.hits = self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, key: tuple) -> list[Issue] | None:
        """The issues stored under `key` (offsets into its text), or None. Treat them as read-only."""
        if not self.max_bytes:
            return None
        with self._lock:
            hit = self._data.get(key)
            if hit is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return hit[0]

    def put(self, key: tuple, text: str, issues: list[Issue]) -> None:
        if not self.max_bytes:
            return
        size = ENTRY_BYTES + sys.getsizeof(text) + sum(map(issue_bytes, issues))
        if size > self.max_bytes:
            return
        stored = shifted(issues, 0)
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._data[key] = (stored, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, (_, freed) = self._data.popitem(last=False)
                self.bytes -= freed

    def __len__(self) -> int:
        return len(self._data)

    def stats(self) -> dict:
        with self._lock:
            return {"entries": len(self._data), "bytes": self.bytes, "max_bytes": self.max_bytes,
                    "hits": self.hits, "misses": self.misses}
