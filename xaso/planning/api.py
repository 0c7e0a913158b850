"""Work-planning API: a department's proposed work queues, accepting them (with overrides),
re-planning after an absence.  Scope as on the pages (head of the department, leader of the
commune)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja import Status as Reply

from xaso.accounts.models import User
from xaso.lib.errors import InvalidInput
from xaso.planning import selectors, services
from xaso.planning.models import AssignmentProposal

router = Router(tags=["planning"])


class AssignmentOut(Schema):
    dossier: int
    code: str
    officer: int | None
    position: int
    explanation: str
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
                explanation=r.explanation,
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
