"""The worker: overdue marking, due-soon warnings, the outbox with retries; safe twice."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from tests.conftest import World
from tests.dossiers.test_workflow import at, take
from xaso.catalog.models import Procedure
from xaso.dossiers import notifications, worker
from xaso.dossiers.models import Dossier, Notification


@pytest.fixture(autouse=True)
def _no_console_sms(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(notifications.ConsoleSms, "send", lambda self, to, body: sent.append((to, body)))
    return sent


@pytest.fixture
def no_due_soon_warnings(settings: Any) -> None:
    """The outbox tests count the intake's two messages; a dossier taken in working hours may
    already be due within the warning window (a same-day procedure), which would add a third
    depending on the hour the tests run."""
    settings.XASO_DUE_WARNING_HOURS = 0


def test_it_sends_the_outbox_once(
    world: World, procedures: dict[str, Procedure], no_due_soon_warnings: None
) -> None:
    take(world)
    done = worker.run_until_idle()
    assert done["outbox"] == 2
    assert len(mail.outbox) == 1 and "Đã tiếp nhận" in mail.outbox[0].subject
    assert set(Notification.objects.values_list("state", flat=True)) == {"sent"}
    assert worker.run_until_idle()["outbox"] == 0


def test_it_retries_when_the_gateway_is_down(
    world: World, procedures: dict[str, Procedure], monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(self: object, to: str, body: str) -> None:
        raise ConnectionError("gateway down")

    monkeypatch.setattr(notifications.ConsoleSms, "send", down)
    take(world)
    worker.run_until_idle()
    sms = Notification.objects.get(medium="sms")
    assert sms.state == "pending" and sms.attempts == 1 and "gateway down" in sms.last_error
    monkeypatch.undo()
    monkeypatch.setattr(notifications.ConsoleSms, "send", lambda self, to, body: None)
    assert notifications.send_one(now=sms.next_attempt_at + dt.timedelta(seconds=1))
    sms.refresh_from_db()
    assert sms.state == "sent"


def test_it_does_not_send_a_claimed_message_twice(world: World, procedures: dict[str, Procedure]) -> None:
    take(world)
    row = Notification.objects.first()
    assert row is not None
    Notification.objects.update(claimed_until=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5))
    assert notifications.send_one() is False  # both are claimed by "another worker"
    row.refresh_from_db()
    assert row.state == "pending"


def test_it_marks_overdue_dossiers_once(world: World, procedures: dict[str, Procedure]) -> None:
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        d = take(world)
    with time_machine.travel(at(2026, 3, 3, 9, 0), tick=False):
        assert worker.mark_one_overdue() is True
        assert worker.mark_one_overdue() is False
    assert Dossier.objects.get(pk=d.pk).late
    assert d.events.filter(action="overdue").count() == 1


def test_it_warns_the_assignee_before_the_due_time(
    world: World, procedures: dict[str, Procedure], justice_officer: object
) -> None:
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        d = take(world)
        assert worker.warn_one_due_soon() is True
        assert worker.warn_one_due_soon() is False
    warning = Notification.objects.get(kind="due_soon")
    assert d.code in warning.subject
    assert warning.to == "justice.a@example.invalid"


def test_it_runs_as_a_command(
    world: World, procedures: dict[str, Procedure], no_due_soon_warnings: None
) -> None:
    take(world)
    out = io.StringIO()
    call_command("run_worker", "--once", stdout=out)
    assert "outbox: 2" in out.getvalue()
