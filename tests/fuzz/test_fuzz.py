"""Fuzzing in CI: short hypothesis-driven runs of every target, a short coverage-guided atheris run
of each (when atheris is installed), and the inputs that once crashed, kept as regressions.

Long runs: see README.md beside this file.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import targets  # noqa: E402

ATHERIS_SECONDS = int(os.environ.get("VNPROOF_FUZZ_SECONDS", "10"))
SHORT = settings(max_examples=1500, deadline=None, database=None, suppress_health_check=list(HealthCheck))

# Text-aware inputs: a mode byte (see targets.text_of) + the encoded text, so hypothesis' text
# generation (all of Unicode, lone surrogates included) reaches the targets, not only raw bytes.
_any = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
_vi = st.sampled_from(list("aăâeêioôơuưyđbcdghklmnpqrstvx ") + ["\u0300", "\u0301", "\u0309", "\u0303",
                                                                  "\u0323", "ng", "gi", "qu", "w", "aa", "oo", "6", "7", "8", "9"])
_texts = st.one_of(st.text(_any, max_size=120), st.lists(_vi, max_size=30).map("".join))
inputs = st.one_of(
    st.binary(max_size=400),
    _texts.map(lambda t: b"\x01" + t.encode("utf-16-le", "surrogatepass")),
    _texts.map(lambda t: b"\x00" + t.encode("utf-8", "surrogatepass")),
    _texts.map(lambda t: b"\x02" + t.encode("utf-8", "replace")),
)


def corpus(name: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted((HERE / "corpus" / name).iterdir())]


@pytest.mark.parametrize("name", targets.TARGETS)
def test_seed_corpus(name):
    for data in corpus(name):
        targets.FUZZERS[name](data)


@SHORT
@given(inputs)
def test_hypothesis_tokenize(data):
    targets.fuzz_tokenize(data)


@SHORT
@given(inputs)
def test_hypothesis_syllable(data):
    targets.fuzz_syllable(data)


@SHORT
@given(inputs)
@example(b"\x09" + b"\\ud800 x")                       # declared unicode_escape -> lone surrogate
@example(b"\x0b\x80")                                  # declared 'undefined' -> bare UnicodeError
@example(b"\x00<meta charset=\"undefined\"> \xff")
def test_hypothesis_encodings(data):
    targets.fuzz_encodings(data)


def test_syllable_round_trips_over_the_whole_lexicon(checker):
    """Every syllable the checker knows: parse/compose and Telex/VNI keystrokes round-trip."""
    from vnproof.syllable import _split, compose, from_telex, from_vni, parse, to_telex
    from vnproof.text import split_tone
    vni_marks = {"â": "a6", "ă": "a8", "ê": "e6", "ô": "o6", "ơ": "o7", "ư": "u7", "đ": "d9"}
    vni_tone = {0: "", 1: "2", 2: "1", 3: "3", 4: "4", 5: "5"}
    n = 0
    for key in sorted(checker.generator.known):
        parts = _split(key[:-1])
        if not parts:
            continue
        s = compose(parts[0], parts[1], int(key[-1]))
        if parse(s) is None:
            continue
        n += 1
        assert from_telex(to_telex(s)) == s, s
        base, tone = split_tone(s)
        keys = "".join(vni_marks.get(c, c) for c in base) + vni_tone[tone]
        if any(c.isdigit() for c in keys):
            assert from_vni(keys) == s, (s, keys)
    assert n > 5000


# --- regressions: inputs that crashed or broke an invariant --------------------------------------

def test_regression_declared_charset_cannot_smuggle_surrogates_or_crash():
    from vnproof.audit.encodings import UndecodableError, decode_bytes
    for declared in ("unicode_escape", "raw_unicode_escape", "undefined", "idna", "hex", "no-such-codec"):
        for data in (b"\\ud800 Vi\\u1ec7t x\xff", b"\x80", b"a..b \xff"):
            try:
                text, _ = decode_bytes(data, declared)
            except UndecodableError:
                continue
            text.encode("utf-8")
    text, _ = decode_bytes(b'<meta charset="undefined"> Vi\xea\xf2t \xff')
    text.encode("utf-8")


def test_regression_combining_mark_after_symbol_in_normalised_text():
    # "&" + U+0331 is one cluster; the tokenizer splits it, and both tokens map to the cluster.
    targets.fuzz_tokenize(b"\x00\xc3\xa5 x&\xcc\xb1\xe5\x98\xa3\xe2\xb7\xaf")


# --- coverage-guided runs ---------------------------------------------------------------------------

def _compiled_built() -> bool:
    import vnproof._impl as impl
    return impl.up_to_date()   # built, and not older than the .py files


def _env(impl: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("VNPROOF_PURE_PYTHON", "VNPROOF_COMPILED_ONLY")}
    if impl == "python":
        env["VNPROOF_PURE_PYTHON"] = "1"
    return env


def test_the_targets_here_run_the_compiled_core_when_it_is_built():
    """The hypothesis runs above fuzz whichever implementation this process runs: the compiled
    one when it is built (issue #14), unless VNPROOF_PURE_PYTHON=1 asked for the twin."""
    import vnproof
    from vnproof import _impl
    if _impl.pure_requested() or not _compiled_built():
        pytest.skip(f"this process runs the pure-Python twin ({_impl.describe()})")
    assert vnproof.implementation() == "compiled", _impl.describe()
    import vnproof.syllable
    import vnproof.tokenize
    assert vnproof.tokenize.__file__.endswith(".so") and vnproof.syllable.__file__.endswith(".so")


def test_hypothesis_runs_on_the_other_implementation():
    """The seed corpus and the hypothesis runs again, in a process with the other implementation,
    so both the compiled core and the pure-Python twin are fuzzed in CI."""
    from vnproof import _impl
    if not _compiled_built() or os.environ.get("VNPROOF_FUZZ_OTHER") == "1":
        pytest.skip("the compiled core is not built: one implementation only")
    other = "compiled" if _impl.pure_requested() else "python"
    env = dict(_env(other), VNPROOF_FUZZ_OTHER="1")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(HERE / "test_fuzz.py"),
                           "-k", "seed_corpus or hypothesis_tokenize or hypothesis_syllable or regression"],
                          capture_output=True, text=True, env=env, cwd=HERE.parents[1], timeout=900)
    assert proc.returncode == 0, f"{other}:\n{proc.stdout[-4000:]}{proc.stderr[-2000:]}"


