from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xaso.catalog.models import Procedure
from xaso.dossiers import deadlines
from xaso.lib.errors import InvalidInput


class Command(BaseCommand):
    help = "Print the due date-time (ISO 8601, +07:00) of a dossier of PROCEDURE received at RECEIVED."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--procedure", required=True, help="national procedure code, e.g. 1.001193")
        parser.add_argument("--received", required=True, help="ISO date-time, e.g. 2027-02-03T15:30+07:00")
        parser.add_argument("--channel", default="in_person", choices=["in_person", "online", "postal"])
        parser.add_argument("--explain", action="store_true", help="also print the rule that was applied")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            received = dt.datetime.fromisoformat(options["received"])
        except ValueError:
            raise CommandError(f"--received: not an ISO date-time: {options['received']!r}") from None
        if timezone.is_naive(received):
            received = received.replace(tzinfo=dt.timezone(dt.timedelta(hours=7)))
        procedure = Procedure.objects.prefetch_related("channels").filter(code=options["procedure"]).first()
        if procedure is None:
            raise CommandError(f"--procedure: no procedure with code {options['procedure']}")
        value, unit = deadlines.processing_time(procedure, options["channel"])
        try:
            due = deadlines.due_at(received, value, unit)
        except InvalidInput as exc:
            raise CommandError(f"{procedure.code}: {exc.message}") from None
        local = due.astimezone(dt.timezone(dt.timedelta(hours=7)))
        if options["explain"]:
            amount = "" if value is None else f"{value.normalize()} "
            self.stdout.write(f"{procedure.code} {procedure.name}: {amount}{unit} ({options['channel']})")
        self.stdout.write(local.isoformat())
