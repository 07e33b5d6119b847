"""Selecting the implementation (issue #14): `VNPROOF_PURE_PYTHON=1` picks the pure-Python twin
without a word; a compiled core that is missing, stale or broken leaves a working package that
says so once. The broken cases run on a copy of the package in a temporary folder."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_PROBE = r"""
import json, sys, warnings
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import vnproof, vnproof._impl as I
    from vnproof.tokenize import tokenize
    from vnproof.syllable import parse
    toks = [t.norm for t in tokenize("Quân chúng nhân dân vảo vệ Tổ quốc.").tokens]
    assert parse("quân") is not None and parse("hoaf") is None
    for _ in range(3):
        impl = vnproof.implementation()
print(json.dumps({"impl": impl, "modules": I.modules(), "file": vnproof.__file__, "tokens": toks,
                  "warnings": [str(w.message) for w in caught if "vnproof" in str(w.message)],
                  "describe": I.describe()}))
"""


def _probe(cwd: Path, script: str = _PROBE, **env) -> dict:
    """What `script` prints (its last line, JSON) in a fresh interpreter importing vnproof from `cwd`."""
    e = {k: v for k, v in os.environ.items() if k not in ("VNPROOF_PURE_PYTHON", "VNPROOF_COMPILED_ONLY")}
    e.update(env)
    e["PYTHONPATH"] = str(cwd)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=cwd, env=e)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _built() -> bool:
    from vnproof import _impl
    return _impl.up_to_date()


needs_build = pytest.mark.skipif(not _built(), reason="the compiled core is not built here, or older than "
                                 "its .py files (pip install -e . rebuilds it)")


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "vnproof", tmp_path / "vnproof", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_pure_python_is_chosen_quietly():
    out = _probe(ROOT, VNPROOF_PURE_PYTHON="1")
    assert out["impl"] == "python" and out["warnings"] == []
    assert set(out["modules"].values()) <= {"python"}
    assert "VNPROOF_PURE_PYTHON" in out["describe"]


@needs_build
def test_compiled_by_default():
    out = _probe(ROOT)
    assert out["impl"] == "compiled", out
    assert out["warnings"] == []
    assert {"tokenize", "syllable", "checker"} <= set(out["modules"])
    assert out["tokens"] == _probe(ROOT, VNPROOF_PURE_PYTHON="1")["tokens"]


def test_not_built_warns_once(tmp_path):
    pkg = _copy(tmp_path)
    shutil.rmtree(pkg / "vnproof" / "_compiled", ignore_errors=True)
    out = _probe(pkg)
    assert out["impl"] == "python"
    assert len(out["warnings"]) == 1 and "not built" in out["warnings"][0], out["warnings"]
    assert out["file"].startswith(str(pkg))


@needs_build
def test_stale_module_runs_from_its_py_and_warns_once(tmp_path):
    pkg = _copy(tmp_path)
    src = pkg / "vnproof" / "syllable.py"
    src.write_text(src.read_text("utf-8") + "\n# edited after the build\n", encoding="utf-8")
    out = _probe(pkg)
    assert out["modules"]["syllable"] == "python" and out["modules"]["tokenize"] == "compiled"
    assert out["impl"] == "mixed"
    assert len(out["warnings"]) == 1 and "syllable" in out["warnings"][0], out["warnings"]


@needs_build
def test_broken_extension_falls_back_and_warns_once(tmp_path):
    pkg = _copy(tmp_path)
    for so in (pkg / "vnproof" / "_compiled").glob("tokenize.*"):
        so.write_bytes(b"\x7fELF not really")
    for so in (pkg / "vnproof" / "_compiled").glob("syllable.*"):
        so.write_bytes(b"")
    out = _probe(pkg)
    assert out["modules"]["tokenize"] == "python" and out["modules"]["syllable"] == "python"
    assert out["modules"]["candidates"] == "compiled"
    # compiled against tokenize's extension type Token (its C fields): they follow it to Python
    assert out["modules"]["checker"] == out["modules"]["rules.base"] == "python"
    assert len(out["warnings"]) == 1 and "failed to load" in out["warnings"][0], out["warnings"]
    assert out["tokens"] == _probe(ROOT, VNPROOF_PURE_PYTHON="1")["tokens"]


_CHECK = r"""
import dataclasses, json, vnproof, vnproof._impl as I
text = open("examples/bai-viet-mau.txt", encoding="utf-8").read()
issues = [dataclasses.asdict(i) for i in vnproof.Checker().check(text[:6000], level="picky")]
print(json.dumps({"modules": I.modules(), "issues": issues}))
"""


@needs_build
def test_checking_with_the_tokenizer_from_its_py_gives_the_same_issues():
    """The compiled checker and rules read Token's C fields: when tokenize runs from its .py (an
    edited checkout, a failed build), they run from theirs, and a check neither crashes nor
    changes."""
    mixed = _probe(ROOT, _CHECK, VNPROOF_COMPILED_ONLY="checker,rules.*,candidates,lm")
    assert mixed["modules"]["tokenize"] == mixed["modules"]["checker"] == "python"
    assert mixed["modules"]["candidates"] == "compiled"
    assert mixed["issues"] and mixed["issues"] == _probe(ROOT, _CHECK)["issues"]


@needs_build
def test_a_module_that_could_not_be_compiled_is_named_once(tmp_path):
    pkg = _copy(tmp_path)
    path = pkg / "vnproof" / "_compiled" / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    del manifest["modules"]["lm"]
    manifest["not_compiled"] = ["lm"]
    path.write_text(json.dumps(manifest), encoding="utf-8")
    out = _probe(pkg)
    assert out["modules"]["lm"] == "python" and out["modules"]["checker"] == "compiled"
    assert out["impl"] == "mixed"
    assert len(out["warnings"]) == 1 and "could not be compiled" in out["warnings"][0] and "lm" in out["warnings"][0]


_LM_PROBE = r"""
import json, warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import numpy as np
    import vnproof, vnproof._impl as I
    from vnproof import lm
    from vnproof.lexicon import data_dir
    m = lm.NgramModel.load(data_dir() / "lm")
    ids = np.arange(0, len(m.vocab), 97, dtype=np.int64)
    lp = m.logprob(ids[:-2], ids[1:-1], ids[2:])
    impl = I.modules()
