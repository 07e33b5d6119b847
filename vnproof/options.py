"""Per-call options shared by the checker and the rules."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

LEVELS = ("default", "picky")


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """What one `check()` call asks for. Rule and category ids are matched exactly."""

    level: str = "default"
    enabled_rules: frozenset[str] = frozenset()
    disabled_rules: frozenset[str] = frozenset()
    enabled_categories: frozenset[str] = frozenset()
    disabled_categories: frozenset[str] = frozenset()
    enabled_only: bool = False
    dictionary: frozenset[str] = frozenset()   # accepted words, matched case-insensitively
    pub_date: date | None = None               # publication date, for the date rules
    tone_style: str | None = None              # "new" (hóa) | "old" (hoá) | None: majority wins
    time_budget: float | None = None           # seconds; past it, results are partial
    threshold: float | None = None             # spelling confidence threshold; None: the level's

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, not {self.level!r}")
        if self.tone_style not in (None, "new", "old"):
            raise ValueError(f"tone_style must be 'new', 'old' or None, not {self.tone_style!r}")
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be from 0 to 1, not {self.threshold!r}")

    @property
    def picky(self) -> bool:
        return self.level == "picky"

    def allows(self, rule_id: str, category: str, picky_only: bool = False) -> bool:
        """Whether a rule may report under these options (LanguageTool semantics)."""
        if rule_id in self.disabled_rules or category in self.disabled_categories:
            return False
        if self.enabled_only:
            return rule_id in self.enabled_rules or category in self.enabled_categories
        if picky_only and not self.picky:
            return rule_id in self.enabled_rules
        return True

    @classmethod
    def make(cls, **kw) -> "CheckOptions":
        """Build from loose keyword arguments (lists, comma strings, ISO dates)."""
        for key in ("enabled_rules", "disabled_rules", "enabled_categories", "disabled_categories"):
            v = kw.get(key)
            if isinstance(v, str):
                v = [x.strip() for x in v.split(",") if x.strip()]
            kw[key] = frozenset(v or ())
        from .text import LOOKALIKES

        kw["dictionary"] = frozenset(_word_form(w.translate(LOOKALIKES)) for w in (kw.get("dictionary") or ()))
        pd = kw.get("pub_date")
        if isinstance(pd, str):
            kw["pub_date"] = date.fromisoformat(pd)
        kw = {k: v for k, v in kw.items() if v is not None or k in ("pub_date", "tone_style", "time_budget", "threshold")}
        unknown = set(kw) - set(cls.__dataclass_fields__)
        if unknown:
            raise TypeError(f"unknown check option(s): {', '.join(sorted(unknown))}")
        return cls(**kw)


def _word_form(word: str) -> str:
    """A dictionary entry as the tokenizer spells a word: NFC, lower case, and without a mark no
    letter takes (an issue's text may carry one, "củá" + U+0301: the tokenizer sets it apart)."""
    return "".join(c for c in unicodedata.normalize("NFC", word).lower() if not unicodedata.combining(c))
