"""Reads of work planning, scoped like every object: ``NotFound`` when it does not exist,
``Forbidden`` when it is not the user's to plan (``services.can_plan``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from xaso.accounts.authz import get_commune_for_user
from xaso.accounts.models import Role, User
from xaso.lib.errors import Forbidden, InvalidInput, NotFound
from xaso.places.models import Commune, Department, Province
from xaso.planning.explanations import competency_names, reason_competencies
from xaso.planning.models import (
    AssignmentProposal,
    ProposedAssignment,
    RotationDecision,
    RotationMove,
    RotationPlan,
    SharedPool,
)
from xaso.planning.rotation_services import (
    can_plan_province_rotation,
    can_see_province_rotation,
    can_see_rotation,
)
from xaso.planning.services import can_plan, require_planner
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


def pool_rows(proposal: AssignmentProposal, department_id: int) -> QuerySet[ProposedAssignment]:
    """The proposal's shared-pool rows given (or overridden) to officers of ``department_id``."""
    return proposal.assignments.filter(pool__isnull=False).filter(
        Q(officer__department_id=department_id) | Q(overridden_to__department_id=department_id)
    )


def can_see_pool_rows(user: User, proposal: AssignmentProposal) -> bool:
    """Another department's head, when the proposal gives pool dossiers to their officers."""
    return (
        user.is_active
        and user.commune_id == proposal.commune_id
        and user.department_id is not None
        and user.department_id != proposal.department_id
        and user.has_role(Role.DEPARTMENT_HEAD)
        and pool_rows(proposal, user.department_id).exists()
    )


def get_proposal_view_for_user(user: User, proposal_id: int | str) -> tuple[AssignmentProposal, bool]:
    """A proposal to read, and whether the reader sees only their officers' pool rows (another
    department's head, read-only); ``Forbidden`` for everyone else who may not plan it."""
    try:
        proposal = AssignmentProposal.objects.select_related("department", "commune").get(pk=int(proposal_id))
    except (AssignmentProposal.DoesNotExist, ValueError):
        raise NotFound(_("No such proposal.")) from None
    if can_plan(user, proposal.department):
        return proposal, False
    if can_see_pool_rows(user, proposal):
        return proposal, True
    raise Forbidden(_("Only the department's head or the commune's leader may plan its work."))


def visible_rows(user: User, proposal: AssignmentProposal, pool_only: bool) -> QuerySet[ProposedAssignment]:
    rows = proposal.assignments.all()
    if pool_only:
        rows = pool_rows(proposal, user.department_id or 0)
    return rows.select_related(
        "dossier", "dossier__procedure", "officer", "officer__department", "overridden_to", "pool"
    )


def incoming_pool_rows(user: User, department: Department) -> list[ProposedAssignment]:
    """Pool dossiers of the commune's other departments given to ``department``'s officers in
    their latest proposals (proposed or accepted), for the department's own page."""
    latest = {
        p.department_id: p
        for p in AssignmentProposal.objects.filter(commune_id=department.commune_id)
        .exclude(department=department)
        .order_by("department_id", "created_at", "pk")
    }
    found: list[ProposedAssignment] = []
    for proposal in sorted(latest.values(), key=lambda p: p.pk):
        found.extend(
            pool_rows(proposal, department.pk).select_related(
                "dossier", "dossier__procedure", "officer", "overridden_to", "pool", "proposal__department"
            )
        )
    return found


def planning_officers(department: Department) -> list[User]:
    """Who may be given the department's dossiers: its officers, then the members of its shared
    pools from other departments (for overrides and re-plans)."""
    from xaso.planning.bridge import department_officers, department_pools, pool_members

    return department_officers(department) + pool_members(department, department_pools(department))


def pools_for_commune(commune: Commune) -> QuerySet[SharedPool]:
    return SharedPool.objects.filter(commune=commune).prefetch_related("members", "members__department")


def get_pools_commune_for_user(user: User, code: int | str | None) -> Commune:
    """The commune whose shared pools to show (default: the user's own): its staff and the
    province's; ``Forbidden`` for anyone else (``authz.get_commune_for_user``)."""
    raw = code if code not in (None, "") else user.commune_id
    if raw is None:
        raise NotFound(_("No such commune."))
    return get_commune_for_user(user, str(raw))


def get_pool_for_user(user: User, pool_id: int | str) -> SharedPool:
    try:
        pool = SharedPool.objects.select_related("commune").get(pk=int(pool_id))
    except (SharedPool.DoesNotExist, ValueError):
        raise NotFound(_("No such shared pool.")) from None
    get_commune_for_user(user, pool.commune_id)
    return pool


@dataclass
class Queue:
    officer: User | None
    rows: list[ProposedAssignment]


def queues(proposal: AssignmentProposal) -> list[Queue]:
    """Each officer's ordered queue; dossiers nobody may take come last (``officer`` None)."""
    rows = proposal.assignments.select_related(
        "dossier", "dossier__procedure", "officer", "officer__department", "overridden_to", "pool"
    )
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
        plan = RotationPlan.objects.select_related("commune", "commune__province").get(
            pk=int(plan_id),
            commune__isnull=False,  # province plans: ``get_province_rotation_plan_for_user``
        )
    except (RotationPlan.DoesNotExist, ValueError):
        raise NotFound(_("No such rotation plan.")) from None
    assert plan.commune is not None
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
            "user", "position", "decided_by", "commune"
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


