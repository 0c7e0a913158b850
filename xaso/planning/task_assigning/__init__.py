"""Task Assigning: give every task to one employee and order each employee's tasks.

The model is the public OptaPlanner/Timefold "task assigning" benchmark:

* a task's duration is its type's base duration times the employee's affinity multiplier
  for the task's customer (NONE 4, LOW 3, MEDIUM 2, HIGH 1);
* an employee works through its tasks in order, never starting one before its ready time;
* the score ``[hard]hard/[critical/balance/major/minor]soft`` is compared lexicographically.

``load_problem`` reads the benchmark JSON, ``score`` checks a solution, ``solve`` finds one::

    problem = load_problem("24tasks-8employees.json")
    result = solve(problem, seconds=1.0, seed=0)
    print(result.score)  # [0]hard/[...]soft
"""

from __future__ import annotations

from xaso.planning.task_assigning.problem import (
    Affinity,
    Customer,
    Employee,
    Priority,
    Problem,
    Skill,
    Task,
    TaskType,
    dump_problem,
    load_problem,
)
from xaso.planning.task_assigning.score import Assignment, Score, score
from xaso.planning.task_assigning.solver import SolveResult, solve

__all__ = [
    "Affinity",
    "Assignment",
    "Customer",
    "Employee",
    "Priority",
    "Problem",
    "Score",
    "Skill",
    "SolveResult",
    "Task",
    "TaskType",
    "dump_problem",
    "load_problem",
    "score",
    "solve",
]
