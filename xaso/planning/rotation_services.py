"""Writes of rotation planning: seed a province's rotation fields, solve a commune's plan,
record leaders' locks and forbids (and withdraw them), accept a plan; solve and accept a
province plan over several communes, between which officers may move.

Only the commune's leader (or a superuser) plans a commune; the province's Home Affairs
managers may read (``can_see_rotation``).  A province plan is made and accepted by the
province's Home Affairs managers only; the leader of a commune it covers may read it
(``can_see_province_rotation``); the commune leaders' locks and forbids hold in it as in
their own plans.  Every write is one transaction and leaves an audit event
(``planning.rotation_*``).  A plan is solved by the Django-free core
(``xaso.planning.rotation``) and stored with its moves, reasons, duties and figures, so the
page and the disclosure show exactly what was proposed even after the data change.  A move's
reasons are stored structured (``RotationMove.reason_terms``, with calendar years) and said in
the reader's language by ``explanations``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import Role, User
from xaso.audit.events import record
from xaso.lib.errors import Conflict, Forbidden, InvalidInput, NotFound
from xaso.places.models import Commune, Province
from xaso.planning.explanations import rotation_error_text, stored
from xaso.planning.models import (
    DecisionKind,
    ProposalStatus,
    RotationDecision,
    RotationField,
    RotationMove,
    RotationPlan,
)
from xaso.planning.rotation import (
    Reason,
    RotationError,
    RotationProblem,
    Training,
    evaluate,
    solve,
    solve_apart,
)
from xaso.planning.rotation import RotationPlan as SolvedPlan
from xaso.planning.rotation.constraints import levels_in_year
from xaso.planning.rotation_bridge import BuiltRotation, build_commune_rotation, build_rotation, rotation_data
from xaso.workforce.models import Assignment, Competency, CourseOutcome, PlanItem
from xaso.workforce.models import Position as PositionRow
from xaso.workforce.services import training_plan_for_year

ROTATION_SECONDS = 20.0
"""Time limit for one commune's plan (a commune solves to optimality in well under this)."""
MAX_YEARS = 5
SEED = 0
PROVINCE_COMMUNES = (2, 10)
"""How many communes one province plan covers (at least, at most).  Every chosen commune
neighbours every other, so the model grows with the square of their number: on the demo
(about 20 officers per commune, one worker) 6 communes are solved to optimality in 3 s and 10
in about 14 s, while 12 do not improve on the communes planned apart within 20 s."""


def can_plan_rotation(user: User, commune: Commune) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.commune_id == commune.pk and user.has_role(Role.COMMUNE_LEADER)


def can_see_rotation(user: User, commune: Commune) -> bool:
    if can_plan_rotation(user, commune):
        return True
    return (
        user.is_authenticated
        and user.is_active
        and user.commune_id is None
        and user.province_id == commune.province_id
        and user.has_role(Role.PROVINCE_MANAGER)
    )


def require_rotation_planner(user: User, commune: Commune) -> None:
    if not can_plan_rotation(user, commune):
        raise Forbidden(_("Only the commune's leader may plan rotations."))


def can_plan_province_rotation(user: User, province: Province) -> bool:
    """The province's Home Affairs managers (or a superuser) plan rotation between communes."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (
        user.commune_id is None and user.province_id == province.pk and user.has_role(Role.PROVINCE_MANAGER)
    )


def can_see_province_rotation(user: User, plan: RotationPlan) -> bool:
    """A province plan: its province's Home Affairs, and the leaders of the communes it covers."""
    if plan.province is None or plan.commune_id is not None:
        return False
    if can_plan_province_rotation(user, plan.province):
        return True
    return (
        user.is_authenticated
        and user.is_active
        and user.commune_id is not None
        and user.has_role(Role.COMMUNE_LEADER)
        and plan.communes.filter(pk=user.commune_id).exists()
    )


def require_province_rotation_planner(user: User, province: Province) -> None:
    if not can_plan_province_rotation(user, province):
        raise Forbidden(_("Only the province's Home Affairs may plan rotation between communes."))


