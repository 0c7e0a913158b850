from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xaso.dossiers.worker import run_until_idle
from xaso.insights.services import generate_one_due_report
from xaso.planning.services import propose_one_due


class Command(BaseCommand):
    help = "Background work: mark overdue dossiers, warn assignees, send the outbox, make monthly reports, propose each department's work queues once a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run until idle once, then exit")
        parser.add_argument("--sleep", type=float, default=10.0, help="seconds to wait when idle")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            done = run_until_idle(
                extra=[("monthly reports", generate_one_due_report), ("work queues", propose_one_due)]
            )
            if any(done.values()) or options["once"]:
                summary = ", ".join(f"{name}: {n}" for name, n in done.items())
                self.stdout.write(f"{time.strftime('%H:%M:%S')} worked — {summary}")
            if options["once"]:
                return
            time.sleep(options["sleep"])
