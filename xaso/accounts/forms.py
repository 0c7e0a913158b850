from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xaso.accounts import lockout


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing a username with too many recent failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked_out": _(
            "Too many failed sign-in attempts for this account. Try again in %(minutes)s minutes "
            "or ask your system administrator."
        ),
    }

    def clean(self) -> dict[str, Any]:
        from django.conf import settings

        username = (self.data.get("username") or "").strip()
        if username and lockout.is_locked_out(username):
            raise ValidationError(
                self.error_messages["locked_out"],
                code="locked_out",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            if username:
                lockout.note_failure(username, self.request.META.get("REMOTE_ADDR") if self.request else None)
            raise
        lockout.clear_failures(username)
        return cleaned


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What will use it, e.g. “province portal sync”.")
    )
