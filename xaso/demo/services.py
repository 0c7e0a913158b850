"""Load the demo deployment: Huế City's communes, their departments and staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from xaso.accounts.models import Role, RoleGrant, StaffProfile, User
from xaso.audit import events
from xaso.demo.staff import staff_for_commune
from xaso.places.models import Commune, Department, Province
from xaso.places.services import places_load

DEMO_PROVINCE = 46  # Thành phố Huế
DEMO_SEED = 2025
DEMO_PASSWORD = "XaSo-demo-2025"
DEMO_TODAY = dt.date(2026, 1, 1)  # ages and service years are computed from a fixed day

# (username, commune code or None for province level, role, how to pick the person)
PERSONAS: tuple[tuple[str, int | None, str, str], ...] = (
    ("leader.vinhloc", 20122, Role.COMMUNE_LEADER, "Chủ tịch UBND"),
    ("head.vinhloc", 20122, Role.DEPARTMENT_HEAD, "Phó Giám đốc Trung tâm Phục vụ hành chính công"),
    ("reception.vinhloc", 20122, Role.RECEPTION_OFFICER, "Công chức tiếp nhận và trả kết quả"),
    ("specialist.vinhloc", 20122, Role.SPECIALIST, "Công chức Tư pháp - Hộ tịch"),
    ("admin.vinhloc", 20122, Role.SYSTEM_ADMIN, "Công chức Văn phòng - Thống kê"),
    ("reception.phuvang", 19942, Role.RECEPTION_OFFICER, "Công chức tiếp nhận và trả kết quả"),
    ("leader.phuvang", 19942, Role.COMMUNE_LEADER, "Chủ tịch UBND"),
)
PROVINCE_PERSONAS = (
    ("province.manager", "Phạm Thị Thu Hà", Role.PROVINCE_MANAGER, "Chuyên viên Sở Nội vụ"),
    ("province.admin", "Lê Quang Minh", Role.SYSTEM_ADMIN, "Quản trị hệ thống, Sở Nội vụ"),
)


@dataclass
class DemoSummary:
    communes: int = 0
    staff_created: int = 0
    accounts: list[tuple[str, str]] = field(default_factory=list)  # (username, description)
    already_loaded: bool = False


def demo_is_loaded() -> bool:
    return User.objects.filter(username="province.manager").exists()


def demo_accounts() -> list[tuple[str, str]]:
    rows = []
    for username in [p[0] for p in PERSONAS] + [p[0] for p in PROVINCE_PERSONAS]:
        user = User.objects.filter(username=username).select_related("commune").first()
        if user:
            roles = ", ".join(str(Role(r).label) for r in sorted(user.roles))
            unit = user.commune.name if user.commune else "Thành phố Huế (cấp tỉnh)"
            rows.append((username, f"{user.full_name} — {roles} — {unit}"))
    return rows


def _username(commune: Commune, index: int) -> str:
    short = commune.codename.split("_", 1)[-1].replace("_", "")
    return f"{short}.{index:02d}"


@transaction.atomic
def demo_load(*, progress: Callable[[str], None] = lambda _msg: None) -> DemoSummary:
    summary = DemoSummary()
    if demo_is_loaded():
        summary.already_loaded = True
        summary.accounts = demo_accounts()
        return summary
    progress("Loading Huế City's communes and wards from vietnam-provinces…")
    places_load(province_code=DEMO_PROVINCE)
    province = Province.objects.get(pk=DEMO_PROVINCE)
    password = make_password(DEMO_PASSWORD)  # hashed once: every demo account shares it
    communes = list(Commune.objects.filter(province=province).order_by("code"))
    departments = {(d.commune_id, d.kind): d for d in Department.objects.filter(commune__in=communes)}
    persona_by_commune = {(code, title): (name, role) for name, code, role, title in PERSONAS}
    for n, commune in enumerate(communes, start=1):
        for i, seed in enumerate(staff_for_commune(DEMO_SEED, commune.code, DEMO_TODAY), start=1):
            username = _username(commune, i)
            extra_role = None
            persona = persona_by_commune.pop((commune.code, seed.title), None)
            if persona:
                username, extra_role = persona
            user = User.objects.create(
                username=username,
                full_name=seed.full_name,
                password=password,
                email=f"{username}@demo.xaso.invalid",
                province=province,
                commune=commune,
                department=departments.get((commune.code, seed.department)),
                is_staff=extra_role == Role.SYSTEM_ADMIN,
            )
            roles = {seed.role} | ({extra_role} if extra_role else set())
            RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r) for r in sorted(roles)])
            StaffProfile.objects.create(
                user=user,
                gender=seed.gender,
                birth_date=seed.birth_date,
                position_title=seed.title,
                education_level=seed.education_level,
                education_major=seed.education_major,
                service_start=seed.service_start,
            )
            summary.staff_created += 1
        summary.communes += 1
        if n % 10 == 0 or n == len(communes):
            progress(f"  staff generated for {n}/{len(communes)} communes")
    for username, full_name, role, title in PROVINCE_PERSONAS:
        user = User.objects.create(
            username=username,
            full_name=full_name,
            password=password,
            province=province,
            email=f"{username}@demo.xaso.invalid",
            is_staff=role == Role.SYSTEM_ADMIN,
        )
        RoleGrant.objects.create(user=user, role=role)
        StaffProfile.objects.create(
            user=user,
            gender="F" if role == Role.PROVINCE_MANAGER else "M",
            birth_date=dt.date(1980, 5, 17),
            position_title=title,
            education_level="master",
            education_major="Quản lý công",
            service_start=dt.date(2005, 9, 1),
        )
    events.record(actor=None, action="demo.loaded", obj=province, data={"staff": summary.staff_created})
    summary.accounts = demo_accounts()
    return summary
