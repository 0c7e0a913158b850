"""Writes for dossiers: intake, every workflow move, attachments, ratings.

Each function is one transaction; each move writes a dossier ``Event`` (the history the
citizen and officers see) and an audit event; notifications go to the outbox on commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from xaso.accounts.models import Role, User
from xaso.catalog.models import Procedure
from xaso.catalog.selectors import effective_fees, is_offered
from xaso.dossiers import deadlines, notifications
from xaso.dossiers.codes import format_code, next_sequence
from xaso.dossiers.models import (
    Attachment,
    Channel,
    Dossier,
    DossierDocument,
    Event,
    Rating,
    Status,
    Step,
    StepKind,
)
from xaso.dossiers.validation import clean_applicant
from xaso.dossiers.workflow import ACTIONS, TERMINAL
from xaso.lib.errors import Conflict, Forbidden, InvalidInput, NotFound
from xaso.places.models import Commune, Department

# --- helpers -----------------------------------------------------------------------------


def _event(
    dossier: Dossier,
    *,
    actor: User | None,
    action: str,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    public: bool = True,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> Event:
    # The dossier's Event rows are its audit trail (append-only, who/when/from/to/why);
    # they are not copied into audit.AuditEvent, which covers everything else.
    row = Event.objects.create(
        dossier=dossier,
        at=at or timezone.now(),
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        public=public,
        data=data or {},
    )
    return row


def _department_for(commune: Commune, procedure: Procedure) -> Department | None:
    kind = procedure.responsible_department or Department.Kind.OFFICE
    return commune.departments.filter(kind=kind).first() or commune.departments.filter(kind="office").first()


def _least_loaded(users: list[User]) -> User | None:
    """The officer with the fewest open dossiers (ties: by name), so work spreads evenly."""
    if not users:
        return None
    loads = dict(
        Dossier.objects.filter(assignee__in=users)
        .exclude(status__in=TERMINAL)
        .values("assignee")
        .annotate(n=Count("id"))
        .values_list("assignee", "n")
    )
    return min(users, key=lambda u: (loads.get(u.pk, 0), u.full_name, u.pk))


def _officers(commune: Commune, role: str, department: Department | None = None) -> list[User]:
    qs = User.objects.filter(is_active=True, commune=commune, role_grants__role=role)
    if department is not None:
        qs = qs.filter(department=department)
    return list(qs.distinct())


def _start_step(
    dossier: Dossier,
    kind: str,
    *,
    department: Department | None,
    assignee: User | None,
    due: dt.datetime | None,
    now: dt.datetime,
    sequence: int | None = None,
    finished_by: User | None = None,
) -> Step:
    if sequence is None:
        sequence = (dossier.steps.order_by("-sequence").values_list("sequence", flat=True).first() or 0) + 1
    return Step.objects.create(
        dossier=dossier,
        sequence=sequence,
        kind=kind,
        department=department,
        assignee=assignee,
        started_at=now,
        due_at=due,
        finished_at=now if finished_by is not None else None,
        finished_by=finished_by,
    )


def _finish_current_step(dossier: Dossier, actor: User | None, now: dt.datetime, note: str = "") -> None:
    step = dossier.steps.filter(finished_at__isnull=True).order_by("-sequence").first()
    if step is not None:
        step.finished_at, step.finished_by, step.note = now, actor, note
        step.save(update_fields=["finished_at", "finished_by", "note"])


def _processing_due(dossier: Dossier) -> dt.datetime | None:
    """The processing step is due one working day before the dossier, leaving a day for
    sign-off, when the whole time allows it."""
    if dossier.due_at is None or dossier.received_at is None:
        return dossier.due_at
    if dossier.time_unit in ("working_days", "days") and (dossier.time_value or 0) >= 2:
        cal = deadlines.work_calendar()
        day_before = dossier.due_at - dt.timedelta(days=1)
        while not cal.is_working_day(day_before.date()):
            day_before -= dt.timedelta(days=1)
        return max(day_before, dossier.received_at)
    return dossier.due_at


# --- intake ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


ALLOWED_TYPES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def sniff_type(content: bytes) -> str | None:
    """The file type from its first bytes (never from its name)."""
    for magic, kind in ALLOWED_TYPES.items():
        if content.startswith(magic):
            return kind
    return None


def _check_upload(upload: Upload) -> str:
    kind = sniff_type(upload.content)
    if kind is None:
        raise InvalidInput(f"{upload.name}: only PDF, JPEG or PNG files are accepted.", field="attachments")
    if len(upload.content) > settings.XASO_ATTACHMENT_MAX_BYTES:
        limit = settings.XASO_ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise InvalidInput(f"{upload.name}: the file is larger than {limit} MB.", field="attachments")
    return kind


def _store(dossier: Dossier, upload: Upload, kind: str, actor: User | None) -> Attachment:
    folder = settings.XASO_ATTACHMENT_DIR / str(dossier.commune_id)
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{dossier.commune_id}/{secrets.token_hex(16)}"
    (settings.XASO_ATTACHMENT_DIR / stored).write_bytes(upload.content)
    return Attachment.objects.create(
        dossier=dossier,
        original_name=upload.name[:255],
        stored_name=stored,
        content_type=kind,
        size=len(upload.content),
        sha256=hashlib.sha256(upload.content).hexdigest(),
        uploaded_by=actor,
    )


def _processor(commune: Commune, procedure: Procedure) -> tuple[Department | None, User | None]:
    """The department that handles the procedure in the commune, and its least-loaded specialist."""
    department = _department_for(commune, procedure)
    return department, _least_loaded(_officers(commune, Role.SPECIALIST, department))


def _route_on_receipt(
    dossier: Dossier, actor: User | None, now: dt.datetime, sequence: int | None = None
) -> None:
    """Reception is done: hand the dossier to the specialist department of its commune."""
    if sequence is None:  # on intake the processor was chosen before the dossier was created
        dossier.department, dossier.assignee = _processor(dossier.commune, dossier.procedure)
    _start_step(
        dossier,
        StepKind.PROCESSING,
        department=dossier.department,
        assignee=dossier.assignee,
        due=_processing_due(dossier),
        now=now,
        sequence=sequence,
    )


def dossier_intake(
    *,
    actor: User | None,
    received_by: Commune,
    procedure_code: str,
    channel: str,
    applicant: Mapping[str, object],
    commune: Commune | None = None,
    documents_submitted: list[int] | None = None,
    attachments: list[Upload] | None = None,
    processing_days: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Record a new dossier, at the counter (``actor`` is the reception officer) or online
    (``actor`` is None: it waits as "submitted" until a reception officer receives it).

    ``documents_submitted`` lists the checklist positions handed in; a counter dossier with
    something missing is recorded as "supplement requested", listing exactly what is missing."""
    now = now or timezone.now()
    commune = commune or received_by
    if actor is not None:
        if actor.commune_id != received_by.pk or not actor.has_role(Role.RECEPTION_OFFICER):
            raise Forbidden("Only a reception officer of this center can take dossiers at its counter.")
    if commune.province_id != received_by.province_id:
        raise InvalidInput(
            "The competent commune must be in the same province as the center.", field="commune"
        )
    if channel not in Channel.values:
        raise InvalidInput(f"channel must be one of {', '.join(Channel.values)}.", field="channel")
    procedure = (
        Procedure.objects.filter(code=procedure_code, is_active=True)
        .defer(
            "steps", "steps_text", "conditions", "applicants", "search_text", "review_notes", "source_notes"
        )
        .prefetch_related("channels", "documents")
        .first()
    )
    if procedure is None:
        raise InvalidInput(f"No procedure with code {procedure_code}.", field="procedure_code")
    if not is_offered(commune, procedure):
        raise InvalidInput(
            f"{commune.name} does not handle procedure {procedure.code}.", field="procedure_code"
        )
    person = clean_applicant(applicant)
    checklist = list(procedure.documents.all())
    submitted = set(documents_submitted or [])
    if bad := sorted(i for i in submitted if not 0 <= i < len(checklist)):
        raise InvalidInput(f"Unknown checklist positions: {bad}.", field="documents_submitted")
    uploads = [(u, _check_upload(u)) for u in attachments or []]
    value, unit = deadlines.processing_time(procedure, channel)
    if processing_days is not None:
        if not 0 < processing_days <= 365:
            raise InvalidInput("processing_days must be between 1 and 365.", field="processing_days")
        value, unit = Decimal(processing_days), "working_days"
    counter = actor is not None
    due = deadlines.due_at(now, value, unit) if counter else None
    missing = [d.name for i, d in enumerate(checklist) if i not in submitted] if counter else []
    fees = [f.amount_vnd for f in effective_fees(procedure, commune) if f.channel.kind == channel]
    with transaction.atomic():
        local_day = timezone.localtime(now).date()
        unit_code = str(received_by.code)
        code = format_code(unit_code, local_day, next_sequence(unit_code, local_day))
        status = (
            Status.SUBMITTED if not counter else (Status.SUPPLEMENT_REQUESTED if missing else Status.RECEIVED)
        )
        department, assignee = _processor(commune, procedure) if status == Status.RECEIVED else (None, None)
        dossier = Dossier.objects.create(
            code=code,
            commune=commune,
            received_by=received_by,
            procedure=procedure,
            channel=channel,
            status=status,
            applicant_name=person.full_name,
            applicant_id_number=person.id_number,
            applicant_phone=person.phone,
            applicant_email=person.email,
            applicant_address=person.address,
            submitted_at=now,
            received_at=now if counter else None,
            due_at=due,
            original_due_at=due,
            time_value=value,
            time_unit=unit,
            paused_since=now if missing else None,
            fee_vnd=fees[0] if fees else None,
            missing_items=missing,
            created_by=actor,
            department=department,
            assignee=assignee,
        )
        DossierDocument.objects.bulk_create(
            [
                DossierDocument(
                    dossier=dossier,
                    position=i,
                    name=d.name,
                    quantity_text=d.quantity_text,
                    submitted=i in submitted,
                )
                for i, d in enumerate(checklist)
            ]
        )
        for upload, kind in uploads:
            _store(dossier, upload, kind, actor)
        _start_step(
            dossier,
            StepKind.RECEPTION,
            department=received_by.departments.filter(kind="service_center").first(),
            assignee=actor,
            due=None,
            now=now,
            sequence=1,
            finished_by=actor,  # at the counter, reception ends as the dossier is recorded
        )
        _event(
            dossier,
            actor=actor,
            action="submitted" if not counter else "received",
            to_status=status,
            at=now,
            data={"channel": channel, "received_by": received_by.code, "missing": missing},
        )
        if counter:
            if missing:
                _event(
                    dossier,
                    actor=actor,
                    action="request_supplement",
                    from_status=Status.RECEIVED,
                    to_status=status,
                    reason="; ".join(missing),
                    at=now,
                )
                notifications.queue_for_applicant(dossier, "supplement_requested")
            else:
                _route_on_receipt(dossier, actor, now, sequence=2)
                notifications.queue_for_applicant(dossier, "received")
        else:
            notifications.queue_for_applicant(dossier, "submitted")
    return dossier


