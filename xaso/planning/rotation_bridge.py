"""From the database to the rotation solver: the ``RotationProblem`` of one commune or of
several communes of a province.

The solver core (``xaso.planning.rotation``) knows nothing of Django; this module reads the
communes' job positions, who holds them, their levels, planned training, exemptions and the
leaders' decisions, and turns them into its dataclasses.  Ids are strings: position id =
``str(position.pk)``, officer id = ``str(user.pk)``, commune = ``str(commune.code)``.  Plan
year ``n`` is calendar year ``start_year + n - 1``.

* **Several communes** (``build_rotation``; the province's Home Affairs chooses them): every
  chosen commune neighbours every other (``RotationProblem.neighbours``), so an officer may
  move to a post of the same field in another of them, at the core's ``inter_commune`` cost;
  department limits and staffing stay per commune (positions carry their commune), and each
  commune's leaders' decisions apply to its own officers and posts.

* **Fields and periods** are the province's ``RotationField`` rows (seeded from
  ``data/rotation.json``, editable in the admin): a position whose code is listed under a field
  carries that field's duty; any other position has field ``"other"`` and no duty.
* **Minimums** of a position are its *essential* competency requirements (the ones "the
  position cannot be done without"); an officer's levels are ``workforce.selectors.levels_of``.
* **Time in position** counts whole years from the start of the current posting to 1 January
  of the first plan year; the posting immediately before it counts too when its title is the
  same (the same post held in the commune before the 2025 merger).
* **Planned training**: a training-plan item not yet completed, failed or cancelled raises the
  officer to the course's outcome level in that competency from the plan's year on.
* **Retirement** follows the statutory roadmap in ``rotation.json``: the officer is gone from
  the plan year in which the retirement date falls.
* **Exemptions** are ``RotationExemption`` rows; one ending in year ``Y`` applies through
  plan year ``Y − start_year + 1``.
* **Designated successors** (quy hoạch cán bộ) are the ``workforce.SuccessorDesignation``
  rows not withdrawn whose period overlaps the plan's years: the officer is a successor for
  that leadership post (``Officer.successor_for``) in every year of the plan — the core has
  no years for it — and a move into the post earns the ``succession`` discount and reason.
* **Decisions** are the communes' active ``RotationDecision`` rows inside the horizon.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from xaso.accounts.models import User
from xaso.places.models import Commune
from xaso.planning.models import DecisionKind, RotationDecision, RotationExemption, RotationField
from xaso.planning.rotation import (
    Exemption,
    Forbid,
    Lock,
    Officer,
    Position,
    RotationConfig,
    RotationProblem,
    RotationRule,
    RotationWeights,
    Training,
)
from xaso.workforce.models import (
    Assignment,
    Competency,
    CourseOutcome,
    PlanItem,
    PlanItemStatus,
    PositionRequirement,
    SuccessorDesignation,
)
from xaso.workforce.models import Position as PositionRow
from xaso.workforce.selectors import levels_of, today

NO_FIELD = "other"
OPEN_ITEMS = (PlanItemStatus.PLANNED, PlanItemStatus.ENROLLED)


@cache
def rotation_data() -> dict[str, Any]:
    """``xaso/planning/data/rotation.json`` (shipped configuration)."""
    path = Path(__file__).resolve().parent / "data" / "rotation.json"
    with open(path, encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


def exemption_kinds() -> dict[str, Exemption]:
    return {
        row["code"]: Exemption(row["code"], row["label"], unverified=bool(row.get("unverified", True)))
        for row in rotation_data()["exemptions"]
    }


def retirement_date(birth: dt.date, gender: str) -> dt.date:
    """The statutory retirement date on the roadmap (Labour Code 2019 Art. 169, Decree
    135/2020): the age rises by a step each year from the base year until the final age."""
    rule = rotation_data()["retirement"]["F" if gender == "F" else "M"]
    year = max(rule["base_year"], birth.year + rule["base_months"] // 12)
    while True:
        months = min(
            rule["final_months"], rule["base_months"] + rule["step_months"] * (year - rule["base_year"])
        )
        total = birth.month - 1 + months
        reached = dt.date(birth.year + total // 12, total % 12 + 1, 1)
        if reached.year <= year:
            return max(reached, dt.date(rule["base_year"], 1, 1))
        year += 1


@dataclass(frozen=True)
class BuiltRotation:
    problem: RotationProblem
    start_year: int
    officers: dict[str, User]
    positions: dict[str, PositionRow]
    decisions: list[RotationDecision]
    communes: dict[str, Commune] = field(default_factory=dict)
    """Commune code (as in ``Position.commune``) → the commune."""

    def plan_year(self, year: int) -> int:
        return year - self.start_year + 1

    def calendar_year(self, plan_year: int) -> int:
        return self.start_year + plan_year - 1


def rotation_config(commune: Commune) -> tuple[RotationConfig, dict[str, str]]:
    """The province's rules and a position code → field table."""
    data = rotation_data()
    rules: dict[str, RotationRule] = {}
    by_code: dict[str, str] = {}
    for row in RotationField.objects.filter(province_id=commune.province_id):
        rules[row.code] = RotationRule(row.code, row.period_years, row.label)
        for code in row.position_codes:
            by_code[str(code)] = row.code
    config = RotationConfig(
        rules=rules,
        exemptions=exemption_kinds(),
        near_retirement_years=int(data["near_retirement_years"]),
        max_move_share=float(data["max_move_share"]),
        weights=RotationWeights(**data.get("weights", {})),
    )
    return config, by_code


