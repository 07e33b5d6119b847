"""The checker: tokens -> candidates -> lattice decoding with the language model -> issues.

Spelling is a noisy-channel decision. For a syllable w typed in context, each candidate c
(from `candidates`) gets the score
    log P_lm(sentence with c) + log P(error) + log P(w typed | c meant)
and w itself gets log P_lm(sentence with w) + log(1 - P(error)). P(error) is the base rate
times measured likelihood ratios of the word evidence (see WORD_EVIDENCE_LR) and of the
document (a pair used again, a syllable used once). Scores are turned into posterior
probabilities; adjacent uncertain syllables are decoded jointly, so "quân chúng nhât dân" is
fixed as a whole. The decision (`vnproof.decision`) turns the posterior and what the models know
about the contest into the issue's `confidence`; the level's threshold applies to it.
"""
from __future__ import annotations

import gc
import itertools
import math
import time
from array import array
from functools import lru_cache
from types import MappingProxyType
from typing import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path


import numpy as np

from . import chunks
from .candidates import CandidateGenerator, Row, has_vietnamese_only_marks
from .deadline import Deadline
from .gcpause import paused as collector_paused
from .decision import Decision, SlotView, features, knows_nothing
from .issues import Category, Issue
from .language import without_foreign_spelling
from .rules.house import GLUED as GLUED_PRESS   # "ôtô": house style, not a typo
from .lexicon import Lexicon, data_dir
from .lm import BOS, EOS, PAUSE, MixedModel, NgramModel, model_token
from .options import CheckOptions
from .syllable import parse, parse_loose, restyle
from .text import has_vietnamese_marks, match_case, strip_diacritics, tone_key
from .tokenize import ACRONYM, CODE, FOREIGN, NAME, NUMBER, PUNCT, SYLLABLE, Doc, Kind, Token, require_token_type, tokenize

try:   # cython.compiled: True in the compiled module; False (or no Cython at all) for the .py
    import cython
    require_token_type(__name__, cython.compiled)
except ModuleNotFoundError:
    pass

# Prior probability that a given syllable of edited text is a typo.
ERROR_RATE = 0.004
MAX_CANDIDATES = 24
BASE_CACHE = 100_000  # syllables whose candidates a checker keeps (`_base_candidates`)
JOINT_WINDOW = 2     # syllables closer than this are decoded jointly
JOINT_OPTIONS = 3    # options per syllable kept for the joint decoding (original included)
FOREIGN_VI_COUNT = 2000  # below this syllable count, a frequent European word is taken as foreign
LIVE = 0.02          # slots less likely than this to be typos are settled after the first pass
# Evidence on P(error), as likelihood ratios P(evidence | typo) / P(evidence | clean).
# Word evidence: a candidate "makes a word" when it forms a two-syllable lexicon word of count
# >= 50 with a neighbour; that neighbour is "left alone" when the typed text gives it no word with
# its other neighbour either ("nói chúng và": "nói" is in no word). Uniqueness: the typed
# syllable occurs only once in a text long enough to expect it more often. Repeat: the pair it
# makes with a neighbour is used again elsewhere in the document. All are fitted jointly
# (logistic regression) on the tuning half of viwiki-dev, 359 typos and 123,363 clean
# syllables; `benchmarks/word_evidence.py` refits them and shows the held-out half. The slot
# itself gets "in_word" or "none"; a candidate that makes a word carries its own ratio
# relative to "none" in its prior.
WORD_EVIDENCE_BINS = (50, 200, 1000)
WORD_EVIDENCE_LR = {
    "in_word": 0.45,        # the typed syllable makes a word with a neighbour
    "none": 1.91,           # no candidate makes a word
    "candidate_word": 1.88,  # a candidate makes a word, but its neighbour has one already
    # a candidate makes a word of count 50-199 / 200-999 / >= 1000 with a neighbour left alone
    "alone_50": 18.9, "alone_200": 53.0, "alone_1000": 212.0,
    "alone_edit": 4.5,      # only a two-letter edit does ("huyện đại" -> "hiện đại")
}
UNIQUE_LR = 1.28  # times more likely a typo when the syllable occurs only once in a text long
#                   enough to expect it more often
REPEAT_LR = 0.217  # times as likely a typo when the pair it makes with a neighbour is used again
LOG_WORD_EVIDENCE = {k: math.log(v) for k, v in WORD_EVIDENCE_LR.items()}
LOG_UNIQUE = math.log(UNIQUE_LR)
LOG_REPEAT = math.log(REPEAT_LR)

RULE_NONWORD = "VI_SPELLING_NONWORD"
RULE_CONTEXT = "VI_SPELLING_CONTEXT"
RULE_GLUED = "VI_SPELLING_GLUED"
RULE_SPLIT = "VI_SPELLING_SPLIT"
SHIFT_MIN = 100          # a Shift slip's reading must be a syllable at least this frequent
SHIFT_CONFIDENCE = 0.8   # no word has a capital inside once brands and units are set apart
SPLIT_CONFIDENCE = 0.8   # one piece is no syllable, the joined one is frequent
# Kinds as tokenize's module constants: reading `Kind.X` costs an Enum class-attribute hook.
_NAME_KINDS = frozenset((NAME, ACRONYM))
_TARGET_KINDS = frozenset((SYLLABLE, NAME, FOREIGN))  # what _checkable may accept
_SPLIT_KINDS = frozenset((SYLLABLE, FOREIGN))         # the pieces of a syllable split by a space
_KIND_VALUE = {k: k.value for k in Kind}  # Enum.value is a slow descriptor in a hot loop
_VOWELS = set("aeiouy")
_FENCES = frozenset("\"'“”‘’«»()[]{}")   # no word spans these
_EDGES = frozenset((BOS, EOS, PAUSE))   # neighbours that tell nothing of the context
_TWO_SLIP_KINDS = frozenset(("edit2", "word"))   # candidate kinds of two changed letters (candidates.ERROR_TYPES)


@dataclass
class CheckResult:
    """All issues of one call, and whether the time budget cut the work short."""

    issues: list[Issue]
    incomplete: bool = False
    seconds: float = 0.0


class _Slot:
    """A checkable syllable inside a sentence.

    A plain class with `__slots__` and a positional `__init__`: one is made per checked
    syllable, and a dataclass's generated `__init__` (with its default factories) cost 5-8% of
    a pass. Compiled, it is an extension type (`checker.pxd`): 16 attribute stores per slot
    through the generic setattr were another 2.6%."""

    __slots__ = ("index", "token", "typed", "nonword", "repeats", "unique", "evidence",
                 "word_kinds", "log_err", "options", "scores", "lm", "seen_left", "seen_right",
                 "fence_left", "fence_right")

    def __init__(self, index: int, token: Token, typed: str, nonword: bool):
        self.index = index                 # position in the sentence's model-token list
        self.token = token
        self.typed = typed                 # lower-case NFC form
        self.nonword = nonword             # impossible or unattested syllable
        self.repeats = 0                   # other uses of the same syllable pair in the document
        self.unique = False                # used once in a text long enough to expect it more often
        self.evidence = "none"             # the strongest word evidence, a key of WORD_EVIDENCE_LR
        self.word_kinds: Mapping[str, str] = _NO_WORD_KINDS  # candidate key -> its word evidence
        self.log_err = 0.0                 # log P(typo) before the context is scored (set if live)
        self.options: list[Row] | tuple = ()   # set, with the scores, for a slot left uncertain
        self.scores: np.ndarray | None = None      # log scores, original first
        self.lm: np.ndarray | None = None          # first-pass LM log-prob of each option's trigrams
        self.seen_left: np.ndarray | None = None   # whether each option's bigram with the left neighbour
        self.seen_right: np.ndarray | None = None  # (right neighbour) was seen by a model
        # A quote or bracket between the syllable and its left (right) neighbour: no word
        # spans it ("hai “cẩu tặc”" is not "hải cẩu").
        self.fence_left = False
        self.fence_right = False

    def __repr__(self) -> str:
        return f"_Slot({self.index}, {self.typed!r}, nonword={self.nonword}, evidence={self.evidence!r})"


