"""The rules of work assignment: one documented function per constraint and per objective term.

Hard rules (a dossier goes only to an officer who passes all of them):

* ``is_available`` — not absent, works some hours within the horizon;
* ``in_allowed_pool`` — same commune, and the dossier's pool is the officer's department or
  one of the shared pools he or she serves;
* ``qualification`` — level ≥ the required level in the dossier's field, or a learner in that
  field whose mentor has the level (a *mentored* assignment);
* ``working_calendar`` — nobody works on leave days or beyond their hours per day: every
  finish time is computed on the officer's own calendar;
* ``mentored_without_slack`` — a mentored assignment must finish on time (development only
  where there is slack); a late one counts on the hard level.

Objective, lexicographic ``Score(hard, late, soft)``, lower is better on each level:

* hard — ``unassigned_dossiers`` (nobody may take them) + ``mentored_without_slack``;
* late — ``late_dossiers``: finish time in the officer's ordered queue after the due time;
* soft — ``load_balance`` − ``fit_and_familiarity`` − ``development``, in minutes²:

  - ``load_balance``: Σ over officers of (end of queue)², in minutes on the office clock —
    the sum of squares is smallest when queues end at the same time;
  - ``fit_and_familiarity``: each assignment earns 2·M·d·points, where d is the dossier's
    minutes for that officer, M = ``fit_minutes_per_point`` and points = levels above the
    requirement (at most ``fit_level_cap``) + 1 when the field is among the officer's recent
    fields.  Moving d minutes to an officer whose queue ends Δ minutes later costs about 2·d·Δ
    of balance, so one point is worth letting the queue end M minutes later;
  - ``development``: a mentored assignment earns 2·D·d with D = ``development_minutes``.

``evaluate`` is the reference scorer: it takes ordered queues as given and computes every term
from scratch.  The solver keeps its own incremental bookkeeping; tests compare the two.
"""

from __future__ import annotations

import enum
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from xaso.planning.assignment.problem import AssignmentConfig, Dossier, Officer, Problem, minutes

NEVER = 10**12
"""A finish time for officers who never work (no hours per day): later than any due time."""


# --------------------------------------------------------------------------- hard rules


@dataclass(frozen=True)
class WorkCalendar:
    """When one officer works, on the office clock (all values in minutes).

    Day ``d`` covers ``[d·day, (d+1)·day)``; the officer works its first ``per_day`` minutes,
    except on leave days of the horizon.  ``cum[d]`` is the work possible before day ``d``.
    """

    day: int
    per_day: int
    horizon: int
    cum: tuple[int, ...]

    def capacity(self, t: int) -> int:
        """Minutes of work the officer can do between now and moment ``t``."""
        if t <= 0:
            return 0
        d, r = divmod(t, self.day)
        if d < self.horizon:
            return self.cum[d] + min(r, self.cum[d + 1] - self.cum[d])
        return self.cum[self.horizon] + (d - self.horizon) * self.per_day + min(r, self.per_day)

    def finish(self, work: int) -> int:
        """The earliest moment by which ``work`` minutes are done (``NEVER`` if never)."""
        if work <= 0:
            return 0
        cum = self.cum
        if work <= cum[self.horizon]:
            d = bisect_left(cum, work) - 1  # cum[d] < work <= cum[d + 1]
            return d * self.day + (work - cum[d])
        if self.per_day <= 0:
            return NEVER
        extra = work - cum[self.horizon]
        full, rest = divmod(extra - 1, self.per_day)
        return (self.horizon + full) * self.day + rest + 1


def working_calendar(officer: Officer, config: AssignmentConfig) -> WorkCalendar:
    """Hard: leave and working hours.  No work on leave days or beyond ``hours_per_day``.

    Every finish time in the plan is computed on this calendar, so the rule holds by
    construction; a dossier that cannot be done in time because of leave becomes late.
    """
    day = minutes(config.day_hours)
    per_day = min(day, minutes(officer.hours_per_day))
    cum = [0]
    for d in range(config.horizon_days):
        cum.append(cum[-1] + (0 if d in officer.leave_days else per_day))
    return WorkCalendar(day=day, per_day=per_day, horizon=config.horizon_days, cum=tuple(cum))


def is_available(officer: Officer, problem: Problem) -> bool:
    """Hard: an absent officer, or one with no working time in the whole horizon, takes no work."""
    if officer.id in problem.absent or officer.hours_per_day <= 0:
        return False
    horizon = problem.config.horizon_days
    return horizon == 0 or any(d not in officer.leave_days for d in range(horizon))


def in_allowed_pool(officer: Officer, dossier: Dossier) -> bool:
    """Hard: the dossier may go to its own commune's department or shared pool only."""
    return officer.commune == dossier.commune and (
        dossier.pool == officer.department or dossier.pool in officer.pools
    )


class Kind(enum.Enum):
    QUALIFIED = "qualified"
    MENTORED = "mentored"
    OVERRIDE = "override"
    """A pinned assignment that breaks a qualification rule: kept, and said so."""


@dataclass(frozen=True)
class Qualification:
    kind: Kind
    level: int
    mentor_id: str | None = None
    mentor_level: int = 0


