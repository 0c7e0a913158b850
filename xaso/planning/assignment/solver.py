"""Work assignment solver: construction, then late acceptance local search per component.

Three observations make the search small and fast:

1. **Order is not searched.**  For a fixed set of dossiers on one officer the fewest late
   dossiers is Moore–Hodgson's rule on the officer's own calendar (deadline of a dossier =
   work the officer can do before its due moment, minus the existing queue): earliest due
   first, and whenever one would finish late, send the longest so far to the back.  The queue
   is then the on-time dossiers by due date followed by the late ones by due date.  Balance,
   fit and development do not depend on the order.  Mentored dossiers are sent to the back
   only when no regular one can go (they must stay on time).

2. **Components.**  Dossiers may only move between officers of the same commune and pool, so
   the problem splits into independent components (about one per commune and pool family).
   Each gets a share of the time proportional to its movable dossiers, and a re-plan only
   touches the components it needs.

3. **Cheap deltas.**  Most queues have no late dossier; for those, removing a dossier changes
   nothing and inserting one is checked in O(1) from prefix sums and suffix slack.  Only
   queues with late dossiers re-run Moore–Hodgson (O(k log k), k ≈ queue length).

The score (hard, late, soft) is folded into one exact integer per officer (mixed radix,
weights larger than any lower-level range).  Construction takes dossiers by due date and
gives each to the eligible officer who finishes it on time at the least soft cost (or, when
nobody can, at the least soft cost).  Late acceptance hill climbing then tries change, swap,
chain and two-for-one moves (half of them on dossiers of queues with late ones) and, now and
then, ruin and recreate (take 2–5 dossiers out, put each back where it costs least).  A
seeded ``random.Random`` drives it; it stops on ``seconds`` or ``max_iterations`` and keeps
the best plan seen.  The lower bound on late dossiers (``bounds``, ``lp_bound``) is computed
at the end, per component, so ``plan.late_gap`` says how far from provably best the plan is.
"""

from __future__ import annotations

import heapq
import random
import time
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from xaso.planning.assignment.bounds import BoundJob, LateBound, late_lower_bound, problem_late_lower_bound
from xaso.planning.assignment.constraints import (
    Breakdown,
    Kind,
    OfficerTerms,
    Qualification,
    Score,
    development_reward,
    eligibility,
    fit_points,
    fit_reward,
    is_available,
    officer_terms,
    processing_minutes,
    time_queue,
    working_calendar,
)
from xaso.planning.assignment.explain import (
    Clock,
    PlannedDossier,
    Term,
    explain_dossiers,
    unassigned_reason,
)
from xaso.planning.assignment.lp_bound import lp_late_bound
from xaso.planning.assignment.problem import Problem, minutes

_BIG = 10**9  # heap key offset: regular dossiers are sent to the back before mentored ones

Move = tuple[tuple[int, int, int], ...]
"""(dossier, from officer, to officer) steps applied together."""


@dataclass(frozen=True)
class LoadStats:
    """Queue ends (existing queue + planned work) of the available officers, in working hours."""

    officers: int
    mean_end_hours: float
    min_end_hours: float
    max_end_hours: float
    stdev_end_hours: float
    mean_planned_hours: float
    max_planned_hours: float


@dataclass(frozen=True)
class AssignmentPlan:
    queues: dict[str, list[str]]
    """Officer id → ordered dossier ids (every officer present, absent ones empty)."""
    assignments: dict[str, PlannedDossier]
    """Dossier id → where it goes, when, and why."""
    unassigned: dict[str, Term]
    """Dossier id → why nobody may take it (``.text``: in English)."""
    breakdown: Breakdown
    officer_terms: dict[str, OfficerTerms]
    lower_bound: LateBound
    load: LoadStats
    broken_pins: dict[str, str]
    """Pinned dossiers whose officer is absent, with what happened to the pin."""
    iterations: int
    seconds: float
    tracked_score: Score
    """The solver's incremental score of the same plan; equals ``score`` (tests check)."""

    @property
    def score(self) -> Score:
        return self.breakdown.score

    @property
    def late_gap(self) -> int:
        """Late dossiers above the proven lower bound (0: provably fewest late)."""
        return self.breakdown.late - self.lower_bound.total


