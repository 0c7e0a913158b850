"""Exact minimum total completion time on unrelated machines (R||ΣCj) by assignment.

With no waiting, an employee whose tasks run in order t1..tk finishes them at
d1, d1+d2, ...; the sum of those end times is Σ (k - i + 1)·di: the task in the j-th slot
*from the end* counts j times.  Choosing for every task an (employee, slot-from-end) pair
is therefore an assignment problem with cost j·d(employee, task) (Horn 1973; Bruno,
Coffman and Sethi 1974), and the optimal order inside each employee is shortest first.

The solver below is the row-by-row Hungarian method with potentials (shortest augmenting
paths).  Slots are created lazily: an employee's slot j+1 is only added once slot j is
taken.  With positive durations a free slot j+1 always costs more than the free slot j of
the same employee for every task, and free columns keep potential 0, so the search would
never pick it first; the lazy run follows exactly the path of the run with all slots and
stays exact, while the matrix stays about (tasks) × (tasks + employees) instead of
(tasks) × (tasks × employees).
"""

from __future__ import annotations

from collections.abc import Sequence


def min_total_completion(
    tasks: Sequence[int],
    allowed: Sequence[Sequence[int]],
    duration: Sequence[Sequence[int]],
    employees: int,
) -> list[list[int]]:
    """Assign ``tasks`` to minimise the sum of their end times; lists come back shortest first.

    ``allowed[t]`` lists the employees task ``t`` may go to (not empty), ``duration[e][t]``
    is positive.  Returns one task list per employee index.
    """
    n = len(tasks)
    if n == 0:
        return [[] for _ in range(employees)]
    inf = float("inf")
    # Columns: index 0 is the Hungarian method's virtual column; each real column is a slot.
    col_emp = [-1]
    col_slot = [0]
    for e in range(employees):
        col_emp.append(e)
        col_slot.append(1)
    u = [0] * (n + 1)
    v = [0] * (employees + 1)
    owner = [0] * (employees + 1)  # row matched to each column (0: free)
    rows = [-1, *tasks]
    masks: dict[int, list[bool]] = {}
    for t in tasks:
        mask = [False] * employees
        for e in allowed[t]:
            mask[e] = True
        masks[t] = mask
    for i in range(1, n + 1):
        t = rows[i]
        owner[0] = i
        cols = len(col_emp)
        minv: list[float] = [inf] * cols
        used = [False] * cols
        way = [0] * cols
        j0 = 0
        while True:
            used[j0] = True
            i0 = owner[j0]
            t0 = rows[i0]
            ok = masks[t0]
            dur0 = duration
            u0 = u[i0]
            delta: float = inf
            j1 = -1
            for j in range(1, cols):
                if used[j]:
                    continue
                e = col_emp[j]
                if ok[e]:
                    cur = col_slot[j] * dur0[e][t0] - u0 - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                m = minv[j]
                if m < delta:
                    delta = m
                    j1 = j
            if j1 < 0:  # pragma: no cover - every task has an employee with a free slot
                raise ValueError(f"task {t} cannot be placed")
            step = int(delta)
            for j in range(cols):
                if used[j]:
                    u[owner[j]] += step
                    v[j] -= step
                else:
                    minv[j] -= step
            j0 = j1
            if owner[j0] == 0:
                break
        # The free column j0 gets taken: open the next slot of its employee.
        e = col_emp[j0]
        col_emp.append(e)
        col_slot.append(col_slot[j0] + 1)
        v.append(0)
        owner.append(0)
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    lists: list[list[tuple[int, int]]] = [[] for _ in range(employees)]
    for j in range(1, len(col_emp)):
        if owner[j]:
            lists[col_emp[j]].append((col_slot[j], rows[owner[j]]))
    # Largest slot-from-end first = shortest first.
    return [[t for _, t in sorted(items, reverse=True)] for items in lists]
