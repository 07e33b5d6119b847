"""The learned typo decision: features of a checked syllable, and the model that says "underline".

For each syllable the decoder keeps (see `checker._decode`), `features` describes the contest
between what was typed and its best candidate: the decoder's posterior, the language model's
score change over the three trigrams that contain the syllable, which bigrams either side the
models have seen, the candidate's channel prior and slip kind, both syllables' frequencies,
lexicon words made with the neighbours, and document evidence (a pair used again, a syllable
used once). A logistic regression over a subset of these, fitted on real typos (the tuning half
of viwiki-dev) with the subset chosen by cross-validated likelihood (`vnproof.decisionfit`), is
the issue's confidence. The parameters and the levels' thresholds ship as data
(`dictionaries/decision.json`); prediction is numpy only.
Abstention: a candidate the models have never seen next to either neighbour, with no lexicon
word to back it, is not proposed on its prior alone (`knows_nothing`).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Slip kinds of `candidates.ERROR_TYPES`, grouped; a kind not listed counts as "other".
KIND_GROUPS = {"tone": "tone", "hoi_nga": "hoi_nga", "mark": "mark", "mark_tone": "mark",
               "onset": "onset", "onset_any": "onset_any", "coda": "coda", "rhyme": "rhyme",
               "word": "word", "keyboard": "keyboard", "edit": "edit", "telex": "telex", "i_y": "i_y"}
GROUPS = ("tone", "hoi_nga", "mark", "onset", "onset_any", "coda", "rhyme", "word", "keyboard",
          "edit", "telex", "i_y", "other")
EVIDENCE = ("in_word", "none", "candidate_word", "alone_50", "alone_200", "alone_1000", "alone_edit")
FEATURES = (
    "posterior_logit", "posterior_above_0.3", "posterior_above_0.6", "lm_gain", "lm_gain_pos", "own_seen_left", "own_seen_right",
    "top_seen_left", "top_seen_right", "own_unseen_both", "top_prior", "log_freq_typed",
    "log_freq_top", "freq_ratio", "rare_typed", "freq_1e-5", "freq_1e-4", "unique", "repeated", "repeated_supported", "nonword",
    "capitalised", "log_options", "top_alone",
    *(f"kind_{g}" for g in GROUPS), *(f"evidence_{e}" for e in EVIDENCE),
)


_LOGIT_03, _LOGIT_06 = math.log(0.3 / 0.7), math.log(0.6 / 0.4)  # knots of the posterior's spline


@dataclass(frozen=True)
class SlotView:
    """What the decision needs to know about one decoded syllable and its best candidate."""

    posterior: float        # decoder's P(typo)
    lm_own: float           # LM log-prob of the three trigrams with the typed syllable
    lm_top: float           # ... with the best candidate
    own_seen: tuple[bool, bool]   # typed syllable's bigrams with left/right neighbour seen
    top_seen: tuple[bool, bool]
    top_prior: float        # candidate's log channel prior (word evidence included)
    top_kind: str
    freq_typed: float       # relative lexicon frequencies
    freq_top: float
    unique: bool
    repeats: int
    nonword: bool
    capitalised: bool
    options: int
    evidence: str           # the slot's strongest word evidence
    top_alone: bool         # the best candidate makes a word with a neighbour left alone
    word_neighbours: tuple[bool, bool] = (True, True)   # left/right neighbour is a token of
    #                        the text (a word, number, name), not a sentence edge or a pause,
    #                        and no quote or bracket stands between


def knows_nothing(v: SlotView) -> bool:
    """No model has seen the candidate beside either neighbouring word and no lexicon word backs
    it. A bigram with a sentence edge or a comma says nothing about the context: almost every
    syllable has been seen after one ("rú ga, nẹt pô" -> nét); nor does one across a quote
    ("hai “cẩu tặc”" -> hải)."""
    seen = (v.top_seen[0] and v.word_neighbours[0]) or (v.top_seen[1] and v.word_neighbours[1])
    return not (v.nonword or seen or v.top_alone or v.evidence.startswith("alone"))


def features(v: SlotView) -> list[float]:
    """The feature vector of `FEATURES` for one slot."""
    p = min(max(v.posterior, 1e-6), 1 - 1e-6)
    gain = max(min(v.lm_top - v.lm_own, 30.0), -30.0)
    lft, ltop = math.log10(v.freq_typed + 1e-9), math.log10(v.freq_top + 1e-9)
    group = KIND_GROUPS.get(v.top_kind, "other")
    supported = v.repeats > 0 and (any(v.own_seen) or not v.nonword and v.freq_typed > 1e-5)
    logit = math.log(p / (1 - p))
    return [logit, max(logit - _LOGIT_03, 0.0), max(logit - _LOGIT_06, 0.0), gain, max(gain, 0.0), float(v.own_seen[0]), float(v.own_seen[1]),
            float(v.top_seen[0]), float(v.top_seen[1]), float(not any(v.own_seen)),
            max(v.top_prior, -20.0), lft, ltop, ltop - lft,
            float(v.freq_typed < 1e-5 and not v.nonword), float(1e-5 <= v.freq_typed < 1e-4),
            float(1e-4 <= v.freq_typed < 1e-3), float(v.unique), float(v.repeats > 0),
            float(supported), float(v.nonword), float(v.capitalised), math.log(max(v.options, 1)),
            float(v.top_alone),
            *(float(group == g) for g in GROUPS), *(float(v.evidence == e) for e in EVIDENCE)]


@dataclass(frozen=True)
class Decision:
    """A logistic regression over some of `FEATURES` (standardised): P(the issue is real)."""

    names: tuple[str, ...]
    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray
    thresholds: dict[str, float]
    meta: dict

    def __post_init__(self):
        unknown = set(self.names) - set(FEATURES)
        if unknown:
            raise ValueError(f"decision features {sorted(unknown)} are unknown to this vnproof; "
                             "refit it (python dictionaries/fit_decision.py)")
        object.__setattr__(self, "_cols", np.array([FEATURES.index(n) for n in self.names], np.int64))

    @classmethod
    def load(cls, path: str | Path) -> "Decision":
        d = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(tuple(d["features"]), np.asarray(d["weights"]), float(d["bias"]), np.asarray(d["mean"]),
                   np.asarray(d["scale"]), dict(d["thresholds"]), d.get("meta", {}))

    def save(self, path: str | Path) -> None:
        r = lambda xs: [round(float(x), 6) for x in xs]  # noqa: E731
        d = {"features": list(self.names), "weights": r(self.weights), "bias": round(self.bias, 6),
             "mean": r(self.mean), "scale": r(self.scale), "thresholds": self.thresholds, "meta": self.meta}
        Path(path).write_text(json.dumps(d, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    def confidence(self, X: np.ndarray) -> np.ndarray:
        """P(real typo) for rows of `FEATURES`."""
        Z = (np.asarray(X, np.float64)[:, self._cols] - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(Z @ self.weights + self.bias)))


def shipped_thresholds() -> dict[str, float]:
    """The levels' thresholds of the shipped decision (`dictionaries/decision.json`)."""
    from .lexicon import data_dir

    return dict(json.loads((data_dir() / "decision.json").read_text(encoding="utf-8"))["thresholds"])
