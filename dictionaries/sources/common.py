"""Helpers shared by the sources: NFC, word tokens, the syllable test, TSV output."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Iterable

from vnproof.text import has_vietnamese_marks

WORD_RE = re.compile(r"[^\W\d_]+")

VI_LOWER = ("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợ"
            "pqrstuùúủũụưừứửữựvxyỳýỷỹỵ")
VI_LETTER_SET = frozenset(VI_LOWER)

# tone-marked vowel -> (base vowel, tone index 1..5)
_TONED = {
    "aàáảãạ": "a", "ăằắẳẵặ": "ă", "âầấẩẫậ": "â", "eèéẻẽẹ": "e", "êềếểễệ": "ê",
    "iìíỉĩị": "i", "oòóỏõọ": "o", "ôồốổỗộ": "ô", "ơờớởỡợ": "ơ", "uùúủũụ": "u",
    "ưừứửữự": "ư", "yỳýỷỹỵ": "y",
}
TONE_OF: dict[str, tuple[str, int]] = {
    ch: (base, i) for group, base in _TONED.items() for i, ch in enumerate(group)
}
SYLLABLE_SHAPE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"([aăâeêioôơuưy]{1,3})"
    r"(ch|ng|nh|[cmnpt])?$"
)
OPEN_NUCLEI = frozenset(
    "ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưi ưu ưa ua oai oay oao oeo "
    "uây uôi ươi ươu iêu yêu uya uyu uơ".split())
CLOSED_NUCLEI = frozenset("ă â iê yê uô ươ oă uâ uyê".split())
FREE_NUCLEI = frozenset("a e ê i o ô ơ u ư y oa oe uê uy oo".split())
FRONT = ("i", "e", "ê", "y")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC."""
    return unicodedata.normalize("NFC", text)


def has_vi_diacritic(token: str) -> bool:
    """True if ``token`` carries a Vietnamese diacritic (tone, ă â ê ô ơ ư or đ)."""
    return has_vietnamese_marks(token.lower())


def is_syllable(token: str) -> bool:
    """Check that lower-case ``token`` is a well-formed Vietnamese syllable."""
    if not 0 < len(token) <= 7 or any(ch not in VI_LETTER_SET for ch in token):
        return False
    bare, tones, tone_pos = [], [], -1
    for i, ch in enumerate(token):
        base, tone = TONE_OF.get(ch, (ch, 0))
        bare.append(base)
        if tone:
            tones.append(tone)
            tone_pos = i
    if len(tones) > 1:
        return False
    match = SYLLABLE_SHAPE.match("".join(bare))
    if not match:
        return False
    onset, nucleus, coda = match.group(1) or "", match.group(2), match.group(3) or ""
    if nucleus in OPEN_NUCLEI:
        if coda:
            return False
    elif nucleus in CLOSED_NUCLEI:
        if not coda:
            return False
    elif nucleus not in FREE_NUCLEI:
        return False
    if tones and not _tone_well_placed(tone_pos - len(onset), nucleus, coda):
        return False
    if onset in ("k", "gh", "ngh") and not nucleus.startswith(FRONT):
        return False
    if onset == "c" and nucleus.startswith(FRONT):
        return False
    if coda in ("ch", "nh") and nucleus not in ("a", "ê", "i", "y", "uy", "oa", "uê"):
        return False
    if coda in ("c", "ch", "p", "t") and tones and tones[0] not in (2, 5):
        return False
    return True


def _tone_well_placed(index: int, nucleus: str, coda: str) -> bool:
    if not 0 <= index < len(nucleus):
        return False
    if len(nucleus) == 1:
        return True
    if coda:
        return index == len(nucleus) - 1
    if len(nucleus) == 3:
        return index == 1
    if nucleus in ("oa", "oe", "uy", "oo"):
        return True
    if nucleus in ("uơ", "uê", "iê", "yê", "uô", "ươ"):
        return index == 1
    return index == 0


def normalise_word(raw: str) -> str | None:
    """Lower-case NFC ``raw`` with ``_`` -> space; None unless 2-4 well-formed syllables."""
    word = nfc(raw).strip().replace("_", " ").lower()
    parts = word.split()
    if not 2 <= len(parts) <= 4 or not all(is_syllable(p) for p in parts):
        return None
    return " ".join(parts)


def write_tsv(path: Path, rows: Iterable[tuple], comment: str) -> int:
    """Write ``rows`` as tab-separated UTF-8 lines after a ``# `` comment."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# {comment}\n")
        for row in rows:
            fh.write("\t".join(str(x) for x in row) + "\n")
            n += 1
    return n
