from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xaso.catalog.services import SHIPPED_CATALOG, import_manual_procedures, import_procedures


class Command(BaseCommand):
    help = "Load the shipped catalog: 581 national-portal records and the hand-entered procedures."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        self.stdout.write("Catalog: importing the shipped national-portal records…")
        national = import_procedures(
            [SHIPPED_CATALOG], progress=lambda n, label: self.stdout.write(f"  {n} records…")
        )
        manual = import_manual_procedures()
        self.stdout.write(f"  national portal: {national.line()}")
        self.stdout.write(f"  entered by hand: {manual.line()}")
        self.stdout.write(f"Catalog ready ({time.monotonic() - started:.1f} s).")
        errors = national.errors + manual.errors
        if errors:
            raise CommandError("; ".join(errors))