_NO_WORD_KINDS: Mapping[str, str] = MappingProxyType({})   # shared, read-only
_NO_WORDS: dict[str, int] = {}   # no words: a shared dict (typed dict lookups in C), never written


def _style_of(form: str) -> str:
    syl = parse(form)
    if syl is not None and syl.tone and syl.compose("old") != syl.compose("new") and form == syl.compose("old"):
        return "old"
    return "new"


class Checker:
    """A reusable, thread-safe checker. Loading the data takes about a second; do it once.

    `models` are house models built by `vnproof train`; they are interpolated with the default
    model (weight `house_weight` shared among them).
    """

    def __init__(self, models: list[str | Path] | None = None, *, level: str = "default",
                 data: str | Path | None = None, house_weight: float = 0.5,
                 error_rate: float = ERROR_RATE):
        folder = Path(data) if data else data_dir()
        self.lexicon = Lexicon.load(folder)
        self.generator = CandidateGenerator(self.lexicon)
        default = NgramModel.load(folder / "lm")
        house = [NgramModel.load(p) for p in (models or [])]
        weights = [1.0 - house_weight] + [house_weight / len(house)] * len(house) if house else [1.0]
        self.lm = MixedModel([default] + house, weights)
        # A fixed vocabulary of every candidate syllable, mapped once to each model's ids.
        self.base_vocab = (BOS, EOS, *sorted(self.generator.known))   # a tuple: untracked by the GC
        self.base_index = {t: i for i, t in enumerate(self.base_vocab)}
        self.lm.set_base_vocab(self.base_vocab)
        self._base_cache: dict[str, tuple] = {}   # typed syllable -> _base_candidates
        # Frequent two-syllable words by one syllable: key -> {key after (before) it: count}.
        self._word_after: dict[str, dict[str, int]] = {}
        self._word_before: dict[str, dict[str, int]] = {}
        # Every two-syllable lexicon word as the code (a << 32) | b of its parts' base ids, for
        # `_in_words`; the parts outside the base vocabulary, whose pairs are looked up by name.
        codes: list[int] = []
        outside: set[str] = set()
        index = self.base_index
        for w, n in self.lexicon.words.items():
            parts = w.split(" ")
            if len(parts) != 2:
                continue
            if n >= WORD_EVIDENCE_BINS[0]:
                self._word_after.setdefault(parts[0], {})[parts[1]] = n
                self._word_before.setdefault(parts[1], {})[parts[0]] = n
            a, b = index.get(parts[0]), index.get(parts[1])
            if a is None or b is None:
                outside.update(x for x in parts if x not in index)
            else:
                codes.append((a << 32) | b)
        self._word_codes = np.unique(np.array(codes, np.uint64))
        self._outside_word_parts = frozenset(outside)
        self.decision = Decision.load(folder / "decision.json")
        self.level = level
        self.log_err = math.log(error_rate)
        self.log_ok = math.log(1.0 - error_rate)
        # The tables just loaded live as long as the checker: move them (and whatever else exists
        # now) out of the cyclic collector's view, which walked them in every full collection
        # (BENCHMARKS.md §14: 0.9 of 1.2 s a viwiki-dev pass). gc.unfreeze() undoes it.
        gc.freeze()

    def with_models(self, house: list[NgramModel], house_weight: float = 0.5) -> "Checker":
        """A checker sharing this one's lexicon, candidates and default model (no reload, no copy
        of the memory-mapped arrays), mixing already loaded `house` models in instead of its own."""
        import copy

        other = copy.copy(self)
        weights = [1.0 - house_weight] + [house_weight / len(house)] * len(house) if house else [1.0]
        other.lm = MixedModel([self.lm.models[0]] + list(house), weights)
        other.lm.set_base_vocab(self.base_vocab)
        # Candidates do not depend on the models: the copy shares this checker's cache of them.
        return other

    # -- public API ---------------------------------------------------------------------------
    def check(self, text: str, **options) -> list[Issue]:
        """Check `text`; issues sorted by offset. See `CheckOptions` for the options."""
        return self.check_detailed(text, **options).issues

    def check_detailed(self, text: str, **options) -> CheckResult:
        if not isinstance(text, str):
            raise TypeError(f"check() needs a str, not {type(text).__name__}")
        options.setdefault("level", self.level)
        opts = CheckOptions.make(**options)
        t0 = time.perf_counter()
        deadline = Deadline.after(opts.time_budget)
        issues: list[Issue] = []
        with collector_paused:   # the cyclic collector waits (vnproof.gcpause)
            for offset, part in chunks.parts(text):   # one part up to chunks.CHUNK_CHARS
                if deadline.expired():
                    break
                issues.extend(chunks.shift(self._check_part(part, opts, deadline), offset))
        if len(text) > chunks.CHUNK_CHARS:
            from .rules import cap

            issues = cap(issues, opts)            # the per-text caps, over all parts
        issues.sort(key=lambda i: (i.offset, i.length, i.rule_id))
        return CheckResult(issues, deadline.cut, time.perf_counter() - t0)

    def _check_part(self, text: str, opts: CheckOptions, deadline: Deadline) -> list[Issue]:
        """Spelling, then the rules, on one part of a text, while the deadline allows."""
        doc = tokenize(text)
        issues = []
        if opts.allows(RULE_CONTEXT, Category.SPELLING.value) or opts.allows(RULE_NONWORD, Category.SPELLING.value):
            spelled, incomplete = self._spelling(doc, opts, deadline.at)
            deadline.cut |= incomplete
            issues.extend(spelled)
        from .rules import run_rules

        if not deadline.expired():
            issues.extend(run_rules(doc, opts, self.lexicon, deadline, self._pairs_seen))
        return without_foreign_spelling(text, issues)   # English quotes, foreign passages

    # -- spelling -----------------------------------------------------------------------------
    def _sentences(self, doc: Doc, opts: CheckOptions) -> tuple[list[tuple[list[str], list[_Slot]]], list[Issue]]:
        """Model tokens per sentence with their checkable slots, and issues that need no context."""
        return _sentences(self, doc, opts)

    def _slip_in_word(self, sent: list[Token], i: int, low: str, seen_pairs: bool = False) -> bool:
        """Whether an unaccented word that is also a European word ("khan") sits between marked
        Vietnamese syllables and one of its candidates makes a frequent word with a neighbour
        ("khan giả" -> khán giả): then it is checked as Vietnamese. With `seen_pairs`, a pair a
        model has seen counts too ("đi hoc" -> "đi học", no lexicon word)."""
        prev = sent[i - 1] if i else None
        nxt = sent[i + 1] if i + 1 < len(sent) else None
        near = [n for n in (prev, nxt) if n is not None and n.kind is SYLLABLE]
        if not near or not all(has_vietnamese_marks(n.norm) for n in near):
            return False
        keys = self._base_candidates(low)[3]
        left = tone_key(prev.norm.lower()) if prev is not None else None
        right = tone_key(nxt.norm.lower()) if nxt is not None else None
        after, before = self._word_after.get(left, _NO_WORDS), self._word_before.get(right, _NO_WORDS)
        if any(k in after or k in before for k in keys):
            return True
        if not seen_pairs:
            return False
        pairs = ([(left, k) for k in keys] if prev is not None and prev.kind is SYLLABLE else []) + \
                ([(k, right) for k in keys] if nxt is not None and nxt.kind is SYLLABLE else [])
        return bool(pairs) and any(self._pairs_seen(pairs))

    def _context_free(self, t: Token, low: str) -> Issue | None:
        """Misplaced tone marks ("tòan"), words run together ("đượcmột") and Shift slips ("chíUnh")."""
        if t.shift:   # the tokenizer's readings, if the lexicon knows them well (not a brand's)
            fixes = sorted((f for f in t.shift if self.lexicon.count(f) >= SHIFT_MIN),
                           key=lambda f: -self.lexicon.count(f))
            if not fixes:
                return None
            reps = [match_case(restyle(f, _style_of(low)), t.norm) for f in fixes]
            return self._issue(t, reps, RULE_NONWORD, SHIFT_CONFIDENCE, "Chữ hoa giữa từ (gõ nhầm phím Shift)",
                               "A capital inside a word (a Shift slip)")
        key = tone_key(low)
        if key in self.generator.known and _vowel_groups(low) < 2:
            fix = match_case(restyle(self.lexicon.forms[key], _style_of(low)), t.norm)
            return self._issue(t, [fix], RULE_NONWORD, 0.9, "Đặt dấu thanh sai vị trí",
                               "Tone mark on the wrong letter")
        if t.kind is NAME:
            split = self._glued_name(low)
        else:
            split = self.generator.split_glued(low) if low not in GLUED_PRESS else None
        if split is not None:
            a, b = split
            fix = match_case(a, t.norm) + " " + b
            return self._issue(t, [fix], RULE_GLUED, 0.6, "Thiếu dấu cách giữa hai tiếng",
                               "Missing space between two words")
        return None

    @lru_cache(maxsize=20_000)   # asked by _checkable, then again by _context_free
    def _glued_name(self, low: str) -> tuple[str, str] | None:
        """A capitalised syllable run into the next word ("Văn Dinhvà các con" -> Dinh, và): two
        frequent syllables, the second with Vietnamese marks (no brand is split: "Samsung"), that
        are no lexicon word together ("Kitô", "Ôtô" are loanwords written joined)."""
        split = self.generator.split_glued(low)
        if split is None or not has_vietnamese_marks(split[1]) \
                or f"{tone_key(split[0])} {tone_key(split[1])}" in self.lexicon.words:
            return None
        return split

    def _spelling(self, doc: Doc, opts: CheckOptions, deadline: float | None) -> tuple[list[Issue], bool]:
        sentences, direct = self._sentences(doc, opts)
        _count_repeats(sentences, self.lexicon, self._pairs_seen)
        # Telex/VNI leftovers among foreign-looking tokens ("nghij", "vie65t").
        issues = self._keystroke_leftovers(doc, opts)
        issues.extend(i for i in direct if opts.allows(i.rule_id, Category.SPELLING.value))
        threshold = self.decision.thresholds[opts.level] if opts.threshold is None else opts.threshold
        incomplete = False
        batch: list[tuple[list[str], list[_Slot]]] = []
        for k, (toks, slots) in enumerate(sentences):
            if slots:
                batch.append((toks, slots))
            if len(batch) >= 256 or (k == len(sentences) - 1 and batch):
                if deadline and time.perf_counter() > deadline:
                    incomplete = True
                    break
                for toks_, slots_ in self._decode(batch):   # the slots left uncertain
                    issues.extend(self._issues(toks_, slots_, threshold, opts))
                batch = []
        return issues, incomplete

    def _keystroke_leftovers(self, doc: Doc, opts: CheckOptions) -> list[Issue]:
        """Telex/VNI leftovers among foreign-looking tokens ("nghij", "vie65t")."""
        return _keystroke_leftovers(self, doc, opts)

    def _pair_seen(self, a: str, b: str) -> bool:
        """Whether a model has seen the bigram of model tokens (a, b)."""
        n = len(self.base_vocab)
        return bool(self.lm.bigram_seen([a, b], np.array([n]), np.array([n + 1]))[0])

    def _pairs_seen(self, pairs: list[tuple[str, str]]) -> list[bool]:
        """`_pair_seen` of each pair, in one query to the models."""
        n, k = len(self.base_vocab), len(pairs)
        names = [a for a, _ in pairs] + [b for _, b in pairs]
        return self.lm.bigram_seen(names, np.arange(n, n + k), np.arange(n + k, n + 2 * k)).tolist()

    def _in_words(self, flat: np.ndarray, names: list[str]) -> np.ndarray:
        """For each position p of `flat` (base ids, then `names`' ids), whether the tokens at p
        and p + 1 make a two-syllable lexicon word; False at the end."""
        out = np.zeros(len(flat), bool)
        q = (flat[:-1].astype(np.uint64) << np.uint64(32)) | flat[1:].astype(np.uint64)
        codes = self._word_codes
        if len(codes) and len(q):
            out[:-1] = codes[np.minimum(np.searchsorted(codes, q), len(codes) - 1)] == q
        odd = [len(self.base_vocab) + j for j, t in enumerate(names) if t in self._outside_word_parts]
        if odd:   # a part outside the base vocabulary: looked up by name
            pairs = np.flatnonzero(np.isin(flat[:-1], odd) | np.isin(flat[1:], odd))
            vocab, nbase, words = self.base_vocab, len(self.base_vocab), self.lexicon.words
            name = lambda i: vocab[i] if i < nbase else names[i - nbase]
            for p in pairs.tolist():
                out[p] = f"{name(int(flat[p]))} {name(int(flat[p + 1]))}" in words
        return out

    def _base_candidates(self, typed: str) -> tuple[tuple[Row, ...], np.ndarray, np.ndarray, dict[str, int], bytes, bytes]:
        """A syllable's own candidates as rows, with vocabulary ids and priors as arrays, each
        candidate key's position, and the arrays' raw bytes (the arrays are read-only views of
        them: `_decode` joins a batch's bytes, far cheaper than concatenating its arrays).

        The cache is a plain dict (hot loops read it directly), emptied when it holds
        BASE_CACHE syllables: an lru_cache's bound-method call and key tuple cost more than
        the rest of an in-word slot's candidates."""
        got = self._base_cache.get(typed)
        if got is None:
            options = self.generator.rows_for_syllable(typed)[:MAX_CANDIDATES]
            ids_raw = np.fromiter((self.base_index[c[1]] for c in options), np.int64, len(options)).tobytes()
            priors_raw = np.fromiter((c[3] for c in options), np.float64, len(options)).tobytes()
            got = (options, np.frombuffer(ids_raw, np.int64), np.frombuffer(priors_raw, np.float64),
                   {c[1]: j for j, c in enumerate(options)}, ids_raw, priors_raw)
            if len(self._base_cache) >= BASE_CACHE:
                self._base_cache.clear()
            self._base_cache[typed] = got
        return got

    @lru_cache(maxsize=10_000)
    def _name_candidates(self, typed: str) -> tuple[tuple[Row, ...], bytes, bytes]:
        """A capitalised word's candidates: it is a name, so only one slip is a credible reading
        of it ("Luậy Dân sự" -> Luật), not two letters changed ("đại ca Toọng", a nickname).
        As `_candidates` gives them."""
        options, ids, priors = self._base_candidates(typed)[:3]
        keep = [j for j, c in enumerate(options) if c[2] not in _TWO_SLIP_KINDS]
        return tuple(options[j] for j in keep), ids[keep].tobytes(), priors[keep].tobytes()

    def _decode(self, batch: list[tuple[list[str], list[_Slot]]]) -> list[tuple[list[str], list[_Slot]]]:
        """Score every slot's options in its original context, then decode close slots jointly
        (`_decode`, a C function in the compiled core). Returns the sentences with slots left
        uncertain, and those slots: the only ones that can give an issue."""
        return _decode(self, batch)

    def _contest(self, names: list[str], flat: np.ndarray, at: np.ndarray, ends: np.ndarray,
                 sizes: np.ndarray, cand: np.ndarray, cand_prior: np.ndarray, log_err: np.ndarray,
                 own_prior: np.ndarray, nonword: np.ndarray, eos: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every slot's options scored in their sentence (`MixedModel.score_options` says how; this
        is its numpy twin, and the code for house models): for the options kept, their slot,
        index (-1 for the typed syllable), prior, LM score, and whether their bigrams with the
        left and right neighbour were seen."""
        l2_s, l1_s, own, r1_s = flat[at - 2], flat[at - 1], flat[at], flat[at + 1]
        m2_s = at + 2 < ends   # a second token to the right (else the slot is last)
        r2_s = np.where(m2_s, flat[np.minimum(at + 2, len(flat) - 1)], eos)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        S = np.repeat(np.arange(len(at)), sizes)
        is_own = np.zeros(len(S), bool)
        is_own[starts] = True
        opt = np.arange(len(S)) - starts[S] - 1          # index into the slot's options; -1 = own
        F = np.empty(len(S), np.int64)
        F[starts] = own
        F[~is_own] = cand
        prior = np.empty(len(S))
        prior[~is_own] = cand_prior + np.repeat(log_err, sizes - 1)
        prior[starts] = own_prior
        # Prune: where the typed syllable has a seen bigram with a neighbour, a candidate with none
        # cannot win; non-words keep all their candidates.
        ev_l, hits_l = self.lm.bigram_lookup(names, l1_s[S], F)   # (L1, F), each model's hits too
        ev_r, hits_r = self.lm.bigram_lookup(names, F, r1_s[S])   # (F, R1)
        ev = ev_l | ev_r
        keep = np.flatnonzero(is_own | ev | ~ev[starts][S] | nonword[S])   # indices: one mask, many takes
        S, F, prior, opt, ev_l, ev_r = S[keep], F[keep], prior[keep], opt[keep], ev_l[keep], ev_r[keep]
        L2, L1, R1, R2, m2 = l2_s[S], l1_s[S], r1_s[S], r2_s[S], m2_s[S]
        K = np.arange(len(F))
        qa = np.concatenate([L2, L1, F[m2]])
        qb = np.concatenate([L1, F, R1[m2]])
        qc = np.concatenate([F, R1, R2[m2]])
        owner = np.concatenate([K, K, K[m2]])
        # The three trigrams' bigrams (qb, qc) and contexts (qa, qb): (L1, F) and (F, R1) were
        # searched for the pruning above; only the slots' own (L2, L1) and (R1, R2) are new.
        _, hits_ll = self.lm.bigram_lookup(names, l2_s, l1_s)
        _, hits_rr = self.lm.bigram_lookup(names, r1_s, r2_s)
        S2 = S[m2]
        bigrams = []
        for (pl, fl), (pr, fr), (pll, fll), (prr, frr) in zip(hits_l, hits_r, hits_ll, hits_rr):
            pl, fl, pr, fr = pl[keep], fl[keep], pr[keep], fr[keep]
            bigrams.append(((np.concatenate([pl, pr, prr[S2]]), np.concatenate([fl, fr, frr[S2]])),
                            (np.concatenate([pll[S], pl, pr[m2]]), np.concatenate([fll[S], fl, fr[m2]]))))
        lp = self.lm.score_ids(names, qa, qb, qc, bigrams=bigrams)
        return S, opt, prior, np.bincount(owner, lp, minlength=len(F)), ev_l, ev_r

    def _joint(self, toks: list[str], slots: list[_Slot]) -> None:
        """Re-decode runs of nearby uncertain slots together over their shared trigrams."""
        live = [s for s in slots if s.scores is not None and len(s.scores) > 1]
        groups: list[list[_Slot]] = []
        for s in live:
            if groups and s.index - groups[-1][-1].index <= JOINT_WINDOW:
                groups[-1].append(s)
            else:
                groups.append([s])
        for g in groups:
            if len(g) < 2:
                continue
            g = g[:4]
            choices = []
            for s in g:
                order = np.argsort(-s.scores[1:])[: JOINT_OPTIONS - 1] + 1
                choices.append([0] + list(order))
            ctx = [BOS, BOS] + toks + [EOS]
            lo = g[0].index + 2
            hi = min(g[-1].index + 2 + 3, len(ctx))
            combos = list(itertools.product(*choices))
            qa, qb, qc, owner = [], [], [], []
            for ci, combo in enumerate(combos):
                seq = list(ctx)
                for s, o in zip(g, combo):
                    seq[s.index + 2] = toks[s.index] if o == 0 else s.options[o - 1][1]
                for q in range(lo, hi):
                    qa.append(seq[q - 2]); qb.append(seq[q - 1]); qc.append(seq[q]); owner.append(ci)
            lp = np.bincount(np.asarray(owner), self.lm.score(qa, qb, qc), minlength=len(combos))
            for ci, combo in enumerate(combos):
                for s, o in zip(g, combo):
                    lp[ci] += (self.log_ok if not s.nonword else self.log_err) if o == 0 else \
                        s.log_err + s.options[o - 1][3]
            post = np.exp(lp - np.logaddexp.reduce(lp))
            for gi, s in enumerate(g):
                marg = np.full(len(s.scores), -np.inf)
                for ci, combo in enumerate(combos):
                    o = combo[gi]
                    marg[o] = np.logaddexp(marg[o], math.log(max(post[ci], 1e-300)))
                s.scores = marg

    def _views(self, toks: list[str], slots: list[_Slot]) -> list[tuple[_Slot, list[int], SlotView]]:
        """Decoded slots of one sentence (`toks`, its model tokens) the typed syllable may be
        wrong in: their best options (indices into the scores, best first) and what the
        decision sees of the contest."""
        out = []
        last = len(toks) - 1
        syllables, total = self.lexicon.syllables, self.lexicon.total
        for s in slots:
            sc = s.scores
            if sc is None or len(sc) == 1:
                continue
            post = np.exp(sc - np.logaddexp.reduce(sc))
            changed = 1.0 - float(post[0])
            if changed < LIVE:
                continue
            order = [int(i) for i in np.argsort(-post, kind="stable") if i != 0 and post[i] > 0.01][:5]
            if not order:
                continue
            top = s.options[order[0] - 1]
            k = order[0]
            view = SlotView(
                posterior=changed, lm_own=float(s.lm[0]), lm_top=float(s.lm[k]),
                own_seen=(bool(s.seen_left[0]), bool(s.seen_right[0])),
                top_seen=(bool(s.seen_left[k]), bool(s.seen_right[k])),
                top_prior=top[3], top_kind=top[2],
                freq_typed=syllables.get(toks[s.index], 0) / total, freq_top=syllables.get(top[1], 0) / total,
                unique=s.unique, repeats=s.repeats, nonword=s.nonword,
                capitalised=s.token.norm[:1].isupper(), options=len(sc) - 1, evidence=s.evidence,
                top_alone=s.word_kinds.get(top[1], "").startswith("alone"),
                word_neighbours=(s.index > 0 and not s.fence_left and toks[s.index - 1] not in _EDGES,
                                 s.index < last and not s.fence_right and toks[s.index + 1] not in _EDGES))
            out.append((s, order, view))
        return out

    def _issues(self, toks: list[str], slots: list[_Slot], threshold: float, opts: CheckOptions) -> list[Issue]:
        out = []
        for s in slots:   # a non-word with no candidate at all
            if s.scores is not None and len(s.scores) == 1 and s.nonword and has_vietnamese_marks(s.typed) \
                    and _vowel_groups(s.typed) < 2 \
                    and opts.allows(RULE_NONWORD, Category.SPELLING.value):
                out.append(self._issue(s.token, [], RULE_NONWORD, 0.5, *_messages(RULE_NONWORD, None, s.token.text, "")))
        views = [v for v in self._views(toks, slots) if not knows_nothing(v[2])]
        if not views:
            return out
        conf = self.decision.confidence(np.array([features(v) for _, _, v in views]))
        for (s, order, view), c in zip(views, conf.tolist()):
            rule = RULE_NONWORD if s.nonword else RULE_CONTEXT
            if c < threshold or not opts.allows(rule, Category.SPELLING.value):
                continue
            style = _style_of(s.typed)
            reps = [match_case(restyle(s.options[i - 1][0], style), s.token.norm) for i in order]
            out.append(self._issue(s.token, reps, rule, round(c, 3),
                                   *_messages(rule, view.top_kind, s.token.text, reps[0])))
        return out

    def slot_rows(self, text: str) -> list[tuple[Token, str, SlotView]]:
        """Every syllable the decision is asked about, with its best fix, before any threshold
        (for fitting and measuring the decision; `check` is the API)."""
        doc = tokenize(text)
        opts = CheckOptions.make(level="picky")
        sentences, _ = self._sentences(doc, opts)
        _count_repeats(sentences, self.lexicon, self._pairs_seen)
        self._decode([(t, s) for t, s in sentences if s])
        return [(s.token, s.options[order[0] - 1][0], v)
                for toks, slots in sentences for s, order, v in self._views(toks, slots)]

    @staticmethod
    def _issue(t: Token, reps: list[str], rule: str, conf: float, msg: str, msg_en: str) -> Issue:
        return Issue(offset=t.start, length=t.end - t.start, text=t.text, replacements=reps,
                     rule_id=rule, category=Category.SPELLING.value, message=msg, message_en=msg_en,
                     confidence=conf, short_message="Chính tả")


KIND_WORDS = {
    "tone": ("dấu thanh", "the tone mark"), "hoi_nga": ("dấu hỏi/ngã", "hỏi/ngã"),
    "mark": ("dấu mũ, dấu móc hoặc chữ đ", "a vowel mark or đ"),
    "mark_tone": ("dấu thanh và dấu mũ/móc", "tone and vowel marks"),
    "onset": ("phụ âm đầu", "the initial consonant"), "onset_any": ("phụ âm đầu", "the initial consonant"),
    "coda": ("phụ âm cuối", "the final consonant"), "rhyme": ("vần", "the rhyme"),
    "word": ("vần", "the rhyme"), "keyboard": ("gõ nhầm phím", "a keyboard slip"),
    "edit": ("thừa hoặc thiếu chữ cái", "a missing or extra letter"),
    "telex": ("gõ sót Telex/VNI", "leftover Telex/VNI keys"), "i_y": ("i/y", "i/y"),
}


def _messages(rule: str, kind: str | None, typed: str, best: str) -> tuple[str, str]:
    """Vietnamese and English messages naming the suspected slip."""
    what_vi, what_en = KIND_WORDS.get(kind or "", ("chính tả", "spelling"))
    if rule == RULE_NONWORD:
        vi = f"«{typed}» không phải âm tiết tiếng Việt thông dụng"
        en = f"“{typed}” is not a common Vietnamese syllable"
    else:
        vi = f"«{typed}» có thể sai {what_vi} trong ngữ cảnh này"
        en = f"“{typed}” may have {what_en} wrong in this context"
    if best:
        vi += f"; có phải «{best}»?"
        en += f"; did you mean “{best}”?"
    return vi, en


_ALONE_BINS = tuple((b, f"alone_{b}") for b in sorted(WORD_EVIDENCE_BINS, reverse=True))


def _word_kind(count: int, alone: bool) -> str:
    """The word evidence of a candidate that makes a lexicon word of `count` (at least the
    smallest bin) with a neighbour. A loop over fixed pairs, not a generator and an f-string
    (hundreds of instructions a call in the compiled core)."""
    if not alone:
        return "candidate_word"
    for least, kind in _ALONE_BINS:
        if count >= least:
            return kind
    raise ValueError(f"a word of count {count} is below the word-evidence bins")


def _nothing_supported(pairs: list[tuple[str, str]]) -> list[bool]:
    return [False] * len(pairs)


def _count_repeats(sentences: list[tuple[list[str], list[_Slot]]], lexicon: Lexicon,
                   supported: Callable[[list[tuple[str, str]]], list[bool]] = _nothing_supported) -> None:
    """Document cache: a syllable pair used again elsewhere in the text is probably meant, and
    a syllable used only once where the text is long enough to expect it more often is a likelier
    slip ("tại" once in a 2,000-syllable article; nothing in a short note).

    A repeat is evidence only for a pair that is a lexicon word or that `supported` (the models)
    knows: habitual misspellings ("sử lý" three times) are repeated too, so an unknown pair
    used again gets no amnesty. `supported` answers for a list of pairs at once (the models'
    one batched query). Sets `unique` and `repeats` of the slots where they are not the default.
    A C function in the compiled core (checker.pxd): its loops read the slots' C fields."""
    # The document's tokens end to end as codes of its distinct tokens; a pair is counted by
    # its code a * V + b, never across a sentence's end. numpy does the counting.
    codes: dict[str, int] = {}   # the distinct tokens, coded in order of first use
    ids: list[int] = []
    lens: list[int] = []
    flat: list[_Slot] = []   # the slots, and their positions in the document
    at: list[int] = []
    start = 0
    for toks, slots in sentences:
        for t in toks:
            c = codes.get(t)
            if c is None:
                c = codes[t] = len(codes)
            ids.append(c)
        for s in slots:
            flat.append(s)
            at.append(start + s.index)
        lens.append(len(toks))
        start += len(toks)
    size = start
    if not size:
        return
    distinct = list(codes)
    ids_a = np.array(ids, np.int64)
    lens_a = np.array(lens, np.int64)
    starts = np.cumsum(lens_a) - lens_a
    within = np.ones(size - 1, bool)      # position p holds a pair (p, p + 1) of one sentence
    within[starts[1:] - 1] = False
    pair_n = np.zeros(size, np.int64)     # uses of the pair at p in the document
    pair_keys = ids_a[:-1][within] * len(distinct) + ids_a[1:][within]
    _, first, inverse, counts = np.unique(pair_keys, return_index=True, return_inverse=True, return_counts=True)
    pair_n[:-1][within] = counts[inverse]
    token_n = np.bincount(ids_a, minlength=len(distinct))
    if not flat:
        return
    where = np.array(at, np.int64)
    edge = np.zeros((2, size), bool)      # a sentence's first (0) and last (1) token
    edge[0, starts] = True
    edge[1, starts + lens_a - 1] = True
    left = np.where(edge[0, where], 0, pair_n[where - 1] - 1)
    right = np.where(edge[1, where], 0, pair_n[where] - 1)
    # Used once in a text long enough to expect it more often (its lexicon frequency times the size).
    once = np.flatnonzero(token_n[ids_a[where]] == 1)
    if len(once):
        syllables, total = lexicon.syllables, lexicon.total
        for k in once.tolist():
            flat[k].unique = syllables.get(distinct[ids[at[k]]], 0) / total * size >= 1.0
    # A pair used again backs its slot only if it is a lexicon word or the models know it:
    # each distinct pair next to such a slot is asked once.
    pair_id = np.full(size, -1, np.int64)   # the distinct pair at p
    pair_id[:-1][within] = inverse
    lid = np.where(left > 0, pair_id[where - 1], -1)
    rid = np.where(right > 0, pair_id[where], -1)
    need = np.unique(np.concatenate([lid[lid >= 0], rid[rid >= 0]]))
    if not len(need):
        return
    words = lexicon.words
    known = np.zeros(len(counts), bool)
    worded, asked, asked_ids = [], [], []   # pairs that are lexicon words; the others: the models decide
    for u, p in zip(need.tolist(), np.flatnonzero(within)[first[need]].tolist()):
        a, b = distinct[ids[p]], distinct[ids[p + 1]]
        if f"{a} {b}" in words:
            worded.append(u)
        else:
            asked.append((a, b))
            asked_ids.append(u)
    known[worded] = True
    if asked:
        known[asked_ids] = supported(asked)
    repeats = np.maximum(np.where(lid >= 0, known[lid] * left, 0), np.where(rid >= 0, known[rid] * right, 0))
    counts_by_slot = repeats.tolist()
    for k in np.flatnonzero(repeats).tolist():
        flat[k].repeats = counts_by_slot[k]


