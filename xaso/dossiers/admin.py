from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xaso.catalog.admin import MaintainerOnly
from xaso.dossiers.deadlines import forget_calendar
from xaso.dossiers.models import CalendarOverride, Dossier, Notification


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(MaintainerOnly, admin.ModelAdmin[CalendarOverride]):
    """Extra days off and make-up working days decided each year (deadlines use them)."""

    list_display = ("day", "kind", "note")
    list_filter = ("kind",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: CalendarOverride, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        forget_calendar()  # other processes pick the change up within RECHECK_SECONDS

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        super().delete_model(request, obj)
        forget_calendar()


@admin.register(Dossier)
class DossierAdmin(MaintainerOnly, admin.ModelAdmin[Dossier]):
    """Read-only: dossiers change only through the workflow, which keeps their history."""

    list_display = ("code", "procedure", "commune", "status", "due_at", "late")
    list_filter = ("status", "late", "channel")
    search_fields = ("code",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(MaintainerOnly, admin.ModelAdmin[Notification]):
    list_display = ("created_at", "medium", "to", "kind", "state", "attempts", "last_error")
    list_filter = ("state", "medium", "kind")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
