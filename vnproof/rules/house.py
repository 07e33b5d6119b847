"""House style: spellings a newsroom may standardise that are not errors ("ôtô" for "ô tô").

Off by default (picky-only): many papers print "ôtô", so the default level leaves it alone;
a house that writes "ô tô" enables `VI_HOUSE_OTO` (or checks at the picky level).
"""
from __future__ import annotations

from ..text import match_case
from ..tokenize import PUNCT
from .base import Context, RuleInfo

OTO = RuleInfo(
    "VI_HOUSE_OTO", "style", "Viết liền “ôtô”, “môtô” (quy ước: “ô tô”, “mô tô”)",
    "Press spelling “ôtô” (house style: “ô tô”)", picky=True, issue_type="style")
RULES = [OTO]

# Glued press spellings -> the dictionary form.
GLUED = {"ôtô": "ô tô", "môtô": "mô tô"}


def run(ctx: Context, enabled: set[str]) -> None:
    # The lists of forms and kinds: no token is read but the glued ones.
    for t, kind, low in zip(ctx.doc.tokens, ctx.kinds, ctx.lowers):
        fix = GLUED.get(low) if kind is not PUNCT else None
        if fix:
            ctx.add(OTO, t.start, t.end, f"Theo quy ước, viết “{fix}” thay cho “{t.norm}”.",
                    f"House style writes “{fix}” for “{t.norm}”.", [match_case(fix, t.norm)],
                    confidence=0.9, short="Quy ước viết")
