"""Each persona sees only what they may: pages and API alike."""

from __future__ import annotations

import pytest

from tests.conftest import World
from xaso.accounts import authz
from xaso.accounts.models import ApiToken
from xaso.accounts.services import api_token_create


@pytest.fixture
def w(world: World) -> World:
    return world


def test_it_shows_officer_only_their_commune(w: World) -> None:
    assert list(authz.communes_for_user(w.officer_a)) == [w.commune_a]


def test_it_shows_province_manager_every_commune_of_the_province(w: World) -> None:
    assert set(authz.communes_for_user(w.province_manager)) == {w.commune_a, w.commune_b}


def test_it_shows_another_provinces_manager_nothing_here(w: World) -> None:
    assert list(authz.communes_for_user(w.other_province_manager)) == []


def test_it_lets_officer_open_own_commune_page(w: World) -> None:
    response = w.client_for(w.officer_a).get(f"/communes/{w.commune_a.code}/")
    assert response.status_code == 200
    assert "Xã Vinh Lộc" in response.content.decode()


def test_it_refuses_officer_of_b_the_page_of_a(w: World) -> None:
    response = w.client_for(w.officer_b).get(f"/communes/{w.commune_a.code}/")
    assert response.status_code == 403


def test_it_refuses_other_province_manager_the_page_of_a(w: World) -> None:
    assert w.client_for(w.other_province_manager).get(f"/communes/{w.commune_a.code}/").status_code == 403


def test_it_sends_anonymous_visitor_to_login(w: World) -> None:
    response = w.client_for(None).get(f"/communes/{w.commune_a.code}/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_it_lets_province_manager_list_all_communes(w: World) -> None:
    body = w.client_for(w.province_manager).get("/communes/").content.decode()
    assert "Xã Vinh Lộc" in body and "Xã Phú Vang" in body


def test_it_lists_only_own_commune_for_officer(w: World) -> None:
    body = w.client_for(w.officer_a).get("/communes/").content.decode()
    assert "Xã Vinh Lộc" in body and "Xã Phú Vang" not in body


def test_it_lets_leader_open_staff_record_of_own_commune(w: World) -> None:
    assert w.client_for(w.leader_a).get(f"/staff/{w.officer_a.pk}/").status_code == 200


def test_it_lets_officer_open_own_staff_record_only(w: World) -> None:
    client = w.client_for(w.officer_a)
    assert client.get(f"/staff/{w.officer_a.pk}/").status_code == 200
    assert client.get(f"/staff/{w.specialist_a.pk}/").status_code == 403


def test_it_lets_department_head_see_own_department_only(w: World) -> None:
    client = w.client_for(w.head_a)
    assert client.get(f"/staff/{w.officer_a.pk}/").status_code == 200
    assert client.get(f"/staff/{w.specialist_a.pk}/").status_code == 403


def test_it_refuses_leader_of_a_staff_records_of_b(w: World) -> None:
    assert w.client_for(w.leader_a).get(f"/staff/{w.officer_b.pk}/").status_code == 403


def test_it_lets_province_manager_see_staff_of_any_commune(w: World) -> None:
    assert w.client_for(w.province_manager).get(f"/staff/{w.officer_b.pk}/").status_code == 200


def test_it_answers_404_for_unknown_commune(w: World) -> None:
    assert w.client_for(w.province_manager).get("/communes/99999/").status_code == 404


def test_it_lets_only_leader_or_admin_manage_commune(w: World) -> None:
    assert authz.can_manage_commune(w.leader_a, w.commune_a)
    assert authz.can_manage_commune(w.admin_a, w.commune_a)
    assert not authz.can_manage_commune(w.officer_a, w.commune_a)
    assert not authz.can_manage_commune(w.leader_a, w.commune_b)
    assert not authz.can_manage_commune(w.province_manager, w.commune_a)


# --- API ----------------------------------------------------------------------------


def test_it_refuses_anonymous_api_call_with_standard_error(w: World) -> None:
    response = w.client_for(None).get("/api/v1/communes")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_it_scopes_api_commune_list(w: World) -> None:
    codes = [c["code"] for c in w.client_for(w.officer_b).get("/api/v1/communes").json()]
    assert codes == [w.commune_b.code]


def test_it_refuses_api_commune_of_another_unit(w: World) -> None:
    response = w.client_for(w.officer_b).get(f"/api/v1/communes/{w.commune_a.code}")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_it_scopes_api_staff_list_by_role(w: World) -> None:
    leader_view = w.client_for(w.leader_a).get(f"/api/v1/communes/{w.commune_a.code}/staff").json()
    officer_view = w.client_for(w.officer_a).get(f"/api/v1/communes/{w.commune_a.code}/staff").json()
    assert len(leader_view) == 5
    assert [p["id"] for p in officer_view] == [w.officer_a.pk]


def test_it_refuses_api_staff_record_outside_scope(w: World) -> None:
    response = w.client_for(w.officer_b).get(f"/api/v1/staff/{w.leader_a.pk}")
    assert response.status_code == 403


def test_it_accepts_a_valid_api_token(w: World) -> None:
    _token, secret = api_token_create(user=w.leader_a, name="sync")
    response = w.client_for(None).get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["username"] == "leader.a"
    assert ApiToken.objects.get().last_used_at is not None


def test_it_refuses_a_revoked_or_wrong_token(w: World) -> None:
    token, secret = api_token_create(user=w.leader_a, name="sync")
    client = w.client_for(None)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer xs_wrong").status_code == 401
    w.client_for(w.leader_a).post(f"/account/tokens/{token.pk}/revoke/")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_it_does_not_let_a_user_revoke_someone_elses_token(w: World) -> None:
    token, _secret = api_token_create(user=w.leader_a, name="sync")
    response = w.client_for(w.officer_a).post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
