"""Realistic demo staff for every commune, generated with a fixed seed.

The staffing pattern follows the standard commune departments (Decree 150/2025/NĐ-CP);
job titles follow common commune job positions (the full coded list of dispatch
7415/BNV was not retrieved, so these titles are illustrative). Some communes are left
without an IT officer and some officers work outside their field of training, because
that is the situation the city reported after the reform (docs: domain brief §1).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

SURNAMES = [
    ("Nguyễn", 30),
    ("Trần", 12),
    ("Lê", 10),
    ("Phạm", 7),
    ("Hoàng", 6),
    ("Huỳnh", 4),
    ("Phan", 5),
    ("Võ", 5),
    ("Đặng", 3),
    ("Bùi", 3),
    ("Đỗ", 2),
    ("Hồ", 4),
    ("Ngô", 2),
    ("Dương", 2),
    ("Tôn Nữ", 1),
    ("Trương", 2),
    ("Văn", 1),
    ("Lương", 1),
]
MIDDLE = {
    "M": ["Văn", "Đức", "Hữu", "Quang", "Minh", "Thanh", "Công", "Xuân"],
    "F": ["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hoài"],
}
GIVEN = {
    "M": [
        "Anh",
        "Bảo",
        "Cường",
        "Dũng",
        "Hải",
        "Hiếu",
        "Hùng",
        "Khoa",
        "Long",
        "Nam",
        "Phong",
        "Phúc",
        "Quân",
        "Sơn",
        "Tài",
        "Thắng",
        "Tiến",
        "Toàn",
        "Trung",
        "Tuấn",
        "Việt",
        "Vinh",
    ],
    "F": [
        "An",
        "Châu",
        "Diệp",
        "Giang",
        "Hà",
        "Hằng",
        "Hạnh",
        "Hoa",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Ngân",
        "Nhung",
        "Oanh",
        "Phượng",
        "Quyên",
        "Thảo",
        "Trang",
        "Uyên",
        "Vân",
        "Yến",
    ],
}


@dataclass(frozen=True)
class PostTemplate:
    department: str  # Department.Kind value, or "" for the leadership
    title: str
    role: str
    fields_of_study: tuple[str, ...]  # majors that fit the post
    count: int = 1
    vacancy_chance: float = 0.0  # chance the post is not filled in a given commune


POSTS: tuple[PostTemplate, ...] = (
    PostTemplate("", "Chủ tịch UBND", "commune_leader", ("Quản lý nhà nước", "Luật", "Kinh tế")),
    PostTemplate(
        "service_center",
        "Phó Chủ tịch UBND, Giám đốc Trung tâm Phục vụ hành chính công",
        "commune_leader",
        ("Quản lý nhà nước", "Luật", "Hành chính học"),
    ),
    PostTemplate(
        "economy", "Phó Chủ tịch UBND phụ trách kinh tế", "commune_leader", ("Kinh tế", "Quản lý đất đai")
    ),
    PostTemplate("office", "Chánh Văn phòng HĐND và UBND", "department_head", ("Hành chính học", "Luật")),
    PostTemplate("office", "Công chức Tư pháp - Hộ tịch", "specialist", ("Luật",), count=2),
    PostTemplate(
        "office", "Công chức Văn phòng - Thống kê", "specialist", ("Văn thư lưu trữ", "Hành chính học")
    ),
    PostTemplate(
        "office",
        "Công chức Công nghệ thông tin",
        "specialist",
        ("Công nghệ thông tin", "Khoa học máy tính"),
        vacancy_chance=0.35,
    ),
    PostTemplate("economy", "Trưởng phòng Kinh tế", "department_head", ("Kinh tế", "Quản lý đất đai")),
    PostTemplate(
        "economy",
        "Công chức Địa chính - Xây dựng",
        "specialist",
        ("Quản lý đất đai", "Xây dựng"),
        count=2,
        vacancy_chance=0.15,
    ),
    PostTemplate(
        "economy", "Công chức Tài chính - Kế toán", "specialist", ("Kế toán", "Tài chính - Ngân hàng")
    ),
    PostTemplate(
        "economy", "Công chức Nông nghiệp - Môi trường", "specialist", ("Nông học", "Khoa học môi trường")
    ),
    PostTemplate(
        "culture_social",
        "Trưởng phòng Văn hóa - Xã hội",
        "department_head",
        ("Công tác xã hội", "Văn hóa học"),
    ),
    PostTemplate(
        "culture_social",
        "Công chức Văn hóa - Xã hội",
        "specialist",
        ("Văn hóa học", "Công tác xã hội"),
        count=2,
    ),
    PostTemplate(
        "culture_social",
        "Công chức Lao động - Thương binh và Xã hội",
        "specialist",
        ("Công tác xã hội", "Luật"),
    ),
    PostTemplate(
        "service_center",
        "Phó Giám đốc Trung tâm Phục vụ hành chính công",
        "department_head",
        ("Hành chính học", "Luật"),
    ),
    PostTemplate(
        "service_center",
        "Công chức tiếp nhận và trả kết quả",
        "reception_officer",
        ("Hành chính học", "Luật", "Quản trị văn phòng"),
        count=3,
    ),
)
OTHER_MAJORS = ("Sư phạm Ngữ văn", "Quản trị kinh doanh", "Kinh tế", "Luật", "Sư phạm Toán", "Chính trị học")


@dataclass(frozen=True)
class StaffSeed:
    full_name: str
    gender: str
    birth_date: dt.date
    department: str
    title: str
    role: str
    education_level: str
    education_major: str
    service_start: dt.date


def _name(rng: random.Random, gender: str) -> str:
    surnames = [s for s, _w in SURNAMES]
    weights = [w for _s, w in SURNAMES]
    surname = rng.choices(surnames, weights)[0]
    return f"{surname} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"


def staff_for_commune(seed: int, commune_code: int, today: dt.date) -> list[StaffSeed]:
    """The staff of one commune; the same seed and code always give the same people."""
    rng = random.Random(seed * 100_003 + commune_code)
    people: list[StaffSeed] = []
    for post in POSTS:
        for _ in range(post.count):
            if post.vacancy_chance and rng.random() < post.vacancy_chance:
                continue
            gender = rng.choice(("M", "F"))
            leader = post.role in ("commune_leader", "department_head")
            age = rng.randint(38, 56) if leader else rng.randint(24, 55)
            birth = dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
            years = rng.randint(max(1, age - 40), max(2, age - 23))
            # About one in five officers trained in another field (merged posts after 2025).
            major = rng.choice(OTHER_MAJORS) if rng.random() < 0.2 else rng.choice(post.fields_of_study)
            level = rng.choices(("college", "bachelor", "master"), (1, 7, 2 if leader else 1))[0]
            people.append(
                StaffSeed(
                    full_name=_name(rng, gender),
                    gender=gender,
                    birth_date=birth,
                    department=post.department,
                    title=post.title,
                    role=post.role,
                    education_level=level,
                    education_major=major,
                    service_start=dt.date(today.year - years, rng.randint(1, 12), 1),
                )
            )
    return people
