"""Pausing the cyclic garbage collector while checks run (issue #14).

A check allocates a few tracked containers per syllable (tokens, slots, candidate rows, the
tuples of its lookups) and frees nearly all of them by reference counting: it makes almost no
cycles. Yet every 700 allocations start a collection, so on a viwiki-dev pass the collector ran
about 1,650 times for 6.5% of the check's time (BENCHMARKS.md §19). `paused` turns it off while
any thread is inside a check and back on (if it was on) when the last one leaves.

A process that is never idle (a busy server's threads overlapping without end) would then
never collect: every `FULL_EVERY` checks ended during one pause, the leaving thread collects
once, so cycles made elsewhere are still freed.
"""
from __future__ import annotations

import gc
import threading

FULL_EVERY = 256   # checks ended within one pause between two forced collections


class CollectorPause:
    """A re-entrant, thread-safe `with` block that keeps `gc` disabled while any holder is in it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._resume = False   # whether the collector was enabled when the pause began
        self._ended = 0        # checks ended since the pause began (or since the last collection)

    def __enter__(self) -> "CollectorPause":
        with self._lock:
            if self._depth == 0:
                self._resume = gc.isenabled()
                self._ended = 0
                gc.disable()
            self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        collect = False
        with self._lock:
            self._depth -= 1
            self._ended += 1
            if self._depth == 0:
                if self._resume:
                    gc.enable()
            elif self._resume and self._ended >= FULL_EVERY:
                self._ended = 0
                collect = True
        if collect:
            gc.collect()


paused = CollectorPause()
