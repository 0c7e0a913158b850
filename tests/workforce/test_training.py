"""Training: sessions, enrolment, attendance, completion with a post-test that becomes evidence;
plans with a budget and their progress."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.workforce.conftest import Staffing
from xaso.audit.models import AuditEvent
from xaso.lib.errors import Conflict, Forbidden
from xaso.workforce import services
from xaso.workforce.authz import Scope
from xaso.workforce.models import Enrolment, EnrolmentStatus, Evidence, PlanItemStatus, Session
from xaso.workforce.selectors import gap_report, plan_progress

NOW = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> object:
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def session(s: Staffing, code: str, *, days: int = 10, capacity: int = 20) -> Session:
    start = NOW.date() + dt.timedelta(days=days)
    return services.session_create(
        actor=s.world.province_manager,
        course=s.course(code),
        province=s.world.province,
        commune=None,
        starts_on=start,
        ends_on=start + dt.timedelta(days=1),
        capacity=capacity,
        place="Trường Chính trị tỉnh",
    )


def officer_gap(s: Staffing, code: str, on: dt.date) -> int:
    report = gap_report(Scope(communes=(s.world.commune_a.code,)), on=on)
    person = report.person(s.world.officer_a.pk)
    assert person is not None
    return next(r.gap for r in person.rows if r.competency.code == code)


def test_it_closes_the_gap_when_the_officer_passes_the_post_test(staffing: Staffing) -> None:
    w = staffing.world
    run = session(staffing, "DVC-01")
    enrolment = services.enrol(actor=w.head_a, session=run, person=w.officer_a)
    assert officer_gap(staffing, "OPS.1", NOW.date()) == 3
    later = run.starts_on + dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(later, dt.time(9), tzinfo=dt.UTC)):
        services.attendance_set(actor=w.head_a, enrolment=enrolment, attended=True)
        services.enrolment_complete(actor=w.head_a, enrolment=enrolment, score=85)
        evidence = Evidence.objects.get(user=w.officer_a, competency__code="OPS.1")
        assert (evidence.kind, evidence.level, evidence.enrolment_id) == ("training", 3, enrolment.pk)
        assert officer_gap(staffing, "OPS.1", later) == 0
    assert AuditEvent.objects.filter(
        action="workforce.training_completed", object_id=str(enrolment.pk)
    ).exists()


def test_it_records_a_failed_post_test_without_evidence(staffing: Staffing) -> None:
    w = staffing.world
    run = session(staffing, "DVC-01")
    enrolment = services.enrol(actor=w.head_a, session=run, person=w.officer_a)
    with time_machine.travel(dt.datetime.combine(run.ends_on, dt.time(9), tzinfo=dt.UTC)):
        services.enrolment_complete(actor=w.head_a, enrolment=enrolment, score="55")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.FAILED
    assert not Evidence.objects.filter(user=w.officer_a).exists()


def test_it_refuses_completion_before_the_session_and_by_the_officer(staffing: Staffing) -> None:
    w = staffing.world
    run = session(staffing, "DVC-01")
    enrolment = services.enrol(actor=w.officer_a, session=run, person=w.officer_a)  # self-enrolment
    with pytest.raises(Conflict):
        services.enrolment_complete(actor=w.head_a, enrolment=enrolment, score=90)
    with pytest.raises(Forbidden):
        services.enrolment_complete(actor=w.officer_a, enrolment=enrolment, score=90)


def test_it_keeps_to_capacity_and_to_people_one_manages(staffing: Staffing) -> None:
    w = staffing.world
    run = session(staffing, "AI-01", capacity=1)
    services.enrol(actor=w.leader_a, session=run, person=w.specialist_a)
    with pytest.raises(Conflict):
        services.enrol(actor=w.leader_a, session=run, person=w.officer_a)
    other = session(staffing, "AI-01")
    with pytest.raises(Forbidden):
        services.enrol(actor=w.head_a, session=other, person=w.specialist_a)  # another department
    with pytest.raises(Forbidden):
        services.enrol(actor=w.leader_a, session=other, person=w.officer_b)  # another commune
    services.enrol(actor=w.province_manager, session=other, person=w.officer_b)


def test_it_builds_a_plan_within_budget_and_tracks_progress(staffing: Staffing) -> None:
    w = staffing.world
    plan = services.training_plan_build(
        actor=w.leader_a, commune=w.commune_a, year=2026, budget_vnd=5_000_000
    )
    items = list(plan.items.order_by("-urgency", "id"))
    assert items and sum(i.cost_vnd for i in items) <= 5_000_000
    assert items[0].urgency == max(i.urgency for i in items)
    first = items[0]
    run = session(staffing, first.course.code)
    enrolment = services.enrol(actor=w.leader_a, session=run, person=first.user)
    first.refresh_from_db()
    assert first.status == PlanItemStatus.ENROLLED and first.enrolment_id == enrolment.pk
    with time_machine.travel(dt.datetime.combine(run.ends_on, dt.time(9), tzinfo=dt.UTC)):
        services.enrolment_complete(actor=w.leader_a, enrolment=enrolment, score=90)
    progress = plan_progress(plan)
    assert progress.completed == 1 and progress.items == len(items)
    assert progress.spent_vnd == first.cost_vnd and progress.committed_vnd <= progress.budget_vnd
    again = services.training_plan_build(actor=w.leader_a, commune=w.commune_a, year=2026)
    assert again.pk == plan.pk and again.items.count() == len(items)  # nothing more fits


def test_it_reopens_a_cancelled_enrolment(staffing: Staffing) -> None:
    w = staffing.world
    run = session(staffing, "AI-01")
    enrolment = services.enrol(actor=w.head_a, session=run, person=w.officer_a)
    services.enrolment_cancel(actor=w.officer_a, enrolment=enrolment)
    again = services.enrol(actor=w.head_a, session=run, person=w.officer_a)
    assert again.pk == enrolment.pk and Enrolment.objects.get().status == EnrolmentStatus.ENROLLED
