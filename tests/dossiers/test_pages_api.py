"""Dossier pages and API: intake at the counter, actions, public tracking and rating; scope."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from tests.conftest import World
from tests.dossiers.conftest import APPLICANT
from tests.dossiers.test_workflow import at, take
from xaso.accounts.models import User
from xaso.catalog.models import Procedure
from xaso.dossiers.models import Dossier, Rating, Status
from xaso.dossiers.services import dossier_act


def test_it_takes_a_dossier_through_the_api(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    client = world.client_for(world.officer_a)
    response = client.post(
        "/api/v1/dossiers",
        {
            "procedure_code": "1.001193",
            "channel": "in_person",
            "applicant": APPLICANT,
            "documents_submitted": [0, 1],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "received" and body["due_at"]
    assert body["slips"]["01"].endswith(f"/dossiers/{body['code']}/slips/01.pdf")


def test_it_names_the_wrong_field_in_api_intake(world: World, procedures: dict[str, Procedure]) -> None:
    client = world.client_for(world.officer_a)
    bad = {**APPLICANT, "id_number": "12"}
    response = client.post(
        "/api/v1/dossiers", {"procedure_code": "1.001193", "applicant": bad}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "applicant.id_number"
    assert Dossier.objects.count() == 0


def test_it_refuses_api_intake_to_a_specialist_and_anonymous(
    world: World, procedures: dict[str, Procedure]
) -> None:
    payload = {"procedure_code": "1.001193", "applicant": APPLICANT}
    r = world.client_for(world.specialist_a).post(
        "/api/v1/dossiers", payload, content_type="application/json"
    )
    assert r.status_code == 403
    r = Client().post("/api/v1/dossiers", payload, content_type="application/json")
    assert r.status_code == 401


def test_it_has_one_api_endpoint_per_action(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    d = take(world)
    client = world.client_for(justice_officer)
    r = client.post(
        f"/api/v1/dossiers/{d.code}/start", {"expected_version": d.version}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    r = client.post(f"/api/v1/dossiers/{d.code}/start", {}, content_type="application/json")
    assert r.status_code == 409 and str(Status.IN_PROGRESS.label) in r.json()["error"]["message"]
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/dossiers/{code}/approve",
        "/api/v1/dossiers/{code}/refuse",
        "/api/v1/track/{code}",
    } <= set(paths)


def test_it_hides_a_dossier_from_another_commune(world: World, procedures: dict[str, Procedure]) -> None:
    d = take(world)
    assert world.client_for(world.officer_b).get(f"/api/v1/dossiers/{d.code}").status_code == 403
    assert world.client_for(world.officer_b).get(f"/dossiers/{d.code}/").status_code == 403
    assert (
        world.client_for(world.officer_b)
        .post(f"/api/v1/dossiers/{d.code}/withdraw", {"reason": "x"}, content_type="application/json")
        .status_code
        == 403
    )
    assert world.client_for(world.province_manager).get(f"/api/v1/dossiers/{d.code}").status_code == 200
    assert world.client_for(world.other_province_manager).get(f"/api/v1/dossiers/{d.code}").status_code == 403
    assert Client().get(f"/dossiers/{d.code}/").status_code == 302


def test_it_tracks_publicly_with_the_check_digits(world: World, procedures: dict[str, Procedure]) -> None:
    d = take(world, documents_submitted=[0])
    client = Client()
    r = client.get(f"/api/v1/track/{d.code}", {"check": "3456"})  # last 4 of the phone
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "supplement_requested"
    assert body["needed_from_applicant"] == ["Giấy chứng sinh."]
    assert "Nguyễn" not in r.content.decode() and "0905" not in r.content.decode()  # no personal data
    assert client.get(f"/api/v1/track/{d.code}", {"check": "1234"}).status_code == 200  # last 4 of the ID
    r = client.get(f"/api/v1/track/{d.code}", {"check": "0000"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_it_rate_limits_guessing(world: World, procedures: dict[str, Procedure], settings: object) -> None:
    d = take(world)
    client = Client()
    for n in range(10):
        assert client.get(f"/api/v1/track/{d.code}", {"check": f"{n:04d}"}).status_code == 404
    r = client.get(f"/api/v1/track/{d.code}", {"check": "3456"})
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    assert client.get("/track/", {"code": d.code, "check": "3456"}).status_code == 429


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=True)
def test_it_shows_each_step_on_the_tracking_page_and_takes_a_rating(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    d = take(world)
    for actor, action in (
        (justice_officer, "start"),
        (justice_officer, "forward"),
        (world.leader_a, "approve"),
        (world.officer_a, "return_result"),
    ):
        dossier_act(actor=actor, code=d.code, action=action)
    client = Client()
    page = client.get("/track/", {"code": d.code, "check": "3456"}).content.decode()
    for text in ("tiếp nhận", "trình lãnh đạo ký", "đã ký", "đã trả kết quả"):
        assert text in page.lower(), text
    r = client.post("/track/", {"code": d.code, "check": "3456", "score": "4", "comment": "Nhanh"})
    assert r.status_code == 200
    assert Rating.objects.get(dossier=d).score == 4
    r = client.post(
        f"/api/v1/track/{d.code}/rating", {"check": "3456", "score": 3}, content_type="application/json"
    )
    assert r.status_code == 409


def test_it_takes_a_dossier_at_the_counter_page(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    client = world.client_for(world.officer_a)
    assert "1.001193" in client.get("/dossiers/new/", {"q": "khai sinh"}).content.decode()
    form = client.get("/dossiers/new/", {"procedure": "1.001193"}).content.decode()
    assert "Giấy chứng sinh" in form
    r = client.post(
        "/dossiers/new/?procedure=1.001193",
        {**APPLICANT, "channel": "in_person", "commune": world.commune_a.code, "documents": ["0", "1"]},
    )
    assert r.status_code == 302
    d = Dossier.objects.get()
    assert r["Location"] == f"/dossiers/{d.code}/"
    page = client.get(r["Location"]).content.decode()
    assert d.code in page


def test_it_keeps_what_was_typed_when_the_counter_form_is_wrong(
    world: World, procedures: dict[str, Procedure]
) -> None:
    client = world.client_for(world.officer_a)
    r = client.post(
        "/dossiers/new/?procedure=1.001193",
        {**APPLICANT, "id_number": "123", "channel": "in_person", "commune": world.commune_a.code},
    )
    assert r.status_code == 422
    body = r.content.decode()
    assert "12 digits" in body or "12 chữ số" in body
    assert 'value="Nguyễn Thị Lan"' in body
    assert Dossier.objects.count() == 0


def test_it_acts_from_the_dossier_page_and_reports_conflicts(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    d = take(world)
    client = world.client_for(justice_officer)
    assert client.post(f"/dossiers/{d.code}/act/start/", {"version": d.version}).status_code == 302
    r = client.post(f"/dossiers/{d.code}/act/start/", {"version": d.version})
    assert r.status_code == 409
    assert Dossier.objects.get(pk=d.pk).status == Status.IN_PROGRESS


def test_it_accepts_an_online_submission_without_an_account(
    world: World, procedures: dict[str, Procedure]
) -> None:
    r = Client().post("/submit/1.001193/", {**APPLICANT, "commune": world.commune_a.code})
    assert r.status_code == 200
    d = Dossier.objects.get()
    assert d.status == Status.SUBMITTED and d.code in r.content.decode()
    queue = world.client_for(world.officer_a).get("/dossiers/", {"queue": "to_receive"}).content.decode()
    assert d.code in queue


def test_it_shows_queues_by_role(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    d = take(world)
    assert (
        d.code
        in world.client_for(justice_officer).get("/dossiers/", {"queue": "to_process"}).content.decode()
    )
    assert (
        d.code
        not in world.client_for(world.officer_b).get("/dossiers/", {"queue": "to_process"}).content.decode()
    )
    r = world.client_for(justice_officer).get("/api/v1/dossiers", {"queue": "to_process"})
    assert [x["code"] for x in r.json()] == [d.code]


@pytest.mark.parametrize("queue", ["to_receive", "to_process", "to_sign", "to_return", "due_soon", "overdue"])
def test_it_lists_each_queue_in_few_queries(
    world: World, procedures: dict[str, Procedure], queue: str, django_assert_max_num_queries: object
) -> None:
    for _ in range(5):
        take(world)
    client = world.client_for(world.leader_a)
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        assert client.get("/dossiers/", {"queue": queue}).status_code == 200
