"""Build the shipped default model from the open corpus and the registry text.

1. Count every source (`vnproof.lmcount`), holding out 2 % of each source's documents.
2. Map rare variants of frequent words to UNK (`lmbuild.rare_variants`): Wikipedia and the
   literature carry a few typos, which must not become expected.
3. Build one Kneser-Ney model per group, plus one from the lexicon's in-word syllable pairs.
4. Fit the mixture weights by EM on held-out text (`vnproof.lmmix.fit_weights`): every group's
   held-out documents and the clean side of viwiki-dev half A, each set counted equally.
5. Mix statically into one model, prune to a size budget, quantise, and fit the bigram share
   (a query-time hedge, see `vnproof.lm`) by perplexity of the tuning text.

Everything is deterministic: the same inputs give byte-identical files.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Callable

import numpy as np

from .lm import NgramModel, model_sentences, write_model
from .lmbuild import Counts, _lexicon_evidence, _unigram_prior, build, rare_variants
from .lmcount import count_groups, stream
from .lmmix import Arrays, fit_weights, mix, mixture_perplexity, prune, stream_logprobs
from .lmsources import HELDOUT_PERCENT, open_corpus_files, registry_files

VARIANT_RATIO = 0.002     # a form this much rarer than its marked twin is taken for a slip
MAX_TRIGRAMS = 4_000_000  # the size budget after pruning (see BENCHMARKS.md for the curve)
MAX_BIGRAMS = 2_000_000
PRUNING_CURVE = (500_000, 1_000_000, 2_000_000, 3_000_000, 4_000_000)
SHARES = tuple(round(0.05 * i, 2) for i in range(17))  # bigram shares tried, 0 .. 0.8
FIT_EXCLUDE = ("software",)  # UI strings are not prose people proofread: no held-out set of theirs
TUNING_DOCS = 30
          # viwiki-dev half A


def tuning_sentences(viwiki: Path) -> list[list[str]]:
    """Model sentences of the corrected text of viwiki-dev half A (the first 30 documents)."""
    out = []
    with open(viwiki, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= TUNING_DOCS:
                break
            out.extend(model_sentences(json.loads(line)["corrected_text"]))
    return out


def encode(sentences: list[list[str]], vocab: dict[str, int]) -> np.ndarray:
    unk = vocab["<unk>"]
    ids = []
    for s in sentences:
        ids.append(0)
        ids.extend(vocab.get(t, unk) for t in s)
        ids.append(1)
    return np.asarray(ids, np.int64)


def _lexicon_words(words_tsv: Path) -> frozenset[str]:
    from .lexicon import read_tsv
    from .text import tone_key

    return frozenset(tone_key(p) for cols in read_tsv(words_tsv) for p in cols[0].split() if " " in cols[0])


def _perplexity(lp: np.ndarray) -> float:
    return float(np.exp(-lp.mean()))


def _logprobs_with_share(model: NgramModel, s: np.ndarray, share: float) -> np.ndarray:
    model.meta["bigram_share"] = share
    try:
        return stream_logprobs(model, s)
    finally:
        model.meta.pop("bigram_share", None)


def build_default_model(text_manifest: Path | None, words_tsv: Path, syllables_tsv: Path, out_dir: Path,
                        open_corpus: Path | None = None, tuning: Path | None = None,
                        work: Path | None = None, log: Callable[[str], None] = print) -> Path:
    """Build the default model into `out_dir`; see the module docstring.

    `tuning`: viwiki-dev.jsonl (default: open_corpus/../eval/viwiki-dev.jsonl if present); its
    half A joins the held-out sets that fit the weights. `work`: a folder that keeps the counts
    between runs (the first run takes minutes).
    """
    families = []  # counted apart (and cached apart): adding registry text keeps the open counts
    if open_corpus:
        families.append(("open", open_corpus_files(Path(open_corpus))))
    if text_manifest and Path(text_manifest).exists():
        families.append(("registry", registry_files(Path(text_manifest))))
    if not families:
        raise ValueError("no sources: give the open corpus or the registry text manifest")
    if tuning is None and open_corpus:
        guess = Path(open_corpus).resolve().parent / "eval" / "viwiki-dev.jsonl"
        tuning = guess if guess.exists() else None
    work = Path(work) if work else None
    if work:
        work.mkdir(parents=True, exist_ok=True)
    train, held = _count(families, work)
    vocab = next(iter(train.values())).vocab
    mask, forgotten = _forget_rare_variants(train, Path(words_tsv))
    log(f"rare variants mapped to <unk>: {int(mask.sum())} types")
    pairs = _add_lexicon_group(train, Path(words_tsv), Path(syllables_tsv))
    groups, words = list(train), _words(vocab)   # no token is added after this point
    heldout = {g: stream(held[g]) for g in sorted(held) if g not in FIT_EXCLUDE and held[g].syllables}
    if tuning:
        heldout["viwiki-A"] = encode(tuning_sentences(tuning), vocab)

    tmp = Path(tempfile.mkdtemp(prefix="vnproof-lm-"))
    try:
        models = []
        for g in groups:
            build(train[g], tmp / g, meta={"kind": "group"}, quantised=False)
            models.append(NgramModel.load(tmp / g))
        lps = {name: np.stack([stream_logprobs(m, s) for m in models], axis=1) for name, s in heldout.items()}
        lam = fit_weights(list(lps.values()))
        log("weights: " + ", ".join(f"{g} {w:.3f}" for g, w in zip(groups, lam)))
        report = {name: {"tokens": int(len(lp)),
                         "alone": {g: round(_perplexity(lp[:, i]), 1) for i, g in enumerate(groups)},
                         "mixture": round(mixture_perplexity(lp, lam), 1)} for name, lp in lps.items()}
        mixed = mix(models, lam)
        full = {"trigrams": int(len(mixed.tri_keys)), "bigrams": int(len(mixed.bi_keys))}
        curve = _pruning_curve(mixed, words, heldout.get("viwiki-A"), tmp / "curve")
        if curve:
            log(f"pruning curve (viwiki-A perplexity by trigrams kept): {curve}")
        pruned = prune(mixed, MAX_TRIGRAMS, MAX_BIGRAMS)
        del mixed, models
        meta = {"kind": "default", "smoothing": "interpolated modified Kneser-Ney per group, mixed",
                "syllables": int(sum(train[g].syllables for g in groups)),
                "groups": {g: {"weight": round(float(w), 4), "syllables": int(train[g].syllables),
                               "heldout_syllables": int(held[g].syllables) if g in held else 0,
                               "rare_variant_tokens": forgotten.get(g, 0)}
                           for g, w in zip(groups, lam)},
                "heldout": f"{HELDOUT_PERCENT}% of each source's documents (CRC-32 of the id)",
                "rare_variant_types": int(mask.sum()), "lexicon_pairs": pairs, "before_pruning": full,
                "pruning_curve_viwiki_A": curve,
                "sources": [{"file": f.path.name, "group": f.group} for _, fam in families for f in fam]}
        model = NgramModel.load(_write(Path(out_dir), words, pruned, meta))
        share, by_share = _fit_bigram_share(model, heldout.get("viwiki-A"))
        for name, s in heldout.items():
            report[name]["shipped"] = round(_perplexity(_logprobs_with_share(model, s, share)), 1)
        meta["bigram_share"] = share
        meta["bigram_share_perplexity"] = {str(s): round(p, 1) for s, p in by_share.items()}
        meta["perplexity"] = report
        log(f"bigram share {share}; perplexity {json.dumps(report, ensure_ascii=False)}")
        return _write(Path(out_dir), words, pruned, meta)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _count(families: list, work: Path | None) -> tuple[dict[str, Counts], dict[str, Counts]]:
    """Training and held-out counts by group, every family's cached apart, one vocabulary."""
    train: dict[str, Counts] = {}
    held: dict[str, Counts] = {}
    for name, fam in families:
        _, tr, he = count_groups(fam, cache=work / f"counts-{name}.pkl" if work else None)
        _merge(train, tr)
        _merge(held, he)
    return dict(sorted(train.items())), held


