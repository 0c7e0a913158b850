"""Working-day calendar: when a dossier's result is due (ngày hẹn trả kết quả).

Pure Python (standard library + ``holidays``); no Django, no database. All datetimes must be
timezone-aware; they are converted to the configured zone (Asia/Ho_Chi_Minh, +07:00) and every
result is returned in that zone.

Which days are working days
    Monday–Friday, minus the public holidays of ``holidays.country_holidays("VN")`` (Tết, 30/4,
    1/5, 2/9, … including the substitute days off the package knows), minus
    ``CalendarConfig.extra_days_off``. A Saturday or Sunday is a working day when it is a make-up
    working day: either listed in ``CalendarConfig.makeup_working_days`` or known to the
    ``holidays`` package as a swapped working day (``weekend_workdays``, e.g. Sat 26/4/2025,
    Sat 22/8/2026; turn off with ``use_official_makeup_days=False``). The configured lists win over
    the package: an extra day off is off even if the package says it is a working day, a configured
    make-up day works even if the package says it is a holiday.

Office hours and "receipt"
    Office time is the half-open intervals of ``office_intervals`` on working days (default
    07:30–11:30 and 13:30–17:00, 7.5 h). A dossier received outside office time (evening, lunch,
    weekend, holiday) is treated as received at the *next working moment* (Circular 01/2018/TT-VPCP:
    a dossier received after hours counts as received on the next working day). "D" below is the
    date of that moment.

Units (``due_at``)
    ``same_day``
        Due at the end of office hours of D. When the (normalised) receipt time is strictly after
        ``same_day_cutoff`` (15:00), due at the end of the next working day (Decision
        1872/QĐ-BTP). 15:00:00 itself is not "after".
    ``working_days`` (N ≥ 0, whole)
        The receipt day is not counted (Civil Code 2015, art. 147: counting starts the day after):
        due at the end of office hours of the N-th working day after D. N = 0 means end of D.
    ``working_hours`` / ``hours`` (N ≥ 0, may be fractional)
        Walk through office time from the receipt moment. Domain practice counts
        ``hours_per_day`` (8) working hours as one working day while the office day is 7.5 h, so
        one working hour is credited as ``office day / hours_per_day`` of office time (56 min 15 s
        by default): 8 h = one full office day, 4 h = 3 h 45 min of office time, 24 h from Monday
        09:00 = Thursday 09:00. Set ``hours_per_day`` to the office-day length (7.5) to walk in
        real clock hours. The conversion is rounded up to the microsecond.
    ``days`` (calendar days, N ≥ 0, whole)
        Due at the end of office hours of D + N calendar days. When that day is a day off the
        deadline moves to the end of office hours of the next working day (Civil Code 2015,
        art. 148(5): a period whose last day is a day off ends at the end of the next working day).

Pauses (tạm dừng / chờ bổ sung)
    The clock stops between ``paused_at`` and ``resumed_at``. The deadline computed without pauses
    fixes a budget of office time counted from the receipt moment; with pauses the due moment is
    when that much *unpaused* office time has elapsed. Pauses may overlap or lie partly before the
    receipt (only the part after it matters). A pause can move a day-based due moment to the middle
    of a day: a 2-hour pause on a "3 working days" dossier makes it due 2 office hours into the
    following working day.

Time zone
    Arithmetic is done in the configured zone, which must have no daylight-saving transitions
    (true of Vietnam since 1975). Naive datetimes raise ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = ["UNITS", "CalendarConfig", "WorkCalendar"]

UNITS: Final[frozenset[str]] = frozenset({"working_days", "working_hours", "hours", "same_day", "days"})

_MAX_SEARCH_DAYS: Final = 3 * 366  # a calendar with no working day for 3 years is misconfigured
_ONE_DAY: Final = timedelta(days=1)
_MICROS_PER_SECOND: Final = 1_000_000


def _vietnam_tz() -> tzinfo:
    try:
        return ZoneInfo("Asia/Ho_Chi_Minh")
    except ZoneInfoNotFoundError:  # no tz database on the machine: Vietnam is +07:00 all year
        return timezone(timedelta(hours=7), "ICT")


def _default_intervals() -> tuple[tuple[time, time], ...]:
    return ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))


@dataclass(frozen=True)
class CalendarConfig:
    """How a service center works. Immutable; share one per commune/office.

    ``office_intervals``: sorted, non-overlapping (start, end) times within one day.
    ``hours_per_day``: how many *working hours* one full office day is worth (see module doc).
    ``same_day_cutoff``: same-day dossiers received after this time roll to the next working day.
    ``extra_days_off`` / ``makeup_working_days``: per-year decisions of the province or the
    Government (a bridge day off, a Saturday worked in exchange).
    """

    office_intervals: tuple[tuple[time, time], ...] = field(default_factory=_default_intervals)
    hours_per_day: Decimal = Decimal(8)
    same_day_cutoff: time = time(15, 0)
    extra_days_off: frozenset[date] = frozenset()
    makeup_working_days: frozenset[date] = frozenset()
    tz: tzinfo = field(default_factory=_vietnam_tz)
    country: str = "VN"
    use_official_makeup_days: bool = True

    def __post_init__(self) -> None:
        if not self.office_intervals:
            raise ValueError("office_intervals must contain at least one (start, end) interval")
        previous_end: time | None = None
        for start, end in self.office_intervals:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("office interval times must be naive wall-clock times")
            if not start < end:
                raise ValueError(f"office interval {start}–{end} must end after it starts")
            if previous_end is not None and start < previous_end:
                raise ValueError("office_intervals must be sorted and must not overlap")
            previous_end = end
        hours = Decimal(self.hours_per_day)
        if not hours.is_finite() or hours <= 0:
            raise ValueError("hours_per_day must be a positive number")
        object.__setattr__(self, "hours_per_day", hours)
        both = self.extra_days_off & self.makeup_working_days
        if both:
            listed = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"dates both off and make-up working days: {listed}")

    @property
    def office_day(self) -> timedelta:
        """Length of office time in one working day (7 h 30 min by default)."""
        total = timedelta()
        for start, end in self.office_intervals:
            total += datetime.combine(date.min, end) - datetime.combine(date.min, start)
        return total


def _require_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} must be timezone-aware (Asia/Ho_Chi_Minh, +07:00), got naive {value.isoformat()}"
        )


def _as_decimal(value: Decimal | float | int, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | float | int):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - Decimal(int) / Decimal(repr(float)) parse
        raise ValueError(f"{name} is not a number: {value!r}") from exc
    if not number.is_finite():
        raise ValueError(f"{name} must be finite, got {value!r}")
    if number < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    return number


def _as_whole(value: Decimal | float | int, name: str) -> int:
    number = _as_decimal(value, name)
    if number != number.to_integral_value():
        raise ValueError(f"{name} must be a whole number of days, got {value!r} (use working_hours)")
    return int(number)


class WorkCalendar:
    """Deadline arithmetic over a ``CalendarConfig``. Holiday sets are cached per year."""

    def __init__(self, config: CalendarConfig | None = None) -> None:
        self.config = config if config is not None else CalendarConfig()
        self._tz = self.config.tz
        self._intervals = self.config.office_intervals
        self._office_day = self.config.office_day
        self._office_day_us = self._office_day // timedelta(microseconds=1)
        self._days_off: dict[int, frozenset[date]] = {}
        self._official_workdays: dict[int, frozenset[date]] = {}
        self._working: dict[date, bool] = {}

    # ----------------------------------------------------------------- days

    def _load_year(self, year: int) -> None:
        official = holidays.country_holidays(self.config.country, years=year)
        self._days_off[year] = frozenset(d for d in official if d.year == year)
        workdays: Iterable[date] = getattr(official, "weekend_workdays", ()) or ()
        if self.config.use_official_makeup_days:
            self._official_workdays[year] = frozenset(d for d in workdays if d.year == year)
        else:
            self._official_workdays[year] = frozenset()

    def holidays_in(self, year: int) -> frozenset[date]:
        """The public holidays (incl. substitute days off) of ``year`` from the ``holidays`` package."""
        if year not in self._days_off:
            self._load_year(year)
        return self._days_off[year]

    def is_working_day(self, d: date) -> bool:
        if isinstance(d, datetime):
            raise TypeError("is_working_day takes a date, not a datetime")
        cached = self._working.get(d)
        if cached is not None:
            return cached
        config = self.config
        if d in config.extra_days_off:
            result = False
        elif d in config.makeup_working_days:
            result = True
        elif d in self.holidays_in(d.year):
            result = False
        elif d in self._official_workdays[d.year]:
            result = True
        else:
            result = d.weekday() < 5
        self._working[d] = result
        return result

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        for _ in range(_MAX_SEARCH_DAYS):
            d += _ONE_DAY
            if self.is_working_day(d):
                return d
        raise ValueError(f"no working day within {_MAX_SEARCH_DAYS} days after {d}: check the calendar")

    def _first_working_day_from(self, d: date) -> date:
        return d if self.is_working_day(d) else self.next_working_day(d)

    # -------------------------------------------------------------- moments

    def _local(self, value: datetime, name: str) -> datetime:
        _require_aware(value, name)
        return value.astimezone(self._tz)

    def _at(self, d: date, t: time) -> datetime:
        return datetime.combine(d, t, tzinfo=self._tz)

    def _end_of_day(self, d: date) -> datetime:
        return self._at(d, self._intervals[-1][1])

    def _next_moment(self, at: datetime) -> datetime:
        """``at`` already in the calendar zone."""
        d = at.date()
        if self.is_working_day(d):
            t = at.time().replace(tzinfo=None)
            for start, end in self._intervals:
                if t < start:
                    return self._at(d, start)
                if t < end:
                    return at
        return self._at(self.next_working_day(d), self._intervals[0][0])

    def next_working_moment(self, at: datetime) -> datetime:
        """``at`` itself if it is inside office time, else the start of the next office interval."""
        return self._next_moment(self._local(at, "at"))

    def _walk(self, start: datetime, amount: timedelta) -> datetime:
        """The moment when ``amount`` of office time has elapsed after ``start`` (zone-local).

        Ends exactly at an interval end (e.g. 17:00) rather than at the next interval start.
        """
        cursor = start
        remaining = amount
        d = cursor.date()
        idle = 0  # consecutive days without office time, to stop on a calendar with none
        while idle <= _MAX_SEARCH_DAYS:
            idle += 1
            if self.is_working_day(d):
                idle = 0
                for start_t, end_t in self._intervals:
                    end = self._at(d, end_t)
                    if cursor >= end:
                        continue
                    begin = max(cursor, self._at(d, start_t))
                    available = end - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
                    cursor = end
            d += _ONE_DAY
        raise ValueError("walked past the search horizon: the calendar has no working days")

    def _office_time(self, start: datetime, end: datetime) -> timedelta:
        """Office time in [start, end), both zone-local, start <= end."""
        total = timedelta()
        d = start.date()
        last = end.date()
        while d <= last:
            if self.is_working_day(d):
                for start_t, end_t in self._intervals:
                    a = max(start, self._at(d, start_t))
                    b = min(end, self._at(d, end_t))
                    if b > a:
                        total += b - a
            d += _ONE_DAY
        return total

    def working_seconds_between(self, start: datetime, end: datetime) -> int:
        """Whole seconds of office time between two moments (real office seconds, not credited
        hours). Signed: negative when ``end`` is before ``start``, so
        ``working_seconds_between(now, due)`` is the time left and goes negative once late."""
        a = self._local(start, "start")
        b = self._local(end, "end")
        if b < a:
            return -self.working_seconds_between(end, start)
        return int(self._office_time(a, b).total_seconds())

    def credited_hours(self, seconds: int) -> Decimal:
        """Convert office seconds to working hours as the law counts them (8 h per office day)."""
        return Decimal(seconds * _MICROS_PER_SECOND) * self.config.hours_per_day / self._office_day_us

    # ---------------------------------------------------------------- adding

    def _hours_to_office_time(self, hours: Decimal) -> timedelta:
        micros = (hours * self._office_day_us / self.config.hours_per_day).to_integral_value(ROUND_CEILING)
        return timedelta(microseconds=int(micros))

    def add_working_days(self, received_at: datetime, days: int) -> datetime:
        """End of office hours of the ``days``-th working day after the receipt day (see module doc)."""
        count = _as_whole(days, "days")
        return self._working_days(self._next_moment(self._local(received_at, "received_at")), count)

    def _working_days(self, received: datetime, days: int) -> datetime:
        d = received.date()
        for _ in range(days):
            d = self.next_working_day(d)
        return self._end_of_day(d)

    def add_working_hours(self, start: datetime, hours: Decimal | float | int) -> datetime:
        """Walk ``hours`` working hours (``hours_per_day`` to an office day) through office time."""
        amount = self._hours_to_office_time(_as_decimal(hours, "hours"))
        begin = self._next_moment(self._local(start, "start"))
        return self._walk(begin, amount)

    def _same_day(self, received: datetime) -> datetime:
        cutoff = self.config.same_day_cutoff
        d = received.date()
        if received.time().replace(tzinfo=None) > cutoff:
            d = self.next_working_day(d)
        return self._end_of_day(d)

    def _calendar_days(self, received: datetime, days: int) -> datetime:
        target = received.date() + timedelta(days=days)
        return self._end_of_day(self._first_working_day_from(target))

    def due_at(
        self,
        received_at: datetime,
        *,
        value: Decimal | int | None,
        unit: str,
        pauses: Sequence[tuple[datetime, datetime]] = (),
    ) -> datetime:
        """The appointment moment for a dossier received at ``received_at``.

        ``unit`` is one of ``UNITS``; ``value`` is ignored for ``same_day`` and required otherwise.
        ``pauses`` are (paused_at, resumed_at) pairs; for a pause still running pass ``now`` (or a
        far future moment) as ``resumed_at``.
        """
        if unit not in UNITS:
            raise ValueError(f"unknown unit {unit!r}; expected one of {sorted(UNITS)}")
        received = self._next_moment(self._local(received_at, "received_at"))
        windows = self._pause_windows(pauses, received)
        if unit == "same_day":
            due = self._same_day(received)
        elif value is None:
            raise ValueError(f"unit {unit!r} needs a value")
        elif unit == "working_days":
            due = self._working_days(received, _as_whole(value, "value"))
        elif unit == "days":
            due = self._calendar_days(received, _as_whole(value, "value"))
        else:  # working_hours, hours
            due = self._walk(received, self._hours_to_office_time(_as_decimal(value, "value")))
        if not windows:
            return due
        return self._walk_with_pauses(received, self._office_time(received, due), windows)

    # ---------------------------------------------------------------- pauses

    def _pause_windows(
        self, pauses: Sequence[tuple[datetime, datetime]], after: datetime
    ) -> list[tuple[datetime, datetime]]:
        """Pauses in the zone, clipped to start no earlier than ``after``, sorted and merged."""
        windows: list[tuple[datetime, datetime]] = []
        for index, pause in enumerate(pauses):
            if len(pause) != 2:
                raise ValueError(f"pause #{index} must be a (paused_at, resumed_at) pair")
            paused = self._local(pause[0], f"pauses[{index}].paused_at")
            resumed = self._local(pause[1], f"pauses[{index}].resumed_at")
            if resumed < paused:
                raise ValueError(f"pause #{index} resumes ({resumed}) before it starts ({paused})")
            paused = max(paused, after)
            if resumed > paused:
                windows.append((paused, resumed))
        windows.sort()
        merged: list[tuple[datetime, datetime]] = []
        for paused, resumed in windows:
            if merged and paused <= merged[-1][1]:
                if resumed > merged[-1][1]:
                    merged[-1] = (merged[-1][0], resumed)
            else:
                merged.append((paused, resumed))
        return merged

    def _walk_with_pauses(
        self, start: datetime, budget: timedelta, windows: list[tuple[datetime, datetime]]
    ) -> datetime:
        cursor = start
        remaining = budget
        for paused, resumed in windows:
            if paused > cursor:
                available = self._office_time(cursor, paused)
                if remaining <= available:
                    return self._walk(cursor, remaining)
                remaining -= available
            cursor = max(cursor, resumed)
        return self._walk(self._next_moment(cursor), remaining)
