from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xaso.catalog.services import import_procedures


class Command(BaseCommand):
    help = (
        "Import procedure records in the National Public Service Portal JSON format "
        "(files, folders, lists, bundles or .json.gz). Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="record files or folders")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        self.stdout.write(f"Importing from {', '.join(str(p) for p in options['paths'])}…")
        summary = import_procedures(
            options["paths"], progress=lambda n, label: self.stdout.write(f"  {n} records… ({label})")
        )
        for error in summary.errors:
            self.stderr.write(self.style.ERROR(f"  error: {error}"))
        self.stdout.write(f"{summary.line()} ({time.monotonic() - started:.1f} s)")
        if summary.needs_review:
            self.stdout.write("Run `manage.py catalog_quality` to see what needs review and why.")
        if summary.errors:
            raise CommandError(
                f"{len(summary.errors)} file(s) or record(s) could not be imported; see above."
            )
