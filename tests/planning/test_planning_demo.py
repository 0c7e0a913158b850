"""The planning demo for Vinh Lộc on the demo's staff and workforce records: the three-year
rotation plan it accepts meets every transfer duty, after the cross-training it schedules; a
designated successor is on record."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from xaso.demo.services import demo_load
from xaso.places.models import Commune
from xaso.planning.demo import COMMUNE, PlanningDemoSummary, load_planning_demo
from xaso.planning.models import AssignmentProposal, ProposalStatus, RotationPlan, SharedPool
from xaso.workforce.demo import demo_workforce_load
from xaso.workforce.models import SuccessorDesignation

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=VN)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[PlanningDemoSummary]:
    """Demo staff and the workforce demo of the communes up to Vinh Lộc (the demo draws each
    commune's records in code order from one seed, so Vinh Lộc's are those of ``load_demo``
    but for the work records, which come from dossiers the test does not load); once for the
    module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic(), time_machine.travel(NOW, tick=False):
        demo_load()
        call_command("load_catalog_demo", stdout=io.StringIO())  # the dossiers' procedures
        codes = list(Commune.objects.filter(province_id=46).order_by("code").values_list("code", flat=True))
        demo_workforce_load(seed=2025, communes=codes.index(COMMUNE) + 1)
        yield load_planning_demo()
        transaction.set_rollback(True)


def test_the_demo_rotation_plan_meets_every_transfer_duty(demo: PlanningDemoSummary, db: None) -> None:
    assert demo.rotation_plan is not None
    plan = RotationPlan.objects.get(pk=demo.rotation_plan)
    assert plan.status == ProposalStatus.ACCEPTED and (plan.start_year, plan.years) == (2027, 3)
    assert demo.trainings > 0  # the cross-training the moves rely on
    assert demo.duties_due >= 5 and demo.duties_met == demo.duties_due
    assert all(d["met"] for d in plan.summary["duties"] if d["status"] == "due")
    assert not plan.summary["violations"]
    assert plan.summary["gap"] == 0


def test_the_demo_designates_a_successor_for_the_chief_of_office(demo: PlanningDemoSummary, db: None) -> None:
    designation = SuccessorDesignation.objects.select_related("position", "user").get(
        position__commune_id=COMMUNE
    )
    assert designation.position.code == "VP-CVP" and designation.user.full_name == demo.successor
    assert (designation.starts_on, designation.ends_on) == (dt.date(2026, 1, 1), dt.date(2030, 12, 31))


def test_the_demo_proposal_takes_dossiers_through_the_shared_pool(
    demo: PlanningDemoSummary, db: None
) -> None:
    pool = SharedPool.objects.get(commune_id=COMMUNE)
    assert pool.name == "Tổ tiếp nhận và giải quyết chung" and pool.fields == ["Chứng thực", "Hộ tịch"]
    assert {m.department.kind for m in pool.members.all() if m.department} == {"office", "service_center"}
    proposal = AssignmentProposal.objects.get(pk=demo.proposal or 0)
    rows = list(proposal.assignments.filter(pool=pool).select_related("officer"))
    through = [r for r in rows if r.officer and r.officer.department_id != proposal.department_id]
    assert demo.through_pool == len(through) >= 1
    assert all(any(t["code"] == "shared_pool" for t in r.terms) for r in through)
