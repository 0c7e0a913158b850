"""Shared pools in the product's work assignment: a commune's pool of officers from several
departments, planned together with the department that holds the dossiers; who sees and edits
what (services, pages, API)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import translation

from tests.conftest import World, make_user
from tests.dossiers.conftest import APPLICANT, procedures
from tests.planning.support import assignment_clock, level, quick_assignment
from xaso.accounts.models import Role, User
from xaso.audit.models import AuditEvent
from xaso.catalog.models import Procedure
from xaso.dossiers.models import Dossier, Status
from xaso.dossiers.services import dossier_intake
from xaso.lib.errors import Forbidden, InvalidInput
from xaso.places.models import Department
from xaso.planning import services
from xaso.planning.bridge import build_department_problem
from xaso.planning.models import ProposedAssignment, SharedPool
from xaso.workforce.models import Competency, CompetencyType

__all__ = ["assignment_clock", "procedures", "quick_assignment"]

POOL_NAME = "Tổ tiếp nhận và giải quyết chung"


@dataclass
class Pooled:
    world: World
    office: Department
    center: Department
    head: User  # head of the office, which holds the dossiers
    expert: User  # the office's only civil-status officer, with a full day of other work
    member: User  # a service-center officer in the pool, free, level 3
    pool: SharedPool
    births: list[Dossier]
    residence: Dossier  # in the office, outside the pool's fields


def _take(world: World, code: str) -> Dossier:
    return dossier_intake(
        actor=world.officer_a,
        received_by=world.commune_a,
        procedure_code=code,
        channel="in_person",
        applicant=APPLICANT,
        documents_submitted=[0, 1] if code == "1.001193" else [0],
    )


@pytest.fixture
def pooled(world: World, procedures: dict[str, Procedure]) -> Pooled:
    kind = CompetencyType.objects.create(code="PRO", name="Chuyên môn")
    Competency.objects.create(type=kind, code="PRO.CIVIL", name="Hộ tịch", max_level=4)
    Competency.objects.create(type=kind, code="PRO.RESIDENCE", name="Cư trú", max_level=4)
    a = world.commune_a
    office = a.departments.get(kind="office")
    center = a.departments.get(kind="service_center")
    head = make_user("head.office", Role.DEPARTMENT_HEAD, commune=a, department_kind="office")
    expert = world.specialist_a
    member = make_user("member.center", Role.SPECIALIST, commune=a, department_kind="service_center")
    level(expert, "PRO.CIVIL", 3)
    level(member, "PRO.CIVIL", 3)
    level(member, "PRO.RESIDENCE", 3)  # qualified, but residence is not the pool's field
    pool = services.shared_pool_save(
        actor=world.leader_a,
        commune=a,
        name=POOL_NAME,
        members=[expert, member],
        fields=["Hộ tịch"],
        procedure_codes=[],
    )
    births = [_take(world, "1.001193") for _ in range(2)]
    Dossier.objects.filter(pk__in=[d.pk for d in births]).update(assignee=expert)
    # Two days of other work the expert is waiting on (paused for the applicant's supplement):
    # it is done first, so the expert cannot finish today's civil-status dossiers in time.
    for _ in range(2):
        busy = _take(world, "1.001193")
        Dossier.objects.filter(pk=busy.pk).update(
            status=Status.SUPPLEMENT_REQUESTED,
            assignee=expert,
            time_value=100,
            time_unit="working_days",
        )
    residence = _take(world, "1.004222")
    Dossier.objects.filter(pk=residence.pk).update(department=office)
    for d in births:
        assert d.department_id == office.pk
    return Pooled(world, office, center, head, expert, member, pool, births, residence)


def test_the_bridge_plans_the_department_with_its_pool(pooled: Pooled) -> None:
    built = build_department_problem(pooled.office)
    problem = built.problem
    key = f"pool:{pooled.pool.pk}"
    member = problem.officer_by_id[str(pooled.member.pk)]
    assert member.department == str(pooled.center.pk) and member.pools == frozenset({key})
    assert member.learning == {}
    head = problem.officer_by_id[str(pooled.head.pk)]  # the office's officers serve the pool too
    assert head.department == str(pooled.office.pk) and key in head.pools
    assert problem.officer_by_id[str(pooled.expert.pk)].queue_hours == 16.0
    birth = problem.dossier_by_id[str(pooled.births[0].pk)]
    assert birth.pool == key and birth.home == str(pooled.office.pk)
    residence = problem.dossier_by_id[str(pooled.residence.pk)]
    assert residence.pool == str(pooled.office.pk) and residence.home == ""
    assert built.pools == {str(d.pk): pooled.pool for d in pooled.births}


def test_a_dossier_only_a_pool_member_can_do_in_time_goes_to_them_with_the_pool_reason(
    pooled: Pooled,
) -> None:
    proposal = services.proposal_create(actor=pooled.head, department=pooled.office)
    rows = {r.dossier_id: r for r in proposal.assignments.select_related("pool")}
    for d in pooled.births:
        row = rows[d.pk]
        assert row.officer_id == pooled.member.pk and not row.late
        assert row.pool == pooled.pool
        term = next(t for t in row.terms if t["code"] == "shared_pool")
        assert term["params"] == {
            "pool": f"pool:{pooled.pool.pk}",
            "department": str(pooled.center.pk),
            "pool_name": POOL_NAME,
            "department_name": pooled.center.name,
        }
        chosen_over = next(t for t in row.terms if t["code"] == "chosen_over")
        assert chosen_over["params"]["officer"] == str(pooled.expert.pk)
        assert chosen_over["params"]["would_be_late"] is True
        with translation.override("en"):
            assert f"through the shared pool {POOL_NAME} (an officer of {pooled.center.name})" in (
                row.explanation_text
            )
        with translation.override("vi"):
            assert f"qua tổ dùng chung {POOL_NAME}" in row.explanation_text
    # accepting gives them to the other department's officer, and the event says so
    services.proposal_accept(actor=pooled.head, proposal=proposal)
    for d in pooled.births:
        d.refresh_from_db()
        assert d.assignee == pooled.member and d.department == pooled.office
    event = AuditEvent.objects.get(action="planning.proposal_accepted")
    assert event.data["other_departments"] == {
        str(d.pk): {"to": pooled.member.pk, "department": pooled.center.pk, "pool": pooled.pool.pk}
        for d in pooled.births
    }


def test_a_dossier_outside_the_pools_fields_never_goes_to_another_department(pooled: Pooled) -> None:
    proposal = services.proposal_create(actor=pooled.head, department=pooled.office)
    row = proposal.assignments.get(dossier=pooled.residence)
    # the member is qualified in residence, but the pool does not take it: nobody may
    assert row.officer is None and row.pool is None
    assert row.terms[0]["code"] == "no_level"
    problem = build_department_problem(pooled.office).problem
    residence = problem.dossier_by_id[str(pooled.residence.pk)]
    assert residence.pool not in problem.officer_by_id[str(pooled.member.pk)].pools
    # nor does a department that has no member in the pool plan through it
    pooled.pool.members.remove(pooled.expert)
    assert build_department_problem(pooled.office).pools == {}


def test_re_planning_after_an_absence_moves_pool_dossiers_within_the_pool(pooled: Pooled) -> None:
    proposal = services.proposal_create(actor=pooled.head, department=pooled.office)
    services.proposal_replan(actor=pooled.head, proposal=proposal, absent=[pooled.member.pk])
    rows = {r.dossier_id: r for r in proposal.assignments.all()}
    for d in pooled.births:  # back to the office's expert, late
        assert rows[d.pk].officer_id == pooled.expert.pk and rows[d.pk].late
        assert rows[d.pk].pool_id == pooled.pool.pk
        assert all(t["code"] != "shared_pool" for t in rows[d.pk].terms)
    assert rows[pooled.residence.pk].officer_id is None
    proposal.refresh_from_db()
    assert proposal.summary["absent"] == [pooled.member.pk]


def test_the_other_departments_head_sees_the_pool_rows_read_only(pooled: Pooled) -> None:
    w = pooled.world
    proposal = services.proposal_create(actor=pooled.head, department=pooled.office)
    client = w.client_for(w.head_a)  # head of the service center, the member's department
    page = client.get(f"/planning/proposals/{proposal.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="read-only"' in text and POOL_NAME in text
    assert all(d.code in text for d in pooled.births)
    assert pooled.residence.code not in text  # not theirs to see
    own = client.get("/planning/").content.decode()  # their own page lists the incoming rows
    assert 'id="incoming"' in own and pooled.births[0].code in own
    body = client.get(f"/api/v1/planning/proposals/{proposal.pk}").json()
    assert body["read_only"] is True
    assert {a["dossier"] for a in body["assignments"]} == {d.pk for d in pooled.births}
    assert all(a["through_pool"] and a["pool_name"] == POOL_NAME for a in body["assignments"])
    # read-only: they may not accept, re-plan or plan the office
    assert client.post(f"/planning/proposals/{proposal.pk}/accept/").status_code == 403
    response = client.post(
        f"/api/v1/planning/proposals/{proposal.pk}/accept", {}, content_type="application/json"
    )
    assert response.status_code == 403
    with pytest.raises(Forbidden):
        services.proposal_accept(actor=w.head_a, proposal=proposal)
    assert client.get(f"/planning/?department={pooled.office.pk}").status_code == 403
    # the planner sees the whole proposal, with the pool and who came through it
    planner = w.client_for(pooled.head)
    text = planner.get("/planning/").content.decode()
    assert POOL_NAME in text and pooled.residence.code in text and pooled.center.name in text
    full = planner.get(f"/api/v1/planning/proposals/{proposal.pk}").json()
    assert full["read_only"] is False and len(full["assignments"]) == 3


def test_outsiders_are_refused_on_page_and_api(pooled: Pooled) -> None:
    w = pooled.world
    proposal = services.proposal_create(actor=pooled.head, department=pooled.office)
    for person in (w.officer_b, w.officer_a, w.other_province_manager):
        client = w.client_for(person)
        assert client.get(f"/planning/proposals/{proposal.pk}/").status_code == 403
        assert client.get(f"/api/v1/planning/proposals/{proposal.pk}").status_code == 403
    for person in (w.officer_b, w.other_province_manager):
        client = w.client_for(person)
        assert client.get(f"/planning/pools/?commune={w.commune_a.pk}").status_code == 403
        assert client.get(f"/api/v1/planning/pools?commune={w.commune_a.pk}").status_code == 403
        assert client.get(f"/api/v1/planning/pools/{pooled.pool.pk}").status_code == 403
        assert client.post("/planning/pools/save/", {"pool": pooled.pool.pk, "name": "x"}).status_code == 403
    assert w.client_for(None).get("/api/v1/planning/pools").status_code == 401
    # the commune's staff and the province read the pools
    for person in (w.officer_a, w.province_manager):
        body = w.client_for(person).get(f"/api/v1/planning/pools?commune={w.commune_a.pk}").json()
        assert [p["name"] for p in body] == [POOL_NAME]
        assert body[0]["departments"] == sorted([pooled.office.pk, pooled.center.pk])
        assert body[0]["fields"] == ["Hộ tịch"]
    assert POOL_NAME in w.client_for(w.officer_a).get("/planning/pools/").content.decode()


def test_pool_edits_are_checked_and_audited(pooled: Pooled) -> None:
    w = pooled.world
    created = AuditEvent.objects.get(action="planning.pool_created")
    assert created.actor == w.leader_a and created.commune == w.commune_a
    assert created.data["after"]["members"] == sorted([pooled.expert.pk, pooled.member.pk])
    # the head of a department in the pool edits it; the change is audited
    client = w.client_for(pooled.head)
    page = client.get("/planning/pools/").content.decode()
    assert 'id="new-pool"' in page and f'name="pool" value="{pooled.pool.pk}"' in page
    response = client.post(
        "/planning/pools/save/",
        {
            "pool": pooled.pool.pk,
            "name": POOL_NAME,
            "members": [pooled.expert.pk, pooled.member.pk],
            "fields": ["Hộ tịch", "Đăng ký, quản lý cư trú"],
            "procedure_codes": "1.001193",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    pooled.pool.refresh_from_db()
    assert pooled.pool.fields == ["Hộ tịch", "Đăng ký, quản lý cư trú"]
    assert pooled.pool.procedure_codes == ["1.001193"]
    changed = AuditEvent.objects.get(action="planning.pool_changed")
    assert changed.actor == pooled.head and changed.data["changed"] == ["fields", "procedure_codes"]
    # a head whose department is not in the pool may not; nor may a specialist
    economy_head = make_user(
        "head.economy", Role.DEPARTMENT_HEAD, commune=w.commune_a, department_kind="economy"
    )
    for person in (economy_head, pooled.expert, w.officer_b):
        with pytest.raises(Forbidden):
            services.shared_pool_save(
                actor=person,
                commune=w.commune_a,
                pool=pooled.pool,
                name="Khác",
                members=[pooled.expert, pooled.member],
                fields=["Hộ tịch"],
                procedure_codes=[],
            )
    # checks name the field
    bad: list[tuple[dict[str, object], str]] = [
        ({"name": " "}, "name"),
        ({"members": [pooled.expert]}, "members"),  # one department only
        ({"members": [pooled.expert, w.officer_b]}, "members"),  # another commune
        ({"fields": [], "procedure_codes": []}, "fields"),
        ({"fields": ["Không có"]}, "fields"),
        ({"procedure_codes": ["9.999999"]}, "procedure_codes"),
    ]
    for change, field in bad:
        values: dict[str, object] = {
            "name": "Tổ mới",
            "members": [pooled.expert, pooled.member],
            "fields": ["Hộ tịch"],
            "procedure_codes": [],
        }
        values.update(change)
        with pytest.raises(InvalidInput) as refused:
            services.shared_pool_save(actor=w.leader_a, commune=w.commune_a, **values)  # type: ignore[arg-type]
        assert refused.value.field == field
    assert SharedPool.objects.count() == 1
    assert AuditEvent.objects.filter(action__startswith="planning.pool_").count() == 2
    # a deactivated pool is no longer planned with
    services.shared_pool_save(
        actor=w.leader_a,
        commune=w.commune_a,
        pool=pooled.pool,
        name=POOL_NAME,
        members=[pooled.expert, pooled.member],
        fields=["Hộ tịch"],
        procedure_codes=[],
        is_active=False,
    )
    assert build_department_problem(pooled.office).pools == {}
    assert not ProposedAssignment.objects.filter(pool__isnull=False).exists()


def test_pool_edits_in_the_admin_are_audited(pooled: Pooled) -> None:
    admin_user = make_user("root", commune=None)
    admin_user.is_superuser = admin_user.is_staff = True
    admin_user.save()
    client = pooled.world.client_for(admin_user)
    url = f"/admin/planning/sharedpool/{pooled.pool.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "commune": pooled.world.commune_a.pk,
            "name": "Tổ một cửa liên thông",
            "members": [pooled.expert.pk, pooled.member.pk],
            "fields": '["Hộ tịch"]',
            "procedure_codes": "[]",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="planning.pool_admin_changed")
    assert event.actor == admin_user and "name" in event.data["fields"]
    assert event.commune == pooled.world.commune_a


def test_the_reasons_nobody_may_take_a_pool_dossier_name_the_pool() -> None:
    from xaso.planning.explanations import assignment_term_text

    term = {"code": "no_officer", "params": {"pool": "pool:3", "commune": "20122"}}
    with translation.override("en"):
        assert assignment_term_text(term) == "no officer serves this department or its shared pool"
    with translation.override("vi"):
        assert (
            assignment_term_text(term)
            == "phòng và tổ dùng chung của phòng không có công chức nào nhận xử lý hồ sơ"
        )
