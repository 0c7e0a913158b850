"""Form 07: the dossier register (Sổ theo dõi hồ sơ) of a commune's center, as an Excel file.

One row per dossier of the commune (competent for it, or having received it) submitted in a
date range, in the columns of the register of Circular 01/2018/TT-VPCP. One query."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from xaso.dossiers.models import Dossier, Status, Step, StepKind
from xaso.lib.errors import InvalidInput
from xaso.places.models import Commune

TITLE = "SỔ THEO DÕI HỒ SƠ"
AUTHOR = "Xã Số"
MAX_DAYS = 366
HEADER_ROW = 3
DATE_FORMAT = "dd/mm/yyyy"
COLUMNS = (
    ("STT", 6),
    ("Mã hồ sơ", 20),
    ("Tên TTHC", 40),
    ("Số lượng hồ sơ", 9),
    ("Tên cá nhân, tổ chức", 24),
    ("Địa chỉ, số điện thoại", 36),
    ("Cơ quan chủ trì giải quyết", 28),
    ("Ngày nhận", 12),
    ("Ngày hẹn trả", 12),
    ("Ngày chuyển hồ sơ", 12),
    ("Ngày có kết quả", 12),
    ("Trạng thái", 22),
    ("Đúng hạn/Trễ hạn", 12),
    ("Ngày trả kết quả", 12),
    ("Ký nhận", 14),
)
STATUSES: dict[str, str] = {
    Status.SUBMITTED: "Đã nộp trực tuyến, chờ tiếp nhận",
    Status.RECEIVED: "Đã tiếp nhận",
    Status.REFUSED: "Từ chối tiếp nhận",
    Status.IN_PROGRESS: "Đang giải quyết",
    Status.SUPPLEMENT_REQUESTED: "Chờ bổ sung hồ sơ",
    Status.FINANCIAL_OBLIGATION: "Chờ thực hiện nghĩa vụ tài chính",
    Status.DONE: "Đã có kết quả",
    Status.RETURNED: "Đã trả kết quả",
    Status.WITHDRAWN: "Rút hồ sơ",
    Status.STOPPED: "Dừng giải quyết",
}
Sheet = Any  # openpyxl's Worksheet; openpyxl has no type hints
NOT_TIMED = (Status.SUBMITTED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED)


def _check_range(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise InvalidInput("The end date is before the start date.", field="end")
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidInput(f"The register covers at most {MAX_DAYS} days at once.", field="end")


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def register_dossiers(commune: Commune, start: dt.date, end: dt.date) -> QuerySet[Dossier]:
    """The commune's dossiers submitted from ``start`` to ``end`` (local dates, inclusive),
    with the start of their first processing step as ``forwarded_at``."""
    first_processing = Step.objects.filter(dossier=OuterRef("pk"), kind=StepKind.PROCESSING).order_by(
        "sequence"
    )
    return (
        Dossier.objects.filter(Q(commune=commune) | Q(received_by=commune))
        .filter(submitted_at__gte=_midnight(start), submitted_at__lt=_midnight(end + dt.timedelta(days=1)))
        .select_related("procedure", "department", "commune")
        .annotate(forwarded_at=Subquery(first_processing.values("started_at")[:1]))
        .order_by("submitted_at", "pk")
    )


def _day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value is not None else None


def timeliness(dossier: Dossier, now: dt.datetime) -> str:
    """On time or late; empty for a dossier that was never to be handled (refused…)."""
    if dossier.status in NOT_TIMED or dossier.due_at is None:
        return ""
    if dossier.finished_at is not None:
        return "Trễ hạn" if dossier.late or dossier.finished_at > dossier.due_at else "Đúng hạn"
    return "Trễ hạn" if now > dossier.due_at else "Còn hạn"


def _handler(dossier: Dossier, commune: Commune) -> str:
    name = dossier.department.name if dossier.department else ""
    if dossier.commune_id != commune.pk:
        return f"{name} ({dossier.commune.name})" if name else dossier.commune.name
    return name


def _row(n: int, dossier: Dossier, commune: Commune, now: dt.datetime) -> list[object]:
    forwarded: dt.datetime | None = getattr(dossier, "forwarded_at", None)
    return [
        n,
        dossier.code,
        dossier.procedure.name,
        1,
        dossier.applicant_name,
        f"{dossier.applicant_address}; ĐT: {dossier.applicant_phone}",
        _handler(dossier, commune),
        _day(dossier.received_at),
        _day(dossier.due_at),
        _day(forwarded),
        _day(dossier.finished_at),
        STATUSES.get(dossier.status, dossier.status),
        timeliness(dossier, now),
        _day(dossier.returned_at),
        None,
    ]


def _title(sheet: Sheet, commune: Commune, start: dt.date, end: dt.date) -> None:
    last = get_column_letter(len(COLUMNS))
    sheet.merge_cells(f"A1:{last}1")
    sheet.merge_cells(f"A2:{last}2")
    sheet["A1"] = f"{TITLE} — Trung tâm Phục vụ hành chính công {commune.name}"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = f"Mẫu số 07 · Hồ sơ nộp từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
    sheet["A2"].font = Font(italic=True)
    for cell in ("A1", "A2"):
        sheet[cell].alignment = Alignment(horizontal="center")


def _header(sheet: Sheet) -> None:
    thin = Side(style="thin")
    for col, (name, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, col, name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 32
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"


def _write_row(sheet: Sheet, values: list[object]) -> None:
    sheet.append(values)
    row = sheet.max_row
    for col, value in enumerate(values, start=1):
        cell = sheet.cell(row, col)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        if isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT


def register_xlsx(*, commune: Commune, start: dt.date, end: dt.date) -> bytes:
    """Form 07 for ``commune`` from ``start`` to ``end`` (local dates, inclusive; at most
    366 days), as an .xlsx file."""
    _check_range(start, end)
    now = timezone.now()
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ theo dõi hồ sơ"
    book.properties.title = f"{TITLE} {commune.name} {start:%d/%m/%Y}–{end:%d/%m/%Y}"
    book.properties.creator = AUTHOR
    _title(sheet, commune, start, end)
    _header(sheet)
    for n, dossier in enumerate(register_dossiers(commune, start, end), start=1):
        _write_row(sheet, _row(n, dossier, commune, now))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{max(sheet.max_row, HEADER_ROW)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
