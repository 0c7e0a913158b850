"""A department head closes an officer's competency gap, in a real browser: the gap report
recommends a course, the head enrols the officer, records a passing post-test score, and the
officer's level rises until the gap is gone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.test_counter_to_tracking import sign_in
from tests.workforce.conftest import Staffing, framework, staffing  # noqa: F401 — shared fixtures
from xaso.workforce import services
from xaso.workforce.models import Enrolment, EnrolmentStatus, Evidence, EvidenceKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_closes_a_gap_through_a_recommended_course(
    page: Any,
    live_server: Any,
    staffing: Staffing,  # noqa: F811 — the fixture imported above
    tmp_path: Path,
) -> None:
    w = staffing.world
    officer = w.officer_a
    today = timezone.localdate()
    run = services.session_create(
        actor=w.province_manager,
        course=staffing.course("DVC-01"),
        province=w.province,
        commune=None,
        starts_on=today,
        ends_on=today + dt.timedelta(days=1),
        capacity=30,
        online=True,
        trainer="Sở Nội vụ",
    )
    base = live_server.url

    # The head of the service center opens the gap report of their department.
    sign_in(page, base, "head.a")
    page.goto(f"{base}/workforce/")
    page.click("main a[href='/workforce/gaps/']")
    gap = page.locator(f"#gap-{officer.pk}-OPS\\.1")
    assert gap.inner_text() == "OPS.1 0/3"

    # The report recommends the online-services course with its open session; the head enrols.
    row = page.locator(f"#rec-{officer.pk}-DVC-01")
    assert "DVC-01" in row.inner_text()
    assert row.locator("select[name=session]").input_value() == str(run.pk)
    row.locator("button[type=submit]").click()
    page.wait_for_selector("main div[role=status]")
    assert page.locator(f"#rec-{officer.pk}-DVC-01").count() == 0  # enrolled: no longer recommended
    enrolment = Enrolment.objects.get(session=run, user=officer)
    assert enrolment.enrolled_by == w.head_a

    # On the session's page the head records the post-test: 85%, above the pass mark of 70%.
    page.goto(f"{base}/workforce/training/sessions/{run.pk}/")
    page.fill(f"#score-{enrolment.pk}", "85")
    page.click(f"#record-{enrolment.pk}")
    page.wait_for_selector(f"#enrolment-{enrolment.pk} td.status")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.score == 85
    evidence = Evidence.objects.get(user=officer, competency__code="OPS.1")
    assert (evidence.kind, evidence.level) == (EvidenceKind.TRAINING, 3)

    # Back on the gap report, the officer's level in OPS.1 is 3: the gap is closed.
    page.goto(f"{base}/workforce/gaps/")
    assert page.locator(f"#gap-{officer.pk}-OPS\\.1").count() == 0
    page.goto(f"{base}/workforce/people/{officer.pk}/")
    assert page.locator("#comp-OPS\\.1 td.current").inner_text().strip() == "3"
    page.screenshot(path=str(tmp_path / "workforce.png"), full_page=True)
