from django.contrib import admin

from xaso.places.models import Commune, Department, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin[Province]):
    list_display = ("code", "name")


class DepartmentInline(admin.TabularInline[Department, Commune]):
    model = Department
    extra = 0


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin[Commune]):
    list_display = ("code", "name", "kind", "province")
    list_filter = ("province", "kind")
    search_fields = ("name", "codename")
    inlines = [DepartmentInline]
