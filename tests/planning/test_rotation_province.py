"""Rotation between communes: the province's Home Affairs plans several communes at once, and
officers may move between them (the bridge over several communes, solving and storing a
province plan, its page, API and disclosure, and who may do what)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import translation

from tests.conftest import PASSWORD, World, make_commune, make_user
from tests.planning.support import give, quick_rotation, rotation_clock
from tests.workforce.conftest import framework  # shared fixture
from xaso.accounts.models import Role, User
from xaso.audit.models import AuditEvent
from xaso.lib.errors import Conflict, Forbidden, InvalidInput
from xaso.places.models import Commune
from xaso.planning import rotation_services as rs
from xaso.planning.models import ProposalStatus, RotationMove, RotationPlan
from xaso.planning.rotation_bridge import build_commune_rotation, build_rotation
from xaso.planning.selectors import province_disclosure_text
from xaso.workforce import services as wf
from xaso.workforce.models import Position

__all__ = ["framework", "quick_rotation", "rotation_clock"]


def login(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@dataclass
class Two:
    world: World
    civil_a: Position
    civil_b: Position
    clerk: User  # civil status in A since 2018: due to move in 2027
    newcomer: User  # civil status in B since June 2026: nothing due


@pytest.fixture
def two(world: World, framework: None) -> Two:
    """A hand-made pair of neighbouring communes, one civil-status seat each.

    A's clerk must move in 2027, but A has no other post the clerk could take (only the
    chairman's); B's civil-status officer arrived in 2026 and owes nothing.  Only a move to B
    (and B's officer to A, so neither seat stays empty) meets the duty."""
    w = world
    seats = {}
    for commune in (w.commune_a, w.commune_b):
        wf.positions_adopt_all(actor=None, commune=commune)
        keep = ["VP-TPHT", "LD-CT"] if commune == w.commune_a else ["VP-TPHT"]
        Position.objects.filter(commune=commune).exclude(code__in=keep).update(is_active=False)
        Position.objects.filter(commune=commune, code="VP-TPHT").update(headcount=1)
        seats[commune.pk] = Position.objects.get(commune=commune, code="VP-TPHT")
    wf.assignment_start(
        actor=None, person=w.specialist_a, position=seats[w.commune_a.pk], started_on=dt.date(2018, 3, 1)
    )
    wf.assignment_start(
        actor=None, person=w.officer_b, position=seats[w.commune_b.pk], started_on=dt.date(2026, 6, 1)
    )
    wf.assignment_start(
        actor=None,
        person=w.leader_a,
        position=Position.objects.get(commune=w.commune_a, code="LD-CT"),
        started_on=dt.date(2020, 1, 1),
    )
    for person in (w.specialist_a, w.officer_b):
        give(person, PRO_CIVIL=3, DC4_2=3)
    return Two(w, seats[w.commune_a.pk], seats[w.commune_b.pk], w.specialist_a, w.officer_b)


def province_plan(two: Two) -> RotationPlan:
    w = two.world
    return rs.province_rotation_plan_create(
        actor=w.province_manager,
        province=w.province,
        communes=[w.commune_a, w.commune_b],
        start_year=2027,
        years=3,
    )


def test_the_bridge_builds_both_communes_as_neighbours(two: Two) -> None:
    w = two.world
    rs.rotation_fields_seed(province=w.province)
    built = build_rotation([w.commune_a, w.commune_b], start_year=2027, years=3)
    problem = built.problem
    a, b = str(w.commune_a.pk), str(w.commune_b.pk)
    assert {p.commune for p in problem.positions} == {a, b}
    assert problem.position_by_id[str(two.civil_b.pk)].commune == b
    assert problem.position_by_id[str(two.civil_b.pk)].field == "civil_status"
    assert {o.id for o in problem.officers} == {str(p.pk) for p in (two.clerk, two.newcomer, w.leader_a)}
    assert dict(problem.neighbours) == {a: frozenset({b}), b: frozenset({a})}
    assert set(built.communes) == {a, b}
    alone = build_commune_rotation(w.commune_a, start_year=2027, years=3).problem
    assert {p.commune for p in alone.positions} == {a} and not alone.neighbours
    assert str(two.newcomer.pk) not in alone.officer_by_id


def test_an_officer_moves_to_the_neighbouring_commune_to_meet_the_duty(two: Two) -> None:
    w = two.world
    alone = rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2027, years=3)
    assert alone.summary["due"] == 1 and alone.summary["met"] == 0  # nowhere to go in A alone
    plan = province_plan(two)
    assert plan.commune is None and plan.province == w.province
    assert set(plan.communes.all()) == {w.commune_a, w.commune_b}
    moves = {m.user_id: m for m in plan.moves.select_related("from_position", "to_position")}
    assert set(moves) == {two.clerk.pk, two.newcomer.pk}
    clerk = moves[two.clerk.pk]
    assert (clerk.to_position, clerk.year) == (two.civil_b, 2027) and clerk.between_communes
    assert (moves[two.newcomer.pk].to_position, moves[two.newcomer.pk].year) == (two.civil_a, 2027)
    assert clerk.cost == {"move": 12, "inter_commune": 20}
    assert clerk.reason_terms[0]["code"] == "periodic_transfer"
    assert {
        "code": "inter_commune",
        "params": {
            "from": str(w.commune_a.pk),
            "to": str(w.commune_b.pk),
            "from_name": "Xã Vinh Lộc",
            "to_name": "Xã Phú Vang",
        },
    } in clerk.reason_terms
    with translation.override("vi"):
        assert "chuyển giữa các xã: từ Xã Vinh Lộc sang Xã Phú Vang" in clerk.reason_texts
    with translation.override("en"):
        assert "moves between communes: from Xã Vinh Lộc to Xã Phú Vang" in clerk.reason_texts
    summary = plan.summary
    assert summary["due"] == 1 and summary["met"] == 1 and summary["between_communes"] == 2
    assert summary["communes"] == sorted([w.commune_a.pk, w.commune_b.pk])
    duty = next(d for d in summary["duties"] if d["officer"] == str(two.clerk.pk))
    assert duty["commune"] == str(w.commune_a.pk) and duty["moved_in"] == 2027 and duty["met"]
    event = AuditEvent.objects.get(action="planning.province_rotation_planned", object_id=str(plan.pk))
    assert event.actor == w.province_manager and event.data["between_communes"] == 2
    with translation.override("vi"):
        text = province_disclosure_text(plan)
    assert text.startswith("# Kế hoạch chuyển đổi vị trí công tác giữa các xã — Thành phố Huế, 2027–2029")
    assert "Xã Vinh Lộc: phải chuyển 1, đã đáp ứng 1, quá hạn 0" in text
    assert "Xã Phú Vang: phải chuyển 0, đã đáp ứng 0, quá hạn 0" in text
    assert (
        f"{two.clerk.full_name} | {two.civil_a.title} (Xã Vinh Lộc) | {two.civil_b.title} (Xã Phú Vang)"
        in text
    )


