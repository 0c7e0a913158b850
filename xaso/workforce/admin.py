"""Administration of the workforce data the province edits: the competency framework, the
position template, the training catalogue, the evaluation figures and the designated
successors (audited: ``workforce.successor_*`` events). Evidence is shown read-only (it is
append-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from xaso.accounts.models import User
from xaso.audit.events import record
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
    SuccessorDesignation,
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


@admin.register(SuccessorDesignation)
class SuccessorDesignationAdmin(admin.ModelAdmin[SuccessorDesignation]):
    """Designated successors (quy hoạch cán bộ); every change leaves an audit event, as the
    planning admin's do.  Commune leaders and Home Affairs also record them on the position's
    page."""

    list_display = ("position", "user", "starts_on", "ends_on", "decision", "withdrawn_at")
    list_filter = ("position__commune__province", "withdrawn_at")
    search_fields = ("user__full_name", "user__username", "position__title", "decision")
    raw_id_fields = ("position", "user")
    readonly_fields = ("recorded_by", "created_at")

    def save_model(self, request: HttpRequest, obj: SuccessorDesignation, form: Any, change: bool) -> None:
        actor = request.user if isinstance(request.user, User) else None
        with transaction.atomic():
            if not change and obj.recorded_by_id is None:
                obj.recorded_by = actor
            super().save_model(request, obj, form, change)
            record(
                actor=actor,
                action="workforce.successor_changed" if change else "workforce.successor_designated",
                obj=obj,
                commune=obj.position.commune,
                data={"fields": sorted(form.changed_data), "via": "admin"},
            )

    def delete_model(self, request: HttpRequest, obj: SuccessorDesignation) -> None:
        actor = request.user if isinstance(request.user, User) else None
        with transaction.atomic():
            record(
                actor=actor,
                action="workforce.successor_deleted",
                obj=obj,
                commune=obj.position.commune,
                data={"user": obj.user_id, "position": obj.position_id, "via": "admin"},
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        # The list's "delete selected" action: one event per row, as for a single delete.
        with transaction.atomic():
            for obj in queryset.select_related("position__commune"):
                self.delete_model(request, obj)
