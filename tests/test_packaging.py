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
