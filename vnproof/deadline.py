"""One time budget for a whole check: every stage asks the same `Deadline` before it starts."""
from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass
class Deadline:
    """A point in `time.perf_counter()` time (None: no budget), and whether it cut work short.

    `expired()` is what each stage calls between units of work (spelling batches, rule
    families, chunks of a long text); the first call that finds the time up sets `cut`, so the
    caller can report the result as incomplete.
    """

    at: float | None = None
    cut: bool = False

    @classmethod
    def after(cls, seconds: float | None) -> "Deadline":
        return cls(time.perf_counter() + seconds if seconds else None)

    def expired(self) -> bool:
        if self.at is not None and time.perf_counter() > self.at:
            self.cut = True
        return self.cut

    def left(self) -> float | None:
        """Seconds left (never negative), or None without a budget."""
        return None if self.at is None else max(0.0, self.at - time.perf_counter())
