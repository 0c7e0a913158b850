from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xaso.demo.dossiers import demo_dossiers_load


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--end must be a date as YYYY-MM-DD, got {text!r}") from None


class Command(BaseCommand):
    help = (
        "Generate months of realistic demo dossiers (with steps, events, documents and ratings) "
        "for every demo commune, once. Run load_demo first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=12, help="how many months, ending at --end")
        parser.add_argument(
            "--per-commune-month", type=int, default=40, help="about how many dossiers a commune gets a month"
        )
        parser.add_argument("--seed", type=int, default=2025, help="the same seed and end give the same data")
        parser.add_argument("--end", type=_date, default=None, help="last day, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = demo_dossiers_load(
                months=options["months"],
                per_commune_month=options["per_commune_month"],
                seed=options["seed"],
                end=options["end"],
                progress=self.stdout.write,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        lines = summary.lines()
        self.stdout.write(self.style.SUCCESS(lines[0]))
        for line in lines[1:]:
            self.stdout.write(line)
