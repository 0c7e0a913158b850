"""Readable labels for statuses in templates (events store status codes)."""

from __future__ import annotations

from django import template

from xaso.dossiers.models import Status

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    try:
        return str(Status(code).label)
    except ValueError:
        return code
