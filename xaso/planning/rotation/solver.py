"""Rotation planning with CP-SAT: who moves where, in which year, and why.

In the order of the OR-Tools samples: data → model → variables → constraints → objective →
solve → read the results.

* **Variables.**  ``move[o→p@y]`` is 1 when officer o moves to position p at the start of year
  y.  Only moves that pass the hard rules of ``constraints`` get a variable (candidates: every
  position of the officer's commune, the same field in neighbouring communes, the leadership
  posts the officer is designated for, and the leaders' locks).  Named penalty variables:
  ``overdue_transfer[o]`` and ``vacancy[p@y]``.
* **Holding.**  Officer o holds its current post in year y unless it moved in a year ≤ y, and
  a new post p if it moved there in a year ≤ y; retired officers hold nothing.  Every
  "holders of p in y" is therefore a constant plus a sum of move variables, which keeps the
  model linear and its LP relaxation strong (it is close to a flow per year), so CP-SAT
  proves tight bounds quickly.
* **Bound.**  When a year has more seats to fill than officers, its shortfall variables add up
  to at least the difference — redundant, but without it the bound of a commune with an empty
  seat and many possible trainings stays far below the plan's cost.

The objective and every penalty are integers; the solver's best bound is reported with the
plan and the relative gap ``(objective − bound) / objective``.  A hint — the previous plan, or
"nobody moves" — gives CP-SAT a first solution at once, so a plan is always returned.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from xaso.planning.rotation.constraints import (
    Duty,
    Plan,
    department_cap,
    evaluate,
    forbidden,
    holders_by_year,
    may_land,
    move_cost,
    qualification_year,
    seat_limit,
    transfer_duty,
)
from xaso.planning.rotation.disclosure import Move, explain_moves
from xaso.planning.rotation.problem import Forbid, Lock, Officer, Position, RotationError, RotationProblem


@dataclass(frozen=True)
class DutyOutcome:
    duty: Duty
    moved_in: int | None
    """Year of the officer's move in the plan (None: stays)."""

    @property
    def met(self) -> bool:
        deadline = self.duty.deadline
        return deadline is None or (self.moved_in is not None and self.moved_in <= deadline)


@dataclass(frozen=True)
class RotationPlan:
    plan: dict[str, tuple[str, int]]
    """Officer id → (new position id, year of the move)."""
    moves: tuple[Move, ...]
    duties: tuple[DutyOutcome, ...]
    terms: dict[str, int]
    """Named penalty totals (see ``constraints``); they add up to ``objective``."""
    objective: int
    bound: int
    """The solver's proven lower bound on the objective."""
    status: str
    seconds: float
    variables: int
    vacancies: dict[tuple[str, int], int]
    """(position id, year) → seats below the minimum staffing."""
    violations: tuple[str, ...] = ()
    """Rules the plan breaks — only possible when no solution was found in time and even
    "nobody moves" breaks a lock."""

    @property
    def gap(self) -> float:
        """(objective − bound) / objective: 0.0 when the plan is proven optimal."""
        return (self.objective - self.bound) / max(1, self.objective)


def candidate_positions(officer: Officer, problem: RotationProblem) -> list[Position]:
    """Where an officer could be moved: any post of the commune, the same field in a neighbour,
    leadership posts he or she is designated for, and posts named in a lock."""
    current = problem.position_by_id[officer.position]
    neighbours = problem.neighbours.get(current.commune, frozenset())
    locked = {lock.position for lock in problem.locks if lock.officer == officer.id}
    found = []
    for position in problem.positions:
        if position.id == current.id:
            continue
        if (
            position.commune == current.commune
            or (position.commune in neighbours and position.field == current.field)
            or position.id in officer.successor_for
            or position.id in locked
        ):
            found.append(position)
    return found


