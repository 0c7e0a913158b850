"""Command line: ``python -m xaso.planning.task_assigning FILE.json --seconds N [--seed S] [--out OUT.json]``.

Progress goes to stderr; the last line on stdout is the score ``[h]hard/[s0/s1/s2/s3]soft``.
``--out`` writes ``{employee @id: [task @id, ...]}``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from xaso.planning.task_assigning.problem import ProblemFormatError, load_problem
from xaso.planning.task_assigning.solver import Progress, solve


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m xaso.planning.task_assigning",
        description="Solve a Task Assigning data set (OptaPlanner/Timefold JSON format).",
    )
    parser.add_argument("file", type=Path, help="the data set, e.g. 24tasks-8employees.json")
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--iterations", type=int, default=None, help="also stop after this many local search moves"
    )
    parser.add_argument("--out", type=Path, default=None, help="write the solution as JSON here")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.seconds < 0:
        print("--seconds must not be negative", file=sys.stderr)
        return 2
    try:
        problem = load_problem(args.file)
    except (OSError, ValueError) as error:  # ProblemFormatError and JSON errors are ValueErrors
        kind = "invalid data set" if isinstance(error, (ProblemFormatError, ValueError)) else "cannot read"
        print(f"{kind}: {error}", file=sys.stderr)
        return 2

    def progress(event: Progress) -> None:
        if not args.quiet:
            print(
                f"{event.seconds:8.3f}s {event.iterations:>10} moves  {event.phase:<12} {event.score}",
                file=sys.stderr,
            )

    print(
        f"{args.file.name}: {len(problem.tasks)} tasks, {len(problem.employees)} employees",
        file=sys.stderr,
    )
    result = solve(
        problem,
        seconds=args.seconds,
        seed=args.seed,
        max_iterations=args.iterations,
        on_progress=progress,
    )
    if args.out is not None:
        args.out.write_text(json.dumps(result.assignment, indent=2) + "\n", encoding="utf-8")
    print(
        f"{result.iterations} moves in {result.seconds:.2f}s "
        f"({result.iterations / max(result.seconds, 1e-9):,.0f}/s)",
        file=sys.stderr,
    )
    print(result.score)
    return 0


if __name__ == "__main__":
    sys.exit(main())
