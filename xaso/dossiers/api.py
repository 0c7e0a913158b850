"""Dossier API: counter intake, one endpoint per workflow action, slips, public tracking."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja import Status as Reply

from xaso.accounts import authz
from xaso.accounts.models import User
from xaso.dossiers import selectors, services
from xaso.dossiers.models import Dossier
from xaso.dossiers.workflow import ACTIONS, allowed_actions
from xaso.lib.errors import Forbidden, InvalidInput, NotFound
from xaso.places.models import Commune

router = Router(tags=["dossiers"])


class ApplicantIn(Schema):
    full_name: str
    id_number: str
    phone: str
    address: str
    email: str = ""


class IntakeIn(Schema):
    procedure_code: str
    channel: str = "in_person"
    applicant: ApplicantIn
    documents_submitted: list[int] = []
    commune: int | None = None  # the competent commune when it is not the receiving one
    processing_days: int | None = None


class StepOut(Schema):
    sequence: int
    kind: str
    department: str | None
    assignee: str | None
    started_at: dt.datetime
    due_at: dt.datetime | None
    finished_at: dt.datetime | None


class EventOut(Schema):
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    reason: str
    actor: str | None


class DossierOut(Schema):
    code: str
    status: str
    procedure_code: str
    procedure_name: str
    commune: int
    received_by: int
    channel: str
    applicant_name: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    paused: bool
    missing_items: list[str]
    assignee: str | None
    version: int
    allowed_actions: list[str]
    slips: dict[str, str]
    steps: list[StepOut]
    events: list[EventOut]


class ActionIn(Schema):
    reason: str = ""
    expected_version: int | None = None
    missing_items: list[str] | None = None
    new_due_at: dt.datetime | None = None
    amount_vnd: int | None = None


def _slip_links(dossier: Dossier) -> dict[str, str]:
    return {
        form: reverse("dossiers:slip", args=[dossier.code, form])
        for form in ("01", "02", "03", "04", "05", "06")
    }


def dossier_out(dossier: Dossier) -> DossierOut:
    steps = dossier.steps.select_related("department", "assignee")
    events = dossier.events.select_related("actor").order_by("at", "id")
    return DossierOut(
        code=dossier.code,
        status=dossier.status,
        procedure_code=dossier.procedure.code,
        procedure_name=dossier.procedure.name,
        commune=dossier.commune_id,
        received_by=dossier.received_by_id,
        channel=dossier.channel,
        applicant_name=dossier.applicant_name,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        paused=dossier.paused_since is not None,
        missing_items=list(dossier.missing_items),
        assignee=str(dossier.assignee) if dossier.assignee else None,
        version=dossier.version,
        allowed_actions=[a.name for a in allowed_actions(dossier.status)],
        slips=_slip_links(dossier),
        steps=[
            StepOut(
                sequence=s.sequence,
                kind=s.kind,
                department=s.department.name if s.department else None,
                assignee=str(s.assignee) if s.assignee else None,
                started_at=s.started_at,
                due_at=s.due_at,
                finished_at=s.finished_at,
            )
            for s in steps
        ],
        events=[
            EventOut(
                at=e.at,
                action=e.action,
                from_status=e.from_status,
                to_status=e.to_status,
                reason=e.reason,
                actor=str(e.actor) if e.actor else None,
            )
            for e in events
        ],
    )


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Forbidden("Please sign in with a staff account.", code="not_authenticated")
    return user


@router.post("/dossiers", response={201: DossierOut})
def intake(request: HttpRequest, payload: IntakeIn) -> Reply[DossierOut]:
    """Counter intake by a reception officer of the receiving center."""
    officer = _staff(request)
    if officer.commune is None:
        raise Forbidden("Only a commune's reception officer can take dossiers.")
    competent = None
    if payload.commune is not None:
        competent = Commune.objects.filter(pk=payload.commune).first()
        if competent is None:
            raise InvalidInput(f"No commune with code {payload.commune}.", field="commune")
    dossier = services.dossier_intake(
        actor=officer,
        received_by=officer.commune,
        commune=competent,
        procedure_code=payload.procedure_code,
        channel=payload.channel,
        applicant=payload.applicant.dict(),
        documents_submitted=payload.documents_submitted,
        processing_days=payload.processing_days,
    )
    return Reply(201, dossier_out(dossier))


@router.get("/dossiers", response=list[DossierOut])
def list_dossiers(request: HttpRequest, queue: str = "to_process", limit: int = 50) -> list[DossierOut]:
    user = _staff(request)
    if queue not in selectors.QUEUES:
        raise InvalidInput(f"queue must be one of {', '.join(selectors.QUEUES)}.", field="queue")
    if not 1 <= limit <= 200:
        raise InvalidInput("limit must be between 1 and 200.", field="limit")
    return [dossier_out(d) for d in selectors.queue(user, queue)[:limit]]


@router.get("/dossiers/{code}", response=DossierOut)
def get_dossier(request: HttpRequest, code: str) -> DossierOut:
    return dossier_out(authz.get_dossier_for_user(request.user, code))


def _make_action_endpoint(name: str) -> None:
    spec = ACTIONS[name]

    def act(request: HttpRequest, code: str, payload: ActionIn) -> DossierOut:
        user = _staff(request)
        authz.get_dossier_for_user(user, code)
        dossier = services.dossier_act(
            actor=user,
            code=code,
            action=name,
            reason=payload.reason,
            expected_version=payload.expected_version,
            missing_items=payload.missing_items,
            new_due_at=payload.new_due_at,
            amount_vnd=payload.amount_vnd,
        )
        return dossier_out(dossier)

    act.__name__ = f"dossier_{name}"
    router.post(
        f"/dossiers/{{code}}/{name}",
        response=DossierOut,
        summary=str(spec.label),
        operation_id=f"dossier_{name}",
    )(act)


for _name in ACTIONS:
    _make_action_endpoint(_name)


class TrackOut(Schema):
    code: str
    procedure_code: str
    procedure_name: str
    status: str
    status_label: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    paused: bool
    needed_from_applicant: list[str]
    timeline: list[dict[str, str]]


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def track_lookup(request: HttpRequest, code: str, check: str) -> Dossier:
    """The public look-up shared by the page and the API, rate-limited per address."""
    ip = client_ip(request)
    if not selectors.tracking_allowed(ip):
        raise Forbidden(
            "Too many failed look-ups from your address; try again in 10 minutes.", code="rate_limited"
        )
    dossier = Dossier.objects.select_related("procedure").filter(code=code.strip()).first()
    if dossier is None or not selectors.tracking_check_matches(dossier, check):
        selectors.tracking_failed(ip, code)
        raise NotFound("No dossier matches this code and the last 4 digits of the phone or ID number.")
    return dossier


@router.get("/track/{code}", response=TrackOut, auth=None)
def track(request: HttpRequest, code: str, check: str = "") -> TrackOut:
    view = selectors.public_view(track_lookup(request, code, check))
    return TrackOut(
        code=view.code,
        procedure_code=view.procedure_code,
        procedure_name=view.procedure_name,
        status=view.status,
        status_label=view.status_label,
        received_at=view.received_at,
        due_at=view.due_at,
        paused=view.paused,
        needed_from_applicant=view.missing_items,
        timeline=[
            {"at": at.isoformat(), "action": action, "reason": reason} for at, action, reason in view.timeline
        ],
    )


class RatingIn(Schema):
    check: str
    score: int
    comment: str = ""


@router.post("/track/{code}/rating", response={201: dict[str, int]}, auth=None)
def rate(request: HttpRequest, code: str, payload: RatingIn) -> Reply[dict[str, int]]:
    rating = services.dossier_rate(
        code=code, check=payload.check, score=payload.score, comment=payload.comment
    )
    return Reply(201, {"score": rating.score})
