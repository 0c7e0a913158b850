"""Timefold Solver (``pip install timefold``, needs Java 17+) on the Task Assigning model.

Benchmark-only: the product never imports Timefold.  Run one data set::

    python benchmarks/task_assigning_timefold.py FILE.json --seconds 10

It prints progress to stderr and the best score ``[h]hard/[s0/s1/s2/s3]soft`` as the last
stdout line, like ``python -m xaso.planning.task_assigning``.

The model: a ``PlanningListVariable`` of tasks per employee and one constraint per score
level, each matching an employee and re-timing its list.  (The reference example keeps end
times in a ``CascadingUpdateShadowVariable``; with timefold 1.24.0b0 from Python that fails
with "NullPointerException ... $methodholder$update_end is null", so this model computes
the times in the constraints instead; the score is the same.)  Timefold's default phases
run: construction heuristic, then late acceptance.  The score is re-checked with our
reference scorer.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from timefold.solver import SolverFactory
from timefold.solver.config import Duration, ScoreDirectorFactoryConfig, SolverConfig, TerminationConfig
from timefold.solver.domain import (
    PlanningEntityCollectionProperty,
    PlanningId,
    PlanningListVariable,
    PlanningScore,
    ProblemFactCollectionProperty,
    ValueRangeProvider,
    planning_entity,
    planning_solution,
)
from timefold.solver.score import BendableScore, ConstraintFactory, constraint_provider

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xaso.planning.task_assigning import Priority, load_problem, score

_CRITICAL, _MAJOR, _MINOR = 0, 1, 2
_PRIORITY = {Priority.CRITICAL: _CRITICAL, Priority.MAJOR: _MAJOR, Priority.MINOR: _MINOR}


@dataclass
class TfTask:
    id: Annotated[str, PlanningId]
    ready_time: int
    priority: int
    durations: list[int]  # by employee index
    missing: list[int]  # missing skills by employee index


@planning_entity
@dataclass
class TfEmployee:
    id: Annotated[str, PlanningId]
    index: int
    tasks: Annotated[list[TfTask], PlanningListVariable] = field(default_factory=list)

    def missing_skills(self) -> int:
        return sum(task.missing[self.index] for task in self.tasks)

    def end_times_of(self, priority: int) -> int:
        end = 0
        total = 0
        for task in self.tasks:
            end = max(end, task.ready_time) + task.durations[self.index]
            if task.priority == priority:
                total += end
        return total

    def end_time_squared(self) -> int:
        end = 0
        for task in self.tasks:
            end = max(end, task.ready_time) + task.durations[self.index]
        return end * end


@planning_solution
@dataclass
class TfSchedule:
    employees: Annotated[list[TfEmployee], PlanningEntityCollectionProperty]
    tasks: Annotated[list[TfTask], ProblemFactCollectionProperty, ValueRangeProvider]
    score: Annotated[
        BendableScore | None, PlanningScore(bendable_hard_levels_size=1, bendable_soft_levels_size=4)
    ] = None


def _soft(level: int) -> BendableScore:
    return BendableScore.of_soft(1, 4, level, 1)


@constraint_provider  # type: ignore[untyped-decorator,unused-ignore]  # timefold is optional here
def task_assigning_constraints(factory: ConstraintFactory) -> list[Any]:
    # One match per employee: its whole list is re-timed when it changes (end times depend
    # on every earlier task), which is what shadow variables would do too.
    return [
        factory.for_each(TfEmployee)
        .penalize(BendableScore.of_hard(1, 4, 0, 1), lambda employee: employee.missing_skills())
        .as_constraint("missing skills"),
        factory.for_each(TfEmployee)
        .penalize(_soft(0), lambda employee: employee.end_times_of(0))
        .as_constraint("critical end times"),
        factory.for_each(TfEmployee)
        .penalize(_soft(1), lambda employee: employee.end_time_squared())
        .as_constraint("employee end times squared"),
        factory.for_each(TfEmployee)
        .penalize(_soft(2), lambda employee: employee.end_times_of(1))
        .as_constraint("major end times"),
        factory.for_each(TfEmployee)
        .penalize(_soft(3), lambda employee: employee.end_times_of(2))
        .as_constraint("minor end times"),
    ]


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("file", type=Path)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    problem = load_problem(args.file)
    employees = [TfEmployee(e.id, i) for i, e in enumerate(problem.employees)]
    tasks = [
        TfTask(
            t.id,
            t.ready_time,
            _PRIORITY[t.priority],
            [e.duration(t) for e in problem.employees],
            [e.missing_skills(t) for e in problem.employees],
        )
        for t in problem.tasks
    ]
    config = SolverConfig(
        solution_class=TfSchedule,
        entity_class_list=[TfEmployee],
        score_director_factory_config=ScoreDirectorFactoryConfig(
            constraint_provider_function=task_assigning_constraints
        ),
        termination_config=TerminationConfig(spent_limit=Duration(milliseconds=round(args.seconds * 1000))),
    )
    started = time.perf_counter()
    solver = SolverFactory.create(config).build_solver()
    built = time.perf_counter()
    solution = solver.solve(TfSchedule(employees, tasks))
    solved = time.perf_counter()
    assignment = {e.id: [t.id for t in e.tasks] for e in solution.employees}
    try:
        checked = str(score(problem, assignment))
    except ValueError as error:  # Timefold stopped before assigning every task
        checked = f"incomplete ({error})"
    print(
        f"timefold: build {built - started:.1f}s, solve {solved - built:.2f}s, "
        f"timefold score {solution.score}, re-checked {checked}",
        file=sys.stderr,
    )
    print(checked)
    return 0


if __name__ == "__main__":
    sys.exit(main())
