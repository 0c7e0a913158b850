"""The shipped framework, templates, courses and questions: loaded as data, idempotently."""

from __future__ import annotations

import pytest

from tests.conftest import World
from xaso.audit.models import AuditEvent
from xaso.workforce.models import (
    Competency,
    CompetencyLevel,
    CompetencyType,
    Course,
    PositionTemplate,
    Question,
    TemplateRequirement,
)
from xaso.workforce.seed import shipped_data_load


def test_it_seeds_digcomp_with_the_ai_domain(framework: None) -> None:
    digital = Competency.objects.filter(type__code="digital")
    assert digital.filter(code__startswith="DC").count() == 21
    assert sorted(set(digital.values_list("area", flat=True))) == [
        "1. Khai thác dữ liệu và thông tin",
        "2. Giao tiếp và hợp tác trong môi trường số",
        "3. Sáng tạo nội dung số",
        "4. An toàn",
        "5. Giải quyết vấn đề",
        "6. Ứng dụng trí tuệ nhân tạo",
    ]
    assert digital.filter(code__startswith="AI").count() == 3
    assert set(digital.values_list("max_level", flat=True)) == {8}
    assert CompetencyLevel.objects.filter(competency__code="DC1.1").count() == 8


def test_it_seeds_security_services_documents_and_professional_fields(framework: None) -> None:
    codes = set(Competency.objects.values_list("code", flat=True))
    assert {"SEC.1", "OPS.1", "EDOC.1"} <= codes
    professional = set(Competency.objects.filter(type__code="professional").values_list("code", flat=True))
    assert professional == {
        "PRO.CIVIL", "PRO.LAND", "PRO.CONSTR", "PRO.FIN", "PRO.SOCIAL", "PRO.CULTURE", "PRO.RESIDENCE",
        "PRO.PARTY", "PRO.IT",
    }  # fmt: skip
    level = CompetencyLevel.objects.get(competency__code="PRO.LAND", level=3)
    assert "đất đai" in level.descriptor and level.name == "Thành thạo"
    assert all(t.source for t in CompetencyType.objects.all())


def test_it_reloads_without_duplicates_or_overwriting_edits(world: World, framework: None) -> None:
    Competency.objects.filter(code="DC1.1").update(name="Tìm kiếm thông tin")
    before = (
        Competency.objects.count(),
        CompetencyLevel.objects.count(),
        Question.objects.count(),
        Course.objects.count(),
        TemplateRequirement.objects.count(),
    )
    audits = AuditEvent.objects.count()
    summary = shipped_data_load(province=world.province)
    assert summary.added() == 0 and AuditEvent.objects.count() == audits
    assert before == (
        Competency.objects.count(),
        CompetencyLevel.objects.count(),
        Question.objects.count(),
        Course.objects.count(),
        TemplateRequirement.objects.count(),
    )
    assert Competency.objects.get(code="DC1.1").name == "Tìm kiếm thông tin"


@pytest.mark.parametrize("code", ["VP-CNTT", "KT-DCXD", "TT-TNTKQ"])
def test_it_gives_every_template_requirements_the_courses_can_close(framework: None, code: str) -> None:
    template = PositionTemplate.objects.get(code=code)
    for req in template.requirements.select_related("competency"):
        assert req.min_level <= req.competency.max_level
        reachable = req.competency.course_outcomes.filter(level__gte=req.min_level).exists()
        assert reachable, f"no course reaches {req.competency.code} {req.min_level}"


def test_it_ships_three_questions_for_every_self_tested_competency(framework: None) -> None:
    for comp in Competency.objects.filter(self_test=True):
        assert comp.questions.count() == 3, comp.code
        for q in comp.questions.all():
            assert 0 <= q.answer < len(q.choices) and q.level <= comp.max_level
