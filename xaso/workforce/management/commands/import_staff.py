from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xaso.lib.errors import XasoError
from xaso.places.models import Commune
from xaso.workforce.importer import staff_import


class Command(BaseCommand):
    help = (
        "Import a commune's staff list from an Excel workbook (.xlsx). Every cell is checked; "
        "nothing is written unless the whole file is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx workbook")
        parser.add_argument("--commune", required=True, type=int, help="the commune's official code")
        parser.add_argument("--dry-run", action="store_true", help="check the file and write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        commune = Commune.objects.filter(pk=options["commune"]).first()
        if commune is None:
            raise CommandError(f"No commune with code {options['commune']}.")
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        try:
            report = staff_import(actor=None, commune=commune, content=content, dry_run=options["dry_run"])
        except XasoError as exc:
            raise CommandError(exc.message) from None
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(report.errors)} problem(s) in {path.name}; nothing was imported.")
        if report.dry_run:
            self.stdout.write(
                self.style.SUCCESS(f"{len(report.rows)} officers checked; the file is valid (dry run).")
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"{report.created} officers imported into {commune.name}."))
