"""Work-planning API: a department's proposed work queues, accepting them (with overrides),
re-planning after an absence; a commune's rotation plans, decisions and disclosure.  Scope as
on the pages (head of the department, leader of the commune, Home Affairs to read rotation).

Explanations and reasons come twice: as text in the request's language (``explanation``,
``reasons``; see ``explanations``) and as the solver's structured terms (``terms``,
``reason_terms``: ``[{"code", "params"}]``, empty for rows made before they were stored)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja import Status as Reply

from xaso.accounts.models import User
from xaso.lib.errors import InvalidInput
from xaso.planning import rotation_services, selectors, services
from xaso.planning.models import (
    AssignmentProposal,
    ProposedAssignment,
    RotationDecision,
    RotationPlan,
    SharedPool,
)

router = Router(tags=["planning"])


class TermOut(Schema):
    code: str
    params: dict[str, object]


def terms_out(terms: object) -> list[TermOut]:
    """Stored ``[{"code", "params"}]`` (a JSON field) as the API's terms."""
    found = []
    for term in terms if isinstance(terms, list) else []:
        if isinstance(term, dict):
            params = term.get("params")
            found.append(
                TermOut(code=str(term.get("code", "")), params=params if isinstance(params, dict) else {})
            )
    return found


class AssignmentOut(Schema):
    dossier: int
    code: str
    officer: int | None
    position: int
    explanation: str
    """In the request's language."""
    terms: list[TermOut]
    late: bool
    accepted: bool
    overridden_to: int | None
    override_reason: str
    pool: int | None = None
    """The shared pool the dossier could go to besides its department (null: the department only)."""
    pool_name: str = ""
    officer_department: int | None = None
    through_pool: bool = False
    """The officer is of another department and takes it through the shared pool."""


class ProposalOut(Schema):
    id: int
    commune: int
    department: int
    status: str
    created_at: dt.datetime
    summary: dict[str, object]
    assignments: list[AssignmentOut]
    read_only: bool = False
    """True for another department's head: only the pool dossiers given to their officers."""


class ProposalIn(Schema):
    department: int | None = None


class OverrideIn(Schema):
    dossier: int
    officer: int
    reason: str


class AcceptIn(Schema):
    overrides: list[OverrideIn] = []


class ReplanIn(Schema):
    absent: list[int]


def proposal_out(
    proposal: AssignmentProposal, rows: QuerySet[ProposedAssignment] | None = None
) -> ProposalOut:
    if rows is None:
        rows = proposal.assignments.all()
    rows = rows.select_related("dossier", "officer", "pool").order_by("officer_id", "position", "pk")
    return ProposalOut(
        id=proposal.pk,
        commune=proposal.commune_id,
        department=proposal.department_id,
        status=proposal.status,
        created_at=proposal.created_at,
        summary=proposal.summary,
        assignments=[
            AssignmentOut(
                dossier=r.dossier_id,
                code=r.dossier.code,
                officer=r.officer_id,
                position=r.position,
                explanation=r.explanation_text,
                terms=terms_out(r.terms),
                late=r.late,
                accepted=r.accepted,
                overridden_to=r.overridden_to_id,
                override_reason=r.override_reason,
                pool=r.pool_id,
                pool_name=r.pool.name if r.pool else "",
                officer_department=r.officer.department_id if r.officer else None,
                through_pool=r.pool_id is not None
                and r.officer is not None
                and r.officer.department_id != proposal.department_id,
            )
            for r in rows
        ],
    )


@router.get("/planning/proposals", response=list[ProposalOut])
def proposals(request: HttpRequest, department: int | None = None, limit: int = 20) -> list[ProposalOut]:
    """The latest proposals of a department (default: the user's own)."""
    user = selectors.staff(request.user)
    dept = selectors.get_department_for_user(user, department)
    if not 1 <= limit <= 100:
        raise InvalidInput(_("limit must be between 1 and 100."), field="limit")
    return [proposal_out(p) for p in AssignmentProposal.objects.filter(department=dept)[:limit]]


@router.post("/planning/proposals", response={201: ProposalOut})
def proposal_create(request: HttpRequest, payload: ProposalIn) -> Reply[ProposalOut]:
    """Propose work queues for the department's open dossiers (the solver runs ≤ 5 s)."""
    user = selectors.staff(request.user)
    dept = selectors.get_department_for_user(user, payload.department)
    return Reply(201, proposal_out(services.proposal_create(actor=user, department=dept)))


