"""The printed slips of the one-stop mechanism (Circular 01/2018/TT-VPCP, kept by Circular
03/2025/TT-VPCP), as PDF.

Our numbering: 01 receipt and appointment (with a QR code to track the dossier), 02 request
to supplement the dossier, 03 refusal, 04 apology and new appointment, 05 stop notice,
06 control slip of every hand-off. Form 07, the register, is ``xaso.dossiers.register``.

Each slip is first built as plain data (``Slip``); ``slip_lines`` reads it as text and
``slip_pdf`` draws it with ReportLab, so what is tested is what is printed."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

import segno
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from xaso.accounts.models import User
from xaso.dossiers.models import Dossier, Event, Status, Step, StepKind
from xaso.lib.errors import Conflict, InvalidInput
from xaso.lib.pdf import FONT, register_fonts
from xaso.places.models import Commune

FORMS: dict[str, str] = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "05": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    "06": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}
AUTHOR = "Xã Số"
NATION = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
CENTER = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
HEAD_OF_AGENCY = "THỦ TRƯỞNG CƠ QUAN"
SIGN_HINT = "(Ký và ghi rõ họ tên)"
DAY = re.compile(r"ngày (\d\d/\d\d/\d{4})")
KEEP_TOGETHER = 32  # characters: shorter values are not broken across lines

CHANNELS = {"in_person": "Trực tiếp", "online": "Trực tuyến", "postal": "Qua dịch vụ bưu chính công ích"}
TIME_UNITS = {
    "working_days": "ngày làm việc",
    "days": "ngày",
    "working_hours": "giờ làm việc",
    "hours": "giờ",
    "months": "tháng",
}
STEP_KINDS: dict[str, str] = {
    StepKind.RECEPTION: "Tiếp nhận hồ sơ",
    StepKind.PROCESSING: "Thẩm định, xử lý",
    StepKind.SIGNOFF: "Lãnh đạo ký duyệt",
    StepKind.RETURN: "Trả kết quả",
}
GRID_06 = (
    ("STT", 11), ("Bước", 27), ("Bên giao", 42), ("Bên nhận", 42), ("Thời điểm giao, nhận", 32),
    ("Hạn xử lý", 32), ("Hoàn thành", 32), ("Kết quả", 21), ("Ghi chú", 28),
)  # fmt: skip


# --- the slip as data --------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A paragraph. style: body, item (indented), bold, note (italic)."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Fact:
    """ "label: value", the value in bold."""

    label: str
    value: str


@dataclass(frozen=True)
class Grid:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_mm: tuple[float, ...]


@dataclass(frozen=True)
class Qr:
    """A QR code beside a few facts (the dossier code and where to track it)."""

    payload: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Signer:
    title: str
    hint: str = SIGN_HINT
    name: str = ""


Block = Line | Fact | Grid | Qr


@dataclass(frozen=True)
class Slip:
    form: str
    code: str
    agency: tuple[str, str]
    place_date: str
    blocks: tuple[Block, ...]
    signers: tuple[Signer, ...] = ()
    wide: bool = False  # A4 landscape instead of A5 portrait

    @property
    def title(self) -> str:
        return FORMS[self.form]


# --- formatting --------------------------------------------------------------------------


def local_time(value: dt.datetime) -> str:
    """ "08 giờ 30 phút, ngày 02/03/2026" in the local (Asia/Ho_Chi_Minh) time."""
    t = timezone.localtime(value)
    return f"{t:%H} giờ {t:%M} phút, ngày {t:%d/%m/%Y}"


def local_time_or_dash(value: dt.datetime | None) -> str:
    return local_time(value) if value is not None else "—"


def long_date(day: dt.date) -> str:
    """ "ngày 05 tháng 3 năm 2026": days below 10 and months below 3 take a leading zero
    (Decree 30/2020/NĐ-CP, Appendix I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_name(commune: Commune) -> str:
    name = commune.province.name
    for prefix in ("Thành phố ", "Tỉnh "):
        name = name.removeprefix(prefix)
    return name


def _number(value: Decimal | int) -> str:
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def processing_time(dossier: Dossier) -> str:
    if dossier.time_unit == "same_day":
        return "Trong ngày"
    unit = TIME_UNITS.get(dossier.time_unit)
    if dossier.time_value is None or unit is None:
        return "Theo quy định của thủ tục"
    return f"{_number(dossier.time_value)} {unit}"


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def qr_payload(dossier: Dossier, *, base_url: str = "") -> str:
    """What the QR code of slip 01 encodes: the public tracking address of the dossier."""
    return f"{base_url.rstrip('/')}/track/{quote(dossier.code, safe='')}"


# --- what each form says -----------------------------------------------------------------


def _last_event(dossier: Dossier, action: str) -> Event | None:
    return dossier.events.filter(action=action).select_related("actor").order_by("-at", "-id").first()


def _actor_name(event: Event | None) -> str:
    return event.actor.full_name if event is not None and event.actor is not None else ""


def _head(dossier: Dossier, form: str, issuer: Commune, on: dt.datetime, *blocks: Block, **kw: Any) -> Slip:
    day = timezone.localtime(on).date()
    agency = (f"ỦY BAN NHÂN DÂN {issuer.name.upper()}", CENTER)
    return Slip(form, dossier.code, agency, f"{place_name(issuer)}, {long_date(day)}", blocks, **kw)


def _applicant(dossier: Dossier, lead: str = "Họ và tên người nộp hồ sơ") -> tuple[Fact, ...]:
    facts = [
        Fact(lead, dossier.applicant_name),
        Fact("Địa chỉ", dossier.applicant_address),
        Fact("Số điện thoại", dossier.applicant_phone),
    ]
    if dossier.applicant_email:
        facts.append(Fact("Thư điện tử", dossier.applicant_email))
    return tuple(facts)


def _procedure(dossier: Dossier) -> Fact:
    procedure = dossier.procedure
    return Fact("Nội dung yêu cầu giải quyết", f"{procedure.name} (mã thủ tục {procedure.code})")


def _documents(dossier: Dossier) -> tuple[Line, ...]:
    rows = dossier.documents.filter(submitted=True).order_by("position")
    items = [
        Line(f"1.{n}. {doc.name}" + (f" — {doc.quantity_text}" if doc.quantity_text else ""), "item")
        for n, doc in enumerate(rows, start=1)
    ]
    return (Line("1. Thành phần hồ sơ nộp gồm:"), *(items or [Line("(Chưa ghi nhận giấy tờ nào.)", "item")]))


def _receipt(dossier: Dossier, base_url: str) -> Slip:
    if dossier.received_at is None or dossier.due_at is None or dossier.status == Status.REFUSED:
        raise Conflict(f"Dossier {dossier.code} has not been received: there is no appointment to print.")
    payload = qr_payload(dossier, base_url=base_url)
    fee = [Line(f"7. Phí, lệ phí: {_vnd(dossier.fee_vnd)}")] if dossier.fee_vnd is not None else []
    reception = (
        dossier.steps.filter(kind=StepKind.RECEPTION).select_related("finished_by", "assignee").first()
    )
    officer = (reception.finished_by or reception.assignee) if reception is not None else None
    return _head(
        dossier, "01", dossier.received_by, dossier.received_at,
        Qr(payload, (Fact("Mã hồ sơ", dossier.code), Fact("Tra cứu hồ sơ (quét mã QR)", payload))),
        *_applicant(dossier), _procedure(dossier), *_documents(dossier),
        Line("2. Số lượng hồ sơ: 01 (bộ)"),
        Line(f"3. Thời gian giải quyết hồ sơ theo quy định: {processing_time(dossier)}"),
        Line(f"4. Thời gian nhận hồ sơ: {local_time(dossier.received_at)}"),
        Fact("5. Thời gian trả kết quả giải quyết hồ sơ", local_time(dossier.due_at)),
        Line(f"6. Hình thức nộp hồ sơ: {CHANNELS.get(dossier.channel, dossier.channel)}"),
        *fee,
        signers=(Signer("NGƯỜI NỘP HỒ SƠ", name=dossier.applicant_name),
                 Signer("NGƯỜI TIẾP NHẬN", name=officer.full_name if officer else "")),
    )  # fmt: skip


def _supplement(dossier: Dossier, base_url: str) -> Slip:
    items = [str(item) for item in dossier.missing_items or [] if str(item).strip()]
    if not items:
        raise Conflict(f"Dossier {dossier.code} lacks nothing: there is no supplement to request.")
    event = _last_event(dossier, "request_supplement")
    reason = event.reason if event is not None and event.reason != "; ".join(items) else ""
    center = dossier.received_by
    contact = f", số điện thoại {center.phone}" if center.phone else ""
    paused = (
        [Line(f"Thời gian giải quyết hồ sơ tạm dừng từ {local_time(dossier.paused_since)} cho đến khi "
              "Ông/Bà bổ sung đủ hồ sơ.")]
        if dossier.paused_since
        else []
    )  # fmt: skip
    return _head(
        dossier, "02", center, event.at if event else dossier.paused_since or dossier.submitted_at,
        Fact("Mã hồ sơ", dossier.code), *_applicant(dossier, "Hồ sơ của"), _procedure(dossier),
        Line("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:", "bold"),
        *(Line(f"{n}. {item}", "item") for n, item in enumerate(items, start=1)),
        *([Fact("Lý do", reason)] if reason else []), *paused,
        Line(f"Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ Trung tâm Phục vụ hành chính "
             f"công {center.name}{contact} để được hướng dẫn."),
        signers=(Signer("NGƯỜI NỘP HỒ SƠ", name=dossier.applicant_name),
                 Signer("NGƯỜI HƯỚNG DẪN", name=_actor_name(event))),
    )  # fmt: skip


def _refusal(dossier: Dossier, base_url: str) -> Slip:
    if dossier.status != Status.REFUSED:
        raise Conflict(f"Dossier {dossier.code} was not refused.")
    event = _last_event(dossier, "refuse")
    center = dossier.received_by
    return _head(
        dossier, "03", center, event.at if event else dossier.closed_at or dossier.submitted_at,
        Line(f"Trung tâm Phục vụ hành chính công {center.name} tiếp nhận hồ sơ của:"),
        *_applicant(dossier, "Ông/Bà"), _procedure(dossier), Fact("Mã hồ sơ", dossier.code),
        Line("Sau khi xem xét, đối chiếu thành phần, nội dung hồ sơ với quy định, Trung tâm từ chối tiếp nhận, "
             "giải quyết hồ sơ này với lý do:"),
        Line((event.reason if event else "") or "(không ghi lý do)", "bold"),
        Line("Xin thông báo để Ông/Bà biết và thực hiện./.", "note"),
        signers=(Signer("NGƯỜI NỘP HỒ SƠ", name=dossier.applicant_name),
                 Signer("NGƯỜI TIẾP NHẬN", name=_actor_name(event))),
    )  # fmt: skip


def _due_of(event: Event, fallback: dt.datetime | None) -> dt.datetime | None:
    value = event.data.get("due_at") if isinstance(event.data, dict) else None
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else fallback


def _extension_dues(dossier: Dossier) -> tuple[Event, dt.datetime | None, dt.datetime | None]:
    """The last extension and the appointment before and after it."""
    extensions = list(dossier.events.filter(action="extend").select_related("actor").order_by("at", "id"))
    if not extensions:
        raise Conflict(f"Dossier {dossier.code} was never extended: there is nothing to apologise for.")
    last = extensions[-1]
    before = _due_of(extensions[-2], None) if len(extensions) > 1 else None
    return last, before or dossier.original_due_at, _due_of(last, dossier.due_at)


def _apology(dossier: Dossier, base_url: str) -> Slip:
    event, old_due, new_due = _extension_dues(dossier)
    received = dossier.received_at or dossier.submitted_at
    agency = f"Ủy ban nhân dân {dossier.commune.name}"
    return _head(
        dossier, "04", dossier.commune, event.at,
        Fact("Kính gửi Ông/Bà", dossier.applicant_name),
        Line(f"Ngày {timezone.localtime(received):%d/%m/%Y}, Trung tâm Phục vụ hành chính công "
             f"{dossier.received_by.name} tiếp nhận hồ sơ của Ông/Bà:"),
        Fact("Mã hồ sơ", dossier.code), _procedure(dossier),
        Fact("Thời gian hẹn trả kết quả", local_time_or_dash(old_due)),
        Line("Tuy nhiên đến nay, hồ sơ của Ông/Bà chưa được giải quyết xong."),
        Fact("Lý do", event.reason or "(không ghi lý do)"),
        Line(f"Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của Ông/Bà. {agency} trân trọng xin lỗi "
             "Ông/Bà và hẹn lại thời gian trả kết quả:"),
        Fact("Thời gian hẹn trả kết quả mới", local_time_or_dash(new_due)),
        Line(f"{agency} xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.", "note"),
        signers=(Signer(HEAD_OF_AGENCY, "(Ký, ghi rõ họ tên và đóng dấu)"),),
    )  # fmt: skip


def _stop(dossier: Dossier, base_url: str) -> Slip:
    if dossier.status != Status.STOPPED:
        raise Conflict(f"Dossier {dossier.code} was not stopped.")
    event = _last_event(dossier, "stop")
    stopped_at = event.at if event else dossier.closed_at or dossier.submitted_at
    agency = f"Ủy ban nhân dân {dossier.commune.name}"
    return _head(
        dossier, "05", dossier.commune, stopped_at,
        Fact("Kính gửi Ông/Bà", dossier.applicant_name),
        Line(f"{agency} thông báo dừng giải quyết hồ sơ sau:"),
        Fact("Mã hồ sơ", dossier.code), _procedure(dossier),
        Fact("Thời gian nhận hồ sơ", local_time_or_dash(dossier.received_at)),
        Fact("Thời điểm dừng giải quyết", local_time(stopped_at)),
        Fact("Lý do dừng giải quyết", (event.reason if event else "") or "(không ghi lý do)"),
        Line(f"Ông/Bà vui lòng liên hệ Trung tâm Phục vụ hành chính công {dossier.received_by.name} để được "
             "hướng dẫn và nhận lại hồ sơ (nếu có)./."),
        signers=(Signer(HEAD_OF_AGENCY, "(Ký, ghi rõ họ tên và đóng dấu)"),),
    )  # fmt: skip


def _who(step: Step, person: User | None) -> str:
    """The unit at a step (the leaders when it has no department) and the person there."""
    unit = step.department.name if step.department else "Lãnh đạo UBND"
    return f"{unit} ({person.full_name})" if person else unit


def _giver(previous: Step | None, dossier: Dossier) -> str:
    if previous is None:
        return f"Người nộp hồ sơ ({dossier.applicant_name})"
    return _who(previous, previous.finished_by or previous.assignee)


def step_outcome(step: Step) -> str:
    """On time or late, for a finished step with a due time."""
    if step.finished_at is None:
        return "Đang xử lý"
    if step.due_at is None:
        return "Hoàn thành"
    return "Trễ hạn" if step.finished_at > step.due_at else "Đúng hạn"


def _hand_offs(dossier: Dossier) -> tuple[tuple[str, ...], ...]:
    steps = list(dossier.steps.select_related("department", "assignee", "finished_by").order_by("sequence"))
    if not steps:
        raise Conflict(f"Dossier {dossier.code} has no hand-off yet.")
    return tuple(
        (
            str(step.sequence),
            STEP_KINDS.get(step.kind, step.kind),
            _giver(previous, dossier),
            _who(step, step.assignee),
            local_time(step.started_at),
            local_time_or_dash(step.due_at),
            local_time_or_dash(step.finished_at),
            step_outcome(step),
            step.note,
        )
        for previous, step in zip([None, *steps[:-1]], steps, strict=True)
    )


def _control(dossier: Dossier, base_url: str) -> Slip:
    rows = _hand_offs(dossier)
    header, widths = zip(*GRID_06, strict=True)
    return _head(
        dossier, "06", dossier.received_by, dossier.received_at or dossier.submitted_at,
        Fact("Mã hồ sơ", dossier.code), Fact("Người nộp hồ sơ", dossier.applicant_name), _procedure(dossier),
        Fact("Thời gian nhận hồ sơ", local_time_or_dash(dossier.received_at)),
        Fact("Thời gian hẹn trả kết quả", local_time_or_dash(dossier.due_at)),
        Grid(header, rows, widths),
        wide=True,
    )  # fmt: skip


BUILDERS: dict[str, Callable[[Dossier, str], Slip]] = {
    "01": _receipt, "02": _supplement, "03": _refusal, "04": _apology, "05": _stop, "06": _control,
}  # fmt: skip


def build_slip(dossier: Dossier, form: str, *, base_url: str = "") -> Slip:
    """The slip as data. Raises InvalidInput for an unknown form and Conflict when the form
    does not fit the dossier (02 with nothing missing, 03 not refused, 04 never extended…)."""
    builder = BUILDERS.get(form)
    if builder is None:
        raise InvalidInput(f"Unknown form {form!r}; the forms are {', '.join(FORMS)}.", field="form")
    return builder(dossier, base_url)


# --- as text -----------------------------------------------------------------------------


def _block_lines(block: Block) -> list[str]:
    if isinstance(block, Line):
        return [block.text]
    if isinstance(block, Fact):
        return [f"{block.label}: {block.value}"]
    if isinstance(block, Qr):
        return [line for fact in block.facts for line in _block_lines(fact)]
    return [" | ".join(row) for row in (block.header, *block.rows)]


def slip_lines(dossier: Dossier, form: str, *, base_url: str = "") -> list[str]:
    """The text the PDF draws, line by line (one line per paragraph or table row)."""
    slip = build_slip(dossier, form, base_url=base_url)
    lines = [f"Mẫu số {slip.form}", *slip.agency, *NATION, slip.place_date, slip.title]
    for block in slip.blocks:
        lines.extend(_block_lines(block))
    for signer in slip.signers:
        lines.extend(text for text in (signer.title, signer.hint, signer.name) if text)
    return lines


# --- as PDF ------------------------------------------------------------------------------


@cache
def _styles(size: float) -> dict[str, ParagraphStyle]:
    font = register_fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=size, leading=size * 1.35, alignment=TA_JUSTIFY)
    center = ParagraphStyle("center", body, alignment=TA_CENTER)
    return {
        "body": body,
        "item": ParagraphStyle("item", body, leftIndent=4 * mm, alignment=TA_LEFT),
        "bold": ParagraphStyle("bold", body, fontName=f"{font}-Bold"),
        "note": ParagraphStyle("note", body, fontName=f"{font}-Oblique"),
        "cell": ParagraphStyle("cell", body, fontSize=size - 1, leading=(size - 1) * 1.25, alignment=TA_LEFT),
        "fact": ParagraphStyle("fact", body, alignment=TA_LEFT),
        "head": ParagraphStyle("head", center, fontSize=size - 2, leading=(size - 2) * 1.3),
        "head_bold": ParagraphStyle(
            "head_bold", center, fontName=f"{font}-Bold", fontSize=size - 2, leading=(size - 2) * 1.3
        ),
        "date": ParagraphStyle("date", center, fontName=f"{font}-Oblique", fontSize=size - 1),
        "form": ParagraphStyle("form", body, fontName=f"{font}-Bold", fontSize=size - 2, alignment=TA_RIGHT),
        "title": ParagraphStyle(
            "title",
            center,
            fontName=f"{font}-Bold",
            fontSize=size + 2,
            leading=(size + 2) * 1.3,
            spaceBefore=3 * mm,
            spaceAfter=3 * mm,
        ),
        "sign": ParagraphStyle("sign", center, fontName=f"{font}-Bold"),
        "hint": ParagraphStyle("hint", center, fontName=f"{font}-Oblique", fontSize=size - 1.5),
    }


