"""API for communes and their departments (staff only, scoped by the user's unit)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from xaso.accounts import authz

router = Router(tags=["places"])


class DepartmentOut(Schema):
    id: int
    kind: str
    name: str


class CommuneOut(Schema):
    code: int
    name: str
    kind: str
    province_code: int


class CommuneDetailOut(CommuneOut):
    departments: list[DepartmentOut]
    staff_count: int


@router.get("/communes", response=list[CommuneOut])
def list_communes(request: HttpRequest) -> list[CommuneOut]:
    return [
        CommuneOut(code=c.code, name=c.name, kind=c.kind, province_code=c.province_id)
        for c in authz.communes_for_user(request.user)
    ]


@router.get("/communes/{code}", response=CommuneDetailOut)
def get_commune(request: HttpRequest, code: int) -> CommuneDetailOut:
    commune = authz.get_commune_for_user(request.user, code)
    return CommuneDetailOut(
        code=commune.code,
        name=commune.name,
        kind=commune.kind,
        province_code=commune.province_id,
        departments=[DepartmentOut(id=d.pk, kind=d.kind, name=d.name) for d in commune.departments.all()],
        staff_count=commune.staff.filter(is_active=True).count(),
    )
