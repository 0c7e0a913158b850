"""Work assignment: each rule and term on a tiny hand-made case, then the solver as a whole.

Unless a test says otherwise: one commune "A", 8-hour days, a 5-day horizon, officers of the
``office`` department working 8 hours a day with nothing queued, dossiers in ``civil_status``.
Times in the core are minutes on the office clock (480 = end of today).
"""

from __future__ import annotations

import itertools
import time

import pytest

from xaso.planning.assignment import (
    AssignmentConfig,
    Dossier,
    Kind,
    Officer,
    Problem,
    ProblemError,
    evaluate,
    office_clock,
    replan,
    solve,
)
from xaso.planning.assignment.bounds import fewest_late, problem_late_lower_bound
from xaso.planning.assignment.constraints import (
    build_schedule,
    development,
    eligibility,
    fit_and_familiarity,
    in_allowed_pool,
    is_available,
    late_dossiers,
    load_balance,
    mentored_without_slack,
    qualification,
    working_calendar,
)
from xaso.planning.assignment.demo_data import demo_problem, generate
from xaso.planning.assignment.explain import Term, working_hours_text

CONFIG = AssignmentConfig(horizon_days=5)


def officer(ident: str, level: int = 3, **extra: object) -> Officer:
    fields: dict[str, object] = {"commune": "A", "department": "office", "levels": {"civil_status": level}}
    fields.update(extra)
    return Officer(ident, **fields)  # type: ignore[arg-type]  # test helper: keyword data


def dossier(ident: str, hours: float = 2.0, due: float = 40.0, required: int = 3, **extra: object) -> Dossier:
    fields: dict[str, object] = {
        "commune": "A",
        "field": "civil_status",
        "required_level": required,
        "hours": hours,
        "due_hours": due,
        "pool": "office",
    }
    fields.update(extra)
    return Dossier(ident, **fields)  # type: ignore[arg-type]  # test helper: keyword data


def problem(officers: list[Officer], dossiers: list[Dossier], **extra: object) -> Problem:
    return Problem(tuple(officers), tuple(dossiers), CONFIG, **extra)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- hard rules


def test_it_requires_the_level_for_the_dossiers_field() -> None:
    p = problem([officer("o1", level=3), officer("o2", level=2)], [dossier("d1", required=3)])
    d = p.dossiers[0]
    q = qualification(p.officers[0], d, p)
    assert q is not None and (q.kind, q.level) == (Kind.QUALIFIED, 3)
    assert qualification(p.officers[1], d, p) is None
    assert solve(p, seconds=1, max_iterations=100).queues == {"o1": ["d1"], "o2": []}


def test_it_lets_a_learner_take_a_dossier_only_with_a_qualified_available_mentor() -> None:
    learner = officer("L", level=1, learning={"civil_status": "M"})
    mentor = officer("M", level=4)
    weak_mentor = officer("W", level=2)
    p = problem([learner, mentor, weak_mentor], [dossier("d1", required=3)])
    q = qualification(learner, p.dossiers[0], p)
    assert q is not None and (q.kind, q.mentor_id, q.mentor_level) == (Kind.MENTORED, "M", 4)
    assert qualification(officer("L2", level=1, learning={"civil_status": "W"}), p.dossiers[0], p) is None
    assert qualification(learner, p.dossiers[0], p.with_absent({"M"})) is None


def test_it_pairs_a_learner_only_where_there_is_slack() -> None:
    # The learner needs 1.5 × 2 h = 3 h; due in 2.5 h only the mentor (2 h) is on time.
    learner = officer("L", level=1, learning={"civil_status": "M"})
    mentor = officer("M", level=4)
    tight = problem([learner, mentor], [dossier("d1", hours=2, due=2.5)])
    timed, _ = build_schedule(tight, {"L": ["d1"]})
    assert mentored_without_slack(timed) == 1
    assert evaluate(tight, {"L": ["d1"]}).score.hard == 1
    assert solve(tight, seconds=1, max_iterations=200).queues["M"] == ["d1"]
    # With slack, and the mentor busy for 3 h, the pairing is taken: L ends at 3 h and M at
    # 3 h, 2·3² h² minus the development reward, against M alone ending at 5 h.
    busy = officer("M", level=4, queue_hours=3)
    relaxed = problem([learner, busy], [dossier("d1", hours=2, due=40)])
    plan = solve(relaxed, seconds=1, max_iterations=200)
    assert plan.queues["L"] == ["d1"]
    assert plan.assignments["d1"].kind is Kind.MENTORED
    assert plan.breakdown.mentored == 1


