"""Notifications through an outbox table: queued in the same transaction as the change
that caused them, sent (and retried) by the worker, so none is lost when a gateway is down.

E-mail goes through Django's mail backend (SMTP settings); SMS through a gateway backend:
``console`` (the demo: prints) or ``http`` (POSTs JSON to ``SMS_GATEWAY_URL``)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from xaso.dossiers.models import Dossier, Notification

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8

# Message texts (Vietnamese: they go to citizens). {code}, {procedure}, {due}, {missing}.
MESSAGES = {
    "submitted": (
        "Hồ sơ {code} đã được gửi",
        "Hồ sơ {code} ({procedure}) đã được gửi trực tuyến. Trung tâm sẽ kiểm tra và tiếp nhận.",
    ),
    "received": (
        "Đã tiếp nhận hồ sơ {code}",
        "Hồ sơ {code} ({procedure}) đã được tiếp nhận. Hẹn trả kết quả: {due}. Tra cứu: /track/{code}",
    ),
    "supplement_requested": (
        "Hồ sơ {code} cần bổ sung",
        "Hồ sơ {code} cần bổ sung: {missing}. Thời hạn giải quyết tạm dừng đến khi bổ sung đủ.",
    ),
    "done": ("Hồ sơ {code} đã có kết quả", "Hồ sơ {code} ({procedure}) đã có kết quả. Mời ông/bà đến nhận."),
    "apology": (
        "Xin lỗi về việc trễ hẹn hồ sơ {code}",
        "Trung tâm xin lỗi vì hồ sơ {code} chưa có kết quả đúng hẹn. Ngày hẹn mới: {due}.",
    ),
}


def _render(dossier: Dossier, kind: str) -> tuple[str, str]:
    subject, body = MESSAGES[kind]
    due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y") if dossier.due_at else "—"
    values = {
        "code": dossier.code,
        "procedure": dossier.procedure.name[:80],
        "due": due,
        "missing": "; ".join(dossier.missing_items) or "—",
    }
    return subject.format(**values), body.format(**values)


def queue_for_applicant(dossier: Dossier, kind: str) -> list[Notification]:
    """Queue the message for the applicant: SMS always (phone is required), e-mail if given."""
    subject, body = _render(dossier, kind)
    now = timezone.now()
    rows = [
        Notification(
            dossier=dossier,
            medium="sms",
            to=dossier.applicant_phone,
            body=body,
            kind=kind,
            next_attempt_at=now,
        )
    ]
    if dossier.applicant_email:
        rows.append(
            Notification(
                dossier=dossier,
                medium="email",
                to=dossier.applicant_email,
                subject=subject,
                body=body,
                kind=kind,
                next_attempt_at=now,
            )
        )
    return Notification.objects.bulk_create(rows)


def queue_for_officer(*, email: str, subject: str, body: str, kind: str, dossier: Dossier | None) -> None:
    if email:
        Notification.objects.create(
            dossier=dossier,
            medium="email",
            to=email,
            subject=subject,
            body=body,
            kind=kind,
            next_attempt_at=timezone.now(),
        )


class SmsGateway(Protocol):
    def send(self, to: str, body: str) -> None: ...


class ConsoleSms:
    def send(self, to: str, body: str) -> None:
        print(f"[SMS to {to}] {body}")  # the demo gateway prints by design


class HttpSms:
    def send(self, to: str, body: str) -> None:
        if not settings.SMS_GATEWAY_URL.startswith("https://"):
            raise RuntimeError("SMS_GATEWAY_URL must be an https:// URL")
        request = urllib.request.Request(  # noqa: S310 — scheme checked above
            settings.SMS_GATEWAY_URL,
            data=json.dumps({"to": to, "text": body}).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            if response.status >= 300:
                raise RuntimeError(f"gateway answered {response.status}")


def sms_gateway() -> SmsGateway:
    return HttpSms() if settings.SMS_BACKEND == "http" else ConsoleSms()


def deliver(row: Notification) -> None:
    if row.medium == Notification.Medium.EMAIL:
        send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.to], fail_silently=False)
    else:
        sms_gateway().send(row.to, row.body)


def send_one(now: dt.datetime | None = None) -> bool:
    """Claim and send one due notification; False when there is nothing to send.

    Claiming is "update where still pending and unclaimed" with a row-count check, so two
    workers never send the same message."""
    now = now or timezone.now()
    candidate = (
        Notification.objects.filter(state=Notification.State.PENDING, next_attempt_at__lte=now)
        .exclude(claimed_until__gt=now)
        .order_by("next_attempt_at", "id")
        .first()
    )
    if candidate is None:
        return False
    claimed = (
        Notification.objects.filter(pk=candidate.pk, state=Notification.State.PENDING)
        .exclude(claimed_until__gt=now)
        .update(claimed_until=now + dt.timedelta(minutes=5))
    )
    if claimed != 1:
        return True  # another worker took it; look again
    row = Notification.objects.get(pk=candidate.pk)
    try:
        deliver(row)
    except Exception as exc:  # noqa: BLE001 — any gateway failure is retried later
        row.attempts += 1
        row.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        if row.attempts >= MAX_ATTEMPTS:
            row.state = Notification.State.FAILED
        row.next_attempt_at = now + dt.timedelta(minutes=2**row.attempts)
        row.claimed_until = None
        row.save(update_fields=["attempts", "last_error", "state", "next_attempt_at", "claimed_until"])
        log.warning("notification %s failed (attempt %s): %s", row.pk, row.attempts, row.last_error)
        return True
    row.state, row.sent_at, row.attempts, row.claimed_until = (
        Notification.State.SENT,
        now,
        row.attempts + 1,
        None,
    )
    row.save(update_fields=["state", "sent_at", "attempts", "claimed_until"])
    return True
