"""Import a commune's existing staff list from an Excel workbook.

The first sheet's first row names the columns (Vietnamese headers, or the English keys
below); each following row is one officer. Every cell is checked and every problem is
reported with its row, column and what is wrong; nothing is written unless the whole file
is valid (and nothing at all on a dry run). ``manage.py import_staff`` and the upload page
both call ``staff_import``.

Columns (* required): Họ và tên*, Tên đăng nhập*, Email, Giới tính* (Nam/Nữ), Ngày sinh*,
Phòng, Vị trí việc làm (code or title of one of the commune's positions), Giữ vị trí từ,
Vai trò*, Trình độ* (Cao đẳng/Đại học/Thạc sĩ/Tiến sĩ), Chuyên ngành*, Ngày vào ngành*,
Chứng chỉ (several, separated by ";").
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from xaso.accounts.models import Role, RoleGrant, StaffProfile, User
from xaso.audit import events
from xaso.lib.errors import Forbidden, InvalidInput
from xaso.lib.text import fold
from xaso.places.models import Commune, Department
from xaso.workforce import authz
from xaso.workforce.models import Assignment, Position, Qualification
from xaso.workforce.selectors import today

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,149}$")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool


COLUMNS = (
    Column("full_name", "Họ và tên", True),
    Column("username", "Tên đăng nhập", True),
    Column("email", "Email", False),
    Column("gender", "Giới tính", True),
    Column("birth_date", "Ngày sinh", True),
    Column("department", "Phòng", False),
    Column("position", "Vị trí việc làm", False),
    Column("position_since", "Giữ vị trí từ", False),
    Column("role", "Vai trò", True),
    Column("education_level", "Trình độ", True),
    Column("major", "Chuyên ngành", True),
    Column("service_start", "Ngày vào ngành", True),
    Column("certificates", "Chứng chỉ", False),
)
GENDERS = {"nam": "M", "m": "M", "male": "M", "nu": "F", "f": "F", "female": "F"}
EDUCATION = {
    "cao dang": "college",
    "college": "college",
    "dai hoc": "bachelor",
    "cu nhan": "bachelor",
    "ky su": "bachelor",
    "bachelor": "bachelor",
    "thac si": "master",
    "master": "master",
    "tien si": "doctor",
    "doctor": "doctor",
}
DEGREE_NAMES = {"college": "Cao đẳng", "bachelor": "Đại học", "master": "Thạc sĩ", "doctor": "Tiến sĩ"}
ROLES: dict[str, str] = {
    "cong chuc tiep nhan": Role.RECEPTION_OFFICER,
    "tiep nhan": Role.RECEPTION_OFFICER,
    "cong chuc chuyen mon": Role.SPECIALIST,
    "chuyen mon": Role.SPECIALIST,
    "truong phong": Role.DEPARTMENT_HEAD,
    "lanh dao": Role.COMMUNE_LEADER,
    "lanh dao ubnd xa": Role.COMMUNE_LEADER,
    **{
        str(r): str(r)
        for r in (Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.DEPARTMENT_HEAD, Role.COMMUNE_LEADER)
    },
}
DEPARTMENTS: dict[str, str] = {
    "van phong": Department.Kind.OFFICE,
    "van phong hdnd va ubnd": Department.Kind.OFFICE,
    "kinh te": Department.Kind.ECONOMY,
    "phong kinh te": Department.Kind.ECONOMY,
    "van hoa - xa hoi": Department.Kind.CULTURE_SOCIAL,
    "van hoa xa hoi": Department.Kind.CULTURE_SOCIAL,
    "phong van hoa - xa hoi": Department.Kind.CULTURE_SOCIAL,
    "trung tam": Department.Kind.SERVICE_CENTER,
    "trung tam phuc vu hanh chinh cong": Department.Kind.SERVICE_CENTER,
    **{str(kind): str(kind) for kind in Department.Kind.values},
}


@dataclass(frozen=True)
class CellError:
    row: int
    column: str  # "E (Ngày sinh)"
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass
class StaffRow:
    row: int
    full_name: str
    username: str
    email: str
    gender: str
    birth_date: dt.date
    department: Department | None
    position: Position | None
    position_since: dt.date | None
    role: str
    education_level: str
    major: str
    service_start: dt.date
    certificates: list[str]


@dataclass
class ImportReport:
    rows: list[StaffRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    created: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _key(text: str) -> str:
    return " ".join(fold(text).replace("–", "-").split())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    """A date cell, or text as dd/mm/yyyy or yyyy-mm-dd; None when it is not a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 — a calendar day, no time
        except ValueError:
            continue
    return None


