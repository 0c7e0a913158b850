"""Import of a staff list from Excel: every bad cell reported, nothing written unless all is valid."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from tests.workforce.conftest import Staffing
from xaso.accounts.models import User
from xaso.lib.errors import Forbidden, InvalidInput
from xaso.workforce.importer import COLUMNS, staff_import
from xaso.workforce.models import Assignment, Qualification

GOOD: list[list[object]] = [
    ["Trần Thị Mai", "mai.tran", "mai@example.invalid", "Nữ", dt.date(1992, 4, 5), "Văn phòng", "VP-TPHT",
     "01/07/2025", "Công chức chuyên môn", "Đại học", "Luật", "15/08/2016",
     "Chứng chỉ ứng dụng CNTT cơ bản; Tiếng Anh B1"],
    ["Lê Văn Hùng", "hung.le", "", "Nam", "12/11/1985", "Kinh tế", "Công chức Địa chính - Xây dựng", "",
     "chuyen mon", "Thạc sĩ", "Quản lý đất đai", "01/09/2010", ""],
]  # fmt: skip


def workbook(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header or [c.header for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_imports_a_valid_list_with_positions_and_qualifications(staffing: Staffing) -> None:
    w = staffing.world
    report = staff_import(actor=w.leader_a, commune=w.commune_a, content=workbook(GOOD))
    assert report.ok and report.created == 2
    mai = User.objects.get(username="mai.tran")
    assert (mai.commune, mai.department.kind if mai.department else None) == (w.commune_a, "office")
    assert not mai.has_usable_password() and mai.roles == {"specialist"}
    assert mai.profile.birth_date == dt.date(1992, 4, 5) and mai.profile.gender == "F"
    current = Assignment.objects.get(user=mai)
    assert current.position == staffing.civil and current.started_on == dt.date(2025, 7, 1)
    assert sorted(Qualification.objects.filter(user=mai).values_list("name", flat=True)) == [
        "Chứng chỉ ứng dụng CNTT cơ bản", "Tiếng Anh B1", "Đại học",
    ]  # fmt: skip
    hung = User.objects.get(username="hung.le")
    assert Assignment.objects.get(user=hung).position.code == "KT-DCXD"  # type: ignore[union-attr]


def test_it_reports_every_bad_cell_and_writes_nothing(staffing: Staffing) -> None:
    w = staffing.world
    bad: list[list[object]] = [
        GOOD[0],
        ["", "officer.a", "not-an-email", "X", "31/02/1990", "Phòng Y tế", "ZZ-99", "", "Giám đốc", "Trung cấp",
         "Luật", "01/01/2030", ""],
        ["Nguyễn Văn An", "MAI.TRAN", "", "Nam", "01/01/1990", "", "", "", "Trưởng phòng", "Đại học", "Luật",
         "01/01/2015", ""],
    ]  # fmt: skip
    with translation.override("en"):
        report = staff_import(actor=w.leader_a, commune=w.commune_a, content=workbook(bad))
    assert not report.ok and report.created == 0
    found = {(e.row, e.column.split(" ")[0]) for e in report.errors}
    assert found == {
        (3, "A"), (3, "B"), (3, "C"), (3, "D"), (3, "E"), (3, "F"), (3, "G"), (3, "I"), (3, "J"), (3, "L"),
        (4, "B"),
    }  # fmt: skip
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(3, "B (Tên đăng nhập)")] == "an account with this name already exists"
    assert messages[(4, "B (Tên đăng nhập)")] == "the same name is on row 2"
    assert not User.objects.filter(username="mai.tran").exists()


def test_it_reports_missing_and_unknown_columns(staffing: Staffing) -> None:
    w = staffing.world
    header = [c.header for c in COLUMNS if c.key != "birth_date"] + ["Quê quán"]
    with translation.override("en"):
        report = staff_import(actor=None, commune=w.commune_a, content=workbook([], header))
    assert {e.message.split(";")[0] for e in report.errors} == {
        "required column is missing",
        "unknown column",
    }
    with pytest.raises(InvalidInput):
        staff_import(actor=None, commune=w.commune_a, content=b"not a workbook")
    with pytest.raises(Forbidden):
        staff_import(actor=w.head_a, commune=w.commune_a, content=workbook(GOOD))


def test_it_checks_without_writing_on_a_dry_run_and_from_the_command(
    staffing: Staffing, tmp_path: Path
) -> None:
    w = staffing.world
    path = tmp_path / "staff.xlsx"
    path.write_bytes(workbook(GOOD))
    out = io.StringIO()
    call_command("import_staff", str(path), "--commune", str(w.commune_a.code), "--dry-run", stdout=out)
    assert "2 officers checked" in out.getvalue() and not User.objects.filter(username="mai.tran").exists()
    call_command("import_staff", str(path), "--commune", str(w.commune_a.code), stdout=out)
    assert User.objects.filter(username__in=["mai.tran", "hung.le"]).count() == 2
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_staff", str(path), "--commune", str(w.commune_a.code), stdout=out, stderr=err)
    assert "row 2, column B (Tên đăng nhập): " in err.getvalue()


def test_it_imports_through_the_upload_page(staffing: Staffing) -> None:
    w = staffing.world
    client = w.client_for(w.leader_a)
    upload = io.BytesIO(workbook(GOOD))
    upload.name = "staff.xlsx"
    response = client.post("/workforce/import/", {"file": upload, "dry_run": "on"})
    assert response.status_code == 200 and b'id="import-result"' in response.content
    assert not User.objects.filter(username="mai.tran").exists()
    bad = io.BytesIO(workbook([[*GOOD[0][:3], "?", *GOOD[0][4:]]]))
    bad.name = "bad.xlsx"
    response = client.post("/workforce/import/", {"file": bad})
    assert response.status_code == 422 and "Giới tính" in response.content.decode()
    assert w.client_for(w.officer_a).get("/workforce/import/").status_code == 403