@router.get("/planning/proposals/{proposal_id}", response=ProposalOut)
def proposal(request: HttpRequest, proposal_id: int) -> ProposalOut:
    """The whole proposal for its planners; for another department's head, read-only, the
    shared-pool dossiers it gives to their officers."""
    user = selectors.staff(request.user)
    found, pool_only = selectors.get_proposal_view_for_user(user, proposal_id)
    if pool_only:
        out = proposal_out(found, selectors.pool_rows(found, user.department_id or 0))
        out.read_only = True
        return out
    return proposal_out(found)


def _officer(pk: int) -> User:
    officer = User.objects.filter(pk=pk, is_active=True).first()
    if officer is None:
        raise InvalidInput(_("Choose an active officer of the commune."), field="overrides")
    return officer


@router.post("/planning/proposals/{proposal_id}/accept", response=ProposalOut)
def proposal_accept(request: HttpRequest, proposal_id: int, payload: AcceptIn) -> ProposalOut:
    """Apply the proposal; each override names the officer chosen instead and why."""
    user = selectors.staff(request.user)
    found = selectors.get_proposal_for_user(user, proposal_id)
    overrides = {o.dossier: (_officer(o.officer), o.reason) for o in payload.overrides}
    return proposal_out(services.proposal_accept(actor=user, proposal=found, overrides=overrides))


@router.post("/planning/proposals/{proposal_id}/replan", response=ProposalOut)
def proposal_replan(request: HttpRequest, proposal_id: int, payload: ReplanIn) -> ProposalOut:
    """These officers are away: move only their dossiers."""
    user = selectors.staff(request.user)
    found = selectors.get_proposal_for_user(user, proposal_id)
    return proposal_out(services.proposal_replan(actor=user, proposal=found, absent=payload.absent))


# --- shared pools ---------------------------------------------------------------------------


class PoolMemberOut(Schema):
    id: int
    name: str
    department: int | None
    department_name: str


class PoolOut(Schema):
    id: int
    commune: int
    name: str
    members: list[PoolMemberOut]
    departments: list[int]
    """Departments that take part (one of their officers is a member)."""
    fields: list[str]
    procedure_codes: list[str]
    is_active: bool


def pool_out(pool: SharedPool) -> PoolOut:
    members = sorted(pool.members.all(), key=lambda m: (m.full_name, m.pk))
    return PoolOut(
        id=pool.pk,
        commune=pool.commune_id,
        name=pool.name,
        members=[
            PoolMemberOut(
                id=m.pk,
                name=m.full_name,
                department=m.department_id,
                department_name=m.department.name if m.department else "",
            )
            for m in members
        ],
        departments=sorted({m.department_id for m in members if m.department_id is not None}),
        fields=[str(f) for f in pool.fields],
        procedure_codes=[str(c) for c in pool.procedure_codes],
        is_active=pool.is_active,
    )


@router.get("/planning/pools", response=list[PoolOut])
def pools(request: HttpRequest, commune: int | None = None) -> list[PoolOut]:
    """A commune's shared pools (default: the user's own commune): its staff and the province's."""
    user = selectors.staff(request.user)
    found = selectors.get_pools_commune_for_user(user, commune)
    return [pool_out(p) for p in selectors.pools_for_commune(found)]


@router.get("/planning/pools/{pool_id}", response=PoolOut)
def pool(request: HttpRequest, pool_id: int) -> PoolOut:
    user = selectors.staff(request.user)
    found = selectors.get_pool_for_user(user, pool_id)
    return pool_out(selectors.pools_for_commune(found.commune).get(pk=found.pk))


# --- rotation -------------------------------------------------------------------------------


class MoveOut(Schema):
    officer: int
    officer_name: str
    from_position: int
    from_title: str
    to_position: int
    to_title: str
    year: int
    reasons: list[str]
    """In the request's language."""
    reason_terms: list[TermOut]


class RotationPlanOut(Schema):
    id: int
    commune: int
    start_year: int
    years: int
    status: str
    created_at: dt.datetime
    summary: dict[str, object]
    moves: list[MoveOut]


class RotationPlanIn(Schema):
    commune: int | None = None
    start_year: int
    years: int = 3


class DecisionIn(Schema):
    commune: int | None = None
    kind: str
    user: int
    position: int | None = None
    year: int | None = None
    reason: str


class DecisionOut(Schema):
    id: int
    commune: int
    kind: str
    user: int
    position: int | None
    year: int | None
    reason: str
    decided_by: int | None
    created_at: dt.datetime
    withdrawn_at: dt.datetime | None


