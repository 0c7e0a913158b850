"""Each move's reasons, and the plan as the internal disclosure document the law requires.

A move's reasons are a tuple of ``Reason(code, params)``: a stable code and its parameters
(plain JSON values), so that the product can store them and say them in the reader's
language; ``reason_text`` gives the English words (command line, tests).  The codes and their
parameters (years are plan years; positions are named by their titles):

* ``lock`` — ``by``, ``reason`` (either may be empty): a leader's lock;
* ``periodic_transfer`` — ``years`` in ``position`` at the start of the plan, its ``field``
  (code) and ``field_label`` (the rule's label, may be empty), the ``period`` in years and the
  ``deadline`` year;
* ``fills_seat`` — ``left_by``: a list of ``{"officer", "name", "retires", "moves_to"}`` (the
  title of the post they move to, or None);
* ``keeps_staffed`` — ``position``, ``filled`` seats of ``seats``;
* ``development`` — ``field``, ``field_label``, ``age``: a young officer's first post there;
* ``succession`` — ``position``: the designated successor;
* ``meets_minimums`` — ``position``, ``levels`` (competency → minimum level);
* ``meets_after_training`` — the same and ``trainings``: a list of ``{"field", "level", "year"}``;
* ``inter_commune`` — ``from`` and ``to`` communes.

Decree 59/2019/NĐ-CP asks agencies to make and disclose internally a periodic-transfer plan;
``disclosure_text`` renders one for the command line (Markdown, Vietnamese headings with
English; the product renders its own, in the reader's language): the moves by year with their
reasons, then every transfer duty and how the plan meets it.  Exemptions that are configured
as *unverified* are marked with an asterisk.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from xaso.planning.rotation.constraints import Duty, Plan, meets_without_training, move_cost
from xaso.planning.rotation.problem import RotationProblem

if TYPE_CHECKING:
    from xaso.planning.rotation.solver import RotationPlan


class Reason(NamedTuple):
    """One reason for a move: a stable ``code`` and its parameters (JSON values)."""

    code: str
    params: dict[str, Any]

    @property
    def text(self) -> str:
        """The reason in English words."""
        return reason_text(self)


@dataclass(frozen=True)
class Move:
    officer: str
    from_position: str
    to_position: str
    year: int
    cost: Mapping[str, int]
    """Named cost parts of the move (``move``, ``inter_commune``, ``development``, …)."""
    reasons: tuple[Reason, ...]

    @property
    def reason_texts(self) -> tuple[str, ...]:
        """The reasons in English words."""
        return tuple(reason.text for reason in self.reasons)

    @property
    def explanation(self) -> str:
        return "; ".join(self.reason_texts)


def _years(count: int) -> str:
    return f"{count} year" if count == 1 else f"{count} years"


def _levels_text(levels: Mapping[str, int]) -> str:
    return ", ".join(f"{field} {level}" for field, level in sorted(levels.items())) or "no minimum levels"


def _departure_text(left: Mapping[str, Any]) -> str:
    if left.get("retires"):
        return f"{left['name']} (retires)"
    if left.get("moves_to"):
        return f"{left['name']} (moves to {left['moves_to']})"
    return str(left["name"])


def _training_text(training: Mapping[str, Any]) -> str:
    return f"{training['field']} level {training['level']} in year {training['year']}"


def reason_text(reason: Reason) -> str:
    """The English words of a reason (the product says them with ``xaso.planning.explanations``)."""
    code, p = reason
    if code == "lock":
        who = f" by {p['by']}" if p.get("by") else ""
        return f"locked{who}: {p.get('reason') or 'no reason given'}"
    if code == "periodic_transfer":
        return (
            f"periodic transfer: {_years(p['years'])} in {p['position']} ({p.get('field_label') or p['field']}) "
            f"at the start of the plan, period {_years(p['period'])}, due by year {p['deadline']}"
        )
    if code == "fills_seat":
        return "fills the seat left by " + ", ".join(_departure_text(left) for left in p["left_by"])
    if code == "keeps_staffed":
        return f"keeps {p['position']} staffed ({p['filled']} of {p['seats']} seats)"
    if code == "development":
        field = p.get("field_label") or p["field"]
        return f"development: first post in {field} for an officer aged {p['age']}"
    if code == "succession":
        return f"succession: designated successor for {p['position']}"
    if code == "meets_minimums":
        return f"meets the minimums of {p['position']} ({_levels_text(p['levels'])})"
    if code == "meets_after_training":
        return (
            f"meets the minimums of {p['position']} ({_levels_text(p['levels'])}) after scheduled training: "
            + ", ".join(_training_text(t) for t in p["trainings"])
        )
    if code == "inter_commune":
        return f"moves from commune {p['from']} to neighbouring {p['to']}"
    return code


def move_reasons(
    problem: RotationProblem,
    officer_id: str,
    position_id: str,
    year: int,
    holders: Mapping[tuple[str, int], Sequence[str]],
    duty: Duty | None,
) -> tuple[Reason, ...]:
    """Why this move: duty, the seat it fills, development, succession, qualification, commune."""
    officer = problem.officer_by_id[officer_id]
    current = problem.position_by_id[officer.position]
    target = problem.position_by_id[position_id]
    reasons: list[Reason] = []
    for lock in problem.locks:
        if lock.officer == officer_id and lock.position == position_id:
            reasons.append(Reason("lock", {"by": lock.by or "", "reason": lock.reason or ""}))
    if duty is not None and duty.deadline is not None and year <= duty.deadline:
        reasons.append(
            Reason(
                "periodic_transfer",
                {
                    "years": duty.years_in_position,
                    "position": current.title,
                    "field": duty.field,
                    "field_label": _field_label(problem, duty.field),
                    "period": duty.period,
                    "deadline": duty.deadline,
                },
            )
        )
    before = set(holders.get((position_id, year - 1), ())) if year > 1 else set(_today(problem, position_id))
    now = set(holders.get((position_id, year), ()))
    gone = sorted(before - now)
    if gone:
        left = [_departure(problem, other, position_id, year, holders) for other in gone]
        reasons.append(Reason("fills_seat", {"left_by": left}))
    elif len(now) <= target.required_staff:
        reasons.append(
            Reason("keeps_staffed", {"position": target.title, "filled": len(now), "seats": target.headcount})
        )
    cost = move_cost(officer, target, year, problem)
    if "development" in cost:
        reasons.append(
            Reason(
                "development",
                {
                    "field": target.field,
                    "field_label": _field_label(problem, target.field),
                    "age": officer.age + year - 1,
                },
            )
        )
    if "succession" in cost:
        reasons.append(Reason("succession", {"position": target.title}))
    levels = dict(sorted(target.min_levels.items()))
    if meets_without_training(officer, target):
        reasons.append(Reason("meets_minimums", {"position": target.title, "levels": levels}))
    else:
        trained = [
            {"field": t.field, "level": t.level, "year": t.year}
            for t in problem.trainings_by_officer.get(officer_id, ())
            if t.year <= year and t.field in target.min_levels
        ]
        reasons.append(
            Reason("meets_after_training", {"position": target.title, "levels": levels, "trainings": trained})
        )
    if target.commune != current.commune:
        reasons.append(Reason("inter_commune", {"from": current.commune, "to": target.commune}))
    return tuple(reasons)


def _field_label(problem: RotationProblem, field: str) -> str:
    rule = problem.config.rules.get(field)
    return rule.label if rule is not None else ""


def _today(problem: RotationProblem, position_id: str) -> list[str]:
    return [o.id for o in problem.officers if o.position == position_id]


def _departure(
    problem: RotationProblem,
    officer_id: str,
    position_id: str,
    year: int,
    holders: Mapping[tuple[str, int], Sequence[str]],
) -> dict[str, Any]:
    officer = problem.officer_by_id[officer_id]
    left: dict[str, Any] = {"officer": officer_id, "name": officer.label, "retires": False, "moves_to": None}
    if officer.retirement_year is not None and officer.retirement_year <= year:
        return left | {"retires": True}
    for (other_position, other_year), people in holders.items():
        if other_year == year and officer_id in people and other_position != position_id:
            return left | {"moves_to": problem.position_by_id[other_position].title}
    return left


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