def _header_map(header: tuple[Any, ...], errors: list[CellError]) -> dict[str, int]:
    known = {_key(c.header): c for c in COLUMNS} | {c.key: c for c in COLUMNS}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = _text(cell)
        if not name:
            continue
        column = known.get(_key(name)) or known.get(name.lower())
        letter = f"{get_column_letter(index + 1)} ({name})"
        if column is None:
            errors.append(
                CellError(
                    1,
                    letter,
                    _("unknown column; expected one of: %(names)s")
                    % {"names": ", ".join(c.header for c in COLUMNS)},
                )
            )
        elif column.key in found:
            errors.append(CellError(1, letter, _("this column appears twice")))
        else:
            found[column.key] = index
    for column in COLUMNS:
        if column.required and column.key not in found:
            errors.append(CellError(1, column.header, _("required column is missing")))
    return found


def read_rows(content: bytes) -> tuple[list[tuple[Any, ...]], list[CellError]]:
    if len(content) > MAX_BYTES:
        raise InvalidInput(_("The file is larger than 5 MB."), field="file")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InvalidInput(_("This is not an Excel workbook (.xlsx)."), field="file") from None
    sheet = workbook.worksheets[0]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    workbook.close()
    while rows and not any(_text(v) for v in rows[-1]):
        rows.pop()
    if not rows:
        raise InvalidInput(_("The workbook is empty."), field="file")
    if len(rows) - 1 > MAX_ROWS:
        raise InvalidInput(_("At most %(n)d officers per file.") % {"n": MAX_ROWS}, field="file")
    return rows, []


