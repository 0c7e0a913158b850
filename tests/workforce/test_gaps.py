"""Gap analysis: required vs current level, per person, position, department, commune and province."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.conftest import make_user
from tests.workforce.conftest import Staffing, place
from xaso.accounts.models import Role
from xaso.workforce import services
from xaso.workforce.authz import Scope, report_scope
from xaso.workforce.models import EvidenceKind
from xaso.workforce.selectors import gap_report, recommendations

TODAY = dt.date(2026, 5, 4)


@pytest.fixture(autouse=True)
def _frozen() -> object:
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


def show(s: Staffing, user: object, code: str, level: int, kind: str = EvidenceKind.MANAGER) -> None:
    services.evidence_append(
        person=user,  # type: ignore[arg-type]
        competency=s.comp(code),
        kind=kind,
        level=level,
        observed_on=TODAY - dt.timedelta(days=10),
        recorded_by=None,
    )


def test_it_lists_each_requirement_of_a_person_with_the_current_level(staffing: Staffing) -> None:
    w = staffing.world
    show(staffing, w.officer_a, "OPS.1", 3)
    show(staffing, w.officer_a, "OPS.2", 1)
    report = gap_report(Scope(communes=(w.commune_a.code,)), on=TODAY)
    person = report.person(w.officer_a.pk)
    assert person is not None and person.position_title == "Công chức tiếp nhận và trả kết quả"
    rows = {r.competency.code: r for r in person.rows}
    assert len(rows) == 9
    assert (rows["OPS.1"].required, rows["OPS.1"].current, rows["OPS.1"].gap) == (3, 3, 0)
    assert (rows["OPS.2"].required, rows["OPS.2"].current, rows["OPS.2"].gap) == (3, 1, 2)
    assert rows["AI6.2"].current == 0 and not person.meets
    gaps = [r.gap for r in person.gaps]
    assert gaps == sorted(gaps, reverse=True)  # the biggest gaps first


def test_it_sums_up_positions_departments_and_communes(staffing: Staffing) -> None:
    w = staffing.world
    report = gap_report(Scope(communes=(w.commune_a.code, w.commune_b.code), province=True), on=TODAY)
    a = next(c for c in report.communes if c.id == w.commune_a.code)
    assert a.officers == 4 and a.meeting == 0
    assert a.short["OPS.1"] == 3  # reception, civil status and the center's deputy director
    reception = next(p for p in report.positions if p.position_id == staffing.reception.pk)
    assert (reception.headcount, reception.filled, reception.vacancies) == (3, 1, 2)
    # Nobody is at the key level of IT administration or land administration in either commune.
    assert {c.code for c in a.lacks} >= {"PRO.IT", "PRO.LAND"}
    assert {c.id for c in report.communes_lacking("PRO.IT")} == {w.commune_a.code, w.commune_b.code}
    # People not placed in a position are listed apart, not counted as gaps.
    assert {u[0] for u in report.unassigned} >= {w.admin_a.pk}


def test_it_clears_the_commune_lack_when_one_officer_qualifies(staffing: Staffing) -> None:
    w = staffing.world
    show(staffing, w.specialist_a, "PRO.LAND", 3)  # not required by their position, still counts
    report = gap_report(Scope(communes=(w.commune_a.code,)), on=TODAY)
    lacks = {c.code for c in report.communes[0].lacks}
    assert "PRO.LAND" not in lacks and "PRO.IT" in lacks


def test_it_runs_a_fixed_number_of_queries(staffing: Staffing, django_assert_max_num_queries: object) -> None:
    w = staffing.world
    for i in range(6):
        extra = make_user(
            f"extra.{i}", Role.RECEPTION_OFFICER, commune=w.commune_a, department_kind="service_center"
        )
        place(extra, staffing.reception)
        show(staffing, extra, "OPS.1", 1 + i % 4)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        report = gap_report(Scope(communes=(w.commune_a.code, w.commune_b.code), province=True), on=TODAY)
        assert report.officers == 11


def test_it_scopes_the_report_to_each_persona(staffing: Staffing) -> None:
    w = staffing.world
    assert report_scope(w.province_manager).communes == (w.commune_b.code, w.commune_a.code)
    assert report_scope(w.leader_a) == Scope(communes=(w.commune_a.code,))
    head = report_scope(w.head_a)
    assert head.department == w.head_a.department_id
    assert report_scope(w.officer_a) == Scope(communes=(w.commune_a.code,), person=w.officer_a.pk)
    people = {p.user_id for p in gap_report(head, on=TODAY).people}
    assert people == {w.officer_a.pk, w.head_a.pk}


def test_it_recommends_courses_most_urgent_first(staffing: Staffing) -> None:
    w = staffing.world
    show(staffing, w.officer_a, "OPS.1", 2)  # essential, one level short
    show(staffing, w.officer_a, "AI6.2", 1, kind=EvidenceKind.SELF)  # not essential, self only
    report = gap_report(Scope(communes=(w.commune_a.code,)), on=TODAY)
    recs = [r for r in recommendations(report) if r.user_id == w.officer_a.pk]
    codes = [r.course.code for r in recs if r.course]
    assert codes.index("DVC-01") < codes.index("AI-01")
    dvc = next(r for r in recs if r.course and r.course.code == "DVC-01")
    assert [g.competency.code for g in dvc.gaps] == ["OPS.1"] and dvc.urgency >= 3


def test_it_renders_the_report_pages_with_queries_that_do_not_grow(staffing: Staffing) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = staffing.world
    client = w.client_for(w.province_manager)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    urls = ["/workforce/gaps/", f"/workforce/gaps/?commune={w.commune_a.code}", "/api/v1/workforce/gaps"]
    before = [count(url) for url in urls]
    for i in range(12):
        extra = make_user(
            f"more.{i}", Role.RECEPTION_OFFICER, commune=w.commune_a, department_kind="service_center"
        )
        place(extra, staffing.reception)
        show(staffing, extra, "OPS.1", 1 + i % 4)
        show(staffing, extra, "AI6.2", 1, kind=EvidenceKind.SELF)
    assert [count(url) for url in urls] == before
    assert max(before) <= 25
