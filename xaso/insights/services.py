"""Writes for insights: generating (and keeping) monthly reports."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from xaso.audit import events
from xaso.dossiers.deadlines import work_calendar
from xaso.insights.index import Period, parse_period
from xaso.insights.models import MonthlyReport
from xaso.insights.reports import report_data, report_pdf, report_xlsx
from xaso.places.models import Commune, Province


def _scope_objects(scope: str) -> tuple[Commune | None, Province | None]:
    kind, _, code = scope.partition(":")
    if kind == "commune":
        return Commune.objects.get(pk=int(code)), None
    return None, Province.objects.get(pk=int(code))


def report_generate(*, scope: str, period: Period, now: dt.datetime | None = None) -> MonthlyReport:
    """The report for ``scope`` ("commune:CODE" or "province:CODE") and a month; made once."""
    existing = MonthlyReport.objects.filter(scope=scope, period=period.label).first()
    if existing is not None:
        return existing
    commune, province = _scope_objects(scope)
    data = report_data(period=period, commune=commune, province=province)
    generated = timezone.localtime(now or timezone.now())
    try:
        with transaction.atomic():
            report = MonthlyReport.objects.create(
                scope=scope,
                period=period.label,
                pdf=report_pdf(data, generated=generated),
                xlsx=report_xlsx(data),
            )
            events.record(
                actor=None, action="report.generated", obj=report, commune=commune, data={"scope": scope}
            )
    except IntegrityError:  # another worker made it at the same time
        return MonthlyReport.objects.get(scope=scope, period=period.label)
    return report


def previous_month(today: dt.date) -> Period:
    first = today.replace(day=1)
    last_month = first - dt.timedelta(days=1)
    return parse_period(f"{last_month:%Y-%m}")


def first_working_day(today: dt.date) -> dt.date:
    day = today.replace(day=1)
    calendar = work_calendar()
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def generate_one_due_report(now: dt.datetime | None = None) -> bool:
    """Worker unit: from the first working day of a month, make one missing report of the
    month before (each commune's, then the province's). False when none is missing."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if today < first_working_day(today):
        return False
    period = previous_month(today)
    done = set(MonthlyReport.objects.filter(period=period.label).values_list("scope", flat=True))
    scopes = [f"commune:{c}" for c in Commune.objects.order_by("code").values_list("code", flat=True)]
    scopes += [
        f"province:{p}"
        for p in Province.objects.filter(communes__isnull=False).distinct().values_list("code", flat=True)
    ]
    for scope in scopes:
        if scope not in done:
            report_generate(scope=scope, period=period, now=now)
            return True
    return False
