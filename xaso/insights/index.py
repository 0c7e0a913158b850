"""The Decision 766 service index, computed from Xã Số's own records.

Criteria, maxima, formulas and sources are configuration (``data/decision766.json``); this
module holds one measure function per formula. Each measure runs as part of a few
aggregate queries over all requested communes at once (``GROUP BY commune``), so a
province of 40 communes costs the same handful of queries as one commune.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet

from xaso.catalog.models import CommuneProcedure, Procedure
from xaso.dossiers.models import Attachment, Dossier, Status
from xaso.lib.errors import InvalidInput
from xaso.places.models import Commune

CONFIG_PATH = Path(__file__).parent / "data" / "decision766.json"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
CLOSED_WITHOUT_RESULT = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED)


@cache
def config() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CONFIG_PATH.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.datetime  # inclusive, local midnight
    end: dt.datetime  # exclusive

    @property
    def first_day(self) -> dt.date:
        return self.start.date()

    @property
    def last_day(self) -> dt.date:
        return (self.end - dt.timedelta(days=1)).date()


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=VN)


def parse_period(text: str) -> Period:
    """``2026-10`` (month), ``2026-Q3`` (quarter) or ``2026`` (year)."""
    text = text.strip().upper()
    try:
        if len(text) == 4:
            year = int(text)
            return Period(text, _at(dt.date(year, 1, 1)), _at(dt.date(year + 1, 1, 1)))
        if "-Q" in text:
            year, quarter = int(text[:4]), int(text[-1])
            if not 1 <= quarter <= 4:
                raise ValueError
            first = dt.date(year, 3 * quarter - 2, 1)
            last_month = 3 * quarter
            end = dt.date(year + 1, 1, 1) if last_month == 12 else dt.date(year, last_month + 1, 1)
            return Period(text, _at(first), _at(end))
        year, month = int(text[:4]), int(text[5:7])
        if len(text) != 7 or text[4] != "-":
            raise ValueError
        days = calendar.monthrange(year, month)[1]
        return Period(
            text, _at(dt.date(year, month, 1)), _at(dt.date(year, month, days)) + dt.timedelta(days=1)
        )
    except ValueError:
        raise InvalidInput(
            "period must look like 2026-10 (month), 2026-Q3 (quarter) or 2026 (year).", field="period"
        ) from None


def month_periods(last: dt.date, count: int) -> list[Period]:
    """The ``count`` months ending with the month of ``last``, oldest first."""
    out = []
    year, month = last.year, last.month
    for _ in range(count):
        out.append(parse_period(f"{year:04d}-{month:02d}"))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


@dataclass
class Criterion:
    key: str
    group: str
    name: str
    max: float
    measured: bool
    numerator: int = 0
    denominator: int = 0
    formula: str = ""
    why_not: str = ""

    @property
    def ratio(self) -> float | None:
        if not self.measured:
            return None
        return 1.0 if self.denominator == 0 else self.numerator / self.denominator

    @property
    def points(self) -> float:
        ratio = self.ratio
        return 0.0 if ratio is None else round(self.max * ratio, 2)

    @property
    def lost(self) -> int:
        return self.denominator - self.numerator


@dataclass
class IndexResult:
    scope: str  # commune code or "province:<code>"
    period: Period
    criteria: list[Criterion] = field(default_factory=list)
    pairs: dict[str, tuple[int, int]] = field(default_factory=dict)  # every measure, for summing

    @property
    def points(self) -> float:
        return round(sum(c.points for c in self.criteria), 2)

    @property
    def measured_max(self) -> float:
        return sum(c.max for c in self.criteria if c.measured)

    @property
    def share(self) -> float | None:
        """Points as a share of what could be measured (0–1)."""
        return None if not self.measured_max else self.points / self.measured_max

    def criterion(self, key: str) -> Criterion:
        return next(c for c in self.criteria if c.key == key)


def _criteria_for(scope: str) -> list[dict[str, Any]]:
    wanted = {"commune"} if scope == "commune" else {"commune", "province"}
    return [
        {**c, "group": g["key"]}
        for g in config()["groups"]
        for c in g["criteria"]
        if c["applies_to"] in wanted
    ]


# --- measures: each returns {commune_code: (numerator, denominator)} ----------------------


def _dossier_counts(codes: list[int], period: Period) -> dict[int, dict[str, int]]:
    """One aggregate query: every dossier count the measures need, per commune."""
    finished = Q(finished_at__gte=period.start, finished_at__lt=period.end)
    open_at_end = (
        Q(received_at__lt=period.end)
        & (Q(finished_at__isnull=True) | Q(finished_at__gte=period.end))
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=period.end))
        & ~Q(status__in=CLOSED_WITHOUT_RESULT)
    )
    of_period = Q(submitted_at__gte=period.start, submitted_at__lt=period.end)
    rows = (
        Dossier.objects.filter(commune_id__in=codes)
        .filter(finished | open_at_end | of_period)
        .values("commune_id")
        .annotate(
            finished=Count("id", filter=finished),
            finished_on_time=Count("id", filter=finished & Q(late=False)),
            finished_bad=Count("id", filter=finished & (Q(late=True) | Q(rating__score=1))),
            open_at_end=Count("id", filter=open_at_end),
            open_within=Count(
                "id", filter=open_at_end & (Q(due_at__gte=period.end) | Q(due_at__isnull=True))
            ),
            of_period=Count("id", filter=of_period),
            recorded=Count("id", filter=of_period & Q(received_at__isnull=False)),
            not_yet=Count("id", filter=of_period & Q(status=Status.SUBMITTED)),
            online=Count("id", filter=of_period & Q(channel="online")),
            with_fee=Count("id", filter=of_period & Q(fee_vnd__gt=0)),
            paid_online=Count("id", filter=of_period & Q(fee_vnd__gt=0, paid_online=True)),
            received=Count("id", filter=of_period & Q(received_at__isnull=False)),
        )
    )
    return {r["commune_id"]: r for r in rows}


def _digitised(codes: list[int], period: Period) -> dict[int, int]:
    rows = (
        Attachment.objects.filter(
            dossier__commune_id__in=codes,
            dossier__submitted_at__gte=period.start,
            dossier__submitted_at__lt=period.end,
            dossier__received_at__isnull=False,
        )
        .values("dossier__commune_id")
        .annotate(n=Count("dossier_id", distinct=True))
    )
    return {r["dossier__commune_id"]: r["n"] for r in rows}


def _full_content(codes: list[int]) -> dict[int, tuple[int, int]]:
    """Offered procedures without review notes ÷ offered procedures, per commune (2 queries)."""
    defaults = dict(Procedure.objects.filter(is_active=True).values_list("pk", "offered_by_default"))
    review = set(Procedure.objects.filter(is_active=True, needs_review=True).values_list("pk", flat=True))
    choices: dict[int, dict[int, bool]] = {}
    for commune_id, proc_id, offered in CommuneProcedure.objects.filter(commune_id__in=codes).values_list(
        "commune_id", "procedure_id", "offered"
    ):
        choices.setdefault(commune_id, {})[proc_id] = offered
    out = {}
    for code in codes:
        own = choices.get(code, {})
        offered_pks = [pk for pk, default in defaults.items() if own.get(pk, default)]
        out[code] = (sum(1 for pk in offered_pks if pk not in review), len(offered_pks))
    return out


def _pairs(
    counts: dict[str, int] | None, digitised: int, content: tuple[int, int]
) -> dict[str, tuple[int, int]]:
    c = counts or {}

    def g(key: str) -> int:
        return int(c.get(key, 0) or 0)

    return {
        "on_time": (g("finished_on_time") + g("open_within"), g("finished") + g("open_at_end")),
        "satisfaction": (g("finished") - g("finished_bad"), g("finished")),
        "online_payment": (g("paid_online"), g("with_fee")),
        "synced": (g("recorded") + g("not_yet"), g("of_period")),
        "digitised": (digitised, g("received")),
        "online_share": (g("online"), g("of_period")),
        "full_content": content,
    }


def _result(scope: str, period: Period, pairs: dict[str, tuple[int, int]], level: str) -> IndexResult:
    result = IndexResult(scope=scope, period=period, pairs=pairs)
    for spec in _criteria_for(level):
        measure = spec.get("measure")
        criterion = Criterion(
            key=spec["key"],
            group=spec["group"],
            name=spec["name"],
            max=float(spec["max"]),
            measured=measure is not None,
            formula=spec.get("formula", ""),
            why_not=spec.get("why_not", ""),
        )
        if measure is not None:
            criterion.numerator, criterion.denominator = pairs[measure]
        result.criteria.append(criterion)
    return result


def commune_indexes(communes: list[Commune], period: Period) -> dict[int, IndexResult]:
    """The index of each commune for the period (4 queries whatever the number of communes)."""
    codes = [c.code for c in communes]
    counts = _dossier_counts(codes, period)
    digitised = _digitised(codes, period)
    content = _full_content(codes)
    return {
        code: _result(
            str(code), period, _pairs(counts.get(code), digitised.get(code, 0), content[code]), "commune"
        )
        for code in codes
    }


def province_index(
    communes: list[Commune],
    period: Period,
    province_code: int,
    per_commune: dict[int, IndexResult] | None = None,
) -> IndexResult:
    """The province's index: each measure summed over its communes (pass ``per_commune``
    when the communes' indexes are already computed), plus province-only criteria."""
    per_commune = per_commune if per_commune is not None else commune_indexes(communes, period)
    totals: dict[str, tuple[int, int]] = {}
    for result in per_commune.values():
        for measure, (numerator, denominator) in result.pairs.items():
            n, d = totals.get(measure, (0, 0))
            totals[measure] = (n + numerator, d + denominator)
    return _result(f"province:{province_code}", period, totals, "province")