# kind -> token text -> its `_Form`, as `_sentences` reads them: a dict lookup, where
# model_token's lru_cache, str.lower and has_vietnamese_marks cost about 2,000 instructions a token.
# (model token, lower-case form, whether the text is ASCII, whether it has Vietnamese marks,
# whether its lower-case form has: "İ" has, "i̇" has not)
_Form = tuple[str | None, str, bool, bool, bool]
_FORMS: dict[Kind, dict[str, _Form]] = {k: {} for k in Kind}
_FORMS_MAX = 200_000   # forms kept per kind


def _keystroke_leftovers(checker: Checker, doc: Doc, opts: CheckOptions) -> list[Issue]:
    """`Checker._keystroke_leftovers` (a C function in the compiled core, reading its tokens'
    C fields: checker.pxd; hence its loops where `sum` and `any` would do)."""
    from .syllable import from_telex, from_vni

    out = []
    prev_kind = None
    for t in doc.tokens:
        kind = t.kind   # one read per token: only codes and foreign words go further
        after_number, prev_kind = prev_kind is NUMBER, kind
        if kind is not CODE and kind is not FOREIGN:
            continue
        if kind is CODE and t.norm.isalnum() and t.norm.islower() and t.norm[0].isalpha():
            if after_number or _letters(t.norm) < 2:
                continue   # a unit ("4.752 mi2", "30 m3") or a model ("BMW i3", "Audi a4")
            fixed = from_vni(t.norm)  # "vie65t"; VNI keys follow their letter: "41o" is a reading
            if fixed and checker.generator.is_known(fixed) and t.norm not in opts.dictionary \
                    and opts.allows(RULE_NONWORD, Category.SPELLING.value):
                out.append(checker._issue(t, [match_case(fixed, t.norm)], RULE_NONWORD, 0.9,
                                          "Có thể gõ sót phím VNI", "Leftover VNI keystrokes"))
            continue
        if t.kind is not FOREIGN or not t.norm.islower() or t.norm in opts.dictionary \
                or t.norm in checker.lexicon.foreign or len(t.norm) < 3:
            continue
        fixed = from_telex(t.norm) if t.norm.isalpha() else None
        if fixed is None:
            continue
        if fixed == t.norm or not checker.generator.is_known(fixed):
            continue
        # Only when the keys really look typed: a tone key at the end or a doubled mark key.
        if not (t.norm[-1] in "sfrxj" or _has_mark_keys(t.norm)):
            continue
        if checker.lm.known(t.norm):  # a foreign word the models know ("facebook")
            continue
        if not opts.allows(RULE_NONWORD, Category.SPELLING.value):
            continue
        out.append(checker._issue(t, [match_case(fixed, t.norm)], RULE_NONWORD, 0.9,
                                  "Có thể gõ sót dấu (Telex/VNI)", "Leftover Telex/VNI keystrokes"))
    return out


