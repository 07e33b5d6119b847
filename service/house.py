"""Tenants' house models on disk, and a bounded cache of the checkers that use them.

Layout (every node and worker reading the same folder agrees on it):
  <models_dir>/<tenant>/current       the live version's name; replaced atomically
  <models_dir>/<tenant>/<version>/    a model folder as `vnproof train` writes it
  <models_dir>/<tenant>/.stage-*/     uploads and trainings in progress: never loaded
                                      (.stage-<pid>-<token>-<host tag>: only the host that made
                                      one judges whether its process is alive)
  <models_dir>/<tenant>/training.json the last training job's state
A version is unpacked or trained into a stage folder, checked by `NgramModel.load`, fsynced,
renamed into place, and only then does `current` point at it (temporary file, fsync, rename,
fsync of the folder). A crash at any moment leaves `current` naming a complete model, or none.

Each worker reads `current` on every request, so a new model applies without a restart and in
every worker. Checkers are built from the worker's default checker (`Checker.with_models`): the
lexicon and the default model's memory-mapped arrays are shared, not loaded again per tenant.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from pathlib import Path

from vnproof import Checker
from vnproof.lm import ModelError, NgramModel

from .archives import ArchiveError, extract, gunzip, kind, remove, root_of

log = logging.getLogger("vnproof.service")
HOST = socket.gethostname()
HOST_TAG = hashlib.sha256(HOST.encode()).hexdigest()[:8]   # in stage names: which host's pid it is
KEEP_VERSIONS = 3   # older versions are deleted (a worker may still be reading the one before)
_SAFE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$")
MODEL_FILES = ("meta.json", "vocab.txt", "uni.npy", "uni_bow.npy", "bi_keys.npy", "bi_logp.npy",
               "bi_bow.npy", "tri_keys.npy", "tri_logp.npy", "tri_book.npy", "counts.npz")


class UploadError(ValueError):
    """An upload that cannot become a model; `status` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def tenant_folder(root: Path, tenant: str) -> Path:
    """A tenant's folder: its name when that is a safe file name, else a digest of it."""
    name = tenant if _SAFE.match(tenant) else "t-" + hashlib.sha256(tenant.encode()).hexdigest()[:24]
    return root / name


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` so that readers see the old or the new content, never a part."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_path(path.parent)


def _here(host: str | None) -> bool:
    """Whether a pid recorded on `host` (None: recorded before hosts were) is one of this host's."""
    return host is None or host in (HOST, HOST_TAG)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


class HouseModels:
    """House models of every tenant under `root`, and up to `cache` checkers using them."""

    def __init__(self, root: str | Path, cache: int = 16, max_unpacked: int = 512 * 1024 * 1024,
                 train_timeout: float = 3600.0):
        self.root = Path(root)
        self.cache_size, self.max_unpacked, self.train_timeout = cache, max_unpacked, train_timeout
        self._cache: OrderedDict[tuple[str, str], Checker] = OrderedDict()
        self._lock = threading.Lock()

    # -- reading -------------------------------------------------------------------------------
    def version(self, tenant: str) -> str | None:
        """The tenant's live version, or None."""
        try:
            v = (tenant_folder(self.root, tenant) / "current").read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return v or None

    def path(self, tenant: str) -> Path | None:
        v = self.version(tenant)
        return tenant_folder(self.root, tenant) / v if v else None

    def checker(self, tenant: str, base: Checker) -> Checker:
        """`base` for a tenant without a house model, else a checker mixing it in (cached)."""
        v = self.version(tenant)
        if v is None:
            return base
        key = (tenant, v)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        try:
            model = NgramModel.load(tenant_folder(self.root, tenant) / v)
        except (ModelError, OSError, ValueError) as e:   # never expected: `current` names complete models
            log.error("tenant %r: house model %s does not load (%s); checking with the default model", tenant, v, e)
            return base
        built = base.with_models(base.lm.models[1:] + [model])   # VNPROOF_MODELS stay mixed in
        with self._lock:
            self._cache[key] = built
            self._cache.move_to_end(key)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return built

    def cached(self) -> int:
        return len(self._cache)

    def info(self, tenant: str) -> dict | None:
        """Version, size in bytes, when it was trained or uploaded, its syllables; None if no model."""
        path = self.path(tenant)
        if path is None or not (path / "meta.json").is_file():
            return None
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        size = sum(f.stat().st_size for f in path.iterdir() if f.is_file() and f.name != "counts.npz")
        return {"version": path.name, "bytes": size, "installed": (path / "meta.json").stat().st_mtime,
                "syllables": meta.get("syllables"), "vocab": meta.get("vocab"), "trigrams": meta.get("trigrams"),
                "source": meta.get("source", "trained")}

    # -- writing -------------------------------------------------------------------------------
    def cleanup(self) -> int:
        """Remove stage folders left by processes that died (kill -9 mid-upload); the number removed.
        Another host's stages (nodes sharing the folder) are its own to judge: removed here only
        when older than any training may run."""
        n = 0
        if not self.root.is_dir():
            return 0
        for stage in self.root.glob("*/.stage-*"):
            parts = stage.name.split("-")
            try:
                pid = int(parts[1])
            except (IndexError, ValueError):
                continue
            if not _here(parts[3] if len(parts) > 3 else None):
                try:
                    abandoned = time.time() - stage.stat().st_mtime > self.train_timeout + 600
                except OSError:
                    continue
                if abandoned:
                    remove(stage)
                    n += 1
            elif not _pid_alive(pid):
                remove(stage)
                n += 1
        return n

    def stage(self, tenant: str) -> Path:
        """A new, empty folder to build a version in."""
        folder = tenant_folder(self.root, tenant)
        folder.mkdir(parents=True, exist_ok=True)
        stage = folder / f".stage-{os.getpid()}-{secrets.token_hex(4)}-{HOST_TAG}"
        stage.mkdir()
        return stage

    def install(self, tenant: str, model_dir: Path) -> str:
        """Check `model_dir` (inside a stage), make it durable and make it the live version."""
        try:
            model = NgramModel.load(model_dir, mmap=True)
            _check_arrays(model)
        except (ModelError, OSError, ValueError, KeyError) as e:
            raise UploadError(f"not a model this vnproof can load: {e}") from None
        del model
        for f in model_dir.iterdir():
            if f.is_file():
                fsync_path(f)
        fsync_path(model_dir)
        folder = tenant_folder(self.root, tenant)
        version = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(3)
        os.rename(model_dir, folder / version)
        fsync_path(folder)
        write_atomic(folder / "current", version + "\n")
        self._prune(folder, keep=version)
        return version

    def install_upload(self, tenant: str, data: bytes) -> str:
        """A tar/zip of a model folder (as `vnproof train` writes it) -> the live version."""
        stage = self.stage(tenant)
        try:
            extract(data, stage / "in", self.max_unpacked)
            root = root_of(stage / "in", "meta.json")
            if root is None:
                raise UploadError("the archive holds no model: expected meta.json and the .npy files of "
                                  "a folder written by `vnproof train` (at its top or in one folder)")
            strays = [p.name for p in root.iterdir() if p.name not in MODEL_FILES]
            if strays:
                raise UploadError(f"unexpected file(s) in the model archive: {', '.join(sorted(strays)[:5])}")
            return self.install(tenant, root)
        except ArchiveError as e:
            raise UploadError(str(e)) from None
        finally:
            remove(stage)

    def _prune(self, folder: Path, keep: str) -> None:
        versions = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
        for old in [p for p in versions if p.name != keep][: max(0, len(versions) - KEEP_VERSIONS)]:
            remove(old)

    # -- training ------------------------------------------------------------------------------
    def training(self, tenant: str) -> dict | None:
        """The last training job's state: running, ready (with its version) or failed (with why)."""
        try:
            status = json.loads((tenant_folder(self.root, tenant) / "training.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        if status.get("state") != "running":
            return status
        if _here(status.get("host")):
            if not _pid_alive(int(status.get("pid", 0))):
                status.update(state="failed", error="the server stopped during training; upload the articles again")
        elif time.time() - float(status.get("started", 0)) > self.train_timeout + 60:   # another node's job
            status.update(state="failed", error="the node training this model did not finish it; upload the "
                                                "articles again")
        return status

    def start_training(self, tenant: str, data: bytes, filename: str = "articles.jsonl") -> dict:
        """Unpack articles (tar/zip of txt/jsonl/html files, or one JSONL) and train in the background."""
        with self._lock:   # one job per tenant (per worker: across workers, training.json decides)
            running = self.training(tenant)
            if running and running.get("state") == "running":
                raise UploadError("a training job is already running for this tenant; wait for it "
                                  "(GET /v1/models/house)", status=409)
            self._status(tenant, {"state": "running", "started": time.time(), "pid": os.getpid(), "host": HOST,
                                  "bytes": len(data)})
        try:
            return self._start(tenant, data, filename)
        except BaseException:   # refused before training began: the previous job's state stands
            if running:
                self._status(tenant, running)
            else:
                (tenant_folder(self.root, tenant) / "training.json").unlink(missing_ok=True)
            raise

    def _start(self, tenant: str, data: bytes, filename: str) -> dict:
        stage = self.stage(tenant)
        corpus = stage / "corpus"
        try:
            if kind(data) == "gzip":
                data = gunzip(data, self.max_unpacked)
            if kind(data) is None:
                _check_jsonl(data)
                corpus.mkdir()
                (corpus / filename).write_bytes(data)
            else:
                files = extract(data, corpus, self.max_unpacked)
                if not any(p.name.lower().removesuffix(".gz").endswith((".txt", ".jsonl", ".ndjson", ".html", ".htm"))
                           for p in files):
                    raise UploadError("the archive holds no articles (.txt, .jsonl(.gz) or .html files) "
                                      "and no model (meta.json)")
        except ArchiveError as e:
            remove(stage)
            raise UploadError(str(e)) from None
        except UploadError:
            remove(stage)
            raise
        status = {"state": "running", "started": time.time(), "pid": os.getpid(), "host": HOST, "bytes": len(data)}
        self._status(tenant, status)
        threading.Thread(target=self._train, args=(tenant, stage, status), daemon=True,
                         name=f"train-{tenant}").start()
        return status

    def _train(self, tenant: str, stage: Path, status: dict) -> None:
        """`vnproof train` in a child process (no GIL contention with requests), then install."""
        out = stage / "model"
        cmd = [sys.executable, "-m", "vnproof.cli", "train", str(stage / "corpus"), "-o", str(out), "--workers", "1"]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=self.train_timeout)
            if done.returncode != 0:
                raise UploadError("training failed: " + (done.stderr.strip().splitlines() or ["?"])[-1])
            version = self.install(tenant, out)
            status.update(state="ready", version=version, finished=time.time(), log=done.stdout.strip()[-300:])
        except subprocess.TimeoutExpired:
            status.update(state="failed", error=f"training took longer than {self.train_timeout:g} s", finished=time.time())
        except Exception as e:  # a background job: report every failure in its status
            status.update(state="failed", error=str(e), finished=time.time())
        finally:
            remove(stage)
        self._status(tenant, status)

    def _status(self, tenant: str, status: dict) -> None:
        folder = tenant_folder(self.root, tenant)
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / "training.json", json.dumps(status) + "\n")


def _check_arrays(model: NgramModel) -> None:
    """The loaded arrays agree with each other (a crafted meta.json cannot make lookups go astray)."""
    n = len(model.vocab)
    if len(model.uni) != n or len(model.uni_bow) != n:
        raise ModelError(f"uni.npy/uni_bow.npy have {len(model.uni)} entries for {n} words")
    if not (len(model.bi_keys) == len(model.bi_logp) == len(model.bi_bow)):
        raise ModelError("bigram arrays differ in length")
    if len(model.tri_keys) != len(model.tri_logp):
        raise ModelError("trigram arrays differ in length")
    if model.tri_book is not None and len(model.tri_book) != 256:
        raise ModelError("tri_book.npy must hold 256 values")
    for name in ("<unk>", "<s>", "</s>"):
        if name not in model.vocab:
            raise ModelError(f"vocab.txt lacks {name}")


def _check_jsonl(data: bytes) -> None:
    """Articles as JSONL: UTF-8, one JSON object per line with a 'text' (checked on the first lines)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UploadError(f"not a tar or zip archive, nor UTF-8 JSONL (byte {e.start})") from None
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise UploadError("no articles: the upload is empty")
    for n, line in enumerate(lines[:20], 1):
        try:
            row = json.loads(line)
        except ValueError:
            raise UploadError(f"line {n} is not JSON: send JSONL (one {{\"text\": ...}} object per line) "
                              "or a tar/zip archive") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise UploadError(f"line {n} has no 'text' string")
