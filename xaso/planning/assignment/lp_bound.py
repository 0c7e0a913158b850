"""A proven lower bound on one component's late dossiers: the LP relaxation, solved by GLOP.

Which dossiers are on time is a set question once the order rule is fixed (earliest due first
on each officer; late dossiers go to the back and delay nobody).  A set of dossiers can all be
on time on officer o exactly when, for every one of them, the work of those due no later fits
before its due moment.  So, with ``x[o, j]`` = "dossier j is on time on officer o":

* each dossier is on time on at most one officer: Σ_o x[o, j] ≤ 1;
* for each officer, walking its eligible dossiers by due date, the running work
  ``s_k = s_(k-1) + work[o, k]·x[o, k]`` never exceeds the work the officer can do before
  dossier k is due (``0 ≤ s_k ≤ deadline[o, k]``);
* maximise Σ x.

Dossiers left out are late and go to the back of some eligible queue.  ``lp_late_bound``
solves the linear relaxation (0 ≤ x ≤ 1) with GLOP in milliseconds: jobs − ⌊LP⌋ is a proven
lower bound on the component's late dossiers, usually much tighter than the pooled-capacity
relaxation of ``bounds`` because each officer keeps its own capacity and eligibility.

(The integer model given to CP-SAT with the local search's plan as a hint was tried as well:
in the time a province-wide run can give each component it found no fewer late dossiers than
the local search, so the product uses the LP for the bound only.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ortools.linear_solver import pywraplp

if TYPE_CHECKING:
    from xaso.planning.assignment.solver import _Search


def lp_late_bound(search: _Search, officers: Sequence[int]) -> int:
    """Jobs − ⌊LP optimum⌋ of the model above for the component's dossiers (0 if GLOP fails)."""
    model = search.model
    jobs = sorted({j for o in officers for j in search.seq[o]}, key=model.rank.__getitem__)
    if not jobs:
        return 0
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:
        return 0
    objective = lp.Objective()
    per_officer: dict[int, list[tuple[int, object]]] = {o: [] for o in officers}
    for j in jobs:
        once = lp.Constraint(0, 1)  # on time on at most one officer
        for o in model.allowed[j]:
            if model.P[o][j] <= model.DL[o][j]:  # otherwise never on time there
                x = lp.NumVar(0, 1, "")
                once.SetCoefficient(x, 1)
                objective.SetCoefficient(x, 1)
                per_officer[o].append((j, x))
    objective.SetMaximization()
    for o, items in per_officer.items():
        previous = None
        for j, x in items:  # due order
            running = lp.NumVar(0, model.DL[o][j], "")
            step = lp.Constraint(0, 0)  # running = previous + work·x
            step.SetCoefficient(running, 1)
            step.SetCoefficient(x, -model.P[o][j])
            if previous is not None:
                step.SetCoefficient(previous, -1)
            previous = running
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return 0
    return max(0, len(jobs) - int(objective.Value() + 1e-6))
