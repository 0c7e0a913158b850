"""Writes for places: loading provinces and communes from ``vietnam-provinces``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import Province as VPProvince
from vietnam_provinces import ProvinceCode, VietNamDivisionType, Ward

from xaso.audit import events
from xaso.places.models import Commune, Department, Province

_KIND_BY_DIVISION = {
    VietNamDivisionType.XA: Commune.Kind.COMMUNE,
    VietNamDivisionType.PHUONG: Commune.Kind.WARD,
    VietNamDivisionType.DAC_KHU: Commune.Kind.SPECIAL_ZONE,
}


def standard_department_names(kind: str) -> dict[str, str]:
    """The departments every commune People's Committee has (Decree 150/2025/NĐ-CP).

    Wards call the economic department "Kinh tế, Hạ tầng và Đô thị"."""
    economy = "Phòng Kinh tế, Hạ tầng và Đô thị" if kind == Commune.Kind.WARD else "Phòng Kinh tế"
    return {
        Department.Kind.OFFICE: "Văn phòng HĐND và UBND",
        Department.Kind.ECONOMY: economy,
        Department.Kind.CULTURE_SOCIAL: "Phòng Văn hóa - Xã hội",
        Department.Kind.SERVICE_CENTER: "Trung tâm Phục vụ hành chính công",
    }


@dataclass
class LoadSummary:
    province: str
    communes_created: int = 0
    communes_updated: int = 0
    departments_created: int = 0


@transaction.atomic
def places_load(
    *, province_code: int, progress: Callable[[int, int, str], None] | None = None
) -> LoadSummary:
    """Create or update one province, its communes and their standard departments.

    Idempotent: running it again changes nothing unless the package data changed."""
    try:
        source = VPProvince.from_code(ProvinceCode(province_code))
    except (ValueError, KeyError):
        raise ValueError(f"--province: no province with code {province_code}") from None
    province, _ = Province.objects.update_or_create(
        code=int(source.code), defaults={"name": source.name, "codename": source.codename}
    )
    summary = LoadSummary(province=province.name)
    wards = sorted(
        (w for w in Ward.iter_all() if int(w.province_code) == province.code),
        key=lambda w: int(w.code),
    )
    for index, ward in enumerate(wards, start=1):
        kind = _KIND_BY_DIVISION[ward.division_type]
        commune, created = Commune.objects.get_or_create(
            code=int(ward.code),
            defaults={"province": province, "name": ward.name, "codename": ward.codename, "kind": kind},
        )
        if created:
            summary.communes_created += 1
            events.record(actor=None, action="commune.created", obj=commune, commune=commune)
        elif (commune.name, commune.codename, commune.kind, commune.province_id) != (
            ward.name,
            ward.codename,
            kind,
            province.code,
        ):
            commune.name, commune.codename, commune.kind = ward.name, ward.codename, kind
            commune.province = province
            commune.save(update_fields=["name", "codename", "kind", "province"])
            summary.communes_updated += 1
            events.record(actor=None, action="commune.updated", obj=commune, commune=commune)
        for dept_kind, name in standard_department_names(kind).items():
            _, dept_created = Department.objects.get_or_create(
                commune=commune, kind=dept_kind, defaults={"name": name}
            )
            summary.departments_created += int(dept_created)
        if progress:
            progress(index, len(wards), commune.name)
    return summary
