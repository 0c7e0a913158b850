"""Construction heuristic + late acceptance local search for Task Assigning.

Four observations keep the search small and the score updates cheap:

1. **Hard level.**  The missing-skill penalty of a task depends only on its employee, so in
   every optimal solution each task sits with an employee that lacks the fewest of its
   skills.  Each task's domain is restricted to those employees up front; the hard score is
   then optimal by construction (0 whenever some employee has all the skills).

2. **Order.**  When no task has a positive ready time, nobody ever waits, so for a fixed
   assignment the lexicographically best order of an employee's tasks is known: CRITICAL
   tasks first, then MAJOR, then MINOR, each group shortest-first (Smith's rule; durations
   are positive).  The soft1 end-time term does not depend on the order at all.  In this
   "sorted" mode the search only decides the assignment and each list stays sorted.

3. **soft0 exactly.**  In sorted mode soft0 only depends on where the CRITICAL tasks go, and
   minimising their summed end times is an assignment problem (``matching``).  The
   construction starts from that optimum; late acceptance never accepts a worse soft0
   afterwards, so the search spends its time on soft1..soft3.

4. **Incremental score.**  The five levels are folded into one exact Python integer
   (mixed radix, weights larger than any possible lower-level range), so comparing two
   solutions is one integer comparison.  In sorted mode, removing a task from (or inserting
   one into) a sorted list shifts every later task by its duration, which gives an O(log n)
   delta from per-employee prefix sums and class counts.  Otherwise (ready times present)
   only the changed employees' lists are re-timed.

The construction inserts the remaining tasks greedily (hardest first, best place).  The local
search is late acceptance hill climbing over change and swap moves (plus moves within a
list and 2-opt reversal when the order is free).  A seeded ``random.Random``
drives it; stop on ``seconds`` or ``max_iterations``, whichever comes first, and the best
solution seen is returned.
"""

from __future__ import annotations

import random
import time
from abc import ABC, abstractmethod
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from xaso.planning.task_assigning.matching import min_total_completion
from xaso.planning.task_assigning.problem import Priority, Problem
from xaso.planning.task_assigning.score import Score, score

_CLASS = {Priority.CRITICAL: 0, Priority.MAJOR: 1, Priority.MINOR: 2}


@dataclass(frozen=True)
class Progress:
    """Reported to ``on_progress`` when the best score improves (at most every 0.1 s)."""

    seconds: float
    iterations: int
    score: Score
    phase: str


@dataclass(frozen=True)
class SolveResult:
    assignment: dict[str, list[str]]
    """Employee ``@id`` → ordered task ``@id`` list (every employee present)."""
    score: Score
    iterations: int
    seconds: float
    sorted_mode: bool
    """True when the ordering rule of observation 2 applied (no positive ready times)."""
    tracked_score: Score
    """The incrementally maintained score of the same solution; equals ``score`` (tests check)."""