class _Model:
    """The problem as integer-indexed lists and per-officer dictionaries."""

    def __init__(self, problem: Problem, keep: Mapping[str, str]) -> None:
        config = problem.config
        officers, dossiers = problem.officers, problem.dossiers
        self.problem = problem
        self.m, self.n = len(officers), len(dossiers)
        self.officer_ids = [o.id for o in officers]
        self.dossier_ids = [d.id for d in dossiers]
        index = {oid: i for i, oid in enumerate(self.officer_ids)}
        self.cal = [working_calendar(o, config) for o in officers]
        self.q = [minutes(o.queue_hours) for o in officers]
        self.due = [minutes(d.due_hours) for d in dossiers]
        order = sorted(range(self.n), key=lambda j: (self.due[j], self.dossier_ids[j]))
        self.rank = [0] * self.n
        for r, j in enumerate(order):
            self.rank[j] = r
        self.P: list[dict[int, int]] = [{} for _ in officers]  # work minutes
        self.DL: list[dict[int, int]] = [{} for _ in officers]  # deadline in work minutes
        self.R: list[dict[int, int]] = [{} for _ in officers]  # soft reward
        self.K: list[dict[int, int]] = [{} for _ in officers]  # Moore–Hodgson heap key
        self.Q: list[dict[int, Qualification]] = [{} for _ in officers]
        self.allowed: list[list[int]] = [[] for _ in dossiers]
        self.fixed = [-1] * self.n
        self.unassignable: dict[int, Term] = {}
        self.broken_pins: dict[str, str] = {}
        by_place: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, officer in enumerate(officers):
            for pool in sorted({officer.department, *officer.pools}):
                by_place[officer.commune, pool].append(i)
        for j, dossier in enumerate(dossiers):
            if dossier.pinned and dossier.assignee is not None:
                o = index.get(dossier.assignee)
                if o is not None and dossier.assignee not in problem.absent:
                    q = eligibility(officers[o], dossier, problem)
                    self._add(o, j, q or Qualification(Kind.OVERRIDE, officers[o].level(dossier.field)))
                    self.fixed[j] = o
                    self.allowed[j] = [o]
                    continue
                who = officers[o].label if o is not None else dossier.assignee
                self.broken_pins[dossier.id] = f"pinned to {who}, who is absent; planned again"
            for o in by_place.get((dossier.commune, dossier.pool), ()):
                q = eligibility(officers[o], dossier, problem)
                if q is not None:
                    self._add(o, j, q)
                    self.allowed[j].append(o)
            kept = index.get(keep.get(dossier.id, ""))
            if kept is not None and kept in self.allowed[j]:
                self.fixed[j] = kept
                self.allowed[j] = [kept]
            if not self.allowed[j]:
                self.unassignable[j] = unassigned_reason(problem, dossier)
        self.bound = self._bound()

    def _add(self, o: int, j: int, q: Qualification) -> None:
        problem = self.problem
        officer, dossier, config = problem.officers[o], problem.dossiers[j], problem.config
        work = processing_minutes(dossier, q.kind, config)
        self.P[o][j] = work
        # Clamped at 0: a dossier due before the existing queue is done is late anyway, and
        # Moore–Hodgson then always stops with an empty heap at the latest.
        self.DL[o][j] = max(0, self.cal[o].capacity(self.due[j]) - self.q[o])
        self.R[o][j] = fit_reward(fit_points(officer, dossier, q, config), work, config) + development_reward(
            q, work, config
        )
        self.K[o][j] = -work if q.kind is Kind.MENTORED else -(work + _BIG)
        self.Q[o][j] = q

    def _bound(self) -> int:
        """A weight larger than any soft range: Σ (latest possible end)² + Σ rewards + 1."""
        total = 1
        for o in range(self.m):
            work = self.q[o] + sum(self.P[o].values())
            end = self.cal[o].finish(work)
            total += end * end + sum(self.R[o].values())
        return total

    def late_bound(self, parts: Sequence[tuple[list[int], list[int]]], search: _Search) -> LateBound:
        """The relaxation bound, per commune raised to the sum of per-component bounds.

        A component's bound is the best of its own capacity relaxation (``bounds``), its LP
        relaxation (``lp_bound``, solved only where the plan is above the first), and — when
        nothing in it can move and no learner is involved — its late count itself
        (Moore–Hodgson is exact for a fixed assignment).  Bound jobs take their officers'
        commune so components and communes nest.
        """
        problem = self.problem
        commune = [o.commune for o in problem.officers]
        jobs = [
            BoundJob(
                d.id,
                commune[self.allowed[j][0]] if self.allowed[j] else d.commune,
                d.pool,
                d.field,
                d.required_level,
                self.due[j],
                tuple((o, self.P[o][j]) for o in self.allowed[j]),
            )
            for j, d in enumerate(problem.dossiers)
        ]
        overall = late_lower_bound(jobs, self.cal, self.q)
        part_of = [0] * self.m
        for index, (officers, _) in enumerate(parts):
            for o in officers:
                part_of[o] = index
        own: dict[int, list[BoundJob]] = defaultdict(list)
        for j, job in enumerate(jobs):
            if self.allowed[j]:
                own[part_of[self.allowed[j][0]]].append(job)
        by_parts: dict[str, int] = defaultdict(int)
        for index, members in own.items():
            officers, movable = parts[index]
            late = sum(search.late[o] for o in officers)
            value = late_lower_bound(members, self.cal, self.q).total
            if (
                late > value
                and not movable
                and not any(self.K[o][j] > -_BIG for o in officers for j in search.seq[o])
            ):
                value = late
            if late > value:
                value = max(value, lp_late_bound(search, officers))
            by_parts[commune[officers[0]]] += value
        by_commune = {c: max(n, by_parts.get(c, 0)) for c, n in overall.by_commune.items()}
        for c, n in by_parts.items():
            by_commune.setdefault(c, n)
        return LateBound(sum(by_commune.values()), by_commune, overall.inevitable)