# --- the workflow ------------------------------------------------------------------------


RECEPTION_ROLES = frozenset({Role.RECEPTION_OFFICER})


def _may_act(actor: User, dossier: Dossier, roles: tuple[str, ...]) -> bool:
    """The actor holds one of the action's roles, in the right unit: reception work at the
    center that received the dossier; leaders at the competent commune; specialists and
    department heads only in the department that holds the dossier (or as its assignee)."""
    if actor.is_superuser:
        return True
    usable = [r for r in roles if actor.has_role(r)]
    if not usable:
        return False
    if all(r in RECEPTION_ROLES for r in usable):
        return actor.commune_id == dossier.received_by_id
    if actor.commune_id != dossier.commune_id:
        return False
    if actor.has_role(Role.COMMUNE_LEADER) and Role.COMMUNE_LEADER in roles:
        return True
    if any(r in RECEPTION_ROLES for r in usable) and actor.commune_id == dossier.received_by_id:
        return True
    return dossier.assignee_id == actor.pk or (
        dossier.department_id is not None and actor.department_id == dossier.department_id
    )


def dossier_act(
    *,
    actor: User,
    code: str,
    action: str,
    reason: str = "",
    expected_version: int | None = None,
    missing_items: list[str] | None = None,
    new_due_at: dt.datetime | None = None,
    amount_vnd: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Apply one workflow action. Refuses, with a message that says why: an action the
    status does not allow, a role that may not take it, or a dossier someone else changed
    after ``expected_version`` was read."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise InvalidInput(f"Unknown action {action!r}.", field="action")
    reason = reason.strip()
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update()
            .select_related("commune", "received_by", "procedure")
            .filter(code=code)
            .first()
        )
        if dossier is None:
            raise NotFound(f"No dossier with code {code}.")
        # The clock is read once the row is locked, so the history's order is the order in
        # which moves were applied, even when two officers act in the same instant.
        now = now or timezone.now()
        if not _may_act(actor, dossier, spec.roles):
            raise Forbidden(f"Your role or unit may not '{spec.label or action}' on dossier {code}.")
        if expected_version is not None and expected_version != dossier.version:
            last = dossier.events.order_by("-at", "-id").select_related("actor").first()
            who = f" by {last.actor}" if last and last.actor else ""
            when = f" at {timezone.localtime(last.at):%H:%M %d/%m}" if last else ""
            raise Conflict(
                f"Dossier {code} was changed{who}{when} after you opened it; it is now "
                f"'{Status(dossier.status).label}'. Reload it and check before acting."
            )
        if dossier.status not in spec.sources:
            raise Conflict(
                f"Cannot '{spec.label or action}': dossier {code} is '{Status(dossier.status).label}'."
            )
        if spec.needs_reason and not reason and not missing_items:
            raise InvalidInput("Please give the reason; it is sent to the applicant.", field="reason")
        before = dossier.status
        handler = _HANDLERS.get(action)
        if handler:
            handler(
                dossier,
                actor,
                now,
                reason=reason,
                missing_items=missing_items,
                new_due_at=new_due_at,
                amount_vnd=amount_vnd,
            )
        if spec.target is not None:
            dossier.status = spec.target
        if dossier.status in TERMINAL and dossier.closed_at is None:
            dossier.closed_at = now
        updated = Dossier.objects.filter(pk=dossier.pk, version=dossier.version).update(
            status=dossier.status,
            version=dossier.version + 1,
            received_at=dossier.received_at,
            due_at=dossier.due_at,
            original_due_at=dossier.original_due_at,
            paused_since=dossier.paused_since,
            pauses=dossier.pauses,
            finished_at=dossier.finished_at,
            returned_at=dossier.returned_at,
            closed_at=dossier.closed_at,
            department=dossier.department,
            assignee=dossier.assignee,
            missing_items=dossier.missing_items,
            late=dossier.late,
            fee_vnd=dossier.fee_vnd,
            due_warning_sent=dossier.due_warning_sent,
        )
        if updated != 1:  # pragma: no cover — the row lock makes this a can't-happen guard
            raise Conflict(f"Dossier {code} changed while you were acting; reload it.")
        dossier.version += 1
        _event(
            dossier,
            actor=actor,
            action=action,
            from_status=before,
            to_status=dossier.status,
            reason=reason,
            data={
                "missing": missing_items or [],
                "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
            },
            at=now,
        )
    return dossier


