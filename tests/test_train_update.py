"""`vnproof train --update`: a model updated with new articles is the model trained on all of them."""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vnproof.lm import BOS, EOS, NgramModel, model_sentences
from vnproof.lmbuild import Counts, aggregate, load_counts, smooth

REPO = Path(__file__).resolve().parent.parent
OLD = "hôm nay trời đẹp lắm chúng tôi đi học ở trường nhà có cơm ăn vào buổi tối".split()
NEW = "bão lũ miền trung người dân sơ tán khẩn cấp".split()  # only in the update


def _text(seed: int, words: list[str], lines: int = 300) -> str:
    rng = random.Random(seed)
    return "".join(" ".join(rng.choice(words) for _ in range(rng.randint(2, 14))).capitalize() + ".\n"
                   for _ in range(lines))


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vnproof.cli", "train", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO, timeout=120)


@pytest.fixture()
def corpora(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "1.txt").write_text(_text(1, OLD), encoding="utf-8")
    (a / "2.txt").write_text(_text(2, OLD[:10]), encoding="utf-8")
    (b / "3.txt").write_text(_text(3, OLD + NEW), encoding="utf-8")
    return a, b


def _held() -> list[list[str]]:
    """Sentences of model tokens mixing old, new and never-seen syllables."""
    return model_sentences(_text(9, OLD + NEW + ["xyz", "quốc", "hội"], lines=80))


def _logprobs(model: NgramModel, sents: list[list[str]]) -> np.ndarray:
    """Trigram and bigram log-probabilities of every n-gram of `sents`, tokens mapped by string."""
    a, b, c = [], [], []
    for s in sents:
        t = [BOS, *s, EOS]
        for x, y, z in zip(t, t[1:], t[2:]):
            a.append(x), b.append(y), c.append(z)
    ia, ib, ic = model.ids(a), model.ids(b), model.ids(c)
    return np.concatenate([model.logprob(ia, ib, ic), model.logprob(np.full(len(ib), -1), ib, ic)])


def _counts(*texts: str) -> Counts:
    counts = Counts()
    for t in texts:
        counts.add_text(t)
    return counts


def test_updated_counts_smooth_to_the_full_model(tmp_path):
    """Unquantised (float32) arrays, ids in another order: the same probabilities to rounding."""
    t1, t2, t3 = _text(1, OLD), _text(2, OLD[:10]), _text(3, OLD + NEW)
    full = smooth(aggregate(_counts(t3, t1, t2)), tmp_path / "full", min_trigram=2, quantised=False)
    base = aggregate(_counts(t1, t2))
    more = Counts(vocab={w: i for i, w in enumerate(base.words)})
    more.add_text(t3)
    updated = smooth(base.add(aggregate(more)), tmp_path / "upd", min_trigram=2, quantised=False)
    m_full, m_upd = NgramModel.load(full), NgramModel.load(updated)
    assert set(m_full.vocab) == set(m_upd.vocab) and m_full.vocab != m_upd.vocab  # new ids appended
    np.testing.assert_allclose(_logprobs(m_upd, _held()), _logprobs(m_full, _held()), rtol=0, atol=1e-5)


def test_train_then_update_equals_training_on_everything(corpora, tmp_path):
    a, b = corpora
    model, full = tmp_path / "house", tmp_path / "full"
    assert run(a, "-o", model).returncode == 0
    before, mode = _logprobs(NgramModel.load(model), _held()), model.stat().st_mode
    r = run("--update", model, b)
    assert r.returncode == 0, r.stderr
    assert model.stat().st_mode == mode
    assert run(a, b, "-o", full).returncode == 0
    m_upd, m_full = NgramModel.load(model), NgramModel.load(full)
    assert m_upd.meta["syllables"] == m_full.meta["syllables"]
    assert len(m_upd.meta["sources"]) == 3 and m_upd.meta["trigrams"] == m_full.meta["trigrams"]
    # The 8-bit codebooks are fitted on the same values, so they are the same; trigrams whose
    # unquantised values tie exactly at a bin edge may sit on either side of it (the bins follow
    # a stable sort, ties in key order, and keys depend on ids): one step at most.
    np.testing.assert_array_equal(m_upd.tri_book, m_full.tri_book)
    diff = np.abs(_logprobs(m_upd, _held()) - _logprobs(m_full, _held()))
    assert diff.max() <= np.diff(m_full.tri_book).max() * np.log(10) + 1e-6
    assert np.mean(diff < 1e-6) > 0.95
    assert not np.allclose(_logprobs(m_upd, _held()), before)  # and it did learn the new text
    assert "bão" in " ".join(load_counts(model).words) or any(w.startswith("bao") for w in m_upd.vocab)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left


@pytest.mark.parametrize("what", ["empty", "unsupported"])
def test_update_without_new_text_files_fails_and_keeps_the_model(corpora, tmp_path, what):
    a, _ = corpora
    model = tmp_path / "house"
    assert run(a, "-o", model).returncode == 0
    files = {p.name: p.read_bytes() for p in model.iterdir()}
    new = tmp_path / what
    new.mkdir()
    if what == "unsupported":
        (new / "scan.pdf").write_bytes(b"%PDF-1.4")
    r = run("--update", model, new)
    assert r.returncode == 2 and "no .txt" in r.stderr and "Traceback" not in r.stderr
    assert {p.name: p.read_bytes() for p in model.iterdir()} == files
    NgramModel.load(model)


def test_update_errors_name_the_problem(corpora, tmp_path):
    a, b = corpora
    r = run("--update", tmp_path / "missing", b)
    assert r.returncode == 2 and "no such model" in r.stderr
    model = tmp_path / "old"
    assert run(a, "-o", model).returncode == 0
    (model / "counts.npz").unlink()  # as a model trained before counts were kept
    r = run("--update", model, b)
    assert r.returncode == 2 and "retrain it once" in r.stderr and "Traceback" not in r.stderr
    (model / "counts.npz").write_bytes(b"not a zip")
    r = run("--update", model, b)
    assert r.returncode == 2 and "unreadable counts" in r.stderr and "Traceback" not in r.stderr
    assert run("--update", a, b).returncode == 2  # a corpus folder is not a model


def test_an_update_that_fails_midway_leaves_the_old_model(corpora, tmp_path, monkeypatch):
    from vnproof import cli_train, lmbuild

    a, b = corpora
    model = tmp_path / "house"
    assert run(a, "-o", model).returncode == 0
    files = {p.name: p.read_bytes() for p in model.iterdir()}

    def crash(*_, **__):
        raise MemoryError("killed while smoothing")

    monkeypatch.setattr(lmbuild, "smooth", crash)
    with pytest.raises(MemoryError):
        cli_train.main(["--update", str(model), str(b), "--workers", "1"])
    assert {p.name: p.read_bytes() for p in model.iterdir()} == files
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    NgramModel.load(model)


def test_update_without_an_atomic_exchange_still_replaces_the_model(corpora, tmp_path, monkeypatch):
    from vnproof import cli_train

    a, b = corpora
    model = tmp_path / "house"
    assert run(a, "-o", model).returncode == 0
    syllables = NgramModel.load(model).meta["syllables"]
    monkeypatch.setattr(cli_train, "_exchange", lambda *_: False)  # e.g. not Linux
    assert cli_train.main(["--update", str(model), str(b), "--workers", "1"]) == 0
    assert NgramModel.load(model).meta["syllables"] > syllables
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
