"""Pure scoring rules: Decree 335/2025/NĐ-CP task results and grades, work-record levels and
self-test levels. No database here; the figures come from ``EvaluationPolicy`` and the data files.

Decree 335 (from 1 January 2026, for civil servants): 100 points = 30 for general criteria
(entered by the manager) + 70 for task results. Task results compare completed with
assigned work by quantity, quality and timeliness; each late or faulty item loses a share
of its points (25% each by default). Grades: ≥ 90 excellent, 70–89 good, 50–69 completed,
< 50 not completed; "excellent" may not exceed 20% of those graded "good" (that detail is
unverified, so it is a flag for the commune, not a block).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from xaso.workforce.models import EvaluationPolicy, Grade
from xaso.workforce.worklog import WorkItem

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Policy:
    task_points: Decimal = Decimal(70)
    general_points: Decimal = Decimal(30)
    late_penalty: Decimal = Decimal("0.25")
    fault_penalty: Decimal = Decimal("0.25")
    excellent_min: Decimal = Decimal(90)
    good_min: Decimal = Decimal(70)
    completed_min: Decimal = Decimal(50)
    excellent_share_of_good: Decimal = Decimal("0.20")

    @classmethod
    def of(cls, row: EvaluationPolicy | None) -> Policy:
        if row is None:
            return cls()
        return cls(
            task_points=Decimal(row.task_points),
            general_points=Decimal(row.general_points),
            late_penalty=Decimal(row.late_penalty),
            fault_penalty=Decimal(row.fault_penalty),
            excellent_min=Decimal(row.excellent_min),
            good_min=Decimal(row.good_min),
            completed_min=Decimal(row.completed_min),
            excellent_share_of_good=Decimal(row.excellent_share_of_good),
        )


@dataclass(frozen=True)
class TaskResult:
    assigned: int
    completed: int
    late: int
    faulty: int
    points: Decimal | None  # None: no work on record, the manager enters the points


def task_result(items: Iterable[WorkItem], policy: Policy) -> TaskResult:
    """Each assigned item is worth ``task_points / assigned``; an item not completed earns
    nothing; a completed one loses ``late_penalty`` of its worth when late and
    ``fault_penalty`` when faulty (both: both shares), never below zero."""
    assigned = completed = late = faulty = 0
    earned = Decimal(0)
    for item in items:
        assigned += 1
        late += item.late
        faulty += item.faulty
        if not item.completed:
            continue
        completed += 1
        share = Decimal(1)
        if item.late:
            share -= policy.late_penalty
        if item.faulty:
            share -= policy.fault_penalty
        earned += max(share, Decimal(0))
    if not assigned:
        return TaskResult(0, 0, 0, 0, None)
    points = (policy.task_points * earned / assigned).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return TaskResult(assigned, completed, late, faulty, points)


def grade_for(total: Decimal, policy: Policy) -> str:
    if total >= policy.excellent_min:
        return Grade.EXCELLENT
    if total >= policy.good_min:
        return Grade.GOOD
    if total >= policy.completed_min:
        return Grade.COMPLETED
    return Grade.NOT_COMPLETED


def excellent_limit(good: int, policy: Policy) -> int:
    """How many "excellent" grades the rule allows next to ``good`` "good" ones."""
    return math.floor(Decimal(good) * policy.excellent_share_of_good)


# --- work records → level -----------------------------------------------------------------------


@dataclass(frozen=True)
class RecordStats:
    items: int
    on_time: float
    faults: float

    def as_data(self) -> dict[str, Any]:
        return {"items": self.items, "on_time": round(self.on_time, 3), "faults": round(self.faults, 3)}


def record_stats(items: Sequence[WorkItem]) -> RecordStats:
    n = len(items)
    if not n:
        return RecordStats(0, 0.0, 0.0)
    on_time = sum(1 for i in items if i.completed and not i.late) / n
    faults = sum(1 for i in items if i.faulty) / n
    return RecordStats(n, on_time, faults)


def record_level(stats: RecordStats, thresholds: Sequence[dict[str, Any]]) -> int:
    """The highest level whose every condition the record meets (0: too little to say)."""
    level = 0
    for row in sorted(thresholds, key=lambda r: r["level"]):
        if (
            stats.items >= row["min_items"]
            and stats.on_time >= row["min_on_time"]
            and stats.faults <= row["max_faults"]
        ):
            level = row["level"]
    return level


# --- self-tests → level ----------------------------------------------------------------------------


def selftest_level(results: Sequence[tuple[int, bool]], pass_share: float) -> int:
    """Self-test level from (question level, answered right) pairs: climbing the question
    levels from the lowest, the officer reaches each level at which at least ``pass_share``
    of the answers are right; the first level missed stops the climb. Missing the lowest
    level gives the level below it."""
    by_level: dict[int, list[bool]] = {}
    for level, right in results:
        by_level.setdefault(level, []).append(right)
    if not by_level:
        return 0
    reached = min(by_level) - 1
    for level in sorted(by_level):
        answers = by_level[level]
        if sum(answers) / len(answers) + 1e-9 >= pass_share:
            reached = level
        else:
            break
    return max(reached, 0)
