"""Job positions: adopted from the province's template, adapted by the commune; positions history."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import World
from tests.workforce.conftest import Staffing
from xaso.audit.models import AuditEvent
from xaso.lib.errors import Conflict, Forbidden, InvalidInput
from xaso.workforce import services
from xaso.workforce.models import Assignment, Position, PositionTemplate


def test_it_adopts_the_template_with_its_requirements(world: World, framework: None) -> None:
    template = PositionTemplate.objects.get(province=world.province, code="KT-DCXD")
    position = services.position_adopt(actor=world.leader_a, commune=world.commune_a, template=template)
    assert position.department is not None and position.department.kind == "economy"
    assert position.headcount == 2
    reqs = {
        r.competency.code: (r.min_level, r.essential)
        for r in position.requirements.select_related("competency")
    }
    assert reqs["PRO.LAND"] == (3, True) and len(reqs) == template.requirements.count()
    with pytest.raises(Conflict):
        services.position_adopt(actor=world.leader_a, commune=world.commune_a, template=template)
    assert (
        AuditEvent.objects.filter(action="workforce.position_adopted", commune=world.commune_a).count() == 1
    )


def test_it_lets_the_commune_adapt_a_requirement(staffing: Staffing) -> None:
    w = staffing.world
    land = staffing.comp("PRO.LAND")
    services.requirement_set(
        actor=w.leader_a, position=staffing.reception, competency=land, min_level=2, essential=False
    )
    services.requirement_set(
        actor=w.province_manager,
        position=staffing.reception,
        competency=staffing.comp("OPS.1"),
        min_level=4,
        essential=True,
    )
    reqs = {
        r.competency.code: r.min_level for r in staffing.reception.requirements.select_related("competency")
    }
    assert reqs["PRO.LAND"] == 2 and reqs["OPS.1"] == 4
    # The template is untouched, and the other commune's position too.
    assert not PositionTemplate.objects.get(code="TT-TNTKQ").requirements.filter(competency=land).exists()
    assert not staffing.reception_b.requirements.filter(competency=land).exists()
    services.requirement_remove(actor=w.leader_a, position=staffing.reception, competency=land)
    assert not staffing.reception.requirements.filter(competency=land).exists()
    with pytest.raises(InvalidInput):
        services.requirement_set(
            actor=w.leader_a, position=staffing.reception, competency=land, min_level=5, essential=False
        )


@pytest.mark.parametrize("persona", ["officer_a", "head_a", "officer_b", "other_province_manager"])
def test_it_refuses_position_changes_to_others(staffing: Staffing, persona: str) -> None:
    actor = getattr(staffing.world, persona)
    with pytest.raises(Forbidden):
        services.requirement_set(
            actor=actor,
            position=staffing.reception,
            competency=staffing.comp("DC1.1"),
            min_level=4,
            essential=False,
        )


def test_it_keeps_the_history_of_positions(staffing: Staffing) -> None:
    w = staffing.world
    civil = Position.objects.get(commune=w.commune_a, code="VP-TPHT")
    services.assignment_add_past(
        actor=w.leader_a,
        person=w.officer_a,
        title="Công chức Tư pháp - Hộ tịch",
        organisation="UBND xã Vinh Hưng (trước sắp xếp)",
        started_on=dt.date(2018, 3, 1),
        ended_on=dt.date(2025, 6, 30),
    )
    services.assignment_start(
        actor=w.leader_a, person=w.officer_a, position=civil, started_on=dt.date(2026, 1, 1)
    )
    history = list(Assignment.objects.filter(user=w.officer_a).order_by("started_on"))
    assert [(a.title, a.ended_on) for a in history] == [
        ("Công chức Tư pháp - Hộ tịch", dt.date(2025, 6, 30)),
        ("Công chức tiếp nhận và trả kết quả", dt.date(2025, 12, 31)),
        ("Công chức Tư pháp - Hộ tịch", None),
    ]
    with pytest.raises(InvalidInput):  # overlaps the current line
        services.assignment_add_past(
            actor=w.leader_a, person=w.officer_a, title="X", organisation="", started_on=dt.date(2026, 2, 1),
            ended_on=dt.date(2026, 3, 1),
        )  # fmt: skip
    with pytest.raises(InvalidInput):  # a position of another commune
        services.assignment_start(
            actor=w.province_manager,
            person=w.officer_a,
            position=staffing.reception_b,
            started_on=dt.date(2026, 2, 1),
        )


def test_it_shows_positions_to_the_commune_and_the_province(staffing: Staffing) -> None:
    w = staffing.world
    url = f"/workforce/positions/?commune={w.commune_a.code}"
    assert "KT-DCXD" in w.client_for(w.officer_a).get(url).content.decode()
    assert w.client_for(w.province_manager).get(url).status_code == 200
    assert w.client_for(w.officer_b).get(url).status_code == 403
    detail = f"/workforce/positions/{staffing.reception.pk}/"
    assert w.client_for(w.other_province_manager).get(detail).status_code == 403
    response = w.client_for(w.leader_a).post(detail, {"competency": "DC5.1", "min_level": "3"})
    assert response.status_code == 302
    assert staffing.reception.requirements.filter(competency__code="DC5.1", min_level=3).exists()
    assert (
        w.client_for(w.officer_a).post(detail, {"competency": "DC5.1", "min_level": "4"}).status_code == 403
    )
