"""Reads of work planning, scoped like every object: ``NotFound`` when it does not exist,
``Forbidden`` when it is not the user's to plan (``services.can_plan``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from xaso.accounts.models import Role, User
from xaso.lib.errors import Forbidden, InvalidInput, NotFound
from xaso.places.models import Commune, Department
from xaso.planning.explanations import competency_names, reason_competencies
from xaso.planning.models import (
    AssignmentProposal,
    ProposedAssignment,
    RotationDecision,
    RotationMove,
    RotationPlan,
)
from xaso.planning.rotation_services import can_see_rotation
from xaso.planning.services import require_planner
from xaso.workforce.models import Position as WorkPosition


def staff(user: object) -> User:
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        raise Forbidden(_("Please sign in with a staff account."), code="not_authenticated")
    return user


def departments_for_user(user: User) -> QuerySet[Department]:
    """Departments the user may plan: their own as head, every one of the commune as leader."""
    if user.is_superuser:
        return Department.objects.all()
    if user.commune_id is not None and user.has_role(Role.COMMUNE_LEADER):
        return Department.objects.filter(commune_id=user.commune_id)
    if user.department_id is not None and user.has_role(Role.DEPARTMENT_HEAD):
        return Department.objects.filter(pk=user.department_id)
    return Department.objects.none()


def get_department_for_user(user: User, department_id: int | str | None) -> Department:
    """The department asked for, or the user's own when none is given."""
    raw = department_id if department_id not in (None, "") else user.department_id
    try:
        department = Department.objects.select_related("commune").get(pk=int(str(raw)))
    except (Department.DoesNotExist, ValueError):
        raise NotFound(_("No such department.")) from None
    require_planner(user, department)
    return department


def get_proposal_for_user(user: User, proposal_id: int | str) -> AssignmentProposal:
    try:
        proposal = AssignmentProposal.objects.select_related("department", "commune").get(pk=int(proposal_id))
    except (AssignmentProposal.DoesNotExist, ValueError):
        raise NotFound(_("No such proposal.")) from None
    require_planner(user, proposal.department)
    return proposal


@dataclass
class Queue:
    officer: User | None
    rows: list[ProposedAssignment]


def queues(proposal: AssignmentProposal) -> list[Queue]:
    """Each officer's ordered queue; dossiers nobody may take come last (``officer`` None)."""
    rows = proposal.assignments.select_related("dossier", "dossier__procedure", "officer", "overridden_to")
    grouped: dict[int | None, Queue] = {}
    for row in rows.order_by("position", "pk"):
        grouped.setdefault(row.officer_id, Queue(row.officer, [])).rows.append(row)
    return sorted(
        grouped.values(),
        key=lambda q: (
            q.officer is None,
            q.officer.full_name if q.officer else "",
            q.officer.pk if q.officer else 0,
        ),
    )


# --- rotation -------------------------------------------------------------------------------


def rotation_communes_for_user(user: User) -> QuerySet[Commune]:
    """Communes whose rotation the user may see: their own as leader, the province's as its
    Home Affairs manager, all for a superuser."""
    if user.is_superuser:
        return Commune.objects.all()
    if user.commune_id is not None and user.has_role(Role.COMMUNE_LEADER):
        return Commune.objects.filter(pk=user.commune_id)
    if user.commune_id is None and user.province_id is not None and user.has_role(Role.PROVINCE_MANAGER):
        return Commune.objects.filter(province_id=user.province_id)
    return Commune.objects.none()


def get_rotation_commune_for_user(user: User, code: int | str | None) -> Commune:
    """The commune asked for (default: the user's own); ``Forbidden`` when not theirs to see."""
    raw = code if code not in (None, "") else user.commune_id
    try:
        commune = Commune.objects.select_related("province").get(pk=int(str(raw)))
    except (Commune.DoesNotExist, ValueError):
        raise NotFound(_("No such commune.")) from None
    if not can_see_rotation(user, commune):
        raise Forbidden(_("Rotation plans are for the commune's leader and the province's Home Affairs."))
    return commune


