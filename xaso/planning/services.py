"""Writes of work planning: propose queues for a department, accept them (with overrides and
their reasons), re-plan when someone is absent.

Each assignment is stored with the solver's explanation as structured terms
(``ProposedAssignment.terms``), which ``explanations`` says in the reader's language.

Only the department's head or the commune's leader (or a superuser) may do these; everyone
else gets ``Forbidden``.  A dossier that may go to a shared pool (``bridge``) may be proposed
for, and accepted to, a pool member of another department; the accept event lists those.
Shared pools are edited by the commune's leader and the heads of the departments that take
part (``can_edit_pool``; ``planning.pool_created`` / ``planning.pool_changed``).  Accepting applies each assignment through
``dossiers.services.dossier_reassign`` so the dossier's step, history and events are kept.
Every write leaves an audit event (``planning.proposal_*``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import Role, User
from xaso.audit.events import record
from xaso.catalog.models import Procedure
from xaso.dossiers.models import Dossier as DossierRow
from xaso.dossiers.services import dossier_reassign
from xaso.lib.errors import Conflict, Forbidden, InvalidInput
from xaso.places.models import Commune, Department
from xaso.planning.assignment import AssignmentPlan, Term, replan, solve
from xaso.planning.bridge import PLANNED_STATUSES, Built, build_department_problem
from xaso.planning.explanations import stored
from xaso.planning.models import AssignmentProposal, ProposalStatus, ProposedAssignment, SharedPool

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


def _stored(term: Term, built: Built, dossier_id: str) -> dict[str, Any]:
    """A term as stored; a shared-pool term also gets the pool's and the department's names."""
    params = dict(term.params)
    if term.code == "shared_pool":
        pool = built.pools.get(dossier_id)
        params["pool_name"] = pool.name if pool is not None else ""
        params["department_name"] = built.departments.get(str(params.get("department")), "")
    return stored(term.code, params)


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
                terms=[_stored(term, built, dossier_id) for term in planned.terms],
                late=planned.late,
                pool=built.pools.get(dossier_id),
            )
        )
    for dossier_id, reason in plan.unassigned.items():
        rows.append(
            ProposedAssignment(
                proposal=proposal,
                dossier=built.dossiers[dossier_id],
                terms=[stored(reason.code, reason.params)],
                pool=built.pools.get(dossier_id),
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
    pooled: dict[str, dict[str, int | None]] = {}
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
            if target.department_id != proposal.department_id:
                pooled[str(dossier_id)] = {
                    "to": target.pk,
                    "department": target.department_id,
                    "pool": row.pool_id,
                }
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
            "other_departments": pooled,
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
        raise InvalidInput(_("Choose officers of this department or its shared pools."), field="absent")
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


# --- shared pools ---------------------------------------------------------------------------


def can_edit_pool(user: User, commune: Commune, pool: SharedPool | None = None) -> bool:
    """The commune's leader; a department head of the commune for a new pool or one their
    department takes part in (one of its officers is a member); a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.commune_id != commune.pk:
        return False
    if user.has_role(Role.COMMUNE_LEADER):
        return True
    if not (user.department_id and user.has_role(Role.DEPARTMENT_HEAD)):
        return False
    return pool is None or pool.members.filter(department_id=user.department_id).exists()


def pool_candidates(commune: Commune) -> list[User]:
    """Who may be a member: the commune's active officers of a department."""
    return list(
        User.objects.filter(commune=commune, is_active=True, department__isnull=False)
        .select_related("department")
        .order_by("department__name", "full_name", "pk")
    )


def _clean_list(values: list[str]) -> list[str]:
    return sorted({v.strip() for v in values if v.strip()})


@transaction.atomic
def shared_pool_save(
    *,
    actor: User,
    commune: Commune,
    name: str,
    members: list[User],
    fields: list[str],
    procedure_codes: list[str],
    is_active: bool = True,
    pool: SharedPool | None = None,
) -> SharedPool:
    """Create a shared pool (``pool`` None) or change one; ``InvalidInput`` names the field.

    Members must be active officers of a department of the commune; the pool takes dossiers of
    at least one known procedure field or code.  A department head must stay a concerned head:
    their department keeps at least one member."""
    if pool is not None:
        pool = SharedPool.objects.select_for_update().get(pk=pool.pk)
        if pool.commune_id != commune.pk:
            raise InvalidInput(_("This shared pool belongs to another commune."), field="commune")
    if not can_edit_pool(actor, commune, pool):
        raise Forbidden(_("Only the commune's leader or a head of a department in the pool may edit it."))
    name = " ".join(name.split())[:200]
    if not name:
        raise InvalidInput(_("Give the shared pool a name."), field="name")
    clash = SharedPool.objects.filter(commune=commune, name__iexact=name)
    if pool is not None:
        clash = clash.exclude(pk=pool.pk)
    if clash.exists():
        raise InvalidInput(_("The commune already has a shared pool with this name."), field="name")
    people = {m.pk: m for m in members}
    allowed = {u.pk for u in pool_candidates(commune)}
    if set(people) - allowed:
        raise InvalidInput(_("Choose active officers of the commune's departments."), field="members")
    if len({m.department_id for m in people.values()}) < 2:
        raise InvalidInput(_("A shared pool needs officers of at least two departments."), field="members")
    head_only = not actor.is_superuser and not actor.has_role(Role.COMMUNE_LEADER)
    if head_only and all(m.department_id != actor.department_id for m in people.values()):
        raise InvalidInput(_("Keep at least one officer of your department in the pool."), field="members")
    fields, codes = _clean_list(fields), _clean_list(procedure_codes)
    if not fields and not codes:
        raise InvalidInput(_("Choose the procedure fields or procedures the pool takes."), field="fields")
    known_fields = set(Procedure.objects.filter(field__in=fields).values_list("field", flat=True))
    if set(fields) - known_fields:
        unknown = ", ".join(sorted(set(fields) - known_fields))
        raise InvalidInput(_("Unknown procedure fields: %(fields)s.") % {"fields": unknown}, field="fields")
    known_codes = set(Procedure.objects.filter(code__in=codes).values_list("code", flat=True))
    if set(codes) - known_codes:
        unknown = ", ".join(sorted(set(codes) - known_codes))
        raise InvalidInput(
            _("Unknown procedure codes: %(codes)s.") % {"codes": unknown}, field="procedure_codes"
        )
    before: dict[str, object] = {}
    if pool is None:
        pool = SharedPool(commune=commune)
    else:
        before = _pool_state(pool)
    pool.name, pool.fields, pool.procedure_codes, pool.is_active = name, fields, codes, is_active
    pool.save()
    pool.members.set(sorted(people))
    after = _pool_state(pool)
    record(
        actor=actor,
        action="planning.pool_changed" if before else "planning.pool_created",
        obj=pool,
        commune=commune,
        data={"after": after, "changed": sorted(k for k in after if before.get(k) != after[k])}
        if before
        else {"after": after},
    )
    return pool


def _pool_state(pool: SharedPool) -> dict[str, object]:
    return {
        "name": pool.name,
        "members": sorted(pool.members.values_list("pk", flat=True)),
        "fields": list(pool.fields),
        "procedure_codes": list(pool.procedure_codes),
        "is_active": pool.is_active,
    }
