"""Typography: repeated words, punctuation runs and spacing, brackets and quotes, stray spaces
inside codes, and a lowercase letter starting a sentence.

Everything that is not running prose is left alone: numbers (12.500, 63,6), times (10:30),
dates, codes, URLs and e-mail addresses, and the ellipsis "..." / "…".
"""
from __future__ import annotations

import re
from collections import deque
from operator import methodcaller

from ..syllable import is_valid
from ..text import tone_key
from ..tokenize import Token, CODE, DATE, FOREIGN, NAME, NUMBER, PUNCT, SYLLABLE, URL
from .base import Context, RuleInfo, Spans, indexes, matches_at

REPEATED_WORD = RuleInfo(
    "VI_REPEATED_WORD", "typography", "Lặp từ (“của của”)", "Repeated word (“của của”)",
    issue_type="duplication")
PUNCT_RUN = RuleInfo(
    "VI_PUNCTUATION_RUN", "typography", "Thừa dấu câu (“....”, “,,”)", "Run of punctuation (“....”, “,,”)",
    issue_type="typographical")
SPACE_BEFORE = RuleInfo(
    "VI_SPACE_BEFORE_PUNCTUATION", "typography", "Thừa dấu cách trước dấu câu",
    "Space before punctuation", issue_type="whitespace")
SPACE_AFTER = RuleInfo(
    "VI_MISSING_SPACE_AFTER_PUNCTUATION", "typography", "Thiếu dấu cách sau dấu câu",
    "Missing space after punctuation", issue_type="whitespace")
BRACKETS = RuleInfo(
    "VI_UNBALANCED_BRACKETS", "typography", "Ngoặc đơn/ngoặc vuông không cân",
    "Unbalanced brackets", issue_type="typographical")
QUOTES = RuleInfo(
    "VI_UNBALANCED_QUOTES", "typography", "Dấu ngoặc kép không cân",
    "Unbalanced quotation marks", issue_type="typographical")
SPACE_IN_CODE = RuleInfo(
    "VI_SPACE_IN_CODE", "typography", "Thừa dấu cách trong tên/mã (“Covid -19”)",
    "Stray space inside a name or code (“Covid -19”)", issue_type="whitespace")
EMPHATIC = RuleInfo(
    "VI_EMPHATIC_PUNCTUATION", "style", "Dấu cảm/hỏi lặp (“!!!”, “?!”) trong văn bản trang trọng",
    "Repeated exclamation or question marks in formal writing", picky=True, issue_type="style")
LOWERCASE_START = RuleInfo(
    "VI_LOWERCASE_SENTENCE_START", "typography", "Chữ thường ở đầu câu",
    "Sentence starts with a lowercase letter", issue_type="typographical")
# At the default level, a slip repeated all over a text is pointed out a few times only.
MAX_PER_TEXT = {SPACE_BEFORE.id: 3, SPACE_AFTER.id: 3, LOWERCASE_START.id: 3, QUOTES.id: 3, BRACKETS.id: 3}
RULES = [REPEATED_WORD, PUNCT_RUN, EMPHATIC, SPACE_BEFORE, SPACE_AFTER, BRACKETS, QUOTES, SPACE_IN_CODE,
         LOWERCASE_START]

# Legitimate reduplication ("từ từ", "ngày ngày"): full reduplicatives missing from the lexicon.
REDUPLICATIVES = frozenset("""
từ ngày đêm sáng chiều tối tháng năm tuần giờ người nhà nơi chỗ ai đâu gì nào sao
xanh đỏ trắng vàng đen tím hồng xám nâu xa cao thấp to nhỏ dài ngắn mãi đời kiếp lớp
dần thường hoài mau lâu rồi đều vừa nhiều ít cứ khác riêng chung đâu đó thế vậy
hai ba bốn năm sáu bảy tám chín mười trăm ngàn nghìn vạn muôn
""".split())
# Function words: doubled, they are a slip ("của của"). A doubled content word is most often a
# deliberate reduplication ("bay bay", "xinh xinh", "gật gật"), which Vietnamese makes freely.
FUNCTION_WORDS = frozenset("""
của cho và là được các những với trong tại để này thì mà đã sẽ đang có không chưa một khi về
theo đến bị do vì nên nhưng hoặc hay cũng rất lại vẫn còn chỉ như ở trên dưới sau trước bằng
qua giữa ngoài phải cần nếu tuy dù ra vào lên xuống ấy ai mỗi cả hơn nhất thế
""".split())
# Words ending in "." that do not end a sentence.
_ABBREV_DOT = frozenset("v tr tp ths ts gs pgs bs ks st mr mrs ms dr no ca cf etc vs kg km ông bà đ".split())


