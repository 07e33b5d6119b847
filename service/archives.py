"""Unpacking uploaded tar/zip archives safely: no absolute paths, no `..`, no links or devices,
a cap on the number of files and on their unpacked size. Every refusal is an `ArchiveError`."""
from __future__ import annotations

import gzip
import io
import posixpath
import shutil
import tarfile
import zipfile
from pathlib import Path

MAX_FILES = 10_000


class ArchiveError(ValueError):
    """The upload is not an archive we unpack; the message says why."""


def kind(data: bytes) -> str | None:
    """'zip', 'tar' (gzip/bzip2/xz or plain), 'gzip' (one gzipped file, not a tar) or None."""
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return "zip"
    if data[:2] == b"\x1f\x8b":
        try:
            head = gzip.GzipFile(fileobj=io.BytesIO(data)).read(512)
        except (OSError, EOFError):
            return "tar"   # damaged: reported as such when unpacked
        return "tar" if head[257:262] == b"ustar" else "gzip"
    if data[:3] == b"BZh" or data[:6] == b"\xfd7zXZ\x00" or data[257:262] == b"ustar":
        return "tar"
    return None


def gunzip(data: bytes, max_bytes: int) -> bytes:
    """One gzipped file (articles.jsonl.gz), at most `max_bytes` once decompressed."""
    try:
        out = gzip.GzipFile(fileobj=io.BytesIO(data)).read(max_bytes + 1)
    except (OSError, EOFError) as e:
        raise ArchiveError(f"damaged gzip file: {e}") from None
    if len(out) > max_bytes:
        raise ArchiveError(f"the gzip file decompresses to more than {max_bytes:,} bytes")
    return out


def _safe_name(name: str) -> str:
    """The member's relative path, or ArchiveError when it could land outside the folder."""
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise ArchiveError(f"archive member {name[:80]!r} has an absolute path")
    norm = posixpath.normpath(name)
    if norm == ".." or norm.startswith("../") or "/../" in f"/{name}/":
        raise ArchiveError(f"archive member {name[:80]!r} points outside the archive ('..')")
    return norm


def extract(data: bytes, dest: Path, max_bytes: int, max_files: int = MAX_FILES) -> list[Path]:
    """Unpack `data` into the (empty) folder `dest`; the files written."""
    what = kind(data)
    if what not in ("zip", "tar"):
        raise ArchiveError("not a tar or zip archive")
    try:
        members = _zip_members(data) if what == "zip" else _tar_members(data)
        out, total = [], 0
        for name, size, is_dir, read in members:
            rel = _safe_name(name)
            if rel in (".", ""):
                continue
            if len(out) >= max_files:
                raise ArchiveError(f"archive has more than {max_files:,} files")
            target = dest / rel
            if is_dir:
                target.mkdir(parents=True, exist_ok=True)
                continue
            total += size
            if total > max_bytes:
                raise ArchiveError(f"archive unpacks to more than {max_bytes:,} bytes")
            target.parent.mkdir(parents=True, exist_ok=True)
            with read() as src, open(target, "wb") as f:
                written = _copy_capped(src, f, max_bytes - (total - size))
            total += written - size   # sizes in headers may lie; count what was written
            out.append(target)
        return out
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as e:
        raise ArchiveError(f"damaged {what} archive: {e}") from None


def _copy_capped(src, dst, cap: int) -> int:
    n = 0
    while chunk := src.read(1 << 20):
        n += len(chunk)
        if n > cap:
            raise ArchiveError("archive unpacks to more than the size limit")
        dst.write(chunk)
    return n


def _zip_members(data: bytes):
    z = zipfile.ZipFile(io.BytesIO(data))
    for info in z.infolist():
        mode = info.external_attr >> 16
        if mode and (mode & 0o170000) not in (0, 0o100000, 0o040000):
            raise ArchiveError(f"archive member {info.filename[:80]!r} is a link or special file")
        yield info.filename, info.file_size, info.is_dir(), (lambda i=info: z.open(i))


def _tar_members(data: bytes):
    t = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
    for m in t:
        if not (m.isfile() or m.isdir()):
            raise ArchiveError(f"archive member {m.name[:80]!r} is a link or special file")
        yield m.name, m.size, m.isdir(), (lambda m=m: t.extractfile(m) or io.BytesIO())


def root_of(folder: Path, marker: str) -> Path | None:
    """The folder holding `marker`: `folder` itself or its only subfolder (an archive of the
    model folder rather than of its files)."""
    if (folder / marker).is_file():
        return folder
    subs = [p for p in folder.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(subs) == 1 and subs[0].is_dir() and (subs[0] / marker).is_file():
        return subs[0]
    return None


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
