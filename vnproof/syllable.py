"""Vietnamese syllable grammar: parse, compose, validate, Telex and VNI keystrokes.

A written syllable is onset + rhyme + tone. The rhyme holds the optional glide (o/u), the
nucleus and the optional coda. Validity follows Vietnamese phonotactics and spelling rules:
stop codas (c, ch, p, t) take only the sắc or nặng tone; c/k/q, g/gh and ng/ngh follow the
vowel; gi and qu are onsets. Everything here is pure and works on lower-case NFC strings.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .text import TONE_BY_NUMBER, match_case, split_tone

ONSETS = ("ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu",
          "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")

_BASE_RHYMES = """
a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
o oc oi om on ong op ot ooc oong ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut uôc uôi uôm uôn uông uôt
ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêng yêt yêu
""".split()
_GLIDE_RHYMES = """
oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oe oec oem oen oeng oeo oet
uân uâng uât uây uê uêch uênh uy uya uych uyên uyêt uyn uynh uyp uyt uyu uơ
""".split()
BASE_RHYMES = frozenset(_BASE_RHYMES)
GLIDE_RHYMES = frozenset(_GLIDE_RHYMES)
RHYMES = frozenset(_BASE_RHYMES + _GLIDE_RHYMES)
# After "qu" the glide is part of the onset: "quân" = qu + ân.
QU_RHYMES = frozenset({r[1:] for r in _GLIDE_RHYMES}
                      | {"i", "it", "in", "inh", "ên", "êt", "ôc", "ynh", "ych", "yn",
                         "ăp", "ơi", "êu", "au", "o"})

VOWELS = frozenset("aăâeêioôơuưy")
MARKED_VOWELS = frozenset("ăâêôơư")
STOP_CODAS = ("ch", "c", "p", "t")
CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "i", "y", "o", "u")
FRONT = ("i", "e", "ê", "y")
STYLES = ("new", "old")  # new: hóa, thủy (mark on o/u); old: hoá, thuỷ (mark on a/y)


@dataclass(frozen=True, slots=True)
class Syllable:
    """A parsed syllable. `rhyme` includes glide, nucleus and coda; `tone` is 0-5."""

    onset: str
    rhyme: str
    tone: int

    @property
    def coda(self) -> str:
        for c in ("ng", "nh", "ch"):
            if self.rhyme.endswith(c):
                return c
        last = self.rhyme[-1:]
        if last in ("c", "m", "n", "p", "t"):
            return last
        return ""

    @property
    def vowels(self) -> str:
        return self.rhyme[: len(self.rhyme) - len(self.coda)]

    def compose(self, style: str = "new") -> str:
        return compose(self.onset, self.rhyme, self.tone, style)


def _split(base: str) -> tuple[str, str] | None:
    """Split a toneless syllable into (onset, rhyme) by the spelling rules, or None."""
    if base in RHYMES:
        return ("", base) if not base.startswith("iê") else None
    for onset in ONSETS:
        if not base.startswith(onset):
            continue
        rest = base[len(onset):]
        if onset == "qu":
            return (onset, rest) if rest in QU_RHYMES else None
        if onset == "gi":
            if rest in RHYMES and rest[:1] not in ("i", "y"):
                return onset, rest
            rest = base[1:]  # gì, gìn, giết: g + i-rhyme, the i shared with the onset
            if rest.startswith("i") and rest in RHYMES:
                return "g", rest  # written with one i; compose() must not double it
            return None
        if rest not in RHYMES:
            return None
        first = rest[0]
        if rest.startswith("yê") and onset:
            return None
        if onset in ("c", "g", "ng") and first in FRONT:
            return None
        if onset in ("c", "k") and rest in GLIDE_RHYMES:
            return None  # "cuân", "coan": this sound is written with qu
        if onset in ("k", "gh", "ngh") and first not in FRONT:
            return None
        return onset, rest
    return None


@lru_cache(maxsize=65536)
def parse(syllable: str) -> Syllable | None:
    """Parse a lower-case NFC syllable; None if it is not a valid Vietnamese syllable."""
    if not syllable or len(syllable) > 8:
        return None
    base, tone = split_tone(syllable)
    if not base.isalpha():
        return None
    # Normalise the old tone placement so parsing does not depend on it.
    parts = _split(base)
    if parts is None:
        return None
    onset, rhyme = parts
    syl = Syllable(onset, rhyme, tone)
    if syl.coda in STOP_CODAS and tone not in (2, 5):
        return None
    if not _tone_position_ok(syllable, syl):
        return None
    return syl


@lru_cache(maxsize=65536)
def parse_loose(syllable: str) -> Syllable | None:
    """Parse the structure even when the tone breaks phonotactics ("nhât": nh + ât, ngang)."""
    syl = parse(syllable)
    if syl is not None:
        return syl
    base, tone = split_tone(syllable)
    parts = _split(base) if base.isalpha() else None
    return Syllable(parts[0], parts[1], tone) if parts else None


def _tone_position_ok(written: str, syl: Syllable) -> bool:
    """A tone mark must sit where one of the two styles puts it ('hoà' ok, 'hòa' ok, 'hoaf' no)."""
    if syl.tone == 0:
        return True
    return written in (compose(syl.onset, syl.rhyme, syl.tone, "new"),
                       compose(syl.onset, syl.rhyme, syl.tone, "old"))


def is_valid(syllable: str) -> bool:
    """True when `syllable` (any case) is a well-formed Vietnamese syllable."""
    return parse(syllable.lower()) is not None


def respell_onset(onset: str, rhyme: str) -> str:
    """Apply the c/k, g/gh, ng/ngh spelling rules to an onset placed before `rhyme`."""
    front = rhyme[:1] in FRONT
    if onset in ("c", "k"):
        return "k" if front else "c"
    if onset in ("g", "gh"):
        return "gh" if front else "g"
    if onset in ("ng", "ngh"):
        return "ngh" if front else "ng"
    return onset


def _tone_index(onset: str, rhyme: str, style: str) -> int:
    """Index in `rhyme` of the vowel that carries the tone mark."""
    coda_len = 0
    for c in ("ng", "nh", "ch"):
        if rhyme.endswith(c):
            coda_len = 2
            break
    else:
        if rhyme[-1:] in ("c", "m", "n", "p", "t"):
            coda_len = 1
    vowel_end = len(rhyme) - coda_len
    vowels = rhyme[:vowel_end]
    marked = [i for i, ch in enumerate(vowels) if ch in MARKED_VOWELS]
    if marked:
        return marked[-1]
    if coda_len:
        return vowel_end - 1
    if len(vowels) == 1:
        return 0
    if len(vowels) >= 3:
        return 1
    if vowels in ("oa", "oe", "uy") and onset != "qu":
        return 0 if style == "new" else 1
    return 0


@lru_cache(maxsize=32_768)   # candidate generation composes ~100 forms for each new syllable
def compose(onset: str, rhyme: str, tone: int, style: str = "new") -> str:
    """Write onset + rhyme with the tone mark placed by `style` ('new' hóa/thủy, 'old' hoá/thuỷ)."""
    if tone == 0 or not rhyme:
        return onset + rhyme
    i = _tone_index(onset, rhyme, style)
    ch = unicodedata.normalize("NFC", rhyme[i] + TONE_BY_NUMBER[tone])
    return onset + rhyme[:i] + ch + rhyme[i + 1:]


def restyle(syllable: str, style: str) -> str:
    """Rewrite a syllable's tone placement in `style`; unknown forms come back unchanged."""
    syl = parse(syllable.lower())
    if syl is None:
        return syllable
    out = syl.compose(style)
    return out if syllable.islower() else match_case(out, syllable)