class _Lazy:
    """`_protected(ctx)`, built on the first `overlaps` call: most texts have no match to test."""

    __slots__ = ("_ctx", "_spans")

    def __init__(self, ctx: Context):
        self._ctx = ctx
        self._spans: Spans | None = None

    def overlaps(self, a: int, b: int) -> bool:
        if self._spans is None:
            self._spans = _protected(self._ctx)
        return self._spans.overlaps(a, b)


def _protected(ctx: Context) -> Spans:
    """Normal-form spans of URLs, codes and foreign words, where punctuation is not prose."""
    norm = ctx.doc.normalized
    spans = []
    # Token offsets are original offsets; map back through the normal form's start table.
    back: dict[int, int] | None = None
    toks, kinds = ctx.doc.tokens, ctx.kinds
    for j in range(len(kinds)):
        k = kinds[j]   # the kinds' list: no token is read but the protected ones
        if k is URL or k is CODE or k is FOREIGN or k is DATE or k is NUMBER:
            t = toks[j]
            if norm.text is norm.original:
                a = t.start  # normalisation changed nothing: offsets coincide
            else:
                if back is None:
                    back = {}
                    for i, s in enumerate(norm.starts):
                        back.setdefault(s, i)
                a = back.get(t.start)
            if a is not None:
                spans.append((a, a + len(t.norm)))
    return Spans(spans)


def _inside(spans, a: int, b: int) -> bool:
    return spans.overlaps(a, b)


# --- repeated words ------------------------------------------------------------------------------
# A doubled content word is a slip when one copy makes a lexicon word at least this frequent with
# its other neighbour ("dùng bạo bạo lực", "cảm thấy thấy đau") and no model has seen the
# syllable doubled: the reduplications people write ("chua chua", "ổn ổn") are in the models.
WORD_MIN = 50   # the checker's word evidence starts at the same count (checker.WORD_EVIDENCE_BINS)
CONTENT_CONFIDENCE = 0.88   # 14 of 15 real on all news articles, (14+1)/(15+2) (BENCHMARKS.md §17)


def _repeated(ctx: Context) -> None:
    toks = ctx.doc.tokens
    words = ctx.lex.words

    def count(x: Token | None, y: Token | None) -> int:
        if not (x and y and x.kind is SYLLABLE and y.kind is SYLLABLE):
            return 0
        return words.get(f"{tone_key(x.norm)} {tone_key(y.norm)}", 0)

    content: list[tuple[Token, Token, str]] = []   # doubled content words: the models decide
    lowers = ctx.lowers
    for k in _doubles(lowers):
        a, b = toks[k], toks[k + 1]
        if a.kind is not SYLLABLE or b.kind is not SYLLABLE or not a.valid or a.sentence != b.sentence:
            continue
        gap = ctx.doc.text[a.end:b.start]
        if gap.strip() or "\n" in gap:
            continue
        low = a.norm.lower()
        function = low in FUNCTION_WORDS
        if not function and ctx.pairs_seen is None or low in REDUPLICATIVES \
                or f"{tone_key(low)} {tone_key(low)}" in words:
            continue   # a reduplication ("bay bay"), not a repetition
        prev = toks[k - 1] if k else None
        nxt = toks[k + 2] if k + 2 < len(toks) else None
        left, right = count(prev, a), count(b, nxt)
        if left and right:
            continue   # "cơ quan | quan trọng", "trở thành | thành viên": two words meet
        if nxt is None or nxt.kind is PUNCT or nxt.sentence != b.sentence:
            continue   # "thấy vui vui.", "tóc xoăn xoăn,": an adjective softened at a phrase end
        if _doubled(toks, k - 2) or _doubled(toks, k + 2) or _same(prev, a) or _same(b, nxt):
            continue   # "nhớ nhớ quên quên", "cha cha cha"
        if function:
            _add_repeated(ctx, a, b, low)
        elif max(left, right) >= WORD_MIN:
            content.append((a, b, low))
    if content:
        seen = ctx.pairs_seen([(tone_key(low), tone_key(low)) for _, _, low in content])
        for (a, b, low), was_seen in zip(content, seen):
            if not was_seen:
                _add_repeated(ctx, a, b, low, CONTENT_CONFIDENCE)