# --- rotation between communes (province plans) --------------------------------------------


def province_rotation_plans_for_user(user: User) -> QuerySet[RotationPlan]:
    """Province plans the user may see, newest first: all of the province for its Home
    Affairs managers, those covering their commune for a commune leader."""
    plans = RotationPlan.objects.filter(commune__isnull=True, province__isnull=False)
    if user.is_superuser:
        return plans
    if user.commune_id is None and user.province_id is not None and user.has_role(Role.PROVINCE_MANAGER):
        return plans.filter(province_id=user.province_id)
    if user.commune_id is not None and user.has_role(Role.COMMUNE_LEADER):
        return plans.filter(communes=user.commune_id)
    return plans.none()


def require_province_rotation_reader(user: User) -> None:
    """Province plans are for Home Affairs and the leaders of the communes they cover."""
    if not (
        user.is_superuser
        or (user.commune_id is None and user.province_id is not None and user.has_role(Role.PROVINCE_MANAGER))
        or (user.commune_id is not None and user.has_role(Role.COMMUNE_LEADER))
    ):
        raise Forbidden(_("Province rotation plans are for the province's Home Affairs and commune leaders."))


def get_province_rotation_plan_for_user(user: User, plan_id: int | str) -> RotationPlan:
    try:
        plan = RotationPlan.objects.select_related("province").get(
            pk=int(plan_id), commune__isnull=True, province__isnull=False
        )
    except (RotationPlan.DoesNotExist, ValueError):
        raise NotFound(_("No such rotation plan.")) from None
    if not can_see_province_rotation(user, plan):
        raise Forbidden(_("Province rotation plans are for the province's Home Affairs and commune leaders."))
    return plan


def province_communes_for_user(user: User) -> QuerySet[Commune]:
    """The communes a province plan of this user may cover (none unless they may plan one)."""
    if user.is_superuser:
        return Commune.objects.all()
    province = user.province
    if province is not None and can_plan_province_rotation(user, province):
        return Commune.objects.filter(province=province)
    return Commune.objects.none()


def province_plan_scope(user: User, codes: Iterable[int]) -> tuple[Province, list[Commune]]:
    """The user's province and the communes (by code) a new province plan is to cover:
    ``Forbidden`` unless the user is its Home Affairs manager, ``InvalidInput`` naming
    ``communes`` when a code is not a commune of the province (the count is the service's check)."""
    province = user.province
    if province is None or not can_plan_province_rotation(user, province):
        raise Forbidden(_("Only the province's Home Affairs may plan rotation between communes."))
    wanted = set(codes)
    communes = list(Commune.objects.filter(province=province, pk__in=wanted))
    if len(communes) != len(wanted):
        raise InvalidInput(_("Choose communes of your province."), field="communes")
    return province, communes


@dataclass
class CommuneDuties:
    """One commune's transfer duties in a province plan."""

    commune: Commune | None
    code: str
    due: int
    met: int
    rows: list[DutyRow]

    @property
    def overdue(self) -> int:
        return self.due - self.met


@dataclass
class ProvinceRotationView:
    """A province plan with its rows resolved: the moves by year (``move.between_communes``
    flags a move to another commune), and each commune's duties."""

    plan: RotationPlan
    communes: list[Commune]
    moves_by_year: list[tuple[int, list[RotationMove]]]
    duties_by_commune: list[CommuneDuties]
    vacancies: list[tuple[WorkPosition | None, int, int]]
    decisions: list[RotationDecision]

    @property
    def between_communes(self) -> int:
        return sum(1 for _year, moves in self.moves_by_year for m in moves if m.between_communes)


def province_rotation_view(plan: RotationPlan) -> ProvinceRotationView:
    base = rotation_view(plan)
    communes = list(plan.communes.order_by("name"))
    by_code = {str(c.pk): c for c in communes}
    for _year, rows in base.moves_by_year:  # the communes' names without a query per move
        for move in rows:
            for seat in (move.from_position, move.to_position):
                if str(seat.commune_id) in by_code:
                    seat.commune = by_code[str(seat.commune_id)]
    grouped: dict[str, list[DutyRow]] = {code: [] for code in by_code}
    for row in base.duties:
        code = str(row.data.get("commune") or (row.position.commune_id if row.position else ""))
        grouped.setdefault(code, []).append(row)
    duties = [
        CommuneDuties(
            commune=by_code.get(code),
            code=code,
            due=sum(1 for r in rows if r.data["status"] == "due"),
            met=sum(1 for r in rows if r.data["status"] == "due" and r.data["met"]),
            rows=rows,
        )
        for code, rows in grouped.items()
    ]
    duties.sort(key=lambda d: (d.commune is None, d.commune.name if d.commune else d.code))
    return ProvinceRotationView(plan, communes, base.moves_by_year, duties, base.vacancies, base.decisions)


def province_disclosure_text(plan: RotationPlan) -> str:
    """A province plan as the internal disclosure document (Markdown), in the user's language."""
    return render_to_string(
        "planning/rotation_province_disclosure.md", {"view": province_rotation_view(plan)}
    )
