"""Translated software: gettext catalogs, Kodi and Mozilla language packs, Battle for Wesnoth."""
from __future__ import annotations

import gettext
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Iterator

from .fetch import Package, deb, fetch_deb
from .textclean import TextSource

# Packages whose Vietnamese gettext catalogs (*.mo) are mined for UI strings.
MO_PACKAGES = tuple(deb(name) for name in (
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
))
KODI = deb("kodi-data")
MOZILLA = (deb("firefox-esr-l10n-vi"), deb("thunderbird-l10n-vi"))
WESNOTH = deb("wesnoth-1.16-data")

FTL_MESSAGE = re.compile(r"^\s*\.?[A-Za-z][\w.-]*\s*=\s*(.*)$")
DTD_ENTITY = re.compile(r'<!ENTITY\s+\S+\s+(["\'])(.*?)\1\s*>', re.S)


def mo_strings(data: bytes) -> Iterator[str]:
    """All msgstr lines of a gettext ``.mo`` catalog."""
    catalog = gettext.GNUTranslations(io.BytesIO(data))._catalog  # type: ignore[attr-defined]
    for key, value in sorted(catalog.items(), key=lambda kv: str(kv[0])):
        if key == "" or not isinstance(value, str):
            continue
        yield from value.split("\n")


def po_strings(text: str) -> Iterator[str]:
    """All non-empty msgstr lines of a gettext ``.po`` file."""
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


def mozilla_strings(xpi: Path) -> Iterator[str]:
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


def _catalog_lines(cache: Path, packages: tuple[Package, ...]) -> Iterator[str]:
    for pkg in packages:
        for mo in sorted(fetch_deb(cache, pkg).rglob("vi/LC_MESSAGES/*.mo")):
            yield from mo_strings(mo.read_bytes())


def debian_ui_lines(cache: Path) -> Iterator[str]:
    """msgstr lines of the Vietnamese ``*.mo`` catalogs in :data:`MO_PACKAGES`."""
    return _catalog_lines(cache, MO_PACKAGES)


def wesnoth_lines(cache: Path) -> Iterator[str]:
    """Vietnamese translation of Battle for Wesnoth (unit descriptions, help, stories)."""
    return _catalog_lines(cache, (WESNOTH,))


def kodi_lines(cache: Path) -> Iterator[str]:
    """msgstr lines of Kodi's Vietnamese ``resource.language.vi_vn`` catalogs."""
    for po in sorted(fetch_deb(cache, KODI).rglob("resource.language.vi_vn/**/strings.po")):
        yield from po_strings(po.read_text(encoding="utf-8", errors="replace"))


def mozilla_lines(cache: Path) -> Iterator[str]:
    """UI strings of the Vietnamese Firefox ESR and Thunderbird language packs."""
    for pkg in MOZILLA:
        for xpi in sorted(fetch_deb(cache, pkg).rglob("langpack-vi@*.xpi")):
            yield from mozilla_strings(xpi)


TEXT = (
    TextSource("wesnoth-vi", wesnoth_lines, "game-fiction", 0.5, (WESNOTH,)),
    TextSource("debian-ui", debian_ui_lines, "software-ui", 0.3, MO_PACKAGES),
    TextSource("kodi-ui", kodi_lines, "software-ui", 0.3, (KODI,)),
    TextSource("mozilla-ui", mozilla_lines, "software-ui", 0.3, MOZILLA),
)
