from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xaso.catalog.selectors import catalog_quality_report


class Command(BaseCommand):
    help = "List the procedures that need review, and why."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", help="only this procedure")

    def handle(self, *args: Any, **options: Any) -> None:
        report = catalog_quality_report(code=options.get("code"))
        for item in report.items:
            self.stdout.write(f"{item.code}  {item.name[:70]}")
            for problem in item.problems:
                self.stdout.write(f"    - {problem}")
        self.stdout.write(
            f"\n{len(report.items)} of {report.total} procedures need review ({report.by_reason_line()})."
        )
