"""What an editor did with one issue: applied its fix, ignored it, or added the word to the dictionary."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Feedback:
    rule_id: str
    text: str
    replacement: str | None
    action: str          # 'applied' | 'ignored' | 'added'
    confidence: float
    at: float            # Unix time