def _letters(word: str) -> int:
    """How many letters `word` has."""
    n = 0
    for c in word:
        if c.isalpha():
            n += 1
    return n


_MARK_KEYS = ("aa", "ee", "oo", "dd", "w")   # Telex keys that add a mark


def _has_mark_keys(word: str) -> bool:
    """Whether `word` holds a Telex key that adds a mark."""
    for p in _MARK_KEYS:
        if p in word:
            return True
    return False

def _candidates(checker: Checker, toks: list[str], slot: _Slot, alone_left: bool, alone_right: bool
                ) -> tuple[tuple[Row, ...], bytes, bytes]:
    """The candidates of a slot that makes no lexicon word with a neighbour (`_decode` takes
    the others' from `_base_candidates`), as rows (`candidates.Row`), with the raw bytes of
    their vocabulary ids (int64) and priors (float64). `alone_left` (`alone_right`): the
    neighbour on that side makes no word with its other neighbour either.

    The priors include each candidate's word evidence; the rows' own priors do not (a row
    is only read for the few slots left uncertain: `_decode` takes the prior from here).
    Only the few priors that change are rewritten, in an `array` copy of the cached bytes.
    A C function in the compiled core (checker.pxd)."""
    i = slot.index
    prev = toks[i - 1] if i > 0 and not slot.fence_left else None
    nxt = toks[i + 1] if i + 1 < len(toks) and not slot.fence_right else None
    typed = slot.typed
    cache, word_after, word_before = checker._base_cache, checker._word_after, checker._word_before
    got = cache.get(typed) or checker._base_candidates(typed)
    options, index, ids_raw, priors_raw = got[0], got[3], got[4], got[5]
    after, before = word_after.get(prev, _NO_WORDS), word_before.get(nxt, _NO_WORDS)
    # (rows_from_words has none for a syllable of under four letters)
    extra = checker.generator.rows_from_words(typed, prev, nxt) if len(typed) >= 4 else ()
    # Each candidate that makes a word with a neighbour gets that word's evidence.
    found: dict[str, str] = {}
    if after:
        _words_made(found, index, after, alone_left)
    if before:
        _words_made(found, index, before, alone_right)
    for c in extra:
        key = c[1]
        if key in after and key not in found:
            found[key] = "alone_edit" if alone_left else "candidate_word"
        if key in before and key not in found:
            found[key] = "alone_edit" if alone_right else "candidate_word"
    if found:
        slot.evidence = max(found.values(), key=WORD_EVIDENCE_LR.__getitem__)
        slot.word_kinds = found
    if extra:
        extra = [c for c in extra if c[1] not in index][:8]
    if not extra and not found:
        return options, ids_raw, priors_raw
    priors = array("d", priors_raw)
    position = index
    if extra:
        options = options + tuple(extra)
        ids_raw = ids_raw + array("q", [checker.base_index[c[1]] for c in extra]).tobytes()
        priors.extend([c[3] for c in extra])
        position = {**index, **{c[1]: len(index) + e for e, c in enumerate(extra)}}
    # Only the few candidates that make a word change: not a new row for each of 24-32.
    none = LOG_WORD_EVIDENCE["none"]
    for k, kind in found.items():
        j = position.get(k)
        if j is not None:
            priors[j] = priors[j] + LOG_WORD_EVIDENCE[kind] - none
    return options, ids_raw, priors.tobytes()


