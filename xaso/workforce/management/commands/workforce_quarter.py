from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xaso.places.models import Commune
from xaso.workforce.services import evaluations_compute, period_bounds, work_records_refresh


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--on must be a date as YYYY-MM-DD, got {text!r}") from None


class Command(BaseCommand):
    help = (
        "The quarterly run: work-record evidence from the dossier ledger (12 months up to --on) and "
        "the Decree 335 task results of the quarter that ended on or before --on, for each commune."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=_date, default=None, help="day of the run (default: today)")
        parser.add_argument("--commune", type=int, action="append", help="only these communes (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        on: dt.date = options["on"] or timezone.localdate()
        communes = Commune.objects.order_by("code")
        if options["commune"]:
            communes = communes.filter(pk__in=options["commune"])
        quarter = (on.month - 1) // 3  # the last whole quarter
        year = on.year if quarter else on.year - 1
        quarter = quarter or 4
        _start, end = period_bounds(year, quarter)
        as_of = dt.datetime.combine(end, dt.time(0, 0), tzinfo=timezone.get_default_timezone())
        for commune in communes:
            added = work_records_refresh(commune=commune, on=on)
            rows = evaluations_compute(actor=None, commune=commune, year=year, quarter=quarter, as_of=as_of)
            self.stdout.write(
                f"{commune.name}: {added} work-record evidence, {len(rows)} evaluations Q{quarter}/{year}"
            )