@transaction.atomic
def rotation_fields_seed(*, province: Province, actor: User | None = None) -> int:
    """Create the shipped rotation fields a province does not have yet; returns how many."""
    created = 0
    for row in rotation_data()["fields"]:
        _field, made = RotationField.objects.get_or_create(
            province=province,
            code=row["code"],
            defaults={
                "label": row["label"],
                "period_years": row["period_years"],
                "position_codes": row["positions"],
            },
        )
        created += int(made)
    if created:
        record(actor=actor, action="planning.rotation_fields_seeded", obj=province, data={"created": created})
    return created


def _plan_years(start_year: int, years: int) -> None:
    this_year = timezone.localdate().year
    if not 1 <= years <= MAX_YEARS:
        raise InvalidInput(_("The horizon must be 1 to %(n)d years.") % {"n": MAX_YEARS}, field="years")
    if not this_year <= start_year <= this_year + 2:
        raise InvalidInput(
            _("The first year must be between %(a)d and %(b)d.") % {"a": this_year, "b": this_year + 2},
            field="start_year",
        )


def _previous_hint(commune: Commune, built: BuiltRotation) -> dict[str, tuple[str, int]]:
    last = RotationPlan.objects.filter(
        commune=commune, start_year=built.start_year, years=built.problem.years
    ).first()
    return _hint_from(last, built)


def _hint_from(last: RotationPlan | None, built: BuiltRotation) -> dict[str, tuple[str, int]]:
    """A stored plan's moves that still fit the problem (to seed the search)."""
    if last is None:
        return {}
    people, seats = built.problem.officer_by_id, built.problem.position_by_id
    return {
        officer: (position, int(year))
        for officer, (position, year) in last.summary.get("plan", {}).items()
        if officer in people and position in seats
    }


def _summary(built: BuiltRotation, solved: SolvedPlan) -> dict[str, Any]:
    year_of = built.calendar_year
    duties = []
    for outcome in solved.duties:
        duty = outcome.duty
        if duty.status == "no_rule":
            continue
        duties.append(
            {
                "officer": duty.officer,
                "position": duty.position,
                "commune": built.problem.position_by_id[duty.position].commune,
                "field": duty.field,
                "period": duty.period,
                "years_in_position": duty.years_in_position,
                "status": duty.status,
                "deadline": year_of(duty.deadline) if duty.deadline else None,
                "exemption": duty.exemption.description if duty.exemption else "",
                "unverified": bool(duty.exemption and duty.exemption.unverified),
                "moved_in": year_of(outcome.moved_in) if outcome.moved_in else None,
                "met": outcome.met,
            }
        )
    return {
        "objective": solved.objective,
        "bound": solved.bound,
        "gap": round(solved.gap, 4),
        "status": solved.status,
        "seconds": round(solved.seconds, 3),
        "terms": solved.terms,
        "plan": {officer: [position, year] for officer, (position, year) in solved.plan.items()},
        "duties": duties,
        "due": sum(1 for d in duties if d["status"] == "due"),
        "met": sum(1 for d in duties if d["status"] == "due" and d["met"]),
        "vacancies": [
            {"position": position, "year": year_of(year), "short": short}
            for (position, year), short in sorted(solved.vacancies.items())
        ],
        "decisions": [d.pk for d in built.decisions],
        "violations": list(solved.violations),
    }


def _stored_reason(built: BuiltRotation, reason: Reason) -> dict[str, Any]:
    """A move's reason as stored, its plan years turned into calendar years."""
    params = dict(reason.params)
    if reason.code == "periodic_transfer":
        params["deadline"] = built.calendar_year(int(params["deadline"]))
    if reason.code == "meets_after_training":
        params["trainings"] = [t | {"year": built.calendar_year(int(t["year"]))} for t in params["trainings"]]
    if reason.code == "inter_commune":
        for end in ("from", "to"):
            place = built.communes.get(str(params[end]))
            if place is not None:
                params[f"{end}_name"] = place.name
    return stored(reason.code, params)


