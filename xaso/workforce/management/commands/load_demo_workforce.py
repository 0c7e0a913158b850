from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xaso.workforce.demo import demo_workforce_load


class Command(BaseCommand):
    help = (
        "Load the workforce demo for Huế's communes once: positions with requirements, evidence, "
        "training plans and sessions, quarterly evaluations — computed from the demo staff and "
        "dossiers with a fixed seed. Run load_demo first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2025, help="the same seed and day give the same data")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = demo_workforce_load(seed=options["seed"], progress=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        lines = summary.lines()
        self.stdout.write(self.style.SUCCESS(lines[0]))
        for line in lines[1:]:
            self.stdout.write(line)
