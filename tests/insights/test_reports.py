"""Monthly reports: on demand as PDF and Excel, and by the worker on the first working day."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from tests.conftest import World
from xaso.dossiers.models import Dossier
from xaso.insights.models import MonthlyReport
from xaso.insights.services import first_working_day, generate_one_due_report

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_it_downloads_the_monthly_pdf_and_excel(world: World, october: dict[str, Dossier]) -> None:
    client = world.client_for(world.leader_a)
    pdf = client.get(f"/insights/reports/commune:{world.commune_a.code}/2026-10.pdf")
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    assert b"DejaVuSans" in pdf.content
    xlsx = client.get(f"/insights/reports/commune:{world.commune_a.code}/2026-10.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert any(
        row[0] == "Hồ sơ giải quyết trước và đúng hạn" and row[1] == 3 and row[2] == 5 for row in values
    )
    assert (
        MonthlyReport.objects.filter(scope=f"commune:{world.commune_a.code}", period="2026-10").count() == 1
    )


def test_it_refuses_reports_outside_the_unit(world: World, october: dict[str, Dossier]) -> None:
    assert (
        world.client_for(world.leader_a)
        .get(f"/insights/reports/commune:{world.commune_b.code}/2026-10.pdf")
        .status_code
        == 403
    )
    assert (
        world.client_for(world.leader_a).get("/insights/reports/province:46/2026-10.pdf").status_code == 403
    )
    assert (
        world.client_for(world.province_manager).get("/insights/reports/province:46/2026-10.pdf").status_code
        == 200
    )


def test_it_makes_last_months_reports_from_the_first_working_day(
    world: World, october: dict[str, Dossier]
) -> None:
    assert first_working_day(dt.date(2026, 11, 20)) == dt.date(2026, 11, 2)  # 1/11/2026 is a Sunday
    sunday = dt.datetime(2026, 11, 1, 9, tzinfo=VN)
    assert generate_one_due_report(now=sunday) is False
    monday = dt.datetime(2026, 11, 2, 9, tzinfo=VN)
    made = 0
    while generate_one_due_report(now=monday):
        made += 1
    assert made == 3  # commune A, commune B, the province
    assert set(MonthlyReport.objects.values_list("scope", "period")) == {
        (f"commune:{world.commune_a.code}", "2026-10"),
        (f"commune:{world.commune_b.code}", "2026-10"),
        ("province:46", "2026-10"),
    }
    assert generate_one_due_report(now=monday) is False
