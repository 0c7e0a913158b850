"""Due dates for dossiers: the procedure's processing time on the deployment's calendar."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

from xaso.catalog.models import Channel, Procedure
from xaso.dossiers.calendar import CalendarConfig, WorkCalendar
from xaso.dossiers.models import CalendarOverride
from xaso.lib.errors import InvalidInput

_lock = threading.Lock()
_cached: tuple[tuple[object, ...], WorkCalendar] | None = None
_checked_at = 0.0
RECHECK_SECONDS = 30.0  # how long a process trusts its copy of the overrides


def work_calendar() -> WorkCalendar:
    """The VN calendar plus this deployment's extra days off and make-up working days."""
    global _cached, _checked_at
    now = time.monotonic()
    if _cached is not None and now - _checked_at < RECHECK_SECONDS:
        return _cached[1]
    rows = tuple(CalendarOverride.objects.order_by("day").values_list("day", "kind"))  # a few per year
    key: tuple[object, ...] = rows
    _checked_at = now
    with _lock:
        if _cached is None or _cached[0] != key:
            config = CalendarConfig(
                extra_days_off=frozenset(d for d, k in rows if k == CalendarOverride.Kind.DAY_OFF),
                makeup_working_days=frozenset(
                    d for d, k in rows if k == CalendarOverride.Kind.MAKEUP_WORKDAY
                ),
            )
            _cached = (key, WorkCalendar(config))
        return _cached[1]


def processing_time(procedure: Procedure, channel: str) -> tuple[Decimal | None, str]:
    """The legal processing time for a channel: that channel's row, else the in-person one.

    A bare number without unit (the record did not say) is read as working days, the unit
    of almost every commune procedure; no number at all gives ("", None)."""
    rows = list(procedure.channels.all())
    ordered = (
        [c for c in rows if c.kind == channel] + [c for c in rows if c.kind == Channel.Kind.IN_PERSON] + rows
    )
    for row in ordered:
        if row.time_unit == Channel.TimeUnit.SAME_DAY:
            return None, "same_day"
        if row.time_value is not None and row.time_unit in ("working_days", "working_hours", "hours", "days"):
            return row.time_value, row.time_unit
        if row.time_value is not None and row.time_unit == Channel.TimeUnit.MONTHS:
            return row.time_value * 30, "days"
    for row in ordered:
        if row.time_value is not None and row.time_unit == Channel.TimeUnit.UNKNOWN:
            return row.time_value, "working_days"
    return None, ""


def due_at(
    received_at: dt.datetime, value: Decimal | None, unit: str, pauses: list[list[str]] | None = None
) -> dt.datetime:
    if not unit:
        raise InvalidInput(
            "The procedure states no processing time; enter the number of working days.",
            field="processing_days",
        )
    windows = [(dt.datetime.fromisoformat(a), dt.datetime.fromisoformat(b)) for a, b in (pauses or [])]
    if unit != "same_day" and value is not None and unit in ("working_days", "days"):
        value = Decimal(int(value.to_integral_value(rounding="ROUND_CEILING")))
    return work_calendar().due_at(received_at, value=value, unit=unit, pauses=windows)


def forget_calendar() -> None:
    """Drop this process's copy of the overrides (after an edit, and in tests)."""
    global _cached
    _cached = None
