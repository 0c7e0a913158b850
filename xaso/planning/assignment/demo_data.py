"""Generated work assignment instances for tests, demos and the province benchmark (seeded).

Each commune has the four standard departments (Decree 150/2025/NĐ-CP): ``office``,
``economy``, ``culture_social`` and the one-stop ``service_center``.  Simple civil-status and
certification dossiers often go to the service center's shared pool, which some office staff
also serve.  Levels, hours, leave and due times are drawn to look like a busy fortnight: most
queues fit, a few pools are overloaded, some dossiers are already overdue.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from xaso.planning.assignment.problem import AssignmentConfig, Dossier, Officer, Problem

DEPARTMENT_FIELDS: dict[str, tuple[str, ...]] = {
    "office": ("civil_status", "certification", "complaints"),
    "economy": ("land", "construction", "business", "agriculture"),
    "culture_social": ("social_protection", "meritorious_people", "poverty_reduction"),
    "service_center": ("civil_status", "certification", "business"),
}
_FIELD_DEPARTMENT = {
    "civil_status": "office",
    "certification": "office",
    "complaints": "office",
    "land": "economy",
    "construction": "economy",
    "business": "economy",
    "agriculture": "economy",
    "social_protection": "culture_social",
    "meritorious_people": "culture_social",
    "poverty_reduction": "culture_social",
}
# field: (share of dossiers, (min hours, max hours), typical required levels)
_FIELDS: dict[str, tuple[float, tuple[float, float], tuple[int, ...]]] = {
    "civil_status": (0.24, (0.5, 2.0), (1, 2, 2, 3)),
    "certification": (0.20, (0.25, 1.0), (1, 1, 2)),
    "land": (0.14, (2.0, 8.0), (2, 3, 3, 4)),
    "construction": (0.06, (2.0, 6.0), (2, 3, 4)),
    "business": (0.09, (1.0, 3.0), (2, 2, 3)),
    "agriculture": (0.04, (1.0, 4.0), (1, 2, 3)),
    "social_protection": (0.10, (1.0, 4.0), (2, 2, 3)),
    "meritorious_people": (0.04, (1.0, 4.0), (2, 3)),
    "poverty_reduction": (0.04, (1.0, 3.0), (1, 2, 3)),
    "complaints": (0.05, (2.0, 8.0), (3, 3, 4)),
}
_STAFF = (("service_center", 0.2), ("office", 0.27), ("economy", 0.3), ("culture_social", 0.23))
_NAMES = (
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Khánh",
    "Lan",
    "Minh",
    "Ngọc",
    "Phúc",
    "Quân",
    "Thảo",
    "Vy",
)


@dataclass
class _Draft:
    id: str
    department: str
    levels: dict[str, int]
    leave: frozenset[int]
    hours: float
    queue: float
    pools: frozenset[str]
    name: str


def _officers(rng: random.Random, commune: str, count: int, horizon: int, start: int) -> list[Officer]:
    departments: list[str] = []
    for department, share in _STAFF:
        departments += [department] * max(1, round(share * count))
    departments = departments[:count] + ["economy"] * (count - len(departments))
    drafts: list[_Draft] = []
    for i, department in enumerate(departments):
        fields = list(DEPARTMENT_FIELDS[department])
        held = rng.sample(fields, rng.randint(min(2, len(fields)), len(fields)))
        leave: frozenset[int] = frozenset()
        if rng.random() < 0.08 and horizon:
            first = rng.randrange(horizon)
            leave = frozenset(range(first, min(horizon, first + rng.randint(1, 5))))
        drafts.append(
            _Draft(
                id=f"{commune}-o{i:02d}",
                department=department,
                levels={f: rng.choice((1, 2, 3, 3, 4, 4, 5)) for f in held},
                leave=leave,
                hours=4.0 if rng.random() < 0.1 else 8.0,
                queue=round(rng.uniform(0, 12), 1),
                pools=frozenset({"service_center"})
                if department == "office" and rng.random() < 0.3
                else frozenset(),
                name=f"{_NAMES[(start + i) % len(_NAMES)]} {commune}-{i:02d}",
            )
        )
    officers = []
    for draft in drafts:
        levels = draft.levels
        learning: dict[str, str] = {}
        for field_code in DEPARTMENT_FIELDS[draft.department]:
            if levels.get(field_code, 0) < 3 and rng.random() < 0.15:
                mentors = [
                    d.id
                    for d in drafts
                    if d.department == draft.department and d.levels.get(field_code, 0) >= 4
                ]
                if mentors:
                    learning[field_code] = rng.choice(mentors)
        top = sorted(levels, key=lambda f: (-levels[f], f))
        officers.append(
            Officer(
                id=draft.id,
                commune=commune,
                department=draft.department,
                levels=levels,
                hours_per_day=draft.hours,
                leave_days=draft.leave,
                queue_hours=draft.queue,
                learning=learning,
                recent_fields=frozenset(top[: rng.randint(1, 2)]),
                pools=draft.pools,
                name=draft.name,
            )
        )
    return officers


def _dossiers(
    rng: random.Random, commune: str, count: int, officers: list[Officer], load: float
) -> list[Dossier]:
    fields = list(_FIELDS)
    weights = [_FIELDS[f][0] for f in fields]
    by_pool: dict[str, list[Officer]] = {}
    for officer in officers:
        for pool in {officer.department, *officer.pools}:
            by_pool.setdefault(pool, []).append(officer)
    items = []
    for i in range(count):
        field_code = rng.choices(fields, weights)[0]
        _, (low, high), levels = _FIELDS[field_code]
        pool = _FIELD_DEPARTMENT[field_code]
        if field_code in DEPARTMENT_FIELDS["service_center"] and rng.random() < 0.6:
            pool = "service_center"
        hours = round(rng.uniform(low, high) * 4) / 4 or 0.25
        if rng.random() < 0.01:
            due = -round(rng.uniform(0, 8), 1)
        else:
            due = round(hours + rng.uniform(2, 72) * load, 1)
        assignee = None
        if rng.random() < 0.5 and by_pool.get(pool):
            assignee = rng.choice(by_pool[pool]).id
        items.append(
            Dossier(
                id=f"{commune}-d{i:04d}",
                commune=commune,
                field=field_code,
                required_level=rng.choice(levels),
                hours=hours,
                due_hours=due,
                pool=pool,
                assignee=assignee,
                title=f"{field_code} #{i}",
            )
        )
    return items


def generate(
    *,
    communes: int,
    officers: int,
    dossiers: int,
    seed: int = 1,
    horizon_days: int = 10,
    load: float = 1.0,
    pinned_share: float = 0.01,
) -> Problem:
    """``communes`` communes sharing ``officers`` and ``dossiers`` evenly.

    ``load`` scales the spread of due times (smaller = tighter deadlines).  About
    ``pinned_share`` of the dossiers that have an assignee qualified for them are pinned.
    """
    rng = random.Random(seed)
    all_officers: list[Officer] = []
    all_dossiers: list[Dossier] = []
    for c in range(communes):
        commune = f"c{c:02d}"
        staff = _officers(
            rng, commune, officers // communes + (1 if c < officers % communes else 0), horizon_days, c
        )
        all_officers += staff
        count = dossiers // communes + (1 if c < dossiers % communes else 0)
        all_dossiers += _dossiers(rng, commune, count, staff, load)
    by_id = {o.id: o for o in all_officers}
    pinned: list[Dossier] = []
    for dossier in all_dossiers:
        holder = by_id.get(dossier.assignee or "")
        if (
            holder is not None
            and holder.level(dossier.field) >= dossier.required_level
            and rng.random() < pinned_share * 2
        ):
            dossier = replace(
                dossier,
                pinned=True,
                pin_reason="the citizen asked for the officer who received the first dossier",
                pinned_by="head of department",
            )
        pinned.append(dossier)
    return Problem(tuple(all_officers), tuple(pinned), AssignmentConfig(horizon_days=horizon_days))


def demo_problem(seed: int = 1) -> Problem:
    """One commune, 15 officers, 120 open dossiers."""
    return generate(communes=1, officers=15, dossiers=120, seed=seed)


def province_problem(seed: int = 7) -> Problem:
    """The benchmark size: 40 communes, 1,200 officers, 20,000 open dossiers."""
    return generate(communes=40, officers=1200, dossiers=20_000, seed=seed)
