"""Rotation plans in the product, on the demo: one commune's plan, its cross-training step,
and province plans over several communes (solver limit 20 s each, as on the pages).

    python benchmarks/planning_rotation_demo.py [--runs 3]

Loads the whole demo (``load_demo``, about two minutes) into a fresh temporary SQLite
database, then times, through the product's services (building the problem from the
database, solving, storing): the Vinh Lộc plan 2027–2029 (``--runs`` times), the
cross-training what-if (``rotation_training_schedule``), and province plans over the first
2, 6 and 10 communes of the province that have officers in job positions. Prints status,
gap, duties met and seconds for each, with the machine and the date.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="xaso-rotation-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["XASO_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xaso.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from xaso.accounts.models import User
    from xaso.places.models import Commune
    from xaso.planning import rotation_services as rs

    print(f"# Rotation in the product, on the demo — {datetime.now().astimezone():%Y-%m-%d %H:%M}")
    print(f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    print(f"demo loaded in {time.perf_counter() - started:.0f} s")

    leader = User.objects.get(username="leader.vinhloc")
    manager = User.objects.get(username="province.manager")
    commune = Commune.objects.get(code=20122)

    def show(label: str, seconds: float, summary: dict[str, object]) -> None:
        print(
            f"- {label}: {seconds:.2f} s wall; status {summary.get('status')}, gap {summary.get('gap')}, "
            f"duties met {summary.get('met')} of {summary.get('due')}"
        )

    walls = []
    for run in range(args.runs):
        t = time.perf_counter()
        plan = rs.rotation_plan_create(actor=leader, commune=commune, start_year=2027)
        walls.append(time.perf_counter() - t)
        show(f"Vinh Lộc plan, run {run + 1}", walls[-1], plan.summary)
    print(f"- Vinh Lộc plan: median {statistics.median(walls):.2f} s")

    t = time.perf_counter()
    added = rs.rotation_training_schedule(actor=leader, commune=commune, start_year=2027)
    print(f"- cross-training what-if: {time.perf_counter() - t:.2f} s wall, {added} items added")

    staffed = (
        Commune.objects.filter(province=commune.province, positions__assignments__ended_on__isnull=True)
        .distinct()
        .order_by("code")
    )
    communes = list(staffed)
    for count in (2, 6, 10):
        if len(communes) < count:
            print(f"- province plan over {count} communes: only {len(communes)} communes have officers")
            continue
        t = time.perf_counter()
        plan = rs.province_rotation_plan_create(
            actor=manager, province=commune.province, communes=communes[:count], start_year=2027
        )
        summary = dict(plan.summary)
        show(
            f"province plan over {count} communes ({summary.get('between_communes')} moves between communes)",
            time.perf_counter() - t,
            summary,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
