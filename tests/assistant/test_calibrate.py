"""The learned answer-or-decline weights: the fit, the file, the command's guard."""

from __future__ import annotations

import dataclasses
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from xaso.assistant import evaluation, selectors
from xaso.assistant.engine import Decision, Engine, calibrate
from xaso.assistant.engine.calibrate import Evidence
from xaso.assistant.models import Feedback, Question

BASE = Evidence(
    coverage=0.5,
    head=0.5,
    match=0.5,
    info=1.0,
    unknown=0.0,
    length=0.4,
    missing_cases=0.0,
    unnamed_cases=0.0,
    age_mismatch=0.0,
    topic=0.0,
    runner_up=0.5,
    english=0.0,
)


def test_the_fit_learns_which_way_a_measure_points() -> None:
    # Right answers cover the question well; wrong ones are asked about an unknown topic.
    rows = [(dataclasses.replace(BASE, coverage=0.6 + 0.01 * i), True) for i in range(30)]
    rows += [(dataclasses.replace(BASE, coverage=0.2 + 0.01 * i, topic=1.0), False) for i in range(30)]
    fitted = calibrate.fit(rows)
    names = Evidence.names()
    weights = dict(zip(names, fitted.weights, strict=True))
    assert weights["coverage"] > 0 and weights["topic"] < 0
    assert fitted.probability(dataclasses.replace(BASE, coverage=0.9)) > 0.5
    assert fitted.probability(dataclasses.replace(BASE, coverage=0.1, topic=1.0)) < 0.5


def test_the_weights_survive_the_file(tmp_path: Path) -> None:
    rows = [(dataclasses.replace(BASE, match=0.1 * i), i >= 5) for i in range(10)]
    fitted = calibrate.fit(rows, trained_on=["x.jsonl"])
    path = tmp_path / "confidence.json"
    fitted.save(path)
    loaded = calibrate.load(path)
    for match in (0.0, 0.45, 0.55, 1.0):
        e = dataclasses.replace(BASE, match=match)
        assert loaded.probability(e) == pytest.approx(fitted.probability(e), abs=1e-4)
    assert loaded.trained_on == ("x.jsonl",)


def test_without_a_file_it_answers_on_the_hand_set_match(tmp_path: Path) -> None:
    hand = calibrate.load(tmp_path / "missing.json")
    assert hand.probability(dataclasses.replace(BASE, match=0.52)) >= 0.5
    assert hand.probability(dataclasses.replace(BASE, match=0.48)) < 0.5


def test_the_shipped_weights_cover_every_measure_and_were_not_fitted_on_held_out_questions() -> None:
    raw = json.loads(calibrate.DATA.read_text(encoding="utf-8"))
    assert set(raw["features"]) == set(Evidence.names())
    assert raw["trained_on"] and not any("heldout" in name for name in raw["trained_on"])


def test_the_fit_command_refuses_a_held_out_set(tmp_path: Path) -> None:
    path = tmp_path / "heldout_questions.jsonl"
    path.write_text('{"question": "khai sinh", "expected": ["1.001193"]}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="held-out"):
        call_command("fit_assistant", str(path), stdout=StringIO())


@pytest.mark.django_db
def test_a_long_chatty_question_that_names_the_procedure_is_answered(catalog: list[str]) -> None:
    engine = Engine(selectors.procedure_records())
    question = (
        "chào anh chị, vợ em mới sinh bé ở bệnh viện tỉnh, giờ em muốn đi làm giấy khai sinh "
        "cho cháu thì cần mang theo những gì vậy ạ"
    )
    outcome = engine.ask(question)
    assert outcome.query.out_of_scope is None  # born in a hospital is not a health request
    assert not outcome.abstained and outcome.best is not None and outcome.best.code == "1.001193"
    assert outcome.candidates[0].evidence is not None
    assert engine.ask("đặt lịch khám bệnh ở bệnh viện tỉnh").decision == Decision.OUT_OF_SCOPE


def test_training_rows_label_out_of_scope_questions_false(small_engine: Engine) -> None:
    lines = [
        evaluation.Line("đăng ký khai sinh", ("1.001193",)),
        evaluation.Line("đăng ký khai sinh cho con", ()),
    ]
    rows = evaluation.training_rows(small_engine, lines)
    assert [label for _, label in rows] == [True, False]


@pytest.mark.django_db
def test_officers_verdicts_feed_the_fit_and_can_be_exported(
    catalog: list[str], world: Any, tmp_path: Path
) -> None:
    officer = world.officer_a
    asked = Question.objects.create(
        text="đăng ký khai sinh cho con", key="k", decision="answer", top_code="1.001193", codes=["1.001193"]
    )
    Feedback.objects.create(question=asked, officer=officer, verdict=Feedback.Verdict.RIGHT)
    wrong = Question.objects.create(
        text="đăng ký kết hôn", key="k2", decision="answer", top_code="1.001193", codes=["1.001193"]
    )
    Feedback.objects.create(question=wrong, officer=officer, verdict=Feedback.Verdict.WRONG)
    declined = Question.objects.create(text="hộ chiếu", key="k3", decision="out_of_scope", abstained=True)
    Feedback.objects.create(question=declined, officer=officer, verdict=Feedback.Verdict.WRONG)
    assert selectors.verified_answers() == [
        ("đăng ký khai sinh cho con", "1.001193", True),
        ("đăng ký kết hôn", "1.001193", False),
    ]
    engine = Engine(selectors.procedure_records())
    # The second verdict is about an answer the engine no longer gives: left out.
    assert [label for _, label in evaluation.verdict_rows(engine, selectors.verified_answers())] == [True]
    out = tmp_path / "verified.jsonl"
    text = StringIO()
    call_command("fit_assistant", "--export-verified", str(out), stdout=text)
    assert json.loads(out.read_text(encoding="utf-8")) == {
        "question": "đăng ký khai sinh cho con",
        "expected": ["1.001193"],
    }
    dev = tmp_path / "dev.jsonl"
    dev.write_text(
        "\n".join(
            json.dumps(item, ensure_ascii=False)
            for item in [
                {"question": "dang ky khai sinh", "expected": ["1.001193"]},
                {"question": "đăng ký kết hôn", "expected": ["1.000894"]},
                {"question": "làm hộ chiếu ở đâu", "expected": []},
                {"question": "gia vàng hôm nay", "expected": []},
                {"question": "khai tu cho ong", "expected": ["1.000656"]},
            ]
        ),
        encoding="utf-8",
    )
    fitted = StringIO()
    call_command("fit_assistant", str(dev), "--feedback", "--folds", "2", stdout=fitted)
    assert (
        "Officers' verdicts: 2 answered questions judged, 1 still answered the same way" in fitted.getvalue()
    )
    with pytest.raises(CommandError, match="development set"):
        call_command("fit_assistant", stdout=StringIO())
