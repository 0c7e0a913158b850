"""Pages, API and exports of the gap report and training, and who may see what (personas)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.workforce.conftest import Staffing
from xaso.workforce import services
from xaso.workforce.api import GapsOut
from xaso.workforce.models import Enrolment, EnrolmentStatus, Evidence, EvidenceKind, Session


def assess(s: Staffing, code: str, level: int) -> None:
    services.manager_assess(
        actor=s.world.head_a, person=s.world.officer_a, competency=s.comp(code), level=level, comment="x" * 20
    )


def test_it_answers_the_gap_api_for_a_commune(staffing: Staffing) -> None:
    w = staffing.world
    assess(staffing, "OPS.1", 3)
    body = w.client_for(w.leader_a).get(f"/api/v1/workforce/gaps?commune={w.commune_a.code}").json()
    GapsOut.model_validate(body)  # the documented shape
    assert [c["id"] for c in body["communes"]] == [w.commune_a.code]
    assert {"PRO.IT", "PRO.LAND"} <= set(body["communes"][0]["lacks"])
    officer = next(p for p in body["people"] if p["id"] == w.officer_a.pk)
    ops = next(r for r in officer["requirements"] if r["competency"] == "OPS.1")
    assert (ops["required"], ops["current"], ops["gap"]) == (3, 3, 0)
    assert ops["evidence"][0]["kind"] == "manager"
    assert body["officers"] == 4 and body["meeting"] == 0


@pytest.mark.parametrize(
    ("persona", "status", "people"),
    [
        ("officer_a", 200, {"officer_a"}),
        ("head_a", 200, {"officer_a", "head_a"}),
        ("leader_a", 200, {"officer_a", "head_a", "specialist_a", "leader_a"}),
        ("province_manager", 200, {"officer_a", "head_a", "specialist_a", "leader_a"}),
        ("officer_b", 403, set()),
        ("other_province_manager", 403, set()),
    ],
)
def test_it_scopes_the_gap_api_to_each_persona(
    staffing: Staffing, persona: str, status: int, people: set[str]
) -> None:
    w = staffing.world
    response = w.client_for(getattr(w, persona)).get(f"/api/v1/workforce/gaps?commune={w.commune_a.code}")
    assert response.status_code == status
    if status == 200:
        ids = {p["id"] for p in response.json()["people"]}
        assert ids == {getattr(w, name).pk for name in people}
    else:
        assert response.json()["error"]["code"] == "forbidden"


def test_it_asks_anonymous_callers_to_sign_in(staffing: Staffing) -> None:
    assert Client().get("/api/v1/workforce/gaps").status_code == 401
    response = Client().get("/workforce/gaps/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_shows_the_province_every_commune_and_drills_down(staffing: Staffing) -> None:
    w = staffing.world
    client = w.client_for(w.province_manager)
    page = client.get("/workforce/gaps/").content.decode()
    assert "Xã Vinh Lộc" in page and "Xã Phú Vang" in page and 'id="lacking"' in page
    page = client.get(f"/workforce/gaps/?commune={w.commune_a.code}").content.decode()
    assert f'id="person-{w.officer_a.pk}"' in page and f'id="gap-{w.officer_a.pk}-OPS.1"' in page
    assert w.client_for(w.leader_a).get(f"/workforce/gaps/?commune={w.commune_b.code}").status_code == 403


def test_it_exports_the_report_to_excel_and_pdf(staffing: Staffing) -> None:
    w = staffing.world
    client = w.client_for(w.leader_a)
    xlsx = client.get("/workforce/gaps.xlsx")
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) == 3
    officers = book.worksheets[1]
    names = {row[0] for row in officers.iter_rows(min_row=2, values_only=True)}
    assert w.officer_a.full_name in names and officers.max_row == 1 + 9 + 7 + 8 + 6  # every requirement row
    pdf = client.get("/workforce/gaps.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and b"DejaVuSans" in pdf.content


def test_it_enrols_and_records_a_result_through_the_api(staffing: Staffing) -> None:
    w = staffing.world
    start = dt.date.today()  # noqa: DTZ011 — sessions are whole local days
    run = services.session_create(
        actor=w.province_manager, course=staffing.course("DVC-01"), province=w.province, commune=None,
        starts_on=start, ends_on=start, capacity=10, online=True,
    )  # fmt: skip
    client = w.client_for(w.head_a)
    recs = client.get("/api/v1/workforce/recommendations").json()
    rec = next(r for r in recs if r["person"] == w.officer_a.pk and r["course"] == "DVC-01")
    assert rec["session"] == run.pk and "OPS.1" in rec["competencies"]
    response = client.post(
        "/api/v1/workforce/enrolments",
        {"session": run.pk, "person": w.officer_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    enrolment_id = response.json()["id"]
    denied = w.client_for(w.officer_a).post(
        f"/api/v1/workforce/enrolments/{enrolment_id}/complete",
        {"score": 99},
        content_type="application/json",
    )
    assert denied.status_code == 403
    bad = client.post(
        f"/api/v1/workforce/enrolments/{enrolment_id}/complete",
        {"score": 120},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "score"
    done = client.post(
        f"/api/v1/workforce/enrolments/{enrolment_id}/complete",
        {"score": 80},
        content_type="application/json",
    )
    assert done.json()["status"] == EnrolmentStatus.COMPLETED
    assert Evidence.objects.filter(
        user=w.officer_a, kind=EvidenceKind.TRAINING, competency__code="OPS.1"
    ).exists()
    levels = client.get(f"/api/v1/workforce/people/{w.officer_a.pk}/competencies").json()
    assert next(r for r in levels if r["competency"] == "OPS.1")["current"] == 3


def test_it_shows_a_person_page_to_the_right_people(staffing: Staffing) -> None:
    w = staffing.world
    assess(staffing, "OPS.1", 2)
    url = f"/workforce/people/{w.officer_a.pk}/"
    for persona, status in (
        ("officer_a", 200), ("head_a", 200), ("leader_a", 200), ("province_manager", 200),
        ("specialist_a", 403), ("officer_b", 403), ("other_province_manager", 403),
    ):  # fmt: skip
        assert w.client_for(getattr(w, persona)).get(url).status_code == status, persona
    page = w.client_for(w.officer_a).get(url).content.decode()
    assert 'id="comp-OPS.1"' in page and "Công chức tiếp nhận và trả kết quả" in page


def test_it_records_assessments_from_the_person_page(staffing: Staffing) -> None:
    w = staffing.world
    url = f"/workforce/people/{w.officer_a.pk}/assess/"
    w.client_for(w.officer_a).post(url, {"competency": "AI6.2", "level": "2", "comment": ""})
    w.client_for(w.head_a).post(
        url, {"competency": "AI6.2", "level": "3", "comment": "Dùng trợ lý ảo thành thạo."}
    )
    kinds = set(Evidence.objects.filter(user=w.officer_a).values_list("kind", "recorded_by__username"))
    assert kinds == {("self", "officer.a"), ("manager", "head.a")}
    assert (
        w.client_for(w.specialist_a)
        .post(url, {"competency": "AI6.2", "level": "3", "comment": "x" * 20})
        .status_code
        == 403
    )


def test_it_runs_the_training_pages(staffing: Staffing) -> None:
    w = staffing.world
    start = dt.date.today() + dt.timedelta(days=3)  # noqa: DTZ011
    client = w.client_for(w.province_manager)
    response = client.post(
        "/workforce/training/",
        {"course": staffing.course("AI-01").pk, "starts_on": start.isoformat(), "ends_on": start.isoformat(),
         "place": "Hội trường UBND", "capacity": "30"},
    )  # fmt: skip
    assert response.status_code == 302
    run = Session.objects.get()
    w.client_for(w.head_a).post("/workforce/enrol/", {"session": run.pk, "person": w.officer_a.pk})
    assert Enrolment.objects.filter(session=run, user=w.officer_a).exists()
    page = w.client_for(w.head_a).get(f"/workforce/training/sessions/{run.pk}/").content.decode()
    assert w.officer_a.full_name in page
    denied = w.client_for(w.officer_a).post(
        "/workforce/training/",
        {
            "course": run.course_id,
            "starts_on": start.isoformat(),
            "ends_on": start.isoformat(),
            "capacity": "5",
            "online": "on",
        },
    )
    assert denied.status_code == 403
    plan = w.client_for(w.leader_a).post(
        f"/workforce/plans/{w.commune_a.code}/2026/build/", {"budget_vnd": "9000000"}
    )
    assert plan.status_code == 302
    page = w.client_for(w.officer_a).get(f"/workforce/plans/{w.commune_a.code}/2026/").content.decode()
    assert 'id="plan-items"' in page
    assert (
        w.client_for(w.officer_a).post(f"/workforce/plans/{w.commune_a.code}/2026/build/").status_code == 403
    )
