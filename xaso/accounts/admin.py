from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from xaso.accounts.models import ApiToken, RoleGrant, StaffProfile, User


class RoleGrantInline(admin.TabularInline[RoleGrant, User]):
    model = RoleGrant
    extra = 0


class StaffProfileInline(admin.StackedInline[StaffProfile, User]):
    model = StaffProfile
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ("username", "full_name", "commune", "department", "is_active")
    list_filter = ("is_active", "province", "role_grants__role")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]  # django-stubs types fieldsets loosely
        ("Xã Số", {"fields": ("full_name", "province", "commune", "department")}),
    )
    inlines = [RoleGrantInline, StaffProfileInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("digest",)
