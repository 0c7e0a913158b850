"""Catalog maintainers edit procedures in the admin; each edit keeps a version and an audit event."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.catalog.test_import import RECORD
from tests.conftest import World
from xaso.accounts.models import User
from xaso.audit.models import AuditEvent
from xaso.catalog.models import Procedure, ProcedureVersion
from xaso.catalog.services import import_procedures, procedure_payload


@pytest.fixture
def proc(world: World, tmp_path: Path) -> Procedure:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(RECORD, ensure_ascii=False), encoding="utf-8")
    import_procedures([path])
    return Procedure.objects.get()


def _form_data(proc: Procedure, **changes: str) -> dict[str, str]:
    data = {
        "code": proc.code,
        "name": proc.name,
        "field": proc.field,
        "levels": json.dumps(proc.levels, ensure_ascii=False),
        "procedure_type": proc.procedure_type,
        "decision_number": proc.decision_number,
        "conditions": proc.conditions,
        "applicants": proc.applicants,
        "steps": json.dumps(proc.steps, ensure_ascii=False),
        "steps_text": proc.steps_text,
        "competent_authority": proc.competent_authority,
        "results": json.dumps(proc.results, ensure_ascii=False),
        "keywords": proc.keywords,
        "keywords_en": proc.keywords_en,
        "online_level": "",
        "responsible_department": "",
        "offered_by_default": "on",
        "source": proc.source,
        "source_url": proc.source_url,
        "source_notes": "",
        "is_active": "on",
    }
    for prefix, rows in (
        ("channels", proc.channels.all()),
        ("documents", proc.documents.all()),
        ("legal_bases", proc.legal_bases.all()),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = str(row.pk)
            data[f"{prefix}-{i}-procedure"] = str(proc.pk)
            for field in row._meta.fields:
                if field.name in ("id", "procedure"):
                    continue
                value = getattr(row, field.name)
                if isinstance(value, bool):
                    if value:
                        data[f"{prefix}-{i}-{field.name}"] = "on"
                else:
                    data[f"{prefix}-{i}-{field.name}"] = "" if value is None else str(value)
    data.update(changes)
    return data


def test_it_lets_a_province_admin_edit_with_history(world: World, maintainer: User, proc: Procedure) -> None:
    client = world.client_for(maintainer)
    before = procedure_payload(proc)
    response = client.post(
        f"/admin/catalog/procedure/{proc.pk}/change/",
        _form_data(proc, conditions="Có chỗ ở hợp pháp", **{"channels-1-fee_amount_vnd": "22000"}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    proc.refresh_from_db()
    assert proc.version == 2
    version = ProcedureVersion.objects.get(procedure=proc)
    assert version.snapshot == before
    assert version.changed_fields == ["channels", "conditions"]
    assert version.actor == maintainer
    event = AuditEvent.objects.get(action="procedure.edited")
    assert event.actor == maintainer and event.data["changed"] == ["channels", "conditions"]


def test_keywords_are_edited_with_history_and_found_by_search(
    world: World, maintainer: User, proc: Procedure
) -> None:
    client = world.client_for(maintainer)
    response = client.post(
        f"/admin/catalog/procedure/{proc.pk}/change/",
        _form_data(proc, keywords="giấy tạm vắng xyz\nkhai báo ở nhờ", keywords_en="stay notice"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    proc.refresh_from_db()
    assert proc.version == 2 and proc.keywords.splitlines() == ["giấy tạm vắng xyz", "khai báo ở nhờ"]
    assert ProcedureVersion.objects.get(procedure=proc).changed_fields == ["keywords", "keywords_en"]
    assert AuditEvent.objects.get(action="procedure.edited").data["changed"] == ["keywords", "keywords_en"]
    assert "giay tam vang xyz" in proc.search_text and "stay notice" in proc.search_text


def test_it_refuses_the_admin_to_a_commune_admin(world: World, proc: Procedure) -> None:
    world.admin_a.is_staff = True
    world.admin_a.save(update_fields=["is_staff"])
    client = world.client_for(world.admin_a)
    assert client.get(f"/admin/catalog/procedure/{proc.pk}/change/").status_code in (302, 403)
    response = client.post(f"/admin/catalog/procedure/{proc.pk}/change/", _form_data(proc, name="Hacked"))
    assert response.status_code in (302, 403)
    proc.refresh_from_db()
    assert proc.name == "Đăng ký thường trú"