def _pause(dossier: Dossier, now: dt.datetime) -> None:
    if dossier.paused_since is None:
        dossier.paused_since = now


def _resume(dossier: Dossier, now: dt.datetime) -> None:
    if dossier.paused_since is not None:
        dossier.pauses = [*dossier.pauses, [dossier.paused_since.isoformat(), now.isoformat()]]
        dossier.paused_since = None
        if dossier.received_at is not None and dossier.original_due_at is not None:
            base = deadlines.due_at(
                dossier.received_at, dossier.time_value, dossier.time_unit, dossier.pauses
            )
            extension = (dossier.due_at - dossier.original_due_at) if dossier.due_at else dt.timedelta(0)
            dossier.due_at = base + extension


def _receive(dossier: Dossier, actor: User, now: dt.datetime, **_: Any) -> None:
    dossier.received_at = now
    dossier.due_at = dossier.original_due_at = deadlines.due_at(now, dossier.time_value, dossier.time_unit)
    _finish_current_step(dossier, actor, now)
    _route_on_receipt(dossier, actor, now)
    notifications.queue_for_applicant(dossier, "received")


def _refuse(dossier: Dossier, actor: User, now: dt.datetime, **_: Any) -> None:
    _finish_current_step(dossier, actor, now)


def _request_supplement(
    dossier: Dossier, actor: User, now: dt.datetime, *, reason: str, missing_items: list[str] | None, **_: Any
) -> None:
    items = [i.strip() for i in (missing_items or []) if i.strip()]
    if not items:
        raise InvalidInput(
            "List what is missing; slip 02 shows the applicant exactly that.", field="missing_items"
        )
    dossier.missing_items = items
    _pause(dossier, now)
    notifications.queue_for_applicant(dossier, "supplement_requested")


