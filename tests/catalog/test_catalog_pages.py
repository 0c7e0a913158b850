"""The shipped catalog, search, public pages and the public API, over all 584 procedures."""

from __future__ import annotations

import pytest
from django.test import Client

from xaso.catalog.models import Procedure
from xaso.catalog.selectors import search_procedures

pytestmark = pytest.mark.usefixtures("full_catalog")


@pytest.fixture
def client(db: None) -> Client:
    return Client()


def test_it_ships_the_whole_catalog(db: None) -> None:
    assert Procedure.objects.filter(source="national_portal").count() == 581
    assert Procedure.objects.filter(source="manual").count() >= 3


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("dang ky khai sinh", "1.001193"),
        ("Đăng ký khai sinh", "1.001193"),
        ("dk kết hôn", "1.000894"),
        ("dang ky thuong tru", "1.004222"),
        ("khai tu", "1.000656"),
        ("1.004222", "1.004222"),
        ("tro cap xa hoi hang thang", "XS.BTXH.001"),
    ],
)
def test_it_ranks_the_general_procedure_first(db: None, query: str, first: str) -> None:
    assert search_procedures(q=query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [("giấy báo tử", "1.000656"), ("death certificate", "1.000656"), ("nhap ho khau nha chong", "1.004222")],
)
def test_it_finds_procedures_by_the_names_people_use(db: None, query: str, first: str) -> None:
    """Words that are in no official name, only in the procedure's keywords."""
    assert search_procedures(q=query)[0].code == first


def test_it_understands_cccd_as_identity_card(db: None) -> None:
    names = [p.name.lower() for p in search_procedures(q="cccd")[:3]]
    assert names and all("căn cước" in n for n in names)


def test_it_prefers_the_special_case_when_named(db: None) -> None:
    assert search_procedures(q="dang ky khai sinh luu dong")[0].code == "1.003583"


def test_it_finds_nothing_for_nonsense(db: None) -> None:
    assert search_procedures(q="xyzzy qwerty") == []


def test_it_filters_by_field(db: None) -> None:
    found = search_procedures(q="dang ky", field="Hộ tịch")
    assert found and all(p.field == "Hộ tịch" for p in found)


def test_it_shows_permanent_residence_with_times_and_fees(client: Client) -> None:
    body = client.get("/procedures/1.004222/").content.decode()
    assert "Đăng ký thường trú" in body
    assert "20.000 đồng" in body and "10.000 đồng" in body
    assert body.count("7 ") >= 2  # 7 working days on both channels
    api = client.get("/api/v1/procedures/1.004222").json()
    by_kind = {c["kind"]: c for c in api["channels"]}
    assert by_kind["in_person"]["processing_time"]["value"] == 7
    assert by_kind["in_person"]["processing_time"]["unit"] == "working_days"
    assert by_kind["in_person"]["fee"]["amount_vnd"] == 20000
    assert by_kind["online"]["fee"]["amount_vnd"] == 10000
    assert api["source_url"].startswith("https://dichvucong.gov.vn/")
    assert api["legal_bases"] and api["documents"]


def test_it_shows_certification_fee_per_page(client: Client) -> None:
    body = client.get("/procedures/2.000815/").content.decode()
    assert "2.000 đồng / trang" in body
    fees = [c["fee"] for c in client.get("/api/v1/procedures/2.000815").json()["channels"]]
    assert {"amount_vnd": 2000, "per_unit": "trang"}.items() <= fees[0].items()


def test_it_renders_a_printable_guidance_page(client: Client) -> None:
    body = client.get("/procedures/1.001193/").content.decode()
    for anchor in ('id="who"', 'id="documents"', 'id="time-fee"', 'id="how"', 'id="legal"'):
        assert anchor in body
    assert 'class="checklist"' in body


def test_it_searches_on_the_public_page_without_login(client: Client) -> None:
    response = client.get("/procedures/", {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("1.001193") < body.index("1.003583")


def test_it_returns_only_the_results_fragment_to_htmx(client: Client) -> None:
    response = client.get("/procedures/", {"q": "khai tu"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "1.000656" in body


def test_it_browses_by_field(client: Client) -> None:
    body = client.get("/procedures/", {"field": "Chứng thực"}).content.decode()
    assert "2.000815" in body and "1.001193" not in body


def test_it_answers_unknown_procedure_with_404(client: Client) -> None:
    assert client.get("/procedures/9.999999/").status_code == 404
    response = client.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": "No procedure with code 9.999999.",
        "details": [],
    }


def test_it_lists_procedures_ranked_in_the_api(client: Client) -> None:
    items = client.get("/api/v1/procedures", {"q": "dang ky khai sinh", "limit": "5"}).json()
    assert items[0]["code"] == "1.001193"
    assert set(items[0]) >= {"code", "name", "field"}
    assert len(items) == 5


def test_it_rejects_bad_api_parameters_naming_the_field(client: Client) -> None:
    error = client.get("/api/v1/procedures", {"limit": 0}).json()["error"]
    assert error["code"] == "invalid" and error["details"][0]["field"] == "limit"
    error = client.get("/api/v1/procedures", {"commune": 1}).json()["error"]
    assert error["details"][0]["field"] == "commune"


def test_it_shows_hand_entered_procedures_with_their_legal_source(client: Client) -> None:
    body = client.get("/procedures/XS.BTXH.002/").content.decode()
    assert "20/2021/NĐ-CP" in body
    assert "Art. 11" in body  # the source note of each fact is shown


def test_it_does_not_offer_customs_procedures_by_default(db: None) -> None:
    customs = Procedure.objects.filter(field="Hải quan").first()
    assert customs is not None and customs.offered_by_default is False
    assert Procedure.objects.get(code="1.001193").offered_by_default is True


def test_it_reads_a_bare_one_in_civil_status_as_same_day(client: Client) -> None:
    channels = client.get("/api/v1/procedures/1.001193").json()["channels"]
    assert {c["processing_time"]["unit"] for c in channels} == {"same_day"}
    assert all(c["processing_time"]["text"] == "1" for c in channels)
    assert "Trong ngày" in client.get("/procedures/1.001193/").content.decode()
