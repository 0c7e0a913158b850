"""The workforce demo: positions, evidence, gaps, plans and evaluations computed from the demo
staff and dossiers, loaded once."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from xaso.audit.models import AuditEvent
from xaso.catalog.importer import read_file
from xaso.catalog.services import SHIPPED_CATALOG, import_manual_procedures, import_procedures
from xaso.demo.dossiers import demo_dossiers_load
from xaso.demo.services import demo_load
from xaso.places.models import Commune
from xaso.workforce.authz import Scope
from xaso.workforce.demo import MARKER, WorkforceDemoSummary, demo_workforce_load
from xaso.workforce.models import (
    Assignment,
    Enrolment,
    Evaluation,
    Evidence,
    EvidenceKind,
    Grade,
    Position,
    TrainingPlan,
)
from xaso.workforce.selectors import gap_report, plan_progress

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SIZE = 12  # communes of the 40 (the whole demo takes about 15 s; this keeps the suite quick)
NOW = dt.datetime(2026, 10, 12, 10, 0, tzinfo=VN)
CODES = {
    "1.001193", "1.000894", "1.000656", "1.004873", "2.000635", "2.000815", "2.000884", "1.004222",
    "1.004194", "1.010041", "1.013978", "1.012812", "1.013949", "2.001159",
}  # fmt: skip


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkforceDemoSummary]:
    """Demo staff, part of the catalog, nine months of a few dossiers, then the workforce demo;
    once for the module (rolled back at the end)."""
    records = [r.record for r in read_file(SHIPPED_CATALOG) if r.record.get("ma_thu_tuc") in CODES]
    path = tmp_path_factory.mktemp("catalog") / "common.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    with django_db_blocker.unblock(), transaction.atomic(), time_machine.travel(NOW, tick=False):
        demo_load()
        assert not import_procedures([path]).errors
        assert not import_manual_procedures().errors
        demo_dossiers_load(months=9, per_commune_month=6, end=dt.date(2026, 10, 9), seed=7)
        yield demo_workforce_load(seed=11, communes=SIZE)
        transaction.set_rollback(True)


def loaded() -> list[Commune]:
    return list(Commune.objects.filter(province_id=46).order_by("code")[:SIZE])


def test_it_builds_positions_with_requirements_for_every_commune(
    demo: WorkforceDemoSummary, db: None
) -> None:
    assert demo.positions == SIZE * 16 == Position.objects.count()
    for commune in loaded():
        assert Position.objects.filter(commune=commune, requirements__isnull=False).distinct().count() == 16
    placed = Assignment.objects.filter(ended_on__isnull=True, position__isnull=False).count()
    staff = sum(c.staff.count() for c in loaded())
    assert placed == staff
    assert (
        Assignment.objects.filter(ended_on=dt.date(2025, 6, 30)).count() > staff / 2
    )  # posts before the reform


def test_it_spreads_every_kind_of_evidence(demo: WorkforceDemoSummary, db: None) -> None:
    kinds = Counter(Evidence.objects.values_list("kind", flat=True))
    assert set(kinds) == set(EvidenceKind.values)
    assert kinds[EvidenceKind.SELF] > 1000 and kinds[EvidenceKind.WORK] > 50 and kinds[EvidenceKind.TEST] > 50
    assert demo.evidence == kinds
    levels = set(Evidence.objects.values_list("level", flat=True))
    assert len(levels) >= 5  # a spread, not one value


def test_it_shows_believable_gaps(demo: WorkforceDemoSummary, db: None) -> None:
    communes = tuple(c.code for c in loaded())
    report = gap_report(Scope(communes=communes, province=True), on=NOW.date())
    assert 0.15 < report.meeting / report.officers < 0.9
    assert 2 <= len(report.communes_lacking("PRO.IT")) < SIZE  # the city's shortage of IT officers
    assert report.short.most_common(1)[0][1] > 5


def test_it_plans_training_with_budget_and_progress(demo: WorkforceDemoSummary, db: None) -> None:
    plans = list(TrainingPlan.objects.select_related("commune"))
    assert len(plans) == SIZE and {p.year for p in plans} == {2026}
    for plan in plans:
        progress = plan_progress(plan)
        officers = plan.commune.staff.count()
        assert plan.budget_vnd == officers * 1_500_000 and progress.committed_vnd <= plan.budget_vnd
    assert demo.completed > 0 and demo.failed > 0
    passed = Enrolment.objects.filter(status="completed")
    assert Evidence.objects.filter(kind=EvidenceKind.TRAINING, enrolment__in=passed).count() >= passed.count()


def test_it_computes_quarterly_evaluations(demo: WorkforceDemoSummary, db: None) -> None:
    quarters = set(Evaluation.objects.values_list("year", "quarter"))
    assert quarters == {(2026, 1), (2026, 2), (2026, 3)}
    graded = Evaluation.objects.exclude(grade="")
    assert graded.count() > SIZE * 3 * 15
    assert {Grade.EXCELLENT, Grade.GOOD} <= set(graded.values_list("grade", flat=True))
    assert Evaluation.objects.filter(task_adjusted=True).exists()
    assert all(e.changes.exists() for e in Evaluation.objects.filter(task_adjusted=True)[:20])


def test_it_loads_only_once(demo: WorkforceDemoSummary, db: None) -> None:
    before = Evidence.objects.count()
    again = demo_workforce_load(seed=11)
    assert again.already_loaded and Evidence.objects.count() == before
    assert AuditEvent.objects.filter(action=MARKER).count() == 1
    assert demo.seconds < 60
