"""Rules for official and news writing, one module per family. (Placeholder: filled in by the rules work.)"""
from __future__ import annotations

from ..issues import Issue
from ..options import CheckOptions
from ..tokenize import Doc


def run_rules(doc: Doc, options: CheckOptions, lexicon=None) -> list[Issue]:
    """Run every enabled rule over `doc`."""
    return []
