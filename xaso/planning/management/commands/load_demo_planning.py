from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xaso.planning.demo import load_planning_demo


class Command(BaseCommand):
    help = (
        "Planning demo for Vinh Lộc: accepted work queues with an override, a designated successor, "
        "a three-year rotation plan."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        s = load_planning_demo(progress=self.stdout.write)
        if s.already_loaded:
            self.stdout.write("Planning demo already loaded; nothing to do.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Planning demo: shared pool of {s.pool_members} officers, proposal #{s.proposal} "
                f"({s.through_pool} dossiers through the pool, {s.overrides} override), "
                f"designated successor: {s.successor or 'none'}, {s.trainings} cross-training "
                f"items, rotation plan #{s.rotation_plan} with {s.moves} moves, "
                f"{s.duties_met} of {s.duties_due} transfer duties met."
            )
        )