def _words_made(found: dict[str, str], index: dict[str, int], words: dict[str, int], alone: bool) -> None:
    """Into `found`, the word evidence of each candidate (a key of `index`) that makes one of
    `words` (the neighbour's, by the key on the candidate's side: count) with the neighbour,
    unless a stronger one is there already. The smaller dict's keys are looked up in the
    larger (a C function in the compiled core: no set is built, as `&` of the views built)."""
    small, large = (index, words) if len(index) <= len(words) else (words, index)
    for k in small:
        if k in large:
            kind = _word_kind(words[k], alone)
            if k not in found or WORD_EVIDENCE_LR[kind] > WORD_EVIDENCE_LR[found[k]]:
                found[k] = kind


def _decode(checker: Checker, batch: list[tuple[list[str], list[_Slot]]]) -> list[tuple[list[str], list[_Slot]]]:
    """`Checker._decode`: every slot's options scored in its original context, then close
    slots decoded jointly; returns the sentences with slots left uncertain, with those slots.

    All trigram queries of the batch go to the model in one vectorised call; tokens are
    indices into the checker's fixed candidate vocabulary, extended per call (`names`).
    Posteriors are computed for all slots at once; only uncertain slots keep their scores.
    A C function in the compiled core (checker.pxd): its loops read the slots' C fields."""
    base = checker.base_index
    nbase, bos, eos = len(base), base[BOS], base[EOS]
    extra: dict[str, int] = {}   # tokens outside the base vocabulary, ids from nbase on
    flat: list[int] = []   # the batch's sentences end to end, each [BOS, BOS] + tokens + [EOS]
    at: list[int] = []     # each slot's position in `flat`
    ends: list[int] = []   # and its sentence's end there
    slots_flat: list[_Slot] = []
    slot_toks: list[list[str]] = []
    for toks, slots in batch:
        o = len(flat) + 2
        flat.append(bos)
        flat.append(bos)
        for t in toks:
            i = base.get(t)
            if i is None:
                i = extra.get(t)
                if i is None:
                    i = extra[t] = nbase + len(extra)
            flat.append(i)
        flat.append(eos)
        end = len(flat)
        for slot in slots:
            slots_flat.append(slot)
            slot_toks.append(toks)
            at.append(o + slot.index)
            ends.append(end)
    n_slots = len(slots_flat)
    if not n_slots:
        return []
    names = list(extra)
    flat_a, at_a = np.asarray(flat, np.int64), np.asarray(at, np.int64)
    # Which neighbours make a word: the slot with either (it is part of a word already: its
    # own candidates only), each neighbour with its other neighbour (else it is "alone").
    pair = checker._in_words(flat_a, names)
    left_word, right_word = pair[at_a - 1].tolist(), pair[at_a].tolist()
    alone_left, alone_right = (~pair[at_a - 2]).tolist(), (~pair[at_a + 1]).tolist()
    # Each slot's log P(error) before the context: the base rate, its own word evidence,
    # uniqueness and repeats (candidates that make a word carry theirs in their priors).
    log_err0, log_ok, in_word, none = checker.log_err, checker.log_ok, LOG_WORD_EVIDENCE["in_word"], LOG_WORD_EVIDENCE["none"]
    rows, ids_raw, priors_raw = [], [], []
    sizes, nonword, log_err, own_prior = [], [], [], []
    cache = checker._base_cache
    for k in range(n_slots):
        slot = slots_flat[k]
        inw = False
        if slot.token.kind is NAME:
            options, ids_b, priors_b = checker._name_candidates(slot.typed)
        elif left_word[k] and not slot.fence_left or right_word[k] and not slot.fence_right:
            slot.evidence = "in_word"   # part of a word already: no two-letter edits
            got = cache.get(slot.typed) or checker._base_candidates(slot.typed)
            options, ids_b, priors_b = got[0], got[4], got[5]
            inw = True
        else:
            options, ids_b, priors_b = _candidates(checker, slot_toks[k], slot, alone_left[k], alone_right[k])
        rows.append(options)
        ids_raw.append(ids_b)
        priors_raw.append(priors_b)
        sizes.append(len(options) + 1)
        nonword.append(slot.nonword)
        # (the sum in this order: as numpy's of the evidence arrays, the same float)
        log_err.append(log_err0 + ((in_word if inw else none) + (LOG_UNIQUE if slot.unique else 0.0)
                                   + (LOG_REPEAT if slot.repeats > 0 else 0.0)))
        own_prior.append(log_err0 if slot.nonword else log_ok)   # an unattested form is rarely meant
    nonword_a = np.array(nonword, bool)
    contest = (names, flat_a, at_a, np.asarray(ends, np.int64), np.asarray(sizes, np.int64),
               np.frombuffer(b"".join(ids_raw), np.int64), np.frombuffer(b"".join(priors_raw), np.float64),
               np.asarray(log_err), np.asarray(own_prior), nonword_a, eos)
    # One pass of the LM kernel where it can score alone; the numpy code is its twin.
    scored = checker.lm.score_options(*contest)
    S, opt, prior, lm_part, ev_l, ev_r = scored if scored is not None else checker._contest(*contest)
    kept = np.bincount(S, minlength=n_slots)   # options left after the pruning, typed one first
    starts = np.concatenate([[0], np.cumsum(kept)[:-1]])
    scores = lm_part + prior
    uncertain: list[tuple[list[str], list[_Slot]]] = []
    for k in _uncertain(scores, starts, kept, nonword_a).tolist():
        slot = slots_flat[k]
        if not uncertain or uncertain[-1][0] is not slot_toks[k]:
            uncertain.append((slot_toks[k], []))
        uncertain[-1][1].append(slot)
        lo, hi = starts[k], starts[k] + kept[k]
        options, own_priors = rows[k], array("d", priors_raw[k]).tolist()
        # rows (text, key, kind, prior) with the prior the contest used
        slot.options = [options[j][:3] + (own_priors[j],) for j in opt[lo + 1:hi].tolist()]
        slot.scores = scores[lo:hi]
        slot.log_err = log_err[k]
        slot.lm, slot.seen_left, slot.seen_right = lm_part[lo:hi], ev_l[lo:hi], ev_r[lo:hi]
    for toks, slots in uncertain:
        checker._joint(toks, slots)
    return uncertain