class _Model:
    """The problem as integer-indexed lists, plus the score weights."""

    def __init__(self, problem: Problem) -> None:
        tasks, employees = problem.tasks, problem.employees
        if tasks and not employees:
            raise ValueError("there are tasks but no employees")
        self.n = len(tasks)
        self.m = len(employees)
        self.task_ids = [task.id for task in tasks]
        self.employee_ids = [employee.id for employee in employees]
        self.task_index = {tid: i for i, tid in enumerate(self.task_ids)}
        self.employee_index = {eid: i for i, eid in enumerate(self.employee_ids)}
        self.cls = [_CLASS[task.priority] for task in tasks]
        self.ready = [task.ready_time for task in tasks]
        self.dur = [[employee.duration(task) for task in tasks] for employee in employees]
        miss = [[employee.missing_skills(task) for task in tasks] for employee in employees]
        allowed: list[list[int]] = []
        hard = 0
        for t in range(self.n):
            best = min(miss[e][t] for e in range(self.m))
            hard -= best
            allowed.append([e for e in range(self.m) if miss[e][t] == best])
        self.allowed = allowed
        self.hard = hard
        self.sorted_mode = all(r <= 0 for r in self.ready) and all(
            self.dur[e][t] > 0 for t in range(self.n) for e in allowed[t]
        )
        # Mixed-radix weights: every level lies in [-bound, 0], so folding
        # s0*W0 + s1*W1 + s2*W2 + s3 into one integer preserves lexicographic order.
        horizon = max([0, *self.ready]) + sum(max(self.dur[e][t] for e in allowed[t]) for t in range(self.n))
        self.radix_ends = self.n * horizon + 1  # soft0, soft2, soft3: sums of ≤ n end times
        self.radix_sq = self.m * horizon * horizon + 1  # soft1: sum of ≤ m squares
        self.w3 = 1
        self.w2 = self.radix_ends
        self.w1 = self.w2 * self.radix_ends
        self.w0 = self.w1 * self.radix_sq
        self.class_weight = (self.w0, self.w2, self.w3)

    def decode(self, value: int) -> Score:
        rest = -value
        s3, rest = rest % self.radix_ends, rest // self.radix_ends
        s2, rest = rest % self.radix_ends, rest // self.radix_ends
        s1, s0 = rest % self.radix_sq, rest // self.radix_sq
        return Score(self.hard, (-s0, -s1, -s2, -s3))

    def list_value(self, e: int, seq: Sequence[int]) -> int:
        """The folded soft score of employee ``e`` working through ``seq`` (full re-timing)."""
        dur, ready, cls, weight = self.dur[e], self.ready, self.cls, self.class_weight
        end = 0
        acc = 0
        for t in seq:
            r = ready[t]
            end = (r if r > end else end) + dur[t]
            acc += weight[cls[t]] * end
        return -(acc + self.w1 * end * end)

    def assignment(self, lists: Sequence[Sequence[int]]) -> dict[str, list[str]]:
        return {self.employee_ids[e]: [self.task_ids[t] for t in seq] for e, seq in enumerate(lists)}


class _Search(ABC):
    """Shared state: the employees' lists, where each task is, and the folded score."""

    def __init__(self, model: _Model) -> None:
        self.model = model
        self.seq: list[list[int]] = [[] for _ in range(model.m)]
        self.where = [-1] * model.n
        self.value = 0
        self.movable = [t for t in range(model.n) if len(model.allowed[t]) > 1]

    @abstractmethod
    def load(self, lists: Sequence[Sequence[int]]) -> None:
        """Replace the solution by ``lists`` (one task list per employee) and rescore it."""

    @abstractmethod
    def insertion(self, e: int, t: int) -> tuple[int, int]:
        """(delta, position) of the best tried position for unassigned task ``t`` in ``e``."""

    @abstractmethod
    def insert(self, e: int, t: int, position: int) -> None:
        """Put unassigned task ``t`` at ``position`` of ``e`` (the caller adds the delta)."""

    def has_moves(self) -> bool:
        return bool(self.movable)

    @abstractmethod
    def propose(self, rnd: Callable[[], float]) -> int | None:
        """Pick a random move, remember it, return its score delta (None: no move found)."""

    @abstractmethod
    def commit(self) -> None:
        """Apply the move of the last ``propose`` (the caller adds the delta)."""

    def start_lists(self, initial: Mapping[str, Sequence[str]]) -> list[list[int]]:
        """The usable part of ``initial``: known ids, each task once, on an allowed employee."""
        model = self.model
        lists: list[list[int]] = [[] for _ in range(model.m)]
        placed: set[int] = set()
        for emp_id, task_ids in initial.items():
            e = model.employee_index.get(emp_id)
            if e is None:
                continue
            for tid in task_ids:
                t = model.task_index.get(tid)
                if t is not None and t not in placed and e in model.allowed[t]:
                    lists[e].append(t)
                    placed.add(t)
        return lists

    def construct(self, initial: Mapping[str, Sequence[str]]) -> None:
        """Start from ``start_lists``, then insert the other tasks greedily at the best place."""
        model = self.model
        lists = self.start_lists(initial)
        placed = {t for seq in lists for t in seq}
        self.load(lists)
        # Hardest first: critical before major before minor, then the fewest employees
        # allowed, then the longest best-case duration.
        todo = sorted(
            (t for t in range(model.n) if t not in placed),
            key=lambda t: (
                model.cls[t],
                len(model.allowed[t]),
                -min(model.dur[e][t] for e in model.allowed[t]),
                t,
            ),
        )
        for t in todo:
            best: tuple[int, int, int] | None = None
            for e in model.allowed[t]:
                delta, position = self.insertion(e, t)
                if best is None or delta > best[0]:
                    best = (delta, e, position)
            assert best is not None
            self.insert(best[1], t, best[2])
            self.value += best[0]

    def snapshot(self) -> list[list[int]]:
        return [list(seq) for seq in self.seq]