def test_it_keeps_dossiers_in_their_commune_and_department_or_shared_pool() -> None:
    seconded = officer("o1", pools=frozenset({"service_center"}))
    office_only = officer("o2")
    center = officer("o3", department="service_center")
    elsewhere = officer("o4", department="service_center", commune="B")
    d = dossier("d1", pool="service_center")
    assert [in_allowed_pool(o, d) for o in (seconded, office_only, center, elsewhere)] == [
        True,
        False,
        True,
        False,
    ]


def test_it_gives_no_new_work_to_absent_officers_or_those_on_leave_all_horizon() -> None:
    away = officer("o2", leave_days=frozenset(range(5)))
    p = problem([officer("o1"), away, officer("o3")], [dossier("d1")], absent=frozenset({"o3"}))
    assert [is_available(o, p) for o in p.officers] == [True, False, False]
    assert eligibility(away, p.dossiers[0], p) is None


def test_it_works_around_leave_and_part_time_hours() -> None:
    # 4 h a day, on leave on day 1: day 0 gives minutes 0–240, day 2 gives 960–1200.
    cal = working_calendar(officer("o1", hours_per_day=4, leave_days=frozenset({1})), CONFIG)
    assert cal.finish(240) == 240
    assert cal.finish(360) == 960 + 120  # 6 h of work end at 18 h on the office clock
    assert cal.capacity(1000) == 240 + 40
    assert cal.finish(0) == 0
    # After the horizon (4 working days × 4 h = 960 min) the normal 4 h a day resume.
    assert cal.finish(1000) == 5 * 480 + 40


# --------------------------------------------------------------------------- objective terms


def test_it_counts_a_dossier_late_when_it_finishes_after_its_due_time() -> None:
    # o1 has 3 h queued: d1 (2 h, due 4 h) ends at 5 h; d2 (1 h, due 6 h) ends at 6 h.
    p = problem(
        [officer("o1", queue_hours=3)], [dossier("d1", hours=2, due=4), dossier("d2", hours=1, due=6)]
    )
    timed, _ = build_schedule(p, {"o1": ["d1", "d2"]})
    assert [(i.finish, i.due, i.late) for i in timed["o1"]] == [(300, 240, True), (360, 360, False)]
    assert late_dossiers(timed) == 1


def test_it_sums_squared_queue_ends_for_balance() -> None:
    p = problem(
        [officer("o1"), officer("o2", queue_hours=1)], [dossier("d1", hours=2), dossier("d2", hours=1)]
    )
    _, ends = build_schedule(p, {"o1": ["d1", "d2"]})
    assert ends == {"o1": 180, "o2": 60}
    assert load_balance(ends) == 180**2 + 60**2


def test_it_rewards_fit_and_familiarity() -> None:
    # Level 5 for a level-3 dossier: 2 levels (the cap) + 1 for recent work = 3 points;
    # reward 2 × 30 min × 120 min × 3.
    p = problem([officer("o1", level=5, recent_fields=frozenset({"civil_status"}))], [dossier("d1")])
    timed, _ = build_schedule(p, {"o1": ["d1"]})
    assert timed["o1"][0].fit == 3
    assert fit_and_familiarity(timed, CONFIG) == 2 * 30 * 120 * 3


