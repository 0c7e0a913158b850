"""Reads for dashboards: each function runs a fixed, small number of aggregate queries,
whatever the number of dossiers (asserted in tests; measured in benchmarks/insights_scale.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from xaso.accounts import authz
from xaso.accounts.models import Role, User
from xaso.dossiers.models import OPEN_STATUSES, Dossier, Rating, Status
from xaso.insights.index import IndexResult, Period, commune_indexes, month_periods, province_index
from xaso.lib.errors import Forbidden
from xaso.places.models import Commune

DASHBOARD_ROLES = (Role.COMMUNE_LEADER, Role.DEPARTMENT_HEAD, Role.SYSTEM_ADMIN, Role.PROVINCE_MANAGER)


def commune_for_dashboard(user: Any, code: int | str) -> Commune:
    """A commune whose dashboard the user may open: its leaders, department heads and
    administrator, or the province's managers."""
    commune = authz.get_commune_for_user(user, code)
    if not isinstance(user, User) or not (user.is_superuser or user.has_role(*DASHBOARD_ROLES)):
        raise Forbidden("Dashboards are for leaders, department heads and the province.")
    return commune


def province_communes_for(user: Any) -> list[Commune]:
    if not isinstance(user, User) or not (
        user.is_superuser
        or (user.is_province_level and user.has_role(Role.PROVINCE_MANAGER, Role.SYSTEM_ADMIN))
    ):
        raise Forbidden(
            "The province dashboard is for the Department of Home Affairs and province administrators."
        )
    return list(authz.communes_for_user(user).order_by("name"))


@dataclass
class ProvinceRow:
    commune: Commune
    index: IndexResult
    finished: int
    on_time_rate: float | None
    satisfaction_rate: float | None
    open: int
    overdue: int
    officers: int

    @property
    def load_per_officer(self) -> float | None:
        return None if not self.officers else round(self.open / self.officers, 1)


SORT_KEYS = {
    "name": lambda r: r.commune.name,
    "index": lambda r: r.index.points,
    "on_time": lambda r: -1 if r.on_time_rate is None else r.on_time_rate,
    "satisfaction": lambda r: -1 if r.satisfaction_rate is None else r.satisfaction_rate,
    "open": lambda r: r.open,
    "overdue": lambda r: r.overdue,
    "load": lambda r: -1 if r.load_per_officer is None else r.load_per_officer,
}


def province_rows(
    communes: list[Commune],
    period: Period,
    *,
    sort: str = "name",
    descending: bool = False,
    now: dt.datetime | None = None,
    indexes: dict[int, IndexResult] | None = None,
) -> list[ProvinceRow]:
    """All communes side by side (6 queries, 2 when ``indexes`` are given)."""
    now = now or timezone.now()
    codes = [c.code for c in communes]
    indexes = indexes if indexes is not None else commune_indexes(communes, period)
    open_rows = (
        Dossier.objects.filter(commune_id__in=codes, status__in=OPEN_STATUSES)
        .values("commune_id")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(due_at__lt=now, paused_since__isnull=True) & ~Q(status=Status.DONE)),
        )
    )
    opens = {r["commune_id"]: r for r in open_rows}
    officers = dict(
        User.objects.filter(commune_id__in=codes, is_active=True, role_grants__role=Role.SPECIALIST)
        .values("commune_id")
        .annotate(n=Count("id", distinct=True))
        .values_list("commune_id", "n")
    )
    rows = []
    for commune in communes:
        index = indexes[commune.code]
        on_time = index.criterion("on_time")
        satisfaction = index.criterion("dossier_satisfaction")
        rows.append(
            ProvinceRow(
                commune=commune,
                index=index,
                finished=satisfaction.denominator,
                on_time_rate=on_time.ratio if on_time.denominator else None,
                satisfaction_rate=satisfaction.ratio if satisfaction.denominator else None,
                open=opens.get(commune.code, {}).get("open", 0),
                overdue=opens.get(commune.code, {}).get("overdue", 0),
                officers=officers.get(commune.code, 0),
            )
        )
    key = SORT_KEYS.get(sort, SORT_KEYS["name"])
    rows.sort(key=key, reverse=descending)
    return rows


@dataclass
class Comparison:
    before: Period
    after: Period
    before_index: IndexResult
    after_index: IndexResult


def compare_around(communes: list[Commune], day: dt.date, province_code: int, days: int = 90) -> Comparison:
    """The province's index over ``days`` before and after a date (e.g. the 1/7/2025 reform)."""
    from xaso.insights.index import _at

    before = Period(f"{day - dt.timedelta(days=days)}…{day}", _at(day - dt.timedelta(days=days)), _at(day))
    after = Period(f"{day}…{day + dt.timedelta(days=days)}", _at(day), _at(day + dt.timedelta(days=days)))
    return Comparison(
        before=before,
        after=after,
        before_index=province_index(communes, before, province_code),
        after_index=province_index(communes, after, province_code),
    )


