"""Load the data Xã Số ships (``xaso/workforce/data/``): the competency framework, the
province's job-position template, the training catalogue and the self-test questions.

Every loader is idempotent: it adds what is missing and leaves rows that exist (and may
have been edited by the province) alone. Each writes one audit event when it adds rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

from xaso.accounts.models import User
from xaso.audit import events
from xaso.places.models import Province
from xaso.workforce.models import (
    Competency,
    CompetencyLevel,
    CompetencyType,
    Course,
    CourseOutcome,
    PositionTemplate,
    Programme,
    Question,
    TemplateRequirement,
)

DATA = Path(__file__).resolve().parent / "data"


@cache
def data_file(name: str) -> dict[str, Any]:
    with open(DATA / name, encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


@dataclass
class SeedSummary:
    types: int = 0
    competencies: int = 0
    levels: int = 0
    templates: int = 0
    requirements: int = 0
    programmes: int = 0
    courses: int = 0
    questions: int = 0

    def added(self) -> int:
        return sum(vars(self).values())


def _framework_rows() -> tuple[
    list[CompetencyType], list[tuple[str, Competency]], list[tuple[str, CompetencyLevel]]
]:
    data = data_file("framework.json")
    types: list[CompetencyType] = []
    competencies: list[tuple[str, Competency]] = []
    levels: list[tuple[str, CompetencyLevel]] = []
    for t_index, t in enumerate(data["types"]):
        sources = "; ".join(data["_sources"][key.strip()] for key in t["source"].split(";"))
        types.append(
            CompetencyType(
                code=t["code"], name=t["name"], name_en=t["name_en"], source=sources, position=t_index
            )
        )
        scale = data["scales"][t["scale"]]["levels"]
        for c_index, c in enumerate(t["competencies"]):
            competencies.append(
                (
                    t["code"],
                    Competency(
                        code=c["code"],
                        area=c["area"],
                        area_en=c["area_en"],
                        name=c["name"],
                        name_en=c["name_en"],
                        max_level=len(scale),
                        key_level=c.get("key_level"),
                        self_test=bool(c.get("self_test")),
                        position=c_index,
                    ),
                )
            )
            for lv in scale:
                levels.append(
                    (
                        c["code"],
                        CompetencyLevel(
                            level=lv["level"],
                            name=lv["name"],
                            name_en=lv["name_en"],
                            descriptor=lv["template"].format(scope=c["scope"]),
                            descriptor_en=lv["template_en"].format(scope=c["scope_en"]),
                        ),
                    )
                )
    return types, competencies, levels


@transaction.atomic
def framework_load(*, actor: User | None = None) -> SeedSummary:
    """The competency types, competencies and level descriptors of ``framework.json``."""
    summary = SeedSummary()
    types, competencies, levels = _framework_rows()
    existing_types = {t.code: t for t in CompetencyType.objects.all()}
    new_types = [t for t in types if t.code not in existing_types]
    CompetencyType.objects.bulk_create(new_types)
    summary.types = len(new_types)
    by_type = {t.code: t for t in CompetencyType.objects.all()}
    existing = set(Competency.objects.values_list("code", flat=True))
    new_comps = []
    for type_code, comp in competencies:
        if comp.code not in existing:
            comp.type = by_type[type_code]
            new_comps.append(comp)
    Competency.objects.bulk_create(new_comps)
    summary.competencies = len(new_comps)
    ids = dict(Competency.objects.values_list("code", "id"))
    have = set(CompetencyLevel.objects.values_list("competency_id", "level"))
    new_levels = []
    for code, row in levels:
        if (ids[code], row.level) not in have:
            row.competency_id = ids[code]
            new_levels.append(row)
    CompetencyLevel.objects.bulk_create(new_levels)
    summary.levels = len(new_levels)
    if summary.added():
        first = CompetencyType.objects.order_by("position").first()
        events.record(actor=actor, action="workforce.framework_loaded", obj=first, data=vars(summary))
    return summary


@transaction.atomic
def templates_load(*, province: Province, actor: User | None = None) -> SeedSummary:
    """The province's job-position template of ``position_templates.json``."""
    summary = SeedSummary()
    competencies = dict(Competency.objects.values_list("code", "id"))
    for row in data_file("position_templates.json")["templates"]:
        template, created = PositionTemplate.objects.get_or_create(
            province=province,
            code=row["code"],
            defaults={
                "title": row["title"],
                "department_kind": row["department"],
                "headcount": row["headcount"],
                "leadership": row["leadership"],
            },
        )
        summary.templates += created
        have = set(template.requirements.values_list("competency_id", flat=True))
        new = [
            TemplateRequirement(
                template=template, competency_id=competencies[code], min_level=level, essential=essential
            )
            for code, level, essential in row["requirements"]
            if competencies[code] not in have
        ]
        TemplateRequirement.objects.bulk_create(new)
        summary.requirements += len(new)
    if summary.added():
        events.record(actor=actor, action="workforce.templates_loaded", obj=province, data=vars(summary))
    return summary


