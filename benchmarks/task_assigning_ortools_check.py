"""Check how far from optimal a Task Assigning solution is, with OR-Tools CP-SAT (optional).

    python benchmarks/task_assigning_ortools_check.py FILE.json [--seconds 60] [--known S0 ...]

Only for data sets without positive ready times, where the best order of each employee's
tasks is known (CRITICAL, MAJOR, MINOR, each shortest first; see ``solver``), so a solution
is an assignment.  The levels are optimised one after the other, each fixed at its optimum
before the next:

* soft0 comes from the exact assignment method (``matching.min_total_completion``);
* soft1..soft3 from a CP-SAT model: x[t, e] says task t goes to employee e (only employees
  lacking the fewest skills, which is what the hard level forces); a task's end time is its
  own duration plus those of the tasks of its employee ordered before it, written with one
  boolean per ordered pair; soft1 squares each employee's total.

Prints, per level, the status (OPTIMAL means proven) and the value.  Stops at the first
level not proven within ``--seconds``.  ``--known`` fixes leading levels to given values.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ortools.sat.python import cp_model

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xaso.planning.task_assigning import Priority, load_problem
from xaso.planning.task_assigning.matching import min_total_completion

_CLASS = {Priority.CRITICAL: 0, Priority.MAJOR: 1, Priority.MINOR: 2}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lexicographic optimum of a Task Assigning set (CP-SAT).")
    parser.add_argument("file", type=Path)
    parser.add_argument("--seconds", type=float, default=60.0, help="CP-SAT time per level")
    parser.add_argument("--known", type=int, nargs="*", default=[], help="optimal soft0.. values to fix")
    args = parser.parse_args(argv)
    problem = load_problem(args.file)
    if any(task.ready_time > 0 for task in problem.tasks):
        print("ready times present: the order is free, this check does not apply", file=sys.stderr)
        return 2
    tasks, staff = problem.tasks, problem.employees
    n, m = len(tasks), len(staff)
    dur = [[e.duration(t) for t in tasks] for e in staff]
    miss = [[e.missing_skills(t) for t in tasks] for e in staff]
    allowed = [[e for e in range(m) if miss[e][t] == min(miss[f][t] for f in range(m))] for t in range(n)]
    cls = [_CLASS[t.priority] for t in tasks]
    hard = -sum(min(miss[e][t] for e in range(m)) for t in range(n))

    critical = [t for t in range(n) if cls[t] == 0]
    lists = min_total_completion(critical, allowed, dur, m)
    soft0 = -sum(sum(dur[e][t] for t in seq[: i + 1]) for e, seq in enumerate(lists) for i in range(len(seq)))
    print(f"hard0 {hard} (optimal by construction); soft0 {soft0} OPTIMAL (assignment method)")

    model = cp_model.CpModel()
    x = {(t, e): model.new_bool_var(f"x{t}_{e}") for t in range(n) for e in allowed[t]}
    for t in range(n):
        model.add_exactly_one(x[t, e] for e in allowed[t])
    level_terms: list[list[Any]] = [[], [], []]
    for e in range(m):
        mine = [t for t in range(n) if (t, e) in x]

        def key(t: int, e: int = e) -> tuple[int, int, int]:
            return (cls[t], dur[e][t], t)

        for j in mine:
            level_terms[cls[j]].append(dur[e][j] * x[j, e])
            for i in mine:
                if key(i) < key(j):
                    both = model.new_bool_var("")
                    model.add_bool_and([x[i, e], x[j, e]]).only_enforce_if(both)
                    model.add_bool_or([x[i, e].Not(), x[j, e].Not()]).only_enforce_if(both.Not())
                    level_terms[cls[j]].append(dur[e][i] * both)
    horizon = sum(max(dur[e][t] for e in allowed[t]) for t in range(n))
    squares = []
    for e in range(m):
        total = model.new_int_var(0, horizon, f"T{e}")
        model.add(total == sum(dur[e][t] * x[t, e] for t in range(n) if (t, e) in x))
        square = model.new_int_var(0, horizon * horizon, f"T{e}^2")
        model.add_multiplication_equality(square, [total, total])
        squares.append(square)
    objectives = [sum(level_terms[0]), sum(squares), sum(level_terms[1]), sum(level_terms[2])]
    model.add(objectives[0] == -soft0)
    for level, value in enumerate(args.known[1:], start=1):
        model.add(objectives[level] == -value)
    for level in range(max(1, len(args.known)), 4):
        model.minimize(objectives[level])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = args.seconds
        solver.parameters.num_workers = 2
        status = solver.solve(model)
        name = solver.status_name(status)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            print(f"soft{level}: {name}")
            return 1
        value = round(solver.objective_value)
        bound = round(solver.best_objective_bound)
        print(f"soft{level} {-value} {name} (bound {-bound}, {solver.wall_time:.1f}s)")
        if status != cp_model.OPTIMAL:
            return 1
        model.add(objectives[level] == value)
    return 0


if __name__ == "__main__":
    sys.exit(main())
