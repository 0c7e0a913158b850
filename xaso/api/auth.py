"""API authentication: the browser's session, or a per-user bearer token."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from xaso.accounts.models import ApiToken, User


class TokenAuth(HttpBearer):
    """``Authorization: Bearer xs_…``; tokens are created on the account page or with
    ``manage.py create_api_token``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        try:
            row = ApiToken.objects.select_related("user").get(
                digest=ApiToken.digest_of(token), revoked_at__isnull=True
            )
        except ApiToken.DoesNotExist:
            return None
        if not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)  # at most once a minute
        request.user = row.user
        return row.user


session_auth = SessionAuth()
token_auth = TokenAuth()
# Token first: a request with a bearer token needs no CSRF check; without one, the
# session is used and unsafe methods must carry the CSRF token.
STAFF_AUTH = [token_auth, session_auth]
