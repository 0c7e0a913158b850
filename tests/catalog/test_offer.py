"""A commune's offer and local fees: who may change them, and the history they leave."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.test import Client

from tests.catalog.test_import import RECORD
from tests.conftest import World
from xaso.audit.models import AuditEvent
from xaso.catalog.models import Procedure
from xaso.catalog.selectors import effective_fees, procedures_offered
from xaso.catalog.services import import_procedures, local_fee_set, offer_set
from xaso.lib.errors import Forbidden, InvalidInput


@pytest.fixture
def proc(world: World, tmp_path: Path) -> Procedure:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(RECORD, ensure_ascii=False), encoding="utf-8")
    customs = copy.deepcopy(RECORD)
    customs.update({"ma_thu_tuc": "9.000009", "ten_thu_tuc": "Thủ tục hải quan", "linh_vuc": "Hải quan"})
    (tmp_path / "c.json").write_text(json.dumps(customs, ensure_ascii=False), encoding="utf-8")
    import_procedures([path, tmp_path / "c.json"])
    return Procedure.objects.get(code="1.004222")


def test_it_offers_commune_level_procedures_by_default(world: World, proc: Procedure) -> None:
    assert list(procedures_offered(world.commune_a).values_list("code", flat=True)) == ["1.004222"]


def test_it_lets_the_leader_withdraw_and_restore_a_procedure(world: World, proc: Procedure) -> None:
    offer_set(
        actor=world.leader_a, commune=world.commune_a, procedure=proc, offered=False, note="Công an xã nhận"
    )
    assert not procedures_offered(world.commune_a).filter(pk=proc.pk).exists()
    assert procedures_offered(world.commune_b).filter(pk=proc.pk).exists()
    customs = Procedure.objects.get(code="9.000009")
    offer_set(actor=world.admin_a, commune=world.commune_a, procedure=customs, offered=True)
    assert procedures_offered(world.commune_a).filter(pk=customs.pk).exists()
    event = AuditEvent.objects.filter(action="offer.changed").order_by("id").first()
    assert event is not None and event.actor == world.leader_a
    assert event.data["offered_before"] is True and event.data["offered"] is False


def test_it_refuses_offer_changes_by_an_officer_or_another_commune(world: World, proc: Procedure) -> None:
    with pytest.raises(Forbidden):
        offer_set(actor=world.officer_a, commune=world.commune_a, procedure=proc, offered=False)
    with pytest.raises(Forbidden):
        offer_set(actor=world.leader_a, commune=world.commune_b, procedure=proc, offered=False)
    with pytest.raises(Forbidden):
        local_fee_set(
            actor=world.province_manager,
            commune=world.commune_a,
            procedure=proc,
            channel_kind="in_person",
            amount_vnd=1,
        )
    assert not AuditEvent.objects.filter(action__in=["offer.changed", "local_fee.changed"]).exists()


def test_it_applies_a_local_fee_only_in_its_commune(world: World, proc: Procedure) -> None:
    local_fee_set(
        actor=world.leader_a,
        commune=world.commune_a,
        procedure=proc,
        channel_kind="in_person",
        amount_vnd=15000,
        legal_basis="Nghị quyết HĐND tỉnh",
    )
    fees_a = {f.channel.kind: f.amount_vnd for f in effective_fees(proc, world.commune_a)}
    fees_b = {f.channel.kind: f.amount_vnd for f in effective_fees(proc, world.commune_b)}
    assert fees_a == {"online": 10000, "in_person": 15000}
    assert fees_b == {"online": 10000, "in_person": 20000}
    local_fee_set(
        actor=world.leader_a,
        commune=world.commune_a,
        procedure=proc,
        channel_kind="in_person",
        amount_vnd=None,
    )
    history = list(
        AuditEvent.objects.filter(action="local_fee.changed").order_by("id").values_list("data", flat=True)
    )
    assert [(h["before"], h["after"]) for h in history] == [(None, 15000), (15000, None)]


def test_it_refuses_a_bad_fee_naming_the_field(world: World, proc: Procedure) -> None:
    with pytest.raises(InvalidInput) as exc:
        local_fee_set(
            actor=world.leader_a,
            commune=world.commune_a,
            procedure=proc,
            channel_kind="in_person",
            amount_vnd=-5,
        )
    assert exc.value.field == "amount_vnd"
    with pytest.raises(InvalidInput) as exc:
        local_fee_set(
            actor=world.leader_a, commune=world.commune_a, procedure=proc, channel_kind="fax", amount_vnd=5
        )
    assert exc.value.field == "channel_kind"


def test_it_serves_the_offer_page_to_staff_of_the_commune_only(world: World, proc: Procedure) -> None:
    assert (
        world.client_for(world.officer_a).get(f"/procedures/offer/{world.commune_a.code}/").status_code == 200
    )
    assert (
        world.client_for(world.officer_b).get(f"/procedures/offer/{world.commune_a.code}/").status_code == 403
    )
    response = Client().get(f"/procedures/offer/{world.commune_a.code}/")
    assert response.status_code == 302


def test_it_saves_a_local_fee_from_the_page(world: World, proc: Procedure) -> None:
    client = world.client_for(world.leader_a)
    url = f"/procedures/offer/{world.commune_a.code}/"
    response = client.post(
        url, {"action": "fee", "procedure": proc.code, "channel_kind": "online", "amount_vnd": "12.000"}
    )
    assert response.status_code == 302
    assert {f.channel.kind: f.amount_vnd for f in effective_fees(proc, world.commune_a)}["online"] == 12000
    page = client.get(url).content.decode()
    assert "12.000" in page  # the history lists the change


def test_it_keeps_everything_when_the_fee_is_not_a_number(world: World, proc: Procedure) -> None:
    client = world.client_for(world.leader_a)
    url = f"/procedures/offer/{world.commune_a.code}/"
    response = client.post(
        url, {"action": "fee", "procedure": proc.code, "channel_kind": "online", "amount_vnd": "mười nghìn"}
    )
    assert response.status_code == 422
    assert "amount_vnd" in response.content.decode()
    assert 'value="mười nghìn"' in response.content.decode()


def test_it_refuses_a_page_post_from_an_officer(world: World, proc: Procedure) -> None:
    client = world.client_for(world.officer_a)
    response = client.post(
        f"/procedures/offer/{world.commune_a.code}/",
        {"action": "offer", "procedure": proc.code, "offered": "0"},
    )
    assert response.status_code == 403
    assert procedures_offered(world.commune_a).filter(pk=proc.pk).exists()
