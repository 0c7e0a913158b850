"""API for the signed-in user and staff records."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from xaso.accounts import authz
from xaso.accounts.models import User

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    roles: list[str]
    commune_code: int | None
    province_code: int | None


class StaffOut(Schema):
    id: int
    full_name: str
    commune_code: int | None
    department: str | None
    roles: list[str]
    position_title: str | None
    birth_date: dt.date | None
    education_level: str | None
    education_major: str | None
    service_start: dt.date | None


def _staff_out(user: User) -> StaffOut:
    profile = getattr(user, "profile", None)
    return StaffOut(
        id=user.pk,
        full_name=user.full_name,
        commune_code=user.commune_id,
        department=user.department.name if user.department else None,
        roles=sorted(user.roles),
        position_title=profile.position_title if profile else None,
        birth_date=profile.birth_date if profile else None,
        education_level=profile.education_level if profile else None,
        education_major=profile.education_major if profile else None,
        service_start=profile.service_start if profile else None,
    )


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    user = request.user
    assert isinstance(user, User)  # guaranteed by the router's auth
    return MeOut(
        id=user.pk,
        username=user.username,
        full_name=user.full_name,
        roles=sorted(user.roles),
        commune_code=user.commune_id,
        province_code=user.province_id,
    )


@router.get("/communes/{code}/staff", response=list[StaffOut])
def commune_staff(request: HttpRequest, code: int) -> list[StaffOut]:
    commune = authz.get_commune_for_user(request.user, code)
    visible = authz.staff_for_user(request.user).filter(commune=commune)
    return [
        _staff_out(u) for u in visible.select_related("department", "profile").prefetch_related("role_grants")
    ]


@router.get("/staff/{staff_id}", response=StaffOut)
def staff_detail(request: HttpRequest, staff_id: int) -> StaffOut:
    return _staff_out(authz.get_staff_for_user(request.user, staff_id))
