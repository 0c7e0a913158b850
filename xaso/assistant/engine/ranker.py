"""The learned ranking: which of the retriever's candidates a question asks for.

The retriever gathers a pool of candidates by weighted BM25 and measures each one against
the question (``retrieve.Retriever.pool``: per-field BM25, coverage, how well the question
names the procedure or says one of its keywords, special cases, ages, the hand-made
re-ranking score…). This module weighs those measures with a conditional logit model (a
softmax over the pool, one linear score per candidate) fitted by Newton's method on
development questions (the measures and the products of the main ones, ``TERMS``), so that
the weights come from questions, not from hand tuning;
``probabilities`` gives each candidate's share of the pool, which the engine uses as its
score. The weights are data (``xaso/assistant/data/ranker.json``), written by ``manage.py
fit_assistant``; without the file the hand-made score ranks alone.

No Django here: the model is fitted and used on plain arrays.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from xaso.assistant.engine.calibrate import read_columns

DATA = Path(__file__).resolve().parents[1] / "data" / "ranker.json"

#: What the model weighs about each candidate, in ``Retriever.pool``'s order.
FEATURES = (
    "bm25",  # log of the weighted BM25 over the pool's best
    "name",  # each field's BM25 over the pool's best in that field
    "keywords",
    "keywords_en",
    "results",
    "field",
    "people",
    "documents",
    "coverage",  # share of the question's weight the procedure covers
    "head",  # how much of the name's first distinctive words the question has
    "keyword",  # how fully the question says one keyword
    "naming",  # the better of the two
    "run",  # longest run of question words in the name or a keyword, over the question's length
    "prefix",  # the name begins with the question's words
    "unnamed_cases",  # special cases of the procedure the question does not name
    "missing_cases",  # special cases the question names that the procedure lacks
    "named_cases",  # special cases both name
    "variant_asked",  # special cases the question names that a pooled variant of the procedure has
    "age_match",
    "age_mismatch",
    "within",  # how much of the question one phrase (name or keyword) holds
    "info",  # IDF of the covered words that are specific to procedures, over a never-seen word's
    "hand",  # log of the hand-made re-ranking score over the pool's best
    "similar",  # cosine to the closest question remembered for it, less the pool's best (``semantic``)
)
LOG_FLOOR = -8.0  # log ratios below this (a candidate far behind) count as this
#: The main measures, whose pairwise products the model weighs too: how much one counts can
#: depend on another (keyword coverage says more when the name's words are missing…).
INTERACTING = (
    "coverage",
    "keyword",
    "hand",
    "unnamed_cases",
    "run",
    "within",
    "keywords",
    "name",
    "head",
    "bm25",
)
_PAIRS = tuple(
    (FEATURES.index(a), FEATURES.index(b)) for i, a in enumerate(INTERACTING) for b in INTERACTING[i:]
)
#: What the linear model weighs: the measures, then the products of ``INTERACTING`` pairs.
TERMS = (*FEATURES, *(f"{FEATURES[i]}*{FEATURES[j]}" for i, j in _PAIRS))


Array = np.ndarray[Any, np.dtype[np.float64]]


def expand(x: Array) -> Array:
    """Candidates' measures (one row each, ``FEATURES``) → the model's ``TERMS``."""
    x = np.maximum(np.asarray(x, dtype=np.float64), LOG_FLOOR)
    products = [x[:, i] * x[:, j] for i, j in _PAIRS]
    return np.hstack([x, np.column_stack(products)]) if products else x


@dataclass(frozen=True)
class Ranker:
    weights: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    trained_on: tuple[str, ...] = ()

    def scores(self, x: Array) -> Array:
        z = (expand(x) - np.asarray(self.mean)) / np.asarray(self.scale)
        return np.asarray(z @ np.asarray(self.weights), dtype=np.float64)

    def probabilities(self, x: Array) -> Array:
        """Each candidate's share of the pool (softmax of the linear scores)."""
        s = self.scores(x)
        e = np.exp(s - s.max())
        return np.asarray(e / e.sum(), dtype=np.float64)

    def as_dict(self) -> dict[str, object]:
        return {
            "_about": (
                "Conditional logit over the candidates of xaso.assistant.engine.retrieve.Retriever.pool, "
                "fitted by `manage.py fit_assistant` on the files named in trained_on. Regenerate it after "
                "changing the retriever's measures; never fit on a held-out set."
            ),
            "trained_on": list(self.trained_on),
            "terms": {
                name: {"weight": round(w, 6), "mean": round(m, 6), "scale": round(s, 6)}
                for name, w, m, s in zip(TERMS, self.weights, self.mean, self.scale, strict=True)
            },
        }

    def save(self, path: Path = DATA) -> None:
        path.write_text(json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load(path: Path = DATA) -> Ranker | None:
    """The shipped weights, or None (the hand-made score ranks) when there is no file; a
    term missing from the file weighs nothing."""
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    weights, mean, scale = read_columns(raw["terms"], TERMS)
    return Ranker(weights=weights, mean=mean, scale=scale, trained_on=tuple(raw.get("trained_on", ())))


def fit(
    groups: Sequence[tuple[Array, Array]],
    *,
    l2: float = 1.0,
    iterations: int = 100,
    trained_on: Sequence[str] = (),
) -> Ranker:
    """Fit on (candidates' features, which candidates are right) per question; questions
    with no right candidate in their pool tell nothing and must be left out by the caller.
    L2-regularised conditional logit, Newton's method with step halving."""
    if not groups:
        raise ValueError("no questions with a right candidate to fit on")
    xs = [expand(x) for x, _ in groups]
    stacked = np.vstack(xs)
    mean = stacked.mean(axis=0)
    scale = stacked.std(axis=0)
    scale[scale < 1e-9] = 1.0
    data = [((x - mean) / scale, y / y.sum()) for x, (_, y) in zip(xs, groups, strict=True)]
    w = np.zeros(len(TERMS))

    def loss(v: Array) -> float:
        total = 0.5 * l2 * float(v @ v)
        for z, y in data:
            s = z @ v
            top = s.max()
            total += float(-(y @ s) + top + np.log(np.exp(s - top).sum()))
        return total

    for _ in range(iterations):
        gradient = l2 * w
        hessian = l2 * np.eye(len(w))
        for z, y in data:
            s = z @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            gradient = gradient + z.T @ (p - y)
            m = z.T @ p
            hessian = hessian + (z * p[:, None]).T @ z - np.outer(m, m)
        step = np.linalg.solve(hessian, gradient)
        before, t = loss(w), 1.0
        while loss(w - t * step) > before and t > 1e-4:
            t /= 2
        w = w - t * step
        if float(np.max(np.abs(t * step))) < 1e-6:
            break
    return Ranker(
        weights=tuple(float(v) for v in w),
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        trained_on=tuple(trained_on),
    )