# --- drill-downs: what lost the points --------------------------------------------------


def losing_dossiers(commune: Commune, period: Period, key: str) -> QuerySet[Dossier]:
    """The dossiers behind the points a commune lost on one criterion."""
    base = Dossier.objects.filter(commune=commune).select_related("procedure", "assignee")
    finished = Q(finished_at__gte=period.start, finished_at__lt=period.end)
    of_period = Q(submitted_at__gte=period.start, submitted_at__lt=period.end)
    if key == "on_time":
        open_late = (
            Q(received_at__lt=period.end, due_at__lt=period.end)
            & (Q(finished_at__isnull=True) | Q(finished_at__gte=period.end))
            & (Q(closed_at__isnull=True) | Q(closed_at__gte=period.end))
            & ~Q(status__in=CLOSED_WITHOUT_RESULT)
        )
        return base.filter((finished & Q(late=True)) | open_late).order_by("due_at")
    if key == "dossier_satisfaction":
        return base.filter(finished & (Q(late=True) | Q(rating__score=1))).order_by("finished_at")
    if key == "online_payment":
        return base.filter(of_period & Q(fee_vnd__gt=0, paid_online=False)).order_by("submitted_at")
    if key == "digitised_components":
        return base.filter(of_period & Q(received_at__isnull=False, attachments__isnull=True)).order_by(
            "submitted_at"
        )
    if key == "synced":
        return base.filter(of_period & Q(received_at__isnull=True)).exclude(status=Status.SUBMITTED)
    raise InvalidInput(f"No dossier list for criterion {key!r}.", field="criterion")


def losing_procedures(commune: Commune) -> QuerySet[Procedure]:
    """Procedures offered by the commune whose published content is incomplete."""
    from xaso.catalog.selectors import procedures_offered

    return procedures_offered(commune).filter(needs_review=True).order_by("code")
