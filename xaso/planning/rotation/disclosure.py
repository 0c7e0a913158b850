"""Each move's reasons, and the plan as the internal disclosure document the law requires.

Decree 59/2019/NĐ-CP asks agencies to make and disclose internally a periodic-transfer plan;
``disclosure_text`` renders one (Markdown, Vietnamese headings with English): the moves by
year with their reasons, then every transfer duty and how the plan meets it.  Exemptions that
are configured as *unverified* are marked with an asterisk.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from xaso.planning.rotation.constraints import Duty, Plan, meets_without_training, move_cost
from xaso.planning.rotation.problem import RotationProblem

if TYPE_CHECKING:
    from xaso.planning.rotation.solver import RotationPlan


@dataclass(frozen=True)
class Move:
    officer: str
    from_position: str
    to_position: str
    year: int
    cost: Mapping[str, int]
    """Named cost parts of the move (``move``, ``inter_commune``, ``development``, …)."""
    reasons: tuple[str, ...]

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons)


def _years(count: int) -> str:
    return f"{count} year" if count == 1 else f"{count} years"


def _levels_text(levels: Mapping[str, int]) -> str:
    return ", ".join(f"{field} {level}" for field, level in sorted(levels.items())) or "no minimum levels"


def move_reasons(
    problem: RotationProblem,
    officer_id: str,
    position_id: str,
    year: int,
    holders: Mapping[tuple[str, int], Sequence[str]],
    duty: Duty | None,
) -> tuple[str, ...]:
    """Why this move: duty, the seat it fills, development, succession, qualification, commune."""
    officer = problem.officer_by_id[officer_id]
    current = problem.position_by_id[officer.position]
    target = problem.position_by_id[position_id]
    reasons: list[str] = []
    for lock in problem.locks:
        if lock.officer == officer_id and lock.position == position_id:
            who = f" by {lock.by}" if lock.by else ""
            reasons.append(f"locked{who}: {lock.reason or 'no reason given'}")
    if duty is not None and duty.deadline is not None and year <= duty.deadline:
        reasons.append(
            f"periodic transfer: {_years(duty.years_in_position)} in {current.title} ({duty.field}) at the start "
            f"of the plan, period {_years(duty.period)}, due by year {duty.deadline}"
        )
    before = set(holders.get((position_id, year - 1), ())) if year > 1 else set(_today(problem, position_id))
    now = set(holders.get((position_id, year), ()))
    gone = sorted(before - now)
    if gone:
        names = ", ".join(_departure(problem, other, position_id, year, holders) for other in gone)
        reasons.append(f"fills the seat left by {names}")
    elif len(now) <= target.required_staff:
        reasons.append(f"keeps {target.title} staffed ({len(now)} of {target.headcount} seats)")
    cost = move_cost(officer, target, year, problem)
    if "development" in cost:
        reasons.append(
            f"development: first post in {target.field} for an officer aged {officer.age + year - 1}"
        )
    if "succession" in cost:
        reasons.append(f"succession: designated successor for {target.title}")
    if meets_without_training(officer, target):
        reasons.append(f"meets the minimums of {target.title} ({_levels_text(target.min_levels)})")
    else:
        trained = [
            f"{t.field} level {t.level} in year {t.year}"
            for t in problem.trainings_by_officer.get(officer_id, ())
            if t.year <= year and t.field in target.min_levels
        ]
        reasons.append(
            f"meets the minimums of {target.title} ({_levels_text(target.min_levels)}) after scheduled training: "
            + ", ".join(trained)
        )
    if target.commune != current.commune:
        reasons.append(f"moves from commune {current.commune} to neighbouring {target.commune}")
    return tuple(reasons)


def _today(problem: RotationProblem, position_id: str) -> list[str]:
    return [o.id for o in problem.officers if o.position == position_id]


def _departure(
    problem: RotationProblem,
    officer_id: str,
    position_id: str,
    year: int,
    holders: Mapping[tuple[str, int], Sequence[str]],
) -> str:
    officer = problem.officer_by_id[officer_id]
    if officer.retirement_year is not None and officer.retirement_year <= year:
        return f"{officer.label} (retires)"
    for (other_position, other_year), people in holders.items():
        if other_year == year and officer_id in people and other_position != position_id:
            return f"{officer.label} (moves to {problem.position_by_id[other_position].title})"
    return officer.label


def explain_moves(
    problem: RotationProblem,
    plan: Plan,
    holders: Mapping[tuple[str, int], Sequence[str]],
    duties: Mapping[str, Duty],
) -> tuple[Move, ...]:
    """Every move of ``plan`` with its cost parts and reasons, by year then position."""
    moves = []
    for officer_id, (position_id, year) in plan.items():
        officer = problem.officer_by_id[officer_id]
        target = problem.position_by_id[position_id]
        moves.append(
            Move(
                officer=officer_id,
                from_position=officer.position,
                to_position=position_id,
                year=year,
                cost=move_cost(officer, target, year, problem),
                reasons=move_reasons(problem, officer_id, position_id, year, holders, duties.get(officer_id)),
            )
        )
    moves.sort(
        key=lambda m: (m.year, problem.position_by_id[m.to_position].commune, m.to_position, m.officer)
    )
    return tuple(moves)


def disclosure_text(problem: RotationProblem, result: RotationPlan, *, title: str = "") -> str:
    """The plan as a Markdown document for internal disclosure (Decree 59/2019/NĐ-CP)."""
    positions, people = problem.position_by_id, problem.officer_by_id
    lines = [
        f"# Kế hoạch chuyển đổi vị trí công tác — Periodic transfer plan{': ' + title if title else ''}",
        "",
        f"Years 1–{problem.years}. Legal basis: Anti-Corruption Law 2018, Art. 24–25; Decree 59/2019/NĐ-CP. "
        "Exemptions marked * are configuration not yet verified against the regulation.",
        "",
    ]
    for year in range(1, problem.years + 1):
        moves = [m for m in result.moves if m.year == year]
        lines += [f"## Năm {year} — Year {year} ({len(moves)} moves)", ""]
        if moves:
            lines += ["| Officer | From | To | Reasons |", "|---|---|---|---|"]
        for move in moves:
            src, dst = positions[move.from_position], positions[move.to_position]
            lines.append(
                f"| {people[move.officer].label} | {src.title} ({src.commune}/{src.department}) "
                f"| {dst.title} ({dst.commune}/{dst.department}) | {move.explanation} |"
            )
        lines.append("")
    lines += ["## Nghĩa vụ chuyển đổi — Transfer duties", ""]
    for outcome in result.duties:
        duty = outcome.duty
        officer = people[duty.officer]
        if duty.status == "due":
            state = (
                f"moves in year {outcome.moved_in} (due by year {duty.deadline})"
                if outcome.met
                else f"OVERDUE: due by year {duty.deadline}, no move that keeps the service staffed"
            )
            if duty.exemption is not None:
                mark = "*" if duty.exemption.unverified else ""
                state += f"; postponed from year {duty.postponed_from}: {duty.exemption.description}{mark}"
        elif duty.status == "exempt" and duty.exemption is not None:
            mark = "*" if duty.exemption.unverified else ""
            state = f"postponed: {duty.exemption.description}{mark}"
        elif duty.status == "retires":
            state = "retires before the transfer falls due"
        else:
            continue
        lines.append(f"- {officer.label}, {positions[duty.position].title}: {state}")
    if result.vacancies:
        lines += ["", "## Vị trí thiếu người — Unfilled seats", ""]
        for (position_id, year), short in sorted(result.vacancies.items()):
            lines.append(f"- {positions[position_id].title} ({position_id}), year {year}: {short} seat(s)")
    lines += [
        "",
        f"Objective {result.objective} (proven bound {result.bound}, gap {result.gap:.2%}); "
        + ", ".join(f"{name} {value}" for name, value in sorted(result.terms.items())),
        "",
    ]
    return "\n".join(lines)
