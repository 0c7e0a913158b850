"""Rotation planning: who moves where over a horizon of years, and why (CP-SAT).

Periodic transfer (Anti-Corruption Law 2018 Art. 24–25, Decree 59/2019/NĐ-CP) with fields,
periods and exemptions as configuration; every position stays staffed by people who meet its
minimums (or will after scheduled training); department limits per year; development of young
officers, succession for leadership posts, few moves between communes (see ``constraints``)::

    plan = solve(problem, seconds=60)
    plan.moves[0].reasons              # (Reason("periodic_transfer", {"years": 4, …}), …)
    plan.moves[0].explanation          # "periodic transfer: 4 years in …; fills the seat …"
    plan.objective, plan.bound, plan.gap
    again = solve(with_decisions(problem, locks=(Lock("o1", "p3", 2, "agreed"),)), hint=plan.plan)
    print(disclosure_text(problem, again))
"""

from __future__ import annotations

from xaso.planning.rotation.constraints import Duty, Evaluation, evaluate, transfer_duty
from xaso.planning.rotation.disclosure import Move, Reason, disclosure_text, reason_text
from xaso.planning.rotation.problem import (
    DEFAULT_EXEMPTIONS,
    Exemption,
    Forbid,
    Lock,
    Officer,
    Position,
    RotationConfig,
    RotationError,
    RotationProblem,
    RotationRule,
    RotationWeights,
    Training,
)
from xaso.planning.rotation.solver import (
    DutyOutcome,
    RotationPlan,
    commune_problem,
    solve,
    solve_apart,
    with_decisions,
)

__all__ = [
    "DEFAULT_EXEMPTIONS",
    "Duty",
    "DutyOutcome",
    "Evaluation",
    "Exemption",
    "Forbid",
    "Lock",
    "Move",
    "Officer",
    "Position",
    "Reason",
    "RotationConfig",
    "RotationError",
    "RotationPlan",
    "RotationProblem",
    "RotationRule",
    "RotationWeights",
    "Training",
    "commune_problem",
    "disclosure_text",
    "evaluate",
    "reason_text",
    "solve",
    "solve_apart",
    "transfer_duty",
    "with_decisions",
]
