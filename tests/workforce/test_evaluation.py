"""Decree 335/2025 evaluation: task results from the dossier ledger (quantity, quality,
timeliness), general criteria by the manager, grades, the excellent-to-good rule, adjustments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.conftest import World, make_user
from tests.dossiers.test_workflow import take
from tests.workforce.conftest import Staffing
from xaso.accounts.models import Role, User
from xaso.audit.models import AuditEvent
from xaso.catalog.models import Procedure
from xaso.dossiers.services import dossier_act
from xaso.lib.errors import Forbidden, InvalidInput
from xaso.workforce import services
from xaso.workforce.models import Evaluation, EvaluationChange, Grade
from xaso.workforce.scoring import Policy, excellent_limit, grade_for, task_result
from xaso.workforce.selectors import evaluation_summary
from xaso.workforce.worklog import WorkItem, work_items

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN)


def item(*, completed: bool = True, late: bool = False, faulty: bool = False) -> WorkItem:
    return WorkItem(1, "processing", "Hộ tịch", False, dt.date(2026, 2, 1), completed, late, faulty)


def test_it_scores_task_results_with_25_percent_off_per_late_or_faulty_item() -> None:
    policy = Policy()
    items = [item(), item(late=True), item(faulty=True), item(late=True, faulty=True)]
    result = task_result(items, policy)
    # (1 + 0.75 + 0.75 + 0.5) / 4 of 70 points
    assert (result.assigned, result.completed, result.late, result.faulty) == (4, 4, 2, 2)
    assert result.points == Decimal("52.50")
    assert task_result([item(), item(completed=False, late=True)], policy).points == Decimal("35.00")
    assert task_result([], policy).points is None


def test_it_grades_by_configured_thresholds() -> None:
    policy = Policy()
    assert [grade_for(Decimal(x), policy) for x in (95, 90, 89.5, 70, 69, 50, 49)] == [
        Grade.EXCELLENT, Grade.EXCELLENT, Grade.GOOD, Grade.GOOD, Grade.COMPLETED, Grade.COMPLETED,
        Grade.NOT_COMPLETED,
    ]  # fmt: skip
    strict = Policy(excellent_min=Decimal(95), late_penalty=Decimal("0.5"))
    assert grade_for(Decimal(92), strict) == Grade.GOOD
    assert task_result([item(late=True)], strict).points == Decimal("35.00")
    assert excellent_limit(9, policy) == 1 and excellent_limit(10, policy) == 2


def _ledger(world: World, justice: User) -> None:
    """Three birth registrations in March 2026: one on time, one late, one the specialist sends
    back for a supplement the counter should have caught."""
    with time_machine.travel(at(3, 2, 9), tick=False):
        on_time = take(world)
    handler = on_time.assignee
    assert handler is not None
    with time_machine.travel(at(3, 2, 10), tick=False):
        dossier_act(actor=handler, code=on_time.code, action="start")
        dossier_act(actor=handler, code=on_time.code, action="forward")
    with time_machine.travel(at(3, 2, 11), tick=False):
        dossier_act(actor=world.leader_a, code=on_time.code, action="approve")
    with time_machine.travel(at(3, 3, 9), tick=False):
        late = take(world)
    late_handler = late.assignee
    assert late_handler is not None
    with time_machine.travel(at(3, 3, 10), tick=False):
        dossier_act(actor=late_handler, code=late.code, action="start")
    with time_machine.travel(at(3, 4, 10), tick=False):
        dossier_act(actor=late_handler, code=late.code, action="forward")
        dossier_act(actor=world.leader_a, code=late.code, action="approve")
    with time_machine.travel(at(3, 5, 9), tick=False):
        back = take(world)
    back_handler = back.assignee
    assert back_handler is not None
    with time_machine.travel(at(3, 5, 10), tick=False):
        dossier_act(actor=back_handler, code=back.code, action="start")
        dossier_act(
            actor=back_handler,
            code=back.code,
            action="request_supplement",
            reason="Thiếu giấy chứng sinh",
            missing_items=["Giấy chứng sinh"],
        )


@pytest.fixture
def ledger(staffing: Staffing, procedures: dict[str, Procedure], justice_officer: User) -> Staffing:
    _ledger(staffing.world, justice_officer)
    return staffing


def test_it_reads_work_items_off_the_ledger(ledger: Staffing) -> None:
    w = ledger.world
    items = work_items(
        communes=[w.commune_a.code], start=dt.date(2026, 1, 1), end=dt.date(2026, 4, 1), as_of=at(4, 1, 0)
    )
    reception = [i for i in items if i.user_id == w.officer_a.pk]
    assert [i.kind for i in reception] == ["reception"] * 3
    assert sum(i.faulty for i in reception) == 1  # the supplement asked for during processing
    processing = [i for i in items if i.kind == "processing"]
    assert len(processing) == 3 and sum(i.late for i in processing) == 2  # one forwarded late, one still open
    signoff = [i for i in items if i.kind == "signoff"]
    assert [(i.user_id, i.late) for i in signoff] == [(w.leader_a.pk, False), (w.leader_a.pk, True)]


def test_it_computes_the_quarter_and_keeps_managers_entries(ledger: Staffing) -> None:
    w = ledger.world
    with time_machine.travel(at(4, 2, 9), tick=False):
        rows = services.evaluations_compute(actor=w.leader_a, commune=w.commune_a, year=2026, quarter=1)
        by_user = {r.user_id: r for r in rows}
        officer = by_user[w.officer_a.pk]
        assert (officer.assigned, officer.completed, officer.faulty) == (3, 3, 1)
        assert officer.computed_task_points == Decimal("64.17")  # (1 + 1 + 0.75) / 3 × 70
        assert officer.grade == ""  # general criteria not entered yet
        assert by_user[w.admin_a.pk].computed_task_points is None  # no work in the ledger
        officer = services.evaluation_set_general(actor=w.head_a, evaluation=officer, points=27)
        assert (officer.total, officer.grade) == (Decimal("91.17"), Grade.EXCELLENT)
        with pytest.raises(InvalidInput):
            services.evaluation_set_general(
                actor=w.head_a, evaluation=officer, points=26
            )  # a change needs a reason
        officer = services.evaluation_set_general(
            actor=w.head_a, evaluation=officer, points=25, reason="Một lần vi phạm giờ giấc trong quý."
        )
        assert officer.grade == Grade.GOOD
        services.evaluations_compute(actor=w.leader_a, commune=w.commune_a, year=2026, quarter=1)
        officer.refresh_from_db()
        assert officer.general_points == Decimal(25) and officer.grade == Grade.GOOD


def test_it_adjusts_task_results_only_with_a_reason_and_audits_each_change(ledger: Staffing) -> None:
    w = ledger.world
    with time_machine.travel(at(4, 2, 9), tick=False):
        rows = services.evaluations_compute(actor=None, commune=w.commune_a, year=2026, quarter=1)
    officer = next(r for r in rows if r.user_id == w.officer_a.pk)
    with pytest.raises(InvalidInput):
        services.evaluation_adjust_task(actor=w.head_a, evaluation=officer, points=70, reason="")
    with pytest.raises(Forbidden):
        services.evaluation_adjust_task(
            actor=w.officer_a, evaluation=officer, points=70, reason="Tôi tự đánh giá lại cho mình."
        )
    with pytest.raises(Forbidden):  # another department's head
        other = make_user("head.office", Role.DEPARTMENT_HEAD, commune=w.commune_a, department_kind="office")
        services.evaluation_adjust_task(
            actor=other, evaluation=officer, points=70, reason="Không thuộc phòng tôi."
        )
    officer = services.evaluation_adjust_task(
        actor=w.head_a,
        evaluation=officer,
        points=70,
        reason="Hồ sơ bổ sung do hệ thống liên thông, không do lỗi tiếp nhận.",
    )
    assert officer.task_points == Decimal(70) and officer.task_adjusted
    change = EvaluationChange.objects.get(evaluation=officer)
    assert (change.old, change.new, change.actor) == (Decimal("64.17"), Decimal(70), w.head_a)
    audit = AuditEvent.objects.get(action="workforce.evaluation_task_points", object_id=str(officer.pk))
    assert audit.actor == w.head_a and "liên thông" in audit.data["reason"]
    with time_machine.travel(at(4, 3, 9), tick=False):
        services.evaluations_compute(actor=None, commune=w.commune_a, year=2026, quarter=1)
    officer.refresh_from_db()
    assert officer.task_points == Decimal(70)  # the adjustment survives a recompute


def test_it_flags_more_excellent_than_20_percent_of_good(staffing: Staffing) -> None:
    w = staffing.world
    people = [make_user(f"x{i}", Role.SPECIALIST, commune=w.commune_a) for i in range(7)]
    grades = [Grade.EXCELLENT] * 2 + [Grade.GOOD] * 5
    for person, grade in zip(people, grades, strict=True):
        Evaluation.objects.create(user=person, commune=w.commune_a, year=2026, quarter=2, grade=grade)
    summary = evaluation_summary(w.commune_a, 2026, 2, Policy())
    assert summary.excellent_limit == 1 and summary.excellent_over_limit
    Evaluation.objects.filter(user=people[0]).update(grade=Grade.GOOD)
    assert not evaluation_summary(w.commune_a, 2026, 2, Policy()).excellent_over_limit
    response = w.client_for(w.leader_a).get(
        f"/workforce/evaluations/?commune={w.commune_a.code}&year=2026&quarter=2"
    )
    assert response.status_code == 200 and b'id="excellent-flag"' not in response.content


def test_it_takes_thresholds_from_the_province_policy(staffing: Staffing) -> None:
    w = staffing.world
    services.evaluation_policy_set(
        actor=w.province_manager, province=w.province, values={"excellent_min": Decimal(95)}
    )
    assert services.policy_for(w.province.code).excellent_min == Decimal(95)
    with pytest.raises(InvalidInput):
        services.evaluation_policy_set(
            actor=w.province_manager, province=w.province, values={"task_points": Decimal(60)}
        )
    with pytest.raises(Forbidden):
        services.evaluation_policy_set(
            actor=w.leader_a, province=w.province, values={"good_min": Decimal(60)}
        )
    assert AuditEvent.objects.filter(action="workforce.evaluation_policy_set").count() == 1


def test_it_runs_the_quarterly_command(ledger: Staffing) -> None:
    import io

    from django.core.management import call_command

    w = ledger.world
    out = io.StringIO()
    with time_machine.travel(at(4, 2, 9), tick=False):
        call_command(
            "workforce_quarter", "--on", "2026-04-01", "--commune", str(w.commune_a.code), stdout=out
        )
    assert "Q1/2026" in out.getvalue()
    assert Evaluation.objects.filter(commune=w.commune_a, year=2026, quarter=1).count() == 6
    assert AuditEvent.objects.filter(action="workforce.evaluations_computed").count() == 1
