"""Legacy Vietnamese encodings -> Unicode NFC.

Archives older than ~2005 hold Vietnamese in font encodings that map Vietnamese letters onto
Latin-1 bytes: TCVN3 (ABC, the "Vn" fonts), VNI-Windows (base letter + a mark byte), VIQR
(plain ASCII with ' ` ? ~ . ^ ( + marks) and Windows-1258 (base letter + combining tone).
Newer archives sometimes hold UTF-8 that was read as cp1252 once ("mojibake"); ftfy repairs it.

`decode_bytes(data)` and `fix_text(text)` try every candidate and keep the one whose words are
valid Vietnamese syllables most often; each conversion applied is returned as a short note
("tcvn3", "vni", "viqr", "cp1258", "mojibake") for the report. `UndecodableError` is raised for
data that is not text at all.

The TCVN3 and VNI tables follow the published charts (TCVN 5712:1993 VN3; VNI-Windows). TCVN3
has no codes for capital letters with a tone mark (they were typed in a separate capitals
font with the small-letter codes): `encode_tcvn3` writes them as small letters, and the decoder
restores capitals inside all-capital words ("BàI VIếT" -> "BÀI VIẾT").
"""
from __future__ import annotations

import re
import unicodedata

from ..syllable import is_valid

__all__ = ["UndecodableError", "decode_bytes", "fix_text", "vietnamese_score",
           "decode_tcvn3", "encode_tcvn3", "decode_vni", "encode_vni", "decode_viqr", "encode_viqr",
           "encode_cp1258"]


class UndecodableError(ValueError):
    """The data is not text in any encoding we know (binary, or garbage)."""


# --------------------------------------------------------------------------------------------
# TCVN3 (ABC): one byte per letter; byte values shown as the Latin-1 character they decode to.
_TCVN3 = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
_TCVN3_DEC = {chr(b): u for b, u in _TCVN3.items()}
_TCVN3_ENC = {u: chr(b) for b, u in _TCVN3.items()}
_TCVN3_TRANS = str.maketrans(_TCVN3_DEC)
_WORD = re.compile(r"[^\W\d_]+")


def _restore_caps(text: str) -> str:
    """Upper-case small toned letters inside words whose other letters (>= 2) are capitals."""
    def fix(m: re.Match) -> str:
        w = m.group(0)
        others = [c for c in w if c not in _TCVN3_ENC or c.isupper()]
        if len(others) >= 2 and len(others) < len(w) and all(c.isupper() for c in others):
            return w.upper()
        return w
    return _WORD.sub(fix, text)


def decode_tcvn3(text: str) -> str:
    """TCVN3 text already read as Latin-1/cp1252 characters -> Unicode NFC."""
    return unicodedata.normalize("NFC", _restore_caps(text.translate(_TCVN3_TRANS)))