def _years_in_position(history: list[Assignment], first_day: dt.date) -> int:
    """Whole years in the current post at ``first_day`` (the same title just before counts)."""
    current = history[0]
    start = current.started_on
    for earlier in history[1:]:
        if earlier.title.strip().lower() != current.title.strip().lower():
            break
        start = earlier.started_on
    days = (first_day - start).days
    return max(0, days // 365)


def build_commune_rotation(commune: Commune, *, start_year: int, years: int = 3) -> BuiltRotation:
    """The rotation problem of one commune for ``years`` years from ``start_year``."""
    return build_rotation([commune], start_year=start_year, years=years)


def build_rotation(communes: Sequence[Commune], *, start_year: int, years: int = 3) -> BuiltRotation:
    """The rotation problem of these communes (one province) for ``years`` years from
    ``start_year``; with more than one, officers may move between them (see the module)."""
    if not communes:
        raise ValueError("build_rotation needs at least one commune")
    if len({c.province_id for c in communes}) != 1:
        raise ValueError("the communes of one rotation problem must be of one province")
    config, field_of = rotation_config(communes[0])
    first_day = dt.date(start_year, 1, 1)
    rows = list(
        PositionRow.objects.filter(commune__in=communes, is_active=True)
        .select_related("department")
        .order_by("commune_id", "code")
    )
    minimums: dict[int, dict[str, int]] = {row.pk: {} for row in rows}
    for position_id, code, level in PositionRequirement.objects.filter(
        position__in=rows, essential=True
    ).values_list("position_id", "competency__code", "min_level"):
        minimums[position_id][code] = level
    positions = tuple(
        Position(
            id=str(row.pk),
            commune=str(row.commune_id),
            department=row.department.kind if row.department else "leadership",
            title=row.title,
            field=field_of.get(row.code, NO_FIELD),
            min_levels=minimums[row.pk],
            headcount=row.headcount,
            leadership=row.leadership,
        )
        for row in rows
    )
    known = {row.pk: row for row in rows}
    current = {
        a.user_id: a
        for a in Assignment.objects.filter(position__in=rows, ended_on__isnull=True, user__is_active=True)
    }
    people = {u.pk: u for u in User.objects.filter(pk__in=current).select_related("profile")}
    history: dict[int, list[Assignment]] = {}
    for line in Assignment.objects.filter(user__in=people.values()).select_related("position"):
        history.setdefault(line.user_id, []).append(line)
    plan_items = PlanItem.objects.filter(user__in=people.values(), status__in=OPEN_ITEMS).values_list(
        "user_id", "competency__code", "course_id", "competency_id", "plan__year"
    )
    outcome_level = {
        (course, comp): level
        for course, comp, level in CourseOutcome.objects.values_list("course_id", "competency_id", "level")
    }
    trainings = tuple(
        Training(str(user), code, outcome_level[(course, comp)], max(1, year - start_year + 1))
        for user, code, course, comp, year in plan_items
        if (course, comp) in outcome_level and year - start_year + 1 <= years
    )
    exemptions: dict[int, dict[str, int]] = {}
    kinds = config.exemptions
    for user_id, code, until in RotationExemption.objects.filter(
        user__in=people.values(), until__gte=first_day
    ).values_list("user_id", "code", "until"):
        if code in kinds:
            last = until.year - start_year + 1
            exemptions.setdefault(user_id, {})[code] = max(last, exemptions.get(user_id, {}).get(code, 0))
    last_day = dt.date(start_year + years - 1, 12, 31)
    successor_for: dict[int, set[str]] = {}
    for user_id, position_id in SuccessorDesignation.objects.filter(
        position__in=[row for row in rows if row.leadership],
        user__in=people.values(),
        withdrawn_at__isnull=True,
        starts_on__lte=last_day,
        ends_on__gte=first_day,
    ).values_list("user_id", "position_id"):
        successor_for.setdefault(user_id, set()).add(str(position_id))
    now = today()
    codes = dict(Competency.objects.values_list("pk", "code"))
    officers = []
    for user_id, line in sorted(current.items()):
        person = people[user_id]
        lines = sorted(history.get(user_id, [line]), key=lambda a: a.started_on, reverse=True)
        profile = getattr(person, "profile", None)
        retire: int | None = None
        age = 40
        if profile is not None:
            age = start_year - profile.birth_date.year
            retire = retirement_date(profile.birth_date, profile.gender).year - start_year + 1
            if retire > years:
                retire = None
            elif retire < 1:
                continue  # retired already: not part of the plan
        held = frozenset(field_of.get(a.position.code, NO_FIELD) for a in lines[1:] if a.position is not None)
        levels = {codes[comp]: derived.level for comp, derived in levels_of(person, on=now).items()}
        officers.append(
            Officer(
                id=str(user_id),
                position=str(line.position_id),
                years_in_position=_years_in_position(lines, first_day),
                age=age,
                levels=levels,
                fields_held=held - {NO_FIELD},
                retirement_year=retire,
                exemptions=exemptions.get(user_id, {}),
                successor_for=frozenset(successor_for.get(user_id, set()) - {str(line.position_id)}),
                name=person.full_name or person.username,
            )
        )
    last_year = start_year + years - 1
    in_plan = {o.id for o in officers}
    decisions = [
        d
        for d in RotationDecision.objects.filter(
            commune__in=communes, withdrawn_at__isnull=True
        ).select_related("user", "position")
        if str(d.user_id) in in_plan
        and (d.year is None or start_year <= d.year <= last_year)
        and (d.position_id is None or d.position_id in known)
    ]
    locks = tuple(
        Lock(str(d.user_id), str(d.position_id), d.year - start_year + 1, d.reason, _by(d))
        for d in decisions
        if d.kind == DecisionKind.LOCK and d.year is not None
    )
    forbids = tuple(
        Forbid(
            str(d.user_id),
            str(d.position_id) if d.position_id else None,
            d.year - start_year + 1 if d.year else None,
            d.reason,
            _by(d),
        )
        for d in decisions
        if d.kind == DecisionKind.FORBID
    )
    problem = RotationProblem(
        positions=positions,
        officers=tuple(officers),
        config=config,
        trainings=tuple(t for t in trainings if t.officer in in_plan),
        years=years,
        neighbours={str(c.pk): frozenset(str(o.pk) for o in communes if o.pk != c.pk) for c in communes}
        if len(communes) > 1
        else {},
        locks=locks,
        forbids=forbids,
    )
    return BuiltRotation(
        problem=problem,
        start_year=start_year,
        officers={str(k): v for k, v in people.items() if str(k) in in_plan},
        positions={str(row.pk): row for row in rows},
        decisions=decisions,
        communes={str(c.pk): c for c in communes},
    )


def _by(decision: RotationDecision) -> str:
    return decision.decided_by.full_name if decision.decided_by else ""