def _uncertain(scores: np.ndarray, starts: np.ndarray, kept: np.ndarray, nonword: np.ndarray) -> np.ndarray:
    """The slots (indices) whose posterior of a change is over LIVE, and the non-words left
    with no candidate: `scores` holds each slot's options from `starts`, the typed one first.

    The exact posterior 1 - exp(own - logsumexp) is computed only where its bound
    (options - 1) * exp(best other - own) can pass LIVE (with a factor 2 for rounding)."""
    own = scores[starts]
    other = scores.copy()
    other[starts] = -np.inf
    best = np.maximum.reduceat(other, starts)
    with np.errstate(over="ignore"):
        bound = (kept - 1) * np.exp(best - own)
    maybe = np.flatnonzero(bound > LIVE / 2)
    out = [np.flatnonzero((kept == 1) & nonword)]
    if len(maybe):
        n = kept[maybe]
        sub_starts = np.concatenate([[0], np.cumsum(n)[:-1]])
        sel = np.repeat(starts[maybe] - sub_starts, n) + np.arange(int(n.sum()))
        sub, sub_S = scores[sel], np.repeat(np.arange(len(maybe)), n)
        top = np.maximum(best[maybe], own[maybe])
        lse = top + np.log(np.add.reduceat(np.exp(sub - top[sub_S]), sub_starts))
        changed = 1.0 - np.exp(own[maybe] - lse)
        out.append(maybe[changed > LIVE])
    return np.unique(np.concatenate(out))