def _doubles(lowers: list[str]) -> list[int]:
    """Indexes k where token k and token k + 1 have the same lower-case form."""
    return [k for k in range(len(lowers) - 1) if lowers[k] == lowers[k + 1]]


def _occurrences(text: str, needles) -> list[int]:
    """The sorted start offsets of every occurrence (overlapping ones too) of each of `needles`."""
    out: list[int] = []
    for n in needles:
        i = text.find(n)
        while i >= 0:
            out.append(i)
            i = text.find(n, i + 1)
    out.sort()
    return out


def _starts_back(text: str, anchors: list[int], back, spaces: bool = False) -> list[int]:
    """Candidate starts for `matches_at`: for each anchor offset (increasing), every offset from
    the anchor back over the characters `back(c)` accepts (after a run of spaces first, when
    `spaces`), each offset once and in order."""
    out: list[int] = []
    nxt = 0
    for q in anchors:
        j = q
        if spaces:
            while j and text[j - 1] == " ":
                j -= 1
        while j and back(text[j - 1]):
            j -= 1
        if j < nxt:
            j = nxt
        out.extend(range(j, q + 1))
        if q + 1 > nxt:
            nxt = q + 1
    return out


def _add_repeated(ctx: Context, a: Token, b: Token, low: str, confidence: float = 0.9) -> None:
    ctx.add(REPEATED_WORD, a.start, b.end, f"Từ “{low}” bị lặp lại.", f"The word “{low}” is repeated.",
            [a.text], confidence=confidence, short="Lặp từ")


def _same(x: Token | None, y: Token | None) -> bool:
    return bool(x and y and x.kind is SYLLABLE and x.norm.lower() == y.norm.lower())


def _doubled(toks: list[Token], k: int) -> bool:
    return 0 <= k and k + 1 < len(toks) and _same(toks[k], toks[k + 1])


# --- punctuation runs ------------------------------------------------------------------------------
# The regexes below (and dates.py's) start by consuming one character of a set, so that `re` scans
# for that set in C instead of trying the whole pattern at every position (a leading lookahead
# or lookbehind rules that scan out; it cost ~25 ns a character). tests/test_rules_speed.py keeps
# their plain forms and checks that both match alike. _RUN, plain:
# (?:\.{4,}|…\.+|\.+…|(?<![.\w/])\.\.(?![.\w/])|,{2,}|;{2,}|(?<!:):{2}(?!:))
_RUN = re.compile(r"[.…,;:](?:(?<=\.)\.{3,}|(?<=…)\.+|(?<=\.)\.*…|(?<=\.)(?<![.\w/]\.)\.(?![.\w/])"
                  r"|(?<=,),+|(?<=;);+|(?<=:)(?<!::):(?!:))")
_RUN_PAIRS = ("..", "…", ",,", ";;", "::")   # every _RUN match holds one of these
_RUN_CHARS = ".…,;:"   # and is made of these only


def _run_char(c: str) -> bool:
    return c in _RUN_CHARS