def _solve(
    built: BuiltRotation,
    problem: RotationProblem,
    *,
    seconds: float,
    hint: dict[str, tuple[str, int]] | None = None,
) -> SolvedPlan:
    """Solve, turning leaders' decisions that cannot hold into a ``Conflict`` that says why."""
    try:
        return solve(problem, seconds=seconds, seed=SEED, hint=hint)
    except RotationError as exc:
        why = rotation_error_text(
            exc,
            position_titles={k: v.title for k, v in built.positions.items()},
            calendar_year=built.calendar_year,
        )
        raise Conflict(_("The leaders' decisions cannot all hold: %(why)s") % {"why": why}) from exc


@transaction.atomic
def rotation_plan_create(
    *,
    actor: User,
    commune: Commune,
    start_year: int,
    years: int = 3,
    seconds: float = ROTATION_SECONDS,
) -> RotationPlan:
    """Solve the commune's rotation for ``years`` years from ``start_year`` and store it.

    The leaders' active decisions are respected; the latest plan for the same years seeds the
    search, so a re-solve after a lock changes no more than it must."""
    require_rotation_planner(actor, commune)
    _plan_years(start_year, years)
    rotation_fields_seed(province=commune.province, actor=actor)
    built = build_commune_rotation(commune, start_year=start_year, years=years)
    if not built.problem.officers:
        raise InvalidInput(_("No officer of this commune holds a job position yet."), field="commune")
    solved = _solve(built, built.problem, seconds=seconds, hint=_previous_hint(commune, built) or None)
    plan = RotationPlan.objects.create(
        commune=commune,
        start_year=start_year,
        years=years,
        created_by=actor,
        summary=_summary(built, solved),
    )
    _store_moves(plan, built, solved)
    record(
        actor=actor,
        action="planning.rotation_planned",
        obj=plan,
        commune=commune,
        data={k: plan.summary[k] for k in ("objective", "bound", "gap", "due", "met", "seconds")}
        | {"moves": len(solved.moves)},
    )
    return plan


def _store_moves(plan: RotationPlan, built: BuiltRotation, solved: SolvedPlan) -> None:
    RotationMove.objects.bulk_create(
        RotationMove(
            plan=plan,
            user=built.officers[move.officer],
            from_position=built.positions[move.from_position],
            to_position=built.positions[move.to_position],
            year=built.calendar_year(move.year),
            reason_terms=[_stored_reason(built, reason) for reason in move.reasons],
            cost=dict(move.cost),
        )
        for move in solved.moves
    )


def _province_communes(province: Province, communes: Sequence[Commune]) -> list[Commune]:
    """The chosen communes, checked: of this province, ``PROVINCE_COMMUNES`` of them, by code."""
    least, most = PROVINCE_COMMUNES
    chosen = sorted({c.pk: c for c in communes}.values(), key=lambda c: c.pk)
    if any(c.province_id != province.pk for c in chosen):
        raise InvalidInput(_("Choose communes of your province."), field="communes")
    if not least <= len(chosen) <= most:
        raise InvalidInput(
            _("Choose %(least)d to %(most)d communes.") % {"least": least, "most": most}, field="communes"
        )
    return chosen


def plans_over(province_id: int, communes: set[int]) -> list[RotationPlan]:
    """The province plans over exactly ``communes`` (pks)."""
    return [
        other
        for other in RotationPlan.objects.filter(
            province_id=province_id, commune__isnull=True, communes__in=communes
        )
        .distinct()
        .prefetch_related("communes")
        if {c.pk for c in other.communes.all()} == communes
    ]


def same_scope(plan: RotationPlan) -> list[RotationPlan]:
    """The province plans over exactly the same communes as ``plan`` (it included)."""
    if plan.province_id is None:
        return [plan]
    return plans_over(plan.province_id, set(plan.communes.values_list("pk", flat=True)))


