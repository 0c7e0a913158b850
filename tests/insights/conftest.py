"""Shared insights fixtures: a hand-checked month of dossiers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import World
from tests.dossiers.conftest import justice_officer, procedures  # noqa: F401 — shared fixtures
from xaso.catalog.models import Procedure
from xaso.dossiers.models import Attachment, Dossier, Rating

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def t(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=VN)


@pytest.fixture
def october(world: World, procedures: dict[str, Procedure]) -> dict[str, Dossier]:  # noqa: F811
    proc = procedures["residence"]

    def d(code: str, status: str, **kw: object) -> Dossier:
        fields: dict[str, object] = {
            "code": code,
            "commune": world.commune_a,
            "received_by": world.commune_a,
            "procedure": proc,
            "channel": "in_person",
            "status": status,
            "applicant_name": "A",
            "applicant_id_number": "046190001234",
            "applicant_phone": "0905123456",
            "applicant_address": "x",
            "submitted_at": t(10, 1),
        }
        fields.update(kw)
        return Dossier.objects.create(**fields)

    rows = {
        "d1": d(
            "D1",
            "returned",
            received_at=t(10, 1),
            due_at=t(10, 6, 17),
            finished_at=t(10, 5),
            fee_vnd=20000,
            paid_online=True,
        ),
        "d2": d(
            "D2",
            "returned",
            received_at=t(10, 2),
            due_at=t(10, 8, 17),
            finished_at=t(10, 10),
            late=True,
            fee_vnd=0,
        ),
        "d3": d("D3", "done", received_at=t(10, 3), due_at=t(10, 15, 17), finished_at=t(10, 12)),
        "d4": d("D4", "in_progress", submitted_at=t(10, 20), received_at=t(10, 20), due_at=t(11, 5, 17)),
        "d5": d("D5", "in_progress", submitted_at=t(10, 21), received_at=t(10, 21), due_at=t(10, 25, 17)),
        "d6": d("D6", "submitted", submitted_at=t(10, 28), channel="online", fee_vnd=15000),
        "d7": d("D7", "refused", submitted_at=t(10, 2), channel="online", closed_at=t(10, 3)),
        "d8": d(
            "D8",
            "returned",
            submitted_at=t(9, 10),
            received_at=t(9, 10),
            due_at=t(9, 20, 17),
            finished_at=t(9, 20),
        ),
        "b1": d(
            "B1",
            "returned",
            commune=world.commune_b,
            received_by=world.commune_b,
            received_at=t(10, 1),
            due_at=t(10, 2, 17),
            finished_at=t(10, 2),
        ),
    }
    Rating.objects.create(dossier=rows["d1"], score=4, at=t(10, 6))
    Rating.objects.create(dossier=rows["d3"], score=1, at=t(10, 13))
    Attachment.objects.create(
        dossier=rows["d1"],
        original_name="a.pdf",
        stored_name="x/1",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    return rows