def _supplement_received(dossier: Dossier, actor: User, now: dt.datetime, **_: Any) -> None:
    was_never_routed = (
        dossier.received_at is None or not dossier.steps.filter(kind=StepKind.PROCESSING).exists()
    )
    if dossier.received_at is None:
        dossier.received_at = now
        dossier.due_at = dossier.original_due_at = deadlines.due_at(
            now, dossier.time_value, dossier.time_unit
        )
        dossier.paused_since = None
    else:
        _resume(dossier, now)
    dossier.missing_items = []
    DossierDocument.objects.filter(dossier=dossier).update(submitted=True)
    if was_never_routed:
        _finish_current_step(dossier, actor, now)
        _route_on_receipt(dossier, actor, now)


def _request_payment(
    dossier: Dossier, actor: User, now: dt.datetime, *, amount_vnd: int | None, **_: Any
) -> None:
    if amount_vnd is not None:
        if amount_vnd < 0:
            raise InvalidInput("The amount cannot be negative.", field="amount_vnd")
        dossier.fee_vnd = amount_vnd
    _pause(dossier, now)


def _payment_received(dossier: Dossier, actor: User, now: dt.datetime, **_: Any) -> None:
    _resume(dossier, now)


def _forward(dossier: Dossier, actor: User, now: dt.datetime, **_: Any) -> None:
    current = dossier.steps.filter(finished_at__isnull=True).order_by("-sequence").first()
    if current is None or current.kind != StepKind.PROCESSING:
        raise Conflict(f"Dossier {dossier.code} is not at the processing step.")
    _finish_current_step(dossier, actor, now)
    leader = _least_loaded(_officers(dossier.commune, Role.COMMUNE_LEADER))
    dossier.assignee = leader
    _start_step(dossier, StepKind.SIGNOFF, department=None, assignee=leader, due=dossier.due_at, now=now)