@transaction.atomic
def province_rotation_plan_create(
    *,
    actor: User,
    province: Province,
    communes: Sequence[Commune],
    start_year: int,
    years: int = 3,
    seconds: float = ROTATION_SECONDS,
) -> RotationPlan:
    """Solve one rotation plan over several communes of the province and store it.

    Officers may move to a post of the same field in another of the communes (each such move
    costs the core's ``inter_commune`` more than a move at home); department limits and
    staffing hold per commune, and each commune's leaders' active decisions are respected.
    The latest plan over the same communes and years seeds the search."""
    require_province_rotation_planner(actor, province)
    _plan_years(start_year, years)
    chosen = _province_communes(province, communes)
    rotation_fields_seed(province=province, actor=actor)
    built = build_rotation(chosen, start_year=start_year, years=years)
    if not built.problem.officers:
        raise InvalidInput(_("No officer of these communes holds a job position yet."), field="communes")
    codes = [c.pk for c in chosen]
    last = max(
        (p for p in plans_over(province.pk, set(codes)) if p.start_year == start_year and p.years == years),
        key=lambda p: p.pk,
        default=None,
    )
    started = time.perf_counter()
    start = _province_start(built, _hint_from(last, built), seconds=seconds / 4)
    left = max(1.0, seconds - (time.perf_counter() - started))
    solved = _solve(built, built.problem, seconds=left, hint=start)
    summary = _summary(built, solved)
    summary["communes"] = codes
    summary["between_communes"] = sum(1 for move in solved.moves if "inter_commune" in move.cost)
    plan = RotationPlan.objects.create(
        province=province,
        start_year=start_year,
        years=years,
        created_by=actor,
        summary=summary,
    )
    plan.communes.set(chosen)
    _store_moves(plan, built, solved)
    record(
        actor=actor,
        action="planning.province_rotation_planned",
        obj=plan,
        data={
            k: summary[k] for k in ("objective", "bound", "gap", "due", "met", "seconds", "between_communes")
        }
        | {"moves": len(solved.moves), "communes": codes},
    )
    return plan


def _province_start(
    built: BuiltRotation, previous: dict[str, tuple[str, int]], *, seconds: float
) -> dict[str, tuple[str, int]] | None:
    """Where the search over several communes starts: the better of the previous plan over
    the same communes and each commune solved on its own (``solve_apart``: without a start,
    a dozen communes may get no plan at all within the time limit), among those that keep
    every rule."""
    problem = built.problem
    try:
        apart = solve_apart(problem, seconds=seconds, seed=SEED)
    except RotationError:  # a commune's decisions cannot hold: the solve of the whole says why
        apart = {}
    scored = [(evaluate(problem, h), h) for h in (previous, apart) if h]
    valid = [(report.objective, h) for report, h in scored if not report.violations]
    return min(valid, key=lambda pair: pair[0])[1] if valid else None


def _mark_accepted(plan: RotationPlan, actor: User) -> None:
    plan.status = ProposalStatus.ACCEPTED
    plan.accepted_at = timezone.now()
    plan.accepted_by = actor
    plan.save(update_fields=["status", "accepted_at", "accepted_by"])


@transaction.atomic
def province_rotation_plan_accept(*, actor: User, plan: RotationPlan) -> RotationPlan:
    """Home Affairs adopts a province plan; a newer plan over the same communes must be
    accepted anew."""
    plan = RotationPlan.objects.select_for_update(of=("self",)).select_related("province").get(pk=plan.pk)
    if plan.province is None or plan.commune_id is not None:
        raise NotFound(_("No such rotation plan."))
    require_province_rotation_planner(actor, plan.province)
    if plan.status != ProposalStatus.PROPOSED:
        raise Conflict(_("This plan has already been accepted."))
    if any(other.pk > plan.pk for other in same_scope(plan)):
        raise Conflict(_("A newer plan exists; accept that one or solve again."))
    _mark_accepted(plan, actor)
    record(
        actor=actor,
        action="planning.province_rotation_accepted",
        obj=plan,
        data={"communes": sorted(plan.communes.values_list("pk", flat=True))},
    )
    return plan


