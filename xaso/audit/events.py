"""One function writes every audit row, so the trail has a single shape.

Services call ``record`` inside their transaction: if the change rolls back, so does
its audit row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xaso.audit.models import AuditEvent

if TYPE_CHECKING:
    from xaso.accounts.models import User
    from xaso.places.models import Commune


def record(
    *,
    actor: User | None,
    action: str,
    obj: Any,
    commune: Commune | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        commune=commune,
        data=data or {},
    )