def test_it_rewards_development_for_a_mentored_assignment() -> None:
    learner = officer("L", level=1, learning={"civil_status": "M"})
    p = problem([learner, officer("M", level=4)], [dossier("d1", hours=2)])
    timed, _ = build_schedule(p, {"L": ["d1"]})
    assert timed["L"][0].work == 180  # 1.5 × 2 h
    assert development(timed, CONFIG) == 2 * 60 * 180
    assert fit_and_familiarity(timed, CONFIG) == 0


def test_it_orders_a_queue_to_keep_the_most_dossiers_on_time() -> None:
    # By due date alone A (4 h, due 4) is on time but B and C are late; sending A to the back
    # keeps B (3 h, due 6) and C (2 h, due 7) on time: one late instead of two.
    p = problem(
        [officer("o1")],
        [dossier("A", hours=4, due=4), dossier("B", hours=3, due=6), dossier("C", hours=2, due=7)],
    )
    plan = solve(p, seconds=1, max_iterations=50)
    assert plan.queues["o1"] == ["B", "C", "A"]
    assert plan.breakdown.late == 1
    assert evaluate(p, {"o1": ["A", "B", "C"]}).late == 2


def test_it_balances_load_once_lateness_is_settled() -> None:
    p = problem([officer("o1"), officer("o2")], [dossier("d1"), dossier("d2")])
    plan = solve(p, seconds=1, max_iterations=200)
    assert sorted(len(q) for q in plan.queues.values()) == [1, 1]
    assert plan.breakdown.load_balance == 2 * 120**2


def test_it_prefers_the_better_fit_when_balance_ties() -> None:
    p = problem([officer("o1", level=5), officer("o2", level=3)], [dossier("d1")])
    plan = solve(p, seconds=1, max_iterations=200)
    assert plan.queues == {"o1": ["d1"], "o2": []}
    assert plan.breakdown.fit_and_familiarity == 2 * 30 * 120 * 2
    assert plan.score.soft == 120**2 - 2 * 30 * 120 * 2


# --------------------------------------------------------------------------- explanations


def test_it_explains_an_assignment_from_its_terms() -> None:
    p = problem(
        [
            officer("o1", level=5, recent_fields=frozenset({"civil_status"}), name="Lan"),
            officer("o2", name="Minh"),
        ],
        [dossier("d1", due=40)],
    )
    plan = solve(p, seconds=1, max_iterations=200, clock=office_clock(weekday=0))
    item = plan.assignments["d1"]
    assert item.explanation == (
        "qualified level 5 in civil_status (needs 3); recent work in civil_status; no queue before it; "
        "due Friday 16:00 (in 40 working hours); chosen over Minh (level 3, 0 h queue)"
    )
    assert [name for name, _ in item.terms] == ["qualification", "familiarity", "queue", "due", "chosen_over"]
    assert item.terms[0] == Term("qualification", {"level": 5, "field": "civil_status", "required": 3})
    assert item.terms[3].params == {"hours": 40.0, "at": "Friday 16:00"}
    assert item.terms[4].params == {
        "officer": "o2",
        "name": "Minh",
        "level": 3,
        "queue_hours": 0.0,
        "learner": False,
        "would_be_late": False,
    }
    assert (item.officer_id, item.position, item.finish_hours, item.late) == ("o1", 0, 2.0, False)
    assert item.runner_up is not None and item.runner_up.officer_id == "o2"


def test_it_explains_queue_time_lateness_and_a_learner_pairing() -> None:
    learner = officer("L", level=1, learning={"civil_status": "M"}, name="Vy")
    mentor = officer("M", level=4, name="Hà", queue_hours=9)
    p = problem([learner, mentor], [dossier("d1", hours=1, due=30), dossier("d2", hours=2, due=-1)])
    plan = solve(p, seconds=1, max_iterations=300)
    paired = plan.assignments["d1"]
    assert paired.explanation.startswith(
        "learner in civil_status (level 1, needs 3) with mentor Hà (level 4), where there is slack; "
    )
    overdue = plan.assignments["d2"]
    assert overdue.officer_id == "M"  # a learner never takes a dossier that will be late
    assert "9 h of queue before it" in overdue.explanation
    assert "due 1 working hour ago" in overdue.explanation
    assert "late by 12 h of office time" in overdue.explanation  # ends at 11 h, due at −1 h
    assert working_hours_text(90) == "in 1.5 working hours"


