"""Work items read off the dossier ledger: who was given which piece of work, whether it was
done, on time, and without a fault. Both the work-record evidence and the Decree 335 task
score read them.

A work item is one step of a dossier's route that an officer handled:

- **reception**: the officer who received it (the reception step's ``finished_by``). It is
  *faulty* when the processing department later had to ask the applicant for a supplement
  (a ``request_supplement`` event from ``in_progress``): the counter's completeness check
  missed something. Asking at the counter itself is not a fault.
- **processing**: the step's assignee. *Late* when finished after the step's due time (or
  still open after it); *faulty* when the dossier needed an apology and a new date (an
  ``extend`` event, form 04) by that officer while it was with them.
- **signoff**: the leader assigned to sign; late as above.
- **return**: the officer who handed the result back.

An item belongs to the period its due time falls in, or, without a due time, the period it
started in. An open item that is not yet due belongs to no period yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from xaso.dossiers.models import Channel, Event, Status, Step, StepKind


@dataclass(frozen=True)
class WorkItem:
    user_id: int
    kind: str
    field: str
    online: bool
    day: dt.date  # the local day that places it in a period
    completed: bool
    late: bool
    faulty: bool


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=timezone.get_default_timezone())


def work_items(
    *,
    communes: Sequence[int],
    start: dt.date,
    end: dt.date,
    as_of: dt.datetime,
    users: Iterable[int] | None = None,
) -> list[WorkItem]:
    """Items of the communes' dossiers placed in ``[start, end)`` (local days), as they stood
    at ``as_of``."""
    lo, hi = local_midnight(start), min(local_midnight(end), as_of)
    steps = Step.objects.filter(dossier__commune_id__in=list(communes), started_at__lt=hi).filter(
        Q(due_at__gte=lo, due_at__lt=hi) | Q(due_at__isnull=True, started_at__gte=lo)
    )
    if users is not None:
        wanted = list(users)
        steps = steps.filter(Q(assignee_id__in=wanted) | Q(finished_by_id__in=wanted))
    rows = list(
        steps.values_list(
            "dossier_id",
            "kind",
            "assignee_id",
            "finished_by_id",
            "started_at",
            "due_at",
            "finished_at",
            "dossier__procedure__field",
            "dossier__channel",
        )
    )
    dossier_ids = {r[0] for r in rows}
    supplements: set[int] = set()
    apologies: set[tuple[int, int | None]] = set()
    if dossier_ids:
        flagged = Event.objects.filter(
            dossier__commune_id__in=list(communes), at__gte=lo, at__lte=as_of
        ).filter(Q(action="request_supplement", from_status=Status.IN_PROGRESS) | Q(action="extend"))
        for dossier_id, action, actor_id in flagged.values_list("dossier_id", "action", "actor_id"):
            if action == "extend":
                apologies.add((dossier_id, actor_id))
            else:
                supplements.add(dossier_id)
    tz = timezone.get_default_timezone()
    items: list[WorkItem] = []
    for dossier_id, kind, assignee, finisher, started, due, finished, field, channel in rows:
        if kind in (StepKind.RECEPTION, StepKind.RETURN):
            user = finisher
        else:
            user = assignee
        if user is None:
            continue
        done = finished is not None and finished <= as_of
        if due is not None and not done and due > as_of:
            continue  # open and not yet due: no verdict yet
        end_moment = finished if finished is not None and done else as_of
        late = due is not None and end_moment > due
        if kind == StepKind.RECEPTION:
            faulty = dossier_id in supplements
        elif kind == StepKind.PROCESSING:
            faulty = (dossier_id, user) in apologies
        else:
            faulty = False
        items.append(
            WorkItem(
                user_id=user,
                kind=kind,
                field=field,
                online=channel == Channel.ONLINE,
                day=(due or started).astimezone(tz).date(),
                completed=done,
                late=late,
                faulty=faulty,
            )
        )
    return items