def test_a_commune_leaders_forbid_holds_in_the_province_plan(two: Two) -> None:
    w = two.world
    rs.rotation_decide(
        actor=w.leader_a,
        commune=w.commune_a,
        kind="forbid",
        user=two.clerk,
        position=None,  # a leader decides on their own commune's posts, or "no move at all"
        year=None,
        reason="Chưa bàn giao xong sổ hộ tịch",
    )
    plan = province_plan(two)
    assert not plan.moves.exists()
    assert plan.summary["met"] == 0
    assert "Chưa bàn giao xong sổ hộ tịch" in province_disclosure_text(plan)


def test_the_choice_of_communes_is_checked(two: Two) -> None:
    w = two.world

    def create(communes: list[Commune], *, actor: User | None = None, start_year: int = 2027) -> None:
        rs.province_rotation_plan_create(
            actor=actor or w.province_manager, province=w.province, communes=communes, start_year=start_year
        )

    with pytest.raises(InvalidInput) as one:
        create([w.commune_a, w.commune_a])  # one commune, twice
    assert one.value.field == "communes"
    elsewhere = make_commune(w.other_province, 20194, "Phường Hải Châu")
    with pytest.raises(InvalidInput) as foreign:
        create([w.commune_a, elsewhere])
    assert foreign.value.field == "communes"
    many = [make_commune(w.province, 19000 + n, f"Xã {n}") for n in range(9)]
    with pytest.raises(InvalidInput) as too_many:
        create([w.commune_a, w.commune_b, *many])  # 11 > 10
    assert too_many.value.field == "communes"
    with pytest.raises(InvalidInput) as years:
        create([w.commune_a, w.commune_b], start_year=2020)
    assert years.value.field == "start_year"
    for outsider in (w.leader_a, w.officer_a, w.other_province_manager):
        with pytest.raises(Forbidden):
            create([w.commune_a, w.commune_b], actor=outsider)


