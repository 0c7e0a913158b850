"""The question sets and the evaluation: sets well formed and checked against the catalog,
figures computed right, and the assistant measured on a subset in the test database."""

from __future__ import annotations

import json
import unicodedata
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.assistant.conftest import CATALOG_CODES
from xaso.assistant import evaluation, selectors
from xaso.assistant.engine import Engine
from xaso.catalog.importer import read_file
from xaso.catalog.services import MANUAL_PATH, SHIPPED_CATALOG


def shipped_codes() -> set[str]:
    codes = {str(s.record["ma_thu_tuc"]) for s in read_file(SHIPPED_CATALOG)}
    manual = json.loads(MANUAL_PATH.read_text(encoding="utf-8"))["procedures"]
    return codes | {p["code"] for p in manual}


def has_marks(text: str) -> bool:
    return "đ" in text.lower() or any(
        unicodedata.category(c) == "Mn" for c in unicodedata.normalize("NFD", text)
    )


@pytest.mark.parametrize(
    ("path", "minimum", "out_of_scope"),
    [
        (evaluation.DEV_SET, 250, 0.15),
        # Held-out sets are written 240 questions long, 1 in 6 out of scope; dropping the
        # questions an earlier set already had leaves about 200.
        *((path, 150, 0.12) for path in evaluation.HELDOUT_SETS.values()),
    ],
)
def test_the_question_sets_are_large_varied_and_checked_against_the_catalog(
    path: Path, minimum: int, out_of_scope: float
) -> None:
    lines = evaluation.read_lines(path)
    codes = shipped_codes()
    assert len(lines) >= minimum
    assert sum(not ln.expected for ln in lines) >= out_of_scope * len(lines)
    assert sum(not has_marks(ln.question) for ln in lines) >= 0.45 * len(lines)
    english = [
        ln
        for ln in lines
        if ln.question.isascii()
        and any(w in ln.question.lower().split() for w in ("how", "what", "i", "the", "a"))
    ]
    assert len(english) >= 5
    assert len({ln.question for ln in lines}) == len(lines)
    for line in lines:
        assert set(line.expected) <= codes, line


def test_the_held_out_sets_share_no_question_with_the_development_set_or_each_other() -> None:
    sets = [
        {ln.question.lower() for ln in evaluation.read_lines(path)}
        for path in (evaluation.DEV_SET, *evaluation.HELDOUT_SETS.values())
    ]
    for i, one in enumerate(sets):
        for other in sets[i + 1 :]:
            assert not one & other


def test_it_refuses_a_malformed_set(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "a", "expected": []}\n{"q": 1}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        evaluation.read_lines(bad)


def test_it_computes_the_figures() -> None:
    lines = [
        evaluation.Line("a", ("1",)),
        evaluation.Line("b", ("2",)),
        evaluation.Line("c", ("3",)),
        evaluation.Line("d", ()),
    ]
    answers = {"a": (["1", "9"], False), "b": (["9", "2"], False), "c": ([], True), "d": ([], True)}
    figures, misses = evaluation.evaluate(lines, lambda q: answers[q])
    assert figures.n == 4 and figures.in_scope == 3 and figures.out_of_scope == 1
    assert figures.top1 == pytest.approx(1 / 3) and figures.top3 == pytest.approx(2 / 3)
    assert figures.abstention == 1.0 and figures.false_abstention == pytest.approx(1 / 3)
    assert [m.question for m in misses] == ["b", "c"]


def subset_lines() -> list[evaluation.Line]:
    """Development questions whose answers are in the test catalog, and the out-of-scope ones."""
    wanted = set(CATALOG_CODES)
    lines = evaluation.read_lines(evaluation.DEV_SET)
    return [ln for ln in lines if not ln.expected or set(ln.expected) & wanted]


@pytest.mark.django_db
def test_the_assistant_beats_plain_bm25_on_a_subset(catalog: list[str]) -> None:
    records = selectors.procedure_records()
    lines = subset_lines()
    assert len(lines) > 120
    figures, _ = evaluation.evaluate(lines, evaluation.engine_answerer(Engine(records)))
    baseline, _ = evaluation.evaluate(lines, evaluation.NameBaseline(records))
    # A regression guard on a small catalog, not the figures (docs/benchmarks.md):
    # the development set's out-of-scope questions decline at about 89 % on the full catalog.
    assert figures.top1 >= 0.8 and figures.top3 >= 0.85 and figures.abstention >= 0.85
    assert figures.top1 >= baseline.top1 + 0.15


@pytest.mark.django_db
def test_the_command_prints_the_figures(catalog: list[str], tmp_path: Path) -> None:
    path = tmp_path / "few.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(item, ensure_ascii=False)
            for item in [
                {"question": "dang ky khai sinh", "expected": ["1.001193"]},
                {"question": "How do I register a marriage?", "expected": ["1.000894"]},
                {"question": "làm hộ chiếu ở đâu", "expected": []},
            ]
        ),
        encoding="utf-8",
    )
    out = StringIO()
    call_command("eval_assistant", str(path), "--json", "--baseline", stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    assert result["assistant"]["n"] == 3 and result["assistant"]["top1"] == 1.0
    assert result["assistant"]["abstention"] == 1.0 and "baseline_bm25_names" in result
    text = StringIO()
    call_command("eval_assistant", str(path), stdout=text)
    assert "top-1" in text.getvalue() and "100.0%" in text.getvalue()
    with pytest.raises(CommandError):
        call_command("eval_assistant", str(tmp_path / "missing.jsonl"))
    # Another bar can be weighed: at 1.0 nothing is certain enough, so every line is declined
    strict = StringIO()
    call_command("eval_assistant", str(path), "--json", "--answer-below", "1.0", stdout=strict)
    assert json.loads(strict.getvalue())["assistant"]["top1"] == 0.0
    with pytest.raises(CommandError, match="between 0 and 1"):
        call_command("eval_assistant", str(path), "--answer-below", "5")
