"""Vietnamese documentation in Debian packages: man pages, guides, help pages."""
from __future__ import annotations

import gzip
import html.parser
import re
from pathlib import Path
from typing import Iterable, Iterator

from .fetch import deb, fetch_deb
from .textclean import TextSource

MANPAGES = deb("manpages-vi")
MAINT_GUIDE = deb("maint-guide-vi")
INSTALLATION_GUIDE = deb("installation-guide-amd64")
LIBREOFFICE_HELP = deb("libreoffice-help-vi")
HELP_PACKAGES = tuple(deb(name) for name in (
    "gnome-user-docs", "evince-common", "atril-common", "deja-dup",
    "gucharmap", "mate-control-center-common", "mate-panel-common"))


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
    """Visible text lines of an HTML (or Mallard/DocBook XML) document."""
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    return parser.lines


def paragraphs(lines: Iterable[str]) -> Iterator[str]:
    """Join hard-wrapped lines into paragraphs separated by blank lines or bullets."""
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


def _html_pages(pages: Iterable[Path]) -> Iterator[str]:
    for page in pages:
        yield from html_lines(page.read_text(encoding="utf-8", errors="replace"))


def manpages_lines(cache: Path) -> Iterator[str]:
    """Paragraphs of the Vietnamese man pages in ``manpages-vi``."""
    for page in sorted(fetch_deb(cache, MANPAGES).glob("usr/share/man/vi/man*/*.gz")):
        yield from groff_paragraphs(gzip.decompress(page.read_bytes()).decode("utf-8", "replace"))


def maint_guide_lines(cache: Path) -> Iterator[str]:
    """Paragraphs of the Debian New Maintainers' Guide, Vietnamese plain-text edition."""
    for txt in sorted(fetch_deb(cache, MAINT_GUIDE).glob("usr/share/doc/maint-guide-vi/*.vi.txt.gz")):
        yield from paragraphs(gzip.decompress(txt.read_bytes()).decode("utf-8", "replace").splitlines())


def installation_guide_lines(cache: Path) -> Iterator[str]:
    """Text of the Debian installation guide's Vietnamese HTML pages."""
    tree = fetch_deb(cache, INSTALLATION_GUIDE)
    return _html_pages(sorted(tree.glob("usr/share/doc/installation-guide-amd64/vi/*.html")))


def libreoffice_help_lines(cache: Path) -> Iterator[str]:
    """Text of LibreOffice's Vietnamese help pages (``help/vi/**/*.html``)."""
    tree = fetch_deb(cache, LIBREOFFICE_HELP)
    return _html_pages(sorted(tree.glob("usr/share/libreoffice/help/vi/**/*.html")))


def desktop_help_lines(cache: Path) -> Iterator[str]:
    """Text of Vietnamese desktop help (``usr/share/help/vi``: Mallard ``.page``, DocBook ``.xml``)."""
    for pkg in HELP_PACKAGES:
        pages = sorted(fetch_deb(cache, pkg).glob("usr/share/help/vi/**/*"))
        yield from _html_pages(p for p in pages if p.suffix in (".page", ".xml") and p.is_file())


TEXT = (
    TextSource("manpages-vi", manpages_lines, "technical-docs", 0.6, (MANPAGES,)),
    TextSource("maint-guide-vi", maint_guide_lines, "technical-docs", 0.6, (MAINT_GUIDE,)),
    TextSource("installation-guide-vi", installation_guide_lines, "technical-docs", 0.6, (INSTALLATION_GUIDE,)),
    TextSource("libreoffice-help-vi", libreoffice_help_lines, "software-help", 0.5, (LIBREOFFICE_HELP,)),
    TextSource("desktop-help-vi", desktop_help_lines, "software-help", 0.5, HELP_PACKAGES),
)
