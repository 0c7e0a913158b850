from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the shipped procedure catalog if it is not loaded yet."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Catalog: not shipped yet.")