def _approve(dossier: Dossier, actor: User, now: dt.datetime, **_: Any) -> None:
    current = dossier.steps.filter(finished_at__isnull=True).order_by("-sequence").first()
    if current is None or current.kind != StepKind.SIGNOFF:
        raise Conflict(f"Dossier {dossier.code} has not been sent for sign-off yet.")
    _finish_current_step(dossier, actor, now)
    dossier.finished_at = now
    dossier.late = dossier.due_at is not None and now > dossier.due_at
    center = dossier.received_by.departments.filter(kind="service_center").first()
    dossier.assignee = None
    _start_step(dossier, StepKind.RETURN, department=center, assignee=None, due=None, now=now)
    notifications.queue_for_applicant(dossier, "done")


def _return_result(dossier: Dossier, actor: User, now: dt.datetime, **_: Any) -> None:
    _finish_current_step(dossier, actor, now)
    dossier.returned_at = now


def _close(dossier: Dossier, actor: User, now: dt.datetime, **_: Any) -> None:
    _finish_current_step(dossier, actor, now)
    if dossier.paused_since is not None:
        _resume(dossier, now)


def _extend(
    dossier: Dossier, actor: User, now: dt.datetime, *, new_due_at: dt.datetime | None, **_: Any
) -> None:
    if new_due_at is None:
        raise InvalidInput("Give the new appointment date.", field="new_due_at")
    if timezone.is_naive(new_due_at):
        raise InvalidInput("The new appointment date needs a time zone.", field="new_due_at")
    if dossier.due_at is not None and new_due_at <= dossier.due_at:
        raise InvalidInput("The new appointment must be later than the current one.", field="new_due_at")
    dossier.due_at = new_due_at
    dossier.due_warning_sent = False
    step = dossier.steps.filter(finished_at__isnull=True).order_by("-sequence").first()
    if step is not None:
        step.due_at = new_due_at
        step.save(update_fields=["due_at"])
    notifications.queue_for_applicant(dossier, "apology")