class _Builder:
    """Data → model → variables → constraints → objective."""

    def __init__(self, problem: RotationProblem) -> None:
        self.problem = problem
        self.cp = cp_model.CpModel()
        self.moves: dict[tuple[str, str, int], cp_model.IntVar] = {}
        self.cost: dict[tuple[str, str, int], int] = {}
        self.objective: list[tuple[int, cp_model.IntVar]] = []
        self.today = holders_by_year(problem, {})
        self.duties = {o.id: transfer_duty(o, problem) for o in problem.officers}
        self._variables()
        self._one_move_each()
        self._seat_limits_and_vacancies()
        self._transfer_duty()
        self._department_caps()
        self._locks()
        self.cp.minimize(sum(weight * var for weight, var in self.objective))

    def _variables(self) -> None:
        # A move variable for every move that passes the hard rules of ``constraints``.
        problem = self.problem
        for officer in problem.officers:
            for position in candidate_positions(officer, problem):
                first = qualification_year(officer, position, problem)
                if first is None:
                    continue
                for year in range(first, problem.years + 1):
                    if not may_land(officer, position, year, problem):
                        continue
                    if forbidden(officer, position, year, problem.forbids) is not None:
                        continue
                    key = (officer.id, position.id, year)
                    var = self.cp.new_bool_var(f"move[{officer.id}->{position.id}@{year}]")
                    self.moves[key] = var
                    self.cost[key] = sum(move_cost(officer, position, year, problem).values())
                    self.objective.append((self.cost[key], var))
        self.by_officer: dict[str, list[tuple[str, int, cp_model.IntVar]]] = defaultdict(list)
        self.into: dict[str, list[tuple[str, int, cp_model.IntVar]]] = defaultdict(list)
        for (officer_id, position_id, year), var in self.moves.items():
            self.by_officer[officer_id].append((position_id, year, var))
            self.into[position_id].append((officer_id, year, var))

    def _one_move_each(self) -> None:
        # Each officer moves at most once over the horizon.
        for items in self.by_officer.values():
            self.cp.add_at_most_one(var for _, _, var in items)

    def _active(self, officer_id: str, year: int) -> bool:
        retire = self.problem.officer_by_id[officer_id].retirement_year
        return retire is None or year < retire

    def _seat_limits_and_vacancies(self) -> None:
        # Holders of p in year y = today's holders still there (not retired, not moved out by
        # y) + those who moved in by y.  At most the seat limit; below min_staff is a vacancy.
        problem = self.problem
        weights = problem.config.weights
        home_of: dict[str, list[str]] = defaultdict(list)
        for officer in problem.officers:
            home_of[officer.position].append(officer.id)
        shortfalls: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for position in problem.positions:
            limit = seat_limit(position, len(self.today.get((position.id, 1), [])))
            for year in range(1, problem.years + 1):
                staying = [o for o in home_of[position.id] if self._active(o, year)]
                leaving = [var for o in staying for _, y, var in self.by_officer[o] if y <= year]
                arriving = [
                    var for o, y, var in self.into[position.id] if y <= year and self._active(o, year)
                ]
                holders = len(staying) - sum(leaving) + sum(arriving)
                if arriving and len(staying) + len(arriving) > limit:
                    self.cp.add(holders <= limit)
                need = position.required_staff
                if need > len(staying) - len(leaving):  # a shortfall is possible
                    short = self.cp.new_int_var(0, need, f"vacancy[{position.id}@{year}]")
                    self.cp.add(short >= need - holders)
                    weight = weights.leadership_vacancy if position.leadership else weights.vacancy
                    self.objective.append((weight, short))
                    shortfalls[year].append(short)
        # Redundant, for the bound: every active officer holds exactly one post, so when the
        # seats to fill outnumber the officers, the shortfalls add up to at least the
        # difference (posts without a shortfall variable are always filled).  Without it the
        # LP relaxation spreads fractional moves over the empty seats and the bound stays far
        # below the plan's cost (a commune with one seat more than officers and many possible
        # trainings: 1,625 against 4,598 after 20 s; with it, proven optimal in 0.1 s).
        for year, shorts in shortfalls.items():
            active = sum(1 for officer in problem.officers if self._active(officer.id, year))
            unfilled = sum(position.required_staff for position in problem.positions) - active
            if unfilled > 0:
                self.cp.add(sum(shorts) >= unfilled)

    def _transfer_duty(self) -> None:
        # Whoever is due to move by year d and does not move by then is an overdue transfer.
        weight = self.problem.config.weights.overdue_transfer
        for officer_id, duty in self.duties.items():
            if duty.deadline is None:
                continue
            overdue = self.cp.new_bool_var(f"overdue_transfer[{officer_id}]")
            on_time = [var for _, y, var in self.by_officer[officer_id] if y <= duty.deadline]
            self.cp.add(sum(on_time) + overdue >= 1)
            self.objective.append((weight, overdue))
            # …and each further year without the move costs ``transfer_delay``: late beats never.
            delay = self.problem.config.weights.transfer_delay
            for year in range(duty.deadline + 1, self.problem.years + 1 if delay else 0):
                still = self.cp.new_bool_var(f"transfer_delay[{officer_id}@{year}]")
                by_then = [var for _, y, var in self.by_officer[officer_id] if y <= year]
                self.cp.add(sum(by_then) + still >= 1)
                self.objective.append((delay, still))

    def _department_caps(self) -> None:
        # At most ``department_cap`` officers leave, and at most as many arrive in, a
        # department in one year.
        problem = self.problem
        positions = problem.position_by_id
        staff: dict[tuple[str, str], int] = defaultdict(int)
        for officer in problem.officers:
            home = positions[officer.position]
            staff[home.commune, home.department] += 1
        leaving: dict[tuple[str, str, int], list[cp_model.IntVar]] = defaultdict(list)
        arriving: dict[tuple[str, str, int], list[cp_model.IntVar]] = defaultdict(list)
        for (officer_id, position_id, year), var in self.moves.items():
            home = positions[problem.officer_by_id[officer_id].position]
            target = positions[position_id]
            leaving[home.commune, home.department, year].append(var)
            arriving[target.commune, target.department, year].append(var)
        for groups in (leaving, arriving):
            for (commune, department, _), variables in groups.items():
                cap = department_cap(staff.get((commune, department), 0), problem)
                if len(variables) > cap:
                    self.cp.add(sum(variables) <= cap)

    def _locks(self) -> None:
        # A lock keeps an officer in a post in a year: the current post (no move by then) or
        # a new one (the move to it happens by then).
        problem = self.problem
        for lock in problem.locks:
            officer = problem.officer_by_id[lock.officer]
            if lock.position == officer.position:
                for _, year, var in self.by_officer[lock.officer]:
                    if year <= lock.year:
                        self.cp.add(var == 0)
                continue
            options = [
                var for p, y, var in self.by_officer[lock.officer] if p == lock.position and y <= lock.year
            ]
            if not options:
                raise RotationError(
                    f"lock: {officer.label} cannot hold {lock.position} in year {lock.year} — not qualified "
                    "by then, retired, a rotating post to leave again within the plan, or forbidden",
                    code="lock_impossible",
                    params={
                        "officer": officer.id,
                        "name": officer.label,
                        "position": lock.position,
                        "year": lock.year,
                    },
                )
            self.cp.add(sum(options) == 1)


