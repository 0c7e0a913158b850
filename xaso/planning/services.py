"""Writes of work planning: propose queues for a department, accept them (with overrides and
their reasons), re-plan when someone is absent.

Each assignment is stored with the solver's explanation as structured terms
(``ProposedAssignment.terms``), which ``explanations`` says in the reader's language.

Only the department's head or the commune's leader (or a superuser) may do these; everyone
else gets ``Forbidden``.  Accepting applies each assignment through
``dossiers.services.dossier_reassign`` so the dossier's step, history and events are kept.
Every write leaves an audit event (``planning.proposal_*``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import Role, User
from xaso.audit.events import record
from xaso.dossiers.models import Dossier as DossierRow
from xaso.dossiers.services import dossier_reassign
from xaso.lib.errors import Conflict, Forbidden, InvalidInput
from xaso.places.models import Department
from xaso.planning.assignment import AssignmentPlan, replan, solve
from xaso.planning.bridge import PLANNED_STATUSES, Built, build_department_problem
from xaso.planning.explanations import stored
from xaso.planning.models import AssignmentProposal, ProposalStatus, ProposedAssignment

SOLVE_SECONDS = 5.0
"""Time limit for one department's proposal."""
REPLAN_SECONDS = 1.0
SEED = 0

Overrides = Mapping[int, tuple[User, str]]
"""Dossier id → (officer chosen instead, reason)."""


def can_plan(user: User, department: Department) -> bool:
    """The department's head, the commune's leader, or a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.commune_id != department.commune_id:
        return False
    head = user.department_id == department.pk and user.has_role(Role.DEPARTMENT_HEAD)
    return head or user.has_role(Role.COMMUNE_LEADER)


def require_planner(user: User, department: Department) -> None:
    if not can_plan(user, department):
        raise Forbidden(_("Only the department's head or the commune's leader may plan its work."))


def _summary(plan: AssignmentPlan, absent: list[int]) -> dict[str, object]:
    return {
        "late": plan.breakdown.late,
        "lower_bound": plan.lower_bound.total,
        "gap": plan.late_gap,
        "unassigned": len(plan.unassigned),
        "seconds": round(plan.seconds, 3),
        "absent": absent,
    }


def _store(proposal: AssignmentProposal, built: Built, plan: AssignmentPlan) -> None:
    """One row per dossier with the solver's terms (``explanations`` says them when shown)."""
    rows = []
    for dossier_id, planned in plan.assignments.items():
        rows.append(
            ProposedAssignment(
                proposal=proposal,
                dossier=built.dossiers[dossier_id],
                officer=built.officers[planned.officer_id],
                position=planned.position,
                terms=[stored(term.code, term.params) for term in planned.terms],
                late=planned.late,
            )
        )
    for dossier_id, reason in plan.unassigned.items():
        rows.append(
            ProposedAssignment(
                proposal=proposal,
                dossier=built.dossiers[dossier_id],
                terms=[stored(reason.code, reason.params)],
            )
        )
    ProposedAssignment.objects.bulk_create(rows)


@transaction.atomic
def proposal_create(
    *, actor: User | None, department: Department, seconds: float = SOLVE_SECONDS
) -> AssignmentProposal:
    """Solve the department's open dossiers (≤ ``seconds``) and store the proposal.

    ``actor`` None is the background worker (``propose_one_due``): it prepares the morning's
    proposal, which the head still has to accept."""
    if actor is not None:
        require_planner(actor, department)
    built = build_department_problem(department)
    plan = solve(built.problem, seconds=seconds, seed=SEED, clock=built.clock())
    proposal = AssignmentProposal.objects.create(
        commune=department.commune, department=department, created_by=actor, summary=_summary(plan, [])
    )
    _store(proposal, built, plan)
    record(
        actor=actor,
        action="planning.proposal_created",
        obj=proposal,
        commune=department.commune,
        data={k: v for k, v in proposal.summary.items() if k != "absent"},
    )
    return proposal


def _open(proposal: AssignmentProposal) -> None:
    if proposal.status != ProposalStatus.PROPOSED:
        raise Conflict(_("This proposal has already been accepted."))