# --- Keystroke conventions ---------------------------------------------------------------
_TELEX_MARKS = {"â": "aa", "ă": "aw", "ê": "ee", "ô": "oo", "ơ": "ow", "ư": "uw", "đ": "dd"}
_TELEX_TONES = {1: "f", 2: "s", 3: "r", 4: "x", 5: "j"}
_TELEX_TONE_KEYS = {v: k for k, v in _TELEX_TONES.items()}
_VNI_TONE_KEYS = {"1": 2, "2": 1, "3": 3, "4": 4, "5": 5}


def to_telex(syllable: str) -> str:
    """Keystrokes that type `syllable` in Telex: 'việt' -> 'vieetj'."""
    base, tone = split_tone(syllable.lower())
    keys = "".join(_TELEX_MARKS.get(c, c) for c in base.replace("oo", "\0"))
    return keys.replace("\0", "ooo") + _TELEX_TONES.get(tone, "")  # "ooo" types a literal "oo"


def _finish(base: str, tone: int) -> str | None:
    """Compose a decoded toneless base with its tone; accepts ưo/uơ/ươ for the ươ pair."""
    variants = [base]
    for a, b in (("ưo", "ươ"), ("uơ", "ươ"), ("ươ", "uơ")):
        if a in base:
            variants.append(base.replace(a, b))
    for v in variants:
        parts = _split(v)
        if parts is not None:
            out = compose(parts[0], parts[1], tone)
            if parse(out):
                return out
    return None


