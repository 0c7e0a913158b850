"""The rules of rotation planning, one documented function each, and the reference checker.

A plan is at most one move per officer over the horizon: ``{officer id: (position id, year)}``
(the officer holds the new position from that year on).  One move is enough for a 3-year plan
with periods of 2–5 years, and keeps each person's path readable.

Hard rules (the solver never breaks them; ``evaluate`` lists any break as a violation):

* ``qualification_year`` — a holder meets every minimum level of the position, now or after a
  scheduled training that ends by the year of the move;
* ``seat_limit`` — no position holds more people than its headcount (or than it holds today);
* ``department_cap`` — at most this many officers leave, and at most this many arrive in, a
  department in one year, so the service is not disrupted;
* ``may_land`` — nobody is moved into a rotating post they would have to leave again within
  the horizon, nor after retiring, nor to a commune that is neither theirs nor a neighbour;
* leaders' ``Lock`` and ``Forbid`` decisions.

Penalties (all ≥ 0, weights in ``RotationWeights``):

* ``overdue_transfer`` — per officer whose ``transfer_duty`` falls in the horizon and who does
  not move by its deadline;
* ``transfer_delay`` — per further year of the horizon such an officer still has not moved
  (so a late move is better than none);
* ``vacancy`` — per seat-year below a position's ``min_staff`` (leadership posts weigh more);
* per move, ``move_cost``: ``move`` + ``inter_commune`` (between communes) +
  ``training_reliance`` (qualified only after training) − ``development`` (a young officer
  into a new field) − ``succession`` (a designated successor into a leadership post).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from xaso.planning.rotation.problem import (
    Exemption,
    Forbid,
    Lock,
    Officer,
    Position,
    RotationProblem,
)

Plan = Mapping[str, tuple[str, int]]
"""Officer id → (new position id, year of the move)."""


# --------------------------------------------------------------------------- duty


@dataclass(frozen=True)
class Duty:
    """An officer's periodic-transfer duty as the rules and exemptions make it."""

    officer: str
    position: str
    field: str
    period: int
    years_in_position: int
    deadline: int | None
    """The plan year by which the officer must have moved (None: nothing due in the horizon)."""
    status: str
    """``due``, ``after_horizon``, ``exempt`` (postponed past the horizon), ``retires`` or
    ``no_rule`` (field without a rule, or a leadership post)."""
    exemption: Exemption | None = None
    postponed_from: int | None = None


def transfer_duty(officer: Officer, problem: RotationProblem) -> Duty:
    """Periodic transfer (Law 2018 Art. 25, Decree 59/2019): when must the officer move?

    The first year in which staying would exceed the field's period is
    ``period − years_in_position + 1`` (at least year 1: an overdue transfer is due at once).
    An exemption that still applies then postpones the deadline to the year after it ends;
    retiring within ``near_retirement_years`` of the deadline postpones it past retirement.
    Managerial (leadership) posts and fields without a rule carry no duty.
    """
    config = problem.config
    position = problem.position_by_id[officer.position]
    rule = config.rules.get(position.field)
    if rule is None or position.leadership:
        return Duty(officer.id, position.id, position.field, 0, officer.years_in_position, None, "no_rule")
    first = max(1, rule.period_years - officer.years_in_position + 1)
    deadline, exemption = first, None
    changed = True
    while changed:
        changed = False
        for code, until in sorted(officer.exemptions.items()):
            if until >= deadline:
                deadline, exemption, changed = until + 1, config.exemptions[code], True
    retire = officer.retirement_year
    if retire is not None and retire <= deadline:
        status = "retires"
    elif retire is not None and retire - deadline <= config.near_retirement_years:
        exemption = config.exemptions.get(
            "near_retirement", Exemption("near_retirement", "close to retirement")
        )
        status = "exempt"
    elif deadline > problem.years:
        status = "exempt" if exemption is not None and first <= problem.years else "after_horizon"
    else:
        status = "due"
    return Duty(
        officer=officer.id,
        position=position.id,
        field=position.field,
        period=rule.period_years,
        years_in_position=officer.years_in_position,
        deadline=deadline if status == "due" else None,
        status=status,
        exemption=exemption,
        postponed_from=first if deadline != first or status == "exempt" else None,
    )