def encode_tcvn3(text: str) -> bytes:
    """Unicode -> TCVN3 bytes. Toned capitals become small letters (as the capitals font did)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TCVN3_ENC:
            out.append(_TCVN3_ENC[ch])
        elif ch.lower() in _TCVN3_ENC and ch != ch.lower():
            out.append(_TCVN3_ENC[ch.lower()])
        else:
            out.append(ch)
    return "".join(out).encode("cp1252", errors="replace")


# --------------------------------------------------------------------------------------------
# VNI-Windows: base letter followed by a mark byte; ơ ư đ and the i-letters are single bytes.
# Marks after a/e/o/u/y/ơ/ư (small forms; capitals use the capital Latin-1 letters).
_VNI_TONE = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_CIRC = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị"}
_VNI_Y_DOT = "î"  # ỵ = y + î (y takes î for the dot below, not ï)


def _vni_tables() -> tuple[dict[str, str], dict[str, str]]:
    dec: dict[str, str] = {}
    for base in "aeouyôö":
        b = _VNI_SINGLE.get(base, base)
        for mark, comb in _VNI_TONE.items():
            if base == "y" and mark == "ï":
                continue
            dec[base + mark] = unicodedata.normalize("NFC", b + comb)
        if base in "aeo":
            for mark, comb in _VNI_CIRC.items():
                dec[base + mark] = unicodedata.normalize("NFC", b + "\u0302" + comb)
        if base == "a":
            for mark, comb in _VNI_BREVE.items():
                dec[base + mark] = unicodedata.normalize("NFC", b + "\u0306" + comb)
    dec["y" + _VNI_Y_DOT] = "ỵ"
    for k, v in list(dec.items()):
        dec[k.upper()] = v.upper()
    singles = dict(_VNI_SINGLE)
    singles.update({k.upper(): v.upper() for k, v in _VNI_SINGLE.items()})
    return dec, singles


_VNI_PAIRS, _VNI_SINGLES = _vni_tables()
_VNI_RE = re.compile("|".join(sorted(map(re.escape, list(_VNI_PAIRS) + list(_VNI_SINGLES)),
                                     key=len, reverse=True)))
_VNI_ENC = {v: k for k, v in _VNI_PAIRS.items()}
_VNI_ENC.update({v: k for k, v in _VNI_SINGLES.items() if k != v})


def decode_vni(text: str) -> str:
    """VNI-Windows text read as cp1252 characters -> Unicode NFC."""
    out = _VNI_RE.sub(lambda m: _VNI_PAIRS.get(m.group(0)) or _VNI_SINGLES[m.group(0)], text)
    return unicodedata.normalize("NFC", out)


def encode_vni(text: str) -> bytes:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        out.append(_VNI_ENC.get(ch, ch))
    return "".join(out).encode("cp1252", errors="replace")


# --------------------------------------------------------------------------------------------
# VIQR (RFC 1456): a( a^ e^ o^ o+ u+ dd, tones ' ` ? ~ . after the vowel; "\" escapes a mark.
_VIQR_MOD = {"(": "\u0306", "^": "\u0302", "+": "\u031b"}
_VIQR_TONE = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
_VIQR_RE = re.compile(
    r"\\([\(\^\+'`\?~\.\\])"                         # escaped literal
    r"|(dd|DD|Dd)"                                   # đ
    r"|([aeiouyAEIOUY])(\(|\^|\+)?(\?(?![ \t]*(?:\n|$))|\.(?=[^\W_]|[ \t]+[a-z]|[,;:)])|['`~])?")
_VIQR_VALID_MOD = {("a", "("), ("a", "^"), ("e", "^"), ("o", "^"), ("o", "+"), ("u", "+")}


def decode_viqr(text: str) -> str:
    def sub(m: re.Match) -> str:
        if m.group(1) is not None:
            return m.group(1)
        if m.group(2) is not None:
            return "Đ" if m.group(2)[0] == "D" else "đ"
        v, mod, tone = m.group(3), m.group(4), m.group(5)
        out = v
        if mod:
            if (v.lower(), mod) in _VIQR_VALID_MOD:
                out += _VIQR_MOD[mod]
            else:
                out += mod
        if tone:
            out += _VIQR_TONE[tone]
        return out
    return unicodedata.normalize("NFC", _VIQR_RE.sub(sub, text))


_VIQR_MOD_OF = {"\u0306": "(", "\u0302": "^", "\u031b": "+"}
_VIQR_TONE_OF = {v: k for k, v in _VIQR_TONE.items()}


def encode_viqr(text: str) -> bytes:
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in "đĐ":
            out.append("dd" if ch == "đ" else "DD")
            continue
        if ch in "(^+'`?~.\\" and out and (out[-1][-1:].isalpha() or out[-1][-1:] in "(^+'`?~."):
            out.append("\\" + ch)
            continue
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[0], d[1:]
        if base.isascii() and marks and all(m in _VIQR_MOD_OF or m in _VIQR_TONE_OF for m in marks):
            mods = "".join(_VIQR_MOD_OF[m] for m in marks if m in _VIQR_MOD_OF)
            tones = "".join(_VIQR_TONE_OF[m] for m in marks if m in _VIQR_TONE_OF)
            out.append(base + mods + tones)
        else:
            out.append(ch)
    return "".join(out).encode("ascii", errors="replace")


_CP1258_TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Unicode -> Windows-1258 the way Windows wrote it: decomposed tones, base letters kept."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in d if c in _CP1258_TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _CP1258_TONES))
            out.append((base + tones).encode("cp1258", errors="replace"))
    return b"".join(out)


# --------------------------------------------------------------------------------------------
# Detection

def vietnamese_score(text: str, sample: int = 4000) -> tuple[float, int]:
    """(share of words that are valid Vietnamese syllables with a mark, share valid at all) over
    a sample of words, as one score: valid share + bonus for marked syllables. And word count."""
    words = _WORD.findall(text[: sample * 8])[:sample]
    if not words:
        return 0.0, 0
    valid = marked = 0
    for w in words:
        low = w.lower()
        if is_valid(low):
            valid += 1
            if not low.isascii():
                marked += 1
    return (valid + marked) / (2 * len(words)), len(words)


_TCVN3_HINT = re.compile("[\xa1-\xae\xb5-\xfe]")
_VNI_HINT = re.compile("[aeouyAEOUY][\xf9\xf8\xfb\xf5\xef\xe2\xe1\xe0\xe5\xe3\xe4\xea\xe9\xe8\xfa\xfc\xeb"
                       "\xd9\xd8\xdb\xd5\xcf\xc2\xc1\xc0\xc5\xc3\xc4\xca\xc9\xc8\xda\xdc\xcb]|[\xf4\xf6\xf1\xd4\xd6\xd1]")
_VIQR_HINT = re.compile(r"[aeiouyAEIOUY][\(\^\+]?['`\?~\.][^\W\d_]|[aeoAEO]\^|[aA]\(|[ouOU]\+|\bdd")


_UNICODE_VI = re.compile("[ăđơưĂĐƠƯĩũĨŨ\u1ea0-\u1ef9]")


def _candidates(text: str) -> list[tuple[str, str]]:
    cands: list[tuple[str, str]] = []
    n = max(len(text), 1)
    if len(_TCVN3_HINT.findall(text[:20000])) > 0.01 * min(n, 20000):
        cands.append(("tcvn3", decode_tcvn3(text)))
    if len(_VNI_HINT.findall(text[:20000])) > 0.01 * min(n, 20000):
        cands.append(("vni", decode_vni(text)))
    if text.isascii() and len(_VIQR_HINT.findall(text[:20000])) > 0.02 * len(_WORD.findall(text[:20000])):
        cands.append(("viqr", decode_viqr(text)))
    if not text.isascii():
        try:
            import ftfy

            fixed = ftfy.fix_encoding(text)
            if fixed != text:
                cands.append(("mojibake", unicodedata.normalize("NFC", fixed)))
        except ImportError:  # pragma: no cover - ftfy is in the audit extra
            pass
    return cands


def fix_text(text: str) -> tuple[str, list[str]]:
    """Convert legacy Vietnamese inside an already-decoded str. Returns (NFC text, notes)."""
    nfc = unicodedata.normalize("NFC", text)
    notes = []
    if nfc != text and any(0x300 <= ord(c) <= 0x323 for c in text):
        notes.append("decomposed->NFC")
    # Real Unicode Vietnamese: letters beyond Latin-1 (ơ ư đ ă, ạ…ỹ) never occur in TCVN3, VNI,
    # VIQR or mojibake read as Latin-1, so there is nothing to convert.
    head = nfc[:20000]
    if len(_UNICODE_VI.findall(head)) > 0.01 * max(1, len(head)):
        return nfc, notes
    best, best_score = nfc, vietnamese_score(nfc)[0]
    best_note = None
    for note, cand in _candidates(nfc):
        s = vietnamese_score(cand)[0]
        if s > best_score + 0.05:
            best, best_score, best_note = cand, s, note
    if best_note:
        notes.append(best_note)
    return best, notes


_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w\-]+)""", re.I)


