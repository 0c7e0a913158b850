"""Writes of rotation planning: seed a province's rotation fields, solve a commune's plan,
record leaders' locks and forbids (and withdraw them), accept a plan.

Only the commune's leader (or a superuser) plans; the province's Home Affairs managers may
read (``can_see_rotation``).  Every write is one transaction and leaves an audit event
(``planning.rotation_*``).  A plan is solved by the Django-free core
(``xaso.planning.rotation``) and stored with its moves, reasons, duties and figures, so the
page and the disclosure show exactly what was proposed even after the data change.  A move's
reasons are stored structured (``RotationMove.reason_terms``, with calendar years) and said in
the reader's language by ``explanations``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import Role, User
from xaso.audit.events import record
from xaso.lib.errors import Conflict, Forbidden, InvalidInput
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
from xaso.planning.rotation import Reason, RotationError, solve, transfer_duty
from xaso.planning.rotation import RotationPlan as SolvedPlan
from xaso.planning.rotation.constraints import levels_in_year
from xaso.planning.rotation_bridge import BuiltRotation, build_commune_rotation, rotation_data
from xaso.workforce.models import Assignment, Competency, CourseOutcome, PlanItem
from xaso.workforce.models import Position as PositionRow
from xaso.workforce.services import training_plan_for_year

ROTATION_SECONDS = 20.0
"""Time limit for one commune's plan (a commune solves to optimality in well under this)."""
MAX_YEARS = 5
SEED = 0


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
    return stored(reason.code, params)


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
    try:
        solved = solve(built.problem, seconds=seconds, seed=SEED, hint=_previous_hint(commune, built) or None)
    except RotationError as exc:
        why = rotation_error_text(
            exc,
            position_titles={k: v.title for k, v in built.positions.items()},
            calendar_year=built.calendar_year,
        )
        raise Conflict(_("The leaders' decisions cannot all hold: %(why)s") % {"why": why}) from exc
    plan = RotationPlan.objects.create(
        commune=commune,
        start_year=start_year,
        years=years,
        created_by=actor,
        summary=_summary(built, solved),
    )
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
    record(
        actor=actor,
        action="planning.rotation_planned",
        obj=plan,
        commune=commune,
        data={k: plan.summary[k] for k in ("objective", "bound", "gap", "due", "met", "seconds")}
        | {"moves": len(solved.moves)},
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
    plan = RotationPlan.objects.select_for_update().select_related("commune").get(pk=plan.pk)
    require_rotation_planner(actor, plan.commune)
    if plan.status != ProposalStatus.PROPOSED:
        raise Conflict(_("This plan has already been accepted."))
    latest = RotationPlan.objects.filter(commune=plan.commune).first()
    if latest is not None and latest.pk != plan.pk:
        raise Conflict(_("A newer plan exists; accept that one or solve again."))
    plan.status = ProposalStatus.ACCEPTED
    plan.accepted_at = timezone.now()
    plan.accepted_by = actor
    plan.save(update_fields=["status", "accepted_at", "accepted_by"])
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


def _missing(levels: dict[str, int], minimums: Mapping[str, int]) -> dict[str, int]:
    return {code: need for code, need in minimums.items() if levels.get(code, 0) < need}


@transaction.atomic
def rotation_training_schedule(*, actor: User, commune: Commune, start_year: int, years: int = 3) -> int:
    """Schedule cross-training so that officers whose transfer falls due can move.

    Each officer due to move in the horizon is paired, greedily by the fewest courses needed,
    with someone to swap posts with (another officer due to move first) or with a free seat;
    the cheapest course reaching each minimum either side lacks is added to the commune's
    training plan of ``start_year`` (created with the default budget if needed).  The solver
    then counts on those levels from that year.  Returns the number of items added."""
    require_rotation_planner(actor, commune)
    _plan_years(start_year, years)
    rotation_fields_seed(province=commune.province, actor=actor)
    problem = build_commune_rotation(commune, start_year=start_year, years=years).problem
    courses = _cheapest_courses()
    plan, _created = training_plan_for_year(actor=actor, commune=commune, year=start_year)
    have = set(plan.items.values_list("user_id", "course_id"))
    competency_ids = dict(Competency.objects.values_list("code", "pk"))
    levels = {o.id: levels_in_year(o, problem.years, problem) for o in problem.officers}

    def courses_for(officer_id: str, position_id: str) -> list[tuple[str, int, int, int]] | None:
        """(competency, level needed, course, cost) to meet the post's minimums; None: impossible."""
        picks = []
        for code, need in _missing(
            levels[officer_id], problem.position_by_id[position_id].min_levels
        ).items():
            options = [row for row in courses.get(code, []) if row[0] >= need]
            if not options:
                return None
            picks.append((code, need, options[0][2], options[0][1]))
        return picks

    due = {o.id for o in problem.officers if transfer_duty(o, problem).status == "due"}
    movable = [
        o
        for o in problem.officers
        if not problem.position_by_id[o.position].leadership and o.retirement_year is None
    ]
    free = {
        p.id: p.headcount - sum(1 for o in problem.officers if o.position == p.id)
        for p in problem.positions
        if not p.leadership
    }
    # Each officer due to move gets a partner to swap with (another due officer first) or a
    # free seat, whichever needs the fewest courses; both sides are trained where needed.
    options: list[tuple[int, int, str, str, list[tuple[str, str, int, int, int]]]] = []
    for a in movable:
        if a.id not in due:
            continue
        for b in movable:
            if b.id == a.id or b.position == a.position:
                continue
            to_b, to_a = courses_for(a.id, b.position), courses_for(b.id, a.position)
            if to_b is None or to_a is None:
                continue
            picks = [(a.id, *x) for x in to_b] + [(b.id, *x) for x in to_a]
            options.append((len(picks), int(b.id not in due), a.id, b.id, picks))
        for position_id, seats in free.items():
            if seats > 0 and position_id != a.position:
                picks_free = courses_for(a.id, position_id)
                if picks_free is not None:
                    options.append(
                        (len(picks_free), 0, a.id, f"seat:{position_id}", [(a.id, *x) for x in picks_free])
                    )
    options.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    paired: set[str] = set()
    added: list[PlanItem] = []
    for _n, _other, a_id, b_id, picks in options:
        if a_id in paired or b_id in paired:
            continue
        if b_id.startswith("seat:"):
            if free[b_id[5:]] <= 0:
                continue
            free[b_id[5:]] -= 1
        paired.update({a_id, b_id})
        for officer_id, code, need, course_id, cost in picks:
            if (int(officer_id), course_id) in have:
                continue
            have.add((int(officer_id), course_id))
            added.append(
                PlanItem(
                    plan=plan,
                    user_id=int(officer_id),
                    course_id=course_id,
                    competency_id=competency_ids[code],
                    gap=max(1, need - levels[officer_id].get(code, 0)),
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
