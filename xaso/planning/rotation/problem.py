"""The rotation problem: positions, officers, scheduled training, rules and leaders' decisions.

Periodic transfer (chuyển đổi vị trí công tác), Anti-Corruption Law 2018 Art. 24–25 and Decree
59/2019/NĐ-CP: non-managerial staff in listed fields must be moved every 2–5 years according to
the field, by a plan that suits each person's capacity and does not disrupt the service.  The
periods, the fields and the exemptions are configuration (``RotationConfig``), not code: the
exemptions in ``DEFAULT_EXEMPTIONS`` are *unverified* and marked so in every output.

Years are plan years ``1..years``; a move happens at the start of its year.  An officer with
``retirement_year = r`` works through year ``r - 1`` and is gone from year ``r`` on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property


class RotationError(ValueError):
    """The data or the leaders' decisions are inconsistent (the message says which and why).

    ``code`` and ``params`` name the case for callers that say it in another language
    (``lock_impossible``: ``officer``, ``name``, ``position`` id, ``year``; ``locks_conflict``);
    ``code`` is empty for errors in the data itself."""

    def __init__(self, message: str, *, code: str = "", params: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.params: dict[str, object] = dict(params or {})


@dataclass(frozen=True)
class RotationRule:
    """Positions of ``field`` must change holder at least every ``period_years`` years."""

    field: str
    period_years: int
    label: str = ""

    def __post_init__(self) -> None:
        if not 2 <= self.period_years <= 5:
            raise RotationError(
                f"{self.field}: the period must be 2 to 5 years (Decree 59/2019), not {self.period_years}"
            )


@dataclass(frozen=True)
class Exemption:
    """A reason to postpone someone's transfer while it lasts (configuration, maybe unverified)."""

    code: str
    description: str
    unverified: bool = True


DEFAULT_EXEMPTIONS: Mapping[str, Exemption] = {
    "pregnancy": Exemption("pregnancy", "pregnant or on maternity leave"),
    "young_child": Exemption("young_child", "raising a child under 36 months"),
    "near_retirement": Exemption("near_retirement", "close to retirement age"),
    "illness": Exemption("illness", "serious illness under treatment"),
}


@dataclass(frozen=True)
class RotationWeights:
    """Penalty weights of the objective (all terms are ≥ 0; see ``constraints``)."""

    overdue_transfer: int = 1000
    transfer_delay: int = 0
    """Per further year a transfer stays overdue within the horizon (0: off).  The product sets
    it (``planning/data/rotation.json``) so a late move beats none; on the 2,000-officer
    benchmark its extra variables keep CP-SAT from a first solution within 60 s, so it is off
    by default."""
    vacancy: int = 400
    leadership_vacancy: int = 800
    move: int = 12
    inter_commune: int = 20
    development: int = 5
    """Discount on the move of a young officer into a field he or she has not worked in."""
    succession: int = 6
    """Discount on the move of a designated successor into a leadership post."""
    training_reliance: int = 2
    """Extra cost when the officer meets the post's minimums only after scheduled training."""

    def __post_init__(self) -> None:
        if min(self.__dict__.values()) < 0:
            raise RotationError("weights must not be negative")
        if self.move - self.development - self.succession < 1:
            raise RotationError("move must exceed development + succession so every move costs something")


@dataclass(frozen=True)
class RotationConfig:
    rules: Mapping[str, RotationRule] = dataclasses.field(default_factory=dict, hash=False)
    """Field → its rotation rule; positions of other fields have no periodic-transfer duty."""
    exemptions: Mapping[str, Exemption] = dataclasses.field(
        default_factory=lambda: dict(DEFAULT_EXEMPTIONS), hash=False
    )
    near_retirement_years: int = 2
    """Retiring within this many years of the transfer deadline postpones it past retirement
    (*unverified*; exemption code ``near_retirement``)."""
    young_age: int = 35
    max_move_share: float = 0.25
    """At most this share of a department's officers may leave (or arrive) in one year."""
    min_moves_per_department: int = 1
    """…but always at least this many."""
    weights: RotationWeights = RotationWeights()


