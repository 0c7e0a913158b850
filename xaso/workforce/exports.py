"""The gap report as an Excel workbook (openpyxl) and as a PDF (ReportLab, DejaVu Sans for the
Vietnamese letters, registered by ``xaso.lib.pdf.register_fonts``)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from xaso.lib.pdf import register_fonts
from xaso.workforce.models import EvidenceKind
from xaso.workforce.selectors import GapReport, UnitSummary

HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")


def _title(report: GapReport) -> str:
    if report.scope.single_commune is not None:
        name = report.commune_names.get(report.scope.single_commune, "")
        if report.scope.department is not None:
            return f"{report.department_names.get(report.scope.department, '')}"
        return name
    return _("All communes of the province")


def _units(report: GapReport) -> list[UnitSummary]:
    return report.departments if report.scope.single_commune is not None else report.communes


def _basis(row_kinds: list[str], labels: dict[str, str]) -> str:
    return ", ".join(labels.get(k, k) for k in row_kinds)


def _kind_labels() -> dict[str, str]:
    return {str(value): str(label) for value, label in EvidenceKind.choices}


def _sheet(
    book: Workbook, title: str, header: list[str], rows: Iterable[list[object]], widths: list[int]
) -> None:
    """One sheet, streamed (write-only mode: a province's report has tens of thousands of rows)."""
    sheet = book.create_sheet(title[:31])
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    head = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        head.append(cell)
    sheet.append(head)
    for row in rows:
        sheet.append(row)


def gaps_xlsx(report: GapReport) -> bytes:
    labels = _kind_labels()
    book = Workbook(write_only=True)
    unit_label = _("Department") if report.scope.single_commune is not None else _("Commune")
    _sheet(
        book,
        _("Summary"),
        [unit_label, _("Officers"), _("Meet every requirement"), _("With gaps"), _("Levels missing"),
         _("Vacancies"), _("Not placed in a position"), _("Most common gaps"), _("No officer qualified in")],
        [
            [u.name, u.officers, u.meeting, u.with_gaps, u.gap_total, u.vacancies, u.unassigned,
             ", ".join(f"{code} ({n})" for code, n in u.top_short(5)),
             ", ".join(f"{c.code} {c.label}" for c in u.lacks)]
            for u in _units(report)
        ],
        [34, 10, 12, 10, 10, 10, 12, 40, 50],
    )  # fmt: skip
    people_rows: list[list[object]] = []
    for p in report.people:
        for r in p.rows:
            people_rows.append(
                [
                    p.full_name,
                    report.commune_names.get(p.commune_id, ""),
                    report.department_names.get(p.department_id or 0, ""),
                    p.position_title,
                    r.competency.code,
                    r.competency.label,
                    r.required,
                    r.current,
                    r.gap,
                    _("yes") if r.essential else "",
                    _basis([b.kind for b in r.derived.basis], labels),
                    max((b.observed_on for b in r.derived.basis), default=None),
                ]
            )
    _sheet(
        book,
        _("Officers"),
        [_("Officer"), _("Commune"), _("Department"), _("Job position"), _("Code"), _("Competency"),
         _("Required level"), _("Current level"), _("Levels missing"), _("Essential"), _("Evidence"),
         _("Evidence date")],
        people_rows,
        [26, 20, 30, 36, 10, 44, 10, 10, 10, 10, 24, 12],
    )  # fmt: skip
    _sheet(
        book,
        _("Positions"),
        [_("Commune"), _("Code"), _("Job position"), _("Headcount"), _("Filled"), _("Meet every requirement"),
         _("Most common gaps")],
        [
            [report.commune_names.get(p.commune_id, ""), p.code, p.title, p.headcount, p.filled, p.meeting,
             ", ".join(f"{code} ({n})" for code, n in p.short.most_common(5))]
            for p in report.positions
        ],
        [20, 12, 44, 10, 10, 12, 40],
    )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def gaps_pdf(report: GapReport) -> bytes:
    labels = _kind_labels()
    font = register_fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=8.5, leading=11)
    bold = ParagraphStyle("bold", body, fontName=f"{font}-Bold")
    title = ParagraphStyle("title", body, fontName=f"{font}-Bold", fontSize=14, leading=18, spaceAfter=4)
    h2 = ParagraphStyle(
        "h2", body, fontName=f"{font}-Bold", fontSize=11, leading=14, spaceBefore=8, spaceAfter=4
    )

    def p(text: object, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(str(text)), style)

    def table(rows: list[list[Paragraph]], widths: list[float]) -> Table:
        t = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE6F0")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return t

    story: list[object] = [
        p(_("Competency gap report"), title),
        p(f"{_title(report)} — {_('as of')} {report.on:%d/%m/%Y}"),
        p(
            _("%(meeting)d of %(officers)d officers meet every requirement of their job position.")
            % {"meeting": report.meeting, "officers": report.officers}
        ),
        Spacer(1, 4 * mm),
    ]
    unit_label = _("Department") if report.scope.single_commune is not None else _("Commune")
    rows = [[p(h, bold) for h in (unit_label, _("Officers"), _("Meet every requirement"), _("Levels missing"),
                                  _("Vacancies"), _("Most common gaps"), _("No officer qualified in"))]]  # fmt: skip
    for u in _units(report):
        rows.append(
            [p(u.name), p(u.officers), p(u.meeting), p(u.gap_total), p(u.vacancies),
             p(", ".join(f"{code} ({n})" for code, n in u.top_short(4))),
             p(", ".join(c.label for c in u.lacks))]
        )  # fmt: skip
    story += [p(_("Summary"), h2), table(rows, [48, 16, 22, 18, 16, 70, 77])]
    rows = [[p(h, bold) for h in (_("Officer"), _("Job position"), _("Competency"), _("Required level"),
                                  _("Current level"), _("Evidence"))]]  # fmt: skip
    for person in report.people:
        for r in person.gaps:
            rows.append(
                [p(person.full_name), p(person.position_title), p(f"{r.competency.code} {r.competency.label}"),
                 p(r.required), p(r.current), p(_basis([b.kind for b in r.derived.basis], labels) or "—")]
            )  # fmt: skip
    if len(rows) > 1:
        story += [
            p(_("Officers who do not yet meet their job's requirements"), h2),
            table(rows, [45, 60, 85, 20, 20, 37]),
        ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=10 * mm,
        bottomMargin=10 * mm,
        title=str(_("Competency gap report")),
        author="Xã Số",
    )
    doc.build(story)
    return out.getvalue()
