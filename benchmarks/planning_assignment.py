"""Work assignment for a whole province: 40 communes, 1,200 officers, 20,000 open dossiers.

Generates the seeded province instance (``xaso.planning.assignment.demo_data``), solves it
within the time limit, and prints the late dossiers, the proven lower bound on them and the
gap, the load figures, and the time; then takes the busiest officer of one department away
and times the re-plan of that department::

    .venv/bin/python benchmarks/planning_assignment.py [--seconds 28] [--seed 7]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import os
import platform
import time
from datetime import datetime
from importlib import metadata

from xaso.planning.assignment import evaluate, replan, solve
from xaso.planning.assignment.demo_data import generate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=28.0, help="solver time limit (default 28)")
    parser.add_argument("--seed", type=int, default=7, help="instance seed (default 7)")
    parser.add_argument("--communes", type=int, default=40)
    parser.add_argument("--officers", type=int, default=1200)
    parser.add_argument("--dossiers", type=int, default=20_000)
    args = parser.parse_args()

    print(f"# Work assignment benchmark — {datetime.now().astimezone():%Y-%m-%d %H:%M}")
    print(
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, ortools {metadata.version('ortools')}"
    )
    started = time.perf_counter()
    problem = generate(communes=args.communes, officers=args.officers, dossiers=args.dossiers, seed=args.seed)
    generated = time.perf_counter() - started
    print(
        f"instance: {args.communes} communes, {len(problem.officers)} officers, {len(problem.dossiers)} dossiers "
        f"(seed {args.seed}, generated in {generated:.2f} s)"
    )

    started = time.perf_counter()
    plan = solve(problem, seconds=args.seconds, seed=0)
    wall = time.perf_counter() - started
    b, load = plan.breakdown, plan.load
    assert evaluate(problem, plan.queues) == b, "the reference scorer disagrees"
    print(f"\n## Province plan (limit {args.seconds:g} s)")
    print(f"- time: {wall:.2f} s wall ({plan.iterations:,} local search moves)")
    print(f"- late dossiers: {b.late} of {len(problem.dossiers)} ({b.late / len(problem.dossiers):.2%})")
    print(
        f"- lower bound on late: {plan.lower_bound.total} "
        f"({len(plan.lower_bound.inevitable)} late whoever takes them); gap {plan.late_gap} "
        f"({plan.late_gap / max(1, b.late):.1%} of the late count)"
    )
    print(
        f"- unassigned (nobody qualified in the pool): {b.unassigned}; learner–mentor pairings: {b.mentored}"
    )
    print(
        f"- queue ends over {load.officers} officers: mean {load.mean_end_hours} h, stdev {load.stdev_end_hours} h, "
        f"min {load.min_end_hours} h, max {load.max_end_hours} h; planned work mean {load.mean_planned_hours} h, "
        f"max {load.max_planned_hours} h"
    )
    print(f"- score {plan.score}")

    commune, department = "c00", "economy"
    staff = [o for o in problem.officers if o.commune == commune and o.department == department]
    absent = max(staff, key=lambda o: len(plan.queues[o.id]))
    started = time.perf_counter()
    after = replan(problem, plan, absent={absent.id})
    took = time.perf_counter() - started
    print(f"\n## Re-plan of {commune}/{department} after {absent.id} is absent")
    print(f"- time: {took:.3f} s wall; {len(plan.queues[absent.id])} dossiers moved")
    print(f"- late dossiers: {b.late} → {after.breakdown.late}; lower bound {after.lower_bound.total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
