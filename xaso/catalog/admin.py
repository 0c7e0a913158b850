"""Django admin for catalog maintainers (province-level system administrators).

Every save keeps the previous version and writes an audit event through
``services.procedure_record_edit``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from xaso.accounts.authz import can_maintain_catalog
from xaso.accounts.models import User
from xaso.catalog import services
from xaso.catalog.models import Channel, LegalBasis, Procedure, ProcedureVersion, RequiredDocument


class MaintainerOnly:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_maintain_catalog(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_maintain_catalog(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_maintain_catalog(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_maintain_catalog(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # retire a procedure with is_active instead; its history stays


class ChannelInline(MaintainerOnly, admin.TabularInline[Channel, Procedure]):
    model = Channel
    extra = 0


class DocumentInline(MaintainerOnly, admin.TabularInline[RequiredDocument, Procedure]):
    model = RequiredDocument
    extra = 0


class LegalBasisInline(MaintainerOnly, admin.TabularInline[LegalBasis, Procedure]):
    model = LegalBasis
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(MaintainerOnly, admin.ModelAdmin[Procedure]):
    list_display = ("code", "name", "field", "source", "needs_review", "version", "is_active")
    list_filter = ("needs_review", "source", "online_level", "is_active", "field")
    search_fields = ("code", "name", "search_text")
    readonly_fields = ("version", "content_hash", "updated_at", "review_notes")
    inlines = [ChannelInline, DocumentInline, LegalBasisInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        if request.method == "POST" and object_id:
            current = Procedure.objects.filter(pk=object_id).first()
            request._xaso_before = services.procedure_payload(current) if current else None  # type: ignore[attr-defined]  # carried to save_related
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(
        self, request: HttpRequest, obj: Procedure, form: ModelForm[Procedure], change: bool
    ) -> None:
        if not change:
            obj.source = Procedure.Source.MANUAL
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: ModelForm[Procedure], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        actor = request.user if isinstance(request.user, User) else None
        services.procedure_record_edit(
            proc=form.instance, actor=actor, before=getattr(request, "_xaso_before", None) if change else None
        )


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(MaintainerOnly, admin.ModelAdmin[ProcedureVersion]):
    list_display = ("procedure", "version", "reason", "actor", "created_at")
    readonly_fields = ("procedure", "version", "snapshot", "changed_fields", "reason", "actor", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
