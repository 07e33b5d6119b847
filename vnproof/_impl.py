"""Which implementation runs: the compiled core or the pure-Python twin (issue #14).

`setup.py` compiles some modules `vnproof/X.py` with Cython, under their own name `vnproof.X`,
into `vnproof/_compiled/X.<abi>.so`, and writes `_compiled/manifest.json`: each compiled
module with the SHA-256 of the .py it came from. `install()` puts a finder first on
`sys.meta_path` that loads those extensions for `vnproof.X`, so the .py files are never
shadowed and stay the reference. A module is loaded from its .py instead when

- `VNPROOF_PURE_PYTHON=1` is set (the twin, chosen on purpose: no warning), or the module is
  not in `VNPROOF_COMPILED_ONLY=mod,mod,rules.*` (for benchmarks measuring what pays);
- nothing was compiled, its .py changed since it was compiled (an edited checkout), or its
  extension fails to load: then one `RuntimeWarning` says so, once per process.

A typed kernel (`KERNELS`, built from `vnproof/X.pyx`) has no .py of its own: its twin is numpy
code in the module that imports it, which catches the ImportError this finder then raises.

This module imports only the standard library; Cython is never needed at run time.
"""
from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from pathlib import Path

PACKAGE = "vnproof"
HERE = Path(__file__).resolve().parent
COMPILED_DIR = HERE / "_compiled"
ENV = "VNPROOF_PURE_PYTHON"

KERNELS = frozenset({"_lmkernel"})   # as setup.py's KERNELS
_state = {"installed": False, "reason": None}
_failed: dict[str, str] = {}     # module -> why it runs from its .py
_warned = False


def pure_requested() -> bool:
    return os.environ.get(ENV, "").strip().lower() not in ("", "0", "false", "no")


def _source(mod: str) -> Path:
    return HERE.joinpath(*mod.split(".")).with_suffix(".pyx" if mod in KERNELS else ".py")


def _extension(mod: str) -> Path | None:
    base = COMPILED_DIR.joinpath(*mod.split("."))
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        p = base.with_name(base.name + suffix)
        if p.is_file():
            return p
    return None