class _SortedSearch(_Search):
    """Sorted mode: lists kept in canonical order, O(log n) move deltas (see module doc)."""

    def __init__(self, model: _Model) -> None:
        super().__init__(model)
        n, m = model.n, model.m
        # key = class, then duration, then index: a total order matching the rule.
        self.key = [
            [(model.cls[t] * (1 + max(model.dur[e], default=0)) + model.dur[e][t]) * n + t for t in range(n)]
            for e in range(m)
        ]
        self.keys: list[list[int]] = [[] for _ in range(m)]
        self.cum: list[list[int]] = [[] for _ in range(m)]  # end time of each position
        self.cend: list[list[int]] = [[0, 0, 0] for _ in range(m)]  # end of each class block
        self.tailw: list[list[int]] = [[0, 0, 0] for _ in range(m)]  # weight of later classes
        self.total = [0] * m
        self._pending: tuple[int, int, int, int] = (0, 0, 0, 0)
        self.movable_critical = [t for t in self.movable if model.cls[t] == 0]
        self.movable_other = [t for t in self.movable if model.cls[t] != 0]
        self.critical_share = 0.1

    def start_lists(self, initial: Mapping[str, Sequence[str]]) -> list[list[int]]:
        """CRITICAL tasks placed optimally for soft0 (see ``matching``), others from ``initial``.

        Non-critical tasks come after every critical one, so soft0 depends only on where the
        critical tasks are; the assignment method gives its exact optimum.
        """
        model = self.model
        critical = [t for t in range(model.n) if model.cls[t] == 0]
        lists = min_total_completion(critical, model.allowed, model.dur, model.m)
        for e, seq in enumerate(super().start_lists(initial)):
            lists[e].extend(t for t in seq if model.cls[t] != 0)
        return lists

    def load(self, lists: Sequence[Sequence[int]]) -> None:
        model = self.model
        self.value = 0
        for e in range(model.m):
            seq = sorted(lists[e], key=self.key[e].__getitem__)
            self.seq[e] = seq
            for t in seq:
                self.where[t] = e
            self._rebuild(e)
            self.value += model.list_value(e, seq)

    def _rebuild(self, e: int) -> None:
        model = self.model
        seq, dur, w = self.seq[e], model.dur[e], model.class_weight
        self.keys[e] = [self.key[e][t] for t in seq]
        cum: list[int] = []
        end = 0
        counts = [0, 0, 0]
        for t in seq:
            end += dur[t]
            cum.append(end)
            counts[model.cls[t]] += 1
        self.cum[e] = cum
        self.total[e] = end
        self.cend[e] = [counts[0], counts[0] + counts[1], len(seq)]
        self.tailw[e] = [w[1] * counts[1] + w[2] * counts[2], w[2] * counts[2], 0]

    def insertion(self, e: int, t: int) -> tuple[int, int]:
        model = self.model
        p = bisect_left(self.keys[e], self.key[e][t])
        q = model.cls[t]
        d = model.dur[e][t]
        wq = model.class_weight[q]
        pre = self.cum[e][p - 1] if p else 0
        after = self.cend[e][q] - p
        delta = -(wq * pre + d * (wq * (1 + after) + self.tailw[e][q] + model.w1 * (2 * self.total[e] + d)))
        return delta, p

    def insert(self, e: int, t: int, position: int) -> None:
        model = self.model
        d = model.dur[e][t]
        q = model.cls[t]
        cum = self.cum[e]
        pre = cum[position - 1] if position else 0
        self.seq[e].insert(position, t)
        self.keys[e].insert(position, self.key[e][t])
        cum.insert(position, pre + d)
        for j in range(position + 1, len(cum)):
            cum[j] += d
        self.total[e] += d
        cend, tailw, wq = self.cend[e], self.tailw[e], model.class_weight[q]
        for k in range(q, 3):
            cend[k] += 1
        for k in range(q):
            tailw[k] += wq
        self.where[t] = e

    def remove(self, e: int, t: int) -> None:
        model = self.model
        i = bisect_left(self.keys[e], self.key[e][t])
        d = model.dur[e][t]
        q = model.cls[t]
        del self.seq[e][i]
        del self.keys[e][i]
        cum = self.cum[e]
        del cum[i]
        for j in range(i, len(cum)):
            cum[j] -= d
        self.total[e] -= d
        cend, tailw, wq = self.cend[e], self.tailw[e], model.class_weight[q]
        for k in range(q, 3):
            cend[k] -= 1
        for k in range(q):
            tailw[k] -= wq

    def propose(self, rnd: Callable[[], float]) -> int | None:
        # CRITICAL tasks start at the soft0 optimum and can only move between ties, so they
        # get a small share of the moves.
        movable = self.movable_critical if rnd() < self.critical_share else self.movable_other
        if not movable:
            movable = self.movable
            if not movable:
                return None
        model = self.model
        t = movable[int(rnd() * len(movable))]
        where = self.where
        a = where[t]
        allowed = model.allowed[t]
        b = allowed[int(rnd() * (len(allowed) - 1))]
        if b == a:
            b = allowed[-1]
        cls, w, w1 = model.cls, model.class_weight, model.w1
        keys_a, cum_a, cend_a, tailw_a = self.keys[a], self.cum[a], self.cend[a], self.tailw[a]
        keys_b, cum_b, cend_b, tailw_b = self.keys[b], self.cum[b], self.cend[b], self.tailw[b]
        dur_a, dur_b, key_a, key_b = model.dur[a], model.dur[b], self.key[a], self.key[b]
        total_a, total_b = self.total[a], self.total[b]
        q1 = cls[t]
        w_1 = w[q1]
        d1a = dur_a[t]
        i1 = bisect_left(keys_a, key_a[t])
        pre = cum_a[i1 - 1] if i1 else 0
        # Remove t from a: it and every later task of a end d1a earlier.
        delta = w_1 * pre + d1a * (w_1 * (cend_a[q1] - i1) + tailw_a[q1] + w1 * (2 * total_a - d1a))
        d1b = dur_b[t]
        if rnd() < 0.5:
            # Change move: t joins b at its sorted position, delaying b's later tasks.
            p = bisect_left(keys_b, key_b[t])
            pre = cum_b[p - 1] if p else 0
            delta -= w_1 * pre + d1b * (w_1 * (1 + cend_b[q1] - p) + tailw_b[q1] + w1 * (2 * total_b + d1b))
            self._pending = (t, -1, a, b)
            return delta
        # Swap move: t goes to b and a task u of b (allowed with a) comes to a.
        seq_b = self.seq[b]
        if not seq_b:
            return None
        i2 = int(rnd() * len(seq_b))
        u = seq_b[i2]
        if a not in model.allowed[u]:
            return None
        q2 = cls[u]
        w_2 = w[q2]
        d2b = dur_b[u]
        pre = cum_b[i2 - 1] if i2 else 0
        delta += w_2 * pre + d2b * (w_2 * (cend_b[q2] - i2) + tailw_b[q2] + w1 * (2 * total_b - d2b))
        # Insert u into a without t.
        d2a = dur_a[u]
        p = bisect_left(keys_a, key_a[u])
        if p > i1:
            pre = cum_a[p - 1] - d1a
            p -= 1
        else:
            pre = cum_a[p - 1] if p else 0
        after = cend_a[q2] - (1 if q1 <= q2 else 0) - p
        tail = tailw_a[q2] - (w_1 if q1 > q2 else 0)
        delta -= w_2 * pre + d2a * (w_2 * (1 + after) + tail + w1 * (2 * (total_a - d1a) + d2a))
        # Insert t into b without u.
        p = bisect_left(keys_b, key_b[t])
        if p > i2:
            pre = cum_b[p - 1] - d2b
            p -= 1
        else:
            pre = cum_b[p - 1] if p else 0
        after = cend_b[q1] - (1 if q2 <= q1 else 0) - p
        tail = tailw_b[q1] - (w_2 if q2 > q1 else 0)
        delta -= w_1 * pre + d1b * (w_1 * (1 + after) + tail + w1 * (2 * (total_b - d2b) + d1b))
        self._pending = (t, u, a, b)
        return delta

    def commit(self) -> None:
        t, u, a, b = self._pending
        self.remove(a, t)
        if u >= 0:
            self.remove(b, u)
            self.insert(a, u, bisect_left(self.keys[a], self.key[a][u]))
        self.insert(b, t, bisect_left(self.keys[b], self.key[b][t]))