def _looks_binary(data: bytes) -> bool:
    head = data[:65536]
    if not head:
        return False
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return True
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    return ctrl > 0.02 * len(head)


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, list[str]]:
    """Bytes of a text file -> (NFC Unicode text, conversion notes). Raises UndecodableError."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return fix_text(data.decode("utf-16"))[0], ["utf-16"]
        except UnicodeDecodeError as e:
            raise UndecodableError(f"bad UTF-16: {e}") from None
    if _looks_binary(data):
        raise UndecodableError("binary data, not text")
    if declared is None:
        m = _HTML_CHARSET.search(data[:4096])
        declared = m.group(1).decode("ascii", "ignore").lower() if m else None
    try:
        text = data.decode("utf-8")
        return fix_text(text)
    except UnicodeDecodeError:
        pass
    # Not UTF-8: a single-byte legacy encoding. Try each reading, keep the most Vietnamese.
    options: list[tuple[str, str]] = []
    if declared and declared.replace("_", "-") not in ("utf-8", "utf8"):
        try:
            decoded = data.decode(declared)
            decoded.encode("utf-8")   # escape codecs a page may name (unicode_escape) make lone surrogates
            options.append((declared, decoded))
        except (LookupError, UnicodeError):   # UnicodeError too: 'undefined', 'idna' raise it bare
            pass
    latin = data.decode("cp1252", errors="replace")
    options.append(("tcvn3", decode_tcvn3(data.decode("latin-1"))))
    options.append(("vni", decode_vni(latin)))
    options.append(("cp1258", unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))))
    options.append(("cp1252", latin))
    scored = [(vietnamese_score(t)[0], -i, name, t) for i, (name, t) in enumerate(options)]
    score, _, name, text = max(scored)
    words = vietnamese_score(text)[1]
    if words >= 20 and score < 0.25 and text.count("\ufffd") > 0.01 * len(text):
        raise UndecodableError("not UTF-8 and no legacy Vietnamese encoding fits")
    text, more = fix_text(text) if name in ("cp1252", declared) else (text, [])
    return text, [name] + more
