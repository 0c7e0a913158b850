"""Work planning in the product: the bridge from the database, proposals, accepting with an
override, re-planning after an absence, and who may do it (services, pages, API)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.utils import translation

from tests.conftest import World, make_user
from tests.dossiers.conftest import APPLICANT, justice_officer, procedures
from tests.planning.support import ASSIGNMENT_NOW as NOW
from tests.planning.support import assignment_clock, level, quick_assignment
from xaso.accounts.models import Role, User
from xaso.audit.models import AuditEvent
from xaso.catalog.models import Procedure
from xaso.dossiers.deadlines import work_calendar
from xaso.dossiers.models import Dossier, Event
from xaso.dossiers.services import dossier_intake, dossier_reassign
from xaso.lib.errors import Forbidden, InvalidInput
from xaso.places.models import Department
from xaso.planning import services
from xaso.planning.bridge import build_department_problem
from xaso.planning.models import ProposalStatus, ProposedAssignment
from xaso.workforce.models import Competency, CompetencyType

__all__ = ["assignment_clock", "justice_officer", "procedures", "quick_assignment"]


@dataclass
class Office:
    world: World
    department: Department
    head: User
    expert: User  # level 3 in civil status
    novice: User  # justice officer, level 1 unless raised
    dossiers: list[Dossier]


@pytest.fixture
def office(world: World, procedures: dict[str, Procedure], justice_officer: User) -> Office:
    kind = CompetencyType.objects.create(code="PRO", name="Chuyên môn")
    Competency.objects.create(type=kind, code="PRO.CIVIL", name="Hộ tịch", max_level=4)
    department = world.commune_a.departments.get(kind="office")
    head = make_user("head.office", Role.DEPARTMENT_HEAD, commune=world.commune_a, department_kind="office")
    level(world.specialist_a, "PRO.CIVIL", 3)
    level(justice_officer, "PRO.CIVIL", 1)
    dossiers = [
        dossier_intake(
            actor=world.officer_a,
            received_by=world.commune_a,
            procedure_code="1.001193",
            channel="in_person",
            applicant=APPLICANT,
            documents_submitted=[0, 1],
        )
        for _ in range(3)
    ]
    for d in dossiers:  # all start with the novice
        if d.assignee != justice_officer:
            dossier_reassign(actor=head, code=d.code, assignee=justice_officer)
    return Office(world, department, head, world.specialist_a, justice_officer, dossiers)


def test_the_bridge_builds_the_departments_problem(office: Office) -> None:
    built = build_department_problem(office.department)
    problem = built.problem
    ids = {o.id for o in problem.officers}
    assert ids == {str(office.head.pk), str(office.expert.pk), str(office.novice.pk)}  # not the admin
    expert = problem.officer_by_id[str(office.expert.pk)]
    assert expert.level("Hộ tịch") == 3 and expert.hours_per_day == 8
    assert problem.officer_by_id[str(office.novice.pk)].level("Hộ tịch") == 1
    assert len(problem.dossiers) == 3
    first = problem.dossier_by_id[str(office.dossiers[0].pk)]
    due = office.dossiers[0].due_at
    assert due is not None
    assert first.field == "Hộ tịch" and first.required_level == 2
    assert first.hours == 0.8  # 10 % of a same-day procedure's 8 h
    assert first.due_hours == round(work_calendar().working_seconds_between(NOW, due) / 3600, 2)
    assert first.pool == str(office.department.pk) and first.commune == str(office.world.commune_a.code)
    assert first.assignee == str(office.novice.pk)


def test_a_head_proposes_queues_explained_by_qualification(office: Office) -> None:
    proposal = services.proposal_create(actor=office.head, department=office.department)
    rows = list(proposal.assignments.all())
    assert len(rows) == 3
    assert {r.officer_id for r in rows} == {office.expert.pk}  # the only one qualified
    assert all(
        r.terms[0] == {"code": "qualification", "params": {"level": 3, "field": "Hộ tịch", "required": 2}}
        for r in rows
    )
    assert all(r.explanation == "" for r in rows)  # the text is made when shown, in the reader's language
    with translation.override("en"):
        assert all("qualified level 3 in Hộ tịch (needs 2)" in r.explanation_text for r in rows)
    assert sorted(r.position for r in rows) == [0, 1, 2]
    assert set(proposal.summary) >= {"late", "lower_bound", "gap"}
    assert AuditEvent.objects.filter(action="planning.proposal_created").exists()


def test_accepting_reassigns_and_keeps_an_override_with_its_reason(office: Office) -> None:
    proposal = services.proposal_create(actor=office.head, department=office.department)
    kept = office.dossiers[1]
    with pytest.raises(InvalidInput) as refused:
        services.proposal_accept(
            actor=office.head, proposal=proposal, overrides={kept.pk: (office.novice, "  ")}
        )
    assert refused.value.field == "override_reason"
    reason = "Anh Tuấn đang học hộ tịch, có người kèm."
    services.proposal_accept(
        actor=office.head, proposal=proposal, overrides={kept.pk: (office.novice, reason)}
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    for d in office.dossiers:
        d.refresh_from_db()
    assert office.dossiers[0].assignee == office.expert
    assert office.dossiers[2].assignee == office.expert
    assert office.dossiers[1].assignee == office.novice
    row = ProposedAssignment.objects.get(proposal=proposal, dossier=kept)
    assert row.overridden_to == office.novice and row.override_reason == reason and row.accepted
    last = Event.objects.filter(dossier=office.dossiers[0], action="reassigned").order_by("pk").last()
    assert last is not None and last.data["to"] == office.expert.pk and last.actor == office.head


def test_re_planning_after_an_absence_moves_only_that_officers_dossiers(office: Office) -> None:
    level(office.novice, "PRO.CIVIL", 3)
    proposal = services.proposal_create(actor=office.head, department=office.department)
    before = dict(proposal.assignments.values_list("dossier_id", "officer_id"))
    away = office.novice if office.novice.pk in before.values() else office.expert
    other = office.expert if away == office.novice else office.novice
    services.proposal_replan(actor=office.head, proposal=proposal, absent=[away.pk])
    after = dict(proposal.assignments.values_list("dossier_id", "officer_id"))
    assert away.pk not in after.values()
    assert all(after[d] == o for d, o in before.items() if o != away.pk)
    assert {after[d] for d, o in before.items() if o == away.pk} <= {other.pk}
    proposal.refresh_from_db()
    assert proposal.summary["absent"] == [away.pk]


def test_others_are_refused(office: Office) -> None:
    w = office.world
    for person in (office.expert, w.officer_b, w.head_a):  # own officer, other commune, other dept
        with pytest.raises(Forbidden):
            services.proposal_create(actor=person, department=office.department)
    assert services.proposal_create(actor=w.leader_a, department=office.department).pk
    proposal = services.proposal_create(actor=office.head, department=office.department)
    for person in (office.expert, w.officer_b):
        client = w.client_for(person)
        assert client.get(f"/planning/?department={office.department.pk}").status_code == 403
        assert client.post(f"/planning/proposals/{proposal.pk}/accept/").status_code == 403
        assert client.get(f"/api/v1/planning/proposals?department={office.department.pk}").status_code == 403
        response = client.post(
            f"/api/v1/planning/proposals/{proposal.pk}/accept", {}, content_type="application/json"
        )
        assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_the_page_and_api_for_the_head(office: Office) -> None:
    client = office.world.client_for(office.head)
    assert client.post("/planning/proposals/", {"department": office.department.pk}).status_code == 302
    page = client.get("/planning/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "đạt mức 3 về Hộ tịch" in text and office.dossiers[0].code in text
    body = client.post("/api/v1/planning/proposals", {}, content_type="application/json").json()
    assert body["department"] == office.department.pk and len(body["assignments"]) == 3
    target = office.dossiers[0].pk
    accepted = client.post(
        f"/api/v1/planning/proposals/{body['id']}/accept",
        {"overrides": [{"dossier": target, "officer": office.novice.pk, "reason": "Kèm cặp"}]},
        content_type="application/json",
    ).json()
    assert accepted["status"] == "accepted"
    row = next(a for a in accepted["assignments"] if a["dossier"] == target)
    assert row["overridden_to"] == office.novice.pk and row["override_reason"] == "Kèm cặp"
    listed = client.get("/api/v1/planning/proposals").json()
    assert [p["id"] for p in listed][:1] == [body["id"]]


def test_the_worker_proposes_each_departments_queues_once_a_day(office: Office) -> None:
    assert services.propose_one_due() is True
    proposal = office.department.assignment_proposals.get()
    assert proposal.created_by is None and proposal.status == ProposalStatus.PROPOSED
    assert proposal.assignments.count() == 3
    assert services.propose_one_due() is False  # already proposed today
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        assert services.propose_one_due() is True


def test_a_learner_in_training_is_paired_with_the_best_mentor(office: Office) -> None:
    from xaso.workforce.models import Course, PlanItem, Programme, TrainingPlan

    programme = Programme.objects.create(code="NV", name="Nghiệp vụ")
    course = Course.objects.create(programme=programme, code="NV-HT", name="Hộ tịch", hours=16, cost_vnd=1)
    plan = TrainingPlan.objects.create(
        commune=office.world.commune_a, year=2026, budget_vnd=10, created_at=NOW
    )
    PlanItem.objects.create(
        plan=plan,
        user=office.novice,
        course=course,
        competency=Competency.objects.get(code="PRO.CIVIL"),
        gap=1,
        urgency=50,
        cost_vnd=1,
    )
    problem = build_department_problem(office.department).problem
    novice = problem.officer_by_id[str(office.novice.pk)]
    assert dict(novice.learning) == {"Hộ tịch": str(office.expert.pk)}
    assert dict(problem.officer_by_id[str(office.expert.pk)].learning) == {}


# --------------------------------------------------------------------------- explanations in the reader's language


def test_the_page_explains_in_vietnamese_and_in_english_on_request(office: Office) -> None:
    client = office.world.client_for(office.head)
    client.post("/planning/proposals/", {"department": office.department.pk})
    text = client.get("/planning/").content.decode()
    assert "đủ điều kiện: đạt mức 3 về Hộ tịch (yêu cầu mức 2)" in text
    assert "hạn Thứ 2 02/03" in text  # due today (Monday 2 March), said with Vietnamese dates
    assert "giờ làm việc" in text
    assert "qualified level" not in text and "working hours" not in text and "Monday" not in text
    client.cookies["django_language"] = "en"
    text = client.get("/planning/").content.decode()
    assert "qualified level 3 in Hộ tịch (needs 2)" in text
    assert "due Monday 02/03" in text and "working hours" in text
    assert "đủ điều kiện: đạt mức" not in text


def test_the_api_gives_the_terms_and_the_text_in_the_requests_language(office: Office) -> None:
    client = office.world.client_for(office.head)
    body = client.post("/api/v1/planning/proposals", {}, content_type="application/json").json()
    row = body["assignments"][0]
    assert row["terms"][0] == {
        "code": "qualification",
        "params": {"level": 3, "field": "Hộ tịch", "required": 2},
    }
    due = next(t for t in row["terms"] if t["code"] == "due")
    assert due["params"]["at"].startswith("2026-03-02T") and due["params"]["hours"] > 0
    assert row["explanation"].startswith("đủ điều kiện: đạt mức 3 về Hộ tịch")
    client.cookies["django_language"] = "en"
    again = client.get(f"/api/v1/planning/proposals/{body['id']}").json()
    assert again["assignments"][0]["explanation"].startswith("qualified level 3 in Hộ tịch (needs 2)")


def test_rows_made_before_the_terms_show_their_text_as_it_is(office: Office) -> None:
    proposal = services.proposal_create(actor=office.head, department=office.department)
    old = "qualified level 3 in Hộ tịch (needs 2); no queue before it; due 02/03 16:00 (in 7 working hours)"
    proposal.assignments.update(terms=[], explanation=old)
    client = office.world.client_for(office.head)
    assert old in client.get("/planning/").content.decode()
    body = client.get(f"/api/v1/planning/proposals/{proposal.pk}").json()
    assert {a["explanation"] for a in body["assignments"]} == {old}
    assert all(a["terms"] == [] for a in body["assignments"])


def test_a_dossier_nobody_may_take_is_explained_in_the_department_s_words(office: Office) -> None:
    ProposedAssignment.objects.all().delete()
    for person in (office.head, office.expert, office.novice):
        person.is_active = False
        person.save(update_fields=["is_active"])
    proposal = services.proposal_create(actor=office.world.leader_a, department=office.department)
    rows = list(proposal.assignments.all())
    assert rows and all(r.officer is None for r in rows)
    assert rows[0].terms[0]["code"] == "no_officer"
    assert rows[0].explanation_text == "phòng không có công chức nào nhận xử lý hồ sơ"
    with translation.override("en"):
        assert rows[0].explanation_text == "no officer serves this department"


def test_the_renderer_says_numbers_and_moments_in_the_active_language() -> None:
    from xaso.planning.explanations import assignment_text

    terms = [
        {"code": "queue", "params": {"hours": 1.5}},
        {"code": "due", "params": {"hours": -1.0, "at": "2026-03-05T14:00+07:00"}},
        {"code": "something_new", "params": {}},  # a code this version does not know: said as is
        {"code": "late", "params": {}},  # a term of another shape: its code
    ]
    with translation.override("vi"):
        assert assignment_text(terms) == (
            "có 1,5 giờ việc xếp trước; hạn Thứ 5 05/03 14:00 (đã quá 1 giờ làm việc); something_new; late"
        )
    with translation.override("en"):
        assert assignment_text(terms) == (
            "1.5 h of queue before it; due Thursday 05/03 14:00 (1 working hour ago); something_new; late"
        )


def test_a_commune_leader_opens_the_planning_page_on_a_department_of_the_commune(office: Office) -> None:
    leader = office.world.client_for(office.world.leader_a)
    page = leader.get("/planning/")
    assert page.status_code == 200
    assert page.context["department"].commune_id == office.world.commune_a.pk
    assert office.world.client_for(office.world.officer_b).get("/planning/").status_code in (403, 404)