def validate(content: bytes, commune: Commune) -> ImportReport:
    """Check every cell; the report lists each problem and, when there are none, the rows."""
    report = ImportReport()
    rows, _errors = read_rows(content)
    columns = _header_map(rows[0], report.errors)
    if report.errors:
        return report
    header = {
        key: f"{get_column_letter(index + 1)} ({_text(rows[0][index])})" for key, index in columns.items()
    }
    departments = {d.kind: d for d in Department.objects.filter(commune=commune)}
    positions = list(Position.objects.filter(commune=commune, is_active=True))
    by_code = {p.code.lower(): p for p in positions}
    by_title = {_key(p.title): p for p in positions}
    taken = {u.lower() for u in User.objects.values_list("username", flat=True)}
    seen: dict[str, int] = {}
    on = today()
    for number, values in enumerate(rows[1:], start=2):
        if not any(_text(v) for v in values):
            continue

        def cell(key: str, values: tuple[Any, ...] = values) -> Any:
            index = columns.get(key)
            return values[index] if index is not None and index < len(values) else None

        def bad(key: str, message: str, number: int = number) -> None:
            report.errors.append(CellError(number, header.get(key, key), message))

        for column in COLUMNS:
            if column.required and not _text(cell(column.key)):
                bad(column.key, _("required"))
        full_name = _text(cell("full_name"))
        if len(full_name) > 120:
            bad("full_name", _("longer than 120 characters"))
        username = _text(cell("username")).lower()
        if username and not USERNAME.match(username):
            bad("username", _("use 3–150 lower-case letters, digits, dots, dashes or underscores"))
        elif username in taken:
            bad("username", _("an account with this name already exists"))
        elif username in seen:
            bad("username", _("the same name is on row %(row)d") % {"row": seen[username]})
        seen.setdefault(username, number)
        email = _text(cell("email"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                bad("email", _("not an e-mail address"))
        gender = GENDERS.get(_key(_text(cell("gender"))), "")
        if _text(cell("gender")) and not gender:
            bad("gender", _("write Nam or Nữ"))
        birth = _date(cell("birth_date"))
        if _text(cell("birth_date")) and birth is None:
            bad("birth_date", _("not a date (dd/mm/yyyy)"))
        elif birth is not None and not 18 <= (on - birth).days // 365 <= 70:
            bad("birth_date", _("the officer would be under 18 or over 70"))
        department = None
        dept_text = _text(cell("department"))
        if dept_text:
            kind = DEPARTMENTS.get(_key(dept_text))
            department = departments.get(kind) if kind else None
            if department is None:
                bad("department", _("no such department in this commune"))
        position = None
        pos_text = _text(cell("position"))
        if pos_text:
            position = by_code.get(pos_text.lower()) or by_title.get(_key(pos_text))
            if position is None:
                bad(
                    "position",
                    _("no such job position in this commune (adopt the province's positions first)"),
                )
            elif department is not None and position.department_id not in (None, department.pk):
                bad("position", _("this position belongs to another department"))
        since = _date(cell("position_since")) if _text(cell("position_since")) else None
        if _text(cell("position_since")) and since is None:
            bad("position_since", _("not a date (dd/mm/yyyy)"))
        elif since is not None and since > on:
            bad("position_since", _("in the future"))
        elif since is not None and position is None:
            bad("position_since", _("give the position too"))
        role = ROLES.get(_key(_text(cell("role"))), "")
        if _text(cell("role")) and not role:
            bad("role", _("write Công chức tiếp nhận, Công chức chuyên môn, Trưởng phòng or Lãnh đạo"))
        level = EDUCATION.get(_key(_text(cell("education_level"))), "")
        if _text(cell("education_level")) and not level:
            bad("education_level", _("write Cao đẳng, Đại học, Thạc sĩ or Tiến sĩ"))
        major = _text(cell("major"))
        if len(major) > 150:
            bad("major", _("longer than 150 characters"))
        start = _date(cell("service_start"))
        if _text(cell("service_start")) and start is None:
            bad("service_start", _("not a date (dd/mm/yyyy)"))
        elif start is not None and start > on:
            bad("service_start", _("in the future"))
        elif start is not None and birth is not None and (start - birth).days < 16 * 365:
            bad("service_start", _("before the officer turned 16"))
        certificates = [c.strip() for c in _text(cell("certificates")).split(";") if c.strip()]
        if any(len(c) > 200 for c in certificates):
            bad("certificates", _("a certificate name is longer than 200 characters"))
        if not any(e.row == number for e in report.errors):
            assert birth is not None and start is not None
            report.rows.append(
                StaffRow(
                    row=number,
                    full_name=full_name,
                    username=username,
                    email=email,
                    gender=gender,
                    birth_date=birth,
                    department=department
                    if department is not None
                    else (position.department if position else None),
                    position=position,
                    position_since=since,
                    role=role,
                    education_level=level,
                    major=major,
                    service_start=start,
                    certificates=certificates,
                )
            )
    if not report.rows and not report.errors:
        report.errors.append(CellError(2, "—", _("no officers in the file")))
    return report


@transaction.atomic
def staff_import(
    *, actor: User | None, commune: Commune, content: bytes, dry_run: bool = False
) -> ImportReport:
    """Validate the workbook; when every cell is right and this is not a dry run, create the
    accounts (no password: they sign in after a reset), roles, profiles, current positions,
    degrees and certificates, with one audit event per officer."""
    if actor is not None and not authz.can_import_staff(actor, commune):
        raise Forbidden(_("Only the commune's leader or administrator can import staff."))
    report = validate(content, commune)
    report.dry_run = dry_run
    if not report.ok or dry_run:
        return report
    on = today()
    for row in report.rows:
        user = User(
            username=row.username,
            full_name=row.full_name,
            email=row.email,
            province_id=commune.province_id,
            commune=commune,
            department=row.department,
        )
        user.set_unusable_password()
        user.save()
        RoleGrant.objects.create(user=user, role=row.role)
        StaffProfile.objects.create(
            user=user,
            gender=row.gender,
            birth_date=row.birth_date,
            position_title=row.position.title if row.position else "",
            education_level=row.education_level,
            education_major=row.major,
            service_start=row.service_start,
        )
        Qualification.objects.create(
            user=user, kind=Qualification.Kind.DEGREE, name=DEGREE_NAMES[row.education_level], major=row.major
        )
        for name in row.certificates:
            Qualification.objects.create(user=user, kind=Qualification.Kind.CERTIFICATE, name=name)
        if row.position is not None:
            Assignment.objects.create(
                user=user,
                position=row.position,
                title=row.position.title,
                organisation=commune.name,
                started_on=row.position_since or on,
            )
        events.record(
            actor=actor,
            action="workforce.staff_imported",
            obj=user,
            commune=commune,
            data={"row": row.row, "position": row.position.code if row.position else None},
        )
        report.created += 1
    return report
