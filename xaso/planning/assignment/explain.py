"""Why each dossier went where it went: structured terms, and their English words.

An explanation is a tuple of ``Term(code, params)``: a stable code and its parameters (plain
JSON values), so that the product can store them and say them in the reader's language.
``term_text`` gives the English words (for the command line and the tests); ``explanation``
joins them with "; ", for example::

    qualified level 4 in civil_status (needs 3); recent work in civil_status; 3 h of queue
    before it; due Thursday 17:00 (in 10 working hours); chosen over Lan (level 2, 9 h queue)

The codes and their parameters (hours are working hours, rounded to 0.1):

* ``pin`` — ``by``, ``reason`` (either may be empty): kept as the head set it;
* ``qualification`` — ``level``, ``field``, ``required``: qualified on their own;
* ``learner`` — ``level``, ``field``, ``required``, ``mentor`` (name), ``mentor_level``;
* ``below_required`` — ``level``, ``field``, ``required``: a pinned officer below the level;
* ``shared_pool`` — ``pool``, ``department`` (the officer's): the officer is of another
  department and may take the dossier because he or she serves its shared pool (an officer of
  the pool's own department, or of the dossier's ``home``, gets no such term);
* ``familiarity`` — ``field``: recent work in the field;
* ``queue`` — ``hours`` of queue before it (0: none);
* ``due`` — ``hours`` from now (negative: overdue) and ``at``, the clock's label of the
  moment (None without a clock);
* ``late`` — ``hours`` late, ``nobody_in_time`` (no eligible officer could finish in time);
* ``chosen_over`` — the runner-up's ``officer`` id, ``name``, ``level``, ``queue_hours``,
  ``learner``, ``would_be_late``;
* ``only_eligible`` — no parameters.

Why nobody may take a dossier (``unassigned_reason``): ``no_officer`` and ``all_absent``
(``pool``, ``commune``), ``no_level`` (``pool``, ``commune``, ``field``, ``required``,
``highest``).

The runner-up is the other eligible officer the solver's own rule would rank next: first
whether the dossier would be on time there (inserted by due date among that officer's on-time
dossiers), then the soft cost of adding it (queue end² growth minus fit and development).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, NamedTuple

from xaso.planning.assignment.constraints import (
    Kind,
    Scheduled,
    WorkCalendar,
    development_reward,
    eligibility,
    fit_points,
    fit_reward,
    is_available,
    processing_minutes,
    time_queue,
    working_calendar,
)
from xaso.planning.assignment.problem import Dossier, Officer, Problem, minutes

Clock = Callable[[int], str]
"""Minutes from now on the office clock → a label of that moment, stored as the ``due`` term's
``at`` (``office_clock``: words such as "Thursday 17:00"; the product's clock gives an ISO 8601
date-time, which the product renders in the reader's language)."""

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def working_hours_text(value: int) -> str:
    """Minutes from now as "in 10 working hours", "now" or "2 working hours ago"."""
    return _relative_text(_hours(value))


def _hours(value: int) -> float:
    """Minutes as hours rounded to 0.1 (never ``-0.0``)."""
    return round(value / 60, 1) + 0.0


def _relative_text(hours: float) -> str:
    if hours == 0:
        return "now"
    unit = "working hour" if abs(hours) == 1 else "working hours"
    return f"in {hours:g} {unit}" if hours > 0 else f"{-hours:g} {unit} ago"


class Term(NamedTuple):
    """One named part of an explanation: a stable ``code`` and its parameters (JSON values)."""

    code: str
    params: dict[str, Any]

    @property
    def text(self) -> str:
        """The term in English words."""
        return term_text(self)


def term_text(term: Term) -> str:
    """The English words of a term (the product says them with ``xaso.planning.explanations``)."""
    code, p = term
    if code == "pin":
        who = f" by {p['by']}" if p.get("by") else ""
        return f"kept as set{who}: {p.get('reason') or 'no reason given'}"
    if code == "qualification":
        return f"qualified level {p['level']} in {p['field']} (needs {p['required']})"
    if code == "learner":
        return (
            f"learner in {p['field']} (level {p['level']}, needs {p['required']}) "
            f"with mentor {p['mentor']} (level {p['mentor_level']}), where there is slack"
        )
    if code == "below_required":
        return f"kept although level {p['level']} in {p['field']} is below the required {p['required']}"
    if code == "shared_pool":
        return f"through the shared pool {p['pool']} (from {p['department']})"
    if code == "familiarity":
        return f"recent work in {p['field']}"
    if code == "queue":
        return f"{p['hours']:g} h of queue before it" if p["hours"] else "no queue before it"
    if code == "due":
        relative = _relative_text(p["hours"])
        return f"due {p['at']} ({relative})" if p.get("at") else f"due {relative}"
    if code == "late":
        why = "; no eligible officer could finish it in time" if p.get("nobody_in_time") else ""
        return f"late by {p['hours']:g} h of office time{why}"
    if code == "chosen_over":
        learner = "learner, " if p.get("learner") else ""
        extra = ", would be late" if p.get("would_be_late") else ""
        return f"chosen over {p['name']} ({learner}level {p['level']}, {p['queue_hours']:g} h queue{extra})"
    if code == "only_eligible":
        return "the only eligible officer"
    if code == "no_officer":
        return f"no officer serves {p['pool']} in {p['commune']}"
    if code == "all_absent":
        return f"everyone serving {p['pool']} in {p['commune']} is absent or on leave"
    if code == "no_level":
        return (
            f"nobody available in {p['pool']} has level {p['required']} in {p['field']} "
            f"(highest {p['highest']}) and no learner there has a mentor who does"
        )
    return code


def office_clock(
    *, weekday: int = 0, now_hour: float = 8.0, opens_hour: float = 8.0, day_hours: float = 8.0
) -> Clock:
    """A simple Monday–Friday clock: now is ``weekday`` (0 = Monday) at ``now_hour``.

    A moment exactly at the end of a working day reads as that day's closing time.  The
    product passes a clock built on the dossier calendar (holidays, lunch break) instead.
    """
    if not 0 <= weekday <= 4:
        raise ValueError("weekday must be 0 (Monday) to 4 (Friday)")
    day = minutes(day_hours)
    start = minutes(now_hour - opens_hour)
    opens = minutes(opens_hour)

    def label(value: int) -> str:
        position = start + value
        d, r = divmod(position, day)
        if r == 0 and position > 0:
            d, r = d - 1, day
        week, wd = divmod(weekday + d, 5)
        hh, mm = divmod(opens + r, 60)
        text = f"{_WEEKDAYS[wd]} {hh:02d}:{mm:02d}"
        if week == 1:
            return f"{text} next week"
        if week > 1:
            return f"{text} in {week} weeks"
        if week == -1:
            return f"{text} last week"
        if week < -1:
            return f"{text}, {-week} weeks ago"
        return text

    return label


@dataclass(frozen=True)
class RunnerUp:
    officer_id: str
    name: str
    level: int
    queue_hours: float
    """The runner-up's whole queue (existing + planned), in hours of work."""
    would_be_late: bool
    learner: bool = False


@dataclass(frozen=True)
class PlannedDossier:
    """One dossier's place in the plan and the reasons for it (times in working hours from now)."""

    dossier_id: str
    officer_id: str
    position: int
    queue_before_hours: float
    start_hours: float
    finish_hours: float
    due_hours: float
    late: bool
    kind: Kind
    level: int
    mentor_id: str | None
    fit_points: int
    familiar: bool
    pinned: bool
    runner_up: RunnerUp | None
    terms: tuple[Term, ...]
    """Named parts of the explanation, in order (``pin``, ``qualification``, ``queue``, …)."""

    @property
    def explanation(self) -> str:
        """The terms in English words, joined by "; "."""
        return "; ".join(term.text for term in self.terms)


@dataclass
class _View:
    """What an alternative officer's queue looks like to a dossier that might join it."""

    officer: Officer
    calendar: WorkCalendar
    total: int
    keys: list[tuple[int, str]]
    prefix: list[int]
    existing: int


def _view(problem: Problem, officer: Officer, row: Sequence[Scheduled], end_work: int) -> _View:
    on_time = sorted((item.due, item.dossier.id, item.work) for item in row if not item.late)
    return _View(
        officer=officer,
        calendar=working_calendar(officer, problem.config),
        total=end_work,
        keys=[(due, ident) for due, ident, _ in on_time],
        prefix=list(accumulate(work for _, _, work in on_time)),
        existing=minutes(officer.queue_hours),
    )


class _Alternatives:
    """Eligible officers of each dossier, with their queues timed on demand."""

    def __init__(
        self, problem: Problem, queues: Mapping[str, Sequence[str]], rows: Mapping[str, list[Scheduled]]
    ):
        self.problem = problem
        self.queues = queues
        self.rows = rows
        self.views: dict[str, _View] = {}
        self.by_place: dict[tuple[str, str], list[Officer]] = defaultdict(list)
        for officer in problem.officers:
            if is_available(officer, problem):
                for pool in sorted({officer.department, *officer.pools}):
                    self.by_place[officer.commune, pool].append(officer)

    def view(self, officer: Officer) -> _View:
        found = self.views.get(officer.id)
        if found is None:
            row = self.rows.get(officer.id)
            if row is None:
                row, _ = time_queue(self.problem, officer, self.queues.get(officer.id, ()))
            work = minutes(officer.queue_hours) + sum(item.work for item in row)
            found = self.views[officer.id] = _view(self.problem, officer, row, work)
        return found

    def runner_up(self, item: Scheduled) -> tuple[RunnerUp | None, bool]:
        """The next-best eligible officer, and whether every other officer would be late too."""
        problem, dossier, config = self.problem, item.dossier, self.problem.config
        best: tuple[tuple[int, int, str], RunnerUp] | None = None
        all_late = True
        for other in self.by_place.get((dossier.commune, dossier.pool), ()):
            if other.id == item.officer.id:
                continue
            q = eligibility(other, dossier, problem)
            if q is None:
                continue
            view = self.view(other)
            work = processing_minutes(dossier, q.kind, config)
            i = bisect_left(view.keys, (item.due, dossier.id))
            before = view.existing + (view.prefix[i - 1] if i else 0)
            late = view.calendar.finish(before + work) > item.due
            all_late = all_late and late
            grow = view.calendar.finish(view.total + work) ** 2 - view.calendar.finish(view.total) ** 2
            reward = fit_reward(fit_points(other, dossier, q, config), work, config) + development_reward(
                q, work, config
            )
            key = (1 if late else 0, grow - reward, other.id)
            if best is None or key < best[0]:
                runner = RunnerUp(
                    other.id,
                    other.label,
                    other.level(dossier.field),
                    round(view.total / 60, 1),
                    late,
                    q.kind is Kind.MENTORED,
                )
                best = (key, runner)
        return (best[1] if best else None), all_late


def _qualification_term(item: Scheduled, problem: Problem) -> Term:
    q, dossier = item.qualification, item.dossier
    common: dict[str, Any] = {"level": q.level, "field": dossier.field, "required": dossier.required_level}
    if q.kind is Kind.MENTORED:
        mentor = problem.officer_by_id[q.mentor_id or ""]
        return Term("learner", common | {"mentor": mentor.label, "mentor_level": q.mentor_level})
    if q.kind is Kind.OVERRIDE:
        return Term("below_required", common)
    return Term("qualification", common)


def explain(item: Scheduled, alternatives: _Alternatives, clock: Clock | None) -> PlannedDossier:
    """The explanation of one timed assignment."""
    problem, dossier = alternatives.problem, item.dossier
    terms: list[Term] = []
    if item.pinned:
        terms.append(Term("pin", {"by": dossier.pinned_by or "", "reason": dossier.pin_reason or ""}))
    terms.append(_qualification_term(item, problem))
    officer = item.officer
    if dossier.pool != officer.department and officer.department != dossier.home:
        terms.append(Term("shared_pool", {"pool": dossier.pool, "department": officer.department}))
    familiar = dossier.field in item.officer.recent_fields
    if familiar:
        terms.append(Term("familiarity", {"field": dossier.field}))
    terms.append(Term("queue", {"hours": _hours(item.before)}))
    terms.append(Term("due", {"hours": _hours(item.due), "at": clock(item.due) if clock else None}))
    runner, all_late = (None, True) if item.pinned else alternatives.runner_up(item)
    if item.late:
        nobody = all_late and not item.pinned
        terms.append(Term("late", {"hours": _hours(item.finish - item.due), "nobody_in_time": nobody}))
    if runner is not None:
        terms.append(
            Term(
                "chosen_over",
                {
                    "officer": runner.officer_id,
                    "name": runner.name,
                    "level": runner.level,
                    "queue_hours": runner.queue_hours,
                    "learner": runner.learner,
                    "would_be_late": runner.would_be_late and not item.late,
                },
            )
        )
    elif not item.pinned:
        terms.append(Term("only_eligible", {}))
    hour = 60.0
    return PlannedDossier(
        dossier_id=dossier.id,
        officer_id=item.officer.id,
        position=item.position,
        queue_before_hours=round(item.before / hour, 2),
        start_hours=round(item.start / hour, 2),
        finish_hours=round(item.finish / hour, 2),
        due_hours=round(item.due / hour, 2),
        late=item.late,
        kind=item.qualification.kind,
        level=item.qualification.level,
        mentor_id=item.qualification.mentor_id,
        fit_points=item.fit,
        familiar=familiar,
        pinned=item.pinned,
        runner_up=runner,
        terms=tuple(terms),
    )


def explain_dossiers(
    problem: Problem,
    queues: Mapping[str, Sequence[str]],
    rows: Mapping[str, list[Scheduled]],
    clock: Clock | None = None,
) -> dict[str, PlannedDossier]:
    """Explain every dossier of the timed ``rows`` (other queues are timed when needed)."""
    alternatives = _Alternatives(problem, queues, rows)
    return {item.dossier.id: explain(item, alternatives, clock) for row in rows.values() for item in row}


def unassigned_reason(problem: Problem, dossier: Dossier) -> Term:
    """Why no officer may take ``dossier``, naming the rule that stops the closest candidates."""
    place: dict[str, Any] = {"pool": dossier.pool, "commune": dossier.commune}
    in_pool = [
        o
        for o in problem.officers
        if o.commune == dossier.commune and (dossier.pool == o.department or dossier.pool in o.pools)
    ]
    if not in_pool:
        return Term("no_officer", place)
    available = [o for o in in_pool if is_available(o, problem)]
    if not available:
        return Term("all_absent", place)
    top = max(o.level(dossier.field) for o in available)
    return Term(
        "no_level", place | {"field": dossier.field, "required": dossier.required_level, "highest": top}
    )