class _ListSearch(_Search):
    """General mode (ready times present): any order, changed lists are re-timed in full."""

    def __init__(self, model: _Model) -> None:
        super().__init__(model)
        self.val = [0] * model.m
        self._pending: tuple[int, list[int], int, list[int]] = (0, [], 0, [])

    def load(self, lists: Sequence[Sequence[int]]) -> None:
        model = self.model
        for e in range(model.m):
            self.seq[e] = list(lists[e])
            for t in self.seq[e]:
                self.where[t] = e
            self.val[e] = model.list_value(e, self.seq[e])
        self.value = sum(self.val)

    def _sort_key(self, e: int, t: int) -> tuple[int, int, int]:
        return (self.model.ready[t], self.model.cls[t], self.model.dur[e][t])

    def has_moves(self) -> bool:
        return bool(self.movable) or any(len(seq) > 1 for seq in self.seq)

    def insertion(self, e: int, t: int) -> tuple[int, int]:
        # Try the position given by (ready time, class, duration) and the end of the list.
        seq = self.seq[e]
        key = self._sort_key(e, t)
        spot = next((i for i, u in enumerate(seq) if self._sort_key(e, u) > key), len(seq))
        best: tuple[int, int] | None = None
        for position in {spot, len(seq)}:
            trial = [*seq[:position], t, *seq[position:]]
            delta = self.model.list_value(e, trial) - self.val[e]
            if best is None or delta > best[0]:
                best = (delta, position)
        assert best is not None
        return best

    def insert(self, e: int, t: int, position: int) -> None:
        self.seq[e].insert(position, t)
        self.where[t] = e
        self.val[e] = self.model.list_value(e, self.seq[e])

    def propose(self, rnd: Callable[[], float]) -> int | None:
        model = self.model
        n = model.n
        if n == 0:
            return None
        t = int(rnd() * n)
        a = self.where[t]
        seq_a = self.seq[a]
        i = seq_a.index(t)
        allowed = model.allowed[t]
        b = allowed[int(rnd() * len(allowed))]
        kind = rnd()
        if kind < 0.45:
            # Change: move t to a random position of b (b may be a).
            rest = seq_a[:i] + seq_a[i + 1 :]
            if b == a:
                j = int(rnd() * len(seq_a))
                new_a = [*rest[:j], t, *rest[j:]]
                new_b = new_a
            else:
                seq_b = self.seq[b]
                j = int(rnd() * (len(seq_b) + 1))
                new_a = rest
                new_b = [*seq_b[:j], t, *seq_b[j:]]
        elif kind < 0.85:
            # Swap t with a task of b (b may be a).
            seq_b = self.seq[b]
            j = int(rnd() * len(seq_b)) if seq_b else -1
            if j < 0 or seq_b[j] == t:
                return None
            u = seq_b[j]
            if a not in model.allowed[u]:
                return None
            if b == a:
                new_a = list(seq_a)
                new_a[i], new_a[j] = u, t
                new_b = new_a
            else:
                new_a = list(seq_a)
                new_a[i] = u
                new_b = list(seq_b)
                new_b[j] = t
        else:
            # 2-opt: reverse a stretch of a's list starting or ending at t.
            if len(seq_a) < 2:
                return None
            j = int(rnd() * len(seq_a))
            lo, hi = (i, j) if i < j else (j, i)
            if lo == hi:
                return None
            new_a = seq_a[:lo] + seq_a[lo : hi + 1][::-1] + seq_a[hi + 1 :]
            new_b = new_a
            b = a
        if b == a:
            delta = model.list_value(a, new_a) - self.val[a]
        else:
            delta = model.list_value(a, new_a) + model.list_value(b, new_b) - self.val[a] - self.val[b]
        self._pending = (a, new_a, b, new_b)
        return delta

    def commit(self) -> None:
        a, new_a, b, new_b = self._pending
        model = self.model
        self.seq[a] = new_a
        self.val[a] = model.list_value(a, new_a)
        for t in new_a:
            self.where[t] = a
        if b != a:
            self.seq[b] = new_b
            self.val[b] = model.list_value(b, new_b)
            for t in new_b:
                self.where[t] = b