def _sentences(checker: Checker, doc: Doc, opts: CheckOptions) -> tuple[list[tuple[list[str], list[_Slot]]], list[Issue]]:
    """`Checker._sentences`: model tokens per sentence with their checkable slots, and issues
    that need no context (a C function in the compiled core, reading tokens' and slots' C
    fields: checker.pxd)."""
    out, direct = [], []
    known = checker.generator.known
    dictionary = opts.dictionary
    split_rule = opts.allows(RULE_SPLIT, Category.SPELLING.value)
    forms = _FORMS
    forms_kind, cache = None, None   # the kind `cache` holds: most tokens have the one before's
    for sent in doc.sentences():
        # Each token's `_Form`, looked up once: the tests below read it for the token and its
        # neighbours.
        entries: list[_Form] = []
        for t in sent:
            if t.kind is not forms_kind:
                forms_kind = t.kind
                cache = forms[forms_kind]
            e = cache.get(t.norm)
            entries.append(e if e is not None else _forms(forms_kind, t.norm))
        _mark_foreign(checker, sent, entries)
        foreign_sentence = _mostly_unmarked(sent, entries)
        toks: list[str] = []
        slots: list[_Slot] = []
        # Tokens of a syllable split by a space: "tr ường"; or a sentence's first capital set
        # apart, as a page's drop cap is when it is scraped ("H ãng" for Hãng).
        joined: set[int] = set()
        n = len(sent)
        for i in range(n - 1):
            a, b = sent[i], sent[i + 1]
            if a.valid and b.valid:
                continue   # two well-formed syllables are never a split one (join_split says None)
            if a.kind in _SPLIT_KINDS and b.kind in _SPLIT_KINDS and b.start == a.end + 1 and doc.text[a.end] == " " and b.norm.islower() \
                    and (a.norm[1:].islower() or i == 0 and len(a.norm) == 1 and a.norm.isupper()) \
                    and i not in joined:
                low_a, low_b = entries[i][1], entries[i + 1][1]
                if not (dictionary and (low_a in dictionary or low_b in dictionary)) and split_rule:
                    fix = checker.generator.join_split(low_a, b.norm)
                    if fix is not None:
                        joined.update((i, i + 1))
                        rep = match_case(fix, a.norm)
                        direct.append(Issue(offset=a.start, length=b.end - a.start, text=doc.text[a.start:b.end],
                                            replacements=[rep], rule_id=RULE_SPLIT, category=Category.SPELLING.value,
                                            message=f"Một tiếng bị tách đôi; có phải «{rep}»?",
                                            message_en=f"One syllable split by a space; did you mean “{rep}”?",
                                            confidence=SPLIT_CONFIDENCE, short_message="Chính tả"))
        fenced = False   # a quote or bracket since the last model token
        for i in range(n):
            t = sent[i]
            kind = t.kind   # read once: attribute reads of a Token are a good part of this loop
            e = entries[i]
            m = e[0]
            if m is None:
                if kind is PUNCT and t.norm in _FENCES:
                    fenced = True
                    if slots and slots[-1].index == len(toks) - 1:
                        slots[-1].fence_right = True
                continue
            if not m:   # "": a sentence boundary
                if toks:
                    out.append((toks, slots))
                toks, slots = [], []
                continue
            if kind in _TARGET_KINDS and (not joined or i not in joined):
                low = e[1]
                if _checkable(checker, t, low, sent, entries, i, dictionary, foreign_sentence):
                    n_slots = len(slots)
                    if t.valid:   # m is the syllable's tone key, as is_known looks it up
                        key = m if kind is SYLLABLE else tone_key(low)
                        slots.append(_Slot(len(toks), t, low, key not in known))
                    else:
                        fix = checker._context_free(t, low)
                        if fix is not None:
                            direct.append(fix)
                        elif (_vowel_groups(low) < 2 or len(low) <= 7 and has_vietnamese_only_marks(low)) and not t.shift:
                            # one syllable, or a short one with marks only Vietnamese has ("ucộc")
                            slots.append(_Slot(len(toks), t, low, True))
                    if fenced and len(slots) > n_slots:
                        slots[-1].fence_left = True
            toks.append(m)
            fenced = False
        if toks:
            out.append((toks, slots))
    return out, direct