def rotation_out(plan: RotationPlan) -> RotationPlanOut:
    return RotationPlanOut(
        id=plan.pk,
        commune=plan.commune_id or 0,  # always set: province plans have their own endpoints
        start_year=plan.start_year,
        years=plan.years,
        status=plan.status,
        created_at=plan.created_at,
        summary={k: v for k, v in plan.summary.items() if k != "plan"},
        moves=[
            MoveOut(
                officer=m.user_id,
                officer_name=m.user.full_name,
                from_position=m.from_position_id,
                from_title=m.from_position.title,
                to_position=m.to_position_id,
                to_title=m.to_position.title,
                year=m.year,
                reasons=m.reason_texts,
                reason_terms=terms_out(m.reason_terms),
            )
            for m in selectors.name_competencies(
                list(plan.moves.select_related("user", "from_position", "to_position"))
            )
        ],
    )


def decision_out(d: RotationDecision) -> DecisionOut:
    return DecisionOut(
        id=d.pk,
        commune=d.commune_id,
        kind=d.kind,
        user=d.user_id,
        position=d.position_id,
        year=d.year,
        reason=d.reason,
        decided_by=d.decided_by_id,
        created_at=d.created_at,
        withdrawn_at=d.withdrawn_at,
    )


@router.get("/planning/rotation/plans", response=list[RotationPlanOut])
def rotation_plans(
    request: HttpRequest, commune: int | None = None, limit: int = 10
) -> list[RotationPlanOut]:
    """A commune's rotation plans, newest first (default: the user's own commune)."""
    user = selectors.staff(request.user)
    found = selectors.get_rotation_commune_for_user(user, commune)
    if not 1 <= limit <= 50:
        raise InvalidInput(_("limit must be between 1 and 50."), field="limit")
    return [rotation_out(p) for p in found.rotation_plans.all()[:limit]]


@router.post("/planning/rotation/plans", response={201: RotationPlanOut})
def rotation_plan_create(request: HttpRequest, payload: RotationPlanIn) -> Reply[RotationPlanOut]:
    """Solve the commune's rotation plan (the solver runs up to 20 s), respecting the
    leaders' active decisions."""
    user = selectors.staff(request.user)
    found = selectors.get_rotation_commune_for_user(user, payload.commune)
    plan = rotation_services.rotation_plan_create(
        actor=user, commune=found, start_year=payload.start_year, years=payload.years
    )
    return Reply(201, rotation_out(plan))


@router.get("/planning/rotation/plans/{plan_id}", response=RotationPlanOut)
def rotation_plan(request: HttpRequest, plan_id: int) -> RotationPlanOut:
    user = selectors.staff(request.user)
    return rotation_out(selectors.get_rotation_plan_for_user(user, plan_id))


@router.post("/planning/rotation/plans/{plan_id}/accept", response=RotationPlanOut)
def rotation_plan_accept(request: HttpRequest, plan_id: int) -> RotationPlanOut:
    user = selectors.staff(request.user)
    plan = selectors.get_rotation_plan_for_user(user, plan_id)
    return rotation_out(rotation_services.rotation_plan_accept(actor=user, plan=plan))