def _markup(text: str) -> str:
    """Escaped for ReportLab, with "ngày DD/MM/YYYY" kept on one line."""
    return DAY.sub(r"ngày&nbsp;\1", escape(text)).replace("\n", "<br/>")


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_markup(text), style)


class QrFlowable(Flowable):
    """A QR code drawn as vector squares (sharp at any print resolution)."""

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.rows = [list(row) for row in segno.make(payload, error="m", micro=False).matrix_iter(border=2)]
        self.width = self.height = size

    def draw(self) -> None:
        module = self.width / len(self.rows)
        canvas = self.canv
        canvas.setFillColor(colors.black)
        for y, row in enumerate(self.rows):
            top = self.height - (y + 1) * module
            for x, dark in enumerate(row):
                if dark:
                    canvas.rect(x * module, top, module * 1.02, module * 1.02, stroke=0, fill=1)


def _fact(fact: Fact, style: ParagraphStyle) -> Paragraph:
    value = _markup(fact.value)
    if len(fact.value) <= KEEP_TOGETHER:  # a time, a code, a name: never cut across lines
        value = value.replace(" ", "&nbsp;")
    return Paragraph(f"{escape(fact.label)}: <b>{value}</b>", style)


def _grid(grid: Grid, styles: dict[str, ParagraphStyle]) -> Table:
    cell, head = (
        styles["cell"],
        ParagraphStyle("grid_head", styles["cell"], fontName=f"{FONT}-Bold", alignment=TA_CENTER),
    )
    data = [
        [_p(text, head) for text in grid.header],
        *[[_p(text, cell) for text in row] for row in grid.rows],
    ]
    table = Table(data, colWidths=[w * mm for w in grid.widths_mm], repeatRows=1, spaceBefore=3 * mm)
    table.setStyle(
        TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ])
    )  # fmt: skip
    return table


