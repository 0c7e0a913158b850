"""Short self-tests in the browser: questions drawn from the bank, scored, recorded as evidence."""

from __future__ import annotations

import pytest

from tests.workforce.conftest import Staffing
from xaso.lib.errors import Conflict, Forbidden, InvalidInput
from xaso.workforce import services
from xaso.workforce.models import Evidence, Question, SelfTestAttempt
from xaso.workforce.scoring import selftest_level


def test_it_climbs_the_levels_until_the_first_one_missed() -> None:
    share = 2 / 3
    assert selftest_level([(2, True), (3, True), (4, True)], share) == 4
    assert selftest_level([(2, True), (3, False), (4, True)], share) == 2
    assert selftest_level([(2, False), (3, True), (4, True)], share) == 1
    assert selftest_level([(1, True), (1, True), (1, False), (2, False)], share) == 1
    assert selftest_level([(1, False)], share) == 0


def answer(attempt: SelfTestAttempt, right_up_to: int) -> list[int | None]:
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    return [
        q.answer if q.level <= right_up_to else (q.answer + 1) % len(q.choices)
        for q in (questions[i] for i in attempt.question_ids)
    ]


def test_it_scores_an_attempt_into_test_evidence(staffing: Staffing) -> None:
    w = staffing.world
    comp = staffing.comp("DC1.1")
    attempt = services.selftest_start(actor=w.officer_a, competency=comp, seed=1)
    assert sorted(Question.objects.get(pk=i).level for i in attempt.question_ids) == [2, 3, 4]
    attempt = services.selftest_submit(actor=w.officer_a, attempt=attempt, answers=answer(attempt, 3))
    assert (attempt.correct, attempt.level, str(attempt.score)) == (2, 3, "66.67")
    evidence = Evidence.objects.get(user=w.officer_a, competency=comp)
    assert (evidence.kind, evidence.level, evidence.attempt_id) == ("test", 3, attempt.pk)
    with pytest.raises(Conflict):
        services.selftest_submit(actor=w.officer_a, attempt=attempt, answers=answer(attempt, 4))
    with pytest.raises(Conflict):  # once a day
        services.selftest_start(actor=w.officer_a, competency=comp)


def test_it_keeps_attempts_private_and_complete(staffing: Staffing) -> None:
    w = staffing.world
    attempt = services.selftest_start(actor=w.officer_a, competency=staffing.comp("SEC.1"))
    with pytest.raises(Forbidden):
        services.selftest_submit(actor=w.head_a, attempt=attempt, answers=answer(attempt, 3))
    with pytest.raises(InvalidInput):
        services.selftest_submit(actor=w.officer_a, attempt=attempt, answers=[0])
    with pytest.raises(InvalidInput):
        services.selftest_start(actor=w.officer_a, competency=staffing.comp("PRO.LAND"))  # no self-test


def test_it_lets_the_province_add_questions_that_are_drawn_next_time(staffing: Staffing) -> None:
    w = staffing.world
    comp = staffing.comp("AI6.2")
    with pytest.raises(Forbidden):
        services.question_add(
            actor=w.leader_a, competency=comp, level=3, text="?", choices=["a", "b"], answer=0
        )
    question = services.question_add(
        actor=w.province_manager,
        competency=comp,
        level=5,
        text="Khi nào được dùng trợ lý AI để soạn quyết định hành chính?",
        choices=[
            "Không bao giờ",
            "Chỉ làm bản nháp, người có thẩm quyền kiểm tra và chịu trách nhiệm",
            "Luôn luôn",
        ],
        answer=1,
    )
    assert question.province_id == w.province.code
    attempt = services.selftest_start(actor=w.officer_a, competency=comp)
    assert question.pk in attempt.question_ids  # four questions, four levels, all drawn
    other = services.selftest_start(actor=w.officer_b, competency=comp)
    assert question.pk in other.question_ids  # same province
    services.question_retire(actor=w.province_manager, question=question)
    assert question.pk not in services.selftest_start(actor=w.specialist_a, competency=comp).question_ids


def test_it_runs_the_test_in_the_browser_pages(staffing: Staffing) -> None:
    w = staffing.world
    client = w.client_for(w.officer_a)
    assert "DC2.1" in client.get("/workforce/tests/").content.decode()
    response = client.post("/workforce/tests/DC2.1/start/")
    assert response.status_code == 302
    attempt = SelfTestAttempt.objects.get(user=w.officer_a)
    page = client.get(response["Location"]).content.decode()
    assert all(f'name="q{i}"' in page for i in attempt.question_ids)
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    form = {f"q{i}": str(questions[i].answer) for i in attempt.question_ids}
    page = client.post(response["Location"], form).content.decode()
    attempt.refresh_from_db()
    assert attempt.level == 4 and 'id="result"' in page
    assert w.client_for(w.head_a).get(response["Location"]).status_code == 404