def from_telex(keys: str) -> str | None:
    """Decode Telex keystrokes ('nghij', 'dduwowcj', 'vieetj') into a syllable, or None."""
    s = keys.lower()
    if not s.isascii() and not any(c in "đâăêôơư" for c in s):
        return None
    tone = 0
    first_vowel = next((i for i, c in enumerate(s) if c in "aeiouyâăêôơư"), None)
    if first_vowel is None:
        return None
    chars = list(s)
    for i in range(len(chars) - 1, first_vowel, -1):
        if chars[i] in _TELEX_TONE_KEYS and (i == len(chars) - 1 or chars[i + 1] in "aeiouywnmgchpt"):
            if i == len(chars) - 1 or i > first_vowel:
                tone = _TELEX_TONE_KEYS[chars[i]]
                del chars[i]
                break
    s = "".join(chars)
    s = s.replace("ooo", "\0")
    for k, v in (("dd", "đ"), ("uow", "ươ"), ("aa", "â"), ("aw", "ă"), ("ee", "ê"), ("oo", "ô"),
                 ("ow", "ơ"), ("uw", "ư")):
        s = s.replace(k, v)
    if "w" in s:
        s = s.replace("w", "ư") if s.count("w") == 1 else s
    s = s.replace("\0", "oo")
    if not s.isalpha():
        return None
    return _finish(s, tone)


def from_vni(keys: str) -> str | None:
    """Decode VNI keystrokes ('vie65t', 'tie61ng') into a syllable, or None."""
    s = keys.lower()
    if not any(c.isdigit() for c in s):
        return None
    tone, out = 0, []
    for c in s:
        if c in _VNI_TONE_KEYS:
            tone = _VNI_TONE_KEYS[c]
        elif c == "6" and out and out[-1] in "aeo":
            out[-1] = {"a": "â", "e": "ê", "o": "ô"}[out[-1]]
        elif c == "7" and any(ch in "ou" for ch in out):
            k = max(i for i, ch in enumerate(out) if ch in "ou")  # the horn may come after the coda
            out[k] = {"o": "ơ", "u": "ư"}[out[k]]
            if out[k] == "ơ" and k > 0 and out[k - 1] == "u":
                out[k - 1] = "ư"
        elif c == "8" and out and out[-1] == "a":
            out[-1] = "ă"
        elif c == "9" and "d" in out:
            out[out.index("d")] = "đ"
        elif c.isalpha():
            out.append(c)
        else:
            return None
    # A horn typed after the coda ("duoc75") applies to the vowel pair.
    s = "".join(out)
    return _finish(s, tone)