def _manifest_data() -> dict:
    try:
        data = json.loads((COMPILED_DIR / "manifest.json").read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _manifest() -> dict[str, str]:
    try:
        return {str(k): str(v) for k, v in _manifest_data().get("modules", {}).items()}
    except AttributeError:
        return {}


def _not_compiled() -> list[str]:
    """Modules meant to be compiled that Cython or the C compiler could not build at install."""
    return [str(m) for m in _manifest_data().get("not_compiled", []) or []]


def _warn_once(message: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(f"vnproof: {message}; the pure-Python implementation runs instead (slower). "
                      f"Rebuild with `pip install .` (gcc and the Python headers needed), or set "
                      f"{ENV}=1 to choose it and silence this.", RuntimeWarning, stacklevel=3)


class _Loader(importlib.abc.Loader):
    """Loads the extension; if that fails, executes the module's .py in its place."""

    def __init__(self, mod: str, ext: Path):
        self.mod, self.ext = mod, ext
        self.fullname = f"{PACKAGE}.{mod}"
        self._native = importlib.machinery.ExtensionFileLoader(self.fullname, str(ext))

    def create_module(self, spec):
        try:
            return self._native.create_module(spec)
        except Exception as e:  # ImportError (ABI, missing symbol), or whatever the module raises
            return self._fail(e, spec)

    def exec_module(self, module) -> None:
        if getattr(module, "__vnproof_pure__", False):
            return self._exec_source(module)
        try:
            self._native.exec_module(module)
        except Exception as e:
            if self.mod in KERNELS:
                sys.modules.pop(self.fullname, None)
                self._fail(e, None)
            # A half-initialised compiled module is replaced by a fresh one run from the .py.
            fresh = importlib.util.module_from_spec(_source_spec(self.mod))
            sys.modules[self.fullname] = fresh
            self._fail(e, None)
            self._exec_source(fresh)

    def _fail(self, e: Exception, spec):
        _failed[self.mod] = f"its extension failed to load: {type(e).__name__}: {e}"
        _warn_once(f"the compiled {self.fullname} ({self.ext.name}) failed to load ({type(e).__name__}: {e})")
        if self.mod in KERNELS:   # no .py to run: the importing module's numpy twin takes over
            raise ImportError(f"{self.fullname}: {_failed[self.mod]}") from e
        if spec is None:
            return None
        module = importlib.util.module_from_spec(_source_spec(self.mod))
        module.__vnproof_pure__ = True
        return module

    def _exec_source(self, module) -> None:
        module.__dict__.pop("__vnproof_pure__", None)
        module.__file__ = str(_source(self.mod))
        module.__spec__ = _source_spec(self.mod)
        module.__loader__ = module.__spec__.loader
        module.__spec__.loader.exec_module(module)


def _source_spec(mod: str):
    return importlib.util.spec_from_file_location(f"{PACKAGE}.{mod}", _source(mod))


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, modules: dict[str, Path]):
        self.modules = modules   # dotted name under vnproof -> extension file

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith(PACKAGE + "."):
            return None
        mod = fullname[len(PACKAGE) + 1:]
        ext = self.modules.get(mod)
        if ext is None:
            return None
        return importlib.util.spec_from_loader(fullname, _Loader(mod, ext), origin=str(ext))


def install() -> None:
    """Called once by vnproof/__init__.py, before it imports any compiled module."""
    if _state["installed"]:
        return
    _state["installed"] = True
    manifest = _manifest()
    if pure_requested():
        _state["reason"] = f"{ENV} is set"
        _failed.update({m: _state["reason"] for m in manifest})
        return
    if not manifest:
        _state["reason"] = "the compiled core is not built"
        _warn_once("the compiled core is not built (no extension listed in vnproof/_compiled/manifest.json: "
                   "no C compiler or no Cython at install time)")
        return
    only = os.environ.get("VNPROOF_COMPILED_ONLY")   # benchmarks: a comma-separated subset
    if only is not None:
        keep = {m.strip() for m in only.split(",")}
        manifest = {m: d for m, d in manifest.items() if m in keep or m.split(".")[0] + ".*" in keep}
    modules, stale = {}, []
    for mod, digest in manifest.items():
        ext, src = _extension(mod), _source(mod)
        if ext is None:
            _failed[mod] = "its extension is missing"
        elif src.is_file() and hashlib.sha256(src.read_bytes()).hexdigest() != digest:
            _failed[mod] = "its .py changed since it was compiled"
            stale.append(mod)
        else:
            modules[mod] = ext
    failed_build = _not_compiled()
    _failed.update({m: "it could not be compiled at install time" for m in failed_build})
    if stale:
        _warn_once(f"{len(stale)} compiled module(s) are older than their .py ({', '.join(stale)})")
    elif failed_build:
        _warn_once(f"module(s) that could not be compiled at install time: {', '.join(failed_build)}")
    elif len(modules) < len(manifest):
        _warn_once(f"compiled module(s) missing: {', '.join(m for m in manifest if m not in modules)}")
    if modules:
        sys.meta_path.insert(0, _Finder(modules))


def up_to_date() -> bool:
    """True when something is compiled and every compiled module matches its .py (tests use it)."""
    manifest = _manifest()
    return bool(manifest) and all(
        _extension(m) is not None and hashlib.sha256(_source(m).read_bytes()).hexdigest() == d
        for m, d in manifest.items())


def modules() -> dict[str, str]:
    """Each compiled-capable module -> "compiled" or "python" (imports them to find out)."""
    import importlib
    out = {}
    for mod in sorted(set(_manifest()) | set(_failed)):
        try:
            m = importlib.import_module(f"{PACKAGE}.{mod}")
        except ImportError:   # a kernel not in use: its numpy twin runs
            if mod not in KERNELS:
                raise
            out[mod] = "python"
            continue
        out[mod] = "compiled" if str(getattr(m, "__file__", "")).endswith(
            tuple(importlib.machinery.EXTENSION_SUFFIXES)) else "python"
    return out


def implementation() -> str:
    """"compiled" when every compiled module is in use, "python" when none is, else "mixed"."""
    kinds = set(modules().values())
    if kinds == {"compiled"}:
        return "compiled"
    return "mixed" if "compiled" in kinds else "python"


def describe() -> str:
    """One line for `vnproof --version`."""
    impl = implementation()
    mods = modules()
    n = sum(v == "compiled" for v in mods.values())
    if impl == "compiled":
        return f"compiled core ({n} modules, Cython)"
    why = _state["reason"] or "; ".join(sorted({v for v in _failed.values()})) or "not built"
    return f"{'pure Python' if impl == 'python' else f'mixed: {n}/{len(mods)} modules compiled'} ({why})"
