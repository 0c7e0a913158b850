"""Rotation configuration the province edits: fields with their periods and positions, and
officers' exemptions; communes' shared pools (also edited on ``/planning/pools/``).  Plans and
decisions are made on the planning pages.  Every change made here leaves an audit event
(``planning.rotation_config_*``, ``planning.pool_admin_*``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from xaso.audit.events import record
from xaso.planning.models import RotationExemption, RotationField, SharedPool


class _Audited(admin.ModelAdmin[Any]):
    audit_action = "planning.rotation_config"
    """Prefix of the audit actions (``_added``, ``_changed``, ``_deleted``)."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(
                actor=request.user,  # type: ignore[arg-type]
                action=f"{self.audit_action}_changed" if change else f"{self.audit_action}_added",
                obj=obj,
                commune=getattr(obj, "commune", None),
                data={"fields": sorted(form.changed_data)},
            )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            record(
                actor=request.user,  # type: ignore[arg-type]
                action=f"{self.audit_action}_deleted",
                obj=obj,
                commune=getattr(obj, "commune", None),
            )
            super().delete_model(request, obj)


@admin.register(RotationField)
class RotationFieldAdmin(_Audited):
    list_display = ("label", "code", "period_years", "province")
    list_filter = ("province",)
    search_fields = ("label", "code")


@admin.register(RotationExemption)
class RotationExemptionAdmin(_Audited):
    list_display = ("user", "code", "until", "note")
    list_filter = ("code",)
    search_fields = ("user__full_name", "user__username")
    raw_id_fields = ("user", "recorded_by")


@admin.register(SharedPool)
class SharedPoolAdmin(_Audited):
    audit_action = "planning.pool_admin"
    list_display = ("name", "commune", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "commune__name")
    raw_id_fields = ("commune",)
    filter_horizontal = ("members",)
