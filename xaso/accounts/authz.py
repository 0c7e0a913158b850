"""Authorization: one helper per object type, used by every view and API call.

The rule of scope: a commune user sees their own commune; a province-level user
(Home Affairs manager, province system administrator) sees every commune of the
province. Within a commune, roles decide what a user may do. Each ``get_<obj>_for_user``
returns the object or raises ``NotFound`` (no such object) / ``Forbidden`` (exists, but
not yours), so every view asks the same question the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from xaso.accounts.models import Role, User
from xaso.lib.errors import Forbidden, NotFound
from xaso.places.models import Commune

if TYPE_CHECKING:
    from xaso.dossiers.models import Dossier

    AnyUser = User | AnonymousUser

PROVINCE_ROLES = (Role.PROVINCE_MANAGER, Role.SYSTEM_ADMIN)
COMMUNE_MANAGERS = (Role.COMMUNE_LEADER, Role.SYSTEM_ADMIN)


def _staff(user: AnyUser) -> User:
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        raise Forbidden("Please sign in with a staff account.", code="not_authenticated")
    return user


def communes_for_user(user: AnyUser) -> QuerySet[Commune]:
    """The communes a user may see: their own, or all of their province."""
    if not isinstance(user, User) or not user.is_authenticated:
        return Commune.objects.none()
    if user.is_superuser:
        return Commune.objects.all()
    if user.province_id is not None and user.is_province_level and user.has_role(*PROVINCE_ROLES):
        return Commune.objects.filter(province_id=user.province_id)
    if user.commune_id is not None:
        return Commune.objects.filter(pk=user.commune_id)
    return Commune.objects.none()


def can_maintain_catalog(user: object) -> bool:
    """The shared procedure catalog (content, keywords): a province-level system
    administrator with staff access, or a superuser."""
    if not isinstance(user, User) or not user.is_active or not user.is_staff:
        return False
    return user.is_superuser or (user.is_province_level and user.has_role(Role.SYSTEM_ADMIN))


def can_see_commune(user: AnyUser, commune: Commune) -> bool:
    return communes_for_user(user).filter(pk=commune.pk).exists()


def can_manage_commune(user: AnyUser, commune: Commune) -> bool:
    """Commune settings (offer, local fees): the commune's leader or administrator,
    or a province-level system administrator."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.is_province_level:
        return user.has_role(Role.SYSTEM_ADMIN) and commune.province_id == user.province_id
    return user.commune_id == commune.pk and user.has_role(*COMMUNE_MANAGERS)


def get_commune_for_user(user: AnyUser, code: int | str) -> Commune:
    staff = _staff(user)
    try:
        commune = Commune.objects.select_related("province").get(pk=int(code))
    except (Commune.DoesNotExist, ValueError):
        raise NotFound(f"No commune with code {code}.") from None
    if not can_see_commune(staff, commune):
        raise Forbidden("This commune is outside your unit.")
    return commune


def staff_for_user(user: AnyUser) -> QuerySet[User]:
    """Staff records a user may open (they carry personal data)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return User.objects.none()
    qs = User.objects.filter(is_active=True)
    if user.is_superuser:
        return qs
    if user.province_id is not None and user.is_province_level and user.has_role(*PROVINCE_ROLES):
        return qs.filter(province_id=user.province_id)
    if user.commune_id is not None and user.has_role(*COMMUNE_MANAGERS):
        return qs.filter(commune_id=user.commune_id)
    if user.commune_id is not None and user.has_role(Role.DEPARTMENT_HEAD) and user.department_id:
        return qs.filter(department_id=user.department_id) | qs.filter(pk=user.pk)
    return qs.filter(pk=user.pk)


def get_staff_for_user(user: AnyUser, staff_id: int | str) -> User:
    viewer = _staff(user)
    try:
        target = User.objects.select_related("commune", "department", "profile").get(
            pk=int(staff_id), is_active=True
        )
    except (User.DoesNotExist, ValueError):
        raise NotFound(f"No staff member with id {staff_id}.") from None
    if not staff_for_user(viewer).filter(pk=target.pk).exists():
        raise Forbidden("You may not open this staff record.")
    return target


def get_dossier_for_user(user: AnyUser, code: str) -> Dossier:
    """A dossier the staff member may see (their commune's, competent or receiving)."""
    from xaso.dossiers.models import Dossier
    from xaso.dossiers.selectors import dossiers_for_user

    staff = _staff(user)
    dossier = dossiers_for_user(staff).filter(code=code).first()
    if dossier is None:
        if Dossier.objects.filter(code=code).exists():
            raise Forbidden("This dossier belongs to another unit.")
        raise NotFound(f"No dossier with code {code}.")
    return dossier