@dataclass(frozen=True)
class Position:
    """A job position (vị trí việc làm) with ``headcount`` seats.

    ``field`` is the rotation field (a key of ``RotationConfig.rules``) or any other field
    name; ``min_levels`` are the competency minimums of its holders; ``min_staff`` seats must
    be filled (default: all) or the shortfall counts as a vacancy.
    """

    id: str
    commune: str
    department: str
    title: str
    field: str
    min_levels: Mapping[str, int] = dataclasses.field(default_factory=dict, hash=False, compare=False)
    headcount: int = 1
    min_staff: int | None = None
    leadership: bool = False

    @property
    def required_staff(self) -> int:
        return self.headcount if self.min_staff is None else self.min_staff


@dataclass(frozen=True)
class Officer:
    id: str
    position: str
    years_in_position: int
    """Full years served in the current position at the start of year 1."""
    age: int
    levels: Mapping[str, int] = dataclasses.field(default_factory=dict, hash=False, compare=False)
    fields_held: frozenset[str] = frozenset()
    """Fields of earlier positions (a move into a new field develops a young officer)."""
    retirement_year: int | None = None
    exemptions: Mapping[str, int] = dataclasses.field(default_factory=dict, hash=False, compare=False)
    """Exemption code → last plan year it applies (0: ended already)."""
    successor_for: frozenset[str] = frozenset()
    """Leadership positions this officer is designated to succeed to."""
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Training:
    """Scheduled training: ``officer`` reaches ``level`` in ``field`` from plan year ``year``."""

    officer: str
    field: str
    level: int
    year: int


@dataclass(frozen=True)
class Lock:
    """A leader's decision: ``officer`` holds ``position`` in ``year`` (its current one = stay)."""

    officer: str
    position: str
    year: int
    reason: str = ""
    by: str = ""


@dataclass(frozen=True)
class Forbid:
    """A leader's decision: ``officer`` may not hold ``position`` (None: may not move at all),
    in ``year`` (None: in any year)."""

    officer: str
    position: str | None = None
    year: int | None = None
    reason: str = ""
    by: str = ""


@dataclass(frozen=True)
class RotationProblem:
    positions: tuple[Position, ...]
    officers: tuple[Officer, ...]
    config: RotationConfig = RotationConfig()
    trainings: tuple[Training, ...] = ()
    years: int = 3
    neighbours: Mapping[str, frozenset[str]] = dataclasses.field(
        default_factory=dict, hash=False, compare=False
    )
    """Commune → communes an officer may be moved to from it (besides its own)."""
    locks: tuple[Lock, ...] = ()
    forbids: tuple[Forbid, ...] = ()

    def __post_init__(self) -> None:
        if self.years < 1:
            raise RotationError("years must be at least 1")
        for kind, ids in (
            ("position", [p.id for p in self.positions]),
            ("officer", [o.id for o in self.officers]),
        ):
            if len(set(ids)) != len(ids):
                raise RotationError(f"duplicate {kind} ids")
        known = {p.id for p in self.positions}
        for officer in self.officers:
            if officer.position not in known:
                raise RotationError(f"{officer.id}: unknown position {officer.position!r}")
            unknown = set(officer.exemptions) - set(self.config.exemptions)
            if unknown:
                raise RotationError(f"{officer.id}: unknown exemptions {sorted(unknown)}")
        people = {o.id for o in self.officers}
        decisions: list[Lock | Forbid] = [*self.locks, *self.forbids]
        for decision in decisions:
            if decision.officer not in people:
                raise RotationError(f"a decision names unknown officer {decision.officer!r}")
            if decision.position is not None and decision.position not in known:
                raise RotationError(f"a decision names unknown position {decision.position!r}")
            if decision.year is not None and not 1 <= decision.year <= self.years:
                raise RotationError(f"a decision's year must be 1 to {self.years}, not {decision.year}")
        for training in self.trainings:
            if training.officer not in people:
                raise RotationError(f"training for unknown officer {training.officer!r}")
        for position in self.positions:
            if not 0 <= position.required_staff <= position.headcount:
                raise RotationError(f"{position.id}: min_staff must be between 0 and headcount")

    @cached_property
    def position_by_id(self) -> Mapping[str, Position]:
        return {p.id: p for p in self.positions}

    @cached_property
    def officer_by_id(self) -> Mapping[str, Officer]:
        return {o.id: o for o in self.officers}

    @cached_property
    def trainings_by_officer(self) -> Mapping[str, tuple[Training, ...]]:
        grouped: dict[str, list[Training]] = {}
        for training in self.trainings:
            grouped.setdefault(training.officer, []).append(training)
        return {k: tuple(sorted(v, key=lambda t: t.year)) for k, v in grouped.items()}