def _run_matches(text: str) -> list[re.Match]:
    """`_RUN.finditer(text)`: a match holds one of _RUN_PAIRS and starts at most a run of
    _RUN_CHARS before it, so only those starts are tried (the scan cost ~50 instructions a
    character of the whole text)."""
    anchors = _occurrences(text, [p for p in _RUN_PAIRS if p in text])
    return matches_at(_RUN, text, _starts_back(text, anchors, _run_char)) if anchors else []


def _runs(ctx: Context, protected) -> None:
    text = ctx.text
    for m in _run_matches(text):
        s = m.group()
        if _inside(protected, m.start(), m.end()):
            continue
        if "." in s or "…" in s:
            if s == "..":
                reps = [".", "..."]
            else:
                reps = ["...", "."] if "…" not in s else ["…", "."]
        else:
            reps = [s[0]]
        ctx.add_norm(PUNCT_RUN, m.start(), m.end(),
                     f"Thừa dấu câu: “{s}”.", f"Run of punctuation: “{s}”.", reps, short="Thừa dấu câu")


_EMPHATIC = re.compile(r"[!?][!?]+")   # [!?]{2,}
_EMPHATIC_PAIRS = ("!!", "!?", "?!", "??")   # every _EMPHATIC match holds one of these


def _emphatic(ctx: Context, protected) -> None:
    text = ctx.text
    if not any(p in text for p in _EMPHATIC_PAIRS):
        return
    for m in _EMPHATIC.finditer(text):
        s = m.group()
        if _inside(protected, m.start(), m.end()):
            continue
        fixed = "?" if "?" in s else "!"
        ctx.add_norm(EMPHATIC, m.start(), m.end(),
                     f"Văn bản trang trọng không dùng “{s}”; chỉ cần “{fixed}”.",
                     f"Formal writing does not use “{s}”; a single “{fixed}” will do.", [fixed],
                     short="Dấu câu lặp")


# --- spacing around punctuation --------------------------------------------------------------------
# (?<=[^\W_])[ \t\u00a0]+([,;:!?]|\.(?!\.))(?=[ \t\n]|$)
_BEFORE = re.compile(r"[ \t\u00a0](?<=[^\W_].)[ \t\u00a0]*([,;:!?]|\.(?!\.))(?=[ \t\n]|$)")
# (?<=[^\W\d_])([,;]|[.:!?](?=[A-ZĐÀ-Ỹ]))(?=[^\W\d_]); the match is the punctuation mark
# Every _BEFORE match ends in one of these: a space, tab or no-break space, then the mark.
_BEFORE_PAIRS = tuple(s + p for s in " \t\u00a0" for p in ",;:!?.")
# `_BEFORE` is tried only where a match can start: back over the spaces from one of
# _BEFORE_PAIRS (a space, tab or no-break space right before a mark), found by one scan for a
# literal " " (cheaper than a substring search per pair) and str.find for a tab or no-break space.
_SPACE_MARK = re.compile(r" [,;:!?.]")
_BEFORE_SPACES = " \t\u00a0"
_BEFORE_MARKS = ",;:!?."
_AFTER_REST = r"(?<=[^\W\d_].)(?:(?<=[,;])|(?=[A-ZĐÀ-Ỹ]))(?=[^\W\d_])"
_AFTER = re.compile(r"[,;.:!?]" + _AFTER_REST)
# _AFTER once per mark: a pattern starting with one literal character is scanned for it in a
# tight loop, twice as fast as for a set; its matches (one character each) are merged by offset.
_AFTER_BY_MARK = tuple((c, re.compile(re.escape(c) + _AFTER_REST)) for c in ",;.:!?")
_LETTERS = re.compile(r"[^\W\d_]+")
_LETTERS_TO_END = re.compile(r"[^\W\d_]+\Z")
_DIGIT_NEXT = re.compile(r"[ \t]*\d")
# The word before a "word,word" match is looked for only this far back: searching all of
# `text[:a]` made the rule quadratic. A longer run of letters is no syllable either way.
_WORD_WINDOW = 32


