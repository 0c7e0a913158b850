from django.contrib import admin

from xaso.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ("at", "actor", "action", "object_type", "object_id", "commune")
    list_filter = ("action", "object_type")
    date_hierarchy = "at"

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]  # admin hook
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