# --------------------------------------------------------------------------- hard rules


def levels_in_year(officer: Officer, year: int, problem: RotationProblem) -> dict[str, int]:
    """The officer's levels in ``year``: today's, raised by trainings that end by then."""
    levels = dict(officer.levels)
    for training in problem.trainings_by_officer.get(officer.id, ()):
        if training.year <= year:
            levels[training.field] = max(levels.get(training.field, 0), training.level)
    return levels


def qualification_year(officer: Officer, position: Position, problem: RotationProblem) -> int | None:
    """Hard: the first plan year from which the officer meets every minimum of the position."""
    for year in range(1, problem.years + 1):
        levels = levels_in_year(officer, year, problem)
        if all(levels.get(f, 0) >= m for f, m in position.min_levels.items()):
            return year
    return None


def meets_without_training(officer: Officer, position: Position) -> bool:
    return all(officer.levels.get(f, 0) >= m for f, m in position.min_levels.items())


def seat_limit(position: Position, holders_today: int) -> int:
    """Hard: at most the headcount — or today's holders, if there are more (never forced out)."""
    return max(position.headcount, holders_today)


def department_cap(officers_in_department: int, problem: RotationProblem) -> int:
    """Hard: how many may leave (and how many may arrive in) one department in one year."""
    config = problem.config
    return max(config.min_moves_per_department, int(config.max_move_share * officers_in_department))


def may_land(officer: Officer, position: Position, year: int, problem: RotationProblem) -> bool:
    """Hard: a move is possible at all — before retirement, to a different post, in the
    officer's commune or a neighbouring one, and not into a rotating post that the officer
    would have to leave again within the horizon (at most one move each)."""
    current = problem.position_by_id[officer.position]
    if position.id == current.id:
        return False
    if officer.retirement_year is not None and year >= officer.retirement_year:
        return False
    if position.commune != current.commune and position.commune not in problem.neighbours.get(
        current.commune, ()
    ):
        return False
    rule = problem.config.rules.get(position.field)
    return rule is None or position.leadership or year + rule.period_years > problem.years


def forbidden(officer: Officer, position: Position, year: int, forbids: tuple[Forbid, ...]) -> Forbid | None:
    """Hard: the leaders' ``Forbid`` that rules out this move, if any.

    A forbidden *position* may not be held in that year, so it may not be entered in that year
    or earlier; "no move" (position None) rules out moving in that year or earlier.
    """
    for decision in forbids:
        if decision.officer != officer.id:
            continue
        if decision.position is not None and decision.position != position.id:
            continue
        if decision.year is None or year <= decision.year:
            return decision
    return None


# --------------------------------------------------------------------------- costs


def move_cost(officer: Officer, position: Position, year: int, problem: RotationProblem) -> dict[str, int]:
    """The named cost parts of one move (their sum is ≥ 1 by the weights' check)."""
    weights = problem.config.weights
    current = problem.position_by_id[officer.position]
    parts = {"move": weights.move}
    if position.commune != current.commune:
        parts["inter_commune"] = weights.inter_commune
    if not meets_without_training(officer, position):
        parts["training_reliance"] = weights.training_reliance
    if is_development(officer, position, year, problem):
        parts["development"] = -weights.development
    if position.leadership and position.id in officer.successor_for:
        parts["succession"] = -weights.succession
    return parts


def is_development(officer: Officer, position: Position, year: int, problem: RotationProblem) -> bool:
    """A young officer (by age in that year) moving into a field not worked in before."""
    current = problem.position_by_id[officer.position]
    young = officer.age + year - 1 <= problem.config.young_age
    return young and position.field not in officer.fields_held and position.field != current.field


# --------------------------------------------------------------------------- reference checker


@dataclass(frozen=True)
class Evaluation:
    violations: tuple[str, ...]
    terms: Mapping[str, int]
    """Named penalty totals: overdue_transfer, vacancy, move, inter_commune, training_reliance,
    development (negative), succession (negative)."""
    holders: Mapping[tuple[str, int], tuple[str, ...]]
    """(position id, year) → officer ids holding it."""

    @property
    def objective(self) -> int:
        return sum(self.terms.values())


