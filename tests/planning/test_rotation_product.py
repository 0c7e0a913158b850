"""Rotation planning in the product: the bridge from the workforce records, solving and
storing a commune's plan, leaders' locks and forbids, cross-training, the disclosure, and who
may do what (services, pages, API)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from tests.conftest import PASSWORD, World
from tests.planning.support import give, quick_rotation, rotation_clock
from tests.workforce.conftest import framework  # shared fixture
from xaso.accounts.models import User
from xaso.audit.models import AuditEvent
from xaso.lib.errors import Conflict, Forbidden, InvalidInput
from xaso.planning import rotation_services as rs
from xaso.planning.models import ProposalStatus, RotationMove
from xaso.planning.rotation_bridge import build_commune_rotation, retirement_date
from xaso.workforce import services as wf
from xaso.workforce.models import Competency, EvidenceKind, PlanItem, Position, SuccessorDesignation

__all__ = ["framework", "quick_rotation", "rotation_clock"]


@dataclass
class Commune:
    world: World
    civil: Position
    reception: Position
    clerk: User  # civil status since 2018, due to move
    receiver: User  # reception since 2018, due to move


def since(user: User, position: Position, start: dt.date) -> None:
    wf.assignment_start(actor=None, person=user, position=position, started_on=start)


@pytest.fixture
def commune(world: World, framework: None) -> Commune:
    wf.positions_adopt_all(actor=None, commune=world.commune_a)
    seats = {p.code: p for p in Position.objects.filter(commune=world.commune_a)}
    # Keep the problem small: two rotating posts of one seat each.
    Position.objects.filter(commune=world.commune_a).exclude(
        code__in=["VP-TPHT", "TT-TNTKQ", "LD-CT"]
    ).update(is_active=False)
    Position.objects.filter(pk__in=[seats["VP-TPHT"].pk, seats["TT-TNTKQ"].pk]).update(headcount=1)
    since(world.specialist_a, seats["VP-TPHT"], dt.date(2018, 3, 1))
    since(world.officer_a, seats["TT-TNTKQ"], dt.date(2018, 3, 1))
    since(world.leader_a, seats["LD-CT"], dt.date(2020, 1, 1))
    both = {"PRO_CIVIL": 3, "DC4_2": 3, "OPS_1": 3}
    give(world.specialist_a, **both, OPS_2=3)
    give(world.officer_a, **both, OPS_2=3)
    return Commune(world, seats["VP-TPHT"], seats["TT-TNTKQ"], world.specialist_a, world.officer_a)


def test_retirement_follows_the_statutory_roadmap() -> None:
    # Men: 61 y 9 m in 2027 (not reached by a man born 05/1966), 62 y in 2028.
    assert retirement_date(dt.date(1966, 5, 10), "M") == dt.date(2028, 5, 1)
    # Women: 57 y in 2026 (not reached), 57 y 4 m in 2027.
    assert retirement_date(dt.date(1970, 3, 10), "F") == dt.date(2027, 7, 1)
    # Long after the roadmap: the final ages.
    assert retirement_date(dt.date(1990, 1, 1), "M") == dt.date(2052, 1, 1)
    assert retirement_date(dt.date(1990, 1, 1), "F") == dt.date(2050, 1, 1)


def test_the_bridge_reads_fields_tenure_minimums_and_decisions(commune: Commune) -> None:
    rs.rotation_fields_seed(province=commune.world.province)
    built = build_commune_rotation(commune.world.commune_a, start_year=2027, years=3)
    problem = built.problem
    civil = problem.position_by_id[str(commune.civil.pk)]
    assert civil.field == "civil_status" and dict(civil.min_levels) == {"PRO.CIVIL": 3, "DC4.2": 3}
    chair = problem.position_by_id[next(k for k, v in built.positions.items() if v.code == "LD-CT")]
    assert chair.field == "other" and chair.leadership
    clerk = problem.officer_by_id[str(commune.clerk.pk)]
    assert clerk.years_in_position == 8  # 1 Mar 2018 → 1 Jan 2027
    assert clerk.levels["PRO.CIVIL"] == 3 and clerk.position == str(commune.civil.pk)


def test_a_leader_solves_a_plan_that_swaps_the_two_officers_due(commune: Commune) -> None:
    w = commune.world
    plan = rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2027, years=3)
    moves = {m.user_id: m for m in plan.moves.all()}
    assert set(moves) == {commune.clerk.pk, commune.receiver.pk}
    assert moves[commune.clerk.pk].to_position == commune.reception and moves[commune.clerk.pk].year == 2027
    assert moves[commune.receiver.pk].to_position == commune.civil
    transfer = moves[commune.clerk.pk].reason_terms[0]
    assert transfer["code"] == "periodic_transfer"
    assert transfer["params"] | {"position": ""} == {
        "years": 8,
        "position": "",
        "field": "civil_status",
        "field_label": "Tư pháp - hộ tịch",
        "period": 3,
        "deadline": 2027,  # a calendar year in the product
    }
    assert moves[commune.clerk.pk].reasons == []  # the text is made when shown
    assert moves[commune.clerk.pk].reason_texts[0].startswith("chuyển đổi định kỳ: ")
    assert plan.summary["due"] == 2 and plan.summary["met"] == 2 and plan.summary["gap"] == 0
    assert AuditEvent.objects.filter(action="planning.rotation_planned", object_id=str(plan.pk)).exists()
    text = rs_disclosure(plan)
    assert commune.clerk.full_name in text and "2027" in text and "59/2019/NĐ-CP" in text


def rs_disclosure(plan: object) -> str:
    from xaso.planning.selectors import disclosure_text

    return disclosure_text(plan)  # type: ignore[arg-type]


def test_a_forbid_keeps_an_officer_in_place_and_the_duty_shows_as_not_met(commune: Commune) -> None:
    w = commune.world
    rs.rotation_decide(
        actor=w.leader_a,
        commune=w.commune_a,
        kind="forbid",
        user=commune.clerk,
        position=None,
        year=None,
        reason="Đang giải quyết vụ việc phức tạp",
    )
    plan = rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2027, years=3)
    assert not plan.moves.exists()  # a swap needs both; the clerk may not move
    duties = {d["officer"]: d for d in plan.summary["duties"]}
    assert duties[str(commune.clerk.pk)]["met"] is False
    assert "Đang giải quyết vụ việc phức tạp" in rs_disclosure(plan)


def test_a_lock_is_respected_and_a_withdrawn_decision_no_longer_counts(commune: Commune) -> None:
    w = commune.world
    decision = rs.rotation_decide(
        actor=w.leader_a,
        commune=w.commune_a,
        kind="lock",
        user=commune.clerk,
        position=commune.civil,  # stays in civil status through 2027
        year=2027,
        reason="Hoàn thành số hóa sổ hộ tịch trước",
    )
    plan = rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2027, years=3)
    move = RotationMove.objects.get(plan=plan, user=commune.clerk)
    assert move.year == 2028 and move.to_position == commune.reception
    duty = next(d for d in plan.summary["duties"] if d["officer"] == str(commune.clerk.pk))
    assert duty["deadline"] == 2027 and duty["met"] is False  # late because of the lock
    assert "Hoàn thành số hóa sổ hộ tịch trước" in rs_disclosure(plan)
    rs.rotation_decision_withdraw(actor=w.leader_a, decision=decision)
    again = rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2027, years=3)
    assert RotationMove.objects.get(plan=again, user=commune.clerk).year == 2027
    with pytest.raises(Conflict):
        rs.rotation_decision_withdraw(actor=w.leader_a, decision=decision)


def test_bad_input_is_refused_with_the_field_named(commune: Commune) -> None:
    w = commune.world
    with pytest.raises(InvalidInput) as years:
        rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2027, years=9)
    assert years.value.field == "years"
    with pytest.raises(InvalidInput) as start:
        rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2020, years=3)
    assert start.value.field == "start_year"
    common = {"actor": w.leader_a, "commune": w.commune_a, "user": commune.clerk}
    with pytest.raises(InvalidInput) as lock:
        rs.rotation_decide(**common, kind="lock", position=commune.reception, year=None, reason="x")  # type: ignore[arg-type]
    assert lock.value.field == "year"
    with pytest.raises(InvalidInput) as reason:
        rs.rotation_decide(**common, kind="forbid", position=None, year=None, reason="  ")  # type: ignore[arg-type]
    assert reason.value.field == "reason"
    with pytest.raises(InvalidInput) as outsider:
        rs.rotation_decide(
            actor=w.leader_a,
            commune=w.commune_a,
            user=w.officer_b,
            kind="forbid",
            position=None,
            year=None,
            reason="x",
        )
    assert outsider.value.field == "user"


def test_only_the_communes_leader_plans_and_home_affairs_may_read(commune: Commune) -> None:
    w = commune.world
    for outsider in (w.officer_a, w.head_a, w.officer_b, w.province_manager):
        with pytest.raises(Forbidden):
            rs.rotation_plan_create(actor=outsider, commune=w.commune_a, start_year=2027, years=3)
    plan = rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2027, years=3)
    assert rs.can_see_rotation(w.province_manager, w.commune_a)
    assert not rs.can_see_rotation(w.other_province_manager, w.commune_a)
    assert not rs.can_see_rotation(w.officer_b, w.commune_a)
    with pytest.raises(Forbidden):
        rs.rotation_plan_accept(actor=w.province_manager, plan=plan)
    accepted = rs.rotation_plan_accept(actor=w.leader_a, plan=plan)
    assert accepted.status == ProposalStatus.ACCEPTED
    with pytest.raises(Conflict):
        rs.rotation_plan_accept(actor=w.leader_a, plan=plan)


def test_cross_training_is_scheduled_for_an_officer_who_cannot_move_yet(commune: Commune) -> None:
    w = commune.world
    clerk_only = User.objects.get(pk=commune.receiver.pk)
    # The receiver lacks civil-status skills: no swap is possible until trained.
    wf.evidence_append(
        person=clerk_only,
        competency=Competency.objects.get(code="PRO.CIVIL"),
        kind=EvidenceKind.MANAGER,
        level=1,
        observed_on=dt.date(2026, 10, 20),
        recorded_by=None,
    )
    before = rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2027, years=3)
    assert before.summary["met"] == 0
    added = rs.rotation_training_schedule(actor=w.leader_a, commune=w.commune_a, start_year=2027)
    item = PlanItem.objects.get(user=clerk_only, plan__year=2027)
    assert added == 1 and item.competency.code == "PRO.CIVIL" and item.course.code == "NV-HT"
    after = rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2027, years=3)
    assert after.summary["met"] == 2
    move = RotationMove.objects.get(plan=after, user=clerk_only)
    trained = next(r for r in move.reason_terms if r["code"] == "meets_after_training")
    assert trained["params"]["trainings"] == [{"field": "PRO.CIVIL", "level": 3, "year": 2027}]
    with translation.override("en"):
        assert any(
            "(Protecting personal data and privacy level 3, Civil status and certification level 3) "
            "after scheduled training: Civil status and certification level 3 in 2027" in r
            for r in move.reason_texts
        )
    assert any(
        "sau khi đào tạo theo kế hoạch: Hộ tịch và chứng thực mức 3 năm 2027" in r for r in move.reason_texts
    )
    assert not any("PRO.CIVIL" in r for r in move.reason_texts)  # the stored terms keep the code
    with pytest.raises(Forbidden):
        rs.rotation_training_schedule(actor=w.officer_a, commune=w.commune_a, start_year=2027)


def test_cross_training_is_reachable_from_the_page_and_the_api(commune: Commune) -> None:
    w = commune.world
    give(commune.receiver, PRO_CIVIL=1)
    page = login(w.leader_a).post(
        "/planning/rotation/training/", {"commune": w.commune_a.pk, "start_year": 2027}
    )
    assert page.status_code == 302
    assert PlanItem.objects.filter(user=commune.receiver, plan__year=2027).count() == 1
    again = login(w.leader_a).post(
        "/api/v1/planning/rotation/training",
        {"commune": w.commune_a.pk, "start_year": 2027},
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json() == {"added": 0}  # already scheduled
    refused = login(w.officer_b).post(
        "/api/v1/planning/rotation/training",
        {"commune": w.commune_a.pk, "start_year": 2027},
        content_type="application/json",
    )
    assert refused.status_code == 403


def login(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_page_api_and_disclosure_are_scoped(commune: Commune) -> None:
    w = commune.world
    leader = login(w.leader_a)
    page = leader.post(
        "/planning/rotation/solve/", {"commune": w.commune_a.pk, "start_year": 2027, "years": 3}
    )
    assert page.status_code == 302
    shown = leader.get(page["Location"])
    assert shown.status_code == 200 and commune.clerk.full_name in shown.content.decode()
    plan_id = int(page["Location"].rsplit("plan=", 1)[1])
    md = leader.get(f"/planning/rotation/{plan_id}/disclosure/?format=md")
    assert md.status_code == 200 and md["Content-Type"].startswith("text/markdown")
    assert commune.clerk.full_name in md.content.decode()
    assert login(w.province_manager).get(f"/planning/rotation/{plan_id}/disclosure/").status_code == 200
    assert login(w.officer_b).get(f"/planning/rotation/?commune={w.commune_a.pk}").status_code == 403
    assert (
        login(w.other_province_manager).get(f"/api/v1/planning/rotation/plans/{plan_id}").status_code == 403
    )
    denied = login(w.province_manager).post(
        "/api/v1/planning/rotation/plans",
        {"commune": w.commune_a.pk, "start_year": 2027},
        content_type="application/json",
    )
    assert denied.status_code == 403
    made = leader.post(
        "/api/v1/planning/rotation/decisions",
        {"commune": w.commune_a.pk, "kind": "lock", "user": commune.clerk.pk, "reason": "x"},
        content_type="application/json",
    )
    assert made.status_code == 422 and "position" in made.content.decode()
    made = leader.post(
        "/api/v1/planning/rotation/plans",
        {"commune": w.commune_a.pk, "start_year": 2027, "years": 2},
        content_type="application/json",
    )
    assert made.status_code == 201 and len(made.json()["moves"]) == 2
    assert login(w.province_manager).get(f"/planning/rotation/?commune={w.commune_a.pk}").status_code == 200


# --------------------------------------------------------------------------- reasons in the reader's language


def test_the_page_disclosure_and_api_say_the_reasons_in_the_requests_language(commune: Commune) -> None:
    w = commune.world
    plan = rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2027, years=3)
    leader = login(w.leader_a)
    pages = {
        "page": f"/planning/rotation/?commune={w.commune_a.pk}&plan={plan.pk}",
        "print": f"/planning/rotation/{plan.pk}/disclosure/",
        "markdown": f"/planning/rotation/{plan.pk}/disclosure/?format=md",
        "api markdown": f"/api/v1/planning/rotation/plans/{plan.pk}/disclosure",
    }
    for name, url in pages.items():
        text = leader.get(url).content.decode()
        assert "chuyển đổi định kỳ: đến đầu kỳ kế hoạch đã giữ vị trí" in text, name
        assert "phải chuyển chậm nhất năm 2027" in text and "8 năm" in text, name
        assert "thay vào chỗ của" in text and "đáp ứng yêu cầu tối thiểu của" in text, name
        for english in (
            "periodic transfer",
            "fills the seat",
            "meets the minimums",
            "Periodic transfer plan",
        ):
            assert english not in text, (name, english)
    markdown = leader.get(pages["markdown"]).content.decode()
    assert markdown.startswith("# Kế hoạch chuyển đổi vị trí công tác — ")
    assert "Căn cứ: Luật Phòng, chống tham nhũng 2018, Điều 24–25; Nghị định 59/2019/NĐ-CP." in markdown
    assert "## Năm 2027" in markdown and "## Nghĩa vụ chuyển đổi vị trí công tác" in markdown
    body = leader.get(f"/api/v1/planning/rotation/plans/{plan.pk}").json()
    move = next(m for m in body["moves"] if m["officer"] == commune.clerk.pk)
    assert move["reason_terms"][0]["code"] == "periodic_transfer"
    assert move["reason_terms"][0]["params"]["deadline"] == 2027
    assert move["reasons"][0].startswith("chuyển đổi định kỳ: ")
    leader.cookies["django_language"] = "en"
    english = leader.get(pages["markdown"]).content.decode()
    assert english.startswith("# Periodic transfer plan — ")
    assert "periodic transfer: 8 years in" in english and "due by 2027" in english
    assert "chuyển đổi định kỳ" not in english
    body = leader.get(f"/api/v1/planning/rotation/plans/{plan.pk}").json()
    move = next(m for m in body["moves"] if m["officer"] == commune.clerk.pk)
    assert move["reasons"][0].startswith("periodic transfer: 8 years in ")


def test_moves_made_before_the_terms_show_their_reasons_as_they_are(commune: Commune) -> None:
    w = commune.world
    plan = rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2027, years=3)
    old = ["periodic transfer: 8 years in Tư pháp - hộ tịch (civil_status), due by year 1"]
    plan.moves.update(reason_terms=[], reasons=old)
    leader = login(w.leader_a)
    assert old[0] in leader.get(f"/planning/rotation/{plan.pk}/disclosure/?format=md").content.decode()
    body = leader.get(f"/api/v1/planning/rotation/plans/{plan.pk}").json()
    assert {tuple(m["reasons"]) for m in body["moves"]} == {tuple(old)}
    assert all(m["reason_terms"] == [] for m in body["moves"])


def test_a_lock_that_cannot_hold_is_refused_in_the_readers_language(commune: Commune) -> None:
    w = commune.world
    chair = Position.objects.get(commune=w.commune_a, code="LD-CT")
    rs.rotation_decide(
        actor=w.leader_a,
        commune=w.commune_a,
        kind="lock",
        user=commune.clerk,
        position=chair,  # no plan can seat the clerk as chairman
        year=2027,
        reason="Thử nghiệm",
    )
    with pytest.raises(Conflict) as refused:
        rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2027, years=3)
    assert (
        f"{commune.clerk.full_name} không thể giữ vị trí {chair.title} trong năm 2027"
        in refused.value.message
    )
    with translation.override("en"), pytest.raises(Conflict) as english:
        rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2027, years=3)
    assert f"{commune.clerk.full_name} cannot hold {chair.title} in 2027" in english.value.message


def test_reasons_name_competencies_from_the_workforce_records(
    commune: Commune, django_assert_max_num_queries: Any
) -> None:
    w = commune.world
    plan = rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2027, years=3)
    move = RotationMove.objects.get(plan=plan, user=commune.clerk)
    minimums = next(r for r in move.reason_terms if r["code"] == "meets_minimums")
    assert minimums["params"]["levels"] == {"OPS.1": 3, "OPS.2": 3}  # stored as the core gives them
    said = "(Vận hành dịch vụ công trực tuyến mức 3, Hướng dẫn người dân dùng dịch vụ công trực tuyến mức 3)"
    assert any(said in r for r in move.reason_texts)
    with translation.override("en"):
        said = (
            "(Operating online public services level 3, Guiding citizens to online public services level 3)"
        )
        assert any(said in r for r in move.reason_texts)
    Competency.objects.filter(code="OPS.1").update(name="Vận hành dịch vụ công")  # edited in the records
    assert any("(Vận hành dịch vụ công mức 3," in r for r in move.reason_texts)
    minimums["params"]["levels"] = {"XX.9": 2}  # a code the framework does not know: as it is
    assert f"đáp ứng yêu cầu tối thiểu của {commune.reception.title} (XX.9 mức 2)" in move.reason_texts
    # The page looks the names up once for all moves.
    view = rs_view(plan)
    with django_assert_max_num_queries(0):
        texts = [text for _year, moves in view.moves_by_year for m in moves for text in m.reason_texts]
    assert any("Hộ tịch và chứng thực mức 3" in text for text in texts)


def rs_view(plan: object) -> Any:
    from xaso.planning.selectors import rotation_view

    return rotation_view(plan)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- designated successors


@dataclass
class Succession:
    commune: Commune
    chair: Position
    successor: User  # in the office's statistics post, designated for the chairman's post


@pytest.fixture
def succession(commune: Commune) -> Succession:
    """The chairwoman retires in 2028; the office's statistics officer (no transfer duty) meets
    the chair's minimums and is designated as her successor for 2026–2030."""
    w = commune.world
    chair = Position.objects.get(commune=w.commune_a, code="LD-CT")
    office = Position.objects.get(commune=w.commune_a, code="VP-VPTK")
    Position.objects.filter(pk=office.pk).update(is_active=True)
    since(w.admin_a, office, dt.date(2019, 5, 1))
    give(w.admin_a, EDOC_2=3, PRO_PARTY=3)
    w.leader_a.profile.birth_date = dt.date(1970, 9, 10)  # a woman: retires on 1 May 2028
    w.leader_a.profile.save(update_fields=["birth_date"])
    wf.successor_designate(
        actor=w.leader_a,
        position=chair,
        person=w.admin_a,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2030, 12, 31),
        decision="QĐ 12-QĐ/ĐU",
    )
    return Succession(commune, chair, w.admin_a)


