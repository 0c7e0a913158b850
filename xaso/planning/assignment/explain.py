"""Why each dossier went where it went, in words built from the named terms.

An explanation is a list of ``(term, text)`` pairs joined by "; ", for example::

    qualified level 4 in civil_status (needs 3); recent work in civil_status; 3 h of queue
    before it; due Thursday 17:00 (in 10 working hours); chosen over Lan (level 2, 9 h queue)

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
"""Minutes from now on the office clock → a moment in words (e.g. "Thursday 17:00")."""

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def hours_text(value: int) -> str:
    """Minutes as hours for people: ``180`` → ``"3 h"``, ``90`` → ``"1.5 h"``."""
    hours = round(value / 60, 1)
    return f"{hours:g} h"


def working_hours_text(value: int) -> str:
    """Minutes from now as "in 10 working hours", "now" or "2 working hours ago"."""
    if value == 0:
        return "now"
    hours = round(abs(value) / 60, 1)
    unit = "working hour" if hours == 1 else "working hours"
    return f"in {hours:g} {unit}" if value > 0 else f"{hours:g} {unit} ago"


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
    terms: tuple[tuple[str, str], ...]
    """Named parts of the explanation, in order (``qualification``, ``pin``, ``queue``, …)."""

    @property
    def explanation(self) -> str:
        return "; ".join(text for _, text in self.terms)


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


def _qualification_text(item: Scheduled, problem: Problem) -> str:
    q, dossier = item.qualification, item.dossier
    if q.kind is Kind.MENTORED:
        mentor = problem.officer_by_id[q.mentor_id or ""]
        return (
            f"learner in {dossier.field} (level {q.level}, needs {dossier.required_level}) "
            f"with mentor {mentor.label} (level {q.mentor_level}), where there is slack"
        )
    if q.kind is Kind.OVERRIDE:
        return (
            f"kept although level {q.level} in {dossier.field} is below the required {dossier.required_level}"
        )
    return f"qualified level {q.level} in {dossier.field} (needs {dossier.required_level})"


def explain(item: Scheduled, alternatives: _Alternatives, clock: Clock | None) -> PlannedDossier:
    """The explanation of one timed assignment."""
    problem, dossier = alternatives.problem, item.dossier
    terms: list[tuple[str, str]] = []
    if item.pinned:
        who = f" by {dossier.pinned_by}" if dossier.pinned_by else ""
        terms.append(("pin", f"kept as set{who}: {dossier.pin_reason or 'no reason given'}"))
    terms.append(("qualification", _qualification_text(item, problem)))
    familiar = dossier.field in item.officer.recent_fields
    if familiar:
        terms.append(("familiarity", f"recent work in {dossier.field}"))
    queue = hours_text(item.before)
    terms.append(("queue", f"{queue} of queue before it" if item.before else "no queue before it"))
    due = f"{clock(item.due)} ({working_hours_text(item.due)})" if clock else working_hours_text(item.due)
    terms.append(("due", f"due {due}"))
    runner, all_late = (None, True) if item.pinned else alternatives.runner_up(item)
    if item.late:
        why = "; no eligible officer could finish it in time" if all_late and not item.pinned else ""
        terms.append(("late", f"late by {hours_text(item.finish - item.due)} of office time{why}"))
    if runner is not None:
        extra = ", would be late" if runner.would_be_late and not item.late else ""
        terms.append(
            (
                "chosen_over",
                f"chosen over {runner.name} ({'learner, ' if runner.learner else ''}level {runner.level}, "
                f"{runner.queue_hours:g} h queue{extra})",
            )
        )
    elif not item.pinned:
        terms.append(("chosen_over", "the only eligible officer"))
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


def unassigned_reason(problem: Problem, dossier: Dossier) -> str:
    """Why no officer may take ``dossier``, naming the rule that stops the closest candidates."""
    in_pool = [
        o
        for o in problem.officers
        if o.commune == dossier.commune and (dossier.pool == o.department or dossier.pool in o.pools)
    ]
    if not in_pool:
        return f"no officer serves {dossier.pool} in {dossier.commune}"
    available = [o for o in in_pool if is_available(o, problem)]
    if not available:
        return f"everyone serving {dossier.pool} in {dossier.commune} is absent or on leave"
    top = max(o.level(dossier.field) for o in available)
    return (
        f"nobody available in {dossier.pool} has level {dossier.required_level} in {dossier.field} "
        f"(highest {top}) and no learner there has a mentor who does"
    )