def _after_matches(text: str) -> list[re.Match]:
    """`_AFTER.finditer(text)`, from one scan per mark the text holds."""
    found = [rx.finditer(text) for c, rx in _AFTER_BY_MARK if c in text]
    if not found:
        return []
    out = [m for it in found for m in it]
    if len(found) > 1:
        out.sort(key=_START)
    return out


_START = methodcaller("start")


def _before_space(c: str) -> bool:
    return c in _BEFORE_SPACES


def _before_matches(text: str) -> list[re.Match]:
    """`_BEFORE.finditer(text)`: a match is a run of spaces, tabs or no-break spaces and a mark
    right after it, so it holds one of _BEFORE_PAIRS and starts back over the spaces from it."""
    anchors = [m.start() for m in _SPACE_MARK.finditer(text)]
    for c in "\t\u00a0":
        if c in text:
            anchors += [i for i in _occurrences(text, [c]) if text[i + 1:i + 2] in _MARK_SET]
    if not anchors:
        return []
    anchors.sort()
    return matches_at(_BEFORE, text, _starts_back(text, anchors, _before_space))


_MARK_SET = frozenset(_BEFORE_MARKS)


def _spacing(ctx: Context, enabled: set[str], protected) -> None:
    text = ctx.text
    if SPACE_BEFORE.id in enabled:
        for m in _before_matches(text):
            p = m.group(1)
            if _inside(protected, m.start(1), m.end(1)):
                continue
            if text[m.start() - 1].isdigit() and _DIGIT_NEXT.match(text, m.end()):
                continue   # a score or ratio: "2 : 1"
            ctx.add_norm(SPACE_BEFORE, m.start(), m.end(),
                         f"Thừa dấu cách trước “{p}”.", f"Space before “{p}”.", [p], short="Thừa dấu cách")
    if SPACE_AFTER.id in enabled:
        for m in _after_matches(text):
            p = m.group()
            a, b = m.start(), m.end()
            if _inside(protected, a - 1, b + 1):
                continue
            left = _LETTERS_TO_END.search(text, max(0, a - _WORD_WINDOW), a).group()
            right = _LETTERS.match(text, b, b + _WORD_WINDOW).group()
            if p in ".:!?" and (len(left) < 2 or left.lower() in _ABBREV_DOT or not left[-1].islower()):
                continue
            if not (is_valid(left) and is_valid(right)):
                continue
            ctx.add_norm(SPACE_AFTER, a, b,
                         f"Thiếu dấu cách sau “{p}”.", f"Missing space after “{p}”.", [p + " "],
                         short="Thiếu dấu cách")


# --- brackets and quotes ---------------------------------------------------------------------------
_PAIRS = {")": "(", "]": "["}
_BRACKET_CHAR = re.compile(r"[()\[\]]")
_STRAIGHT_QUOTE = re.compile('"')
_QUOTE_OR_LINE = re.compile("[\n“”]")
_ENUM = re.compile(r"(?:^|[\s(:;\"\u201c])[0-9a-zA-ZđĐ]{1,3}\)$")


def _balance(ctx: Context, enabled: set[str]) -> None:
    text = ctx.text
    # The brackets' offsets (found by str.find, not a scan of every character), taken line by line.
    marks = _occurrences(text, [c for c in "()[]" if c in text]) if BRACKETS.id in enabled else []
    straight_quotes = QUOTES.id in enabled and ctx.options.picky and '"' in text
    if marks or straight_quotes:
        _balance_lines(ctx, text, marks, straight_quotes)
    if QUOTES.id in enabled:
        _curly_quotes(ctx)