@transaction.atomic
def courses_load(*, actor: User | None = None) -> SeedSummary:
    """The programmes, courses and outcomes of ``courses.json``."""
    summary = SeedSummary()
    competencies = dict(Competency.objects.values_list("code", "id"))
    for p in data_file("courses.json")["programmes"]:
        programme, created = Programme.objects.get_or_create(
            code=p["code"], defaults={"name": p["name"], "name_en": p["name_en"]}
        )
        summary.programmes += created
        for c in p["courses"]:
            course, created = Course.objects.get_or_create(
                code=c["code"],
                defaults={
                    "programme": programme,
                    "name": c["name"],
                    "hours": c["hours"],
                    "cost_vnd": c["cost_vnd"],
                    "pass_score": c.get("pass_score", 70),
                },
            )
            summary.courses += created
            if created:
                CourseOutcome.objects.bulk_create(
                    [
                        CourseOutcome(course=course, competency_id=competencies[code], level=level)
                        for code, level in c["outcomes"]
                    ]
                )
    if summary.added():
        first = Programme.objects.order_by("code").first()
        events.record(actor=actor, action="workforce.courses_loaded", obj=first, data=vars(summary))
    return summary


def _question_key(row: dict[str, Any], n: int) -> str:
    return f"{row['competency']}-{row['level']}-{n}"


@transaction.atomic
def questions_load(*, actor: User | None = None) -> SeedSummary:
    """The shipped self-test questions of ``questions.json`` (keyed, so a reload adds only new ones)."""
    summary = SeedSummary()
    competencies = dict(Competency.objects.values_list("code", "id"))
    have = set(Question.objects.exclude(shipped_key="").values_list("shipped_key", flat=True))
    seen: dict[tuple[str, int], int] = {}
    new = []
    for row in data_file("questions.json")["questions"]:
        n = seen[(row["competency"], row["level"])] = seen.get((row["competency"], row["level"]), 0) + 1
        key = _question_key(row, n)
        if key in have:
            continue
        new.append(
            Question(
                competency_id=competencies[row["competency"]],
                level=row["level"],
                text=row["text"],
                choices=row["choices"],
                answer=row["answer"],
                explanation=row.get("explanation", ""),
                shipped_key=key,
            )
        )
    Question.objects.bulk_create(new)
    summary.questions = len(new)
    if new:
        first = Question.objects.get(shipped_key=new[0].shipped_key)
        events.record(actor=actor, action="workforce.questions_loaded", obj=first, data=vars(summary))
    return summary


def shipped_data_load(*, province: Province | None = None, actor: User | None = None) -> SeedSummary:
    """Everything shipped, in order; with a province, its position template too."""
    total = SeedSummary()
    parts = [framework_load(actor=actor), courses_load(actor=actor), questions_load(actor=actor)]
    if province is not None:
        parts.append(templates_load(province=province, actor=actor))
    for part in parts:
        for name, value in vars(part).items():
            setattr(total, name, getattr(total, name) + value)
    return total
