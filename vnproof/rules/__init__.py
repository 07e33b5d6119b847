"""Rules for official and news writing, one module per family.

`RULES` lists every rule's metadata; `run_rules()` runs the enabled ones over a `Doc`.
Spelling rule ids live here too, so adapters (the HTTP API) can describe any issue.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from ..deadline import Deadline
from ..issues import Issue
from ..options import CheckOptions
from ..tokenize import Doc
from .base import CATEGORIES, Context, RuleInfo
from . import abbreviations, collocations, consistency, dates, house, typography

__all__ = ["CATEGORIES", "RULES", "RuleInfo", "rule_examples", "rule_info", "run_rules"]

# One module per family; each has RULES (its RuleInfo list) and run(ctx, enabled_ids).
FAMILIES = (consistency, typography, abbreviations, dates, collocations, house)

RULES: dict[str, RuleInfo] = {
    r.id: r for r in [
        RuleInfo("VI_SPELLING_NONWORD", "spelling", "Âm tiết sai chính tả", "Misspelt syllable"),
        RuleInfo("VI_SPELLING_CONTEXT", "spelling", "Từ sai trong ngữ cảnh", "Real-word typo in context"),
        RuleInfo("VI_SPELLING_GLUED", "spelling", "Thiếu dấu cách giữa hai tiếng", "Two words run together"),
        RuleInfo("VI_SPELLING_SPLIT", "spelling", "Một tiếng bị tách đôi", "One syllable split by a space"),
    ] + [r for family in FAMILIES for r in family.RULES]
}


def rule_info(rule_id: str) -> RuleInfo | None:
    return RULES.get(rule_id)


@lru_cache(maxsize=1)
def _examples() -> dict:
    return json.loads(resources.files(__package__).joinpath("examples.json").read_text("utf-8"))["rules"]


def rule_examples(rule_id: str) -> tuple[list[str], list[str]]:
    """A rule's wrong examples (the reported span in `<marker>...</marker>`) and right ones."""
    ex = _examples().get(rule_id, {})
    text = lambda e: e if isinstance(e, str) else e["text"]  # noqa: E731
    return [text(e) for e in ex.get("wrong", [])], [text(e) for e in ex.get("right", [])]


def run_rules(doc: Doc, options: CheckOptions, lexicon=None, deadline: Deadline | None = None,
              pairs_seen=None) -> list[Issue]:
    """Run every enabled non-spelling rule over `doc`.

    `lexicon` is the checker's `Lexicon`; without it, rules that need it load the default one.
    With a `deadline`, families left when it expires are skipped (and `deadline.cut` says so).
    `pairs_seen` is the checker's models' bigram test (see `Context`).
    """
    ctx = Context(doc, options, lexicon, pairs_seen=pairs_seen)
    for family in FAMILIES:
        if deadline is not None and deadline.expired():
            break
        enabled = {r.id for r in family.RULES if options.allows(r.id, r.category, r.picky)}
        if enabled:
            family.run(ctx, enabled)
    out = [i for i in ctx.issues if i.rule_id in RULES
           and options.allows(i.rule_id, i.category, RULES[i.rule_id].picky)]
    return cap(out, options)


def cap(issues: list[Issue], options: CheckOptions) -> list[Issue]:
    """At the default level, the per-text caps of the rule families (see `_cap`)."""
    if options.picky:
        return issues
    return _cap(issues, {k: v for family in FAMILIES for k, v in getattr(family, "MAX_PER_TEXT", {}).items()})


def _cap(issues: list[Issue], caps: dict[str, int]) -> list[Issue]:
    """Keep the first `caps[rule]` issues of a capped rule (picky level keeps them all).

    A text that repeats one slip everywhere (or a whole style) needs a few pointers, not dozens;
    the last kept issue says in `extra["more"]` how many were left out.
    """
    issues = sorted(issues, key=lambda i: (i.offset, i.length, i.rule_id))
    seen: dict[str, list[Issue]] = {}
    out = []
    for i in issues:
        cap = caps.get(i.rule_id)
        if cap is None:
            out.append(i)
            continue
        kept = seen.setdefault(i.rule_id, [])
        if len(kept) < cap:
            kept.append(i)
            out.append(i)
        else:   # an issue capped before (in an earlier part of a long text) brings its own count
            kept[-1].extra["more"] = kept[-1].extra.get("more", 0) + 1 + i.extra.get("more", 0)
    return out
