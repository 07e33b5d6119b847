"""Build the compiled core: the hot modules, compiled by Cython in pure-Python mode (issue #14).

Everything else is in pyproject.toml. The .py files stay the single source and the pure-Python
twin: each listed module `vnproof/X.py` is also compiled, under its own name `vnproof.X`, into
`vnproof/_compiled/X.<abi>.so`, where it shadows nothing; `vnproof/__init__.py` loads it in
place of the .py when its source hash still matches (see `_compiled/manifest.json`).

A compiled module may have a `vnproof/X.pxd` beside its .py (Cython reads it; Python never
does): `tokenize.pxd` and `checker.pxd` make `Token` and `_Slot` extension types and the
per-word functions (`_sentences`, `_checkable`, `_mark_foreign`, the rules' `_token_columns`)
C functions whose Token locals are read as C fields. Fields and arguments are objects only, so
the semantics stay Python's; a module whose cimport fails to load runs from its .py.

`KERNELS` are typed Cython modules `vnproof/X.pyx` (C loops with no Python equivalent worth
running): built the same way into `_compiled/`, listed in the manifest with the hash of their
.pyx; their pure-Python twin is numpy code in the module that imports them (`_lmkernel`: lm.py).

A failed compile or a missing Cython never fails the install: the package then runs the pure
Python modules and says so once at import. `VNPROOF_BUILD_PURE=1` skips compiling.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
# The compiled modules (dotted, under vnproof/). Chosen by measurement: BENCHMARKS.md §14.
COMPILED = (
    "tokenize", "syllable", "text", "checker", "candidates", "edits", "lm", "lmmix",
    "decision", "language",
    "rules.abbreviations", "rules.base", "rules.collocations", "rules.consistency", "rules.dates",
    "rules.typography",
)
# Typed kernels (.pyx) and the .py module holding each one's pure-Python twin.
KERNELS = {"_lmkernel": "lm"}
# Annotations are ignored (annotation_typing=False): with them, Cython rejects a str subclass
# (numpy.str_) or None where the annotation says str, and a defaultdict where it says dict, and
# makes `float` a C double; the compiled modules must keep Python's semantics exactly.
DIRECTIVES = {"language_level": 3, "binding": True, "embedsignature": False, "annotation_typing": False,
              # bounds and wraparound checks stay on (the defaults): untrusted input reaches them
              "boundscheck": True, "wraparound": True}


NOT_COMPILED: list[str] = []   # modules Cython or the C compiler could not build: listed in the manifest


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _extensions() -> list:
    if os.environ.get("VNPROOF_BUILD_PURE") == "1":
        print("vnproof: VNPROOF_BUILD_PURE=1, the compiled core is not built", file=sys.stderr)
        return []
    try:
        from Cython.Build import cythonize
    except ImportError as e:
        print(f"vnproof: Cython is missing ({e}); installing the pure-Python modules only", file=sys.stderr)
        return []
    from setuptools import Extension

    def build(mod: str, src: Path, args: list[str], directives: dict, fallback: str) -> None:
        # Compiled under the module's own name, so classes, pickles and relative imports see
        # vnproof.X; the extension is then written to vnproof/_compiled/ instead of beside X.py.
        # -g0: no debug info (Python's CFLAGS carry -g; it made the extensions 23 MB).
        try:
            (ext,) = cythonize([Extension(f"vnproof.{mod}", [str(src)], optional=True,
                                          extra_compile_args=[] if os.name == "nt" else ["-g0", *args])],
                               compiler_directives=directives, build_dir="build/cython", quiet=True)
        except Exception as e:   # a Cython compile error: that module stays pure Python
            print(f"vnproof: Cython could not compile {src} ({e}); {fallback}", file=sys.stderr)
            NOT_COMPILED.append(mod)
            return
        ext.name = f"vnproof._compiled.{mod}"
        ext._vnproof_module = mod
        exts.append(ext)

    exts: list = []
    for mod in COMPILED:
        build(mod, Path("vnproof", *mod.split(".")).with_suffix(".py"), [], DIRECTIVES, "it stays pure Python")
    for mod in KERNELS:
        # Its directives are in the .pyx; -ffp-contract=off: no fused multiply-add, so its float
        # arithmetic rounds as numpy's does (the twin's values must be equal, not close).
        build(mod, Path("vnproof", mod).with_suffix(".pyx"), ["-ffp-contract=off"], {"language_level": 3},
              "its numpy twin runs")
    return exts


def _source(mod: str) -> Path:
    """The file a compiled module is built from: vnproof/X.py, or X.pyx for a kernel."""
    return ROOT / "vnproof" / Path(*mod.split(".")).with_suffix(".pyx" if mod in KERNELS else ".py")


class BuildExt(build_ext):
    """Optional extensions: a module that fails to build stays pure Python. Writes the manifest
    (module -> SHA-256 of the .py it was compiled from) next to the built extensions."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if not self.parallel:   # one C compile per core (CI has two)
            self.parallel = os.cpu_count() or 1

    def run(self) -> None:
        self._built: dict[str, str] = {}
        for ext in self.extensions:   # --inplace / editable: the target folders must exist
            Path(self.get_ext_fullpath(ext.name)).parent.mkdir(parents=True, exist_ok=True)
        try:
            super().run()
        except Exception as e:   # no compiler at all (DistutilsPlatformError and the like)
            print(f"vnproof: the compiled core could not be built ({e}); pure Python only", file=sys.stderr)
        self._write_manifest()

    def build_extension(self, ext) -> None:
        try:
            super().build_extension(ext)
        except Exception as e:
            print(f"vnproof: building {ext.name} failed ({e}); it stays pure Python", file=sys.stderr)
            NOT_COMPILED.append(getattr(ext, "_vnproof_module", ext.name))
            return
        mod = getattr(ext, "_vnproof_module", None)
        if mod:
            self._built[mod] = source_hash(_source(mod))

    def _write_manifest(self) -> None:
        out = Path(self.get_ext_fullpath("vnproof._compiled.manifest")).parent
        out.mkdir(parents=True, exist_ok=True)
        built = {mod: digest for mod, digest in self._built.items()
                 if Path(self.get_ext_fullpath(f"vnproof._compiled.{mod}")).is_file()}
        manifest = {"cython": getattr(sys.modules.get("Cython"), "__version__", None),
                    "modules": dict(sorted(built.items())),
                    "not_compiled": sorted(set(NOT_COMPILED) | ((set(COMPILED) | set(KERNELS)) - set(built)) if built else [])}
        (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")

    def get_outputs(self) -> list[str]:
        outs = super().get_outputs()
        return outs + [str(Path(self.get_ext_fullpath("vnproof._compiled.manifest")).parent / "manifest.json")]


setup(ext_modules=_extensions(), cmdclass={"build_ext": BuildExt})
