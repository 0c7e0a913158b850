"""Work-planning API: a department's proposed work queues, accepting them (with overrides),
re-planning after an absence; a commune's rotation plans, decisions and disclosure.  Scope as
on the pages (head of the department, leader of the commune, Home Affairs to read rotation).

Explanations and reasons come twice: as text in the request's language (``explanation``,
``reasons``; see ``explanations``) and as the solver's structured terms (``terms``,
``reason_terms``: ``[{"code", "params"}]``, empty for rows made before they were stored)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja import Status as Reply

from xaso.accounts.models import User
from xaso.lib.errors import InvalidInput
from xaso.planning import rotation_services, selectors, services
from xaso.planning.models import AssignmentProposal, RotationDecision, RotationPlan

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


class ProposalOut(Schema):
    id: int
    commune: int
    department: int
    status: str
    created_at: dt.datetime
    summary: dict[str, object]
    assignments: list[AssignmentOut]


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


def proposal_out(proposal: AssignmentProposal) -> ProposalOut:
    rows = proposal.assignments.select_related("dossier").order_by("officer_id", "position", "pk")
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
    user = selectors.staff(request.user)
    return proposal_out(selectors.get_proposal_for_user(user, proposal_id))


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
        commune=plan.commune_id,
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