def commune_dashboard(commune: Commune, period: Period, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything on a commune leader's dashboard (a fixed number of queries)."""
    now = now or timezone.now()
    open_qs = Dossier.objects.filter(commune=commune, status__in=OPEN_STATUSES)
    by_status = dict(open_qs.values("status").annotate(n=Count("id")).values_list("status", "n"))
    soon = now + dt.timedelta(days=2)
    by_department = list(
        open_qs.values("department__name")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(due_at__lt=now, paused_since__isnull=True) & ~Q(status=Status.DONE)),
            due_soon=Count("id", filter=Q(due_at__gte=now, due_at__lt=soon, paused_since__isnull=True)),
        )
        .order_by("department__name")
    )
    load = list(
        open_qs.exclude(assignee=None)
        .values("assignee_id", "assignee__full_name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_at__lt=now, paused_since__isnull=True)))
        .order_by("-open")
    )
    finished = Dossier.objects.filter(
        commune=commune, finished_at__gte=period.start, finished_at__lt=period.end
    )
    per_procedure: dict[str, dict[str, Any]] = defaultdict(lambda: {"n": 0, "on_time": 0, "days": 0.0})
    for code, name, unit, value, received, done, late in finished.values_list(
        "procedure__code", "procedure__name", "time_unit", "time_value", "received_at", "finished_at", "late"
    ):
        row = per_procedure[code]
        row.update(code=code, name=name, legal=_legal_text(unit, value))
        row["n"] += 1
        row["on_time"] += 0 if late else 1
        if received and done:
            row["days"] += (done - received).total_seconds() / 86400
    processing = sorted(
        (
            {**r, "avg_days": round(r["days"] / r["n"], 1), "on_time_rate": r["on_time"] / r["n"]}
            for r in per_procedure.values()
        ),
        key=lambda r: (-r["n"], r["code"]),
    )[:15]
    ratings = dict(
        Rating.objects.filter(dossier__commune=commune, at__gte=period.start, at__lt=period.end)
        .values("score")
        .annotate(n=Count("id"))
        .values_list("score", "n")
    )
    trend_periods = month_periods(period.last_day, 6)
    trend = [(p, commune_indexes([commune], p)[commune.code]) for p in trend_periods]
    return {
        "by_status": by_status,
        "open_total": sum(by_status.values()),
        "by_department": by_department,
        "load": load,
        "capacity": settings.XASO_OFFICER_CAPACITY,
        "processing": processing,
        "ratings": ratings,
        "trend": trend,
        "index": trend[-1][1]
        if trend and trend[-1][0] == period
        else commune_indexes([commune], period)[commune.code],
        "staffing": staffing([commune.code]).get(commune.code),
        "training_plan": _training_plan(commune, period.last_day.year),
    }


def _training_plan(commune: Commune, year: int) -> Any:
    from xaso.workforce.models import TrainingPlan
    from xaso.workforce.selectors import plan_progress

    plan = TrainingPlan.objects.filter(commune=commune, year=year).first()
    return None if plan is None else plan_progress(plan)


def _legal_text(unit: str, value: Any) -> str:
    if unit == "same_day":
        return "trong ngày"
    if value is None or not unit:
        return "—"
    names = {"working_days": "ngày làm việc", "days": "ngày", "working_hours": "giờ làm việc", "hours": "giờ"}
    return f"{float(value):g} {names.get(unit, unit)}"


def monthly_volume(
    communes: list[Commune], last: dt.date, months: int = 12
) -> list[tuple[dt.date, int, int]]:
    """Dossiers received and finished late per month over the communes (1 query)."""
    start = month_periods(last, months)[0].start
    rows = (
        Dossier.objects.filter(commune__in=communes, submitted_at__gte=start)
        .annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(n=Count("id"), late=Count("id", filter=Q(late=True)))
        .order_by("month")
    )
    return [
        (r["month"].date() if hasattr(r["month"], "date") else r["month"], r["n"], r["late"]) for r in rows
    ]


@dataclass
class Staffing:
    """Workforce figures a dashboard shows, per commune."""

    officers: int
    meeting: int
    vacancies: int
    lacks: list[str]  # key competencies with no qualified officer (e.g. no qualified IT officer)
    trained: int  # officers with a completed training in the last 12 months

    @property
    def meeting_rate(self) -> float | None:
        return None if not self.officers else self.meeting / self.officers

    @property
    def training_coverage(self) -> float | None:
        return None if not self.officers else self.trained / self.officers


def staffing(codes: list[int], *, today: dt.date | None = None) -> dict[int, Staffing]:
    """Staffing and competency gaps from the workforce module, and training coverage
    (the gap report's few queries plus one aggregate)."""
    from xaso.workforce.authz import Scope
    from xaso.workforce.models import Evidence, EvidenceKind
    from xaso.workforce.selectors import gap_report

    today = today or timezone.localdate()
    report = gap_report(Scope(communes=tuple(codes)), on=today)
    trained = dict(
        Evidence.objects.filter(
            kind=EvidenceKind.TRAINING,
            observed_on__gte=today - dt.timedelta(days=365),
            user__commune_id__in=codes,
        )
        .values("user__commune_id")
        .annotate(n=Count("user", distinct=True))
        .values_list("user__commune_id", "n")
    )
    out = {}
    for unit in report.communes:
        out[unit.id] = Staffing(
            officers=unit.officers,
            meeting=unit.meeting,
            vacancies=unit.vacancies,
            lacks=[c.label for c in unit.lacks],
            trained=trained.get(unit.id, 0),
        )
    return out
