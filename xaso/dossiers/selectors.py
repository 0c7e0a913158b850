"""Reads for dossiers: work queues, public tracking, history."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from xaso.accounts.models import Role, User
from xaso.dossiers.models import Dossier, Event, Status, Step, StepKind, TrackingAttempt
from xaso.dossiers.workflow import TERMINAL


def tracking_check_matches(dossier: Dossier, check: str) -> bool:
    """The last 4 digits of the applicant's phone or citizen ID number."""
    check = (check or "").strip()
    if len(check) != 4 or not check.isdigit():
        return False
    return hmac.compare_digest(dossier.applicant_phone[-4:], check) or hmac.compare_digest(
        dossier.applicant_id_number[-4:], check
    )


def tracking_allowed(ip: str | None) -> bool:
    """Refuse an address after too many failed look-ups in 10 minutes (guessing codes)."""
    since = timezone.now() - dt.timedelta(minutes=10)
    failures = TrackingAttempt.objects.filter(ip=ip, at__gte=since).count()
    return failures < settings.XASO_TRACKING_MAX_FAILURES


def tracking_failed(ip: str | None, code: str) -> None:
    TrackingAttempt.objects.create(ip=ip, code=code[:60], at=timezone.now())


@dataclass(frozen=True)
class PublicView:
    code: str
    procedure_code: str
    procedure_name: str
    status: str
    status_label: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    paused: bool
    missing_items: list[str]
    timeline: list[tuple[dt.datetime, str, str]]  # (when, action, reason)
    rated: bool


def public_view(dossier: Dossier) -> PublicView:
    """What the applicant may see: no names or numbers beyond what they typed themselves."""
    events = Event.objects.filter(dossier=dossier, public=True).order_by("at", "id")
    return PublicView(
        code=dossier.code,
        procedure_code=dossier.procedure.code,
        procedure_name=dossier.procedure.name,
        status=dossier.status,
        status_label=str(Status(dossier.status).label),
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        paused=dossier.paused_since is not None,
        missing_items=list(dossier.missing_items) if dossier.status == Status.SUPPLEMENT_REQUESTED else [],
        timeline=[(e.at, e.action, e.reason if e.action in PUBLIC_REASONS else "") for e in events],
        rated=hasattr(dossier, "rating"),
    )


PUBLIC_REASONS = {"refuse", "request_supplement", "request_payment", "stop", "extend", "withdraw"}


def dossiers_for_user(user: User) -> QuerySet[Dossier]:
    """Dossiers a staff member may see: their commune's (competent or receiving), or the
    province's for province-level users."""
    qs = Dossier.objects.select_related("procedure", "commune", "assignee", "department")
    if user.is_superuser:
        return qs
    if (
        user.province_id is not None
        and user.is_province_level
        and user.has_role(Role.PROVINCE_MANAGER, Role.SYSTEM_ADMIN)
    ):
        return qs.filter(commune__province_id=user.province_id)
    if user.commune_id is None:
        return qs.none()
    return qs.filter(Q(commune_id=user.commune_id) | Q(received_by_id=user.commune_id))


QUEUES = ("to_receive", "to_process", "to_sign", "to_return", "due_soon", "overdue")


def queue(user: User, name: str, *, now: dt.datetime | None = None) -> QuerySet[Dossier]:
    """A role's work queue, sorted by due time (soonest first)."""
    now = now or timezone.now()
    mine = dossiers_for_user(user).exclude(status__in=TERMINAL)
    if name == "to_receive":
        qs = mine.filter(
            received_by_id=user.commune_id, status__in=[Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED]
        )
    elif name == "to_process":
        open_steps = Step.objects.filter(kind=StepKind.PROCESSING, finished_at__isnull=True)
        if not user.has_role(Role.DEPARTMENT_HEAD, Role.COMMUNE_LEADER) and user.department_id:
            open_steps = open_steps.filter(
                Q(assignee=user) | Q(assignee__isnull=True, department_id=user.department_id)
            )
        elif user.has_role(Role.DEPARTMENT_HEAD) and user.department_id:
            open_steps = open_steps.filter(department_id=user.department_id)
        qs = mine.filter(pk__in=open_steps.values("dossier_id"))
    elif name == "to_sign":
        qs = mine.filter(
            pk__in=Step.objects.filter(kind=StepKind.SIGNOFF, finished_at__isnull=True).values("dossier_id")
        )
    elif name == "to_return":
        qs = mine.filter(status=Status.DONE, received_by_id=user.commune_id)
    elif name == "due_soon":
        qs = mine.filter(due_at__gte=now, due_at__lte=now + dt.timedelta(days=2), paused_since__isnull=True)
    elif name == "overdue":
        qs = mine.filter(due_at__lt=now, paused_since__isnull=True).exclude(status=Status.DONE)
    else:
        raise ValueError(f"unknown queue {name!r}")
    return qs.order_by("due_at", "submitted_at")


def default_queues(user: User) -> list[str]:
    names = []
    if user.has_role(Role.RECEPTION_OFFICER):
        names += ["to_receive", "to_return"]
    if user.has_role(Role.SPECIALIST, Role.DEPARTMENT_HEAD):
        names += ["to_process"]
    if user.has_role(Role.COMMUNE_LEADER):
        names += ["to_sign"]
    return [*names, "due_soon", "overdue"]
