"""The Decision 766 index against a hand calculation, criterion by criterion; drill-downs
list the exact dossiers; dashboards are scoped and use a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.conftest import World
from xaso.dossiers.models import Dossier
from xaso.insights.index import commune_indexes, losing_dossiers, parse_period, province_index
from xaso.lib.errors import InvalidInput

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def t(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=VN)


def test_it_matches_a_hand_calculation_criterion_by_criterion(
    world: World, october: dict[str, Dossier]
) -> None:
    result = commune_indexes([world.commune_a], parse_period("2026-10"))[world.commune_a.code]
    expected = {
        # key: (numerator, denominator, points)
        "on_time": (3, 5, 12.0),  # finished on time D1, D3 + D4 open within its due time; of D1-D3 + D4, D5
        "dossier_satisfaction": (1, 3, 2.0),  # D2 late, D3 rated unsatisfied; 1 of 3 finished is good
        "online_payment": (1, 2, 5.0),  # D1 paid online of D1, D6 with fees
        "synced": (6, 7, 5.14),  # recorded D1-D5 + D6 still awaiting receipt, of 7 dossiers of October
        "digitised_components": (1, 5, 0.8),  # D1 has a scan, of the 5 received
        "full_content": (2, 2, 2.0),  # both offered procedures have complete content
    }
    for key, (num, den, points) in expected.items():
        c = result.criterion(key)
        assert (c.numerator, c.denominator, c.points) == (num, den, points), key
    assert not result.criterion("complaints_on_time").measured
    assert result.points == pytest.approx(26.94)
    assert result.measured_max == 48


def test_it_lists_the_exact_dossiers_behind_lost_points(world: World, october: dict[str, Dossier]) -> None:
    period = parse_period("2026-10")
    assert [x.code for x in losing_dossiers(world.commune_a, period, "on_time")] == ["D2", "D5"]
    assert sorted(x.code for x in losing_dossiers(world.commune_a, period, "dossier_satisfaction")) == [
        "D2",
        "D3",
    ]
    assert [x.code for x in losing_dossiers(world.commune_a, period, "online_payment")] == ["D6"]
    assert [x.code for x in losing_dossiers(world.commune_a, period, "digitised_components")] == [
        "D2",
        "D3",
        "D4",
        "D5",
    ]


def test_it_sums_communes_for_the_province(world: World, october: dict[str, Dossier]) -> None:
    result = province_index([world.commune_a, world.commune_b], parse_period("2026-10"), 46)
    assert (result.criterion("on_time").numerator, result.criterion("on_time").denominator) == (4, 6)
    online = result.criterion("online_share")
    assert (online.numerator, online.denominator) == (2, 8)  # D6, D7 online of 8 October dossiers


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-10", dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
        ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        ("2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
    ],
)
def test_it_parses_periods(text: str, start: dt.date, end: dt.date) -> None:
    period = parse_period(text)
    assert (period.first_day, period.last_day) == (start, end)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "last month", "26-10"])
def test_it_refuses_bad_periods(text: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        parse_period(text)
    assert exc.value.field == "period"


def test_it_scopes_dashboards(world: World, october: dict[str, Dossier]) -> None:
    a = world.commune_a.code
    assert world.client_for(world.leader_a).get(f"/insights/commune/{a}/?period=2026-10").status_code == 200
    assert world.client_for(world.officer_a).get(f"/insights/commune/{a}/").status_code == 403
    assert world.client_for(world.officer_b).get(f"/insights/commune/{a}/").status_code == 403
    assert world.client_for(world.leader_a).get("/insights/province/").status_code == 403
    assert (
        world.client_for(world.province_manager).get("/insights/province/?period=2026-10").status_code == 200
    )
    assert world.client_for(world.other_province_manager).get(f"/insights/commune/{a}/").status_code == 403
    assert Client().get("/insights/province/").status_code == 302
    r = world.client_for(world.officer_b).get(f"/api/v1/insights/index?commune={a}&period=2026-10")
    assert r.status_code == 403
    r = world.client_for(world.leader_a).get(f"/api/v1/insights/index?commune={a}&period=2026-10")
    assert r.status_code == 200 and r.json()["points"] == pytest.approx(26.94)
    assert (
        world.client_for(world.leader_a).get(f"/api/v1/insights/index?commune={a}&period=x").status_code
        == 422
    )


def test_it_drills_down_from_the_dashboard(world: World, october: dict[str, Dossier]) -> None:
    client = world.client_for(world.leader_a)
    page = client.get(f"/insights/commune/{world.commune_a.code}/?period=2026-10").content.decode()
    assert f"/insights/commune/{world.commune_a.code}/criterion/on_time/?period=2026-10" in page
    listing = client.get(
        f"/insights/commune/{world.commune_a.code}/criterion/on_time/?period=2026-10"
    ).content.decode()
    # Codes as the listing links them: a bare "D1" can turn up inside the random CSRF token.
    assert ">D2</a>" in listing and ">D5</a>" in listing and ">D1</a>" not in listing


def test_it_keeps_queries_bounded(
    world: World, october: dict[str, Dossier], django_assert_max_num_queries: object
) -> None:
    client = world.client_for(world.province_manager)
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        assert client.get("/insights/province/?period=2026-10&sort=on_time&dir=desc").status_code == 200
    leader = world.client_for(world.leader_a)
    with django_assert_max_num_queries(60):  # type: ignore[operator]  # includes the workforce gap report
        assert leader.get(f"/insights/commune/{world.commune_a.code}/?period=2026-10").status_code == 200


def test_it_sorts_the_province_table(world: World, october: dict[str, Dossier]) -> None:
    rows = (
        world.client_for(world.province_manager)
        .get("/api/v1/insights/province?period=2026-10&sort=on_time&desc=true")
        .json()
    )
    assert [r["commune"] for r in rows] == [world.commune_b.code, world.commune_a.code]  # B 100 %, A 60 %
    assert rows[1]["on_time_rate"] == pytest.approx(0.6)