def holders_by_year(problem: RotationProblem, plan: Plan) -> dict[tuple[str, int], list[str]]:
    """Who holds each position in each year under ``plan`` (retired officers hold nothing)."""
    holders: dict[tuple[str, int], list[str]] = defaultdict(list)
    for officer in problem.officers:
        move = plan.get(officer.id)
        for year in range(1, problem.years + 1):
            if officer.retirement_year is not None and year >= officer.retirement_year:
                break
            where = move[0] if move is not None and year >= move[1] else officer.position
            holders[where, year].append(officer.id)
    return holders


def evaluate(problem: RotationProblem, plan: Plan) -> Evaluation:
    """Check every hard rule and add up every penalty, from scratch."""
    weights = problem.config.weights
    violations: list[str] = []
    terms: dict[str, int] = defaultdict(int)
    positions = problem.position_by_id
    for officer_id, (position_id, year) in plan.items():
        officer = problem.officer_by_id.get(officer_id)
        position = positions.get(position_id)
        if officer is None or position is None or not 1 <= year <= problem.years:
            violations.append(f"{officer_id}: unknown officer, position or year in the plan")
            continue
        if not may_land(officer, position, year, problem):
            violations.append(f"{officer_id}: may not move to {position_id} in year {year}")
        first = qualification_year(officer, position, problem)
        if first is None or first > year:
            violations.append(f"{officer_id}: does not meet the minimums of {position_id} in year {year}")
        if forbidden(officer, position, year, problem.forbids) is not None:
            violations.append(f"{officer_id}: the move to {position_id} in year {year} is forbidden")
        for name, value in move_cost(officer, position, year, problem).items():
            terms[name] += value
    holders = holders_by_year(problem, plan)
    today = holders_by_year(problem, {})
    for position in problem.positions:
        limit = seat_limit(position, len(today.get((position.id, 1), [])))
        for year in range(1, problem.years + 1):
            count = len(holders.get((position.id, year), []))
            if count > limit:
                violations.append(f"{position.id}: {count} holders in year {year}, limit {limit}")
            short = max(0, position.required_staff - count)
            weight = weights.leadership_vacancy if position.leadership else weights.vacancy
            terms["vacancy"] += weight * short
    staff: dict[tuple[str, str], int] = defaultdict(int)
    for officer in problem.officers:
        home = positions[officer.position]
        staff[home.commune, home.department] += 1
    leavers: dict[tuple[str, str, int], int] = defaultdict(int)
    arrivals: dict[tuple[str, str, int], int] = defaultdict(int)
    for officer_id, (position_id, year) in plan.items():
        if officer_id in problem.officer_by_id and position_id in positions:
            home = positions[problem.officer_by_id[officer_id].position]
            target = positions[position_id]
            leavers[home.commune, home.department, year] += 1
            arrivals[target.commune, target.department, year] += 1
    for kind, counts in (("leave", leavers), ("arrive", arrivals)):
        for (commune, department, year), count in counts.items():
            cap = department_cap(staff.get((commune, department), 0), problem)
            if count > cap:
                violations.append(f"{commune}/{department}: {count} {kind} in year {year}, limit {cap}")
    for officer in problem.officers:
        duty = transfer_duty(officer, problem)
        if duty.deadline is not None:
            move = plan.get(officer.id)
            if move is None or move[1] > duty.deadline:
                terms["overdue_transfer"] += weights.overdue_transfer
                moved = problem.years + 1 if move is None else move[1]
                terms["transfer_delay"] += weights.transfer_delay * (
                    min(moved, problem.years + 1) - duty.deadline - 1
                )
    for lock in problem.locks:
        if lock.officer not in holders.get((lock.position, lock.year), []):
            violations.append(f"lock broken: {lock.officer} is not in {lock.position} in year {lock.year}")
    named = {name: value for name, value in sorted(terms.items()) if value}
    return Evaluation(tuple(violations), named, {k: tuple(v) for k, v in holders.items()})


def lock_holds(lock: Lock, plan: Plan, problem: RotationProblem) -> bool:
    """Whether ``plan`` keeps the leaders' ``lock``."""
    officer = problem.officer_by_id[lock.officer]
    move = plan.get(lock.officer)
    where = move[0] if move is not None and lock.year >= move[1] else officer.position
    return where == lock.position
