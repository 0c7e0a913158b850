"""The UI shell: home (each role's own work), communes and staff pages, health."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from xaso.accounts import authz
from xaso.accounts.models import User


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 — any database failure means "unhealthy"
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return render(request, "front/landing.html")
    communes = authz.communes_for_user(user)
    context = {
        "roles": list(user.roles),
        "commune": user.commune,
        "department": user.department,
        "commune_count": communes.count(),
    }
    return render(request, "front/home.html", context)


@login_required
def communes(request: HttpRequest) -> HttpResponse:
    rows = (
        authz.communes_for_user(request.user)
        .select_related("province")
        .annotate(staff_count=Count("staff", filter=Q(staff__is_active=True)))
        .order_by("name")
    )
    return render(request, "front/communes.html", {"communes": rows})


@login_required
def commune(request: HttpRequest, code: int) -> HttpResponse:
    obj = authz.get_commune_for_user(request.user, code)
    staff = (
        authz.staff_for_user(request.user)
        .filter(commune=obj)
        .select_related("department", "profile")
        .prefetch_related("role_grants")
        .order_by("department__kind", "full_name")
    )
    return render(
        request,
        "front/commune.html",
        {
            "commune": obj,
            "departments": obj.departments.all(),
            "staff": staff,
            "can_manage": authz.can_manage_commune(request.user, obj),
        },
    )


@login_required
def staff(request: HttpRequest, staff_id: int) -> HttpResponse:
    person = authz.get_staff_for_user(request.user, staff_id)
    return render(request, "front/staff.html", {"person": person})