def get_rotation_plan_for_user(user: User, plan_id: int | str) -> RotationPlan:
    try:
        plan = RotationPlan.objects.select_related("commune", "commune__province").get(pk=int(plan_id))
    except (RotationPlan.DoesNotExist, ValueError):
        raise NotFound(_("No such rotation plan.")) from None
    if not can_see_rotation(user, plan.commune):
        raise Forbidden(_("Rotation plans are for the commune's leader and the province's Home Affairs."))
    return plan


def get_rotation_decision_for_user(user: User, decision_id: int | str) -> RotationDecision:
    try:
        decision = RotationDecision.objects.select_related("commune").get(pk=int(decision_id))
    except (RotationDecision.DoesNotExist, ValueError):
        raise NotFound(_("No such decision.")) from None
    if not can_see_rotation(user, decision.commune):
        raise Forbidden(_("Rotation plans are for the commune's leader and the province's Home Affairs."))
    return decision


@dataclass
class DutyRow:
    officer: User | None
    position: WorkPosition | None
    data: dict[str, object]


@dataclass
class RotationView:
    """A stored plan with its rows resolved for the page and the disclosure."""

    plan: RotationPlan
    moves_by_year: list[tuple[int, list[RotationMove]]]
    duties: list[DutyRow]
    vacancies: list[tuple[WorkPosition | None, int, int]]
    decisions: list[RotationDecision]


def name_competencies(moves: list[RotationMove]) -> list[RotationMove]:
    """Look up the names of the competencies all these moves' reasons mention, once."""
    names = competency_names(reason_competencies(term for move in moves for term in move.reason_terms))
    for move in moves:
        move.competency_names = names
    return moves


def rotation_view(plan: RotationPlan) -> RotationView:
    moves = name_competencies(list(plan.moves.select_related("user", "from_position", "to_position")))
    by_year = [
        (year, [m for m in moves if m.year == year]) for year in range(plan.start_year, plan.end_year + 1)
    ]
    ids = {int(d["officer"]) for d in plan.summary.get("duties", [])}
    seats = {int(d["position"]) for d in plan.summary.get("duties", [])} | {
        int(v["position"]) for v in plan.summary.get("vacancies", [])
    }
    people = User.objects.in_bulk(ids)
    positions = WorkPosition.objects.in_bulk(seats)
    duties = [
        DutyRow(people.get(int(d["officer"])), positions.get(int(d["position"])), d)
        for d in plan.summary.get("duties", [])
    ]
    duties.sort(key=lambda r: (r.data["status"] != "due", r.data.get("deadline") or 0, str(r.officer)))
    vacancies = [
        (positions.get(int(v["position"])), int(v["year"]), int(v["short"]))
        for v in plan.summary.get("vacancies", [])
    ]
    decisions = list(
        RotationDecision.objects.filter(pk__in=plan.summary.get("decisions", [])).select_related(
            "user", "position", "decided_by"
        )
    )
    return RotationView(plan, by_year, duties, vacancies, decisions)


def decision_targets(user_id: int | None, position_id: int | None) -> tuple[User, WorkPosition | None]:
    """The officer and (optional) position a decision names, by id; ``InvalidInput`` naming the
    field when either does not exist (whether they belong to the commune is the service's check)."""
    officer = User.objects.filter(pk=user_id or 0).first()
    if officer is None:
        raise InvalidInput(_("Choose an officer who holds a position in this commune."), field="user")
    if position_id is None:
        return officer, None
    position = WorkPosition.objects.filter(pk=position_id).first()
    if position is None:
        raise InvalidInput(_("Choose a position of this commune."), field="position")
    return officer, position


def active_decisions(commune: Commune) -> QuerySet[RotationDecision]:
    return RotationDecision.objects.filter(commune=commune, withdrawn_at__isnull=True).select_related(
        "user", "position", "decided_by"
    )


def disclosure_text(plan: RotationPlan) -> str:
    """The plan as the internal disclosure document (Markdown), in the user's language."""
    return render_to_string(
        "planning/rotation_disclosure.md", {"view": rotation_view(plan), "commune": plan.commune}
    )
