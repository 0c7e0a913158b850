"""Confidence that an answer is right, learned from the development questions.

The retriever measures how well a procedure matches a question in several ways (coverage
of the question, coverage of the procedure's name, how much specific information matched,
special cases named or not, how close the runner-up is…). Which mix of these says "this
answer is right" is not obvious, and hand-set thresholds on one of them decline long,
chatty questions that name the procedure plainly ("vợ em mới sinh bé ở bệnh viện tỉnh, giờ
em muốn làm giấy khai sinh…"). So the decision is a logistic regression over those
measures (``Evidence``, including the candidate's share from the learned ranker), fitted
on the development sets (``fit``, run by ``manage.py fit_assistant`` on rows from rankers
that did not see those questions), its weights kept as data in ``data/confidence.json``.
The label is "one of the first three citations is right"; the assistant answers when the
probability is at least ``Engine.answer_below``.

Plain numpy; nothing is downloaded and the fit takes well under a second.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path

import numpy as np

LOG_FLOOR = 0.02
DATA = Path(__file__).resolve().parents[1] / "data" / "confidence.json"


@dataclass(frozen=True)
class Evidence:
    """What the retriever knows about one candidate (all roughly in 0..1)."""

    coverage: float  # share of the question's weight the procedure covers
    head: float  # share of the name's distinctive words the question has
    match: float  # coverage × (0.4 + 0.6 × head), with the special-case penalties
    info: float  # specific information matched, as a share of a rare word's, capped at 2
    unknown: float  # share of the question's weight in words the catalog never uses
    length: float  # log(1 + search words) / log(31)
    missing_cases: float  # special cases the question names that the procedure is not
    unnamed_cases: float  # special cases the procedure is that the question does not name
    age_mismatch: float  # 1 when an age in the question is outside the procedure's range
    topic: float  # 1 when the question is a known request no commune procedure serves
    runner_up: float  # the best other candidate's score over this one's, capped at 1.5
    english: float  # 1 for an English question
    keyword: float = 0.0  # share of one of the procedure's keywords the question says
    within: float = 0.0  # share of the question one phrase (the name or a keyword) holds
    share: float = 0.0  # the candidate's share of the pool's scores (the ranker's probability)
    similar: float = 0.0  # cosine to the closest question remembered for it (``semantic``)
    similar_outside: float = 0.0  # cosine to the closest remembered out-of-scope question

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return (*(f.name for f in fields(cls)), "log_coverage", "log_head", "log_match")

    def vector(self) -> np.ndarray:
        """The measures, and the logarithms of the three match measures: a near-zero match
        must pull the answer down whatever else is high (the model multiplies them)."""
        logs = [math.log(LOG_FLOOR + v) for v in (self.coverage, self.head, self.match)]
        return np.array([*astuple(self), *logs], dtype=np.float64)


@dataclass(frozen=True)
class Calibration:
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    trained_on: tuple[str, ...] = ()

    def probability(self, evidence: Evidence) -> float:
        x = (evidence.vector() - np.array(self.mean)) / np.array(self.scale)
        z = float(x @ np.array(self.weights)) + self.bias
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def as_dict(self) -> dict[str, object]:
        names = Evidence.names()
        return {
            "_about": "Logistic regression over xaso.assistant.engine.calibrate.Evidence, "
            "fitted by `manage.py fit_assistant` on the files named in trained_on. "
            "Regenerate it after changing the retriever; never fit on a held-out set.",
            "trained_on": list(self.trained_on),
            "bias": round(self.bias, 6),
            "features": {
                n: {"weight": round(w, 6), "mean": round(m, 6), "scale": round(s, 6)}
                for n, w, m, s in zip(names, self.weights, self.mean, self.scale, strict=True)
            },
        }

    def save(self, path: Path = DATA) -> None:
        path.write_text(json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def hand_set() -> Calibration:
    """Before any fit: answer when the hand-set ``match`` is at least 0.5 (steep logistic)."""
    names = Evidence.names()
    return Calibration(
        weights=tuple(20.0 if n == "match" else 0.0 for n in names),
        bias=-10.0,
        mean=(0.0,) * len(names),
        scale=(1.0,) * len(names),
    )


Columns = tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]


def read_columns(table: dict[str, dict[str, float]], names: Sequence[str]) -> Columns:
    """(weights, means, scales) of a weights file's table, in ``names`` order; a name
    missing from the file (an older file) weighs nothing."""
    return (
        tuple(float(table.get(n, {}).get("weight", 0.0)) for n in names),
        tuple(float(table.get(n, {}).get("mean", 0.0)) for n in names),
        tuple(float(table.get(n, {}).get("scale", 1.0)) or 1.0 for n in names),
    )


def load(path: Path = DATA) -> Calibration:
    """The shipped weights (``hand_set`` when there is no file yet)."""
    if not path.exists():
        return hand_set()
    raw = json.loads(path.read_text(encoding="utf-8"))
    weights, mean, scale = read_columns(raw["features"], Evidence.names())
    return Calibration(
        weights=weights,
        bias=float(raw["bias"]),
        mean=mean,
        scale=scale,
        trained_on=tuple(raw.get("trained_on", ())),
    )


def fit(
    rows: Sequence[tuple[Evidence, bool]],
    *,
    l2: float = 1.0,
    iterations: int = 50,
    trained_on: Sequence[str] = (),
) -> Calibration:
    """L2-regularised logistic regression by Newton's method on standardised features."""
    if not rows:
        raise ValueError("no questions to fit on")
    x = np.array([e.vector() for e, _ in rows])
    y = np.array([1.0 if label else 0.0 for _, label in rows])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(rows), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        gradient = z.T @ (p - y) + penalty * w
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return Calibration(
        weights=tuple(float(v) for v in w[:-1]),
        bias=float(w[-1]),
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        trained_on=tuple(trained_on),
    )
