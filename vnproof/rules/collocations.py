"""Broken fixed frames: a missing word inside a collocation.

The frames are data (`FRAMES`); the code only knows two shapes:

- `insert`: "kết giữa X và Y" lacks "hợp" ("kết hợp giữa X và Y"). The lexicon vetoes the match
  when the first word belongs to a word with the syllable before it ("đoàn kết giữa ...").
- `pair`: a two-part frame ("X nói chung và Y nói riêng", "không những ... mà còn") whose one part
  is complete and whose other part has lost its first word ("X nói chung và Y riêng.").
"""
from __future__ import annotations

from dataclasses import dataclass

from ..tokenize import Token, NAME, PUNCT, SYLLABLE
from .base import Context, RuleInfo, match_case

BROKEN = RuleInfo(
    "VI_BROKEN_COLLOCATION", "grammar", "Thiếu từ trong cụm từ cố định (“kết giữa … và …”)",
    "Missing word in a fixed phrase (“kết giữa … và …”)", issue_type="grammar")
RULES = [BROKEN]


@dataclass(frozen=True)
class Frame:
    name: str
    kind: str                        # "insert" | "pair"
    words: tuple[str, ...]           # insert: the two words around the gap; pair: first part
    fill: str = ""                   # insert: the missing word
    second: tuple[str, ...] = ()     # pair: second part
    needs: tuple[str, ...] = ()      # insert: a word that must follow in the sentence
    tail: str = ""                   # pair: "end" = second part ends a phrase, "comma" = follows a comma
    head_ok: bool = False            # pair: also repair a first part that lost its first word
    blockers: tuple[str, ...] = ()   # pair: a word right after the first part that ends the frame
    window: int = 15


FRAMES = (
    Frame("kết hợp giữa … và …", "insert", ("kết", "giữa"), "hợp", needs=("và", "với")),
    Frame("phối hợp giữa … và …", "insert", ("phối", "giữa"), "hợp", needs=("và", "với")),
    Frame("so sánh giữa … và …", "insert", ("so", "giữa"), "sánh", needs=("và", "với")),
    Frame("… nói chung … nói riêng", "pair", ("nói", "chung"), second=("nói", "riêng"), tail="end",
          head_ok=True),
    Frame("không những … mà còn", "pair", ("không", "những"), second=("mà", "còn"), tail="comma",
          window=25, blockers=("vậy", "thế")),
    Frame("không chỉ … mà còn", "pair", ("không", "chỉ"), second=("mà", "còn"), tail="comma", window=25,
          blockers=("vậy", "thế")),
)


_WORD_KINDS = (SYLLABLE, NAME)   # the tokens a frame's words can be


def _is_word(lex, syllables: list[str]) -> bool:
    return bool(lex is not None and lex.word_count(syllables))


def _message(ctx: Context, frame: Frame, t: Token, fixed: str) -> None:
    ctx.add(BROKEN, t.start, t.end,
            f"Có thể thiếu từ trong cụm “{frame.name}”: “{fixed}”.",
            f"A word may be missing from the phrase “{frame.name}”: “{fixed}”.", [fixed],
            short="Thiếu từ", frame=frame.name)


def _insert(ctx: Context, sent: list[Token], frame: Frame, words: list[str | None]) -> None:
    """`words`: `_word` of each token of `sent`."""
    left, right = frame.words
    for i in range(len(sent) - 1):
        a = sent[i]
        if words[i] != left or words[i + 1] != right:
            continue
        if i and words[i - 1] and _is_word(ctx.lex, [words[i - 1], left]):
            continue   # "đoàn kết giữa", "liên kết giữa"
        if frame.needs and not any(w in frame.needs for w in words[i + 2:i + 2 + frame.window]):
            continue
        if not _is_word(ctx.lex, [left, frame.fill]):
            continue
        _message(ctx, frame, a, match_case(f"{left} {frame.fill}", a.norm))


def _find(words: list[str | None], part: tuple[str, ...], start: int = 0, stop: int | None = None) -> int:
    """The first i in [start, stop) where `part` starts in `words`, or -1."""
    stop = len(words) if stop is None else stop
    last, n, head = min(stop, len(words) - len(part) + 1), len(part), part[0]
    i = start
    while i < last:
        try:
            i = words.index(head, i, last)   # only where the first word is
        except ValueError:
            return -1
        if tuple(words[i:i + n]) == part:
            return i
        i += 1
    return -1


