"""Authorization for workforce objects: one helper per object type, as in
``xaso.accounts.authz``, with the same scope rules.

- An officer sees their own profile, evidence, enrolments, plan items and evaluations.
- A department head sees the people of their department (and manages them: assessments,
  enrolments, evaluation entries).
- A commune leader (or the commune's system administrator) sees and manages the commune.
- A province manager (Home Affairs) or province administrator sees every commune of the
  province; they run the province's training and question bank and may enrol and record
  training results, but evaluations are entered by the commune's own managers.

Each ``get_<obj>_for_user`` returns the object or raises ``NotFound`` / ``Forbidden``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from xaso.accounts import authz as accounts_authz
from xaso.accounts.authz import PROVINCE_ROLES, communes_for_user
from xaso.accounts.models import Role, User
from xaso.lib.errors import Forbidden, NotFound
from xaso.places.models import Commune, Department
from xaso.workforce.models import (
    Enrolment,
    Evaluation,
    Position,
    Session,
    SuccessorDesignation,
    TrainingPlan,
)

if TYPE_CHECKING:
    from xaso.accounts.authz import AnyUser

COMMUNE_MANAGERS = (Role.COMMUNE_LEADER, Role.SYSTEM_ADMIN)


def _staff(user: AnyUser) -> User:
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        raise Forbidden(_("Please sign in with a staff account."), code="not_authenticated")
    return user


def is_province_staff(user: User, province_id: int | None) -> bool:
    """A province-level manager or administrator of this province (or a superuser)."""
    if user.is_superuser:
        return True
    return (
        user.is_province_level
        and user.province_id is not None
        and user.province_id == province_id
        and user.has_role(*PROVINCE_ROLES)
    )


def is_commune_manager(user: User, commune_id: int | None) -> bool:
    return commune_id is not None and user.commune_id == commune_id and user.has_role(*COMMUNE_MANAGERS)


def is_department_head(user: User, department_id: int | None) -> bool:
    return (
        department_id is not None
        and user.department_id == department_id
        and user.has_role(Role.DEPARTMENT_HEAD)
    )


# --- people -----------------------------------------------------------------------------------


def people_for_user(user: AnyUser) -> QuerySet[User]:
    """Staff whose profile, evidence and plan the user may see (the staff-record rule)."""
    return accounts_authz.staff_for_user(user)


def get_person_for_user(user: AnyUser, person_id: int | str) -> User:
    return accounts_authz.get_staff_for_user(user, person_id)


def can_manage_person(viewer: AnyUser, person: User) -> bool:
    """Enrol them, record their training results, see and act on their gaps."""
    if not isinstance(viewer, User) or not viewer.is_authenticated or person.commune_id is None:
        return False
    commune_province = person.province_id
    return (
        is_province_staff(viewer, commune_province)
        or is_commune_manager(viewer, person.commune_id)
        or is_department_head(viewer, person.department_id)
    )


def can_assess(viewer: AnyUser, person: User) -> bool:
    """Write a manager assessment or an evaluation entry: their own managers, never oneself.
    Province staff do not assess commune officers (that is the commune's job)."""
    if not isinstance(viewer, User) or not viewer.is_authenticated or viewer.pk == person.pk:
        return False
    leader = viewer.commune_id == person.commune_id and viewer.has_role(Role.COMMUNE_LEADER)
    return viewer.is_superuser or leader or is_department_head(viewer, person.department_id)


def require_assessor(viewer: AnyUser, person: User) -> User:
    staff = _staff(viewer)
    if not can_assess(staff, person):
        raise Forbidden(_("Only this officer's department head or commune leader may do this."))
    return staff


def require_manager_of(viewer: AnyUser, person: User) -> User:
    staff = _staff(viewer)
    if not can_manage_person(staff, person):
        raise Forbidden(_("You do not manage this officer."))
    return staff


# --- scope of reports ------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What part of the province a report covers for a viewer."""

    communes: tuple[int, ...]
    department: int | None = None  # only this department's people
    person: int | None = None  # only this person
    province: bool = False  # the viewer sees every commune of the province

    @property
    def single_commune(self) -> int | None:
        return self.communes[0] if len(self.communes) == 1 else None


def report_scope(
    user: AnyUser, *, commune: int | str | None = None, department: int | str | None = None
) -> Scope:
    """The gap report's scope: the requested commune/department narrowed to what the user may see.

    Province staff: every commune, or the one asked for. Commune leaders: their commune
    (optionally one department). Department heads: their department. Others: themselves."""
    viewer = _staff(user)
    visible = communes_for_user(viewer)
    province_wide = viewer.is_superuser or (viewer.is_province_level and viewer.has_role(*PROVINCE_ROLES))
    if commune not in (None, ""):
        chosen = accounts_authz.get_commune_for_user(viewer, str(commune))
        codes: tuple[int, ...] = (chosen.code,)
    elif province_wide:
        codes = tuple(visible.order_by("code").values_list("code", flat=True))
    elif viewer.commune_id is not None:
        codes = (viewer.commune_id,)
    else:
        codes = ()
    dept: int | None = None
    if department not in (None, ""):
        try:
            dept_obj = Department.objects.get(pk=int(str(department)))
        except (Department.DoesNotExist, ValueError):
            raise NotFound(_("No department with id %(id)s.") % {"id": department}) from None
        if dept_obj.commune_id not in codes:
            raise Forbidden(_("This department is outside your unit."))
        dept = dept_obj.pk
    if province_wide:
        return Scope(communes=codes, department=dept, province=True)
    assert viewer.commune_id is not None or not codes
    if viewer.has_role(*COMMUNE_MANAGERS):
        return Scope(communes=codes, department=dept)
    if viewer.has_role(Role.DEPARTMENT_HEAD) and viewer.department_id is not None:
        if dept is not None and dept != viewer.department_id:
            raise Forbidden(_("You see only your own department."))
        return Scope(communes=codes, department=viewer.department_id)
    return Scope(communes=codes, person=viewer.pk)


# --- positions ---------------------------------------------------------------------------------


def positions_for_user(user: AnyUser) -> QuerySet[Position]:
    return Position.objects.filter(commune__in=communes_for_user(user))


def get_position_for_user(user: AnyUser, position_id: int | str) -> Position:
    viewer = _staff(user)
    try:
        position = Position.objects.select_related("commune", "department").get(pk=int(str(position_id)))
    except (Position.DoesNotExist, ValueError):
        raise NotFound(_("No job position with id %(id)s.") % {"id": position_id}) from None
    if not communes_for_user(viewer).filter(pk=position.commune_id).exists():
        raise Forbidden(_("This job position belongs to another unit."))
    return position


def can_edit_positions(user: AnyUser, commune: Commune) -> bool:
    """Adopt the province's template and adapt requirements: the commune's leader or
    administrator, or the province's Home Affairs staff."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return is_province_staff(user, commune.province_id) or is_commune_manager(user, commune.pk)


def require_position_editor(user: AnyUser, commune: Commune) -> User:
    staff = _staff(user)
    if not can_edit_positions(staff, commune):
        raise Forbidden(_("Only the commune's leader or the province may change job positions."))
    return staff


def can_designate_successors(user: AnyUser, commune: Commune) -> bool:
    """See and record the designated successors (quy hoạch cán bộ) for the commune's leadership
    posts: the commune's leader or the province's Home Affairs managers — the people who plan
    and read its rotation (``planning.rotation_services.can_plan_rotation`` /
    ``can_see_rotation``) — or a superuser.  Not the commune's system administrator, nor any
    other commune's staff."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.commune_id is not None:
        return user.commune_id == commune.pk and user.has_role(Role.COMMUNE_LEADER)
    return user.province_id == commune.province_id and user.has_role(Role.PROVINCE_MANAGER)


def require_successor_editor(user: AnyUser, commune: Commune) -> User:
    staff = _staff(user)
    if not can_designate_successors(staff, commune):
        raise Forbidden(
            _("Only the commune's leader or the province's Home Affairs may designate successors.")
        )
    return staff


def get_successor_for_user(user: AnyUser, designation_id: int | str) -> SuccessorDesignation:
    viewer = _staff(user)
    try:
        designation = SuccessorDesignation.objects.select_related("position__commune", "user").get(
            pk=int(str(designation_id))
        )
    except (SuccessorDesignation.DoesNotExist, ValueError):
        raise NotFound(_("No designated successor with id %(id)s.") % {"id": designation_id}) from None
    if not can_designate_successors(viewer, designation.position.commune):
        raise Forbidden(
            _("Only the commune's leader or the province's Home Affairs may designate successors.")
        )
    return designation


# --- training ------------------------------------------------------------------------------------


def sessions_for_user(user: AnyUser) -> QuerySet[Session]:
    """Training sessions a user may see: the province-wide ones of their province and those of
    the communes they see."""
    if not isinstance(user, User) or not user.is_authenticated or user.province_id is None:
        return Session.objects.none()
    communes = communes_for_user(user)
    return Session.objects.filter(province_id=user.province_id).filter(
        Q(commune__isnull=True) | Q(commune__in=communes)
    )


def get_session_for_user(user: AnyUser, session_id: int | str) -> Session:
    viewer = _staff(user)
    try:
        session = Session.objects.select_related("course", "commune").get(pk=int(str(session_id)))
    except (Session.DoesNotExist, ValueError):
        raise NotFound(_("No training session with id %(id)s.") % {"id": session_id}) from None
    if not sessions_for_user(viewer).filter(pk=session.pk).exists():
        raise Forbidden(_("This training session belongs to another unit."))
    return session


def can_run_sessions(user: AnyUser, commune: Commune | None, province_id: int | None) -> bool:
    """Create sessions: province staff for the province; a commune leader for their commune."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if is_province_staff(user, province_id):
        return True
    return commune is not None and is_commune_manager(user, commune.pk)


def get_enrolment_for_user(user: AnyUser, enrolment_id: int | str) -> Enrolment:
    viewer = _staff(user)
    try:
        enrolment = Enrolment.objects.select_related("session__course", "user").get(pk=int(str(enrolment_id)))
    except (Enrolment.DoesNotExist, ValueError):
        raise NotFound(_("No enrolment with id %(id)s.") % {"id": enrolment_id}) from None
    if not people_for_user(viewer).filter(pk=enrolment.user_id).exists():
        raise Forbidden(_("This enrolment belongs to another unit."))
    return enrolment


def get_plan_for_user(user: AnyUser, commune_code: int | str, year: int) -> TrainingPlan:
    viewer = _staff(user)
    commune = accounts_authz.get_commune_for_user(viewer, str(commune_code))
    plan = TrainingPlan.objects.filter(commune=commune, year=year).select_related("commune").first()
    if plan is None:
        raise NotFound(
            _("No training plan for %(commune)s in %(year)s.") % {"commune": commune.name, "year": year}
        )
    return plan


def can_build_plan(user: AnyUser, commune: Commune) -> bool:
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return is_province_staff(user, commune.province_id) or is_commune_manager(user, commune.pk)


def can_edit_questions(user: AnyUser, province_id: int | None) -> bool:
    return isinstance(user, User) and user.is_authenticated and is_province_staff(user, province_id)


# --- evaluations -----------------------------------------------------------------------------------


def get_evaluation_for_user(user: AnyUser, evaluation_id: int | str) -> Evaluation:
    viewer = _staff(user)
    try:
        evaluation = Evaluation.objects.select_related("user", "commune").get(pk=int(str(evaluation_id)))
    except (Evaluation.DoesNotExist, ValueError):
        raise NotFound(_("No evaluation with id %(id)s.") % {"id": evaluation_id}) from None
    if not people_for_user(viewer).filter(pk=evaluation.user_id).exists():
        raise Forbidden(_("This evaluation belongs to another unit."))
    return evaluation


def can_compute_evaluations(user: AnyUser, commune: Commune) -> bool:
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return user.is_superuser or (
        user.commune_id == commune.pk and user.has_role(Role.COMMUNE_LEADER, Role.DEPARTMENT_HEAD)
    )


def can_import_staff(user: AnyUser, commune: Commune) -> bool:
    return accounts_authz.can_manage_commune(user, commune)