def qualification(officer: Officer, dossier: Dossier, problem: Problem) -> Qualification | None:
    """Hard: required competency and level for the dossier's field.

    Qualified when the officer's level in the field is at least the required level; otherwise
    *mentored* when the officer is learning the field and the mentor (available, same commune)
    has the level; otherwise ``None`` (the officer may not take the dossier).
    """
    level = officer.level(dossier.field)
    if level >= dossier.required_level:
        return Qualification(Kind.QUALIFIED, level)
    mentor_id = officer.learning.get(dossier.field)
    if mentor_id is None:
        return None
    mentor = problem.officer_by_id[mentor_id]
    if (
        mentor.commune == officer.commune
        and mentor.level(dossier.field) >= dossier.required_level
        and is_available(mentor, problem)
    ):
        return Qualification(Kind.MENTORED, level, mentor.id, mentor.level(dossier.field))
    return None


def eligibility(officer: Officer, dossier: Dossier, problem: Problem) -> Qualification | None:
    """All hard rules that depend on the pair: available, allowed pool, qualification."""
    if not is_available(officer, problem) or not in_allowed_pool(officer, dossier):
        return None
    return qualification(officer, dossier, problem)


def processing_minutes(dossier: Dossier, kind: Kind, config: AssignmentConfig) -> int:
    """The dossier's work for an officer: the estimate, times ``learner_factor`` for a learner."""
    work = minutes(dossier.hours)
    if kind is Kind.MENTORED:
        work = round(work * config.learner_factor)
    return max(1, work)


def fit_points(officer: Officer, dossier: Dossier, q: Qualification, config: AssignmentConfig) -> int:
    """Levels above the requirement (capped; none for learners) + 1 for recent work in the field."""
    above = (
        0 if q.kind is Kind.MENTORED else max(0, min(q.level - dossier.required_level, config.fit_level_cap))
    )
    return above + (1 if dossier.field in officer.recent_fields else 0)


def fit_reward(points: int, work: int, config: AssignmentConfig) -> int:
    """Soft reward of one assignment's fit: 2·M·d·points (see the module doc)."""
    return 2 * config.fit_minutes_per_point * work * points


def development_reward(q: Qualification, work: int, config: AssignmentConfig) -> int:
    """Soft reward of a mentored assignment: 2·D·d (zero for anybody else)."""
    return 2 * config.development_minutes * work if q.kind is Kind.MENTORED else 0


# --------------------------------------------------------------------------- schedules and terms


@dataclass(frozen=True)
class Scheduled:
    """One dossier in an officer's ordered queue, with its computed times (minutes)."""

    dossier: Dossier
    officer: Officer
    qualification: Qualification
    position: int
    work: int
    before: int
    """Work ahead of it in the queue, including the officer's existing ``queue_hours``."""
    start: int
    finish: int
    due: int
    fit: int
    pinned: bool

    @property
    def late(self) -> bool:
        return self.finish > self.due


Schedule = Mapping[str, Sequence[Scheduled]]
"""Officer id → that officer's queue in order (every officer present, maybe empty)."""


def time_queue(problem: Problem, officer: Officer, queue: Sequence[str]) -> tuple[list[Scheduled], int]:
    """Time one officer's queue in the order given; returns the items and the queue's end.

    A pinned dossier on an officer who fails a qualification rule is kept as an ``OVERRIDE``.
    Raises ``ValueError`` for an unknown dossier, an ineligible unpinned assignment, or a pin
    that was moved (a pin to an absent officer may move).
    """
    config = problem.config
    calendar = working_calendar(officer, config)
    done = minutes(officer.queue_hours)
    row: list[Scheduled] = []
    for position, dossier_id in enumerate(queue):
        dossier = problem.dossier_by_id.get(dossier_id)
        if dossier is None:
            raise ValueError(f"unknown dossier {dossier_id!r}")
        pinned_here = dossier.pinned and dossier.assignee == officer.id
        if dossier.pinned and not pinned_here and dossier.assignee not in problem.absent:
            raise ValueError(f"dossier {dossier_id!r} is pinned to {dossier.assignee}")
        q = eligibility(officer, dossier, problem)
        if q is None:
            if not pinned_here:
                raise ValueError(f"{officer.id} may not take dossier {dossier_id!r}")
            q = Qualification(Kind.OVERRIDE, officer.level(dossier.field))
        work = processing_minutes(dossier, q.kind, config)
        row.append(
            Scheduled(
                dossier=dossier,
                officer=officer,
                qualification=q,
                position=position,
                work=work,
                before=done,
                start=calendar.finish(done + 1) - 1,  # the moment its first minute begins
                finish=calendar.finish(done + work),
                due=minutes(dossier.due_hours),
                fit=fit_points(officer, dossier, q, config),
                pinned=pinned_here,
            )
        )
        done += work
    return row, calendar.finish(done)