def test_the_bridge_passes_designated_successors_whose_period_overlaps_the_plan(
    succession: Succession,
) -> None:
    w = succession.commune.world
    rs.rotation_fields_seed(province=w.province)

    def successors() -> dict[str, frozenset[str]]:
        problem = build_commune_rotation(w.commune_a, start_year=2027, years=3).problem
        return {o.id: o.successor_for for o in problem.officers if o.successor_for}

    assert successors() == {str(succession.successor.pk): frozenset({str(succession.chair.pk)})}
    assert (
        build_commune_rotation(w.commune_a, start_year=2027, years=3)
        .problem.officer_by_id[str(w.leader_a.pk)]
        .retirement_year
        == 2
    )
    designation = SuccessorDesignation.objects.get()
    SuccessorDesignation.objects.filter(pk=designation.pk).update(ends_on=dt.date(2026, 12, 31))
    assert successors() == {}  # ended before the plan's first year
    SuccessorDesignation.objects.filter(pk=designation.pk).update(ends_on=dt.date(2027, 6, 30))
    assert successors() != {}  # overlaps 2027
    wf.successor_withdraw(actor=w.province_manager, designation=designation)
    assert successors() == {}


def test_a_designated_successor_moves_into_the_post_and_the_plan_says_why(succession: Succession) -> None:
    w = succession.commune.world
    plan = rs.rotation_plan_create(actor=w.leader_a, commune=w.commune_a, start_year=2027, years=3)
    move = RotationMove.objects.get(plan=plan, user=succession.successor)
    assert (move.to_position, move.year) == (succession.chair, 2028)
    assert {"code": "succession", "params": {"position": succession.chair.title}} in move.reason_terms
    assert move.cost == {"move": 12, "succession": -6}
    said = f"kế cận: người được quy hoạch kế nhiệm {succession.chair.title}"
    leader = login(w.leader_a)
    for url in (
        f"/planning/rotation/?commune={w.commune_a.pk}&plan={plan.pk}",
        f"/planning/rotation/{plan.pk}/disclosure/",
        f"/planning/rotation/{plan.pk}/disclosure/?format=md",
    ):
        text = leader.get(url).content.decode()
        assert said in text and f"{w.leader_a.full_name} (nghỉ hưu)" in text, url
    page = leader.get(f"/planning/rotation/?commune={w.commune_a.pk}").content.decode()
    assert 'id="successors"' in page and "QĐ 12-QĐ/ĐU" in page  # the designations, listed
    leader.cookies["django_language"] = "en"
    english = leader.get(f"/planning/rotation/{plan.pk}/disclosure/?format=md").content.decode()
    assert f"succession: designated successor for {succession.chair.title}" in english
