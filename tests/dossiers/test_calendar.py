"""The working-day calendar that fixes dossier deadlines (pure: no database).

Expected dates are computed by hand from the `holidays` 0.108 VN calendar:
2026 Tết = Mon 16/2 … Fri 20/2 (so Sat 14/2 … Sun 22/2 are all off; last working day before is
Fri 13/2, first after is Mon 23/2); Hùng Kings Sun 26/4 observed Mon 27/4; 30/4 Thu, 1/5 Fri;
National Day Tue 1/9 + Wed 2/9 with Mon 31/8 off, swapped for the make-up working Sat 22/8.
Default office hours 07:30–11:30, 13:30–17:00 (7.5 h) worth 8 working hours, so one working
hour = 3375 s of office time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xaso.dossiers.calendar import CalendarConfig, WorkCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkCalendar()
REAL_HOURS = WorkCalendar(CalendarConfig(hours_per_day=Decimal("7.5")))


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def end_of(y: int, m: int, d: int) -> datetime:
    return at(y, m, d, 17, 0)


# ------------------------------------------------------------------------- working days


def test_it_knows_the_2026_tet_holidays_from_the_holidays_package():
    assert {d for d in CAL.holidays_in(2026) if d.month == 2} == {date(2026, 2, d) for d in range(16, 21)}
    assert CAL.is_working_day(date(2026, 2, 13))
    assert not any(CAL.is_working_day(date(2026, 2, d)) for d in range(14, 23))
    assert CAL.is_working_day(date(2026, 2, 23))


def test_it_skips_tet_2026_for_working_days():
    # D = Thu 12/2; 1st working day after = Fri 13/2, 2nd = Mon 23/2, 3rd = Tue 24/2.
    assert CAL.due_at(at(2026, 2, 12), value=3, unit="working_days") == end_of(2026, 2, 24)
    assert CAL.add_working_days(at(2026, 2, 13, 16), 1) == end_of(2026, 2, 23)


def test_it_rolls_a_same_day_dossier_received_late_just_before_tet_to_after_tet():
    assert CAL.due_at(at(2026, 2, 13, 14, 59), value=None, unit="same_day") == end_of(2026, 2, 13)
    assert CAL.due_at(at(2026, 2, 13, 15, 30), value=None, unit="same_day") == end_of(2026, 2, 23)
    assert CAL.due_at(at(2026, 2, 13, 18), value=None, unit="same_day") == end_of(2026, 2, 23)


def test_it_walks_working_hours_over_tet():
    # Fri 13/2 16:00–17:00 = 1 h of office time; 8 working hours = 7.5 h → 6.5 h left on Mon 23/2:
    # 07:30–11:30 (4 h) + 13:30–16:00 (2.5 h).
    assert CAL.due_at(at(2026, 2, 13, 16), value=8, unit="working_hours") == at(2026, 2, 23, 16)


def test_it_moves_a_calendar_day_deadline_falling_in_tet_to_the_end_of_the_next_working_day():
    # Tue 10/2 + 7 calendar days = Tue 17/2 (Tết) → end of Mon 23/2.
    assert CAL.due_at(at(2026, 2, 10), value=7, unit="days") == end_of(2026, 2, 23)


def test_it_skips_hung_kings_observed_30_4_and_1_5_in_2026():
    # Fri 24/4 → Mon 27/4 is the observed Hùng Kings day off → Tue 28/4 (1), Wed 29/4 (2).
    assert CAL.due_at(at(2026, 4, 24), value=2, unit="working_days") == end_of(2026, 4, 29)
    # Wed 29/4 → Thu 30/4, Fri 1/5 off, weekend → Mon 4/5 (1), Tue 5/5 (2).
    assert CAL.due_at(at(2026, 4, 29, 10), value=2, unit="working_days") == end_of(2026, 5, 5)


def test_it_skips_30_4_1_5_and_the_swapped_2_5_in_2025():
    # 2025: Wed 30/4, Thu 1/5, Fri 2/5 (swapped with the make-up working Sat 26/4).
    assert CAL.due_at(at(2025, 4, 29, 10), value=1, unit="working_days") == end_of(2025, 5, 5)
    assert CAL.is_working_day(date(2025, 4, 26))


def test_it_skips_national_day_2026_and_works_the_official_make_up_saturday():
    # Fri 28/8 → weekend, Mon 31/8 (swapped), Tue 1/9, Wed 2/9 off → Thu 3/9.
    assert CAL.due_at(at(2026, 8, 28, 10), value=1, unit="working_days") == end_of(2026, 9, 3)
    # Sat 22/8/2026 is worked in exchange for Mon 31/8.
    assert CAL.due_at(at(2026, 8, 21, 10), value=1, unit="working_days") == end_of(2026, 8, 22)
    without = WorkCalendar(CalendarConfig(use_official_makeup_days=False))
    assert without.due_at(at(2026, 8, 21, 10), value=1, unit="working_days") == end_of(2026, 8, 24)


def test_it_skips_a_weekend():
    # Fri 6/3/2026 → Mon 9/3.
    assert CAL.due_at(at(2026, 3, 6, 10), value=1, unit="working_days") == end_of(2026, 3, 9)
    # Mon 9/3 + 5 calendar days = Sat 14/3 → end of Mon 16/3.
    assert CAL.due_at(at(2026, 3, 9, 10), value=5, unit="days") == end_of(2026, 3, 16)


def test_it_counts_a_saturday_receipt_from_monday_morning():
    assert CAL.next_working_moment(at(2026, 3, 7, 10)) == at(2026, 3, 9, 7, 30)
    assert CAL.due_at(at(2026, 3, 7, 10), value=None, unit="same_day") == end_of(2026, 3, 9)
    # Treated as received Mon 9/3, which is not counted: 1 working day → Tue 10/3.
    assert CAL.due_at(at(2026, 3, 7, 10), value=1, unit="working_days") == end_of(2026, 3, 10)


def test_it_counts_an_evening_receipt_from_the_next_morning():
    assert CAL.next_working_moment(at(2026, 3, 9, 18)) == at(2026, 3, 10, 7, 30)
    assert CAL.due_at(at(2026, 3, 9, 18), value=None, unit="same_day") == end_of(2026, 3, 10)
    assert CAL.due_at(at(2026, 3, 9, 18), value=2, unit="working_days") == end_of(2026, 3, 12)
    assert CAL.due_at(at(2026, 3, 9, 18), value=4, unit="hours") == at(2026, 3, 10, 11, 15)


def test_it_keeps_a_moment_inside_office_hours_and_skips_lunch():
    assert CAL.next_working_moment(at(2026, 3, 9, 10, 15)) == at(2026, 3, 9, 10, 15)
    assert CAL.next_working_moment(at(2026, 3, 9, 12)) == at(2026, 3, 9, 13, 30)
    assert CAL.next_working_moment(at(2026, 3, 9, 6)) == at(2026, 3, 9, 7, 30)
    assert CAL.next_working_moment(at(2026, 3, 9, 17)) == at(2026, 3, 10, 7, 30)


def test_it_applies_the_15_00_same_day_cut_off():
    assert CAL.due_at(at(2026, 3, 9, 14, 59), value=None, unit="same_day") == end_of(2026, 3, 9)
    assert CAL.due_at(at(2026, 3, 9, 15, 0), value=None, unit="same_day") == end_of(2026, 3, 9)
    assert CAL.due_at(at(2026, 3, 9, 15, 1), value=None, unit="same_day") == end_of(2026, 3, 10)
    # Friday after the cut-off → Monday.
    assert CAL.due_at(at(2026, 3, 13, 15, 1), value=None, unit="same_day") == end_of(2026, 3, 16)


def test_it_honours_a_configurable_cut_off():
    late = WorkCalendar(CalendarConfig(same_day_cutoff=time(16, 0)))
    assert late.due_at(at(2026, 3, 9, 15, 1), value=None, unit="same_day") == end_of(2026, 3, 9)


def test_it_honours_a_make_up_working_saturday_and_an_extra_day_off():
    config = CalendarConfig(
        extra_days_off=frozenset({date(2026, 3, 13)}), makeup_working_days=frozenset({date(2026, 3, 21)})
    )
    cal = WorkCalendar(config)
    assert not cal.is_working_day(date(2026, 3, 13))
    assert cal.is_working_day(date(2026, 3, 21))
    # Thu 12/3 → Fri 13/3 off → Mon 16/3.
    assert cal.due_at(at(2026, 3, 12, 10), value=1, unit="working_days") == end_of(2026, 3, 16)
    # Fri 20/3 → Sat 21/3 worked.
    assert cal.due_at(at(2026, 3, 20, 10), value=1, unit="working_days") == end_of(2026, 3, 21)
    # Receiving on the make-up Saturday itself counts from that moment.
    assert cal.next_working_moment(at(2026, 3, 21, 10)) == at(2026, 3, 21, 10)
    # An extra day off can cancel an official make-up day; a make-up day can override a holiday.
    cancel = WorkCalendar(CalendarConfig(extra_days_off=frozenset({date(2026, 8, 22)})))
    assert not cancel.is_working_day(date(2026, 8, 22))
    override = WorkCalendar(CalendarConfig(makeup_working_days=frozenset({date(2026, 9, 2)})))
    assert override.is_working_day(date(2026, 9, 2))


def test_it_refuses_a_date_both_off_and_worked():
    with pytest.raises(ValueError, match="both off and make-up"):
        CalendarConfig(
            extra_days_off=frozenset({date(2026, 3, 13)}), makeup_working_days=frozenset({date(2026, 3, 13)})
        )


def test_it_refuses_overlapping_or_backwards_office_intervals():
    with pytest.raises(ValueError, match="overlap"):
        CalendarConfig(office_intervals=((time(8), time(12)), (time(11), time(17))))
    with pytest.raises(ValueError, match="end after"):
        CalendarConfig(office_intervals=((time(12), time(8)),))
    with pytest.raises(ValueError, match="positive"):
        CalendarConfig(hours_per_day=Decimal(0))


# ------------------------------------------------------------------------- working hours


def test_it_walks_working_hours_across_lunch():
    # 2 working hours = 6750 s = 1 h 52 min 30 s of office time: 10:30–11:30, then 13:30 + 52:30.
    assert CAL.add_working_hours(at(2026, 3, 9, 10, 30), 2) == datetime(2026, 3, 9, 14, 22, 30, tzinfo=VN)
    # In real clock hours (hours_per_day = office day = 7.5): 10:30–11:30, then 13:30 + 1 h.
    assert REAL_HOURS.add_working_hours(at(2026, 3, 9, 10, 30), 2) == at(2026, 3, 9, 14, 30)


def test_it_walks_working_hours_overnight():
    # 4 working hours = 3 h 45 min: 16:00–17:00, then Tue 07:30 + 2 h 45 min.
    assert CAL.add_working_hours(at(2026, 3, 9, 16), 4) == at(2026, 3, 10, 10, 15)
    assert REAL_HOURS.add_working_hours(at(2026, 3, 9, 16), 4) == at(2026, 3, 10, 10, 30)
    # Over a weekend: Fri 16:00 + 1 h = Fri 17:00 exactly (end of day, not Monday 07:30).
    assert REAL_HOURS.add_working_hours(at(2026, 3, 13, 16), 1) == end_of(2026, 3, 13)
    assert REAL_HOURS.add_working_hours(at(2026, 3, 13, 16), Decimal("1.5")) == at(2026, 3, 16, 8)


def test_it_counts_8_working_hours_as_one_working_day():
    assert CAL.add_working_hours(at(2026, 3, 9, 7, 30), 8) == end_of(2026, 3, 9)
    assert CAL.add_working_hours(at(2026, 3, 9, 10), 8) == at(2026, 3, 10, 10)
    assert CAL.due_at(at(2026, 3, 9), value=24, unit="working_hours") == at(2026, 3, 12, 9)
    assert CAL.add_working_hours(at(2026, 3, 9, 10), 0.5) == datetime(
        2026, 3, 9, 10, 28, 7, 500000, tzinfo=VN
    )
    assert CAL.credited_hours(27_000) == 8


def test_it_starts_working_hours_received_at_lunch_after_lunch():
    assert REAL_HOURS.add_working_hours(at(2026, 3, 9, 12), 1) == at(2026, 3, 9, 14, 30)


# ------------------------------------------------------------------------------ pauses


def test_it_stops_the_clock_during_one_pause():
    received = at(2026, 3, 9)  # Mon; 3 working days → Thu 12/3 17:00
    assert CAL.due_at(received, value=3, unit="working_days") == end_of(2026, 3, 12)
    pause = (at(2026, 3, 10, 9), at(2026, 3, 10, 11))  # 2 h of office time
    assert CAL.due_at(received, value=3, unit="working_days", pauses=[pause]) == at(2026, 3, 13, 9, 30)


def test_it_adds_up_two_pauses():
    received = at(2026, 3, 9)
    pauses = [
        (at(2026, 3, 10, 9), at(2026, 3, 10, 11)),  # 2 h
        (at(2026, 3, 11, 14), at(2026, 3, 12, 8, 30)),  # Wed 14:00–17:00 + Thu 07:30–08:30 = 4 h
    ]
    # 6 h after Thu 17:00: Fri 07:30–11:30 (4 h) + 13:30–15:30 (2 h).
    assert CAL.due_at(received, value=3, unit="working_days", pauses=pauses) == at(2026, 3, 13, 15, 30)
    # Order does not matter; overlapping pauses are counted once.
    overlapping = [*reversed(pauses), (at(2026, 3, 10, 10), at(2026, 3, 10, 10, 30))]
    assert CAL.due_at(received, value=3, unit="working_days", pauses=overlapping) == at(2026, 3, 13, 15, 30)


def test_it_counts_only_office_time_of_a_pause_over_a_weekend():
    received = at(2026, 3, 9)  # 5 working days → Mon 16/3 17:00
    pause = (at(2026, 3, 13, 16), at(2026, 3, 16, 8, 30))  # Fri 1 h + Mon 1 h
    assert CAL.due_at(received, value=5, unit="working_days", pauses=[pause]) == at(2026, 3, 17, 9, 30)
    weekend_only = (at(2026, 3, 14, 8), at(2026, 3, 15, 20))
    assert CAL.due_at(received, value=5, unit="working_days", pauses=[weekend_only]) == end_of(2026, 3, 16)


def test_it_ignores_pauses_before_receipt_or_after_the_due_date():
    received = at(2026, 3, 9)
    before = (at(2026, 3, 6, 8), at(2026, 3, 9, 8))
    after = (at(2026, 3, 20, 8), at(2026, 3, 21, 8))
    assert CAL.due_at(received, value=3, unit="working_days", pauses=[before, after]) == end_of(2026, 3, 12)


def test_it_pauses_a_working_hours_deadline():
    # Mon 10:00 + 8 h → Tue 10:00; a 1 h pause after lunch → Tue 11:00.
    pause = (at(2026, 3, 9, 13, 30), at(2026, 3, 9, 14, 30))
    assert CAL.due_at(at(2026, 3, 9, 10), value=8, unit="working_hours", pauses=[pause]) == at(
        2026, 3, 10, 11
    )


def test_it_refuses_a_pause_that_resumes_before_it_starts():
    with pytest.raises(ValueError, match="resumes"):
        CAL.due_at(at(2026, 3, 9), value=1, unit="working_days", pauses=[(at(2026, 3, 10), at(2026, 3, 9))])


# ---------------------------------------------------------------- measuring and inputs


def test_it_measures_working_seconds_between_two_moments():
    assert CAL.working_seconds_between(at(2026, 3, 13, 16), at(2026, 3, 16, 8, 30)) == 7_200
    assert CAL.working_seconds_between(at(2026, 3, 16, 8, 30), at(2026, 3, 13, 16)) == -7_200
    # Across Tết: Fri 13/2 09:00–11:30 + 13:30–17:00 (6 h) + Mon 23/2 07:30–09:00 (1.5 h).
    assert CAL.working_seconds_between(at(2026, 2, 13), at(2026, 2, 23)) == 27_000


def test_it_refuses_naive_datetimes():
    naive = datetime(2026, 3, 9, 9, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.due_at(naive, value=1, unit="working_days")
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.next_working_moment(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.add_working_hours(naive, 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.working_seconds_between(at(2026, 3, 9), naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.due_at(at(2026, 3, 9), value=1, unit="working_days", pauses=[(naive, at(2026, 3, 10))])


def test_it_converts_other_time_zones_to_vietnam_time():
    utc = datetime(2026, 3, 9, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
    due = CAL.due_at(utc, value=1, unit="working_days")
    assert due == end_of(2026, 3, 10)
    assert due.utcoffset() == timedelta(hours=7)


def test_it_refuses_bad_units_and_values():
    with pytest.raises(ValueError, match="unknown unit"):
        CAL.due_at(at(2026, 3, 9), value=1, unit="weeks")
    with pytest.raises(ValueError, match="needs a value"):
        CAL.due_at(at(2026, 3, 9), value=None, unit="working_days")
    with pytest.raises(ValueError, match="whole number"):
        CAL.due_at(at(2026, 3, 9), value=Decimal("1.5"), unit="working_days")
    with pytest.raises(ValueError, match="negative"):
        CAL.due_at(at(2026, 3, 9), value=-1, unit="working_hours")
    assert CAL.due_at(at(2026, 3, 9), value=Decimal("2.0"), unit="working_days") == end_of(2026, 3, 11)


# ------------------------------------------------------------------------------ properties

receipts = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31, 23, 59), timezones=st.just(VN)
)
units = st.sampled_from(["working_days", "working_hours", "hours", "same_day", "days"])
values = st.integers(min_value=0, max_value=60)


def in_office_hours(cal: WorkCalendar, moment: datetime) -> bool:
    local = moment.astimezone(VN)
    if not cal.is_working_day(local.date()):
        return False
    t = local.time().replace(tzinfo=None)
    return any(start <= t <= end for start, end in cal.config.office_intervals)


@settings(deadline=None)
@given(received=receipts, unit=units, value=values)
def test_it_never_gives_a_due_date_before_receipt(received, unit, value):
    assert CAL.due_at(received, value=value, unit=unit) >= received


@settings(deadline=None)
@given(received=receipts, unit=units, value=values)
def test_it_puts_the_due_date_in_office_hours_on_a_working_day(received, unit, value):
    assert in_office_hours(CAL, CAL.due_at(received, value=value, unit=unit))


@settings(deadline=None)
@given(received=receipts, unit=units, value=values, more=st.integers(min_value=0, max_value=10))
def test_it_is_monotonic_in_the_processing_time(received, unit, value, more):
    assert CAL.due_at(received, value=value + more, unit=unit) >= CAL.due_at(received, value=value, unit=unit)


@settings(deadline=None)
@given(
    received=receipts,
    unit=units,
    value=values,
    offset=st.integers(min_value=-3 * 24 * 60, max_value=40 * 24 * 60),
    length=st.integers(min_value=0, max_value=10 * 24 * 60),
)
def test_it_never_gives_an_earlier_due_date_with_a_pause(received, unit, value, offset, length):
    paused = received + timedelta(minutes=offset)
    pause = (paused, paused + timedelta(minutes=length))
    plain = CAL.due_at(received, value=value, unit=unit)
    with_pause = CAL.due_at(received, value=value, unit=unit, pauses=[pause])
    assert with_pause >= plain
    assert in_office_hours(CAL, with_pause)


@settings(deadline=None)
@given(received=receipts, hours=st.integers(min_value=0, max_value=200))
def test_it_walks_exactly_the_office_time_the_hours_are_worth(received, hours):
    start = CAL.next_working_moment(received)
    due = CAL.add_working_hours(received, hours)
    assert CAL.working_seconds_between(start, due) == hours * 3375