def solve(
    problem: RotationProblem,
    *,
    seconds: float = 60.0,
    seed: int = 0,
    workers: int = 1,
    hint: Plan | None = None,
    deterministic_seconds: float | None = None,
    relative_gap: float = 0.0,
) -> RotationPlan:
    """Propose the moves for ``problem.years`` years, within ``seconds``.

    ``hint`` (e.g. the previous plan when leaders re-solve after a lock) seeds the search;
    without it CP-SAT starts from "nobody moves".  One worker (the default) runs CP-SAT's LP
    search, whose root relaxation gives the bound; more workers add other strategies but on a
    small machine take time from it.  With ``deterministic_seconds`` the result is
    reproducible for a ``seed``.  The search stops
    early once the gap to the proven bound is at most ``relative_gap``.  Raises
    ``RotationError`` when the leaders' decisions contradict each other or the rules.
    """
    started = time.perf_counter()
    built = _Builder(problem)
    cp = built.cp
    for key, var in built.moves.items():
        officer_id, position_id, year = key
        planned = (hint or {}).get(officer_id)
        cp.add_hint(var, planned == (position_id, year))
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = seed
    params.num_workers = max(1, workers)
    # The duty rows become clauses in presolve; level 2 keeps them in the LP relaxation,
    # which is what makes the bound tight (level 1 leaves them out and the bound collapses).
    params.linearization_level = 2
    params.max_time_in_seconds = max(0.01, seconds - (time.perf_counter() - started))
    if deterministic_seconds is not None:
        params.max_deterministic_time = deterministic_seconds
    params.relative_gap_limit = relative_gap
    status = solver.solve(cp)
    if status == cp_model.INFEASIBLE:
        raise RotationError(
            "the leaders' locks cannot all hold together (seats, department limits or one move each)",
            code="locks_conflict",
        )
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        plan = {officer_id: (position_id, year) for (officer_id, position_id, year), var in built.moves.items()
                if solver.boolean_value(var)}  # fmt: skip
        bound = int(solver.best_objective_bound + 1e-6)
        name = solver.status_name(status)
    else:  # no solution in time: the hint if it still keeps every rule, else nobody moves
        usable = hint is not None and not evaluate(problem, hint).violations
        plan, bound, name = dict(hint or {}) if usable else {}, 0, "NO_SOLUTION_IN_TIME"
    return _result(problem, built, plan, bound, name, started, len(built.moves))