def test_only_home_affairs_accepts_and_the_acceptance_is_audited(two: Two) -> None:
    w = two.world
    older = province_plan(two)
    plan = province_plan(two)
    with pytest.raises(Conflict):
        rs.province_rotation_plan_accept(actor=w.province_manager, plan=older)  # a newer one exists
    for outsider in (w.leader_a, w.other_province_manager):
        with pytest.raises(Forbidden):
            rs.province_rotation_plan_accept(actor=outsider, plan=plan)
    accepted = rs.province_rotation_plan_accept(actor=w.province_manager, plan=plan)
    assert accepted.status == ProposalStatus.ACCEPTED and accepted.accepted_by == w.province_manager
    event = AuditEvent.objects.get(action="planning.province_rotation_accepted", object_id=str(plan.pk))
    assert event.actor == w.province_manager
    assert event.data == {"communes": sorted([w.commune_a.pk, w.commune_b.pk])}
    with pytest.raises(Conflict):
        rs.province_rotation_plan_accept(actor=w.province_manager, plan=plan)


def test_the_page_and_api_work_for_the_province_manager(two: Two) -> None:
    w = two.world
    manager = login(w.province_manager)
    home = manager.get("/").content.decode()
    assert 'href="/planning/rotation/province/"' in home  # in the navigation
    empty = manager.get("/planning/rotation/province/").content.decode()
    assert 'name="communes"' in empty and "hx-indicator" in empty and "Xã Phú Vang" in empty
    refused = manager.post(
        "/planning/rotation/province/solve/", {"communes": [w.commune_a.pk], "start_year": 2027, "years": 3}
    )
    assert refused.status_code == 302 and "communes=" in refused["Location"]
    assert not RotationPlan.objects.exists()
    solved = manager.post(
        "/planning/rotation/province/solve/",
        {"communes": [w.commune_a.pk, w.commune_b.pk], "start_year": 2027, "years": 3},
    )
    assert solved.status_code == 302
    plan_id = int(solved["Location"].rsplit("plan=", 1)[1])
    page = manager.get(solved["Location"]).content.decode()
    assert two.clerk.full_name in page and "giữa các xã" in page
    assert "chuyển giữa các xã: từ Xã Vinh Lộc sang Xã Phú Vang" in page
    assert "phải chuyển 1, đã đáp ứng 1, quá hạn 0" in page
    assert f'action="/planning/rotation/province/{plan_id}/accept/"' in page
    printed = manager.get(f"/planning/rotation/province/{plan_id}/disclosure/")
    assert printed.status_code == 200 and "Xã Phú Vang" in printed.content.decode()
    md = manager.get(f"/planning/rotation/province/{plan_id}/disclosure/?format=md")
    assert md["Content-Type"].startswith("text/markdown") and "attachment" in md["Content-Disposition"]
    assert "chuyển giữa các xã" in md.content.decode()

    made = manager.post(
        "/api/v1/planning/rotation/province/plans",
        {"communes": [w.commune_a.pk, w.commune_b.pk], "start_year": 2027, "years": 3},
        content_type="application/json",
    )
    assert made.status_code == 201
    body = made.json()
    assert body["communes"] == sorted([w.commune_a.pk, w.commune_b.pk]) and body["province"] == w.province.pk
    clerk = next(m for m in body["moves"] if m["officer"] == two.clerk.pk)
    assert clerk["between_communes"] and clerk["from_commune"] == w.commune_a.pk
    assert clerk["to_commune"] == w.commune_b.pk
    assert any(t["code"] == "inter_commune" for t in clerk["reason_terms"])
    assert "chuyển giữa các xã: từ Xã Vinh Lộc sang Xã Phú Vang" in clerk["reasons"]
    listed = manager.get("/api/v1/planning/rotation/province/plans").json()
    assert [p["id"] for p in listed] == [body["id"], plan_id]
    assert manager.get(f"/api/v1/planning/rotation/province/plans/{plan_id}").json()["id"] == plan_id
    disclosure = manager.get(f"/api/v1/planning/rotation/province/plans/{body['id']}/disclosure")
    assert disclosure.status_code == 200 and "Xã Vinh Lộc" in disclosure.content.decode()
    bad = manager.post(
        "/api/v1/planning/rotation/province/plans",
        {"communes": [w.commune_a.pk], "start_year": 2027},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "communes"
    accepted = manager.post(f"/api/v1/planning/rotation/province/plans/{body['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert AuditEvent.objects.filter(action="planning.province_rotation_accepted").count() == 1
    # A province plan is not a commune plan: the commune endpoints do not know it.
    assert manager.get(f"/api/v1/planning/rotation/plans/{plan_id}").status_code == 404
    assert manager.get(f"/planning/rotation/{plan_id}/disclosure/").status_code == 404


def test_a_commune_leader_reads_only_the_plans_that_include_their_commune(two: Two) -> None:
    w = two.world
    plan = province_plan(two)
    commune_c = make_commune(w.province, 19900, "Xã Phú Hồ")
    leader_c = make_user("leader.c", Role.COMMUNE_LEADER, commune=commune_c)
    other = rs.province_rotation_plan_create(
        actor=w.province_manager,
        province=w.province,
        communes=[w.commune_b, commune_c],
        start_year=2027,
        years=3,
    )
    leader = login(w.leader_a)
    page = leader.get("/planning/rotation/province/")
    text = page.content.decode()
    assert page.status_code == 200 and two.clerk.full_name in text
    assert 'name="communes"' not in text and "/accept/" not in text  # read only
    assert f"?plan={other.pk}" not in text
    assert leader.get(f"/planning/rotation/province/?plan={other.pk}").status_code == 403
    assert leader.get(f"/planning/rotation/province/{plan.pk}/disclosure/?format=md").status_code == 200
    listed = leader.get("/api/v1/planning/rotation/province/plans").json()
    assert [p["id"] for p in listed] == [plan.pk]
    assert leader.get(f"/api/v1/planning/rotation/province/plans/{other.pk}").status_code == 403
    assert leader.post(f"/planning/rotation/province/{plan.pk}/accept/").status_code == 403
    assert leader.post(f"/api/v1/planning/rotation/province/plans/{plan.pk}/accept").status_code == 403
    made = leader.post(
        "/api/v1/planning/rotation/province/plans",
        {"communes": [w.commune_a.pk, w.commune_b.pk], "start_year": 2027},
        content_type="application/json",
    )
    assert made.status_code == 403
    stranger = login(leader_c)
    assert stranger.get(f"/planning/rotation/province/?plan={plan.pk}").status_code == 403
    assert stranger.get(f"/api/v1/planning/rotation/province/plans/{plan.pk}/disclosure").status_code == 403
    assert [p["id"] for p in stranger.get("/api/v1/planning/rotation/province/plans").json()] == [other.pk]
    assert RotationPlan.objects.get(pk=plan.pk).status == ProposalStatus.PROPOSED


def test_the_other_provinces_manager_and_an_officer_are_refused(two: Two) -> None:
    w = two.world
    plan = province_plan(two)
    outsider = login(w.other_province_manager)
    assert outsider.get(f"/planning/rotation/province/?plan={plan.pk}").status_code == 403
    assert outsider.get(f"/api/v1/planning/rotation/province/plans/{plan.pk}").status_code == 403
    assert outsider.post(f"/api/v1/planning/rotation/province/plans/{plan.pk}/accept").status_code == 403
    assert outsider.get("/api/v1/planning/rotation/province/plans").json() == []
    foreign = outsider.post(
        "/api/v1/planning/rotation/province/plans",
        {"communes": [w.commune_a.pk, w.commune_b.pk], "start_year": 2027},
        content_type="application/json",
    )
    assert foreign.status_code == 422  # not communes of their province
    officer = login(w.officer_a)
    assert officer.get("/planning/rotation/province/").status_code == 403
    assert officer.get("/api/v1/planning/rotation/province/plans").status_code == 403
    assert officer.get(f"/planning/rotation/province/{plan.pk}/disclosure/").status_code == 403
    assert (
        officer.post("/planning/rotation/province/solve/", {"communes": [w.commune_a.pk]}).status_code == 403
    )
    assert Client().get("/planning/rotation/province/").status_code == 302  # to sign in
    assert login(w.officer_a).get("/api/v1/planning/rotation/province/plans/999999").status_code == 404
    assert not RotationMove.objects.filter(plan__status=ProposalStatus.ACCEPTED).exists()


def test_the_commune_rotation_page_opens_for_home_affairs_without_a_commune(world: World) -> None:
    page = login(world.province_manager).get("/planning/rotation/")  # the navigation's link
    assert page.status_code == 200 and page.context["commune"] == world.commune_b  # first by name
    assert 'href="/planning/rotation/province/"' in page.content.decode()


def test_the_communes_solved_apart_keep_every_rule_of_the_whole() -> None:
    from xaso.planning.rotation import commune_problem, evaluate, solve, solve_apart
    from xaso.planning.rotation.demo_data import generate

    problem = generate(communes=3, officers=60, positions=24, seed=3)
    parts = [commune_problem(problem, c) for c in sorted({p.commune for p in problem.positions})]
    assert sum(len(p.officers) for p in parts) == len(problem.officers)
    assert all(not p.neighbours and len({x.commune for x in p.positions}) == 1 for p in parts)
    apart = solve_apart(problem, seconds=5)
    report = evaluate(problem, apart)
    assert not report.violations
    together = solve(problem, seconds=10, hint=apart)
    assert together.objective <= report.objective  # moving between communes can only help