@transaction.atomic
def proposal_accept(
    *, actor: User, proposal: AssignmentProposal, overrides: Overrides | None = None
) -> AssignmentProposal:
    """Apply every assignment (or its override) with ``dossier_reassign``; keep the overrides.

    An override needs a reason (``InvalidInput`` on ``override_reason``) and must name a
    dossier of the proposal (``InvalidInput`` on ``overrides``).  Dossiers that closed since the
    proposal, and those nobody could take, are left as they are."""
    proposal = AssignmentProposal.objects.select_for_update().get(pk=proposal.pk)
    require_planner(actor, proposal.department)
    _open(proposal)
    overrides = overrides or {}
    rows = {row.dossier_id: row for row in proposal.assignments.select_related("dossier", "officer")}
    unknown = set(overrides) - set(rows)
    if unknown:
        raise InvalidInput(_("An override names a dossier that is not in this proposal."), field="overrides")
    for officer, reason in overrides.values():
        if not reason.strip():
            raise InvalidInput(_("Give the reason for each override."), field="override_reason")
        if officer.commune_id != proposal.commune_id or not officer.is_active:
            raise InvalidInput(_("Choose an active officer of the commune."), field="overrides")
    applied = 0
    for dossier_id, row in rows.items():
        override = overrides.get(dossier_id)
        if override is not None:
            row.overridden_to, row.override_reason = override[0], override[1].strip()[:2000]
        target = row.overridden_to or row.officer
        dossier: DossierRow = row.dossier
        dossier.refresh_from_db(fields=["status", "assignee"])
        if target is not None and dossier.status in PLANNED_STATUSES:
            if dossier.assignee_id != target.pk:
                dossier_reassign(actor=actor, code=dossier.code, assignee=target)
                applied += 1
            row.accepted = True
        row.save(update_fields=["overridden_to", "override_reason", "accepted"])
    proposal.status = ProposalStatus.ACCEPTED
    proposal.accepted_at = timezone.now()
    proposal.accepted_by = actor
    proposal.save(update_fields=["status", "accepted_at", "accepted_by"])
    record(
        actor=actor,
        action="planning.proposal_accepted",
        obj=proposal,
        commune=proposal.commune,
        data={
            "reassigned": applied,
            "overrides": {str(d): {"to": o.pk, "reason": r.strip()} for d, (o, r) in overrides.items()},
        },
    )
    return proposal


@transaction.atomic
def proposal_replan(*, actor: User, proposal: AssignmentProposal, absent: list[int]) -> AssignmentProposal:
    """Someone is away: move only their dossiers (``assignment.replan``), everyone else's stay.

    The department is read again (dossiers closed since drop out); the stored proposal is
    rebuilt as the solver's previous plan (its assignments kept) and then re-planned."""
    proposal = AssignmentProposal.objects.select_for_update().get(pk=proposal.pk)
    require_planner(actor, proposal.department)
    _open(proposal)
    built = build_department_problem(proposal.department)
    ids = {str(a) for a in absent}
    if not ids or not ids <= set(built.officers):
        raise InvalidInput(_("Choose officers of this department."), field="absent")
    stored = {
        str(d): str(o)
        for d, o in proposal.assignments.filter(officer__isnull=False).values_list("dossier_id", "officer_id")
    }
    keep = {d: o for d, o in stored.items() if d in built.dossiers and o in built.officers}
    clock = built.clock()
    previous = solve(built.problem, seconds=REPLAN_SECONDS, seed=SEED, keep=keep, clock=clock)
    before = {str(a) for a in proposal.summary.get("absent", [])} & set(built.officers)
    away = ids | before
    plan = replan(built.problem, previous, absent=away, seconds=REPLAN_SECONDS, seed=SEED, clock=clock)
    proposal.assignments.all().delete()
    _store(proposal, built, plan)
    proposal.summary = _summary(plan, sorted(int(a) for a in away))
    proposal.save(update_fields=["summary"])
    record(
        actor=actor,
        action="planning.proposal_replanned",
        obj=proposal,
        commune=proposal.commune,
        data={"absent": sorted(int(a) for a in ids), "late": plan.breakdown.late},
    )
    return proposal


WORKER_SECONDS = 2.0


def propose_one_due(now: dt.datetime | None = None) -> bool:
    """Worker unit: propose today's queues for one department that has dossiers to plan and no
    proposal since midnight (local time).  The department row is locked with SKIP LOCKED so
    two workers never solve the same department; returns whether it found one."""
    now = now or timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    fresh = AssignmentProposal.objects.filter(department=OuterRef("pk"), created_at__gte=midnight)
    candidates = (
        Department.objects.filter(
            Exists(DossierRow.objects.filter(department=OuterRef("pk"), status__in=PLANNED_STATUSES))
        )
        .exclude(Exists(fresh))
        .order_by("pk")
    )
    with transaction.atomic():
        department = candidates.select_for_update(skip_locked=True).select_related("commune").first()
        if department is None:
            return False
        proposal_create(actor=None, department=department, seconds=WORKER_SECONDS)
    return True