_HANDLERS: dict[str, Callable[..., None]] = {
    "receive": _receive,
    "refuse": _refuse,
    "request_supplement": _request_supplement,
    "supplement_received": _supplement_received,
    "request_payment": _request_payment,
    "payment_received": _payment_received,
    "forward": _forward,
    "approve": _approve,
    "return_result": _return_result,
    "withdraw": _close,
    "stop": _close,
    "extend": _extend,
}


@transaction.atomic
def dossier_reassign(*, actor: User, code: str, assignee: User) -> Dossier:
    """A department head (or leader) gives the current step to another officer of the commune."""
    dossier = Dossier.objects.select_for_update().filter(code=code).first()
    if dossier is None:
        raise NotFound(f"No dossier with code {code}.")
    if not _may_act(actor, dossier, (Role.DEPARTMENT_HEAD, Role.COMMUNE_LEADER)):
        raise Forbidden("Only a department head or leader of the commune may reassign a dossier.")
    if assignee.commune_id != dossier.commune_id or not assignee.is_active:
        raise InvalidInput(
            "The new assignee must be an active officer of the dossier's commune.", field="assignee"
        )
    step = dossier.steps.filter(finished_at__isnull=True).order_by("-sequence").first()
    if step is None:
        raise Conflict(f"Dossier {code} has no open step to reassign.")
    before = dossier.assignee
    step.assignee = assignee
    step.save(update_fields=["assignee"])
    dossier.assignee = assignee
    dossier.version += 1
    dossier.save(update_fields=["assignee", "version"])
    _event(
        dossier,
        actor=actor,
        action="reassigned",
        public=False,
        data={"from": before.pk if before else None, "to": assignee.pk},
    )
    return dossier


@transaction.atomic
def dossier_rate(
    *, code: str, check: str, score: int, comment: str = "", now: dt.datetime | None = None
) -> Rating:
    """The applicant rates the service after the result is returned (no account needed)."""
    from xaso.dossiers.selectors import tracking_check_matches

    dossier = Dossier.objects.select_for_update().filter(code=code).first()
    if dossier is None or not tracking_check_matches(dossier, check):
        raise NotFound("No dossier matches this code and check digits.")
    if dossier.status != Status.RETURNED:
        raise Conflict("You can rate the service once the result has been returned.")
    if score not in Rating.Score.values:
        raise InvalidInput("score must be 1 (unsatisfied) to 4 (very satisfied).", field="score")
    if hasattr(dossier, "rating"):
        raise Conflict("This dossier has already been rated. Thank you!")
    rating = Rating.objects.create(
        dossier=dossier, score=score, comment=comment.strip()[:2000], at=now or timezone.now()
    )
    _event(dossier, actor=None, action="rated", public=False, data={"score": score})
    return rating


def open_dossier_filter() -> Q:
    return ~Q(status__in=TERMINAL)
