"""Configuration of the workforce rules, with the defaults Xã Số ships.

A deployment overrides any of these in its settings with ``XASO_WORKFORCE = {"name": value}``
(for instance ``{"self_only_cap": 1}``). The evaluation figures (points, penalties, grade
thresholds, the excellent-to-good share) are per province, in ``EvaluationPolicy`` rows that
the province edits in the administration; ``work_records.json`` holds the work-record
thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings

from xaso.workforce.models import EvidenceKind


@dataclass(frozen=True)
class WorkforceConfig:
    # How long each kind of evidence counts, in days after its date.
    validity_days: dict[str, int] = field(
        default_factory=lambda: {
            EvidenceKind.SELF: 365,
            EvidenceKind.MANAGER: 730,
            EvidenceKind.TEST: 730,
            EvidenceKind.TRAINING: 1095,
            EvidenceKind.WORK: 190,  # recomputed each quarter; counts for two quarters
        }
    )
    # The highest level a self-assessment alone can give (see ``levels``).
    self_only_cap: int = 2
    # Self-tests: questions drawn per attempt, the share right at a level to reach it, and
    # how many days before the same competency can be tested again.
    test_questions: int = 6
    test_pass_share: float = 2 / 3
    test_retry_days: int = 1
    # Recommendations: extra urgency for an essential requirement, and for a competency the
    # whole commune lacks (no officer at its ``key_level``).
    urgency_essential: int = 2
    urgency_commune_lacks: int = 3
    # Training plans: the default budget per officer of the commune and year (VND).
    plan_budget_per_officer_vnd: int = 1_500_000


def workforce_config() -> WorkforceConfig:
    overrides: dict[str, Any] = getattr(settings, "XASO_WORKFORCE", {}) or {}
    return replace(WorkforceConfig(), **overrides)