@transaction.atomic
def rotation_decide(
    *,
    actor: User,
    commune: Commune,
    kind: str,
    user: User,
    position: PositionRow | None,
    year: int | None,
    reason: str,
) -> RotationDecision:
    """Record a lock ("must hold ``position`` in ``year``") or a forbid ("may not hold
    ``position`` — or move at all when empty — in ``year`` — or any year when empty")."""
    require_rotation_planner(actor, commune)
    if kind not in DecisionKind.values:
        raise InvalidInput(_("Choose lock or forbid."), field="kind")
    reason = reason.strip()
    if not reason:
        raise InvalidInput(
            _("Give the reason for the decision; it goes into the disclosure."), field="reason"
        )
    if (
        user.commune_id != commune.pk
        or not Assignment.objects.filter(user=user, position__commune=commune, ended_on__isnull=True).exists()
    ):
        raise InvalidInput(_("Choose an officer who holds a position in this commune."), field="user")
    if position is not None and position.commune_id != commune.pk:
        raise InvalidInput(_("Choose a position of this commune."), field="position")
    if kind == DecisionKind.LOCK and (position is None or year is None):
        raise InvalidInput(
            _("A lock needs a position and a year."), field="position" if position is None else "year"
        )
    this_year = timezone.localdate().year
    if year is not None and not this_year <= year <= this_year + 2 + MAX_YEARS:
        raise InvalidInput(_("Choose a year of the plan."), field="year")
    decision = RotationDecision.objects.create(
        commune=commune,
        kind=kind,
        user=user,
        position=position,
        year=year,
        reason=reason[:2000],
        decided_by=actor,
    )
    record(
        actor=actor,
        action="planning.rotation_decided",
        obj=decision,
        commune=commune,
        data={"kind": kind, "user": user.pk, "position": position.pk if position else None, "year": year},
    )
    return decision


@transaction.atomic
def rotation_decision_withdraw(*, actor: User, decision: RotationDecision) -> RotationDecision:
    decision = RotationDecision.objects.select_for_update().select_related("commune").get(pk=decision.pk)
    require_rotation_planner(actor, decision.commune)
    if decision.withdrawn_at is not None:
        raise Conflict(_("This decision was already withdrawn."))
    decision.withdrawn_at = timezone.now()
    decision.save(update_fields=["withdrawn_at"])
    record(actor=actor, action="planning.rotation_decision_withdrawn", obj=decision, commune=decision.commune)
    return decision


@transaction.atomic
def rotation_plan_accept(*, actor: User, plan: RotationPlan) -> RotationPlan:
    """The leader adopts the plan (the one to disclose); a newer plan must be accepted anew."""
    plan = RotationPlan.objects.select_for_update(of=("self",)).select_related("commune").get(pk=plan.pk)
    if plan.commune is None:  # a province plan: ``province_rotation_plan_accept``
        raise NotFound(_("No such rotation plan."))
    require_rotation_planner(actor, plan.commune)
    if plan.status != ProposalStatus.PROPOSED:
        raise Conflict(_("This plan has already been accepted."))
    latest = RotationPlan.objects.filter(commune=plan.commune).first()
    if latest is not None and latest.pk != plan.pk:
        raise Conflict(_("A newer plan exists; accept that one or solve again."))
    _mark_accepted(plan, actor)
    record(actor=actor, action="planning.rotation_accepted", obj=plan, commune=plan.commune)
    return plan


def _cheapest_courses() -> dict[str, list[tuple[int, int, int]]]:
    """Competency code → [(outcome level, cost, course id)], cheapest first."""
    found: dict[str, list[tuple[int, int, int]]] = {}
    for code, level, cost, course in CourseOutcome.objects.filter(course__is_active=True).values_list(
        "competency__code", "level", "course__cost_vnd", "course_id"
    ):
        found.setdefault(code, []).append((level, cost, course))
    for rows in found.values():
        rows.sort(key=lambda r: (r[1], -r[0]))
    return found


def _missing(levels: Mapping[str, int], minimums: Mapping[str, int]) -> dict[str, int]:
    return {code: need for code, need in minimums.items() if levels.get(code, 0) < need}


Course = tuple[str, int, int, int, int]
"""(competency code, level needed, course id, outcome level, cost)."""


