"""Dossier codes: unique, readable, safe under concurrent intake.

Default format, modelled on Circular 01/2018/TT-VPCP Art. 19: ``<unit>-<YYMMDD>-<NNNN>``
(unit code, date of receipt, 4-digit daily sequence). Set ``XASO_DOSSIER_CODE_FORMAT`` to
change it; the fields are ``unit``, ``date`` (a date) and ``seq`` (an int)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction

from xaso.dossiers.models import DailySequence


def next_sequence(unit: str, day: dt.date) -> int:
    """The next number for ``unit`` on ``day``; call inside the intake transaction.

    The row is locked with SELECT … FOR UPDATE, so two intakes on PostgreSQL queue up;
    on SQLite the IMMEDIATE transaction already serialises writers."""
    for _attempt in range(5):
        row = DailySequence.objects.select_for_update().filter(unit=unit, day=day).first()
        if row is None:
            try:
                with transaction.atomic():
                    DailySequence.objects.create(unit=unit, day=day, last=1)
                return 1
            except IntegrityError:
                continue  # someone created it first: lock theirs and go on
        row.last += 1
        row.save(update_fields=["last"])
        return row.last
    raise RuntimeError(f"could not take a sequence number for {unit} on {day}")


def format_code(unit: str, day: dt.date, seq: int) -> str:
    return str(settings.XASO_DOSSIER_CODE_FORMAT).format(unit=unit, date=day, seq=seq)