class _Search:
    """Officers' queues (sorted by due rank), their Moore–Hodgson counts and folded values."""

    def __init__(self, model: _Model) -> None:
        self.model = model
        m = model.m
        self.wl = model.bound  # weight of one late dossier
        self.wh = model.bound * (model.n + 1)  # weight of one hard violation
        self.seq: list[list[int]] = [[] for _ in range(m)]
        self.rk: list[list[int]] = [[] for _ in range(m)]
        self.tot = list(model.q)
        self.late = [0] * m
        self.mlate = [0] * m
        self.rew = [0] * m
        self.val = [0] * m
        self.pre: list[list[int]] = [[] for _ in range(m)]
        self.smin: list[list[int]] = [[] for _ in range(m)]
        self.where = [-1] * model.n
        self.bound = LateBound(0, {}, frozenset())
        for o in range(m):
            self._refresh(o)

    # ------------------------------------------------------------------ evaluation

    def moore_hodgson(self, o: int, seq: Sequence[int]) -> tuple[int, int]:
        """(late, mentored late) of ``seq`` on officer ``o``."""
        P, DL, K = self.model.P[o], self.model.DL[o], self.model.K[o]
        heap: list[tuple[int, int]] = []
        total = late = mlate = 0
        push, pop = heapq.heappush, heapq.heappop
        for j in seq:
            total += P[j]
            push(heap, (K[j], j))
            d = DL[j]
            while total > d:
                key, k = pop(heap)
                total -= P[k]
                late += 1
                if key > -_BIG:
                    mlate += 1
        return late, mlate

    def late_set(self, o: int) -> set[int]:
        P, DL, K = self.model.P[o], self.model.DL[o], self.model.K[o]
        heap: list[tuple[int, int]] = []
        total = 0
        late: set[int] = set()
        for j in self.seq[o]:
            total += P[j]
            heapq.heappush(heap, (K[j], j))
            while total > DL[j]:
                _, k = heapq.heappop(heap)
                total -= P[k]
                late.add(k)
        return late

    def value(self, o: int, late: int, mlate: int, tot: int, rew: int) -> int:
        end = self.model.cal[o].finish(tot)
        return self.wh * mlate + self.wl * late + end * end - rew

    def _refresh(self, o: int) -> None:
        """Recompute officer ``o``'s counts, value and (when nothing is late) slack arrays."""
        late, mlate = self.moore_hodgson(o, self.seq[o])
        self.late[o], self.mlate[o] = late, mlate
        self.val[o] = self.value(o, late, mlate, self.tot[o], self.rew[o])
        if late == 0:
            P, DL = self.model.P[o], self.model.DL[o]
            pre: list[int] = []
            acc = 0
            for j in self.seq[o]:
                acc += P[j]
                pre.append(acc)
            smin = [0] * len(pre)
            low = _BIG * _BIG
            for i in range(len(pre) - 1, -1, -1):
                slack = DL[self.seq[o][i]] - pre[i]
                low = slack if slack < low else low
                smin[i] = low
            self.pre[o], self.smin[o] = pre, smin

    def insert_counts(self, o: int, j: int, i: int, new_seq: Sequence[int]) -> tuple[int, int]:
        """Counts of ``o`` after inserting ``j`` at position ``i`` (``new_seq`` is the result)."""
        if self.late[o] == 0:
            p = self.model.P[o][j]
            before = self.pre[o][i - 1] if i else 0
            if before + p <= self.model.DL[o][j] and (i == len(self.pre[o]) or p <= self.smin[o][i]):
                return 0, 0
        return self.moore_hodgson(o, new_seq)

    def remove_counts(self, o: int, new_seq: Sequence[int]) -> tuple[int, int]:
        if self.late[o] == 0:
            return 0, 0
        return self.moore_hodgson(o, new_seq)

    # ------------------------------------------------------------------ changes

    def load(self, lists: Mapping[int, Sequence[int]]) -> None:
        """Replace the queues of the officers in ``lists``."""
        model = self.model
        for o, items in lists.items():
            seq = sorted(items, key=model.rank.__getitem__)
            self.seq[o] = seq
            self.rk[o] = [model.rank[j] for j in seq]
            self.tot[o] = model.q[o] + sum(model.P[o][j] for j in seq)
            self.rew[o] = sum(model.R[o][j] for j in seq)
            for j in seq:
                self.where[j] = o
            self._refresh(o)

    def add(self, o: int, j: int) -> None:
        model = self.model
        i = bisect_left(self.rk[o], model.rank[j])
        self.seq[o].insert(i, j)
        self.rk[o].insert(i, model.rank[j])
        self.tot[o] += model.P[o][j]
        self.rew[o] += model.R[o][j]
        self.where[j] = o
        self._refresh(o)

    def construct(self, hints: Mapping[int, int]) -> None:
        """Fixed dossiers and usable hints first, then the rest by due date, best officer each."""
        model = self.model
        start: dict[int, list[int]] = defaultdict(list)
        todo = []
        for j in range(model.n):
            if model.fixed[j] >= 0:
                start[model.fixed[j]].append(j)
            elif not model.allowed[j]:
                continue
            elif hints.get(j, -1) in model.allowed[j]:
                start[hints[j]].append(j)
            else:
                todo.append(j)
        self.load(start)
        # On-time work so far per officer, treating late dossiers as sent to the back.
        ontime = [self.tot[o] - model.q[o] for o in range(model.m)]
        todo.sort(key=model.rank.__getitem__)
        pending: dict[int, list[int]] = defaultdict(list)
        cal = model.cal
        for j in todo:
            best: tuple[int, int, int] | None = None
            for o in model.allowed[j]:
                p = model.P[o][j]
                on_time = ontime[o] + p <= model.DL[o][j]
                if not on_time and model.K[o][j] > -_BIG:
                    continue  # a learner only where there is slack
                tot = self.tot[o]
                before, after = cal[o].finish(tot), cal[o].finish(tot + p)
                cost = after * after - before * before - model.R[o][j]
                key = (0 if on_time else 1, cost, o)
                if best is None or key < best:
                    best = key
            if best is None:  # only learners, none on time: the least bad one
                best = (1, 0, min(model.allowed[j], key=lambda o: cal[o].finish(self.tot[o] + model.P[o][j])))
            o = best[2]
            self.tot[o] += model.P[o][j]
            if best[0] == 0:
                ontime[o] += model.P[o][j]
            pending[o].append(j)
        self.load({o: self.seq[o] + extra for o, extra in pending.items()})

    def propose_change(self, j: int, b: int) -> tuple[int, Move]:
        """Delta of moving ``j`` to ``b``, and what ``commit`` needs."""
        model = self.model
        a = self.where[j]
        seq_a, rk_a = self.seq[a], self.rk[a]
        ia = bisect_left(rk_a, model.rank[j])
        new_a = seq_a[:ia] + seq_a[ia + 1 :]
        la, ma = self.remove_counts(a, new_a)
        seq_b = self.seq[b]
        ib = bisect_left(self.rk[b], model.rank[j])
        new_b = [*seq_b[:ib], j, *seq_b[ib:]]
        lb, mb = self.insert_counts(b, j, ib, new_b)
        va = self.value(a, la, ma, self.tot[a] - model.P[a][j], self.rew[a] - model.R[a][j])
        vb = self.value(b, lb, mb, self.tot[b] + model.P[b][j], self.rew[b] + model.R[b][j])
        return va + vb - self.val[a] - self.val[b], ((j, a, b),)

    def propose_swap(self, j: int, k: int) -> tuple[int, Move]:
        """Delta of swapping ``j`` (officer a) with ``k`` (officer b)."""
        model = self.model
        a, b = self.where[j], self.where[k]
        new_a = sorted([x for x in self.seq[a] if x != j] + [k], key=model.rank.__getitem__)
        new_b = sorted([x for x in self.seq[b] if x != k] + [j], key=model.rank.__getitem__)
        la, ma = self.moore_hodgson(a, new_a)
        lb, mb = self.moore_hodgson(b, new_b)
        pa, pb = model.P[a], model.P[b]
        ra, rb = model.R[a], model.R[b]
        va = self.value(a, la, ma, self.tot[a] - pa[j] + pa[k], self.rew[a] - ra[j] + ra[k])
        vb = self.value(b, lb, mb, self.tot[b] - pb[k] + pb[j], self.rew[b] - rb[k] + rb[j])
        return va + vb - self.val[a] - self.val[b], ((j, a, b), (k, b, a))

    def propose_moves(self, moves: Move) -> tuple[int, Move]:
        """Delta of any set of (dossier, from, to) moves; every target must be eligible."""
        model = self.model
        lists: dict[int, list[int]] = {}
        for _, src, dst in moves:
            for o in (src, dst):
                if o not in lists:
                    lists[o] = list(self.seq[o])
        for j, src, dst in moves:
            lists[src].remove(j)
            lists[dst].append(j)
        delta = 0
        for o, seq in lists.items():
            seq.sort(key=model.rank.__getitem__)
            P, R = model.P[o], model.R[o]
            late, mlate = self.moore_hodgson(o, seq)
            tot = model.q[o] + sum(P[j] for j in seq)
            delta += self.value(o, late, mlate, tot, sum(R[j] for j in seq)) - self.val[o]
        return delta, moves

    def commit(self, move: Move) -> None:
        touched: set[int] = set()
        for j, src, dst in move:
            self._take(src, j)
            self._put(dst, j)
            touched.update((src, dst))
        for o in touched:
            self._refresh(o)

    def ruin_and_recreate(
        self, picked: Sequence[int], order: Callable[[int], float]
    ) -> tuple[int, dict[int, list[int]]]:
        """Take ``picked`` out, put each back where it costs least; returns (delta, undo lists).

        The change is applied; ``load(undo)`` restores the previous state.
        """
        model = self.model
        undo: dict[int, list[int]] = {}
        before = 0
        for j in picked:
            o = self.where[j]
            if o not in undo:
                undo[o] = list(self.seq[o])
                before += self.val[o]
        for j in picked:
            o = self.where[j]
            self._take(o, j)
            self.where[j] = -1
        for o in undo:
            self._refresh(o)
        for j in sorted(picked, key=order):
            best: tuple[int, int] | None = None
            for b in model.allowed[j]:
                if b not in undo:
                    undo[b] = list(self.seq[b])
                    before += self.val[b]
                seq_b = self.seq[b]
                i = bisect_left(self.rk[b], model.rank[j])
                late, mlate = self.insert_counts(b, j, i, [*seq_b[:i], j, *seq_b[i:]])
                value = self.value(b, late, mlate, self.tot[b] + model.P[b][j], self.rew[b] + model.R[b][j])
                delta = value - self.val[b]
                if best is None or delta < best[0]:
                    best = (delta, b)
            assert best is not None
            self._put(best[1], j)
            self._refresh(best[1])
        return sum(self.val[o] for o in undo) - before, undo

    def _take(self, o: int, j: int) -> None:
        model = self.model
        i = bisect_left(self.rk[o], model.rank[j])
        del self.seq[o][i]
        del self.rk[o][i]
        self.tot[o] -= model.P[o][j]
        self.rew[o] -= model.R[o][j]

    def _put(self, o: int, j: int) -> None:
        model = self.model
        i = bisect_left(self.rk[o], model.rank[j])
        self.seq[o].insert(i, j)
        self.rk[o].insert(i, model.rank[j])
        self.tot[o] += model.P[o][j]
        self.rew[o] += model.R[o][j]
        self.where[j] = o

    def queue(self, o: int) -> list[int]:
        """The officer's queue: on-time dossiers by due date, then the late ones by due date."""
        late = self.late_set(o)
        return [j for j in self.seq[o] if j not in late] + [j for j in self.seq[o] if j in late]


