"""Administration of the workforce data the province edits: the competency framework, the
position template, the training catalogue and the evaluation figures. Evidence is shown
read-only (it is append-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xaso.accounts.models import User
from xaso.workforce import services
from xaso.workforce.models import (
    Competency,
    CompetencyLevel,
    CompetencyType,
    Course,
    CourseOutcome,
    EvaluationPolicy,
    Evidence,
    PositionTemplate,
    Programme,
    Question,
    TemplateRequirement,
)


class LevelInline(admin.TabularInline[CompetencyLevel, Competency]):
    model = CompetencyLevel
    extra = 0


@admin.register(CompetencyType)
class CompetencyTypeAdmin(admin.ModelAdmin[CompetencyType]):
    list_display = ("code", "name", "position")


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin[Competency]):
    list_display = ("code", "name", "type", "max_level", "key_level", "self_test", "is_active")
    list_filter = ("type", "is_active", "self_test")
    search_fields = ("code", "name", "name_en")
    inlines = [LevelInline]


class TemplateRequirementInline(admin.TabularInline[TemplateRequirement, PositionTemplate]):
    model = TemplateRequirement
    extra = 0
    autocomplete_fields = ("competency",)


@admin.register(PositionTemplate)
class PositionTemplateAdmin(admin.ModelAdmin[PositionTemplate]):
    list_display = ("code", "title", "province", "department_kind", "headcount")
    list_filter = ("province",)
    inlines = [TemplateRequirementInline]


class OutcomeInline(admin.TabularInline[CourseOutcome, Course]):
    model = CourseOutcome
    extra = 0
    autocomplete_fields = ("competency",)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ("code", "name")


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin[Course]):
    list_display = ("code", "name", "programme", "hours", "cost_vnd", "pass_score", "is_active")
    list_filter = ("programme", "is_active")
    inlines = [OutcomeInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin[Question]):
    list_display = ("competency", "level", "text", "province", "is_active")
    list_filter = ("province", "is_active")
    search_fields = ("text",)


@admin.register(EvaluationPolicy)
class EvaluationPolicyAdmin(admin.ModelAdmin[EvaluationPolicy]):
    list_display = ("province", "task_points", "general_points", "excellent_min", "good_min", "completed_min")

    def save_model(self, request: HttpRequest, obj: EvaluationPolicy, form: Any, change: bool) -> None:
        # Through the service: it checks the figures and writes the audit event.
        values = {name: getattr(obj, name) for name in services.POLICY_FIELDS}
        actor = request.user if isinstance(request.user, User) else None
        saved = services.evaluation_policy_set(actor=actor, province=obj.province, values=values)
        obj.pk = saved.pk


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin[Evidence]):
    list_display = ("user", "competency", "kind", "level", "observed_on", "valid_until")
    list_filter = ("kind",)
    search_fields = ("user__full_name", "competency__code")

    def has_change_permission(self, request: HttpRequest, obj: Evidence | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Evidence | None = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
