"""Evidence is append-only, dated, valid for a while, and written only by the services."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.workforce.conftest import Staffing
from xaso.audit.models import AuditEvent
from xaso.lib.errors import Forbidden, InvalidInput
from xaso.workforce import services
from xaso.workforce.models import Evidence, EvidenceKind
from xaso.workforce.selectors import levels_of, person_competencies

NOW = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_it_records_a_self_assessment_that_counts_only_up_to_the_cap(staffing: Staffing) -> None:
    w = staffing.world
    piece = services.self_assess(actor=w.officer_a, competency=staffing.comp("OPS.1"), level=4, comment="")
    assert (piece.kind, piece.observed_on, piece.valid_until) == ("self", NOW.date(), dt.date(2027, 5, 4))
    derived = levels_of(w.officer_a)[piece.competency_id]
    assert derived.level == 2 and derived.self_level == 4 and not derived.verified
    assert AuditEvent.objects.filter(action="workforce.evidence_added", object_id=str(piece.pk)).exists()


def test_it_lets_only_the_officers_managers_assess_them(staffing: Staffing) -> None:
    w = staffing.world
    comp = staffing.comp("OPS.1")
    piece = services.manager_assess(
        actor=w.head_a,
        person=w.officer_a,
        competency=comp,
        level=3,
        comment="Tiếp nhận đúng quy trình, ít sai sót.",
    )
    assert piece.recorded_by == w.head_a and levels_of(w.officer_a)[comp.pk].level == 3
    for actor in (w.officer_a, w.specialist_a, w.province_manager, w.officer_b):
        with pytest.raises(Forbidden):
            services.manager_assess(
                actor=actor, person=w.officer_a, competency=comp, level=4, comment="x" * 20
            )
    with pytest.raises(Forbidden):  # the head of the service center does not assess the civil-status officer
        services.manager_assess(
            actor=w.head_a, person=w.specialist_a, competency=comp, level=3, comment="x" * 20
        )
    with pytest.raises(Forbidden):  # nor themselves
        services.manager_assess(actor=w.head_a, person=w.head_a, competency=comp, level=3, comment="x" * 20)
    services.manager_assess(
        actor=w.leader_a, person=w.specialist_a, competency=comp, level=2, comment="x" * 20
    )


def test_it_refuses_a_bad_level_a_missing_comment_and_a_future_date(staffing: Staffing) -> None:
    w = staffing.world
    comp = staffing.comp("PRO.CIVIL")
    with pytest.raises(InvalidInput) as too_high:
        services.manager_assess(
            actor=w.leader_a, person=w.specialist_a, competency=comp, level=5, comment="x" * 20
        )
    assert too_high.value.field == "level"
    with pytest.raises(InvalidInput) as no_comment:
        services.manager_assess(
            actor=w.leader_a, person=w.specialist_a, competency=comp, level=3, comment="ok"
        )
    assert no_comment.value.field == "comment"
    with pytest.raises(InvalidInput):
        services.evidence_append(
            person=w.specialist_a,
            competency=comp,
            kind=EvidenceKind.TEST,
            level=2,
            observed_on=NOW.date() + dt.timedelta(days=1),
            recorded_by=None,
        )
    assert not Evidence.objects.exists()


def test_it_keeps_every_piece_and_lets_the_newer_one_of_a_kind_speak(staffing: Staffing) -> None:
    w = staffing.world
    comp = staffing.comp("PRO.CIVIL")
    services.manager_assess(
        actor=w.leader_a, person=w.specialist_a, competency=comp, level=4, comment="x" * 20
    )
    with time_machine.travel(NOW + dt.timedelta(days=30), tick=False):
        services.manager_assess(
            actor=w.leader_a, person=w.specialist_a, competency=comp, level=2, comment="y" * 20
        )
        rows = {r.competency.code: r for r in person_competencies(w.specialist_a)}
    assert Evidence.objects.filter(user=w.specialist_a).count() == 2
    assert rows["PRO.CIVIL"].derived.level == 2 and len(rows["PRO.CIVIL"].evidence) == 2
    assert rows["PRO.CIVIL"].required == 3 and rows["PRO.CIVIL"].gap == 1


def test_it_shows_evidence_read_only_in_the_administration(staffing: Staffing) -> None:
    from django.contrib.admin.sites import site

    from xaso.workforce.models import Evidence as Model

    admin = site._registry[Model]
    assert not admin.has_change_permission(None) and not admin.has_delete_permission(None)  # type: ignore[arg-type]