def _balance_lines(ctx: Context, text: str, marks: list[int], straight_quotes: bool) -> None:
    pos = 0
    k, n = 0, len(marks)
    for line in text.split("\n"):
        base, pos = pos, pos + len(line) + 1
        if k < n and marks[k] < pos:
            stack: list[tuple[str, int]] = []
            while k < n and marks[k] < pos:   # this line's brackets
                i = marks[k] - base
                k += 1
                ch = line[i]
                if ch in "([":
                    stack.append((ch, i))
                elif ch in ")]":
                    if stack and stack[-1][0] == _PAIRS[ch]:
                        stack.pop()
                    # _ENUM spans at most 5 characters: search only those (the whole prefix made
                    # a line of n unmatched ")" cost O(n^2)).
                    elif not stack and ch == ")" and (_ENUM.search(line[max(0, i - 4):i + 1])
                                                      or line[max(0, i - 1):i] in (":", ";")):
                        continue   # "a)", "1)" list markers, ":)" smileys
                    else:
                        _bracket_issue(ctx, base + i, ch)
                        stack.clear()
            for ch, i in stack[:1]:
                _bracket_issue(ctx, base + i, ch)
        if straight_quotes and '"' in line:
            straight = [i for i in (m.start() for m in _STRAIGHT_QUOTE.finditer(line))
                        if not (i and line[i - 1].isdigit())]
            if len(straight) % 2:
                _quote_issue(ctx, base + straight[-1], '"')


QUOTE_SPAN_LINES = 6   # a quotation may run over a few paragraphs (news interviews)


def _curly_quotes(ctx: Context) -> None:
    """Pair “ with ” over the text; a pair may span up to QUOTE_SPAN_LINES paragraphs."""
    text = ctx.text
    if "“" not in text and "”" not in text:
        return
    line = 0
    stack: deque[tuple[int, int]] = deque()   # popped at both ends: list.pop(0) was O(n)
    bad: list[int] = []
    at = 0
    # Only the quotes matter; the line breaks before each are counted (not scanned one by one):
    # the quotes opened more than QUOTE_SPAN_LINES lines back expire before the next quote is
    # looked at, which leaves `bad` the same set as expiring them at each line break.
    for i in _occurrences(text, [q for q in "“”" if q in text]):
        line += text.count("\n", at, i)
        at = i
        while stack and line - stack[0][1] > QUOTE_SPAN_LINES:
            bad.append(stack.popleft()[0])
        ch = text[i]
        if ch == "“":
            stack.append((i, line))
        elif ch == "”":
            if stack:
                stack.pop()
            else:
                bad.append(i)
    bad.extend(i for i, _ in stack)
    for i in sorted(bad):
        _quote_issue(ctx, i, text[i])


def _quote_issue(ctx: Context, at: int, q: str) -> None:
    ctx.add_norm(QUOTES, at, at + 1,
                 f"Dấu ngoặc kép “{q}” không có dấu đóng/mở tương ứng.",
                 f"The quotation mark “{q}” has no matching mark.", [],
                 short="Ngoặc kép không cân")


def _bracket_issue(ctx: Context, at: int, ch: str) -> None:
    ctx.add_norm(BRACKETS, at, at + 1,
                 f"Dấu ngoặc “{ch}” không có dấu đóng/mở tương ứng trong đoạn.",
                 f"The bracket “{ch}” has no matching bracket in its paragraph.", [],
                 short="Ngoặc không cân")


# --- stray spaces inside codes ---------------------------------------------------------------------
# Plain form: (?<![\w-])([A-Z][A-Za-z]*[A-Za-z](?:-[A-Za-z]+)*)(?: +-|- +)(\d{1,4})(?![\w/-]|[.,]\d)
# |(?<![\w/-])(\d+/[A-ZĐ]+)(?: +-|- +)([A-ZĐ]+)(?![\w/-]); here the first character of groups 1
# and 3 is matched before them (m.start() to m.end(1) or m.end(3) is the plain group).
_CODE_SPACE = re.compile(
    r"[A-Z\d](?:(?<=[A-Z])(?<![\w-].)([A-Za-z]*[A-Za-z](?:-[A-Za-z]+)*)(?: +-|- +)(\d{1,4})(?![\w/-]|[.,]\d)"  # Covid -19
    r"|(?<=\d)(?<![\w/-].)(\d*/[A-ZĐ]+)(?: +-|- +)([A-ZĐ]+)(?![\w/-]))")                            # 09/CT -TW
