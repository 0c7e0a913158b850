"""Insights API: the Decision 766 index and dashboard figures, scoped like the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from xaso.accounts.models import User
from xaso.insights import selectors
from xaso.insights.index import IndexResult, commune_indexes, parse_period, province_index
from xaso.lib.errors import InvalidInput
from xaso.places.models import Commune

router = Router(tags=["insights"])


class CriterionOut(Schema):
    key: str
    group: str
    name: str
    max: float
    measured: bool
    numerator: int
    denominator: int
    points: float
    formula: str
    why_not: str


class IndexOut(Schema):
    scope: str
    period: str
    points: float
    measured_max: float
    criteria: list[CriterionOut]


def index_out(result: IndexResult) -> IndexOut:
    return IndexOut(
        scope=result.scope,
        period=result.period.label,
        points=result.points,
        measured_max=result.measured_max,
        criteria=[
            CriterionOut(
                key=c.key,
                group=c.group,
                name=c.name,
                max=c.max,
                measured=c.measured,
                numerator=c.numerator,
                denominator=c.denominator,
                points=c.points,
                formula=c.formula,
                why_not=c.why_not,
            )
            for c in result.criteria
        ],
    )


@router.get("/insights/index", response=IndexOut)
def index(request: HttpRequest, period: str, commune: int | None = None) -> IndexOut:
    """A commune's index (``commune=CODE``) or, without it, the province's (province users)."""
    p = parse_period(period)
    if commune is not None:
        place = selectors.commune_for_dashboard(request.user, commune)
        return index_out(commune_indexes([place], p)[place.code])
    communes = selectors.province_communes_for(request.user)
    user = request.user
    assert isinstance(user, User)
    return index_out(province_index(communes, p, user.province_id or communes[0].province_id))


class ProvinceRowOut(Schema):
    commune: int
    name: str
    points: float
    on_time_rate: float | None
    satisfaction_rate: float | None
    finished: int
    open: int
    overdue: int
    officers: int
    load_per_officer: float | None


@router.get("/insights/province", response=list[ProvinceRowOut])
def province(
    request: HttpRequest, period: str, sort: str = "name", desc: bool = False
) -> list[ProvinceRowOut]:
    if sort not in selectors.SORT_KEYS:
        raise InvalidInput(f"sort must be one of {', '.join(selectors.SORT_KEYS)}.", field="sort")
    communes = selectors.province_communes_for(request.user)
    rows = selectors.province_rows(communes, parse_period(period), sort=sort, descending=desc)
    return [
        ProvinceRowOut(
            commune=r.commune.code,
            name=r.commune.name,
            points=r.index.points,
            on_time_rate=r.on_time_rate,
            satisfaction_rate=r.satisfaction_rate,
            finished=r.finished,
            open=r.open,
            overdue=r.overdue,
            officers=r.officers,
            load_per_officer=r.load_per_officer,
        )
        for r in rows
    ]


class DashboardOut(Schema):
    commune: int
    period: str
    open_total: int
    by_status: dict[str, int]
    by_department: list[dict[str, object]]
    load: list[dict[str, object]]
    ratings: dict[int, int]
    index: IndexOut


@router.get("/insights/dashboard", response=DashboardOut)
def dashboard(request: HttpRequest, commune: int, period: str) -> DashboardOut:
    place: Commune = selectors.commune_for_dashboard(request.user, commune)
    p = parse_period(period)
    data = selectors.commune_dashboard(place, p)
    return DashboardOut(
        commune=place.code,
        period=p.label,
        open_total=data["open_total"],
        by_status=data["by_status"],
        by_department=data["by_department"],
        load=data["load"],
        ratings=data["ratings"],
        index=index_out(data["index"]),
    )
