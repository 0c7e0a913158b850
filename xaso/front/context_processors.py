"""Navigation: each role sees its own work first."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xaso.accounts.models import Role, User


def navigation(request: HttpRequest) -> dict[str, Any]:
    items: list[tuple[str, Any]] = [
        (reverse("catalog:index"), _("Procedures")),
        (reverse("assistant:chat"), _("Virtual assistant")),
        (reverse("track"), _("Track a dossier")),
    ]
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        items.insert(0, (reverse("front:home"), _("My work")))
        if user.commune_id:
            items.insert(1, (reverse("dossiers:queues"), _("Dossiers")))
        items.insert(2, (reverse("workforce:index"), _("Workforce capacity")))
        if user.is_province_level or user.is_superuser:
            items.append((reverse("front:communes"), _("Communes")))
        elif user.commune_id:
            items.append((reverse("front:commune", args=[user.commune_id]), _("My commune")))
            if user.has_role(Role.COMMUNE_LEADER, Role.SYSTEM_ADMIN):
                items.append((reverse("catalog:offer", args=[user.commune_id]), _("Procedures offered")))
        if user.is_superuser or user.has_role(
            Role.COMMUNE_LEADER, Role.DEPARTMENT_HEAD, Role.PROVINCE_MANAGER, Role.SYSTEM_ADMIN
        ):
            items.append((reverse("insights:home"), _("Dashboards")))
        if user.commune_id and user.has_role(Role.DEPARTMENT_HEAD, Role.COMMUNE_LEADER):
            items.append((reverse("planning:index"), _("Proposed work queues")))
        if (user.commune_id and user.has_role(Role.COMMUNE_LEADER)) or (
            not user.commune_id and user.has_role(Role.PROVINCE_MANAGER)
        ):
            items.append((reverse("planning:rotation"), _("Rotation plan")))
        if not user.commune_id and user.has_role(Role.PROVINCE_MANAGER):
            items.append((reverse("planning:rotation_province"), _("Rotation between communes")))
        if user.has_role(Role.SYSTEM_ADMIN) or user.is_superuser:
            items.append((reverse("admin:index"), _("Administration")))
        items.append((reverse("accounts:account"), _("My account")))
    return {"nav_items": items}