def test_it_says_why_nobody_may_take_a_dossier() -> None:
    p = problem([officer("o1", level=2)], [dossier("d1", required=4), dossier("d2", pool="economy")])
    plan = solve(p, seconds=1, max_iterations=10)
    assert {d: reason.text for d, reason in plan.unassigned.items()} == {
        "d1": "nobody available in office has level 4 in civil_status (highest 2) "
        "and no learner there has a mentor who does",
        "d2": "no officer serves economy in A",
    }
    assert plan.unassigned["d1"] == Term(
        "no_level", {"pool": "office", "commune": "A", "field": "civil_status", "required": 4, "highest": 2}
    )
    assert plan.unassigned["d2"].code == "no_officer"
    assert plan.score.hard == 2
    assert plan.queues["o1"] == []


def test_it_formats_the_office_clock() -> None:
    clock = office_clock(weekday=3, now_hour=15.0)  # Thursday 15:00, office 08:00–16:00
    assert clock(60) == "Thursday 16:00"
    assert clock(120) == "Friday 09:00"
    assert clock(60 + 8 * 60) == "Friday 16:00"
    assert clock(60 + 9 * 60) == "Monday 09:00 next week"
    assert clock(-8 * 60) == "Wednesday 15:00"
    with pytest.raises(ValueError):
        office_clock(weekday=5)


# --------------------------------------------------------------------------- overrides and re-planning


def test_it_keeps_pinned_assignments_with_their_reason() -> None:
    pinned = dossier("d1", assignee="o2", pinned=True, pin_reason="same family as d0", pinned_by="head Hà")
    p = problem([officer("o1", level=5), officer("o2", level=2)], [pinned, dossier("d2")])
    plan = solve(p, seconds=1, max_iterations=300)
    item = plan.assignments["d1"]
    assert (item.officer_id, item.pinned, item.kind) == ("o2", True, Kind.OVERRIDE)
    assert item.explanation.startswith(
        "kept as set by head Hà: same family as d0; kept although level 2 in civil_status is below the required 3"
    )
    assert plan.score.hard == 0  # an override is the head's decision, not a violation
    with pytest.raises(ProblemError):
        problem([officer("o1")], [dossier("d3", pinned=True)])


def test_it_replans_only_the_dossiers_of_an_absent_officer() -> None:
    p = demo_problem(seed=2)
    plan = solve(p, seconds=0.5, seed=0)
    gone = max(p.officers, key=lambda o: len(plan.queues[o.id])).id
    started = time.perf_counter()
    after = replan(p, plan, absent={gone}, seconds=0.3)
    assert time.perf_counter() - started < 1.0
    assert after.queues[gone] == []
    for dossier_id, item in plan.assignments.items():
        if item.officer_id != gone:
            assert after.assignments[dossier_id].officer_id == item.officer_id
    moved = set(plan.queues[gone])
    assert moved <= set(after.assignments) | set(after.unassigned)
    for dossier_id in moved:
        if p.dossier_by_id[dossier_id].pinned:
            assert "absent" in after.broken_pins[dossier_id]
    assert evaluate(p.with_absent({gone}), after.queues) == after.breakdown
    assert after.lower_bound.total >= plan.lower_bound.total


def test_it_breaks_a_pin_to_an_absent_officer_and_says_so() -> None:
    pinned = dossier("d1", assignee="o2", pinned=True, pin_reason="asked for", pinned_by="head")
    p = problem([officer("o1", name="An"), officer("o2", name="Bình")], [pinned])
    plan = solve(p, seconds=1, max_iterations=50)
    after = replan(p, plan, absent={"o2"}, max_iterations=50)
    assert after.queues == {"o1": ["d1"], "o2": []}
    assert after.broken_pins == {"d1": "pinned to Bình, who is absent; planned again"}


