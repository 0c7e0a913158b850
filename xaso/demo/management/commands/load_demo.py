from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from xaso.demo.services import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo (Huế City, its communes, staff and the procedure catalog) once."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_load(progress=self.stdout.write)
        if summary.already_loaded:
            self.stdout.write("Demo already loaded; nothing to do.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo loaded: {summary.communes} communes, {summary.staff_created} staff."
                )
            )
        call_command("load_catalog_demo", stdout=self.stdout, verbosity=options["verbosity"])
        self.stdout.write("Dossiers: 12 months of demo dossiers (about a minute the first time)…")
        call_command("load_demo_dossiers", stdout=self.stdout, verbosity=options["verbosity"])
        self.stdout.write("Workforce: positions, evidence, training and evaluations from the demo records…")
        call_command("load_demo_workforce", stdout=self.stdout, verbosity=options["verbosity"])
        self.stdout.write("Planning: work queues and a rotation plan for Vinh Lộc…")
        call_command("load_demo_planning", stdout=self.stdout, verbosity=options["verbosity"])
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
        for username, description in summary.accounts:
            self.stdout.write(f"  {username:<20} {description}")