def build_schedule(
    problem: Problem, queues: Mapping[str, Sequence[str]]
) -> tuple[dict[str, list[Scheduled]], dict[str, int]]:
    """Time every queue as ordered; returns the schedule and each officer's queue end (minutes).

    Raises ``ValueError`` for unknown ids or a dossier queued twice (see ``time_queue``).
    """
    unknown = set(queues) - set(problem.officer_by_id)
    if unknown:
        raise ValueError(f"unknown officers: {sorted(unknown)}")
    seen: set[str] = set()
    schedule: dict[str, list[Scheduled]] = {}
    ends: dict[str, int] = {}
    for officer in problem.officers:
        queue = queues.get(officer.id, ())
        for dossier_id in queue:
            if dossier_id in seen:
                raise ValueError(f"dossier {dossier_id!r} is queued more than once")
            seen.add(dossier_id)
        schedule[officer.id], ends[officer.id] = time_queue(problem, officer, queue)
    return schedule, ends


def unassigned_dossiers(problem: Problem, schedule: Schedule) -> int:
    """Hard: dossiers in no queue (the solver leaves only those nobody may take)."""
    queued = {item.dossier.id for row in schedule.values() for item in row}
    return sum(1 for dossier in problem.dossiers if dossier.id not in queued)


def mentored_without_slack(schedule: Schedule) -> int:
    """Hard: mentored assignments that finish after their due time."""
    return sum(
        1
        for row in schedule.values()
        for item in row
        if item.late and item.qualification.kind is Kind.MENTORED
    )


def late_dossiers(schedule: Schedule) -> int:
    """Late level: dossiers whose finish time in their officer's ordered queue exceeds the due time."""
    return sum(1 for row in schedule.values() for item in row if item.late)


def load_balance(ends: Mapping[str, int]) -> int:
    """Soft penalty: Σ (queue end in minutes)² over officers — smallest when queues end together."""
    return sum(end * end for end in ends.values())


def fit_and_familiarity(schedule: Schedule, config: AssignmentConfig) -> int:
    """Soft reward: Σ 2·M·d·points over assignments (see the module doc)."""
    return sum(fit_reward(item.fit, item.work, config) for row in schedule.values() for item in row)


def development(schedule: Schedule, config: AssignmentConfig) -> int:
    """Soft reward: Σ 2·D·d over mentored assignments."""
    return sum(
        development_reward(item.qualification, item.work, config) for row in schedule.values() for item in row
    )


@dataclass(frozen=True, order=True)
class Score:
    """Lexicographic, lower is better: hard violations, then late dossiers, then soft."""

    hard: int
    late: int
    soft: int

    def __str__(self) -> str:
        return f"{self.hard} hard / {self.late} late / {self.soft} soft"


@dataclass(frozen=True)
class OfficerTerms:
    """One officer's share of every term (so a re-plan can update a plan's totals)."""

    late: int = 0
    mentored_without_slack: int = 0
    end: int = 0
    fit_and_familiarity: int = 0
    development: int = 0
    mentored: int = 0
    work: int = 0
    """Minutes of planned work (without the existing queue)."""


def officer_terms(row: Sequence[Scheduled], end: int, config: AssignmentConfig) -> OfficerTerms:
    """The terms of one officer's timed queue."""
    one = {"_": row}
    return OfficerTerms(
        late=late_dossiers(one),
        mentored_without_slack=mentored_without_slack(one),
        end=end,
        fit_and_familiarity=fit_and_familiarity(one, config),
        development=development(one, config),
        mentored=sum(1 for item in row if item.qualification.kind is Kind.MENTORED),
        work=sum(item.work for item in row),
    )


@dataclass(frozen=True)
class Breakdown:
    """Every named term of a plan's score (counts, and soft parts in minutes²)."""

    unassigned: int
    mentored_without_slack: int
    late: int
    load_balance: int
    fit_and_familiarity: int
    development: int
    mentored: int
    """How many assignments pair a learner with a mentor."""

    @property
    def score(self) -> Score:
        soft = self.load_balance - self.fit_and_familiarity - self.development
        return Score(self.unassigned + self.mentored_without_slack, self.late, soft)

    @classmethod
    def total(cls, unassigned: int, terms: Iterable[OfficerTerms]) -> Breakdown:
        """Add up officers' terms."""
        items = list(terms)
        return cls(
            unassigned=unassigned,
            mentored_without_slack=sum(t.mentored_without_slack for t in items),
            late=sum(t.late for t in items),
            load_balance=load_balance({str(i): t.end for i, t in enumerate(items)}),
            fit_and_familiarity=sum(t.fit_and_familiarity for t in items),
            development=sum(t.development for t in items),
            mentored=sum(t.mentored for t in items),
        )


def evaluate(problem: Problem, queues: Mapping[str, Sequence[str]]) -> Breakdown:
    """Reference scorer: every term computed from scratch for queues in the order given."""
    schedule, ends = build_schedule(problem, queues)
    config = problem.config
    return Breakdown(
        unassigned=unassigned_dossiers(problem, schedule),
        mentored_without_slack=mentored_without_slack(schedule),
        late=late_dossiers(schedule),
        load_balance=load_balance(ends),
        fit_and_familiarity=fit_and_familiarity(schedule, config),
        development=development(schedule, config),
        mentored=sum(
            1 for row in schedule.values() for item in row if item.qualification.kind is Kind.MENTORED
        ),
    )
