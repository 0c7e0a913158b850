"""Generated rotation instances for tests, demos and the benchmark (seeded).

Each commune has 15 job positions in its four departments (Decree 150/2025/NĐ-CP): four
leadership posts and eleven others, eight of them in fields with a periodic-transfer rule.
Officers fill the seats; tenure, ages, retirements, exemptions, designated successors and
scheduled training are drawn so that most rotating staff fall due within three years, some
retire, a few are exempt, and department limits make the plan a real trade-off.

The periods below are *illustrative configuration* (2–5 years per field, as Decree 59/2019
allows), not the regulation's appendix.
"""

from __future__ import annotations

import random
from dataclasses import replace

from xaso.planning.rotation.problem import (
    Officer,
    Position,
    RotationConfig,
    RotationProblem,
    RotationRule,
    Training,
)

RULES: dict[str, RotationRule] = {
    rule.field: rule
    for rule in (
        RotationRule("personnel", 3, "Tổ chức cán bộ"),
        RotationRule("public_finance", 3, "Tài chính - kế toán"),
        RotationRule("public_assets", 4, "Quản lý tài sản công"),
        RotationRule("land", 3, "Địa chính - đất đai"),
        RotationRule("construction", 4, "Xây dựng"),
        RotationRule("business", 4, "Đăng ký kinh doanh"),
        RotationRule("social_protection", 4, "Chính sách xã hội"),
        RotationRule("citizen_services", 3, "Tiếp nhận và trả kết quả"),
    )
}

# (department, title, field, leadership, share of the commune's non-leader seats)
_TEMPLATES: tuple[tuple[str, str, str, bool, float], ...] = (
    ("office", "Chánh Văn phòng", "administration", True, 0.0),
    ("economy", "Trưởng phòng Kinh tế", "economy_management", True, 0.0),
    ("culture_social", "Trưởng phòng Văn hóa - Xã hội", "social_management", True, 0.0),
    ("service_center", "Giám đốc Trung tâm", "service_management", True, 0.0),
    ("office", "Tổ chức cán bộ", "personnel", False, 0.07),
    ("office", "Kế toán ngân sách", "public_finance", False, 0.09),
    ("office", "Văn thư - lưu trữ", "records", False, 0.08),
    ("office", "Tư pháp - hộ tịch", "civil_status", False, 0.11),
    ("economy", "Địa chính - đất đai", "land", False, 0.12),
    ("economy", "Xây dựng - hạ tầng", "construction", False, 0.08),
    ("economy", "Quản lý tài sản công", "public_assets", False, 0.06),
    ("economy", "Đăng ký kinh doanh", "business", False, 0.07),
    ("culture_social", "Lao động - chính sách", "social_protection", False, 0.11),
    ("culture_social", "Văn hóa - thông tin", "culture", False, 0.09),
    ("service_center", "Tiếp nhận và trả kết quả", "citizen_services", False, 0.12),
)
_LEAD_FIELD = {
    "office": "administration",
    "economy": "economy_management",
    "culture_social": "social_management",
    "service_center": "service_management",
}
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


def _positions(commune: str, seats: int, per_commune: int) -> list[Position]:
    templates = list(_TEMPLATES[:per_commune])
    leaders = sum(1 for t in templates if t[3])
    shares = sum(t[4] for t in templates) or 1.0
    staff_seats = max(0, seats - leaders)
    positions = []
    for i, (department, title, field, leadership, share) in enumerate(templates):
        headcount = 1 if leadership else max(1, round(staff_seats * share / shares))
        minimum = {field: 4, "management": 3} if leadership else {field: 2}
        positions.append(
            Position(
                id=f"{commune}-p{i:02d}",
                commune=commune,
                department=department,
                title=title,
                field=field,
                min_levels=minimum,
                headcount=headcount,
                min_staff=headcount if headcount < 3 else headcount - 1,
                leadership=leadership,
            )
        )
    return positions