def _qr(block: Qr, styles: dict[str, ParagraphStyle], width: float) -> Table:
    size = 24 * mm
    facts = [_fact(fact, styles["fact"]) for fact in block.facts]
    table = Table(
        [[facts, QrFlowable(block.payload, size)]], colWidths=[width - size - 2 * mm, size + 2 * mm]
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "RIGHT")]))
    return table


def _flowable(block: Block, styles: dict[str, ParagraphStyle], width: float) -> Flowable:
    if isinstance(block, Line):
        return _p(block.text, styles[block.style])
    if isinstance(block, Fact):
        return _fact(block, styles["fact"])
    if isinstance(block, Qr):
        return _qr(block, styles, width)
    return _grid(block, styles)


def _split(width: float, left: float, right: float) -> list[float]:
    """Column widths giving each side what its longest line needs, then half the rest."""
    spare = width - left - right
    if spare < 0:
        return [width * left / (left + right), width * right / (left + right)]
    return [left + spare / 2, right + spare / 2]


def _needed(lines: tuple[str, ...], style: ParagraphStyle) -> float:
    return max(float(pdfmetrics.stringWidth(line, f"{FONT}-Bold", style.fontSize)) for line in lines)


def _header(slip: Slip, styles: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    rule = {"thickness": 0.6, "color": colors.black, "spaceBefore": 2.5, "spaceAfter": 2}
    left = [
        _p(slip.agency[0], styles["head"]),
        _p(slip.agency[1], styles["head_bold"]),
        HRFlowable("35%", **rule),
    ]
    right = [
        _p(NATION[0], styles["head_bold"]),
        _p(NATION[1], styles["head_bold"]),
        HRFlowable("55%", **rule),
    ]
    table = Table(
        [[left, right], ["", _p(slip.place_date, styles["date"])]],
        colWidths=_split(width, _needed(slip.agency, styles["head"]), _needed(NATION, styles["head"])),
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [_p(f"Mẫu số {slip.form}", styles["form"]), table, _p(slip.title, styles["title"])]


def _signatures(slip: Slip, styles: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    if not slip.signers:
        return []
    cells: list[list[Flowable]] = [
        [
            _p(s.title, styles["sign"]),
            _p(s.hint, styles["hint"]),
            Spacer(1, 16 * mm),
            _p(s.name, styles["sign"]),
        ]
        for s in slip.signers
    ]
    if len(cells) == 1:
        cells.insert(0, [])
    table = Table([cells], colWidths=[width / len(cells)] * len(cells), spaceBefore=5 * mm)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [table]


def _footer(slip: Slip) -> Callable[[Any, Any], None]:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 6.5)
        canvas.setFillColor(colors.grey)
        text = f"{AUTHOR} · Mẫu số {slip.form} · {slip.code} · trang {doc.page}"
        canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, doc.bottomMargin / 2, text)
        canvas.restoreState()

    return draw


def render_pdf(slip: Slip) -> bytes:
    pagesize, margin, size = (landscape(A4), 15 * mm, 10.0) if slip.wide else (A5, 11 * mm, 9.5)
    styles = _styles(size)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=10 * mm, bottomMargin=12 * mm,
        title=f"Mẫu số {slip.form} — {slip.title.capitalize()} — {slip.code}", author=AUTHOR, creator=AUTHOR,
        subject=f"Hồ sơ {slip.code}", lang="vi-VN", initialFontName=FONT,
    )  # fmt: skip
    width = doc.width
    story = [
        *_header(slip, styles, width),
        *(_flowable(block, styles, width) for block in slip.blocks),
        *_signatures(slip, styles, width),
    ]
    doc.build(story, onFirstPage=_footer(slip), onLaterPages=_footer(slip))
    return buffer.getvalue()


def slip_pdf(dossier: Dossier, form: str, *, base_url: str = "") -> bytes:
    """Form ``form`` ("01"…"06") for ``dossier``, as PDF: A5 portrait, or A4 landscape for 06."""
    return render_pdf(build_slip(dossier, form, base_url=base_url))