def _components(model: _Model) -> list[tuple[list[int], list[int]]]:
    """(officers, movable dossiers) of each independent part, most movable dossiers first."""
    parent = list(range(model.m))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    movable = [j for j in range(model.n) if model.fixed[j] < 0 and len(model.allowed[j]) > 1]
    for j in movable:
        first = find(model.allowed[j][0])
        for o in model.allowed[j][1:]:
            root = find(o)
            if root != first:
                parent[root] = first
    officers: dict[int, list[int]] = defaultdict(list)
    for o in range(model.m):
        officers[find(o)].append(o)
    dossiers: dict[int, list[int]] = defaultdict(list)
    for j in movable:
        dossiers[find(model.allowed[j][0])].append(j)
    parts = [(members, dossiers.get(root, [])) for root, members in officers.items()]
    parts.sort(key=lambda part: (-len(part[1]), part[0][0]))
    return parts


def _search_component(
    search: _Search,
    officers: list[int],
    movable: list[int],
    rnd: Callable[[], float],
    deadline: float,
    budget: int,
) -> int:
    """Late acceptance hill climbing on one component; leaves its best state loaded.

    Moves: change (a dossier to another eligible officer), swap (two dossiers between two
    officers), chain (a dossier to another officer, who passes one on to a third) and two for
    one (a dossier to another officer, who passes two back).
    Half of the dossiers tried come from queues with late dossiers.
    """
    model = search.model
    current = sum(search.val[o] for o in officers)
    best = current
    best_lists = {o: list(search.seq[o]) for o in officers}
    best_is_current = True
    size = max(20, min(2000, len(movable) // 2))
    history = [current] * size
    late_officers = [o for o in officers if search.late[o] > 0]
    iterations = 0
    while iterations != budget:
        if not iterations & 127:
            if time.perf_counter() >= deadline:
                break
            late_officers = [o for o in officers if search.late[o] > 0]
        slot = iterations % size
        iterations += 1
        if len(movable) > 2 and rnd() < 0.03:  # ruin and recreate a few dossiers
            picked = list({movable[int(rnd() * len(movable))] for _ in range(2 + int(rnd() * 4))})
            before = {o: list(search.seq[o]) for o in officers} if best_is_current else best_lists
            delta, undo = search.ruin_and_recreate(picked, lambda _: rnd())
            candidate = current + delta
            if candidate <= current or candidate <= history[slot]:
                if delta > 0 and best_is_current:
                    best_lists = before
                    best_is_current = False
                current = candidate
                if current < best:
                    best = current
                    best_is_current = True
            else:
                search.load(undo)
            history[slot] = current
            continue
        if late_officers and rnd() < 0.5:
            seq = search.seq[late_officers[int(rnd() * len(late_officers))]]
            j = seq[int(rnd() * len(seq))] if seq else movable[0]
            if model.fixed[j] >= 0 or len(model.allowed[j]) < 2:
                history[slot] = current
                continue
        else:
            j = movable[int(rnd() * len(movable))]
        a = search.where[j]
        allowed = model.allowed[j]
        b = allowed[int(rnd() * len(allowed))]
        if b == a:
            history[slot] = current
            continue
        seq_b = search.seq[b]
        kind = rnd()
        if seq_b and kind < 0.45:
            k = seq_b[int(rnd() * len(seq_b))]
            if model.fixed[k] >= 0 or k == j:
                history[slot] = current
                continue
            if kind < 0.2:  # swap j and k
                if k not in model.P[a]:
                    history[slot] = current
                    continue
                delta, move = search.propose_swap(j, k)
            elif kind < 0.35:  # chain: j to b, k on to a third officer
                options = model.allowed[k]
                c = options[int(rnd() * len(options))]
                if c == a or c == b:
                    history[slot] = current
                    continue
                delta, move = search.propose_moves(((j, a, b), (k, b, c)))
            else:  # two for one: j to b, k and another of b's to a
                k2 = seq_b[int(rnd() * len(seq_b))]
                if k2 == k or model.fixed[k2] >= 0 or k not in model.P[a] or k2 not in model.P[a]:
                    history[slot] = current
                    continue
                delta, move = search.propose_moves(((j, a, b), (k, b, a), (k2, b, a)))
        else:
            delta, move = search.propose_change(j, b)
        candidate = current + delta
        if candidate <= current or candidate <= history[slot]:
            if delta > 0 and best_is_current:
                best_lists = {o: list(search.seq[o]) for o in officers}
                best_is_current = False
            search.commit(move)
            current = candidate
            if current < best:
                best = current
                best_is_current = True
        history[slot] = current
    if not best_is_current:
        search.load(best_lists)
    return iterations


def _optimise(
    problem: Problem,
    *,
    deadline: float,
    seed: int,
    max_iterations: int | None,
    initial: Mapping[str, str] | None,
    keep: Mapping[str, str],
    reserve: float = 0.0,
) -> tuple[_Model, _Search, int]:
    """Build, construct and search; stops ``reserve`` seconds before ``deadline``."""
    model = _Model(problem, keep)
    search = _Search(model)
    hints_by_id = (
        initial if initial is not None else {d.id: d.assignee for d in problem.dossiers if d.assignee}
    )
    officer_index = {oid: i for i, oid in enumerate(model.officer_ids)}
    hints = {
        j: officer_index[hints_by_id[dossier_id]]
        for j, dossier_id in enumerate(model.dossier_ids)
        if hints_by_id.get(dossier_id) in officer_index
    }
    search.construct(hints)
    parts = _components(model)
    rnd = random.Random(seed).random
    search_end = deadline - reserve
    movable_parts = [part for part in parts if part[1]]
    total_movable = sum(len(items) for _, items in movable_parts) or 1
    remaining = total_movable
    iterations = 0
    for officers, items in movable_parts:  # time (or moves) shared by movable dossiers
        now = time.perf_counter()
        part_deadline = now + max(0.0, search_end - now) * len(items) / remaining
        budget = -1 if max_iterations is None else round(max_iterations * len(items) / total_movable)
        if budget != 0:
            iterations += _search_component(search, officers, items, rnd, part_deadline, budget)
        remaining -= len(items)
    search.bound = model.late_bound(parts, search)
    return model, search, iterations


def solve(
    problem: Problem,
    *,
    seconds: float = 10.0,
    seed: int = 0,
    max_iterations: int | None = None,
    initial: Mapping[str, str] | None = None,
    keep: Mapping[str, str] | None = None,
    clock: Clock | None = None,
) -> AssignmentPlan:
    """Assign every open dossier to an officer and order every queue, within ``seconds``.

    ``initial`` (dossier id → officer id; default: each dossier's current ``assignee``) seeds
    the construction where the rules allow.  ``keep`` fixes dossiers to officers for this run.
    Pinned dossiers always stay with their officer unless that officer is absent.  The result
    is deterministic for a ``seed`` when ``max_iterations``, not the clock, ends the search.
    ``clock`` turns minutes from now into words for the explanations (default: "in N working
    hours").  ``seconds`` covers everything, explanations included.
    """
    started = time.perf_counter()
    deadline = started + max(0.0, seconds)
    reserve = 0.1 + 0.0003 * len(problem.dossiers)  # bounds and explanations, ≈ 0.3 ms a dossier
    model, search, iterations = _optimise(
        problem,
        deadline=deadline,
        seed=seed,
        max_iterations=max_iterations,
        initial=initial,
        keep=keep or {},
        reserve=reserve,
    )
    return _plan(model, search, search.bound, iterations, started, clock)


def replan(
    problem: Problem,
    previous: AssignmentPlan,
    *,
    absent: Collection[str] = (),
    release: Collection[str] = (),
    seconds: float = 0.5,
    seed: int = 0,
    max_iterations: int | None = None,
    clock: Clock | None = None,
) -> AssignmentPlan:
    """Re-plan only what must move: the dossiers of ``absent`` officers and ``release``d ones.

    Every other dossier keeps its officer; the moved ones may go to any eligible officer and
    the touched queues are re-ordered.  Only the officers who could take a moved dossier (and
    their mentors) are searched, so one department re-plans in well under a second.  The
    lower bound is recomputed for the touched communes; explanations for the touched pools.
    """
    started = time.perf_counter()
    deadline = started + max(0.0, seconds)
    problem = problem.with_absent(absent) if absent else problem
    owner = {dossier_id: officer_id for officer_id, queue in previous.queues.items() for dossier_id in queue}
    moved = {d for o in problem.absent for d in previous.queues.get(o, ())} | set(release)
    unknown = set(release) - set(problem.dossier_by_id)
    if unknown:
        raise ValueError(f"unknown dossiers: {sorted(unknown)}")
    by_place: dict[tuple[str, str], list[str]] = defaultdict(list)
    for officer in problem.officers:
        for pool in {officer.department, *officer.pools}:
            by_place[officer.commune, pool].append(officer.id)
    chosen: set[str] = set(problem.absent)
    for dossier_id in moved:
        dossier = problem.dossier_by_id[dossier_id]
        chosen.update(by_place.get((dossier.commune, dossier.pool), ()))
    frontier = list(chosen)
    while frontier:  # mentors must be in the sub-problem to judge learners
        officer = problem.officer_by_id[frontier.pop()]
        for mentor in officer.learning.values():
            if mentor not in chosen:
                chosen.add(mentor)
                frontier.append(mentor)
    officers = tuple(o for o in problem.officers if o.id in chosen)
    dossier_ids = moved | {d for o in chosen for d in previous.queues.get(o, ())}
    dossiers = tuple(d for d in problem.dossiers if d.id in dossier_ids)
    sub = Problem(officers, dossiers, problem.config, problem.absent & chosen)
    keep = {d: owner[d] for d in dossier_ids - moved if d in owner}
    model, search, iterations = _optimise(
        sub,
        deadline=deadline,
        seed=seed,
        max_iterations=max_iterations,
        initial={},
        keep=keep,
        reserve=0.0002 * len(dossiers) + 0.05,
    )
    queues = dict(previous.queues)
    for o, officer_id in enumerate(model.officer_ids):
        queues[officer_id] = [model.dossier_ids[j] for j in search.queue(o)]
    unassigned = {d: reason for d, reason in previous.unassigned.items() if d not in moved}
    unassigned.update({model.dossier_ids[j]: reason for j, reason in model.unassignable.items()})
    broken = dict(previous.broken_pins) | model.broken_pins
    communes = {problem.dossier_by_id[d].commune for d in dossier_ids}
    local = problem_late_lower_bound(
        replace(problem, dossiers=tuple(d for d in problem.dossiers if d.commune in communes))
    )
    # Losing an officer only removes options, so the previous bound still holds; keep the better.
    by_commune = dict(previous.lower_bound.by_commune)
    for c, n in local.by_commune.items():
        by_commune[c] = max(n, by_commune.get(c, 0))
    inevitable = {
        d for d in previous.lower_bound.inevitable if problem.dossier_by_id[d].commune not in communes
    } | local.inevitable
    bound = LateBound(sum(by_commune.values()), by_commune, frozenset(inevitable))
    places = {(o.commune, pool) for o in officers for pool in {o.department, *o.pools}}
    touched = chosen | {
        o.id
        for o in problem.officers
        if any((o.commune, pool) in places for pool in {o.department, *o.pools})
    }
    return _finish(
        problem, queues, unassigned, bound, broken, iterations, started, None, clock, previous, touched
    )


def _plan(
    model: _Model, search: _Search, bound: LateBound, iterations: int, started: float, clock: Clock | None
) -> AssignmentPlan:
    problem = model.problem
    queues = {model.officer_ids[o]: [model.dossier_ids[j] for j in search.queue(o)] for o in range(model.m)}
    tracked = Score(
        sum(search.mlate) + len(model.unassignable),
        sum(search.late),
        sum(search.val) - search.wh * sum(search.mlate) - search.wl * sum(search.late),
    )
    unassigned = {model.dossier_ids[j]: reason for j, reason in sorted(model.unassignable.items())}
    return _finish(problem, queues, unassigned, bound, model.broken_pins, iterations, started, tracked, clock)


def _finish(
    problem: Problem,
    queues: dict[str, list[str]],
    unassigned: dict[str, Term],
    bound: LateBound,
    broken_pins: dict[str, str],
    iterations: int,
    started: float,
    tracked: Score | None,
    clock: Clock | None,
    previous: AssignmentPlan | None = None,
    changed: Collection[str] = (),
) -> AssignmentPlan:
    """Time the queues, add up the terms, explain every assignment (or only ``changed`` officers')."""
    config = problem.config
    rows = {}
    terms = dict(previous.officer_terms) if previous is not None else {}
    redo = set(changed) if previous is not None else set(queues)
    for officer in problem.officers:
        if officer.id in redo:
            row, end = time_queue(problem, officer, queues[officer.id])
            rows[officer.id] = row
            terms[officer.id] = officer_terms(row, end, config)
    breakdown = Breakdown.total(len(unassigned), (terms[o.id] for o in problem.officers))
    assignments = dict(previous.assignments) if previous is not None else {}
    for officer_id in redo:
        for dossier_id in previous.queues.get(officer_id, ()) if previous is not None else ():
            assignments.pop(dossier_id, None)
    assignments.update(explain_dossiers(problem, queues, rows, clock))
    for dossier_id in unassigned:
        assignments.pop(dossier_id, None)
    return AssignmentPlan(
        queues=queues,
        assignments=assignments,
        unassigned=unassigned,
        breakdown=breakdown,
        officer_terms=terms,
        lower_bound=bound,
        load=_load_stats(problem, terms),
        broken_pins=broken_pins,
        iterations=iterations,
        seconds=time.perf_counter() - started,
        tracked_score=tracked if tracked is not None else breakdown.score,
    )


def _load_stats(problem: Problem, terms: Mapping[str, OfficerTerms]) -> LoadStats:
    hour = 60.0
    ends = [terms[o.id].end / hour for o in problem.officers if is_available(o, problem)]
    work = [terms[o.id].work / hour for o in problem.officers if is_available(o, problem)]
    if not ends:
        return LoadStats(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    mean = sum(ends) / len(ends)
    stdev = (sum((e - mean) ** 2 for e in ends) / len(ends)) ** 0.5
    return LoadStats(
        officers=len(ends),
        mean_end_hours=round(mean, 2),
        min_end_hours=round(min(ends), 2),
        max_end_hours=round(max(ends), 2),
        stdev_end_hours=round(stdev, 2),
        mean_planned_hours=round(sum(work) / len(work), 2),
        max_planned_hours=round(max(work), 2),
    )
