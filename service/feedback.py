"""What editors did with each issue, and what the tenant learns from it: its threshold, words to
propose for its dictionary, its precision week by week.

An `applied` issue was real; `ignored` and `added` (the word was right, so added to the
dictionary) were false alarms. Only the spelling rules whose confidence the threshold governs
take part in calibration (`THRESHOLDED_RULES`); every event counts in the report.
"""
from __future__ import annotations

import math
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

from vnproof.checker import RULE_CONTEXT, RULE_NONWORD

ACTIONS = ("applied", "ignored", "added")
THRESHOLDED_RULES = frozenset((RULE_CONTEXT, RULE_NONWORD))
TARGET_PRECISION = 0.9
MIN_DECISIONS = 30   # fewer decisions at or above a threshold cannot choose it
PROPOSE_AFTER = 3    # a word added this many times is proposed for the tenant's dictionary
MAX_EVENTS_PER_CALL = 1000
MAX_FIELD_CHARS = 200


@dataclass(frozen=True)
class Feedback:
    """One editor decision on one issue."""

    rule_id: str
    text: str
    replacement: str | None
    action: str
    confidence: float
    at: float


def parse_event(raw: object, now: float | None = None) -> Feedback:
    """A JSON event -> Feedback; ValueError says what is wrong. `at` defaults to now."""
    if not isinstance(raw, dict):
        raise ValueError("each event must be an object")
    unknown = set(raw) - {"rule_id", "text", "replacement", "action", "confidence", "at"}
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(sorted(unknown))}")
    rule_id, text, rep = raw.get("rule_id"), raw.get("text"), raw.get("replacement")
    action, conf, at = raw.get("action"), raw.get("confidence"), raw.get("at")
    for name, v in (("rule_id", rule_id), ("text", text)):
        if not isinstance(v, str) or not v.strip() or len(v) > MAX_FIELD_CHARS:
            raise ValueError(f"{name} must be a non-empty string of at most {MAX_FIELD_CHARS} characters")
    if rep is not None and (not isinstance(rep, str) or len(rep) > MAX_FIELD_CHARS):
        raise ValueError(f"replacement must be a string of at most {MAX_FIELD_CHARS} characters, or null")
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    if isinstance(conf, bool) or not isinstance(conf, (int, float)) or not 0.0 <= conf <= 1.0:
        raise ValueError("confidence must be a number from 0 to 1")
    if at is None:
        at = time.time() if now is None else now
    elif isinstance(at, bool) or not isinstance(at, (int, float)) or not math.isfinite(at) or at < 0:
        raise ValueError("at must be a Unix time in seconds")
    nfc = unicodedata.normalize
    return Feedback(rule_id, nfc("NFC", text), None if rep is None else nfc("NFC", rep), action, float(conf), float(at))


@dataclass(frozen=True)
class Calibration:
    """The outcome of `choose_threshold`: `threshold` None means too few decisions to choose."""

    threshold: float | None
    precision: float | None   # among decisions at or above the threshold
    decisions: int            # decisions at or above it
    total: int                # decisions considered


def choose_threshold(events: list[Feedback], target: float = TARGET_PRECISION,
                     min_count: int = MIN_DECISIONS) -> Calibration:
    """The lowest confidence threshold whose precision among the recorded decisions at or above
    it reaches `target`, over at least `min_count` decisions (else threshold None)."""
    scored = sorted((e.confidence, e.action == "applied") for e in events if e.rule_id in THRESHOLDED_RULES)
    n = len(scored)
    real_above = sum(r for _, r in scored)   # real issues among decisions at index >= i
    i = 0
    while i < n:
        t = scored[i][0]
        count = n - i
        if count < min_count:
            break
        if real_above / count >= target:
            return Calibration(t, round(real_above / count, 4), count, n)
        while i < n and scored[i][0] == t:   # move past every decision at this confidence
            real_above -= scored[i][1]
            i += 1
    return Calibration(None, None, 0, n)


def proposals(events: list[Feedback], known: set[str] | frozenset[str] = frozenset(),
              min_times: int = PROPOSE_AFTER) -> list[dict]:
    """Words added to the dictionary at least `min_times` times that it does not hold yet."""
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for e in events:
        if e.action == "added":
            key = " ".join(e.text.split()).casefold()
            counts[key] += 1
            first.setdefault(key, " ".join(e.text.split()))
    known_keys = {w.casefold() for w in known}
    return [{"word": first[k], "times": n} for k, n in counts.most_common()
            if n >= min_times and k not in known_keys]


def week_of(at: float) -> str:
    """ISO week, e.g. '2026-W49'."""
    y, w, _ = datetime.fromtimestamp(at, timezone.utc).isocalendar()
    return f"{y}-W{w:02d}"


def weekly(events: list[Feedback]) -> list[dict]:
    """Per ISO week: decisions, applied, ignored, added and precision (applied / decisions)."""
    weeks: dict[str, Counter[str]] = {}
    for e in events:
        weeks.setdefault(week_of(e.at), Counter())[e.action] += 1
    out = []
    for week in sorted(weeks):
        c = weeks[week]
        total = sum(c.values())
        out.append({"week": week, "decisions": total, **{a: c[a] for a in ACTIONS},
                    "precision": round(c["applied"] / total, 3)})
    return out


def by_rule(events: list[Feedback]) -> list[dict]:
    """Per rule: decisions and what editors did, most decided first."""
    rules: dict[str, Counter[str]] = {}
    for e in events:
        rules.setdefault(e.rule_id, Counter())[e.action] += 1
    rows = [{"rule_id": r, "decisions": sum(c.values()), **{a: c[a] for a in ACTIONS}} for r, c in rules.items()]
    return sorted(rows, key=lambda r: (-r["decisions"], r["rule_id"]))
