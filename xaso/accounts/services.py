"""Writes for accounts: API tokens."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from xaso.accounts.models import ApiToken, User
from xaso.audit import events
from xaso.lib.errors import NotFound


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown once and never stored."""
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, name=name.strip(), digest=ApiToken.digest_of(secret))
    events.record(
        actor=user, action="api_token.created", obj=token, commune=user.commune, data={"name": token.name}
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    try:
        token = ApiToken.objects.select_for_update().get(pk=token_id, user=user, revoked_at__isnull=True)
    except ApiToken.DoesNotExist:
        raise NotFound(f"No active token with id {token_id}.") from None
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    events.record(actor=user, action="api_token.revoked", obj=token, commune=user.commune)
    return token