print(json.dumps({"kernel": lm._lmkernel is not None, "model_kernel": m.kernel is not None,
                  "lp": lp.tolist(), "modules": impl,
                  "warnings": [str(w.message) for w in caught if "vnproof" in str(w.message)]}))
"""


def _lm_probe(cwd: Path, **env) -> dict:
    return _probe(cwd, _LM_PROBE, **env)


def _kernel_built() -> bool:
    from vnproof import _impl
    return "_lmkernel" in _impl._manifest() and _impl._extension("_lmkernel") is not None


@needs_build
@pytest.mark.skipif(not _kernel_built(), reason="the LM kernel is not built here")
@pytest.mark.parametrize("damage", ["broken", "stale"])
def test_a_damaged_lm_kernel_leaves_the_numpy_twin_and_warns_once(tmp_path, damage):
    """The typed kernel (vnproof/_lmkernel.pyx) has no .py: when its extension is broken or older
    than its .pyx, lm.py runs its numpy code, with the same scores, and one warning says so."""
    want = _lm_probe(ROOT, VNPROOF_PURE_PYTHON="1")
    assert not want["kernel"] and want["warnings"] == []
    assert _lm_probe(ROOT)["kernel"] and _lm_probe(ROOT)["lp"] == want["lp"]
    pkg = _copy(tmp_path)
    if damage == "broken":
        for so in (pkg / "vnproof" / "_compiled").glob("_lmkernel.*"):
            so.write_bytes(b"\x7fELF not really")
    else:
        src = pkg / "vnproof" / "_lmkernel.pyx"
        src.write_text(src.read_text("utf-8") + "\n# edited after the build\n", encoding="utf-8")
    out = _lm_probe(pkg)
    assert not out["kernel"] and not out["model_kernel"] and out["lp"] == want["lp"]
    assert out["modules"]["_lmkernel"] == "python" and out["modules"]["lm"] == "compiled"
    assert len(out["warnings"]) == 1 and "_lmkernel" in out["warnings"][0], out["warnings"]