def _courses_to_meet(
    levels: Mapping[str, int], minimums: Mapping[str, int], courses: Mapping[str, list[tuple[int, int, int]]]
) -> list[Course] | None:
    """The cheapest course reaching each minimum that ``levels`` lack; None: no course does."""
    picks = []
    for code, need in _missing(levels, minimums).items():
        options = [row for row in courses.get(code, []) if row[0] >= need]
        if not options:
            return None
        level, cost, course = options[0]
        picks.append((code, need, course, level, cost))
    return picks


@transaction.atomic
def rotation_training_schedule(*, actor: User, commune: Commune, start_year: int, years: int = 3) -> int:
    """Schedule the cross-training that lets officers whose transfer falls due move in time.

    The plan is solved as if every course that would lift a movable officer (not in a
    leadership post, not retiring within the plan) to the minimums of another of the
    commune's posts (a leadership post only for its designated successors) were taken in the
    first year; the courses that the moves of that plan rely on — and only those — are added
    to the commune's training plan of ``start_year`` (created with the default budget if
    needed).  Solving again then finds a plan at least as good as that one, since everything
    it relies on is now scheduled.  Every rule holds in that solve as in any other: the
    department limits, and every seat kept by someone who meets its minimums (now or after
    a scheduled course).  Returns the number of items added.

    Why a solve rather than pairing each due officer with a colleague by the fewest courses:
    a pairing that is cheapest on its own can be useless with the others.  In the demo's
    Vinh Lộc the land officer's cheapest partner was the agriculture officer of the same
    department (one course); but a swap inside a department takes two of its arrivals in that
    year, the department's limit (2 of 5 officers, ``max_move_share``) was already taken by
    the civil-status officer trained to fill the empty second land seat, and no course had
    been scheduled that would let the land officer leave the department — so the land
    transfer could only be a year late.  The department limit itself stays as it is: it is
    the rule that keeps the service undisrupted, and with the right courses it holds."""
    require_rotation_planner(actor, commune)
    _plan_years(start_year, years)
    rotation_fields_seed(province=commune.province, actor=actor)
    built = build_commune_rotation(commune, start_year=start_year, years=years)
    problem = built.problem
    courses = _cheapest_courses()
    movable = [
        o
        for o in problem.officers
        if not problem.position_by_id[o.position].leadership and o.retirement_year is None
    ]
    # Every course that could qualify a movable officer for another post, as if taken in year 1.
    possible: dict[tuple[str, str], int] = {}
    for officer in movable:
        levels = levels_in_year(officer, 1, problem)
        for position in problem.positions:
            if position.id == officer.position:
                continue
            if position.leadership and position.id not in officer.successor_for:
                continue
            for code, _need, _course, level, _cost in (
                _courses_to_meet(levels, position.min_levels, courses) or ()
            ):
                possible[officer.id, code] = max(level, possible.get((officer.id, code), 0))
    added: list[PlanItem] = []
    plan, _created = training_plan_for_year(actor=actor, commune=commune, year=start_year)
    if possible:
        what_if = replace(
            problem,
            trainings=problem.trainings
            + tuple(Training(officer, code, level, 1) for (officer, code), level in sorted(possible.items())),
        )
        solved = _solve(built, what_if, seconds=ROTATION_SECONDS)
        have = set(plan.items.values_list("user_id", "course_id"))
        competency_ids = dict(Competency.objects.values_list("code", "pk"))
        for move in solved.moves:
            officer = problem.officer_by_id[move.officer]
            levels = levels_in_year(officer, move.year, problem)
            target = problem.position_by_id[move.to_position]
            for code, need, course_id, _level, cost in (
                _courses_to_meet(levels, target.min_levels, courses) or ()
            ):
                if (int(officer.id), course_id) in have:
                    continue
                have.add((int(officer.id), course_id))
                added.append(
                    PlanItem(
                        plan=plan,
                        user_id=int(officer.id),
                        course_id=course_id,
                        competency_id=competency_ids[code],
                        gap=max(1, need - levels.get(code, 0)),
                        urgency=90,
                        cost_vnd=cost,
                    )
                )
    PlanItem.objects.bulk_create(added)
    record(
        actor=actor,
        action="planning.rotation_training_scheduled",
        obj=plan,
        commune=commune,
        data={"year": start_year, "items_added": len(added)},
    )
    return len(added)