def _officers(
    rng: random.Random, commune: str, count: int, positions: list[Position], years: int, start: int
) -> tuple[list[Officer], list[Training]]:
    seats = [p for p in positions for _ in range(p.headcount)]
    rng.shuffle(seats)
    seats.sort(key=lambda p: not p.leadership)  # leaders first, so every leadership post is held
    fields = sorted({p.field for p in positions if not p.leadership})
    officers, trainings = [], []
    for i in range(count):
        position = seats[i % len(seats)]
        age = rng.randint(24, 59) if not position.leadership else rng.randint(38, 58)
        levels = {position.field: rng.choice((2, 3, 3, 4, 4, 5))}
        if position.leadership:
            levels.update({position.field: rng.choice((4, 5)), "management": rng.choice((3, 4))})
        for other in rng.sample(fields, rng.randint(2, 4)):  # commune staff are generalists
            levels.setdefault(other, rng.choice((1, 2, 2, 3, 3, 4)))
        department_lead = _LEAD_FIELD[position.department]
        if not position.leadership and rng.random() < 0.25:
            levels[department_lead] = rng.choice((3, 4, 4, 5))
            levels["management"] = rng.choice((2, 3, 3, 4))
        experienced = sorted(
            f for f, level in levels.items() if level >= 2 and f in fields and f != position.field
        )
        held = frozenset(rng.sample(experienced, min(len(experienced), rng.randint(0, 2))))
        retire_age = 60 if rng.random() < 0.5 else 62
        retirement = retire_age - age + 1
        exemptions: dict[str, int] = {}
        roll = rng.random()
        if roll < 0.03 and age < 40:
            exemptions["pregnancy"] = 1
        elif roll < 0.08 and age < 42:
            exemptions["young_child"] = rng.randint(1, 2)
        officer_id = f"{commune}-o{i:03d}"
        if rng.random() < 0.12:
            target = rng.choice(fields)
            trainings.append(Training(officer_id, target, 3, rng.randint(1, max(1, years - 1))))
        officers.append(
            Officer(
                id=officer_id,
                position=position.id,
                years_in_position=rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 5, 6)),
                age=age,
                levels=levels,
                fields_held=held,
                retirement_year=retirement if retirement <= years else None,
                exemptions=exemptions,
                name=f"{_NAMES[(start + i) % len(_NAMES)]} {commune}-{i:03d}",
            )
        )
    # Two designated successors for each leadership post, from its department.
    department_of = {p.id: p.department for p in positions}
    for position in positions:
        if not position.leadership:
            continue
        pool = [
            o
            for o in officers
            if o.position != position.id
            and o.levels.get(position.field, 0) >= 3
            and o.levels.get("management", 0) >= 2
            and department_of[o.position] == position.department
        ]
        for chosen in sorted(pool, key=lambda o: (-o.levels.get(position.field, 0), o.id))[:2]:
            index = officers.index(chosen)
            officers[index] = replace(chosen, successor_for=chosen.successor_for | {position.id})
            if chosen.levels.get(position.field, 0) < 4 or chosen.levels.get("management", 0) < 3:
                trainings.append(Training(chosen.id, "management", 3, 1))
                trainings.append(Training(chosen.id, position.field, 4, min(2, years)))
    return officers, trainings


def generate(
    *,
    communes: int,
    officers: int,
    positions: int,
    years: int = 3,
    seed: int = 1,
    per_commune: int = 15,
    max_move_share: float = 0.25,
) -> RotationProblem:
    """``communes`` communes in a ring (each the neighbour of the next), positions and
    officers shared evenly; seats are about 3% more than officers."""
    rng = random.Random(seed)
    all_positions: list[Position] = []
    all_officers: list[Officer] = []
    all_trainings: list[Training] = []
    per_commune = min(per_commune, max(1, positions // communes))
    for c in range(communes):
        commune = f"c{c:02d}"
        count = officers // communes + (1 if c < officers % communes else 0)
        items = _positions(commune, round(count * 1.03), per_commune)
        staff, trainings = _officers(rng, commune, count, items, years, c)
        all_positions += items
        all_officers += staff
        all_trainings += trainings
    neighbours = {
        f"c{c:02d}": frozenset({f"c{(c - 1) % communes:02d}", f"c{(c + 1) % communes:02d}"} - {f"c{c:02d}"})
        for c in range(communes)
    }
    return RotationProblem(
        positions=tuple(all_positions),
        officers=tuple(all_officers),
        config=RotationConfig(rules=RULES, max_move_share=max_move_share),
        trainings=tuple(all_trainings),
        years=years,
        neighbours=neighbours,
    )


def demo_problem(seed: int = 6, max_move_share: float = 0.34) -> RotationProblem:
    """One commune with 50 officers and 15 positions over 3 years (the demo's commune plan).

    With a third of a department allowed to change per year, this commune's plan meets every
    transfer duty; with a quarter (the default configuration) a few fall overdue."""
    return generate(communes=1, officers=50, positions=15, seed=seed, max_move_share=max_move_share)


def province_problem(seed: int = 7) -> RotationProblem:
    """The benchmark size: 40 communes, 2,000 officers, 600 positions, 3 years."""
    return generate(communes=40, officers=2000, positions=600, seed=seed)