_CODE_DASHES = (" -", "- ")   # every _CODE_SPACE match holds one of these
# Before its dash (and the spaces before it), a match holds only these or decimal digits (\d).
_CODE_LEFT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-Đ")


def _code_char(c: str) -> bool:
    return c in _CODE_LEFT or c.isdecimal()


def _code_matches(text: str) -> list[re.Match]:
    """`_CODE_SPACE.finditer(text)`, trying the pattern only at the starts a match can have: back
    from a dash of _CODE_DASHES over the spaces before it, then over `_code_char`s."""
    anchors = _occurrences(text, [d for d in _CODE_DASHES if d in text])
    return matches_at(_CODE_SPACE, text, _starts_back(text, anchors, _code_char, True)) if anchors else []


def _code_space(ctx: Context) -> None:
    text = ctx.text
    for m in _code_matches(text):
        if m.group(1) is not None:
            left, right = text[m.start():m.end(1)], m.group(2)
        else:
            left, right = text[m.start():m.end(3)], m.group(4)
        fixed = f"{left}-{right}"
        ctx.add_norm(SPACE_IN_CODE, m.start(), m.end(),
                     f"Thừa dấu cách trong “{m.group()}”; viết liền “{fixed}”.",
                     f"Stray space in “{m.group()}”; write “{fixed}”.", [fixed], short="Thừa dấu cách")


# --- lowercase sentence start ---------------------------------------------------------------------
_SENTENCE_MARKS = frozenset((".", "!", "?"))   # lowers: only "." lowers to "." (and so on)
def _lowercase_start(ctx: Context) -> None:
    toks = ctx.doc.tokens
    text = ctx.doc.text
    # What the test below needs of a token's and the one before's kinds and forms, from the
    # lists: no token is read but a word after a sentence mark (a sentence start, mostly).
    prev_kind = prev_low = None
    for i, kind, low in zip(indexes(len(toks)), ctx.kinds, ctx.lowers):
        if kind is not SYLLABLE or prev_kind is not PUNCT or i < 2 or prev_low not in _SENTENCE_MARKS:
            prev_kind, prev_low = kind, low
            continue
        prev_kind, prev_low = kind, low
        t = toks[i]
        if not t.sentence_start:
            continue
        if not (t.kind is SYLLABLE and t.valid and t.norm[:1].islower()):
            continue
        dot, word = toks[i - 1], toks[i - 2]
        if dot.kind is not PUNCT or dot.norm not in (".", "!", "?") or text[dot.end:t.start] != " ":
            continue
        if dot.start != word.end or word.kind not in (SYLLABLE, NAME):
            continue
        if len(word.norm) < 2 or word.norm.lower() in _ABBREV_DOT:
            continue
        if i >= 3 and toks[i - 3].kind is PUNCT and toks[i - 3].norm == "." and toks[i - 3].end == word.start:
            continue   # "v.v.", "Ph.D."
        fixed = t.norm[0].upper() + t.norm[1:]
        ctx.add(LOWERCASE_START, t.start, t.end,
                f"Đầu câu nên viết hoa: “{fixed}”.", f"Capitalise the first word of a sentence: “{fixed}”.",
                [fixed], short="Viết hoa đầu câu")


def run(ctx: Context, enabled: set[str]) -> None:
    protected = _Lazy(ctx)
    if REPEATED_WORD.id in enabled:
        _repeated(ctx)
    if PUNCT_RUN.id in enabled:
        _runs(ctx, protected)
    if EMPHATIC.id in enabled:
        _emphatic(ctx, protected)
    if enabled & {SPACE_BEFORE.id, SPACE_AFTER.id}:
        _spacing(ctx, enabled, protected)
    if enabled & {BRACKETS.id, QUOTES.id}:
        _balance(ctx, enabled)
    if SPACE_IN_CODE.id in enabled:
        _code_space(ctx)
    if LOWERCASE_START.id in enabled:
        _lowercase_start(ctx)