@pytest.mark.parametrize("impl", ["compiled", "python"])
def test_atheris_short_runs(tmp_path, impl):
    """Each target under libFuzzer for ATHERIS_SECONDS (all three at once); no crash, no hang;
    against the compiled core (bounds checks on: Cython's defaults) and the pure-Python twin."""
    pytest.importorskip("atheris")
    if impl == "compiled" and not _compiled_built():
        pytest.skip("the compiled core is not built")
    procs = {}
    for name in targets.TARGETS:
        work = tmp_path / name
        work.mkdir()
        cmd = [sys.executable, str(HERE / "run_atheris.py"), name, str(work), str(HERE / "corpus" / name),
               f"-max_total_time={ATHERIS_SECONDS}", "-timeout=10", "-rss_limit_mb=2048", "-max_len=4096",
               f"-artifact_prefix={tmp_path}/{name}-", "-print_final_stats=1"]
        procs[name] = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                       cwd=tempfile.gettempdir(), env=_env(impl))
    runs = {}
    for name, p in procs.items():
        out, _ = p.communicate(timeout=ATHERIS_SECONDS + 120)
        crashes = list(tmp_path.glob(f"{name}-*"))
        assert p.returncode == 0 and not crashes, f"{name}: exit {p.returncode}, {crashes}\n{out[-4000:]}"
        assert f"vnproof implementation: {impl}" in out, out[:2000]
        m = re.search(r"Done (\d+) runs", out)
        runs[name] = int(m.group(1)) if m else 0
    print("atheris executions:", runs)
    assert all(n > 100 for n in runs.values()), runs
