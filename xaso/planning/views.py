"""Work-planning pages: a department's proposed work queues with the reasons for each choice,
accepting them (each dossier may be given to someone else, with a reason), and re-planning
when someone is absent.  Objects come through ``selectors`` (scope), writes through
``services``; access errors become the standard error pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xaso.accounts.models import User
from xaso.lib.errors import Conflict, InvalidInput
from xaso.planning import selectors, services
from xaso.planning.bridge import department_officers
from xaso.planning.models import AssignmentProposal, ProposalStatus


def _page(proposal: AssignmentProposal) -> str:
    return f"{reverse('planning:index')}?department={proposal.department_id}"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The latest proposal of the department (the user's own, or ``?department=`` for a leader)."""
    user = selectors.staff(request.user)
    department = selectors.get_department_for_user(user, request.GET.get("department"))
    proposal = department.assignment_proposals.first()
    return render(
        request,
        "planning/queues.html",
        {
            "department": department,
            "departments": selectors.departments_for_user(user).order_by("name"),
            "proposal": proposal,
            "queues": selectors.queues(proposal) if proposal else [],
            "officers": department_officers(department),
            "open": proposal is not None and proposal.status == ProposalStatus.PROPOSED,
        },
    )


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    user = selectors.staff(request.user)
    department = selectors.get_department_for_user(user, request.POST.get("department"))
    services.proposal_create(actor=user, department=department)
    messages.success(request, _("Work queues proposed."))
    return redirect(f"{reverse('planning:index')}?department={department.pk}")


@login_required
@require_POST
def accept(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Form fields per dossier: ``officer_<dossier id>`` (empty: as proposed) and ``reason_<id>``."""
    user = selectors.staff(request.user)
    proposal = selectors.get_proposal_for_user(user, proposal_id)
    overrides: dict[int, tuple[User, str]] = {}
    try:
        for row in proposal.assignments.all():
            raw = request.POST.get(f"officer_{row.dossier_id}", "").strip()
            if not raw or (raw.isdigit() and int(raw) == row.officer_id):
                continue
            officer = User.objects.filter(pk=int(raw) if raw.isdigit() else 0, is_active=True).first()
            if officer is None:
                raise InvalidInput(_("Choose an active officer of the commune."), field="overrides")
            overrides[row.dossier_id] = (officer, request.POST.get(f"reason_{row.dossier_id}", ""))
        services.proposal_accept(actor=user, proposal=proposal, overrides=overrides)
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Proposal accepted; the dossiers have been reassigned."))
    return redirect(_page(proposal))


@login_required
@require_POST
def replan(request: HttpRequest, proposal_id: int) -> HttpResponse:
    user = selectors.staff(request.user)
    proposal = selectors.get_proposal_for_user(user, proposal_id)
    absent = [int(v) for v in request.POST.getlist("absent") if v.isdigit()]
    try:
        services.proposal_replan(actor=user, proposal=proposal, absent=absent)
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Re-planned: the absent officers' dossiers have been moved."))
    return redirect(_page(proposal))