def _mark_foreign(checker: Checker, sent: list[Token], entries: list[_Form]) -> None:
    """Undiacritised words that are frequent European words and rare Vietnamese ones ("the",
    "of", "des") are foreign; so are ambiguous ones ("to", "on") next to foreign words. A token
    made foreign gets its foreign `_Form` in `entries`. (A C function in the compiled core,
    checker.pxd: hence its loops.)"""
    foreign = checker.lexicon.foreign
    if not foreign:
        return
    maybe = []
    for i in range(len(sent)):
        t = sent[i]
        if t.kind is SYLLABLE:
            e = entries[i]
            if e[2]:   # ASCII
                low = e[1]
                if low in foreign:
                    if checker.lexicon.count(low) < FOREIGN_VI_COUNT and not checker._slip_in_word(sent, i, low):
                        t.kind = FOREIGN
                        entries[i] = _forms(FOREIGN, t.norm)
                    else:
                        maybe.append(i)
    for i in maybe:
        for j in (i - 1, i + 1):
            if 0 <= j < len(sent):
                n = sent[j]
                if n.kind is FOREIGN:
                    t = sent[i]
                    t.kind = FOREIGN
                    entries[i] = _forms(FOREIGN, t.norm)
                    break


def _checkable(checker: Checker, t: Token, low: str, sent: list[Token], entries: list[_Form], i: int,
               dictionary: frozenset[str], foreign_sentence: bool) -> bool:
    """Whether a token (`low`: its lower-case form; `entries`: the sentence's `_Form`s) is a
    spelling target for `checker`, given the options' `dictionary`. Names, codes and foreign
    words are context.

    A module function (declared `cpdef` in checker.pxd, so `_sentences` calls it in C: as a
    method, the call cost more than the test), hence its loops where `any` would do."""
    kind = t.kind
    if kind is not SYLLABLE and kind is not NAME and kind is not FOREIGN:
        return False
    if dictionary and low in dictionary:
        return False
    if kind is NAME and not t.valid and len(low) <= 14 and checker._glued_name(low) is not None:
        return True   # a name run into the next word: "Văn Dinhvà các con"
    if len(low) > 8:
        return False
    if t.shift:
        return True   # a Shift slip: _context_free decides
    prev = sent[i - 1] if i else None
    nxt = sent[i + 1] if i + 1 < len(sent) else None
    if kind is SYLLABLE:
        if nxt is not None and (nxt.kind is NAME or nxt.kind is ACRONYM) and t.norm[0].isupper():
            return False  # the first word of a name: "Đặng Văn Ngữ"
        foreign_near = foreign_sentence or (nxt is not None and nxt.kind is FOREIGN) \
            or (prev is not None and prev.kind is FOREIGN)
        # Next to foreign words only a marked, well-formed syllable: not "in the", "Köztársaság tér".
        return not foreign_near or (entries[i][4] and parse_loose(low) is not None)
    if kind is NAME:
        # A capitalised word inside a sentence: only an unknown form with Vietnamese marks
        # that is not part of a longer name ("Luậy Dân sự", not "Đăk Tô").
        if not entries[i][4] or checker.generator.is_known(low):
            return False
        if prev is not None and prev.kind in _NAME_KINDS or nxt is not None and nxt.kind in _NAME_KINDS:
            return False
        return parse_loose(low) is not None or has_vietnamese_only_marks(low)  # not "Río", "José"
    # A Vietnamese-shaped word that lost its marks ("phuc", "hoc") among Vietnamese words.
    # The tests have no side effects: the cheap ones first, _slip_in_word (a model look-up) last.
    if foreign_sentence or not t.norm.islower() or not t.norm.isalpha():
        return False
    marked = False
    for j in range(i - 1, i + 2, 2):
        if 0 <= j < len(sent):
            n = sent[j]
            if n.kind is FOREIGN:
                return False   # not "de la vie privée"
            if n.kind is SYLLABLE and entries[j][3]:
                marked = True
    return (marked and (parse_loose(low) is not None or checker.generator.unaccented(low))
            and (low not in checker.lexicon.foreign or checker._slip_in_word(sent, i, low, seen_pairs=True)))


def _forms(kind: Kind, norm: str) -> _Form:
    """The `_Form` of a token, kept in `_FORMS`."""
    cache = _FORMS[kind]
    got = cache.get(norm)
    if got is None:
        low = norm.lower()
        got = (model_token(_KIND_VALUE[kind], norm), low, norm.isascii(), has_vietnamese_marks(norm),
               has_vietnamese_marks(low))
        if len(cache) >= _FORMS_MAX:
            cache.clear()
        cache[norm] = got
    return got


def _mostly_unmarked(sent: list[Token], entries: list[_Form]) -> bool:
    """Whether a sentence of four words or more has Vietnamese marks on under 30% of them."""
    words = marked = 0
    for i in range(len(sent)):
        t = sent[i]
        if t.kind in _TARGET_KINDS:
            words += 1
            if entries[i][3]:
                marked += 1
    return words >= 4 and marked < 0.3 * words


def _vowel_groups(word: str) -> int:
    """Runs of vowels: 1 for a syllable, 2+ for loanwords ("ôxít") or glued words."""
    plain = strip_diacritics(word).lower()
    return sum(1 for i, c in enumerate(plain) if c in _VOWELS and (i == 0 or plain[i - 1] not in _VOWELS))
