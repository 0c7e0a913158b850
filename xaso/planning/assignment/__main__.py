"""Command line: solve a generated instance and show one department's queues with reasons.

    python -m xaso.planning.assignment --communes 1 --officers 15 --dossiers 120 --seconds 2
    python -m xaso.planning.assignment --show c00/economy --absent c00-o10

Prints the score, the lower bound on late dossiers and its gap, the load figures, then the
queues of the department given by ``--show`` (commune/department), each dossier with its
explanation.  ``--absent`` re-plans after taking officers away and prints the same again.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from xaso.planning.assignment.demo_data import generate
from xaso.planning.assignment.explain import office_clock
from xaso.planning.assignment.problem import Problem
from xaso.planning.assignment.solver import AssignmentPlan, replan, solve


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m xaso.planning.assignment", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--communes", type=int, default=1)
    parser.add_argument("--officers", type=int, default=15)
    parser.add_argument("--dossiers", type=int, default=120)
    parser.add_argument("--seed", type=int, default=1, help="instance and search seed (default 1)")
    parser.add_argument("--seconds", type=float, default=2.0, help="time limit (default 2)")
    parser.add_argument(
        "--show", default="c00/economy", help="commune/department to print (default c00/economy)"
    )
    parser.add_argument("--absent", nargs="*", default=[], help="officer ids to take away and re-plan")
    return parser


def summary(plan: AssignmentPlan) -> str:
    b, load = plan.breakdown, plan.load
    return (
        f"score {plan.score}; late {b.late}, lower bound {plan.lower_bound.total}, gap {plan.late_gap}; "
        f"unassigned {b.unassigned}; mentored {b.mentored}; queue ends mean {load.mean_end_hours} h, "
        f"stdev {load.stdev_end_hours} h, max {load.max_end_hours} h; {plan.seconds:.2f} s"
    )


def show(problem: Problem, plan: AssignmentPlan, place: str) -> list[str]:
    commune, _, department = place.partition("/")
    lines = []
    for officer in problem.officers:
        if officer.commune != commune or officer.department != department:
            continue
        state = " (absent)" if officer.id in problem.absent else ""
        lines.append(f"{officer.label}{state}:")
        for dossier_id in plan.queues[officer.id]:
            item = plan.assignments[dossier_id]
            lines.append(f"  {dossier_id}: {item.explanation}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    problem = generate(communes=args.communes, officers=args.officers, dossiers=args.dossiers, seed=args.seed)
    clock = office_clock(weekday=0)
    plan = solve(problem, seconds=args.seconds, seed=args.seed, clock=clock)
    print(summary(plan))
    print("\n".join(show(problem, plan, args.show)))
    if args.absent:
        after = replan(problem, plan, absent=args.absent, seed=args.seed, clock=clock)
        print(f"\nafter {', '.join(args.absent)} left: {summary(after)}")
        print("\n".join(show(problem.with_absent(args.absent), after, args.show)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
