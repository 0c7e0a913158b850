"""The work assignment problem: officers, open dossiers and the rules' settings, as dataclasses.

Time is counted on one office clock shared by everybody: ``0`` is now, and a working day is
``AssignmentConfig.day_hours`` (8) office hours long, so "due in 10 working hours" is the same
moment for every officer.  What differs between officers is how much of that clock they work:
``hours_per_day`` (part-time officers work the first hours of each day) and ``leave_days``
(indexes of working days, 0 = today, within the horizon).  After the horizon everybody is
assumed to work their normal hours.

Internally every duration and moment is a whole number of minutes (``minutes``), so scores
are exact integers; the dataclasses take hours because that is what people enter.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property


class ProblemError(ValueError):
    """The problem data are inconsistent (duplicate ids, negative hours, unknown mentor, ...)."""


def minutes(hours: float) -> int:
    """Hours → whole minutes (rounded to the nearest minute)."""
    return round(hours * 60)


@dataclass(frozen=True)
class Officer:
    """A civil servant who can receive dossiers.

    ``levels`` maps a field (e.g. ``"civil_status"``) to a competency level (1 = novice … 5 =
    expert).  ``learning`` maps a field the officer is training in to the id of a mentor; a
    learner may take a dossier of that field below the required level when the mentor has the
    level and the dossier still finishes on time.  ``pools`` are shared pools the officer
    serves besides the department (e.g. ``"service_center"`` for seconded staff).
    """

    id: str
    commune: str
    department: str
    levels: Mapping[str, int] = field(default_factory=dict, hash=False, compare=False)
    hours_per_day: float = 8.0
    leave_days: frozenset[int] = frozenset()
    queue_hours: float = 0.0
    """Work already in the officer's queue outside this plan; it is done first."""
    learning: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    recent_fields: frozenset[str] = frozenset()
    """Fields of the officer's recent work (familiarity)."""
    pools: frozenset[str] = frozenset()
    name: str = ""

    def level(self, field_code: str) -> int:
        return self.levels.get(field_code, 0)

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Dossier:
    """An open dossier waiting to be (re)assigned.

    ``due_hours`` is the due moment in working hours from now (negative: already overdue).
    ``pool`` is the department code or shared pool that may handle it.  ``assignee`` is the
    current officer, if any; with ``pinned`` the solver must keep that officer (an override by
    a department head), and ``pin_reason`` / ``pinned_by`` are kept for the explanation.
    ``home`` is, for a dossier of a shared pool, the department that holds it: its officers take
    it as their own work, so the explanation names the pool only for officers of other
    departments (the rules do not read it — its officers must serve the pool to be eligible).
    """

    id: str
    commune: str
    field: str
    required_level: int
    hours: float
    due_hours: float
    pool: str
    assignee: str | None = None
    pinned: bool = False
    pin_reason: str = ""
    pinned_by: str = ""
    title: str = ""
    home: str = ""


@dataclass(frozen=True)
class AssignmentConfig:
    """Settings of the rules and the weights of the soft terms (all documented in constraints)."""

    day_hours: float = 8.0
    """Length of one working day on the office clock."""
    horizon_days: int = 10
    """Working days covered by ``Officer.leave_days``."""
    learner_factor: float = 1.5
    """A learner needs this many times the estimated hours."""
    fit_level_cap: int = 2
    """Levels above the requirement count for fit up to this many."""
    fit_minutes_per_point: int = 30
    """One point of fit (a level above the requirement, or recent work in the field) is worth
    letting the receiving officer's queue end this many minutes later."""
    development_minutes: int = 60
    """A learner paired with a mentor is worth letting the learner's queue end this much later."""

    def __post_init__(self) -> None:
        if self.day_hours <= 0 or self.horizon_days < 0 or self.learner_factor < 1:
            raise ProblemError("day_hours must be > 0, horizon_days ≥ 0 and learner_factor ≥ 1")
        if self.fit_level_cap < 0 or self.fit_minutes_per_point < 0 or self.development_minutes < 0:
            raise ProblemError("fit and development weights must not be negative")


@dataclass(frozen=True)
class Problem:
    officers: tuple[Officer, ...]
    dossiers: tuple[Dossier, ...]
    config: AssignmentConfig = AssignmentConfig()
    absent: frozenset[str] = frozenset()
    """Officers who are away (sick, called off): they take no dossiers, pins to them break."""

    def __post_init__(self) -> None:
        for kind, ids in (
            ("officer", [o.id for o in self.officers]),
            ("dossier", [d.id for d in self.dossiers]),
        ):
            if len(set(ids)) != len(ids):
                raise ProblemError(f"duplicate {kind} ids")
        known = {o.id for o in self.officers}
        for officer in self.officers:
            if officer.hours_per_day < 0 or officer.hours_per_day > self.config.day_hours:
                raise ProblemError(
                    f"{officer.id}: hours_per_day must be between 0 and {self.config.day_hours}"
                )
            if officer.queue_hours < 0:
                raise ProblemError(f"{officer.id}: queue_hours must not be negative")
            for field_code, mentor in officer.learning.items():
                if mentor not in known:
                    raise ProblemError(f"{officer.id}: unknown mentor {mentor!r} for {field_code}")
        for dossier in self.dossiers:
            if dossier.hours <= 0:
                raise ProblemError(f"{dossier.id}: hours must be positive")
            if dossier.pinned and dossier.assignee is None:
                raise ProblemError(f"{dossier.id}: a pinned dossier needs an assignee")

    @cached_property
    def officer_by_id(self) -> Mapping[str, Officer]:
        return {officer.id: officer for officer in self.officers}

    @cached_property
    def dossier_by_id(self) -> Mapping[str, Dossier]:
        return {dossier.id: dossier for dossier in self.dossiers}

    @property
    def day_minutes(self) -> int:
        return minutes(self.config.day_hours)

    def with_absent(self, officer_ids: Collection[str]) -> Problem:
        """The same problem with these officers (also) away."""
        unknown = set(officer_ids) - set(self.officer_by_id)
        if unknown:
            raise ProblemError(f"unknown officers: {sorted(unknown)}")
        return replace(self, absent=self.absent | frozenset(officer_ids))
