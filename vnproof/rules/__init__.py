"""Rules for official and news writing, one module per family.

`RULES` lists every rule's metadata; `run_rules()` runs the enabled ones over a `Doc`.
Spelling rule ids live here too, so adapters (the HTTP API) can describe any issue.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..issues import Issue
from ..options import CheckOptions
from ..tokenize import Doc


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule's stable id and what the outside world may know about it."""

    id: str
    category: str
    description: str          # Vietnamese
    description_en: str
    picky: bool = False       # reported only at level="picky" (or when enabled by id)
    issue_type: str = "misspelling"   # LanguageTool issueType: misspelling, typographical, style, grammar, inconsistency


RULES: dict[str, RuleInfo] = {
    r.id: r for r in [
        RuleInfo("VI_SPELLING_NONWORD", "spelling", "Âm tiết sai chính tả", "Misspelt syllable"),
        RuleInfo("VI_SPELLING_CONTEXT", "spelling", "Từ sai trong ngữ cảnh", "Real-word typo in context"),
    ]
}


def rule_info(rule_id: str) -> RuleInfo | None:
    return RULES.get(rule_id)


def run_rules(doc: Doc, options: CheckOptions, lexicon=None) -> list[Issue]:
    """Run every enabled non-spelling rule over `doc`."""
    return []
