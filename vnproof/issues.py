"""The checker's only output: `Issue`, and the closed list of categories."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from enum import Enum


class Category(str, Enum):
    """Closed list of issue categories (LanguageTool style, lower-case ids)."""

    SPELLING = "spelling"
    CONSISTENCY = "consistency"
    TYPOGRAPHY = "typography"
    STYLE = "style"
    GRAMMAR = "grammar"

    def __str__(self) -> str:  # so f"{cat}" and str(cat) give the id
        return self.value


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding: a span of the user's original text and what to do about it.

    `offset` and `length` count code points in the text passed to `check()`;
    `text == original[offset:offset + length]` always holds.
    """

    offset: int
    length: int
    text: str
    replacements: list[str]
    rule_id: str
    category: str
    message: str
    message_en: str
    confidence: float = 1.0
    short_message: str = ""
    picky: bool = False
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def end(self) -> int:
        return self.offset + self.length

    def to_dict(self) -> dict:
        """The fields as JSON-ready values, `category` as its id. The checker's issues hold only
        plain values: they are copied directly (`asdict`'s deep copy took 25 µs an issue, the
        largest cost of a cached `/v1/check`); anything else goes through `asdict`."""
        if type(self.replacements) is list and all(type(r) is str for r in self.replacements) \
                and all(type(v) in _PLAIN for v in self.extra.values()):
            d = {name: getattr(self, name) for name in _FIELDS}
            d["replacements"], d["extra"] = list(self.replacements), dict(self.extra)
        else:
            d = asdict(self)
        d["category"] = str(self.category)
        return d


_FIELDS = tuple(f.name for f in fields(Issue))
_PLAIN = (str, int, float, bool, type(None))
