"""Rotation planning: each rule and penalty on a tiny hand-made case, then the solver.

The tiny world, unless a test changes it: commune A (neighbour B), rules land 3 years and
construction 4 years, every department may change completely in a year (share 1.0).

* ``A-land`` (economy, land ≥ 2), ``A-cons`` (economy, construction ≥ 2), ``A-rec`` (office,
  records ≥ 1): one seat each;
* o1 in A-land for 3 years (due by year 1), land 3, construction 2, records 1, aged 40;
* o2 in A-cons for 4 years (due by year 1), construction 3, land 2, aged 45;
* o3 in A-rec for 1 year (records has no rule), records 2, aged 50.

Weights are the defaults: move 12, between communes +20, development −5, succession −6,
training reliance +2, overdue transfer 1000, vacancy 400 (leadership 800).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from ortools.sat.python import cp_model

from xaso.planning.rotation import (
    Forbid,
    Lock,
    Officer,
    Position,
    Reason,
    RotationConfig,
    RotationError,
    RotationPlan,
    RotationProblem,
    RotationRule,
    RotationWeights,
    Training,
    disclosure_text,
    evaluate,
    solve,
    transfer_duty,
    with_decisions,
)
from xaso.planning.rotation.constraints import department_cap, qualification_year
from xaso.planning.rotation.demo_data import demo_problem
from xaso.planning.rotation.solver import _Builder

RULES = {"land": RotationRule("land", 3), "construction": RotationRule("construction", 4)}


def position(
    ident: str, field: str, department: str = "economy", commune: str = "A", **extra: object
) -> Position:
    return Position(ident, commune, department, ident, field, **{"min_levels": {field: 2}, **extra})  # type: ignore[arg-type]  # test helper


def officer(
    ident: str, where: str, years: int, levels: dict[str, int], age: int = 40, **extra: object
) -> Officer:
    return Officer(ident, where, years, age, levels, **extra)  # type: ignore[arg-type]  # test helper


def world(**changes: object) -> RotationProblem:
    base = RotationProblem(
        positions=(
            position("A-land", "land"),
            position("A-cons", "construction"),
            position("A-rec", "records", "office", min_levels={"records": 1}),
        ),
        officers=(
            officer("o1", "A-land", 3, {"land": 3, "construction": 2, "records": 1}),
            officer("o2", "A-cons", 4, {"construction": 3, "land": 2}, age=45),
            officer("o3", "A-rec", 1, {"records": 2}, age=50),
        ),
        config=RotationConfig(rules=RULES, max_move_share=1.0),
        neighbours={"A": frozenset({"B"}), "B": frozenset({"A"})},
    )
    return replace(base, **changes)  # type: ignore[arg-type]  # test helper


def fast(problem: RotationProblem) -> RotationPlan:
    return solve(problem, seconds=10, workers=1, deterministic_seconds=5)


# --------------------------------------------------------------------------- duty


def test_it_computes_the_transfer_deadline_from_tenure_and_period() -> None:
    p = world()
    assert transfer_duty(p.officer_by_id["o1"], p).deadline == 1  # 3 − 3 + 1
    assert transfer_duty(replace(p.officer_by_id["o1"], years_in_position=1), p).deadline == 3
    overdue = transfer_duty(replace(p.officer_by_id["o1"], years_in_position=7), p)
    assert (overdue.deadline, overdue.status) == (1, "due")
    later = transfer_duty(replace(p.officer_by_id["o1"], years_in_position=0), p)
    assert (later.deadline, later.status) == (None, "after_horizon")
    assert transfer_duty(p.officer_by_id["o3"], p).status == "no_rule"


def test_it_postpones_the_duty_while_an_exemption_lasts() -> None:
    p = world()
    child = replace(p.officer_by_id["o1"], exemptions={"young_child": 1})
    duty = transfer_duty(child, p)
    assert (duty.deadline, duty.status, duty.postponed_from) == (2, "due", 1)
    assert duty.exemption is not None and duty.exemption.unverified
    longer = transfer_duty(replace(child, exemptions={"young_child": 3}), p)
    assert (longer.deadline, longer.status) == (None, "exempt")


def test_it_waives_the_duty_close_to_retirement() -> None:
    p = world()
    assert transfer_duty(replace(p.officer_by_id["o1"], retirement_year=1), p).status == "retires"
    near = transfer_duty(replace(p.officer_by_id["o1"], retirement_year=3), p)  # 2 years after the deadline
    assert (near.status, near.exemption and near.exemption.code) == ("exempt", "near_retirement")


def test_it_rejects_periods_outside_two_to_five_years_and_free_moves() -> None:
    with pytest.raises(RotationError, match="2 to 5 years"):
        RotationRule("land", 6)
    with pytest.raises(RotationError, match="every move costs"):
        RotationWeights(move=10, development=5, succession=6)


# --------------------------------------------------------------------------- hard rules and penalties


def test_it_swaps_two_officers_who_are_due_and_proves_it_optimal() -> None:
    plan = fast(world())
    assert plan.plan == {"o1": ("A-cons", 1), "o2": ("A-land", 1)}
    assert plan.terms == {"move": 24}
    assert (plan.objective, plan.bound, plan.gap, plan.status) == (24, 24, 0.0, "OPTIMAL")
    assert all(d.met for d in plan.duties)


def test_it_moves_someone_only_into_a_post_whose_minimums_they_meet() -> None:
    p = world(
        positions=(*world().positions[:2], position("A-rec", "records", "office", min_levels={"records": 3}))
    )
    o1 = p.officer_by_id["o1"]
    assert qualification_year(o1, p.position_by_id["A-rec"], p) is None
    trained = replace(p, trainings=(Training("o1", "records", 3, 2),))
    assert qualification_year(o1, trained.position_by_id["A-rec"], trained) == 2
    assert (
        "does not meet the minimums of A-rec in year 1"
        in evaluate(trained, {"o1": ("A-rec", 1)}).violations[0]
    )
    report = evaluate(trained, {"o1": ("A-rec", 2)})
    assert not any("minimums" in v for v in report.violations)
    assert report.terms["training_reliance"] == 2


def test_it_keeps_every_post_within_its_headcount() -> None:
    p = world()
    report = evaluate(p, {"o2": ("A-land", 1)})  # o1 stays: two in a one-seat post
    assert "A-land: 2 holders in year 1, limit 1" in report.violations


def test_it_counts_vacant_seats_below_the_minimum_staffing() -> None:
    # o3 retires at the start of year 2: A-rec is empty in years 2 and 3 unless someone comes.
    p = world(officers=(*world().officers[:2], officer("o3", "A-rec", 1, {"records": 2}, retirement_year=2)))
    report = evaluate(p, {"o1": ("A-cons", 1), "o2": ("A-land", 1)})
    assert report.terms["vacancy"] == 2 * 400
    plan = fast(p)
    # Cheapest: o1 → A-rec in year 1 (12) and o2 → A-land in year 1 (12); A-cons is left
    # empty (2 × 400 × 3 years) — or o1 → A-cons, o2 → A-land and A-rec empty in years 2–3
    # (24 + 800).  The second is cheaper.
    assert plan.objective == 24 + 800
    assert plan.vacancies == {("A-rec", 2): 1, ("A-rec", 3): 1}


def test_it_limits_how_many_leave_a_department_in_a_year() -> None:
    # Economy has 2 officers; a quarter of 2 rounds down, so 1 (the minimum) may leave a year.
    p = world(config=RotationConfig(rules=RULES, max_move_share=0.25))
    assert department_cap(2, p) == 1
    report = evaluate(p, {"o1": ("A-cons", 1), "o2": ("A-land", 1)})
    assert "A/economy: 2 leave in year 1, limit 1" in report.violations
    plan = fast(p)
    # A swap needs both to leave at once; alone neither has a free seat: both stay, overdue.
    assert plan.plan == {}
    assert plan.terms == {"overdue_transfer": 2000}
    assert [d.met for d in plan.duties] == [False, False, True]


def test_it_prefers_a_move_within_the_commune() -> None:
    p = world(
        positions=(
            position("A-land", "land", min_staff=0),
            position("A-rec", "records", "office", min_levels={"records": 1}, headcount=2, min_staff=1),
            position("B-land", "land", commune="B", headcount=2, min_staff=1),
        ),
        officers=(
            officer("o1", "A-land", 3, {"land": 3, "records": 1}),
            officer("o3", "A-rec", 1, {"records": 2}),
            officer("o4", "B-land", 0, {"land": 3}),
        ),
    )
    assert fast(p).plan == {"o1": ("A-rec", 1)}  # 12, against 12 + 20 to B-land
    forbidden = with_decisions(p, forbids=(Forbid("o1", "A-rec", None, "needed in the office later"),))
    plan = fast(forbidden)
    assert plan.plan == {"o1": ("B-land", 1)}
    assert plan.terms == {"move": 12, "inter_commune": 20}


def test_it_favours_a_young_officer_moving_into_a_new_field() -> None:
    p = world(
        positions=(
            position("A-cons", "construction", headcount=2, min_staff=1),
            position("A-soc", "social", "culture_social", min_levels={"social": 2}, min_staff=1),
        ),
        officers=(
            officer("o5", "A-cons", 1, {"construction": 3, "social": 2}, age=29),
            officer("o6", "A-cons", 1, {"construction": 3, "social": 2}, age=50),
        ),
    )
    # A-soc is empty (400 a year); either could fill it for 12, but o5 is 29 and has never
    # worked in social affairs: 12 − 5.
    plan = fast(p)
    assert plan.plan == {"o5": ("A-soc", 1)}
    assert plan.terms == {"move": 12, "development": -5}
    assert plan.objective == 7
    assert "development: first post in social for an officer aged 29" in plan.moves[0].reason_texts


def test_it_fills_a_leadership_post_with_its_designated_successor() -> None:
    head = Position(
        "A-head",
        "A",
        "economy",
        "Head of Economy",
        "economy_management",
        {"economy_management": 4},
        leadership=True,
    )
    p = world(
        positions=(head, position("A-staff", "planning", headcount=3, min_staff=1)),
        officers=(
            officer("h", "A-head", 6, {"economy_management": 5}, age=59, retirement_year=2),
            officer(
                "o5",
                "A-staff",
                1,
                {"economy_management": 4, "planning": 3},
                successor_for=frozenset({"A-head"}),
            ),
            officer("o6", "A-staff", 1, {"economy_management": 5, "planning": 3}),
            officer("o7", "A-staff", 1, {"planning": 3}),
        ),
    )
    plan = fast(p)
    assert plan.plan == {"o5": ("A-head", 2)} or plan.plan == {"o5": ("A-head", 1)}
    assert plan.terms == {"move": 12, "succession": -6}
    move = plan.moves[0]
    assert "succession: designated successor for Head of Economy" in move.reason_texts
    assert (
        any(reason.startswith("fills the seat left by h (retires)") for reason in move.reason_texts)
        or move.year == 1
    )


# --------------------------------------------------------------------------- leaders' decisions


def test_it_keeps_a_lock_and_explains_it() -> None:
    p = world(
        positions=(*world().positions, position("B-land", "land", commune="B", headcount=2)),
        officers=(*world().officers, officer("o4", "B-land", 1, {"land": 3})),
    )
    locked = with_decisions(p, locks=(Lock("o1", "B-land", 2, "support the new land office", "Chủ tịch"),))
    plan = solve(locked, seconds=10, hint=fast(p).plan, deterministic_seconds=5)
    where = plan.plan["o1"]
    assert where[0] == "B-land" and where[1] <= 2
    assert where == ("B-land", 1)  # by the deadline, so the duty is met too
    move = next(m for m in plan.moves if m.officer == "o1")
    assert move.reason_texts[0] == "locked by Chủ tịch: support the new land office"
    assert move.reasons[0] == Reason("lock", {"by": "Chủ tịch", "reason": "support the new land office"})
    assert "moves from commune A to neighbouring B" in move.reason_texts
    stay = with_decisions(p, locks=(Lock("o2", "A-cons", 3, "finishing the cadastral project"),))
    assert "o2" not in fast(stay).plan


def test_it_forbids_a_move_when_leaders_say_so() -> None:
    p = with_decisions(world(), forbids=(Forbid("o1", None, None, "key witness in an inspection"),))
    plan = fast(p)
    assert "o1" not in plan.plan
    assert plan.terms["overdue_transfer"] == 2000  # o2 cannot leave either: nowhere to go


def test_it_refuses_locks_that_cannot_hold() -> None:
    with pytest.raises(RotationError, match="cannot hold A-rec") as refused:
        fast(with_decisions(world(), locks=(Lock("o2", "A-rec", 1),)))  # o2 has no records level
    assert refused.value.code == "lock_impossible"
    assert refused.value.params == {"officer": "o2", "name": "o2", "position": "A-rec", "year": 1}
    both = (Lock("o1", "A-cons", 1), Lock("o3", "A-cons", 1, "x"))
    p = world(officers=(*world().officers[:2], officer("o3", "A-rec", 1, {"records": 2, "construction": 2})))
    with pytest.raises(RotationError, match="cannot all hold"):
        fast(with_decisions(p, locks=both))


# --------------------------------------------------------------------------- results


def test_it_explains_each_move_and_writes_the_disclosure_document() -> None:
    plan = fast(world())
    move = next(m for m in plan.moves if m.officer == "o1")
    assert move.reason_texts == (
        "periodic transfer: 3 years in A-land (land) at the start of the plan, period 3 years, due by year 1",
        "fills the seat left by o2 (moves to A-land)",
        "meets the minimums of A-cons (construction 2)",
    )
    assert move.reasons[1] == Reason(
        "fills_seat", {"left_by": [{"officer": "o2", "name": "o2", "retires": False, "moves_to": "A-land"}]}
    )
    assert move.reasons[2] == Reason("meets_minimums", {"position": "A-cons", "levels": {"construction": 2}})
    assert dict(move.cost) == {"move": 12}
    text = disclosure_text(world(), plan, title="Xã A")
    assert text.startswith("# Kế hoạch chuyển đổi vị trí công tác — Periodic transfer plan: Xã A")
    assert "| o1 | A-land (A/economy) | A-cons (A/economy) | periodic transfer: 3 years" in text
    assert "- o2, A-cons: moves in year 1 (due by year 1)" in text
    exempt = world(
        officers=(replace(world().officers[0], exemptions={"pregnancy": 3}), *world().officers[1:])
    )
    assert "postponed: pregnant or on maternity leave*" in disclosure_text(exempt, fast(exempt))


def test_it_names_every_penalty_variable() -> None:
    built = _Builder(
        world(officers=(*world().officers[:2], officer("o3", "A-rec", 1, {"records": 2}, retirement_year=2)))
    )
    names = {var.name for var in built.cp.proto.variables}
    assert {"move[o1->A-cons@1]", "overdue_transfer[o1]", "overdue_transfer[o2]", "vacancy[A-rec@2]"} <= names
    assert isinstance(built.cp, cp_model.CpModel)


def test_it_plans_the_demo_commune_meeting_every_transfer_duty() -> None:
    p = demo_problem()
    plan = solve(p, seconds=10, deterministic_seconds=5)
    assert plan.status == "OPTIMAL" and plan.gap == 0.0
    assert plan.terms.get("overdue_transfer", 0) == 0
    assert all(d.met for d in plan.duties)
    assert not evaluate(p, plan.plan).violations
    assert evaluate(p, plan.plan).objective == plan.objective
    assert all(m.reasons for m in plan.moves)


def test_it_is_deterministic_with_a_pinned_seed() -> None:
    p = demo_problem(seed=3)
    first = solve(p, seconds=10, seed=5, deterministic_seconds=2)
    second = solve(p, seconds=10, seed=5, deterministic_seconds=2)
    assert first.plan == second.plan
    assert (first.objective, first.bound) == (second.objective, second.bound)


def test_it_resolves_from_the_previous_plan_after_a_lock() -> None:
    p = demo_problem()
    plan = solve(p, seconds=10, deterministic_seconds=5)
    mover = plan.moves[0]
    keep = with_decisions(p, locks=(Lock(mover.officer, mover.from_position, 3, "needed where he is"),))
    again = solve(keep, seconds=10, hint=plan.plan, deterministic_seconds=5)
    assert mover.officer not in again.plan
    assert again.objective >= plan.objective
    assert not evaluate(keep, again.plan).violations


def test_a_late_transfer_costs_less_for_each_year_sooner_it_happens() -> None:
    # o1 and o2 are due by year 1 of 3.  A swap in year 1 is on time; in year 2 it is overdue;
    # in year 3 overdue and still not done in year 2 (one year of delay each); never: overdue
    # and not done in years 2 and 3.
    p = world(
        config=RotationConfig(rules=RULES, max_move_share=1.0, weights=RotationWeights(transfer_delay=200))
    )
    on_time = evaluate(p, {"o1": ("A-cons", 1), "o2": ("A-land", 1)}).terms
    year2 = evaluate(p, {"o1": ("A-cons", 2), "o2": ("A-land", 2)}).terms
    year3 = evaluate(p, {"o1": ("A-cons", 3), "o2": ("A-land", 3)}).terms
    never = evaluate(p, {}).terms
    assert "overdue_transfer" not in on_time and "transfer_delay" not in on_time
    assert year2["overdue_transfer"] == 2000 and "transfer_delay" not in year2
    assert year3["overdue_transfer"] == 2000 and year3["transfer_delay"] == 2 * 200
    assert never["overdue_transfer"] == 2000 and never["transfer_delay"] == 2 * 2 * 200


def test_it_proves_the_optimum_at_once_when_seats_outnumber_officers() -> None:
    # Seven officers for eight seats, nobody needs training: one seat stays empty whatever the
    # plan.  The solver bounds the sum of the shortfalls by that difference; without it the LP
    # spreads fractional moves over the empty seats and the bound of this case is 2,672 of
    # 3,248 after the same deterministic time.
    rules = {f: RotationRule(f, 3) for f in ("a", "b", "c", "d")}
    seats = {"p0": ("x", "b", 1), "p1": ("x", "c", 2), "p2": ("x", "c", 1), "p3": ("x", "b", 1)}
    seats |= {"p4": ("x", "a", 1), "p5": ("y", "d", 2)}
    held = {"o0": ("p2", 1), "o1": ("p1", 6), "o2": ("p1", 6), "o3": ("p0", 0)}
    held |= {"o4": ("p5", 5), "o5": ("p5", 5), "o6": ("p4", 5)}
    p = RotationProblem(
        positions=tuple(
            Position(k, "A", dept, k, field, {}, headcount=n) for k, (dept, field, n) in seats.items()
        ),
        officers=tuple(Officer(k, where, years, 40) for k, (where, years) in held.items()),
        config=RotationConfig(rules=rules, max_move_share=0.4),
    )
    plan = solve(p, seconds=10, deterministic_seconds=0.2)
    assert (plan.status, plan.objective, plan.bound) == ("OPTIMAL", 3248, 3248)
    assert plan.terms == {"move": 48, "overdue_transfer": 2000, "vacancy": 3 * 400}