def _forget_rare_variants(train: dict[str, Counts], words_tsv: Path) -> tuple[np.ndarray, dict[str, int]]:
    """Rare variants over all groups' training counts, mapped to UNK: (mask, tokens by group)."""
    vocab = next(iter(train.values())).vocab
    freq = np.zeros(len(vocab), np.int64)
    for c in train.values():
        freq += np.bincount(stream(c), minlength=len(vocab))
    mask = rare_variants(_words(vocab), freq, VARIANT_RATIO, _lexicon_words(words_tsv))
    return mask, {g: c.forget(mask) for g, c in train.items()}


def _add_lexicon_group(train: dict[str, Counts], words_tsv: Path, syllables_tsv: Path) -> int:
    """The lexicon's in-word pairs as a group of their own, and the shared unigram base.

    Weighted by EM like the others: added to every group's bigram counts instead, the pairs raise
    held-out perplexity (viwiki-A 103.4 -> 108.3). Returns the number of pairs."""
    lex = Counts(vocab=next(iter(train.values())).vocab)
    pairs = _lexicon_evidence(lex, words_tsv)
    _unigram_prior(lex, syllables_tsv)
    for c in train.values():
        c.unigram_prior = lex.unigram_prior
    train["lexicon"] = lex
    return pairs


def _pruning_curve(mixed: Arrays, words: list[str], tuning: np.ndarray | None, tmp: Path) -> dict[str, float]:
    """What the size budget costs: tuning-text perplexity by the number of trigrams kept."""
    if tuning is None:
        return {}
    curve = {}
    for n3 in PRUNING_CURVE:
        if n3 < len(mixed.tri_keys):
            m = NgramModel.load(_write(tmp, words, prune(mixed, n3, MAX_BIGRAMS), {}))
            curve[str(n3)] = round(_perplexity(stream_logprobs(m, tuning)), 1)
    m = NgramModel.load(_write(tmp, words, mixed, {}))
    curve["all"] = round(_perplexity(stream_logprobs(m, tuning)), 1)
    return curve


