from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xaso.places.services import places_load


class Command(BaseCommand):
    help = "Load a province's communes and wards (and their standard departments)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", type=int, required=True, help="province code, e.g. 46 for Huế")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]

        def progress(done: int, total: int, name: str) -> None:
            if verbosity >= 2 or done == total or done % 10 == 0:
                self.stdout.write(f"  [{done}/{total}] {name}")

        try:
            summary = places_load(province_code=options["province"], progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.province}: {summary.communes_created} communes created, "
                f"{summary.communes_updated} updated, {summary.departments_created} departments created."
            )
        )