def _pair(ctx: Context, sent: list[Token], frame: Frame, words: list[str | None]) -> None:
    """`words`: `_word` of each token of `sent`."""
    first, second = frame.words, frame.second
    i = _find(words, first)
    if i >= 0 and i + len(first) < len(words) and words[i + len(first)] in frame.blockers:
        return   # "Không chỉ vậy, còn ...": a sentence adverbial, not the frame
    if i >= 0:
        stop = i + len(first) + frame.window
        if _find(words, second, i + len(first), stop) >= 0:
            return
        last = second[-1]
        for j in range(i + len(first), min(stop, len(sent))):
            if words[j] != last or words[j - 1] == second[0]:
                continue
            nxt = sent[j + 1] if j + 1 < len(sent) else None
            prev = sent[j - 1]
            if frame.tail == "end" and not (nxt is None or nxt.kind is PUNCT):
                continue
            if frame.tail == "comma" and not (prev.kind is PUNCT and prev.norm == ","):
                continue
            if words[j - 1] and _is_word(ctx.lex, [words[j - 1], last]):
                continue
            _message(ctx, frame, sent[j], match_case(" ".join(second), sent[j].norm))
            return
        return
    if not frame.head_ok:
        return
    k = _find(words, second)
    if k < 0:
        return
    head = first[-1]
    for j in range(max(1, k - frame.window), k):
        if words[j] != head or words[j - 1] == first[0]:
            continue
        nxt = sent[j + 1]
        if not (nxt.kind is PUNCT and nxt.norm == "," or words[j + 1] == "và"):
            continue
        if words[j - 1] and _is_word(ctx.lex, [words[j - 1], head]):
            continue
        _message(ctx, frame, sent[j], match_case(" ".join(first), sent[j].norm))
        return


def required(frame: Frame) -> tuple[frozenset[str], ...]:
    """Word sets one of which a sentence must hold whole for `frame` to report anything there.

    insert: both words around the gap, and one of `needs` (after them). pair: the whole first
    part and the second part's last word (the one reported), or, with `head_ok`, the whole
    second part and the first part's last word."""
    if frame.kind == "insert":
        both = frozenset(frame.words)
        return tuple(both | {n} for n in frame.needs) if frame.needs else (both,)
    sets = [frozenset(frame.words) | {frame.second[-1]}]
    if frame.head_ok:
        sets.append(frozenset(frame.second) | {frame.words[-1]})
    return tuple(sets)


_REQUIRED = [(frame, required(frame)) for frame in FRAMES]
# Every word of a required set: a sentence's other words never decide whether a frame is looked at.
_FRAME_WORDS = frozenset(w for _, sets in _REQUIRED for r in sets for w in r)


def _sentence_bounds(toks: list[Token]) -> list[tuple[int, int]]:
    """[start, end) token indexes of each sentence, as `Doc.sentences()` groups them."""
    out: list[tuple[int, int]] = []
    start = 0
    for k in range(1, len(toks)):
        if toks[k].sentence != toks[start].sentence:
            out.append((start, k))
            start = k
    if toks:
        out.append((start, len(toks)))
    return out


def _sentence_run(toks: list[Token], i: int) -> tuple[int, int]:
    """[start, end) token indexes of the sentence (as `_sentence_bounds` has it) holding token i."""
    num = toks[i].sentence
    a, b, n = i, i + 1, len(toks)
    while a and toks[a - 1].sentence == num:
        a -= 1
    while b < n and toks[b].sentence == num:
        b += 1
    return a, b


def run(ctx: Context, enabled: set[str]) -> None:
    lowers = ctx.lowers
    # The tokens that are a word of some required set: only their sentences can hold a frame,
    # and `r <= words` is the same test on their words as on all the sentence's words.
    frame_words = _FRAME_WORDS
    hits = [k for k in range(len(lowers)) if lowers[k] in frame_words]
    if not hits:
        return
    every = {lowers[k] for k in hits}
    frames = [(f, sets) for f, sets in _REQUIRED if any(r <= every for r in sets)]
    if not frames:
        return
    toks = ctx.doc.tokens
    k, n = 0, len(hits)
    while k < n:   # the hits sentence by sentence (tokenize numbers sentences in order)
        num = toks[hits[k]].sentence
        first = hits[k]
        low = set()
        while k < n and toks[hits[k]].sentence == num:
            low.add(lowers[hits[k]])
            k += 1
        if not any(r <= low for _, sets in frames for r in sets):
            continue
        a, b = _sentence_run(toks, first)
        words: list[str | None] | None = None
        for frame, sets in frames:
            if not any(r <= low for r in sets):
                continue
            sent = toks[a:b]
            if words is None:
                words = [w if t.kind in _WORD_KINDS else None for t, w in zip(sent, lowers[a:b])]
            if frame.kind == "insert":
                _insert(ctx, sent, frame, words)
            else:
                _pair(ctx, sent, frame, words)