def _result(
    problem: RotationProblem,
    built: _Builder,
    plan: dict[str, tuple[str, int]],
    bound: int,
    status: str,
    started: float,
    variables: int,
) -> RotationPlan:
    report = evaluate(problem, plan)
    if report.violations and status != "NO_SOLUTION_IN_TIME":  # model and checker disagree: a bug
        raise AssertionError(f"plan breaks the rules: {report.violations[:3]}")
    duties = tuple(
        DutyOutcome(built.duties[o.id], plan[o.id][1] if o.id in plan else None) for o in problem.officers
    )
    vacancies = {}
    for position in problem.positions:
        for year in range(1, problem.years + 1):
            short = position.required_staff - len(report.holders.get((position.id, year), ()))
            if short > 0:
                vacancies[position.id, year] = short
    return RotationPlan(
        plan=plan,
        moves=explain_moves(problem, plan, report.holders, {d.duty.officer: d.duty for d in duties}),
        duties=duties,
        terms=dict(report.terms),
        objective=report.objective,
        bound=min(bound, report.objective),
        status=status,
        seconds=time.perf_counter() - started,
        variables=variables,
        vacancies=vacancies,
        violations=report.violations,
    )


def with_decisions(
    problem: RotationProblem, *, locks: tuple[Lock, ...] = (), forbids: tuple[Forbid, ...] = ()
) -> RotationProblem:
    """The problem with more of the leaders' locks and forbids (re-solve with ``hint``)."""
    return replace(problem, locks=problem.locks + locks, forbids=problem.forbids + forbids)


def commune_problem(problem: RotationProblem, commune: str) -> RotationProblem:
    """The part of ``problem`` in one commune, with no moves to other communes: its positions,
    the officers who hold them, their trainings and the decisions about them."""
    positions = tuple(p for p in problem.positions if p.commune == commune)
    seats = {p.id for p in positions}
    officers = tuple(o for o in problem.officers if o.position in seats)
    people = {o.id for o in officers}
    return replace(
        problem,
        positions=positions,
        officers=officers,
        trainings=tuple(t for t in problem.trainings if t.officer in people),
        neighbours={},
        locks=tuple(x for x in problem.locks if x.officer in people and x.position in seats),
        forbids=tuple(
            x for x in problem.forbids if x.officer in people and (x.position is None or x.position in seats)
        ),
    )


def solve_apart(problem: RotationProblem, *, seconds: float, seed: int = 0) -> dict[str, tuple[str, int]]:
    """Each commune of ``problem`` solved on its own, within ``seconds`` in all: the union of
    their plans, a start for the solve of the whole.

    Seats, department limits and the leaders' decisions are per commune, so the union keeps
    every rule of the whole (``evaluate`` finds no violation unless a lock names a post of
    another commune).  Several communes solved together need it: twelve demo communes (244
    officers, every pair neighbours, 16,680 move variables) get no first solution in 20 s
    from "nobody moves" on one worker; from this start (0.3 s) the solve returns at least
    this plan.  Raises ``RotationError`` as ``solve`` does."""
    communes = sorted({p.commune for p in problem.positions})
    started = time.perf_counter()
    plan: dict[str, tuple[str, int]] = {}
    for index, commune in enumerate(communes):
        part = commune_problem(problem, commune)
        if not part.officers:
            continue
        left = seconds - (time.perf_counter() - started)
        plan.update(solve(part, seconds=max(0.05, left / (len(communes) - index)), seed=seed).plan)
    return plan
