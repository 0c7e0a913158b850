from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xaso.places.models import Province
from xaso.workforce.seed import shipped_data_load


class Command(BaseCommand):
    help = (
        "Load the shipped competency framework, training catalogue and self-test questions, and "
        "with --province the province's job-position template (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", type=int, help="the province's official code")

    def handle(self, *args: Any, **options: Any) -> None:
        province = None
        if options["province"] is not None:
            province = Province.objects.filter(pk=options["province"]).first()
            if province is None:
                raise CommandError(f"No province with code {options['province']}; run load_places first.")
        summary = shipped_data_load(province=province)
        parts = ", ".join(f"{n} {name}" for name, n in vars(summary).items() if n)
        self.stdout.write(
            self.style.SUCCESS(f"Added: {parts}." if parts else "Everything was already loaded.")
        )
