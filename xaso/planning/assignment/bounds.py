"""A lower bound on the number of late dossiers: a capacity / earliest-due-date relaxation.

For a group G of dossiers (say, one field of one pool of one commune) let U be every officer
who may take any of them.  Relax the problem three ways at once: pool U into one "super
officer" whose work capacity by moment t is Σ_{o∈U} max(0, capacity_o(t) − queue_o); let a
dossier be split among officers and worked in parallel; give each dossier its shortest work
among the officers who may take it.  Whatever a real plan finishes on time in G is still on
time in the relaxation, so the relaxation's optimum is a lower bound on G's late dossiers.
The relaxation is a single machine with deadlines (capacity at each due moment), whose fewest
late jobs Moore–Hodgson finds exactly.

The groups of a partition are disjoint, so their bounds add up.  Groups nest — commune, pool,
field, required level — and each group keeps the better of its own relaxation and the sum of
its subgroups' bounds (a finer group has fewer officers, a coarser one shares capacity).
Dossiers that no eligible officer could finish in time even with nothing else to do
(*inevitably late*) are counted first and left out of the relaxation.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from xaso.planning.assignment.constraints import (
    Kind,
    WorkCalendar,
    eligibility,
    processing_minutes,
    working_calendar,
)
from xaso.planning.assignment.problem import Problem, minutes


@dataclass(frozen=True)
class BoundJob:
    """A dossier as the relaxation sees it: who may take it and how long each would need."""

    ident: str
    commune: str
    pool: str
    field: str
    required_level: int
    due: int
    options: tuple[tuple[int, int], ...]
    """(officer index, work minutes) for every officer who may take it."""


@dataclass(frozen=True)
class LateBound:
    total: int
    by_commune: Mapping[str, int]
    inevitable: frozenset[str]
    """Dossiers late whoever takes them."""


def fewest_late(jobs: Sequence[tuple[int, int]]) -> int:
    """Moore–Hodgson: fewest late jobs on one machine; ``jobs`` are (deadline, work), any order."""
    heap: list[int] = []
    total = 0
    late = 0
    for deadline, work in sorted(jobs):
        total += work
        heapq.heappush(heap, -work)
        if total > deadline:
            total += heapq.heappop(heap)  # drop the longest job so far
            late += 1
    return late


def _group_bound(group: Sequence[BoundJob], calendars: Sequence[WorkCalendar], queued: Sequence[int]) -> int:
    officers = sorted({o for job in group for o, _ in job.options})
    capacity: dict[int, int] = {}
    relaxed: list[tuple[int, int]] = []
    for job in group:
        pooled = capacity.get(job.due)
        if pooled is None:
            pooled = sum(max(0, calendars[o].capacity(job.due) - queued[o]) for o in officers)
            capacity[job.due] = pooled
        relaxed.append((pooled, min(work for _, work in job.options)))
    return fewest_late(relaxed)


_LEVELS: tuple[Callable[[BoundJob], str | int], ...] = (
    lambda job: job.pool,
    lambda job: job.field,
    lambda job: job.required_level,
)


def _tree_bound(
    members: Sequence[BoundJob], depth: int, calendars: Sequence[WorkCalendar], queued: Sequence[int]
) -> int:
    """The better of the relaxation of ``members`` and the sum over its finer groups."""
    own = _group_bound(members, calendars, queued)
    if depth == len(_LEVELS):
        return own
    groups: dict[str | int, list[BoundJob]] = defaultdict(list)
    for job in members:
        groups[_LEVELS[depth](job)].append(job)
    if len(groups) == 1:
        return max(own, _tree_bound(members, depth + 1, calendars, queued))
    return max(own, sum(_tree_bound(g, depth + 1, calendars, queued) for g in groups.values()))


def late_lower_bound(
    jobs: Sequence[BoundJob], calendars: Sequence[WorkCalendar], queued: Sequence[int]
) -> LateBound:
    """The bound for ``jobs`` (jobs without options are left out: they are unassigned)."""
    by_commune: dict[str, list[BoundJob]] = defaultdict(list)
    inevitable: set[str] = set()
    counts: dict[str, int] = defaultdict(int)
    for job in jobs:
        if not job.options:
            continue
        if all(calendars[o].finish(queued[o] + work) > job.due for o, work in job.options):
            inevitable.add(job.ident)
            counts[job.commune] += 1
        else:
            by_commune[job.commune].append(job)
    for commune, members in by_commune.items():
        counts[commune] += _tree_bound(members, 0, calendars, queued)
    return LateBound(sum(counts.values()), dict(counts), frozenset(inevitable))


def bound_jobs(problem: Problem) -> tuple[list[BoundJob], list[WorkCalendar], list[int]]:
    """The relaxation's input for a whole problem (pins count as the only option)."""
    officers = problem.officers
    index = {officer.id: i for i, officer in enumerate(officers)}
    calendars = [working_calendar(officer, problem.config) for officer in officers]
    queued = [minutes(officer.queue_hours) for officer in officers]
    by_place: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, officer in enumerate(officers):
        for pool in {officer.department, *officer.pools}:
            by_place[officer.commune, pool].append(i)
    jobs = []
    for dossier in problem.dossiers:
        options: list[tuple[int, int]] = []
        pinned = index.get(dossier.assignee or "") if dossier.pinned else None
        if pinned is not None and dossier.assignee not in problem.absent:
            q = eligibility(officers[pinned], dossier, problem)
            kind = q.kind if q is not None else Kind.OVERRIDE
            options.append((pinned, processing_minutes(dossier, kind, problem.config)))
        else:
            for i in by_place.get((dossier.commune, dossier.pool), ()):
                q = eligibility(officers[i], dossier, problem)
                if q is not None:
                    options.append((i, processing_minutes(dossier, q.kind, problem.config)))
        jobs.append(
            BoundJob(
                dossier.id,
                dossier.commune,
                dossier.pool,
                dossier.field,
                dossier.required_level,
                minutes(dossier.due_hours),
                tuple(options),
            )
        )
    return jobs, calendars, queued


def problem_late_lower_bound(problem: Problem) -> LateBound:
    """The lower bound on late dossiers of any plan for ``problem``."""
    return late_lower_bound(*bound_jobs(problem))
