"""The learned ranker: the fit, the file, and the retriever ranking by it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from xaso.assistant import evaluation
from xaso.assistant.engine import Engine, ranker
from xaso.assistant.engine.ranker import FEATURES, TERMS, Ranker

from .conftest import FIT_LINES, SMALL

COVERAGE = FEATURES.index("coverage")
UNNAMED = FEATURES.index("unnamed_cases")


def _group(rng: np.random.Generator, size: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """A pool where the right candidate covers the question best and is no special case."""
    x = rng.uniform(0.0, 1.0, (size, len(FEATURES)))
    x[:, UNNAMED] = rng.integers(0, 2, size)
    right = rng.integers(size)
    x[right, COVERAGE] = x[:, COVERAGE].max() + 0.2
    x[right, UNNAMED] = 0
    y = np.zeros(size)
    y[right] = 1.0
    return x, y


def test_the_fit_learns_which_way_a_measure_points() -> None:
    rng = np.random.default_rng(3)
    fitted = ranker.fit([_group(rng) for _ in range(80)])
    x, y = _group(rng)
    shares = fitted.probabilities(x)
    assert shares.sum() == pytest.approx(1.0)
    assert int(np.argmax(shares)) == int(np.argmax(y))
    # More coverage raises a candidate's share; being an unnamed special case lowers it.
    x[0, UNNAMED] = 0
    more, special = x.copy(), x.copy()
    more[0, COVERAGE] += 0.3
    special[0, UNNAMED] = 1
    assert fitted.probabilities(more)[0] > fitted.probabilities(x)[0] > fitted.probabilities(special)[0]


def test_the_fit_needs_questions() -> None:
    with pytest.raises(ValueError, match="no questions"):
        ranker.fit([])


def test_the_weights_survive_the_file(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    fitted = ranker.fit([_group(rng) for _ in range(30)], trained_on=["x.jsonl"])
    path = tmp_path / "ranker.json"
    fitted.save(path)
    loaded = ranker.load(path)
    assert loaded is not None and loaded.trained_on == ("x.jsonl",)
    x, _ = _group(rng)
    assert loaded.probabilities(x) == pytest.approx(fitted.probabilities(x), abs=1e-4)
    assert ranker.load(tmp_path / "missing.json") is None


def test_the_shipped_ranker_covers_every_measure_and_was_not_fitted_on_held_out_questions() -> None:
    raw = json.loads(ranker.DATA.read_text(encoding="utf-8"))
    assert set(raw["terms"]) == set(TERMS)
    assert raw["trained_on"] and not any("heldout" in name for name in raw["trained_on"])


def test_the_pool_measures_every_feature_and_the_ranker_orders_it() -> None:
    engine = Engine(SMALL, ranker=None)
    query = engine.analyse("đăng ký khai sinh cho con")
    pool = engine.retriever.pool(query)
    assert pool and all(len(s.features) == len(FEATURES) for s in pool)
    assert all(s.score == s.hand for s in pool)  # no ranker: the hand-made score ranks
    # A ranker that only trusts the field's BM25 share reorders the same pool by it.
    only_field = Ranker(
        weights=tuple(10.0 if name == "field" else 0.0 for name in TERMS),
        mean=(0.0,) * len(TERMS),
        scale=(1.0,) * len(TERMS),
    )
    engine.retriever.ranker = only_field
    ranked = engine.retriever.rank(query)
    assert sum(s.score for s in ranked) == pytest.approx(1.0)
    field = FEATURES.index("field")
    assert [s.features[field] for s in ranked] == sorted((s.features[field] for s in ranked), reverse=True)


def test_ranking_groups_keep_only_questions_with_a_right_candidate() -> None:
    engine = Engine(SMALL, ranker=None)
    lines = [
        evaluation.Line("đăng ký khai sinh", ("1.001193",)),
        evaluation.Line("làm hộ chiếu", ()),  # out of scope: nothing to rank
        evaluation.Line("đăng ký khai sinh", ("9.999999",)),  # expected code not in the pool
    ]
    groups = evaluation.ranking_groups(engine, lines)
    assert groups[1] is None and groups[2] is None
    assert groups[0] is not None
    x, y = groups[0]
    assert x.shape == (len(y), len(FEATURES)) and y.sum() == 1.0


def test_the_model_weighs_the_measures_and_the_products_of_the_main_ones() -> None:
    x = np.arange(2 * len(FEATURES), dtype=np.float64).reshape(2, len(FEATURES)) / 10
    x[1, FEATURES.index("hand")] = -50.0  # a candidate far behind counts as LOG_FLOOR
    terms = ranker.expand(x)
    assert terms.shape == (2, len(TERMS))
    hand = FEATURES.index("hand")
    assert terms[1, hand] == ranker.LOG_FLOOR
    product = TERMS.index("coverage*keyword")
    c, k = FEATURES.index("coverage"), FEATURES.index("keyword")
    assert terms[0, product] == pytest.approx(x[0, c] * x[0, k])


def test_fit_assistant_fits_both_parts_and_leaves_them_on_the_engine() -> None:
    engine = Engine(SMALL, ranker=None)
    lines = FIT_LINES
    said: list[str] = []
    fit = evaluation.fit_assistant(engine, lines, folds=2, trained_on=["small.jsonl"], progress=said.append)
    assert engine.retriever.ranker is fit.ranker and engine.calibration is fit.calibration
    assert fit.ranker.trained_on == ("small.jsonl",) and fit.calibration.trained_on == ("small.jsonl",)
    assert fit.cross_validated.n == len(lines) and fit.rows >= 4
    assert said[0].startswith("Measuring 6 questions") and said[-1] == "Fitting on all questions…"
    ranked = engine.ranked(engine.analyse("đăng ký khai sinh cho con"))
    assert sum(s.score for s in engine.retriever.rank(engine.analyse("đăng ký khai sinh cho con"))) == (
        pytest.approx(1.0)
    )
    assert engine.records[ranked[0].index].code == "1.001193"
