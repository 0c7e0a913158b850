"""Reads of work planning, scoped like every object: ``NotFound`` when it does not exist,
``Forbidden`` when it is not the user's to plan (``services.can_plan``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xaso.accounts.models import Role, User
from xaso.lib.errors import Forbidden, NotFound
from xaso.places.models import Department
from xaso.planning.models import AssignmentProposal, ProposedAssignment
from xaso.planning.services import require_planner


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
