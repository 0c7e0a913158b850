"""Command line: plan rotations for a generated instance and print the disclosure document.

    python -m xaso.planning.rotation                      # the demo commune, 3 years
    python -m xaso.planning.rotation --communes 40 --officers 2000 --positions 600 --seconds 60

Prints the objective, the proven bound and the gap, then (unless ``--quiet``) the plan as the
internal disclosure document.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from xaso.planning.rotation.demo_data import generate
from xaso.planning.rotation.disclosure import disclosure_text
from xaso.planning.rotation.solver import solve


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m xaso.planning.rotation", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--communes", type=int, default=1)
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--positions", type=int, default=15)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=6, help="instance and search seed (default 6)")
    parser.add_argument(
        "--share", type=float, default=0.34, help="share of a department that may move a year"
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit (default 10)")
    parser.add_argument("--workers", type=int, default=1, help="CP-SAT workers (default 1)")
    parser.add_argument("--quiet", action="store_true", help="only the summary line")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    problem = generate(
        communes=args.communes,
        officers=args.officers,
        positions=args.positions,
        years=args.years,
        seed=args.seed,
        max_move_share=args.share,
    )
    plan = solve(problem, seconds=args.seconds, seed=args.seed, workers=args.workers)
    if not args.quiet:
        print(disclosure_text(problem, plan))
    print(
        f"{plan.status}: objective {plan.objective}, bound {plan.bound}, gap {plan.gap:.2%}, "
        f"{len(plan.moves)} moves, {plan.variables} move variables, {plan.seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
