"""Shared fixtures: a small world with named personas.

Two communes of one province (A = Vinh Lộc, B = Phú Vang) and the people whose access
every feature's tests check: an officer of A, a leader of A, an officer of B, a province
manager, and an anonymous visitor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client

from xaso.accounts.models import Role, RoleGrant, StaffProfile, User
from xaso.places.models import Commune, Department, Province
from xaso.places.services import standard_department_names

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fresh_calendar() -> None:
    """Each test starts from its own database's calendar overrides."""
    from xaso.dossiers.deadlines import forget_calendar

    forget_calendar()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the site's language: a request made with an English language
    cookie leaves English active in the thread (LocaleMiddleware activates it and nothing
    deactivates it), which would otherwise leak into later tests."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_commune(province: Province, code: int, name: str) -> Commune:
    commune = Commune.objects.create(
        code=code, province=province, name=name, codename=name.lower().replace(" ", "_"), kind="xa"
    )
    for kind, dept_name in standard_department_names("xa").items():
        Department.objects.create(commune=commune, kind=kind, name=dept_name)
    return commune


def make_user(
    username: str,
    *roles: str,
    commune: Commune | None = None,
    province: Province | None = None,
    department_kind: str | None = None,
) -> User:
    province = province or (commune.province if commune else None)
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        full_name=username.replace(".", " ").title(),
        email=f"{username}@example.invalid",
        commune=commune,
        province=province,
        department=commune.departments.get(kind=department_kind) if commune and department_kind else None,
    )
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    StaffProfile.objects.create(
        user=user,
        gender="F",
        birth_date=dt.date(1990, 1, 2),
        position_title="Công chức",
        education_level="bachelor",
        education_major="Luật",
        service_start=dt.date(2015, 1, 1),
    )
    return user


@dataclass
class World:
    province: Province
    other_province: Province
    commune_a: Commune
    commune_b: Commune
    officer_a: User
    specialist_a: User
    head_a: User
    leader_a: User
    admin_a: User
    officer_b: User
    province_manager: User
    other_province_manager: User

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def world(db: None) -> World:
    province = Province.objects.create(code=46, name="Thành phố Huế", codename="hue")
    other = Province.objects.create(code=48, name="Thành phố Đà Nẵng", codename="da_nang")
    a = make_commune(province, 20122, "Xã Vinh Lộc")
    b = make_commune(province, 19942, "Xã Phú Vang")
    return World(
        province=province,
        other_province=other,
        commune_a=a,
        commune_b=b,
        officer_a=make_user("officer.a", Role.RECEPTION_OFFICER, commune=a, department_kind="service_center"),
        specialist_a=make_user("specialist.a", Role.SPECIALIST, commune=a, department_kind="office"),
        head_a=make_user("head.a", Role.DEPARTMENT_HEAD, commune=a, department_kind="service_center"),
        leader_a=make_user("leader.a", Role.COMMUNE_LEADER, commune=a),
        admin_a=make_user("admin.a", Role.SYSTEM_ADMIN, commune=a, department_kind="office"),
        officer_b=make_user("officer.b", Role.RECEPTION_OFFICER, commune=b, department_kind="service_center"),
        province_manager=make_user("province.manager", Role.PROVINCE_MANAGER, province=province),
        other_province_manager=make_user("danang.manager", Role.PROVINCE_MANAGER, province=other),
    )


@pytest.fixture
def maintainer(world: World) -> User:
    """A catalog maintainer: the province's system administrator with admin access."""
    user = make_user("catalog.admin", Role.SYSTEM_ADMIN, province=world.province)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user
