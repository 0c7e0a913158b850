"""Rotation planning for a province: 2,000 officers, 600 positions, 3 years.

Generates the seeded province instance (``xaso.planning.rotation.demo_data``: 40 communes in a
ring of neighbours, 15 positions each), solves it with CP-SAT within the time limit and prints
the objective, the solver's proven bound, the gap, the named penalty terms and the time::

    .venv/bin/python benchmarks/planning_rotation.py [--seconds 60] [--seed 7] [--workers 1]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import os
import platform
import time
from collections import Counter
from datetime import datetime
from importlib import metadata

from xaso.planning.rotation import evaluate, solve
from xaso.planning.rotation.demo_data import generate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit (default 60)")
    parser.add_argument("--seed", type=int, default=7, help="instance seed (default 7)")
    parser.add_argument("--workers", type=int, default=1, help="CP-SAT workers (default 1)")
    parser.add_argument(
        "--gap", type=float, default=0.0, help="stop at this relative gap (default 0: run on)"
    )
    args = parser.parse_args()

    print(f"# Rotation benchmark — {datetime.now().astimezone():%Y-%m-%d %H:%M}")
    print(
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, ortools {metadata.version('ortools')}"
    )
    problem = generate(communes=40, officers=2000, positions=600, years=3, seed=args.seed)
    print(
        f"instance: {len(problem.officers)} officers, {len(problem.positions)} positions "
        f"({sum(p.headcount for p in problem.positions)} seats), {problem.years} years, seed {args.seed}"
    )
    started = time.perf_counter()
    plan = solve(problem, seconds=args.seconds, seed=0, workers=args.workers, relative_gap=args.gap)
    wall = time.perf_counter() - started
    assert not evaluate(problem, plan.plan).violations, "the plan breaks a rule"
    duties = Counter(d.duty.status for d in plan.duties)
    overdue = sum(1 for d in plan.duties if not d.met)
    print(f"\n## Plan (limit {args.seconds:g} s, {args.workers} worker{'s' if args.workers > 1 else ''})")
    print(f"- status {plan.status}; time {wall:.1f} s wall; {plan.variables:,} move variables")
    print(f"- objective {plan.objective}, proven bound {plan.bound}, gap {plan.gap:.3%}")
    print(f"- terms: {', '.join(f'{k} {v}' for k, v in sorted(plan.terms.items()))}")
    print(
        f"- {len(plan.moves)} moves ({sum(1 for m in plan.moves if 'inter_commune' in m.cost)} between communes); "
        f"transfer duties due in the horizon {duties['due']}, overdue {overdue}; "
        f"exempt {duties['exempt']}, retiring first {duties['retires']}"
    )
    print(f"- unfilled seat-years: {sum(plan.vacancies.values())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
