"""Work assignment: open dossiers → ordered work queues of officers, each choice explained.

Hard rules: the required competency and level for the dossier's field (or a learner paired
with a mentor who has it, only where there is slack), leave and working hours, and the
department or shared pool the dossier may go to.  Then, in order: fewest late dossiers,
balanced load, better fit and familiarity, development (see ``constraints``)::

    problem = Problem(officers, dossiers)
    plan = solve(problem, seconds=5, seed=0)
    plan.queues["o1"]                      # ordered dossier ids
    plan.assignments["d7"].terms           # (Term("qualification", {"level": 4, ...}), ...)
    plan.assignments["d7"].explanation     # "qualified level 4 in civil_status (needs 3); ..."
    plan.unassigned["d9"].text             # why nobody may take d9, in English
    plan.breakdown.late, plan.lower_bound.total, plan.late_gap
    after = replan(problem, plan, absent={"o1"})   # only o1's dossiers move
"""

from __future__ import annotations

from xaso.planning.assignment.bounds import LateBound, problem_late_lower_bound
from xaso.planning.assignment.constraints import Breakdown, Kind, Score, evaluate
from xaso.planning.assignment.explain import PlannedDossier, RunnerUp, Term, office_clock, term_text
from xaso.planning.assignment.problem import AssignmentConfig, Dossier, Officer, Problem, ProblemError
from xaso.planning.assignment.solver import AssignmentPlan, LoadStats, replan, solve

__all__ = [
    "AssignmentConfig",
    "AssignmentPlan",
    "Breakdown",
    "Dossier",
    "Kind",
    "LateBound",
    "LoadStats",
    "Officer",
    "PlannedDossier",
    "Problem",
    "ProblemError",
    "RunnerUp",
    "Score",
    "Term",
    "evaluate",
    "office_clock",
    "problem_late_lower_bound",
    "replan",
    "solve",
    "term_text",
]
