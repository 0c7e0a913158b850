"""The reference scorer: one function per constraint, compared lexicographically.

This module is the definition the solver is checked against, so it favours clarity over
speed; the solver keeps its own incremental bookkeeping and tests compare the two.

Timing: an employee works through its list in order.  The first task starts at
``max(readyTime, 0)``, each later one at ``max(readyTime, end of the previous task)``; a task
ends ``duration`` later, where duration = base duration × affinity multiplier.  An
employee's end time is the end of its last task, or 0 without tasks.

Score ``[hard0]hard/[soft0/soft1/soft2/soft3]soft`` (every level ≤ 0, higher is better):

* hard0 — required skills the assigned employee lacks (``missing_skills``);
* soft0 — end times of CRITICAL tasks (``critical_end_times``);
* soft1 — squared employee end times (``employee_end_times_squared``);
* soft2 — end times of MAJOR tasks (``major_end_times``);
* soft3 — end times of MINOR tasks (``minor_end_times``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from xaso.planning.task_assigning.problem import Employee, Priority, Problem, Task

Assignment = Mapping[str, Sequence[str]]
"""A solution: employee ``@id`` → that employee's ordered task ``@id`` list."""

_SCORE_RE = re.compile(r"^\[(-?\d+)\]hard/\[(-?\d+)/(-?\d+)/(-?\d+)/(-?\d+)\]soft$")


@dataclass(frozen=True, order=True)
class Score:
    """One hard and four soft levels; ``order=True`` compares them lexicographically."""

    hard: int
    soft: tuple[int, int, int, int]

    @property
    def is_feasible(self) -> bool:
        return self.hard >= 0

    def __str__(self) -> str:
        return f"[{self.hard}]hard/[{'/'.join(str(level) for level in self.soft)}]soft"

    @classmethod
    def parse(cls, text: str) -> Score:
        """Read ``[h]hard/[s0/s1/s2/s3]soft`` back."""
        match = _SCORE_RE.match(text.strip())
        if match is None:
            raise ValueError(f"not a task assigning score: {text!r}")
        h, s0, s1, s2, s3 = (int(group) for group in match.groups())
        return cls(h, (s0, s1, s2, s3))


@dataclass(frozen=True)
class ScheduledTask:
    """A task placed in an employee's list, with its computed start and end."""

    task: Task
    employee: Employee
    start: int
    end: int


Timeline = Mapping[str, Sequence[ScheduledTask]]
"""Employee ``@id`` → its scheduled tasks in order (every employee present, maybe empty)."""


def build_timeline(problem: Problem, assignment: Assignment) -> dict[str, list[ScheduledTask]]:
    """Compute start and end times; reject unknown ids and tasks assigned zero or several times."""
    unknown = set(assignment) - set(problem.employee_by_id)
    if unknown:
        raise ValueError(f"unknown employees: {sorted(unknown)}")
    seen: set[str] = set()
    timeline: dict[str, list[ScheduledTask]] = {}
    for employee in problem.employees:
        previous_end = 0
        row: list[ScheduledTask] = []
        for task_id in assignment.get(employee.id, ()):
            task = problem.task_by_id.get(task_id)
            if task is None:
                raise ValueError(f"unknown task {task_id!r}")
            if task_id in seen:
                raise ValueError(f"task {task_id!r} is assigned more than once")
            seen.add(task_id)
            start = max(task.ready_time, previous_end)
            previous_end = start + employee.duration(task)
            row.append(ScheduledTask(task, employee, start, previous_end))
        timeline[employee.id] = row
    missing = [task.id for task in problem.tasks if task.id not in seen]
    if missing:
        raise ValueError(f"{len(missing)} unassigned tasks, e.g. {missing[0]!r}")
    return timeline


def employee_end_time(row: Sequence[ScheduledTask]) -> int:
    """End of the employee's last task, 0 for an employee without tasks."""
    return row[-1].end if row else 0


def missing_skills(timeline: Timeline) -> int:
    """hard0: minus one for every required skill of a task that its employee lacks."""
    return -sum(item.employee.missing_skills(item.task) for row in timeline.values() for item in row)


def _end_times_of(timeline: Timeline, priority: Priority) -> int:
    return -sum(item.end for row in timeline.values() for item in row if item.task.priority is priority)


def critical_end_times(timeline: Timeline) -> int:
    """soft0: minus the sum of the end times of CRITICAL tasks (finish them early)."""
    return _end_times_of(timeline, Priority.CRITICAL)


def employee_end_times_squared(timeline: Timeline) -> int:
    """soft1: minus the sum over employees of their end time squared (balance the load)."""
    return -sum(employee_end_time(row) ** 2 for row in timeline.values())


def major_end_times(timeline: Timeline) -> int:
    """soft2: minus the sum of the end times of MAJOR tasks."""
    return _end_times_of(timeline, Priority.MAJOR)


def minor_end_times(timeline: Timeline) -> int:
    """soft3: minus the sum of the end times of MINOR tasks."""
    return _end_times_of(timeline, Priority.MINOR)


def score(problem: Problem, assignment: Assignment) -> Score:
    """Score a complete solution exactly as the benchmark defines it."""
    timeline = build_timeline(problem, assignment)
    return Score(
        missing_skills(timeline),
        (
            critical_end_times(timeline),
            employee_end_times_squared(timeline),
            major_end_times(timeline),
            minor_end_times(timeline),
        ),
    )
