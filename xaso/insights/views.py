"""Dashboards for commune leaders and the province, drill-downs and monthly reports."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from xaso.accounts.models import User
from xaso.insights import selectors
from xaso.insights.charts import Point, bar_chart, line_chart
from xaso.insights.index import (
    Period,
    commune_indexes,
    losing_dossiers,
    losing_procedures,
    parse_period,
    province_index,
)
from xaso.insights.services import report_generate
from xaso.lib.errors import Forbidden, InvalidInput
from xaso.places.models import Province


def _period(request: HttpRequest) -> Period:
    raw = request.GET.get("period") or f"{timezone.localdate():%Y-%m}"
    return parse_period(raw)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user.is_province_level or user.is_superuser:
        return redirect("insights:province")
    if user.commune_id:
        return redirect("insights:commune", code=user.commune_id)
    raise Forbidden("No dashboard for your account.")


@login_required
def province(request: HttpRequest) -> HttpResponse:
    communes = selectors.province_communes_for(request.user)
    period = _period(request)
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("dir", "asc" if sort == "name" else "desc") == "desc"
    indexes = commune_indexes(communes, period)
    rows = selectors.province_rows(communes, period, sort=sort, descending=descending, indexes=indexes)
    staff = selectors.staffing([c.code for c in communes])
    user = request.user
    assert isinstance(user, User)
    province_code = user.province_id or (communes[0].province_id if communes else 0)
    total = province_index(communes, period, province_code, per_commune=indexes)
    comparison = None
    if compare := request.GET.get("compare"):
        try:
            day = dt.date.fromisoformat(compare)
        except ValueError:
            raise InvalidInput("compare must be a date like 2025-07-01.", field="compare") from None
        comparison = selectors.compare_around(communes, day, province_code)
    ranked = sorted(rows, key=lambda r: -1 if r.on_time_rate is None else r.on_time_rate)
    chart = bar_chart(
        "Tỷ lệ hồ sơ đúng hạn theo xã, phường",
        [
            Point(r.commune.name, None if r.on_time_rate is None else round(r.on_time_rate * 100))
            for r in ranked
        ],
        unit="%",
        target=95,
    )
    volume = selectors.monthly_volume(communes, period.last_day)
    volume_chart = line_chart("Hồ sơ tiếp nhận mỗi tháng", [Point(f"{m:%m/%y}", n) for m, n, _late in volume])
    return render(
        request,
        "insights/province.html",
        {
            "rows": [(r, staff.get(r.commune.code)) for r in rows],
            "period": period,
            "sort": sort,
            "descending": descending,
            "total": total,
            "chart": chart,
            "volume_chart": volume_chart,
            "volume": volume,
            "comparison": comparison,
            "province": Province.objects.filter(pk=province_code).first(),
            "scope": f"province:{province_code}",
        },
    )


@login_required
def commune(request: HttpRequest, code: int) -> HttpResponse:
    place = selectors.commune_for_dashboard(request.user, code)
    period = _period(request)
    data = selectors.commune_dashboard(place, period)
    trend_chart = line_chart(
        "Điểm chỉ số 766 (trên phần đo được) theo tháng",
        [Point(f"{p.first_day:%m/%y}", round(r.points, 1)) for p, r in data["trend"]],
    )
    load_chart = bar_chart(
        "Hồ sơ đang xử lý theo công chức",
        [Point(row["assignee__full_name"], row["open"]) for row in data["load"][:15]],
        target=data["capacity"],
    )
    return render(
        request,
        "insights/commune.html",
        {
            "commune": place,
            "period": period,
            "d": data,
            "trend_chart": trend_chart,
            "load_chart": load_chart,
            "scope": f"commune:{place.code}",
        },
    )


@login_required
def criterion(request: HttpRequest, code: int, key: str) -> HttpResponse:
    """Drill-down: the dossiers (or procedures) behind the points lost on one criterion."""
    place = selectors.commune_for_dashboard(request.user, code)
    period = _period(request)
    if key == "full_content":
        return render(
            request,
            "insights/criterion.html",
            {
                "commune": place,
                "period": period,
                "key": key,
                "procedures": list(losing_procedures(place)[:500]),
            },
        )
    dossiers = losing_dossiers(place, period, key)
    return render(
        request,
        "insights/criterion.html",
        {
            "commune": place,
            "period": period,
            "key": key,
            "dossiers": dossiers[:500],
            "count": dossiers.count(),
            "procedures": None,
        },
    )


@login_required
def report(request: HttpRequest, scope: str, period: str, fmt: str) -> HttpResponse:
    kind, _, code = scope.partition(":")
    if kind == "commune":
        selectors.commune_for_dashboard(request.user, code)
    elif kind == "province":
        communes = selectors.province_communes_for(request.user)
        if not communes or str(communes[0].province_id) != code:
            raise Forbidden("This province is not yours.")
    else:
        raise InvalidInput("scope must be commune:CODE or province:CODE.", field="scope")
    row = report_generate(scope=scope, period=parse_period(period))
    if fmt == "pdf":
        response = HttpResponse(bytes(row.pdf), content_type="application/pdf")
    else:
        response = HttpResponse(
            bytes(row.xlsx), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{kind}-{code}-{row.period}.{fmt}"'
    return response
