"""Intake, routing, every workflow rule, deadlines on the dossier, and history."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.conftest import World
from tests.dossiers.conftest import APPLICANT
from xaso.accounts.models import User
from xaso.catalog.models import Procedure
from xaso.dossiers.models import Dossier, Event, Notification, Status, StepKind
from xaso.dossiers.services import Upload, dossier_act, dossier_intake
from xaso.lib.errors import Conflict, Forbidden, InvalidInput

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


def take(world: World, code: str = "1.001193", **kw: object) -> Dossier:
    params: dict[str, object] = {
        "actor": world.officer_a,
        "received_by": world.commune_a,
        "procedure_code": code,
        "channel": "in_person",
        "applicant": APPLICANT,
        "documents_submitted": [0, 1],
    }
    params.update(kw)
    return dossier_intake(**params)  # type: ignore[arg-type]


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_it_takes_a_complete_dossier_and_routes_it(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    d = take(world)
    assert d.status == Status.RECEIVED
    assert d.code == "20122-260302-0001"
    assert d.due_at == at(2026, 3, 2, 17, 0)  # same day, received before 15:00
    steps = list(d.steps.order_by("sequence"))
    assert [s.kind for s in steps] == [StepKind.RECEPTION, StepKind.PROCESSING]
    assert steps[1].department is not None and steps[1].department.kind == "office"
    assert steps[1].assignee == justice_officer
    assert Event.objects.filter(dossier=d, action="received").exists()
    kinds = sorted(Notification.objects.filter(dossier=d).values_list("medium", "kind"))
    assert kinds == [("email", "received"), ("sms", "received")]


@time_machine.travel(at(2026, 3, 2, 15, 30), tick=False)
def test_it_rolls_a_same_day_dossier_after_1500_to_the_next_day(
    world: World, procedures: dict[str, Procedure]
) -> None:
    assert take(world).due_at == at(2026, 3, 3, 17, 0)


@time_machine.travel(at(2027, 2, 3, 15, 30), tick=False)
def test_it_skips_tet_2027_for_a_same_day_dossier(world: World, procedures: dict[str, Procedure]) -> None:
    assert take(world).due_at == at(2027, 2, 11, 17, 0)


@time_machine.travel(at(2026, 2, 12, 10, 0), tick=False)
def test_it_skips_tet_2026_for_working_days(world: World, procedures: dict[str, Procedure]) -> None:
    d = take(world, "1.004222", documents_submitted=[0])
    assert d.due_at == at(2026, 3, 2, 17, 0)  # 7 working days: 13/2, 23–27/2, 2/3


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_it_numbers_dossiers_by_day(world: World, procedures: dict[str, Procedure]) -> None:
    codes = [take(world).code for _ in range(3)]
    assert codes == ["20122-260302-0001", "20122-260302-0002", "20122-260302-0003"]


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_it_records_an_incomplete_dossier_as_a_supplement_request(
    world: World, procedures: dict[str, Procedure]
) -> None:
    d = take(world, documents_submitted=[0])
    assert d.status == Status.SUPPLEMENT_REQUESTED
    assert d.missing_items == ["Giấy chứng sinh."]
    assert d.paused_since is not None
    assert Notification.objects.filter(dossier=d, kind="supplement_requested").count() == 2


def test_it_refuses_bad_applicant_data_naming_the_field(
    world: World, procedures: dict[str, Procedure]
) -> None:
    for field, value, message in (
        ("id_number", "12345", "12 chữ số"),
        ("phone", "abc", "số Việt Nam"),
        ("full_name", "  ", "Cần nhập Họ và tên"),
        ("email", "not-an-email", "không hợp lệ"),
    ):
        with pytest.raises(InvalidInput, match=message) as exc:
            take(world, applicant={**APPLICANT, field: value})
        assert exc.value.field == f"applicant.{field}"
    assert Dossier.objects.count() == 0


def test_it_refuses_an_unknown_procedure_or_channel(world: World, procedures: dict[str, Procedure]) -> None:
    with pytest.raises(InvalidInput) as exc:
        take(world, "9.999999")
    assert exc.value.field == "procedure_code"
    with pytest.raises(InvalidInput) as exc:
        take(world, channel="fax")
    assert exc.value.field == "channel"


def test_it_refuses_intake_by_a_specialist_or_another_commune(
    world: World, procedures: dict[str, Procedure]
) -> None:
    with pytest.raises(Forbidden):
        take(world, actor=world.specialist_a)
    with pytest.raises(Forbidden):
        take(world, actor=world.officer_b)


def test_it_checks_attachments_by_content(world: World, procedures: dict[str, Procedure]) -> None:
    with pytest.raises(InvalidInput, match="only PDF, JPEG or PNG"):
        take(world, attachments=[Upload(name="giay.pdf", content=b"MZ\x90\x00 not a pdf")])
    d = take(world, attachments=[Upload(name="giay.pdf", content=b"%PDF-1.4\n%test\n")])
    att = d.attachments.get()
    assert att.content_type == "application/pdf" and att.size == 15


def test_it_routes_a_dossier_received_for_another_commune(
    world: World, procedures: dict[str, Procedure]
) -> None:
    d = take(world, commune=world.commune_b)
    assert d.commune == world.commune_b and d.received_by == world.commune_a
    step = d.steps.get(kind=StepKind.PROCESSING)
    assert step.department is not None and step.department.commune == world.commune_b


def _full_route(world: World, justice_officer: User) -> Dossier:
    d = take(world)
    dossier_act(actor=justice_officer, code=d.code, action="start")
    dossier_act(actor=justice_officer, code=d.code, action="forward")
    dossier_act(actor=world.leader_a, code=d.code, action="approve")
    return dossier_act(actor=world.officer_a, code=d.code, action="return_result")


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=True)
def test_it_follows_the_whole_route(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    d = _full_route(world, justice_officer)
    assert d.status == Status.RETURNED and d.returned_at is not None and not d.late
    assert [s.kind for s in d.steps.order_by("sequence")] == ["reception", "processing", "signoff", "return"]
    assert all(s.finished_at for s in d.steps.all())
    actions = list(d.events.order_by("at", "id").values_list("action", flat=True))
    assert actions == ["received", "start", "forward", "approve", "return_result"]
    assert Notification.objects.filter(dossier=d, kind="done").exists()


def test_it_refuses_an_illegal_move_with_a_clear_message(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    d = take(world)
    with pytest.raises(Conflict, match=f"is '{Status.RECEIVED.label}'"):
        dossier_act(actor=world.officer_a, code=d.code, action="return_result")
    with pytest.raises(Conflict, match="not been sent for sign-off"):
        dossier_act(actor=justice_officer, code=d.code, action="start") and dossier_act(
            actor=world.leader_a, code=d.code, action="approve"
        )


def test_it_refuses_an_action_outside_the_role_or_commune(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    d = take(world)
    with pytest.raises(Forbidden):
        dossier_act(actor=world.officer_a, code=d.code, action="start")  # reception cannot process
    with pytest.raises(Forbidden):
        dossier_act(actor=world.officer_b, code=d.code, action="withdraw", reason="x")
    assert Dossier.objects.get(pk=d.pk).status == Status.RECEIVED


def test_it_tells_the_second_officer_someone_acted_first(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    d = take(world)
    seen = d.version
    dossier_act(actor=justice_officer, code=d.code, action="start", expected_version=seen)
    with pytest.raises(Conflict, match="was changed by Justice A"):
        dossier_act(actor=world.specialist_a, code=d.code, action="start", expected_version=seen)


def test_it_needs_a_reason_to_refuse_or_stop(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    d = take(world)
    with pytest.raises(InvalidInput) as exc:
        dossier_act(actor=world.leader_a, code=d.code, action="stop")
    assert exc.value.field == "reason"


def test_it_keeps_processing_to_the_department_holding_the_dossier(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    d = take(world)  # civil status: the office department
    with pytest.raises(Forbidden):
        dossier_act(actor=world.head_a, code=d.code, action="start")  # head of the service center
    dossier_act(actor=world.specialist_a, code=d.code, action="start")  # an office specialist may
    with pytest.raises(Forbidden):
        dossier_act(actor=world.officer_b, code=d.code, action="request_supplement", missing_items=["x"])


def test_it_pauses_the_clock_while_waiting_for_a_supplement(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    with time_machine.travel(at(2026, 3, 2, 8, 0), tick=False):
        d = take(world, "1.004222", documents_submitted=[0])
        assert d.due_at == at(2026, 3, 11, 17, 0)
    with time_machine.travel(at(2026, 3, 3, 8, 0), tick=False):
        dossier_act(actor=justice_officer, code=d.code, action="start")
        dossier_act(
            actor=justice_officer, code=d.code, action="request_supplement", missing_items=["Bản sao sổ đỏ"]
        )
    with time_machine.travel(at(2026, 3, 5, 8, 0), tick=False):  # two working days later
        d = dossier_act(actor=world.officer_a, code=d.code, action="supplement_received")
    assert d.status == Status.IN_PROGRESS
    assert d.due_at == at(2026, 3, 13, 17, 0)  # two working days later than first promised
    assert d.pauses and d.paused_since is None


def test_it_extends_with_an_apology(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    d = take(world, "1.004222", documents_submitted=[0])
    assert d.due_at is not None
    new_due = d.due_at + dt.timedelta(days=3)
    d = dossier_act(
        actor=justice_officer, code=d.code, action="extend", reason="Cần xác minh", new_due_at=new_due
    )
    assert d.due_at == new_due and d.original_due_at != new_due
    assert Notification.objects.filter(dossier=d, kind="apology").exists()
    with pytest.raises(InvalidInput) as exc:
        dossier_act(actor=justice_officer, code=d.code, action="extend", reason="x", new_due_at=new_due)
    assert exc.value.field == "new_due_at"


def test_it_accepts_an_online_submission_and_receives_it(
    world: World, procedures: dict[str, Procedure]
) -> None:
    d = dossier_intake(
        actor=None,
        received_by=world.commune_a,
        procedure_code="1.001193",
        channel="online",
        applicant=APPLICANT,
    )
    assert d.status == Status.SUBMITTED and d.due_at is None
    d = dossier_act(actor=world.officer_a, code=d.code, action="receive")
    assert d.status == Status.RECEIVED and d.due_at is not None
    assert d.steps.filter(kind=StepKind.PROCESSING).exists()


def test_it_prints_the_due_date_from_the_command(world: World, procedures: dict[str, Procedure]) -> None:
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("due_date", procedure="1.001193", received="2027-02-03T15:30:00+07:00", stdout=out)
    assert out.getvalue().strip() == "2027-02-11T17:00:00+07:00"
    out = io.StringIO()
    call_command("due_date", procedure="1.004222", received="2026-02-12T10:00", stdout=out)
    assert out.getvalue().strip() == "2026-03-02T17:00:00+07:00"
    with pytest.raises(CommandError, match=r"no procedure with code 9\.9"):
        call_command("due_date", procedure="9.9", received="2026-02-12T10:00")
    with pytest.raises(CommandError, match="not an ISO date-time"):
        call_command("due_date", procedure="1.001193", received="yesterday")


def test_it_applies_configured_days_off_and_makeup_days(
    world: World, procedures: dict[str, Procedure]
) -> None:
    from xaso.dossiers.deadlines import forget_calendar
    from xaso.dossiers.models import CalendarOverride

    with time_machine.travel(at(2026, 3, 6, 16, 0), tick=False):  # Friday after 15:00
        assert take(world).due_at == at(2026, 3, 9, 17, 0)  # Monday
        CalendarOverride.objects.create(day=dt.date(2026, 3, 7), kind="makeup", note="Làm bù")
        forget_calendar()
        assert take(world).due_at == at(2026, 3, 7, 17, 0)  # the make-up Saturday
        CalendarOverride.objects.create(day=dt.date(2026, 3, 9), kind="day_off")
        CalendarOverride.objects.filter(day=dt.date(2026, 3, 7)).delete()
        forget_calendar()
        assert take(world).due_at == at(2026, 3, 10, 17, 0)