def solve(
    problem: Problem,
    *,
    seconds: float = 10.0,
    seed: int = 0,
    max_iterations: int | None = None,
    late_acceptance_size: int | None = None,
    initial: Mapping[str, Sequence[str]] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> SolveResult:
    """Find a good assignment within ``seconds`` (and ``max_iterations`` local search moves).

    The result is deterministic for a given ``seed`` when the iteration limit, not the
    clock, ends the search.  ``initial`` (default: the problem's own task lists) seeds the
    construction heuristic.
    """
    started = time.perf_counter()
    deadline = started + max(0.0, seconds)
    model = _Model(problem)
    search: _Search = _SortedSearch(model) if model.sorted_mode else _ListSearch(model)
    search.construct(problem.initial_assignment if initial is None else initial)

    def report(phase: str, iterations: int, value: int) -> None:
        if on_progress is not None:
            on_progress(Progress(time.perf_counter() - started, iterations, model.decode(value), phase))

    report("construction", 0, search.value)
    best_lists = search.snapshot()
    best = current = search.value
    rnd = random.Random(seed).random
    # Longer runs afford a longer memory (slower convergence, better optimum).
    size = max(1, late_acceptance_size or min(50_000, max(500, round(1000 * seconds))))
    history = [current] * size
    limit = -1 if max_iterations is None else max_iterations
    iterations = 0
    next_report = 0.0
    best_is_current = True
    propose, commit = search.propose, search.commit
    if not search.has_moves():
        limit = 0
    while iterations != limit:
        if not iterations & 255:
            now = time.perf_counter()
            if now >= deadline:
                break
        slot = iterations % size
        iterations += 1
        delta = propose(rnd)
        if delta is not None:
            candidate = current + delta
            if candidate >= current or candidate >= history[slot]:
                if delta < 0 and best_is_current:
                    best_lists = search.snapshot()
                    best_is_current = False
                commit()
                current = candidate
                if current > best:
                    best = current
                    best_is_current = True
                    now = time.perf_counter()
                    if now >= next_report:
                        next_report = now + 0.1
                        report("local search", iterations, best)
        history[slot] = current
    if best_is_current:
        best_lists = search.snapshot()
    assignment = model.assignment(best_lists)
    final = score(problem, assignment)
    report("done", iterations, best)
    return SolveResult(
        assignment=assignment,
        score=final,
        iterations=iterations,
        seconds=time.perf_counter() - started,
        sorted_mode=model.sorted_mode,
        tracked_score=model.decode(best),
    )