# --------------------------------------------------------------------------- lower bound and solver


def test_it_counts_fewest_late_jobs_on_one_machine() -> None:
    assert fewest_late([(4, 4), (6, 3), (7, 2)]) == 1
    assert fewest_late([(5, 2), (5, 3)]) == 0
    assert fewest_late([(0, 1)]) == 1


def _brute_force(p: Problem) -> tuple[int, int, int]:
    """Best (hard, late, soft) over every assignment and every order of every queue."""
    best: tuple[int, int, int] | None = None
    names = [o.id for o in p.officers]
    for owners in itertools.product(names, repeat=len(p.dossiers)):
        queues: dict[str, list[str]] = {name: [] for name in names}
        for d, owner in zip(p.dossiers, owners, strict=True):
            queues[owner].append(d.id)
        try:
            evaluate(p, queues)
        except ValueError:
            continue  # an ineligible assignment
        score = None
        for orders in itertools.product(*(itertools.permutations(q) for q in queues.values())):
            value = evaluate(p, {name: list(order) for name, order in zip(names, orders, strict=True)}).score
            key = (value.hard, value.late, value.soft)
            score = key if score is None or key < score else score
        assert score is not None
        best = score if best is None or score < best else best
    assert best is not None
    return best


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_finds_the_optimum_and_a_valid_bound_on_tiny_instances(seed: int) -> None:
    import random

    rng = random.Random(seed)
    officers = [
        officer("o1", level=4, queue_hours=rng.choice((0, 2))),
        officer("o2", level=3, hours_per_day=4),
        officer("o3", level=2, learning={"civil_status": "o1"}),
    ]
    dossiers = [
        dossier(
            f"d{i}",
            hours=rng.choice((1, 2, 3)),
            due=rng.choice((2, 3, 5, 8, 12)),
            required=rng.choice((2, 3)),
        )
        for i in range(5)
    ]
    p = problem(officers, dossiers)
    plan = solve(p, seconds=5, seed=0, max_iterations=3000)
    score = plan.score
    assert (score.hard, score.late, score.soft) == _brute_force(p)
    assert plan.lower_bound.total <= score.late
    assert problem_late_lower_bound(p).total <= score.late


def test_it_finds_a_feasible_explained_plan_on_the_demo_data() -> None:
    p = demo_problem()
    started = time.perf_counter()
    plan = solve(p, seconds=0.5, seed=0)
    assert time.perf_counter() - started < 1.5
    assert plan.score.hard == 0
    assert plan.tracked_score == plan.score
    assert evaluate(p, plan.queues) == plan.breakdown
    assert sorted(d for q in plan.queues.values() for d in q) == sorted(d.id for d in p.dossiers)
    assert all(item.explanation for item in plan.assignments.values())
    for d in p.dossiers:
        if d.pinned:
            assert plan.assignments[d.id].officer_id == d.assignee
    assert 0 <= plan.lower_bound.total <= plan.breakdown.late
    assert plan.late_gap == plan.breakdown.late - plan.lower_bound.total
    assert plan.load.officers == len(p.officers)


def test_it_is_deterministic_for_a_seed_and_an_iteration_budget() -> None:
    p = generate(communes=2, officers=24, dossiers=240, seed=5)
    first = solve(p, seconds=30, seed=3, max_iterations=4000)
    second = solve(p, seconds=30, seed=3, max_iterations=4000)
    assert first.queues == second.queues
    assert first.score == second.score
    assert first.lower_bound == second.lower_bound


def test_it_returns_the_best_plan_found_when_time_runs_out() -> None:
    p = generate(communes=3, officers=90, dossiers=1500, seed=4)
    started = time.perf_counter()
    plan = solve(p, seconds=0.8, seed=0)
    assert time.perf_counter() - started < 2.5
    assert plan.score == evaluate(p, plan.queues).score
    assert plan.tracked_score == plan.score
