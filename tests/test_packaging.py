"""`pip install .` (not editable) must ship every data file the checker reads."""
from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_shipped_data_file_is_package_data():
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    patterns = conf["package-data"]["vnproof.dictionaries"]
    data = [p for p in (ROOT / "dictionaries").iterdir()
            if p.is_file() and p.suffix != ".py" and not p.name.startswith(".")]
    assert any(p.name == "decision.json" for p in data)
    missing = [p.name for p in data if not any(fnmatch.fnmatch(p.name, pat) for pat in patterns)]
    assert not missing, f"not in [tool.setuptools.package-data] vnproof.dictionaries: {missing}"
    assert conf["package-data"]["vnproof.dictionaries.lm"] == ["*"]


def test_every_compiled_module_has_its_py_twin_and_no_build_output_is_tracked():
    """setup.py's COMPILED list names .py files (the source and the pure-Python twin, issue #14),
    and generated C and extensions stay out of git."""
    import ast
    import subprocess
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    compiled = next(ast.literal_eval(n.value) for n in tree.body
                    if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "COMPILED")
    assert {"tokenize", "syllable", "checker"} <= set(compiled)
    for mod in compiled:
        assert (ROOT / "vnproof" / f"{mod.replace('.', '/')}.py").is_file(), mod
        assert not mod.endswith("__init__"), "packages' __init__ stay pure Python"
    kernels = next(ast.literal_eval(n.value) for n in tree.body
                   if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "KERNELS")
    from vnproof import _impl
    assert set(kernels) == set(_impl.KERNELS)   # the finder knows which modules have no .py
    for mod, twin in kernels.items():            # a typed kernel: its .pyx, and the .py of its numpy twin
        assert (ROOT / "vnproof" / f"{mod}.pyx").is_file() and twin in compiled, mod
        assert not (ROOT / "vnproof" / f"{mod}.py").exists(), mod
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(r.lower().startswith("cython") for r in conf["build-system"]["requires"])
    tracked = subprocess.run(["git", "ls-files", "vnproof", "build"], capture_output=True, text=True, cwd=ROOT).stdout
    assert not [f for f in tracked.split() if f.endswith((".so", ".c", ".pyd")) or "/_compiled/" in f]