def _fit_bigram_share(model: NgramModel, tuning: np.ndarray | None) -> tuple[float, dict[float, float]]:
    """The bigram share of least tuning-text perplexity (0 without tuning text)."""
    if tuning is None:
        return 0.0, {}
    by_share = {s: _perplexity(_logprobs_with_share(model, tuning, s)) for s in SHARES}
    return min(by_share, key=by_share.get), by_share


def _words(vocab: dict[str, int]) -> list[str]:
    words = [""] * len(vocab)
    for t, i in vocab.items():
        words[i] = t
    return words


def _merge(into: dict[str, Counts], other: dict[str, Counts]) -> None:
    """Add `other`'s counts by group; every Counts in `into` shares one vocabulary."""
    vocab = next(iter(into.values())).vocab if into else None
    for g in sorted(other):
        if g not in into and (vocab is None or other[g].vocab is vocab):
            into[g] = other[g]
            vocab = other[g].vocab
            continue
        if g not in into:
            into[g] = Counts(vocab=vocab)
        into[g].merge(*other[g].export())


def _write(out: Path, words: list[str], m: Arrays, meta: dict) -> Path:
    ln10 = np.log(10.0)
    arrays = {"uni": m.uni / ln10, "uni_bow": m.uni_bow / ln10, "bi_keys": m.bi_keys,
              "bi_logp": m.bi_logp / ln10, "bi_bow": m.bi_bow / ln10, "tri_keys": m.tri_keys,
              "tri_logp": m.tri_logp / ln10}
    return write_model(out, words, arrays, meta)
