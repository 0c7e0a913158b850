"""The monthly report of a commune or of the province, as PDF and as Excel."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from xaso.insights.index import IndexResult, Period, commune_indexes, province_index
from xaso.insights.selectors import province_rows
from xaso.lib.pdf import register_fonts
from xaso.places.models import Commune, Province


@dataclass
class ReportData:
    title: str
    period: Period
    index: IndexResult
    rows: list[tuple[str, str, str, str, str]]  # per commune for the province report


def report_data(
    *, period: Period, commune: Commune | None = None, province: Province | None = None
) -> ReportData:
    if commune is not None:
        index = commune_indexes([commune], period)[commune.code]
        return ReportData(f"Báo cáo tháng {period.label} — {commune.name}", period, index, [])
    assert province is not None
    communes = list(Commune.objects.filter(province=province).order_by("name"))
    indexes = commune_indexes(communes, period)
    index = province_index(communes, period, province.code, per_commune=indexes)
    rows = [
        (
            r.commune.name,
            f"{r.index.points:.1f}/{r.index.measured_max:.0f}",
            "—" if r.on_time_rate is None else f"{r.on_time_rate:.0%}",
            str(r.finished),
            str(r.overdue),
        )
        for r in province_rows(communes, period, sort="index", descending=True, indexes=indexes)
    ]
    return ReportData(f"Báo cáo tháng {period.label} — {province.name}", period, index, rows)


def _criteria_table(index: IndexResult) -> list[list[str]]:
    rows = [["Tiêu chí", "Tử số", "Mẫu số", "Điểm", "Tối đa"]]
    for c in index.criteria:
        if c.measured:
            rows.append([c.name, str(c.numerator), str(c.denominator), f"{c.points:.2f}", f"{c.max:g}"])
        else:
            rows.append([c.name, "—", "—", "chưa đo", f"{c.max:g}"])
    rows.append(["Tổng (trên phần đo được)", "", "", f"{index.points:.2f}", f"{index.measured_max:g}"])
    return rows


def report_pdf(data: ReportData, *, generated: dt.datetime) -> bytes:
    font = register_fonts()
    body = ParagraphStyle("b", fontName=font, fontSize=10, leading=13)
    head = ParagraphStyle("h", fontName=f"{font}-Bold", fontSize=14, leading=18, spaceAfter=6)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, title=data.title, author="Xã Số"
    )
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), font, 9),
            ("FONT", (0, 0), (-1, 0), f"{font}-Bold", 9),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    wrap = ParagraphStyle("w", fontName=font, fontSize=9, leading=11)
    criteria = [[Paragraph(r[0], wrap), *r[1:]] for r in _criteria_table(data.index)]
    story = [
        Paragraph(data.title, head),
        Paragraph(
            f"Chỉ số phục vụ người dân (Quyết định 766/QĐ-TTg), kỳ {data.period.first_day:%d/%m/%Y} – "
            f"{data.period.last_day:%d/%m/%Y}. Lập lúc {generated:%H:%M %d/%m/%Y} từ dữ liệu của hệ thống Xã Số.",
            body,
        ),
        Spacer(1, 4 * mm),
        Table(criteria, colWidths=[85 * mm, 18 * mm, 18 * mm, 18 * mm, 16 * mm], style=style, repeatRows=1),
    ]
    if data.rows:
        story += [
            Spacer(1, 6 * mm),
            Paragraph("Các xã, phường (xếp theo điểm)", head),
            Table(
                [["Xã, phường", "Điểm", "Đúng hạn", "Đã giải quyết", "Quá hạn"], *data.rows],
                colWidths=[70 * mm, 25 * mm, 25 * mm, 25 * mm, 20 * mm],
                style=style,
                repeatRows=1,
            ),
        ]
    doc.build(story)
    return buffer.getvalue()


def report_xlsx(data: ReportData) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Chỉ số 766"
    sheet.append([data.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"Kỳ {data.period.first_day:%d/%m/%Y} – {data.period.last_day:%d/%m/%Y}"])
    sheet.append([])
    for i, row in enumerate(_criteria_table(data.index)):
        sheet.append([row[0], *[_number(v) for v in row[1:]]])
        if i == 0:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 60
    if data.rows:
        communes = book.create_sheet("Xã, phường")
        communes.append(["Xã, phường", "Điểm", "Đúng hạn", "Đã giải quyết", "Quá hạn"])
        for cell in communes[1]:
            cell.font = Font(bold=True)
        for name, points, on_time, finished, overdue in data.rows:
            communes.append([name, points, on_time, int(finished), int(overdue)])
        communes.column_dimensions["A"].width = 32
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _number(value: str) -> str | float:
    try:
        return float(value)
    except ValueError:
        return value
