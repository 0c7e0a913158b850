"""Login lockout: too many recent failures for a username refuse further attempts."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from xaso.accounts.models import LoginFailure


def _window_start() -> datetime:
    return timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked_out(username: str) -> bool:
    recent = LoginFailure.objects.filter(username__iexact=username, at__gte=_window_start())
    return recent.count() >= settings.LOGIN_MAX_FAILURES


def note_failure(username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username[:150], ip=ip)


def clear_failures(username: str) -> None:
    LoginFailure.objects.filter(username__iexact=username).delete()