@router.get("/planning/rotation/plans/{plan_id}/disclosure")
def rotation_plan_disclosure(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The internal disclosure document (Markdown)."""
    user = selectors.staff(request.user)
    plan = selectors.get_rotation_plan_for_user(user, plan_id)
    return HttpResponse(selectors.disclosure_text(plan), content_type="text/markdown; charset=utf-8")


class TrainingIn(Schema):
    commune: int | None = None
    start_year: int
    years: int = 3


class TrainingOut(Schema):
    added: int


@router.post("/planning/rotation/training", response=TrainingOut)
def rotation_training(request: HttpRequest, payload: TrainingIn) -> TrainingOut:
    """Schedule cross-training for the officers due to move; returns the courses added."""
    user = selectors.staff(request.user)
    found = selectors.get_rotation_commune_for_user(user, payload.commune)
    added = rotation_services.rotation_training_schedule(
        actor=user, commune=found, start_year=payload.start_year, years=payload.years
    )
    return TrainingOut(added=added)


@router.get("/planning/rotation/decisions", response=list[DecisionOut])
def rotation_decisions(request: HttpRequest, commune: int | None = None) -> list[DecisionOut]:
    """The commune's active locks and forbids."""
    user = selectors.staff(request.user)
    found = selectors.get_rotation_commune_for_user(user, commune)
    return [decision_out(d) for d in selectors.active_decisions(found)]


@router.post("/planning/rotation/decisions", response={201: DecisionOut})
def rotation_decide(request: HttpRequest, payload: DecisionIn) -> Reply[DecisionOut]:
    """Record a lock or a forbid; solve again (``POST /plans``) to apply it."""
    user = selectors.staff(request.user)
    found = selectors.get_rotation_commune_for_user(user, payload.commune)
    officer, position = selectors.decision_targets(payload.user, payload.position)
    decision = rotation_services.rotation_decide(
        actor=user,
        commune=found,
        kind=payload.kind,
        user=officer,
        position=position,
        year=payload.year,
        reason=payload.reason,
    )
    return Reply(201, decision_out(decision))


@router.delete("/planning/rotation/decisions/{decision_id}", response=DecisionOut)
def rotation_withdraw(request: HttpRequest, decision_id: int) -> DecisionOut:
    user = selectors.staff(request.user)
    decision = selectors.get_rotation_decision_for_user(user, decision_id)
    return decision_out(rotation_services.rotation_decision_withdraw(actor=user, decision=decision))


# --- rotation between communes (province plans) --------------------------------------------


class ProvinceMoveOut(MoveOut):
    from_commune: int
    to_commune: int
    between_communes: bool


class ProvinceRotationPlanOut(Schema):
    id: int
    province: int
    communes: list[int]
    start_year: int
    years: int
    status: str
    created_at: dt.datetime
    summary: dict[str, object]
    """As a commune plan's; each duty names its ``commune``, ``between_communes`` counts the
    moves to another commune."""
    moves: list[ProvinceMoveOut]


class ProvinceRotationPlanIn(Schema):
    communes: list[int]
    start_year: int
    years: int = 3


def province_rotation_out(plan: RotationPlan) -> ProvinceRotationPlanOut:
    return ProvinceRotationPlanOut(
        id=plan.pk,
        province=plan.province_id or 0,
        communes=sorted(c.pk for c in plan.communes.all()),
        start_year=plan.start_year,
        years=plan.years,
        status=plan.status,
        created_at=plan.created_at,
        summary={k: v for k, v in plan.summary.items() if k != "plan"},
        moves=[
            ProvinceMoveOut(
                officer=m.user_id,
                officer_name=m.user.full_name,
                from_position=m.from_position_id,
                from_title=m.from_position.title,
                to_position=m.to_position_id,
                to_title=m.to_position.title,
                year=m.year,
                reasons=m.reason_texts,
                reason_terms=terms_out(m.reason_terms),
                from_commune=m.from_position.commune_id,
                to_commune=m.to_position.commune_id,
                between_communes=m.between_communes,
            )
            for m in selectors.name_competencies(
                list(plan.moves.select_related("user", "from_position", "to_position"))
            )
        ],
    )


@router.get("/planning/rotation/province/plans", response=list[ProvinceRotationPlanOut])
def province_rotation_plans(request: HttpRequest, limit: int = 10) -> list[ProvinceRotationPlanOut]:
    """Province plans, newest first: all of the province for Home Affairs, those covering
    their commune for a commune leader."""
    user = selectors.staff(request.user)
    selectors.require_province_rotation_reader(user)
    if not 1 <= limit <= 50:
        raise InvalidInput(_("limit must be between 1 and 50."), field="limit")
    found = selectors.province_rotation_plans_for_user(user).prefetch_related("communes")[:limit]
    return [province_rotation_out(p) for p in found]


@router.post("/planning/rotation/province/plans", response={201: ProvinceRotationPlanOut})
def province_rotation_plan_create(
    request: HttpRequest, payload: ProvinceRotationPlanIn
) -> Reply[ProvinceRotationPlanOut]:
    """Solve one plan over 2–10 communes of the user's province, officers moving between them
    (the solver runs up to 20 s); Home Affairs only."""
    user = selectors.staff(request.user)
    province, communes = selectors.province_plan_scope(user, payload.communes)
    plan = rotation_services.province_rotation_plan_create(
        actor=user,
        province=province,
        communes=communes,
        start_year=payload.start_year,
        years=payload.years,
    )
    return Reply(201, province_rotation_out(plan))


@router.get("/planning/rotation/province/plans/{plan_id}", response=ProvinceRotationPlanOut)
def province_rotation_plan(request: HttpRequest, plan_id: int) -> ProvinceRotationPlanOut:
    user = selectors.staff(request.user)
    return province_rotation_out(selectors.get_province_rotation_plan_for_user(user, plan_id))


@router.post("/planning/rotation/province/plans/{plan_id}/accept", response=ProvinceRotationPlanOut)
def province_rotation_plan_accept(request: HttpRequest, plan_id: int) -> ProvinceRotationPlanOut:
    user = selectors.staff(request.user)
    plan = selectors.get_province_rotation_plan_for_user(user, plan_id)
    return province_rotation_out(rotation_services.province_rotation_plan_accept(actor=user, plan=plan))


@router.get("/planning/rotation/province/plans/{plan_id}/disclosure")
def province_rotation_plan_disclosure(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The internal disclosure document of a province plan (Markdown)."""
    user = selectors.staff(request.user)
    plan = selectors.get_province_rotation_plan_for_user(user, plan_id)
    return HttpResponse(selectors.province_disclosure_text(plan), content_type="text/markdown; charset=utf-8")
