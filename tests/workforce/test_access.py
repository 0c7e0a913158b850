"""Who may open each workforce page: the personas of tests/conftest.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from tests.workforce.conftest import Staffing
from xaso.workforce import services
from xaso.workforce.models import Evaluation

CAN = 200
NO = 403


@pytest.fixture
def objects(staffing: Staffing) -> dict[str, int]:
    w = staffing.world
    start = dt.date.today() + dt.timedelta(days=5)  # noqa: DTZ011 — a calendar day
    run = services.session_create(
        actor=w.leader_a, course=staffing.course("AI-01"), province=w.province, commune=w.commune_a,
        starts_on=start, ends_on=start, capacity=10, online=True,
    )  # fmt: skip
    enrolment = services.enrol(actor=w.head_a, session=run, person=w.officer_a)
    evaluation = Evaluation.objects.create(user=w.officer_a, commune=w.commune_a, year=2026, quarter=1)
    services.training_plan_build(actor=w.leader_a, commune=w.commune_a, year=2026, budget_vnd=3_000_000)
    return {"session": run.pk, "enrolment": enrolment.pk, "evaluation": evaluation.pk}


PAGES = {
    # page: officer_a, head_a, leader_a, province_manager, officer_b, other_province_manager
    "/workforce/training/sessions/{session}/": (CAN, CAN, CAN, CAN, NO, NO),  # a session of commune A
    "/workforce/evaluations/{evaluation}/": (CAN, CAN, CAN, CAN, NO, NO),
    "/workforce/people/{officer}/": (CAN, CAN, CAN, CAN, NO, NO),
    "/workforce/plans/{commune}/2026/": (CAN, CAN, CAN, CAN, NO, NO),
    "/workforce/evaluations/?commune={commune}&year=2026&quarter=1": (CAN, CAN, CAN, CAN, NO, NO),
    "/workforce/import/?commune={commune}": (NO, NO, CAN, NO, NO, NO),
    "/workforce/questions/": (NO, NO, NO, CAN, NO, CAN),  # each province its own bank
}
PERSONAS = ("officer_a", "head_a", "leader_a", "province_manager", "officer_b", "other_province_manager")


@pytest.mark.parametrize("page", list(PAGES))
def test_it_lets_only_the_right_personas_in(staffing: Staffing, objects: dict[str, int], page: str) -> None:
    w = staffing.world
    url = page.format(officer=w.officer_a.pk, commune=w.commune_a.code, **objects)
    got = tuple(w.client_for(getattr(w, persona)).get(url).status_code for persona in PERSONAS)
    assert got == PAGES[page], dict(zip(PERSONAS, got, strict=True))


def test_it_shows_an_officer_only_their_own_evaluation_row(
    staffing: Staffing, objects: dict[str, int]
) -> None:
    w = staffing.world
    Evaluation.objects.create(user=w.specialist_a, commune=w.commune_a, year=2026, quarter=1)
    url = f"/api/v1/workforce/evaluations?commune={w.commune_a.code}&year=2026&quarter=1"
    rows = w.client_for(w.officer_a).get(url).json()["evaluations"]
    assert [r["person"] for r in rows] == [w.officer_a.pk]
    assert len(w.client_for(w.leader_a).get(url).json()["evaluations"]) == 2
    assert w.client_for(w.officer_b).get(url).status_code == 403


def test_it_loads_the_framework_from_the_command(staffing: Staffing) -> None:
    import io

    out = io.StringIO()
    call_command("load_competency_framework", "--province", str(staffing.world.province.code), stdout=out)
    assert "already loaded" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("load_competency_framework", "--province", "99")
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_demo_workforce")
