"""A small generated Task Assigning instance for tests and demos (seeded, so reproducible)."""

from __future__ import annotations

import random

from xaso.planning.task_assigning.problem import (
    Affinity,
    Customer,
    Employee,
    Priority,
    Problem,
    Skill,
    Task,
    TaskType,
)

_SKILLS = ("Thẩm định hồ sơ", "Hộ tịch", "Đất đai", "Tư pháp", "Văn thư", "Kế toán")
_CUSTOMERS = ("Thôn Đông", "Thôn Tây", "Thôn Nam", "Thôn Bắc", "Hợp tác xã", "Trường học", "Trạm y tế")
_NAMES = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Ngọc")


def demo_problem(
    tasks: int = 40,
    employees: int = 6,
    *,
    seed: int = 1,
    ready_times: bool = False,
    task_types: int = 8,
) -> Problem:
    """A feasible instance: every task type's skills are held by at least one employee.

    With ``ready_times`` about half the tasks become ready between 0 and 200, which makes
    the solver use its general (any order) mode.
    """
    rng = random.Random(seed)
    skills = tuple(Skill(f"Skill#{i}", name) for i, name in enumerate(_SKILLS))
    customers = tuple(Customer(f"Customer#{i}", name) for i, name in enumerate(_CUSTOMERS))
    types = tuple(
        TaskType(
            id=f"TaskType#{i}",
            base_duration=rng.randint(5, 40),
            required_skills=tuple(rng.sample(skills, rng.choice((1, 1, 2)))),
            code=f"Loại {i}",
            title=f"T{i}",
        )
        for i in range(task_types)
    )
    staff_skills = [set(rng.sample(skills, rng.randint(2, 3))) for _ in range(employees)]
    for task_type in types:  # make every type doable by someone
        if not any(set(task_type.required_skills) <= held for held in staff_skills):
            staff_skills[rng.randrange(employees)].update(task_type.required_skills)
    levels = list(Affinity)
    staff = tuple(
        Employee(
            id=f"Employee#{i}",
            skills=frozenset(staff_skills[i]),
            affinity_map={c.id: rng.choice(levels) for c in customers if rng.random() < 0.8},
            full_name=_NAMES[i % len(_NAMES)] + ("" if i < len(_NAMES) else f" {i // len(_NAMES) + 1}"),
        )
        for i in range(employees)
    )
    priorities = list(Priority)
    per_type: dict[str, int] = {}
    items = []
    for i in range(tasks):
        task_type = rng.choice(types)
        per_type[task_type.id] = per_type.get(task_type.id, 0) + 1
        items.append(
            Task(
                id=f"Task#{i}",
                task_type=task_type,
                customer=rng.choice(customers),
                priority=rng.choice(priorities),
                ready_time=rng.choice((0, rng.randint(0, 200))) if ready_times else 0,
                index_in_task_type=per_type[task_type.id],
            )
        )
    return Problem(skills, types, customers, tuple(items), staff)
