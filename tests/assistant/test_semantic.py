"""The assistant's memory of questions, in a sentence embedding (``engine.semantic``)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from xaso.assistant import evaluation
from xaso.assistant.engine import Engine, ProcRecord, semantic
from xaso.assistant.engine.ranker import FEATURES

from .conftest import FIT_LINES, SMALL, rec


def fake_embed(texts: Sequence[str]) -> np.ndarray:
    """A deterministic stand-in: texts that share their first word point the same way."""
    out = np.zeros((len(texts), semantic.DIM), dtype=np.float32)
    for i, text in enumerate(texts):
        for k, word in enumerate(text.lower().split()):
            slot = int(hashlib.sha256(word.encode()).hexdigest(), 16) % semantic.DIM
            out[i, slot] += 3.0 if k == 0 else 1.0
        out[i] /= np.linalg.norm(out[i]) or 1.0
    return out


RECORDS: list[ProcRecord] = [
    rec("1.001193", "Đăng ký khai sinh", keywords=("làm giấy khai sinh",)),
    rec("1.000894", "Đăng ký kết hôn"),
]


def store_of(*lines: tuple[str, tuple[str, ...]]) -> semantic.Store:
    store = semantic.learning_store(semantic.Store({}, {}), lines)
    store.add(store.missing(store.labels), fake_embed)
    return store


def test_each_candidate_is_measured_against_its_own_questions_and_names() -> None:
    store = store_of(
        ("khai sinh cho con gái", ("1.001193",)),
        ("tố cáo lừa đảo", ()),
        ("xin cấp hộ chiếu", ("9.999999",)),  # a procedure this catalog lacks: not remembered
    )
    memory = semantic.Memory(RECORDS, store, fake_embed)
    assert "xin cấp hộ chiếu" not in memory.texts
    similar, outside = memory.measures("khai sinh cho con trai", [0, 1])
    assert similar[0] > 0.8 > similar[1]
    assert outside < 0.5
    # The procedure's name and keywords stand in for questions; they were embedded at build
    assert {"Đăng ký khai sinh", "làm giấy khai sinh"} <= set(store.vectors)
    _, outside = memory.measures("tố cáo lừa đảo qua mạng", [0])
    assert outside > 0.8


def test_hidden_questions_are_not_found_until_shown_again() -> None:
    memory = semantic.Memory(RECORDS, store_of(("khai sinh cho con gái", ("1.001193",))), fake_embed)
    before = memory.measures("khai sinh cho con gái", [0])[0][0]
    memory.hide(["khai  sinh cho con gái "])  # the same text, spaced differently
    hidden = memory.measures("khai sinh cho con gái", [0])[0][0]
    memory.hide(())
    assert before == pytest.approx(1.0, abs=1e-5)
    assert hidden < before
    assert memory.measures("khai sinh cho con gái", [0])[0][0] == pytest.approx(before)


def test_a_procedure_with_nothing_remembered_measures_zero() -> None:
    memory = semantic.Memory([rec("1.000001", "   ")], semantic.Store({}, {}), fake_embed)
    assert memory.measures("bất cứ điều gì", [0]) == ([semantic.NONE_SIMILAR], semantic.NONE_SIMILAR)


def test_the_store_survives_a_round_trip_and_keeps_only_what_is_used(tmp_path: Path) -> None:
    store = store_of(("đăng ký khai sinh", ("1.001193", "2.000528")), ("giá vàng", ()))
    store.add(["một tên cũ"], fake_embed)
    store.keep([*store.labels])
    path = tmp_path / "memory.npz"
    store.save(path)
    again = semantic.Store.load(path)
    assert again.labels == {"đăng ký khai sinh": ("1.001193", "2.000528"), "giá vàng": ()}
    assert set(again.vectors) == {"đăng ký khai sinh", "giá vàng"}
    assert np.allclose(again.vectors["giá vàng"], store.vectors["giá vàng"], atol=1e-3)
    assert semantic.Store.load(tmp_path / "none.npz").vectors == {}


def test_learning_labels_merge_repeated_questions() -> None:
    store = semantic.learning_store(
        semantic.Store({}, {}), [("khai sinh", ("1.001193",)), (" khai  sinh", ("2.000528", "1.001193"))]
    )
    assert store.labels == {"khai sinh": ("1.001193", "2.000528")}


def test_the_shipped_model_places_paraphrases_near_and_other_requests_far() -> None:
    embed = semantic.default_embed()
    a, b, c = embed(["dang ky khai sinh cho con", "làm giấy khai sinh cho bé", "tố cáo lừa đảo qua mạng"])
    assert a @ b > a @ c + 0.05
    assert np.linalg.norm(a) == pytest.approx(1.0, abs=1e-3)


def test_the_shipped_memory_covers_the_development_questions() -> None:
    store = semantic.shipped_store()
    dev = Path(semantic.DATA).with_name("dev_questions.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(store.labels) >= 0.99 * len(dev)
    assert all(text in store.vectors for text in store.labels)


def test_the_memory_joins_the_ranking_and_the_evidence() -> None:
    store = store_of(("giấy tờ cho đứa bé mới đẻ", ("1.001193",)))
    engine = Engine(SMALL, ranker=None, store=store, embed=fake_embed)
    query = engine.analyse("giấy tờ cho đứa bé mới đẻ nhà em")
    pool = engine.retriever.pool(query)
    similar = {engine.records[s.index].code: s.features[FEATURES.index("similar")] for s in pool}
    assert similar["1.001193"] == 0.0 and all(v < 0 for c, v in similar.items() if c != "1.001193")
    evidence = engine.evidence(query, engine.ranked(query))
    assert max(e.similar for e in evidence) > 0.8 and evidence[0].similar_outside == semantic.NONE_SIMILAR


def test_fitting_never_lets_a_question_find_itself_in_the_memory() -> None:
    lines = FIT_LINES
    store = store_of(*((ln.question, ln.expected) for ln in lines))
    engine = Engine(SMALL, ranker=None, store=store, embed=fake_embed)
    memory = engine.memory
    seen: list[bool] = []
    measure = memory.measures

    def spy(text: str, candidates: Sequence[int]) -> tuple[list[float], float]:
        row = memory.row_of.get(semantic.clean(text))
        if row is not None:
            seen.append(bool(memory.visible[row]))
        return measure(text, candidates)

    memory.measures = spy  # type: ignore[method-assign]
    evaluation.fit_assistant(engine, lines, folds=2)
    assert seen and not any(seen)  # every line was measured with its fold hidden
    assert memory.visible.all()


def test_cleaning_is_idempotent_even_when_it_cuts_a_long_text() -> None:
    text = "a" * 499 + "  bcd"  # cut after the 500th character, a space
    assert semantic.clean(text) == semantic.clean(semantic.clean(text)) == "a" * 499


def test_a_question_is_embedded_once_in_the_background_while_its_words_are_read() -> None:
    store = store_of(("giấy tờ cho đứa bé mới đẻ", ("1.001193",)))
    calls: list[tuple[str, str]] = []

    def counting(texts: Sequence[str]) -> np.ndarray:
        calls.extend((threading.current_thread().name, t) for t in texts)
        return fake_embed(texts)

    engine = Engine(SMALL, ranker=None, store=store, embed=counting)  # the fake embedding ranks nothing
    calls.clear()
    outcome = engine.ask("đăng ký khai sinh cho đứa bé mới đẻ nhà em")
    assert outcome.query.core  # it reached ranking
    assert [t for _, t in calls] == ["đăng ký khai sinh cho đứa bé mới đẻ nhà em"]
    assert calls[0][0].startswith("xaso-embed")
    calls.clear()
    engine.ask("giấy tờ cho đứa bé mới đẻ")  # remembered: nothing to embed
    assert calls == []


def test_the_thread_setting_is_checked() -> None:
    assert semantic._threads(None) >= 1 and semantic._threads(" 3 ") == 3
    for bad in ("two", "0", "-1", "100"):
        with pytest.raises(ValueError, match="XASO_EMBED_THREADS"):
            semantic._threads(bad)
