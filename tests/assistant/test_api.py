"""``POST /api/v1/assistant/ask`` and the feedback endpoint: shape, access, bad input,
logging without personal data, commune offer, dossier tracking."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.conftest import World
from tests.dossiers.conftest import APPLICANT
from xaso.accounts.models import ApiToken
from xaso.assistant.models import Feedback, Question
from xaso.audit.models import AuditEvent
from xaso.catalog.models import CommuneProcedure, LocalFee, Procedure
from xaso.dossiers.services import dossier_intake

pytestmark = pytest.mark.django_db
URL = "/api/v1/assistant/ask"


def ask(client: Client, **body: Any) -> Any:
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_a_citizen_gets_an_answer_with_ranked_citations(catalog: list[str]) -> None:
    response = ask(Client(), question="lam giay khai sinh can giay to gi")
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"answer", "citations", "confidence", "abstained", "follow_up"}
    assert body["abstained"] is False and body["follow_up"] is None
    assert body["citations"][0] == {
        "code": "1.001193",
        "name": "Thủ tục đăng ký khai sinh",
        "field": "Hộ tịch",
        "url": "/procedures/1.001193/",
    }
    assert 0.5 <= body["confidence"] <= 1.0
    assert "/procedures/1.001193/" in body["answer"]
    assert all(s["source"] for s in body["sentences"])
    assert any(s["source"] == "documents" and s["code"] == "1.001193" for s in body["sentences"])


def test_it_asks_one_clarifying_question_when_two_procedures_compete(catalog: list[str]) -> None:
    body = ask(Client(), question="xin cấp thẻ căn cước").json()
    assert body["follow_up"] and not body["abstained"]
    assert [c["code"] for c in body["citations"][:2]] in (["1.014061", "1.014062"], ["1.014062", "1.014061"])


def test_it_abstains_outside_the_communes_procedures(catalog: list[str]) -> None:
    body = ask(Client(), question="thủ tục ly hôn thuận tình ở đâu").json()
    assert body["abstained"] is True and body["citations"] == [] and body["confidence"] < 0.5
    assert "Tòa án" in body["answer"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"question": "   "}, "question"),
        ({"question": "x" * 501}, "question"),
        ({"question": "khai sinh", "mode": "robot"}, "mode"),
        ({"question": "khai sinh", "commune": 99999}, "commune"),
    ],
)
def test_bad_input_gets_the_standard_error(catalog: list[str], body: dict[str, Any], field: str) -> None:
    response = ask(Client(), **body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["details"][0]["field"] == field


def test_officer_mode_is_for_signed_in_staff(catalog: list[str], world: World) -> None:
    anonymous = ask(Client(), question="dang ky khai sinh", mode="officer")
    assert anonymous.status_code == 403 and anonymous.json()["error"]["code"] == "forbidden"
    body = ask(world.client_for(world.officer_a), question="dang ky khai sinh", mode="officer").json()
    sources = [s["source"] for s in body["sentences"]]
    assert "documents" in sources and "rules.form02" in sources and body["citations"][0]["code"] == "1.001193"


def test_officer_mode_accepts_an_api_token(catalog: list[str], world: World) -> None:
    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=world.officer_a, name="test", digest=ApiToken.digest_of(secret))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert ask(client, question="dang ky khai tu", mode="officer").status_code == 200
    wrong = Client(HTTP_AUTHORIZATION="Bearer xs_nope")
    assert ask(wrong, question="dang ky khai tu", mode="officer").status_code == 403


def test_questions_are_logged_without_personal_data(catalog: list[str]) -> None:
    ask(
        Client(),
        question="Tôi CCCD 046190001234, đt 0905123456, mail an@example.com: đăng ký kết hôn cần gì?",
    )
    row = Question.objects.get()
    for secret in ("046190001234", "0905123456", "an@example.com"):
        assert secret not in row.text
    assert row.top_code == "1.000894" and row.abstained is False and row.key


def test_a_commune_that_does_not_offer_the_procedure_says_so(catalog: list[str], world: World) -> None:
    proc = Procedure.objects.get(code="1.004194")
    CommuneProcedure.objects.create(commune=world.commune_a, procedure=proc, offered=False)
    LocalFee.objects.create(
        commune=world.commune_b, procedure=proc, channel_kind="in_person", amount_vnd=15000
    )
    body = ask(Client(), question="temporary residence registration fee", commune=world.commune_a.code).json()
    assert any(s["source"] == "offer" and "does not receive" in s["text"] for s in body["sentences"])
    other = ask(
        Client(), question="temporary residence registration fee", commune=world.commune_b.code
    ).json()
    assert "15,000 VND" in other["answer"]


def test_it_tracks_a_dossier_with_the_check_digits(catalog: list[str], world: World) -> None:
    dossier = dossier_intake(
        actor=world.officer_a,
        received_by=world.commune_a,
        procedure_code="1.001193",
        channel="in_person",
        applicant=APPLICANT,
        documents_submitted=[0, 1],
    )
    client = Client()
    missing = ask(client, question=f"hồ sơ {dossier.code} của tôi đến đâu rồi?").json()
    assert missing["follow_up"] and not missing["citations"]
    found = ask(
        client, question=f"hồ sơ {dossier.code} đến đâu rồi, 4 số cuối {APPLICANT['phone'][-4:]}"
    ).json()
    assert found["citations"][0]["code"] == "1.001193" and not found["abstained"]
    assert dossier.code in found["answer"] and f"/track/?code={dossier.code}" in found["answer"]
    assert APPLICANT["full_name"] not in found["answer"]
    wrong = ask(client, question=f"hồ sơ {dossier.code} số cuối 0000").json()
    assert wrong["abstained"] and not wrong["citations"]
    logged = Question.objects.filter(decision="tracking").values_list("text", flat=True)
    assert all(APPLICANT["phone"][-4:] not in text for text in logged)


def test_repeated_wrong_check_digits_lock_the_address_out(
    catalog: list[str], world: World, settings: Any
) -> None:
    settings.XASO_TRACKING_MAX_FAILURES = 2
    client = Client()
    for _ in range(2):
        ask(client, question="hồ sơ 20122-250101-0001, số cuối 1111")
    body = ask(client, question="hồ sơ 20122-250101-0001, số cuối 1111").json()
    assert body["abstained"] and ("10 minutes" in body["answer"] or "10 phút" in body["answer"])


def test_officers_mark_answers_right_or_wrong(catalog: list[str], world: World) -> None:
    question_id = ask(Client(), question="dang ky ket hon").json()["question_id"]
    url = f"/api/v1/assistant/questions/{question_id}/feedback"
    assert Client().post(url, {"verdict": "wrong"}, content_type="application/json").status_code == 401
    staff = world.client_for(world.officer_a)
    response = staff.post(url, json.dumps({"verdict": "wrong"}), content_type="application/json")
    assert response.status_code == 201
    assert Feedback.objects.get().verdict == "wrong"
    assert AuditEvent.objects.filter(action="assistant.feedback", actor=world.officer_a).exists()
    bad = staff.post(url, json.dumps({"verdict": "maybe"}), content_type="application/json")
    assert bad.status_code == 422
    # A question asked in a commune belongs to that commune's province.
    scoped = ask(Client(), question="dang ky ket hon", commune=world.commune_a.code).json()["question_id"]
    scoped_url = f"/api/v1/assistant/questions/{scoped}/feedback"
    other = world.client_for(world.other_province_manager)
    assert (
        other.post(scoped_url, json.dumps({"verdict": "right"}), content_type="application/json").status_code
        == 403
    )
    manager = world.client_for(world.province_manager)
    assert (
        manager.post(
            scoped_url, json.dumps({"verdict": "right"}), content_type="application/json"
        ).status_code
        == 201
    )
