"""The printed slips (forms 01–06) and the dossier register (form 07).

The dossiers are built straight with the ORM, in the state each form needs, so the tests
read the slips and not the workflow. Text is checked on ``slip_lines`` (what the PDF
draws); the PDF itself for its page size, fonts and metadata."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from tests.conftest import World
from xaso.catalog.models import Procedure
from xaso.dossiers.models import Dossier, DossierDocument, Event, Status, Step, StepKind
from xaso.dossiers.register import HEADER_ROW, register_xlsx
from xaso.dossiers.slips import FORMS, long_date, qr_payload, slip_lines, slip_pdf
from xaso.lib.errors import Conflict, InvalidInput

VN = ZoneInfo("Asia/Ho_Chi_Minh")
A5 = (419.5276, 595.2756)
A4_LANDSCAPE = (841.8898, 595.2756)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture
def birth(db: None) -> Procedure:
    return Procedure.objects.create(code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch")


def make_dossier(
    world: World, procedure: Procedure, code: str = "20122-260302-0001", **kw: object
) -> Dossier:
    fields: dict[str, object] = {
        "code": code, "commune": world.commune_a, "received_by": world.commune_a, "procedure": procedure,
        "channel": "in_person", "status": Status.IN_PROGRESS, "applicant_name": "Nguyễn Thị Lan",
        "applicant_id_number": "046190001234", "applicant_phone": "0905123456",
        "applicant_address": "Thôn 3, xã Vinh Lộc, thành phố Huế", "submitted_at": at(2026, 3, 2, 8, 30),
        "received_at": at(2026, 3, 2, 8, 30), "due_at": at(2026, 3, 9, 17, 0),
        "original_due_at": at(2026, 3, 9, 17, 0), "time_value": Decimal(5), "time_unit": "working_days",
        "department": world.commune_a.departments.get(kind="office"),
    }  # fmt: skip
    fields.update(kw)
    dossier = Dossier.objects.create(**fields)
    DossierDocument.objects.bulk_create([
        DossierDocument(dossier=dossier, position=0, name="Tờ khai đăng ký khai sinh", quantity_text="1 bản chính",
                        submitted=True),
        DossierDocument(dossier=dossier, position=1, name="Giấy chứng sinh", quantity_text="1 bản chính",
                        submitted=True),
        DossierDocument(dossier=dossier, position=2, name="Giấy tờ chứng minh nơi cư trú", submitted=False),
    ])  # fmt: skip
    return dossier


def route(world: World, dossier: Dossier) -> None:
    """Reception at 08:30, processing finished on time, sign-off finished late, return open."""
    center = world.commune_a.departments.get(kind="service_center")
    office = world.commune_a.departments.get(kind="office")
    Step.objects.bulk_create([
        Step(dossier=dossier, sequence=1, kind=StepKind.RECEPTION, department=center, assignee=world.officer_a,
             started_at=at(2026, 3, 2, 8, 30), finished_at=at(2026, 3, 2, 8, 45), finished_by=world.officer_a),
        Step(dossier=dossier, sequence=2, kind=StepKind.PROCESSING, department=office, assignee=world.specialist_a,
             started_at=at(2026, 3, 2, 8, 45), due_at=at(2026, 3, 6, 17, 0), finished_at=at(2026, 3, 5, 10, 0),
             finished_by=world.specialist_a),
        Step(dossier=dossier, sequence=3, kind=StepKind.SIGNOFF, assignee=world.leader_a,
             started_at=at(2026, 3, 5, 10, 0), due_at=at(2026, 3, 9, 17, 0), finished_at=at(2026, 3, 10, 9, 15),
             finished_by=world.leader_a),
        Step(dossier=dossier, sequence=4, kind=StepKind.RETURN, department=center,
             started_at=at(2026, 3, 10, 9, 15)),
    ])  # fmt: skip


def event(dossier: Dossier, action: str, when: dt.datetime, reason: str = "", **data: object) -> Event:
    return Event.objects.create(dossier=dossier, at=when, action=action, reason=reason, data=data)


def media_box(pdf: bytes) -> tuple[float, float]:
    match = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert match is not None
    return round(float(match[1]), 4), round(float(match[2]), 4)


# --- 01 receipt ----------------------------------------------------------------------------


def test_it_prints_the_receipt_with_code_documents_and_due_time(world: World, birth: Procedure) -> None:
    dossier = make_dossier(world, birth)
    route(world, dossier)
    lines = slip_lines(dossier, "01")
    assert lines[:7] == [
        "Mẫu số 01", "ỦY BAN NHÂN DÂN XÃ VINH LỘC", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Huế, ngày 02 tháng 3 năm 2026",
        FORMS["01"],
    ]  # fmt: skip
    assert "Mã hồ sơ: 20122-260302-0001" in lines
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 09/03/2026" in lines
    assert "4. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 02/03/2026" in lines
    assert "3. Thời gian giải quyết hồ sơ theo quy định: 5 ngày làm việc" in lines
    assert "1.1. Tờ khai đăng ký khai sinh — 1 bản chính" in lines
    assert "1.2. Giấy chứng sinh — 1 bản chính" in lines
    assert not any("nơi cư trú" in line for line in lines)  # not handed in: not acknowledged
    assert "Nội dung yêu cầu giải quyết: Thủ tục đăng ký khai sinh (mã thủ tục 1.001193)" in lines
    assert "6. Hình thức nộp hồ sơ: Trực tiếp" in lines
    assert lines[-6:] == [
        "NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", "Nguyễn Thị Lan",
        "NGƯỜI TIẾP NHẬN", "(Ký và ghi rõ họ tên)", world.officer_a.full_name,
    ]  # fmt: skip


def test_it_encodes_the_tracking_address_in_the_qr_code(world: World, birth: Procedure) -> None:
    dossier = make_dossier(world, birth)
    assert qr_payload(dossier) == "/track/20122-260302-0001"
    assert (
        qr_payload(dossier, base_url="https://xaso.example/")
        == "https://xaso.example/track/20122-260302-0001"
    )
    lines = slip_lines(dossier, "01", base_url="https://xaso.example")
    assert "Tra cứu hồ sơ (quét mã QR): https://xaso.example/track/20122-260302-0001" in lines


def test_it_gives_no_receipt_for_a_dossier_not_yet_received(world: World, birth: Procedure) -> None:
    dossier = make_dossier(world, birth, status=Status.SUBMITTED, received_at=None, due_at=None)
    with pytest.raises(Conflict):
        slip_pdf(dossier, "01")


# --- 02 supplement request -----------------------------------------------------------------


def test_it_lists_exactly_what_is_missing_on_the_supplement_request(world: World, birth: Procedure) -> None:
    missing = ["Giấy tờ chứng minh nơi cư trú", "Bản sao CCCD của người đi đăng ký"]
    dossier = make_dossier(
        world,
        birth,
        status=Status.SUPPLEMENT_REQUESTED,
        missing_items=missing,
        paused_since=at(2026, 3, 3, 10, 0),
    )
    Event.objects.create(
        dossier=dossier, at=at(2026, 3, 3, 10, 0), action="request_supplement", actor=world.specialist_a,
        reason="Thiếu giấy tờ về nơi cư trú",
    )  # fmt: skip
    lines = slip_lines(dossier, "02")
    start = lines.index("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:")
    assert lines[start + 1 : start + 4] == [
        f"1. {missing[0]}",
        f"2. {missing[1]}",
        "Lý do: Thiếu giấy tờ về nơi cư trú",
    ]
    assert "Huế, ngày 03 tháng 3 năm 2026" in lines
    assert lines[-1] == world.specialist_a.full_name


def test_it_refuses_a_supplement_request_when_nothing_is_missing(world: World, birth: Procedure) -> None:
    with pytest.raises(Conflict):
        slip_lines(make_dossier(world, birth, missing_items=[]), "02")


# --- 03 refusal ----------------------------------------------------------------------------


def test_it_prints_the_reason_of_a_refusal(world: World, birth: Procedure) -> None:
    dossier = make_dossier(world, birth, status=Status.REFUSED, received_at=None, due_at=None)
    event(dossier, "refuse", at(2026, 3, 2, 9, 0), "Việc khai sinh thuộc thẩm quyền của xã nơi cư trú của mẹ")
    lines = slip_lines(dossier, "03")
    assert "Việc khai sinh thuộc thẩm quyền của xã nơi cư trú của mẹ" in lines
    assert FORMS["03"] in lines


def test_it_gives_no_refusal_slip_for_a_dossier_not_refused(world: World, birth: Procedure) -> None:
    with pytest.raises(Conflict):
        slip_lines(make_dossier(world, birth), "03")


# --- 04 apology and extension --------------------------------------------------------------


def test_it_apologises_with_the_old_and_new_appointment(world: World, birth: Procedure) -> None:
    dossier = make_dossier(world, birth, due_at=at(2026, 3, 13, 17, 0))
    event(
        dossier,
        "extend",
        at(2026, 3, 9, 15, 0),
        "Cần xác minh tại nơi sinh",
        due_at="2026-03-13T10:00:00+00:00",
    )
    lines = slip_lines(dossier, "04")
    assert "Thời gian hẹn trả kết quả: 17 giờ 00 phút, ngày 09/03/2026" in lines
    assert (
        "Thời gian hẹn trả kết quả mới: 17 giờ 00 phút, ngày 13/03/2026" in lines
    )  # 10:00 UTC is 17:00 here
    assert "Lý do: Cần xác minh tại nơi sinh" in lines


def test_it_takes_the_old_appointment_of_a_second_extension_from_the_first(
    world: World, birth: Procedure
) -> None:
    dossier = make_dossier(world, birth)
    event(dossier, "extend", at(2026, 3, 9, 15, 0), "Xác minh", due_at=at(2026, 3, 13, 17, 0).isoformat())
    event(
        dossier,
        "extend",
        at(2026, 3, 13, 9, 0),
        "Chờ kết quả xác minh",
        due_at=at(2026, 3, 18, 11, 0).isoformat(),
    )
    lines = slip_lines(dossier, "04")
    assert "Thời gian hẹn trả kết quả: 17 giờ 00 phút, ngày 13/03/2026" in lines
    assert "Thời gian hẹn trả kết quả mới: 11 giờ 00 phút, ngày 18/03/2026" in lines
    assert "Lý do: Chờ kết quả xác minh" in lines


def test_it_gives_no_apology_without_an_extension(world: World, birth: Procedure) -> None:
    with pytest.raises(Conflict):
        slip_lines(make_dossier(world, birth), "04")


# --- 05 stop notice ------------------------------------------------------------------------


def test_it_prints_the_reason_handling_stopped(world: World, birth: Procedure) -> None:
    dossier = make_dossier(world, birth, status=Status.STOPPED)
    event(dossier, "stop", at(2026, 3, 4, 14, 5), "Người yêu cầu đã đăng ký khai sinh tại nơi khác")
    lines = slip_lines(dossier, "05")
    assert "Lý do dừng giải quyết: Người yêu cầu đã đăng ký khai sinh tại nơi khác" in lines
    assert "Thời điểm dừng giải quyết: 14 giờ 05 phút, ngày 04/03/2026" in lines


def test_it_gives_no_stop_notice_for_a_dossier_still_handled(world: World, birth: Procedure) -> None:
    with pytest.raises(Conflict):
        slip_lines(make_dossier(world, birth), "05")


# --- 06 control slip -----------------------------------------------------------------------


def test_it_lists_every_hand_off_on_the_control_slip(world: World, birth: Procedure) -> None:
    dossier = make_dossier(world, birth)
    route(world, dossier)
    rows = [line for line in slip_lines(dossier, "06") if line[:2] in {"1 ", "2 ", "3 ", "4 "}]
    officer, specialist, leader = (
        world.officer_a.full_name,
        world.specialist_a.full_name,
        world.leader_a.full_name,
    )
    center, office = "Trung tâm Phục vụ hành chính công", "Văn phòng HĐND và UBND"
    assert rows == [
        f"1 | Tiếp nhận hồ sơ | Người nộp hồ sơ (Nguyễn Thị Lan) | {center} ({officer}) | "
        "08 giờ 30 phút, ngày 02/03/2026 | — | 08 giờ 45 phút, ngày 02/03/2026 | Hoàn thành | ",
        f"2 | Thẩm định, xử lý | {center} ({officer}) | {office} ({specialist}) | "
        "08 giờ 45 phút, ngày 02/03/2026 | 17 giờ 00 phút, ngày 06/03/2026 | 10 giờ 00 phút, ngày 05/03/2026 | "
        "Đúng hạn | ",
        f"3 | Lãnh đạo ký duyệt | {office} ({specialist}) | Lãnh đạo UBND ({leader}) | "
        "10 giờ 00 phút, ngày 05/03/2026 | 17 giờ 00 phút, ngày 09/03/2026 | 09 giờ 15 phút, ngày 10/03/2026 | "
        "Trễ hạn | ",
        f"4 | Trả kết quả | Lãnh đạo UBND ({leader}) | {center} | 09 giờ 15 phút, ngày 10/03/2026 | — | — | "
        "Đang xử lý | ",
    ]


def test_it_gives_no_control_slip_before_any_hand_off(world: World, birth: Procedure) -> None:
    with pytest.raises(Conflict):
        slip_lines(make_dossier(world, birth), "06")


# --- the PDF -------------------------------------------------------------------------------


@pytest.fixture
def every_state(world: World, birth: Procedure) -> dict[str, Dossier]:
    """One dossier for each form."""
    routed = make_dossier(world, birth, code="D-01", missing_items=["Giấy tờ chứng minh nơi cư trú"])
    route(world, routed)
    event(routed, "extend", at(2026, 3, 9, 15, 0), "Xác minh", due_at=at(2026, 3, 13, 17, 0).isoformat())
    refused = make_dossier(world, birth, code="D-03", status=Status.REFUSED, received_at=None, due_at=None)
    event(refused, "refuse", at(2026, 3, 2, 9, 0), "Không thuộc thẩm quyền")
    stopped = make_dossier(world, birth, code="D-05", status=Status.STOPPED)
    event(stopped, "stop", at(2026, 3, 4, 14, 0), "Người yêu cầu rút hồ sơ")
    return {"01": routed, "02": routed, "03": refused, "04": routed, "05": stopped, "06": routed}


@pytest.mark.parametrize("form", ["01", "02", "03", "04", "05"])
def test_it_prints_slips_01_to_05_on_a5_with_dejavu_sans(every_state: dict[str, Dossier], form: str) -> None:
    pdf = slip_pdf(every_state[form], form)
    assert pdf.startswith(b"%PDF-")
    assert media_box(pdf) == A5
    assert b"+DejaVuSans" in pdf  # the subset is embedded: Vietnamese needs no font on the reader's side
    assert b"+DejaVuSans-Bold" in pdf


def test_it_prints_the_control_slip_on_a4_landscape(every_state: dict[str, Dossier]) -> None:
    pdf = slip_pdf(every_state["06"], "06")
    assert media_box(pdf) == A4_LANDSCAPE


def test_it_names_the_author_and_title_in_the_pdf_metadata(every_state: dict[str, Dossier]) -> None:
    info = pdf_info(slip_pdf(every_state["01"], "01"))
    assert info["Author"] == "Xã Số"
    assert info["Title"] == "Mẫu số 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả — D-01"


def pdf_info(pdf: bytes) -> dict[str, str]:
    """The document information strings (PDF literal strings, UTF-16 with a BOM when not ASCII)."""
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}

    def unescape(match: re.Match[bytes]) -> bytes:
        code = match[1]
        return bytes([int(code, 8)]) if code[:1].isdigit() else escapes.get(code, code)

    info = {}
    for key, raw in re.findall(rb"/(Author|Title|Subject|Creator) \(((?:[^\\)]|\\.)*)\)", pdf, re.S):
        text = re.sub(rb"\\([0-7]{1,3}|.)", unescape, raw)
        info[key.decode()] = (
            text[2:].decode("utf-16-be") if text[:2] == b"\xfe\xff" else text.decode("latin-1")
        )
    return info


def test_it_refuses_an_unknown_form(world: World, birth: Procedure) -> None:
    with pytest.raises(InvalidInput) as error:
        slip_pdf(make_dossier(world, birth), "07")
    assert error.value.field == "form"


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 11, 20), "ngày 20 tháng 11 năm 2026"),
        (dt.date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
    ],
)
def test_it_writes_dates_the_way_official_documents_do(day: dt.date, text: str) -> None:
    assert long_date(day) == text


# --- 07 register ---------------------------------------------------------------------------


def _rows(xlsx: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None
    return list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))


def test_it_exports_the_register_with_one_row_per_dossier(world: World, birth: Procedure) -> None:
    done = make_dossier(
        world, birth, code="R-1", status=Status.RETURNED, finished_at=at(2026, 3, 10, 9, 15),
        returned_at=at(2026, 3, 11, 8, 0), late=True,
    )  # fmt: skip
    route(world, done)
    make_dossier(world, birth, code="R-2", submitted_at=at(2026, 3, 31, 23, 30))  # still March here
    make_dossier(world, birth, code="R-3", submitted_at=at(2026, 4, 1, 0, 5))  # April: out
    make_dossier(world, birth, code="R-4", commune=world.commune_b, received_by=world.commune_b)  # not A's
    header, *rows = _rows(
        register_xlsx(commune=world.commune_a, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    )
    assert header[:4] == ("STT", "Mã hồ sơ", "Tên TTHC", "Số lượng hồ sơ")
    assert header[-1] == "Ký nhận"
    assert [row[1] for row in rows] == ["R-1", "R-2"]
    first = dict(zip(header, rows[0], strict=True))
    assert first["STT"] == 1
    assert first["Số lượng hồ sơ"] == 1
    assert first["Tên TTHC"] == "Thủ tục đăng ký khai sinh"
    assert first["Tên cá nhân, tổ chức"] == "Nguyễn Thị Lan"
    assert first["Địa chỉ, số điện thoại"] == "Thôn 3, xã Vinh Lộc, thành phố Huế; ĐT: 0905123456"
    assert first["Cơ quan chủ trì giải quyết"] == "Văn phòng HĐND và UBND"
    assert first["Ngày nhận"] == dt.datetime(2026, 3, 2)
    assert first["Ngày hẹn trả"] == dt.datetime(2026, 3, 9)
    assert first["Ngày chuyển hồ sơ"] == dt.datetime(2026, 3, 2)
    assert first["Ngày có kết quả"] == dt.datetime(2026, 3, 10)
    assert first["Ngày trả kết quả"] == dt.datetime(2026, 3, 11)
    assert first["Trạng thái"] == "Đã trả kết quả"
    assert first["Đúng hạn/Trễ hạn"] == "Trễ hạn"
    assert first["Ký nhận"] is None


def test_it_keeps_dossiers_received_for_another_commune_in_the_register(
    world: World, birth: Procedure
) -> None:
    make_dossier(world, birth, code="X-1", commune=world.commune_b, received_by=world.commune_a)
    header, *rows = _rows(
        register_xlsx(commune=world.commune_a, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2))
    )
    assert [row[1] for row in rows] == ["X-1"]
    assert rows[0][header.index("Cơ quan chủ trì giải quyết")] == "Văn phòng HĐND và UBND (Xã Phú Vang)"


def test_it_formats_register_dates_as_day_month_year(world: World, birth: Procedure) -> None:
    make_dossier(world, birth)
    sheet = load_workbook(io.BytesIO(register_xlsx(commune=world.commune_a, start=dt.date(2026, 3, 1),
                                                   end=dt.date(2026, 3, 31)))).active  # fmt: skip
    assert sheet is not None
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.cell(HEADER_ROW, 1).font.b
    cell = sheet.cell(HEADER_ROW + 1, 9)
    assert cell.is_date and cell.number_format == "dd/mm/yyyy"


@pytest.mark.parametrize(
    ("start", "end"),
    [(dt.date(2026, 3, 2), dt.date(2026, 3, 1)), (dt.date(2025, 1, 1), dt.date(2026, 1, 2))],
)
def test_it_refuses_a_register_range_backwards_or_over_a_year(
    world: World, start: dt.date, end: dt.date
) -> None:
    with pytest.raises(InvalidInput) as error:
        register_xlsx(commune=world.commune_a, start=start, end=end)
    assert error.value.field == "end"


def test_it_accepts_a_whole_leap_year(world: World) -> None:
    register_xlsx(commune=world.commune_a, start=dt.date(2028, 1, 1), end=dt.date(2028, 12, 31))


def test_it_exports_30_dossiers_in_a_handful_of_queries(
    world: World, birth: Procedure, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(30):
        dossier = make_dossier(world, birth, code=f"Q-{n:02d}", submitted_at=at(2026, 3, 2, 8, n))
        route(world, dossier)
    with django_assert_max_num_queries(2):
        xlsx = register_xlsx(commune=world.commune_a, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert len(_rows(xlsx)) == 31
