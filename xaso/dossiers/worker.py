"""Small units of background work. Each ``handle_one`` does one thing and says whether it
found anything, so the loop can run them until idle; each claims its row with an
"update where the old state still holds" and a row-count check, so two workers can run
at once without doing anything twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from xaso.dossiers import notifications
from xaso.dossiers.models import PAUSED_STATUSES, Dossier, Event, Status


def mark_one_overdue(now: dt.datetime | None = None) -> bool:
    """Flag one open dossier whose due time has passed (the clock not paused) as late."""
    now = now or timezone.now()
    candidate = (
        Dossier.objects.filter(late=False, due_at__lt=now, paused_since__isnull=True)
        .filter(status__in=[Status.RECEIVED, Status.IN_PROGRESS])
        .order_by("due_at")
        .values_list("pk", flat=True)
        .first()
    )
    if candidate is None:
        return False
    if Dossier.objects.filter(pk=candidate, late=False).update(late=True) == 1:
        dossier = Dossier.objects.get(pk=candidate)
        Event.objects.create(dossier=dossier, at=now, action="overdue", public=False)
    return True


def warn_one_due_soon(now: dt.datetime | None = None) -> bool:
    """E-mail the assignee of one dossier due within the warning window, once."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=settings.XASO_DUE_WARNING_HOURS)
    candidate = (
        Dossier.objects.filter(due_warning_sent=False, due_at__gte=now, due_at__lte=horizon)
        .exclude(
            status__in=[
                *PAUSED_STATUSES,
                Status.DONE,
                Status.RETURNED,
                Status.REFUSED,
                Status.WITHDRAWN,
                Status.STOPPED,
                Status.SUBMITTED,
            ]
        )
        .filter(~Q(assignee=None))
        .order_by("due_at")
        .values_list("pk", flat=True)
        .first()
    )
    if candidate is None:
        return False
    if Dossier.objects.filter(pk=candidate, due_warning_sent=False).update(due_warning_sent=True) == 1:
        dossier = Dossier.objects.select_related("assignee", "procedure").get(pk=candidate)
        assert dossier.assignee is not None and dossier.due_at is not None
        due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
        notifications.queue_for_officer(
            email=dossier.assignee.email,
            dossier=dossier,
            kind="due_soon",
            subject=f"Hồ sơ {dossier.code} sắp đến hạn ({due})",
            body=f"Hồ sơ {dossier.code} — {dossier.procedure.name[:80]} — đến hạn lúc {due}.",
        )
    return True


UNITS = (("overdue", mark_one_overdue), ("due soon", warn_one_due_soon), ("outbox", notifications.send_one))


def run_until_idle(limit: int = 1000, extra: Sequence[tuple[str, Callable[[], bool]]] = ()) -> dict[str, int]:
    """Run every unit (and ``extra`` ones from other apps) until none finds work, or
    ``limit`` rounds ran; counts per unit."""
    units = [*UNITS, *extra]
    done = {name: 0 for name, _ in units}
    for _ in range(limit):
        progressed = False
        for name, unit in units:
            if unit():
                done[name] += 1
                progressed = True
        if not progressed:
            break
    return done
