"""Designated successors (quy hoạch cán bộ) for leadership posts: recorded by the commune's
leader or Home Affairs on the position's page or in the admin, withdrawn not deleted, audited,
and hidden from everyone else."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import World, make_user
from tests.workforce.conftest import Staffing
from xaso.accounts.models import User
from xaso.audit.models import AuditEvent
from xaso.lib.errors import Conflict, Forbidden, InvalidInput
from xaso.workforce import authz, services
from xaso.workforce.models import Position, SuccessorDesignation

FROM, UNTIL = dt.date(2026, 1, 1), dt.date(2030, 12, 31)


def chair(staffing: Staffing) -> Position:
    return Position.objects.get(commune=staffing.world.commune_a, code="LD-CT")


def designate(actor: User, position: Position, person: User, **extra: object) -> SuccessorDesignation:
    return services.successor_designate(
        actor=actor,
        position=position,
        person=person,
        starts_on=FROM,
        ends_on=UNTIL,
        **extra,  # type: ignore[arg-type]
    )


def test_the_leader_and_home_affairs_designate_and_withdraw_with_an_audit_trail(staffing: Staffing) -> None:
    w = staffing.world
    first = designate(w.leader_a, chair(staffing), w.specialist_a, decision=" QĐ 12-QĐ/ĐU ngày 05/01/2026 ")
    assert (first.recorded_by, first.decision, first.withdrawn_at) == (
        w.leader_a,
        "QĐ 12-QĐ/ĐU ngày 05/01/2026",
        None,
    )
    second = designate(w.province_manager, chair(staffing), w.head_a)
    event = AuditEvent.objects.get(action="workforce.successor_designated", object_id=str(first.pk))
    assert event.commune == w.commune_a and event.data["until"] == "2030-12-31"
    with pytest.raises(Conflict):  # the same person for the same post in an overlapping period
        designate(w.leader_a, chair(staffing), w.specialist_a)
    services.successor_withdraw(actor=w.province_manager, designation=second)
    second.refresh_from_db()
    assert second.withdrawn_at is not None and SuccessorDesignation.objects.count() == 2  # kept on record
    assert AuditEvent.objects.filter(
        action="workforce.successor_withdrawn", object_id=str(second.pk)
    ).exists()
    with pytest.raises(Conflict):
        services.successor_withdraw(actor=w.leader_a, designation=second)


def test_it_refuses_bad_designations_naming_the_field(staffing: Staffing) -> None:
    w = staffing.world
    with pytest.raises(InvalidInput) as post:  # not a leadership post
        designate(w.leader_a, staffing.civil, w.officer_a)
    assert post.value.field == "position"
    with pytest.raises(InvalidInput) as outsider:  # an officer of another commune
        designate(w.leader_a, chair(staffing), w.officer_b)
    assert outsider.value.field == "user"
    with pytest.raises(InvalidInput) as holder:  # the chairman already holds the post
        designate(w.leader_a, chair(staffing), w.leader_a)
    assert holder.value.field == "user"
    with pytest.raises(InvalidInput) as period:
        services.successor_designate(
            actor=w.leader_a, position=chair(staffing), person=w.officer_a, starts_on=UNTIL, ends_on=FROM
        )
    assert period.value.field == "ends_on"


def test_outsiders_may_neither_see_nor_edit(staffing: Staffing, world: World) -> None:
    w = staffing.world
    leader_b = make_user("leader.b", "commune_leader", commune=w.commune_b)
    designation = designate(w.leader_a, chair(staffing), w.specialist_a)
    for outsider in (w.officer_a, w.head_a, w.admin_a, w.officer_b, leader_b, w.other_province_manager):
        assert not authz.can_designate_successors(outsider, w.commune_a)
        with pytest.raises(Forbidden):
            designate(outsider, chair(staffing), w.officer_a)
        with pytest.raises(Forbidden):
            services.successor_withdraw(actor=outsider, designation=designation)
        with pytest.raises(Forbidden):
            authz.get_successor_for_user(outsider, designation.pk)
    assert authz.get_successor_for_user(w.province_manager, designation.pk) == designation
    # On the pages: the position page of A shows the successors to A's leader only.
    url = f"/workforce/positions/{chair(staffing).pk}/"
    page = w.client_for(w.leader_a).get(url).content.decode()
    assert 'id="successors"' in page and w.specialist_a.full_name in page
    same_commune = w.client_for(w.officer_a).get(url)
    assert same_commune.status_code == 200 and 'id="successors"' not in same_commune.content.decode()
    assert w.client_for(leader_b).get(url).status_code == 403
    refused = w.client_for(w.officer_a).post(
        url, {"action": "designate", "user": w.head_a.pk, "starts_on": "2026-01-01", "ends_on": "2030-12-31"}
    )
    assert refused.status_code == 403
    withdrawn = w.client_for(leader_b).post(
        url, {"action": "withdraw_successor", "designation": designation.pk}
    )
    assert withdrawn.status_code == 403
    designation.refresh_from_db()
    assert designation.withdrawn_at is None and SuccessorDesignation.objects.count() == 1
    rotation = w.client_for(w.officer_b).get(f"/planning/rotation/?commune={w.commune_a.pk}")
    assert rotation.status_code == 403


def test_the_leader_designates_and_withdraws_on_the_position_page(staffing: Staffing) -> None:
    w = staffing.world
    client = w.client_for(w.leader_a)
    url = f"/workforce/positions/{chair(staffing).pk}/"
    made = client.post(
        url,
        {
            "action": "designate",
            "user": w.specialist_a.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2030-12-31",
            "decision": "QĐ 12-QĐ/ĐU",
        },
    )
    assert made.status_code == 302
    designation = SuccessorDesignation.objects.get()
    assert (designation.user, designation.position, designation.decision) == (
        w.specialist_a,
        chair(staffing),
        "QĐ 12-QĐ/ĐU",
    )
    bad = client.post(
        url,
        {"action": "designate", "user": w.officer_b.pk, "starts_on": "2026-01-01", "ends_on": "2030-12-31"},
        follow=True,
    )
    assert "Chọn một cán bộ, công chức của xã này." in bad.content.decode()
    rotation = client.get(f"/planning/rotation/?commune={w.commune_a.pk}").content.decode()
    assert 'id="successors"' in rotation and w.specialist_a.full_name in rotation
    client.post(url, {"action": "withdraw_successor", "designation": designation.pk})
    designation.refresh_from_db()
    assert designation.withdrawn_at is not None


def test_the_admin_records_every_change(staffing: Staffing) -> None:
    w = staffing.world
    root = User.objects.create_superuser(username="root", password="x-" * 10, full_name="Root")
    client = w.client_for(root)
    base = "/admin/workforce/successordesignation/"
    data = {
        "position": chair(staffing).pk,
        "user": w.specialist_a.pk,
        "starts_on": "2026-01-01",
        "ends_on": "2030-12-31",
        "decision": "",
    }
    assert client.post(f"{base}add/", data).status_code == 302
    designation = SuccessorDesignation.objects.get()
    assert designation.recorded_by == root
    added = AuditEvent.objects.get(action="workforce.successor_designated", object_id=str(designation.pk))
    assert added.actor == root and added.data["via"] == "admin"
    assert client.post(f"{base}{designation.pk}/change/", data | {"decision": "QĐ 1"}).status_code == 302
    changed = AuditEvent.objects.get(action="workforce.successor_changed")
    assert changed.data["fields"] == ["decision"]
    refused = client.post(f"{base}add/", data | {"position": staffing.civil.pk})  # not a leadership post
    assert refused.status_code == 200 and SuccessorDesignation.objects.count() == 1
    assert client.post(f"{base}{designation.pk}/delete/", {"post": "yes"}).status_code == 302
    assert AuditEvent.objects.filter(
        action="workforce.successor_deleted", object_id=str(designation.pk)
    ).exists()
