"""A year of realistic demo dossiers for the demo communes, written fast with ``bulk_create``.

Each dossier is played through an in-memory copy of the workflow that has the effects of
``xaso.dossiers.services`` (``dossier_intake``, ``dossier_act`` and its handlers) and of the
worker (``mark_one_overdue``, ``warn_one_due_soon``): the same statuses, steps, events,
pauses, due dates, versions and flags, so pages, the worker and reports treat them as real.
The planner decides *when* each move happens (officers of differing speed, seasons, Tết,
supplements, extensions, late results) and everything after the "as of" moment is cut, so
the last weeks' dossiers are still open in the state they would be in now.

No notifications (they would be old messages) and no audit event per dossier; one audit
event per commune (to resume an interrupted load) and one summary event ("demo.dossiers_loaded")
that also makes the load run only once."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import heapq
import random
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import reset_queries, transaction
from django.db.models import Prefetch
from django.utils import timezone

from xaso.accounts.models import Role, User
from xaso.audit import events as audit
from xaso.audit.models import AuditEvent
from xaso.catalog.models import Channel as CatalogChannel
from xaso.catalog.models import LocalFee, Procedure, RequiredDocument
from xaso.catalog.selectors import procedures_offered
from xaso.demo.services import DEMO_PROVINCE
from xaso.demo.staff import GIVEN, MIDDLE, SURNAMES
from xaso.dossiers import deadlines
from xaso.dossiers.calendar import WorkCalendar
from xaso.dossiers.codes import format_code
from xaso.dossiers.models import (
    Channel,
    DailySequence,
    Dossier,
    DossierDocument,
    Event,
    Rating,
    Status,
    Step,
    StepKind,
)
from xaso.dossiers.workflow import ACTIONS, TERMINAL
from xaso.places.models import Commune, Department, Province

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARKER = "demo.dossiers_loaded"
COMMUNE_MARKER = "demo.dossiers_commune_loaded"
BATCH = 2000
_UTC = dt.UTC
_FOREVER = dt.datetime(9999, 1, 1, tzinfo=_UTC)
_MIN = 60.0
_HOUR = 3600.0
_OFFICE_DAY = 7.5 * _HOUR

# --- what communes do, and when ---------------------------------------------------------


@dataclass(frozen=True)
class Category:
    name: str
    share: float  # of all dossiers
    fields: tuple[str, ...]  # catalog fields of the category ("" = every other offered one)
    codes: dict[str, float]  # the common procedures and their weights within the category
    others: float = 0.5  # weight of each other offered procedure of the category's fields
    months: dict[int, float] = field(default_factory=dict)  # seasonal factor by month


CATEGORIES: tuple[Category, ...] = (
    Category(
        "civil_status",
        0.35,
        ("Hộ tịch",),
        {
            "1.001193": 30,  # birth
            "1.004873": 20,  # marital status certificate
            "1.000894": 12,  # marriage
            "1.000656": 9,  # death
            "2.000635": 10,  # copy of a civil status extract
            "1.004859": 4,
            "1.004884": 3,
            "1.004772": 2,
            "2.002516": 2,
            "1.004837": 1,
            "1.001022": 1,
        },
        0.3,
        {1: 1.15, 2: 1.05, 8: 1.1, 9: 1.1, 11: 1.1, 12: 1.15},
    ),
    Category(
        "certification",
        0.25,
        ("Chứng thực",),
        {
            "2.000815": 55,  # certified copies
            "2.000884": 18,  # signature
            "2.001035": 10,  # transactions on movables / land use rights
            "2.000908": 5,
            "2.001406": 4,
            "2.001019": 2,
            "2.000913": 2,
            "2.001016": 1,
        },
        0.5,
        {1: 1.15, 3: 1.15, 8: 1.3, 9: 1.25},
    ),
    Category(
        "residence",
        0.15,
        ("Đăng ký, quản lý cư trú",),
        {
            "1.004194": 28,  # temporary residence
            "1.004222": 25,  # permanent residence
            "1.010041": 15,  # residence confirmation
            "1.002755": 10,
            "1.010038": 6,
            "1.003197": 5,
            "1.010028": 5,
            "1.003677": 4,
        },
        0.5,
        {8: 1.4, 9: 1.3, 2: 0.9},
    ),
    Category(
        "land",
        0.10,
        ("Đất đai", "Tài chính đất đai"),
        {
            "1.013978": 25,
            "1.012753": 15,
            "1.012796": 10,
            "1.012812": 10,
            "1.013949": 10,
            "1.013952": 5,
            "1.012817": 5,
        },
        1.0,
        {1: 1.3, 3: 1.4, 2: 0.9, 8: 1.2, 9: 1.2, 12: 1.2},
    ),
    Category(
        "social",
        0.05,
        ("Bảo trợ xã hội", "Người có công", "Giảm nghèo", "Chính sách"),
        {
            "XS.BTXH.001": 40,
            "XS.BTXH.002": 15,
            "XS.NCC.001": 10,
            "1.011606": 12,
            "1.011607": 5,
            "1.011608": 5,
        },
        1.0,
        {1: 1.2, 7: 1.2, 12: 1.3},
    ),
    Category("other", 0.10, (), {}, 0.0),
)
OTHER_FIELDS = {  # the rest: weights by field, split among the field's offered procedures
    "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)": 30.0,
    "Hoạt động xây dựng": 15.0,
    "Nông nghiệp": 8.0,
    "Hòa giải ở cơ sở": 6.0,
    "Nhà ở và công sở": 5.0,
    "Khiếu nại, tố cáo": 4.0,
    "Chăn nuôi": 4.0,
    "Trồng trọt": 4.0,
    "Lâm nghiệp": 4.0,
    "Thủy sản": 3.0,
    "Quy hoạch đô thị và nông thôn": 3.0,
    "Đường bộ": 2.0,
}
OTHER_FIELD_DEFAULT = 0.5
# When the catalog states no processing time, the reception officer types one (as
# ``dossier_intake(processing_days=...)`` allows): these are the demo's choices.
PROCESSING_DAYS = {"Chứng thực": 1, "Bảo trợ xã hội": 7, "Người có công": 7}
PROCESSING_DAYS_DEFAULT = 5

SEASON = {
    1: 1.2,
    2: 1.0,
    3: 1.2,
    4: 0.95,
    5: 0.9,
    6: 0.9,
    7: 0.95,
    8: 1.15,
    9: 1.15,
    10: 0.9,
    11: 0.85,
    12: 1.0,
}
WEEKDAY = {0: 1.2, 1: 1.05, 2: 1.0, 3: 1.0, 4: 0.9, 5: 0.5, 6: 0.5}  # Sat/Sun only when make-up days
KIND_FACTOR = {"phuong": 1.2, "xa": 0.65, "dac_khu": 0.6}
TYPICAL_MONTH = 21.75  # working days of an ordinary month, weighted as above

CHANNEL_TARGET = {Channel.ONLINE: 0.30, Channel.POSTAL: 0.05}
REFUSED, WITHDRAWN, STOPPED = 0.02, 0.01, 0.005
SUPPLEMENT, EXTENDED, NEVER_COLLECTED, RATED = 0.12, 0.03, 0.005, 0.60
LATE_BASE = 0.055

REFUSE_REASONS = (
    "Hồ sơ không thuộc thẩm quyền giải quyết của UBND cấp xã.",
    "Thông tin trên tờ khai không khớp với Cơ sở dữ liệu quốc gia về dân cư.",
    "Hồ sơ nộp trùng: người dân đã nộp trực tiếp tại Trung tâm.",
    "Giấy tờ đính kèm không đọc được, đề nghị nộp lại hồ sơ.",
)
WITHDRAW_REASONS = (
    "Người nộp hồ sơ xin rút hồ sơ để chuẩn bị lại giấy tờ.",
    "Người nộp hồ sơ không còn nhu cầu giải quyết.",
    "Người nộp hồ sơ chuyển sang nộp theo thủ tục khác.",
)
STOP_REASONS = (
    "Người yêu cầu không bổ sung hồ sơ theo yêu cầu trong thời hạn quy định.",
    "Tài sản liên quan đang có tranh chấp, chờ cơ quan có thẩm quyền giải quyết.",
    "Phát hiện giấy tờ trong hồ sơ không hợp lệ.",
)
EXTEND_REASONS = (
    "Hồ sơ cần xác minh thêm với cơ quan liên quan; Trung tâm xin lỗi ông/bà vì sự chậm trễ.",
    "Cần lấy ý kiến cơ quan chuyên môn cấp trên; xin lỗi ông/bà và hẹn lại ngày trả kết quả.",
    "Cơ sở dữ liệu chuyên ngành gián đoạn, chưa tra cứu được thông tin; xin lỗi ông/bà.",
)
GENERIC_MISSING = (
    "Bản sao giấy tờ chứng minh thông tin kê khai",
    "Văn bản ủy quyền có chứng thực (khi nộp thay)",
)
COMMENTS = {
    4: ("Cán bộ hướng dẫn tận tình.", "Giải quyết nhanh, đúng hẹn.", "Rất hài lòng."),
    3: ("Thủ tục thuận tiện.", "Đúng hẹn."),
    2: ("Phải chờ khá lâu.", "Hướng dẫn chưa rõ ràng."),
    1: ("Trễ hẹn, không được báo trước.", "Phải đi lại nhiều lần."),
}
PHONE_PREFIXES = (
    "090", "091", "093", "094", "096", "097", "098", "032", "033", "034", "035", "036", "037",
    "038", "039", "070", "076", "077", "078", "079", "081", "082", "083", "084", "085", "088", "089",
)  # fmt: skip
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")  # reserved: nothing is ever delivered


# --- the summary ------------------------------------------------------------------------


@dataclass
class Summary:
    already_loaded: bool = False
    communes: int = 0
    communes_skipped: int = 0  # loaded by an earlier, interrupted run
    dossiers: int = 0
    steps: int = 0
    events: int = 0
    documents: int = 0
    ratings: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    finished: int = 0  # a result was signed (done or returned)
    late: int = 0  # of those, signed after the due time
    open_overdue: int = 0
    seconds: float = 0.0
    as_of: dt.datetime | None = None

    @property
    def late_share(self) -> float:
        return self.late / self.finished if self.finished else 0.0

    def lines(self) -> list[str]:
        if self.already_loaded:
            return ["Demo dossiers are already loaded; nothing to do."]
        statuses = ", ".join(f"{s}: {n}" for s, n in self.by_status.most_common())
        channels = ", ".join(f"{c}: {n}" for c, n in self.by_channel.most_common())
        head = f"{self.dossiers} demo dossiers in {self.communes} communes"
        if self.communes_skipped:
            head += f" ({self.communes_skipped} communes were loaded by an earlier run)"
        if self.as_of is not None:
            head += f", as of {self.as_of.astimezone(VN):%Y-%m-%d %H:%M}"
        return [
            head + ".",
            f"  {self.steps} steps, {self.events} events, {self.documents} documents, {self.ratings} ratings",
            f"  by status: {statuses}",
            f"  by channel: {channels}",
            f"  late: {self.late} of {self.finished} results ({self.late_share:.1%}); "
            f"open and overdue: {self.open_overdue}",
            f"  time: {self.seconds:.1f} s",
        ]


# --- office time ------------------------------------------------------------------------


class _Clock:
    """Office-time arithmetic on the deployment's working calendar (public calendar API)."""

    def __init__(self, cal: WorkCalendar) -> None:
        self.cal = cal
        self.tz = cal.config.tz
        self.intervals = cal.config.office_intervals

    def add(self, start: dt.datetime, seconds: float) -> dt.datetime:
        """The moment ``seconds`` of office time after ``start`` (whole seconds)."""
        cursor = self.cal.next_working_moment(start)
        remaining = dt.timedelta(seconds=max(0, round(seconds)))
        d = cursor.date()
        while True:
            if self.cal.is_working_day(d):
                for a, b in self.intervals:
                    end = dt.datetime.combine(d, b, tzinfo=self.tz)
                    if cursor >= end:
                        continue
                    begin = max(cursor, dt.datetime.combine(d, a, tzinfo=self.tz))
                    if remaining <= end - begin:
                        return (begin + remaining).replace(microsecond=0)
                    remaining -= end - begin
                    cursor = end
            d += dt.timedelta(days=1)

    def span(self, start: dt.datetime, end: dt.datetime) -> float:
        return float(self.cal.working_seconds_between(start, end))

    def end_of_day(self, d: dt.date) -> dt.datetime:
        return dt.datetime.combine(d, self.intervals[-1][1], tzinfo=self.tz)

    def due_at(
        self, received: dt.datetime, value: Decimal | None, unit: str, pauses: list[list[str]]
    ) -> dt.datetime:
        """``deadlines.due_at`` on the calendar fetched once (it reads the overrides per call)."""
        windows = [(dt.datetime.fromisoformat(a), dt.datetime.fromisoformat(b)) for a, b in pauses]
        if unit != "same_day" and value is not None and unit in ("working_days", "days"):
            value = Decimal(int(value.to_integral_value(rounding=ROUND_CEILING)))
        return self.cal.due_at(received, value=value, unit=unit, pauses=windows)


def _iso(moment: dt.datetime) -> str:
    """As the services write moments read back from the database: in UTC."""
    return moment.astimezone(_UTC).isoformat()


# --- the commune's people and procedures --------------------------------------------------


@dataclass
class _Officer:
    pk: int
    name: str
    speed: float = 1.0  # share of the allowed time they usually take (lower: faster)
    late_rate: float = LATE_BASE
    releases: list[dt.datetime] = field(default_factory=list)  # heap: when open dossiers leave them

    def load(self, at: dt.datetime) -> int:
        while self.releases and self.releases[0] <= at:
            heapq.heappop(self.releases)
        return len(self.releases)


def _least_loaded(officers: Sequence[_Officer], at: dt.datetime) -> _Officer | None:
    """As ``services._least_loaded``: fewest open dossiers, ties by name."""
    if not officers:
        return None
    return min(officers, key=lambda o: (o.load(at), o.name, o.pk))


@dataclass(frozen=True)
class _Proc:
    pk: int
    code: str
    field: str
    department_kind: str
    kinds: frozenset[str]  # channel kinds the catalog lists
    documents: tuple[tuple[str, str], ...]  # (name, quantity text)
    time: dict[str, tuple[Decimal | None, str]]  # by channel, after the officer's fallback
    fees: dict[str, int | None]  # by channel, before local fees
    long: bool  # a long procedure (more often late)


def _proc_info(procedure: Procedure) -> _Proc:
    channels = list(procedure.channels.all())
    time_by_channel: dict[str, tuple[Decimal | None, str]] = {}
    fees: dict[str, int | None] = {}
    for kind in Channel.values:
        value, unit = deadlines.processing_time(procedure, kind)
        if not unit:  # nothing stated: the officer enters the number of working days
            value, unit = (
                Decimal(PROCESSING_DAYS.get(procedure.field, PROCESSING_DAYS_DEFAULT)),
                "working_days",
            )
        time_by_channel[kind] = (value, unit)
        same = [c for c in channels if c.kind == kind]
        fees[kind] = same[0].fee_amount_vnd if same else None
    value, unit = time_by_channel[Channel.IN_PERSON]
    long = unit in ("working_days", "days") and value is not None and value >= 10
    return _Proc(
        pk=procedure.pk,
        code=procedure.code,
        field=procedure.field,
        department_kind=procedure.responsible_department or Department.Kind.OFFICE,
        kinds=frozenset(c.kind for c in channels),
        documents=tuple((d.name, d.quantity_text) for d in procedure.documents.all()),
        time=time_by_channel,
        fees=fees,
        long=long,
    )


def _procedure_weights(offered: Sequence[_Proc]) -> list[tuple[_Proc, Category, float]]:
    """Each offered procedure's share, by category; a missing code's weight goes to the rest
    of its category, an empty category's share to "other", an empty "other" to everything."""
    claimed: set[str] = {f for c in CATEGORIES for f in c.fields}
    rows: list[tuple[_Proc, Category, float]] = []
    spare = 0.0
    for cat in CATEGORIES:
        if cat.name == "other":
            members = [p for p in offered if p.field not in claimed and not p.code.startswith("XS.")]
            per_field = Counter(p.field for p in members)
            weights = [OTHER_FIELDS.get(p.field, OTHER_FIELD_DEFAULT) / per_field[p.field] for p in members]
            share = cat.share + spare
        else:
            members = [
                p
                for p in offered
                if p.field in cat.fields or (cat.name == "social" and p.code.startswith("XS."))
            ]
            weights = [cat.codes.get(p.code, cat.others) for p in members]
            share = cat.share
        total = sum(weights)
        if not members or total <= 0:
            spare += share
            continue
        rows += [(p, cat, share * w / total) for p, w in zip(members, weights, strict=True)]
    if not rows and offered:
        rows = [(p, CATEGORIES[-1], 1.0 / len(offered)) for p in offered]
    elif spare and rows and not any(cat.name == "other" for _p, cat, _w in rows):
        scale = 1.0 / (1.0 - spare)
        rows = [(p, cat, w * scale) for p, cat, w in rows]
    return rows


@dataclass
class _Unit:
    commune: Commune
    center_id: int | None
    departments: dict[str, int]
    reception: list[_Officer]
    reception_weights: list[float]
    specialists: dict[int, list[_Officer]]
    all_specialists: list[_Officer]
    leaders: list[_Officer]
    heads: dict[int, list[_Officer]]
    local_fees: dict[tuple[int, str], int]
    procedures: list[tuple[_Proc, Category, float]]
    p_online: float
    p_postal: float
    officers: dict[int, _Officer]

    def department_for(self, proc: _Proc) -> int | None:
        return self.departments.get(proc.department_kind) or self.departments.get(Department.Kind.OFFICE)

    def fee(self, proc: _Proc, channel: str) -> int | None:
        if channel not in proc.kinds:
            return None
        return self.local_fees.get((proc.pk, channel), proc.fees[channel])


def _unit_for(commune: Commune, procs: dict[int, _Proc], staff: list[User], rng: random.Random) -> _Unit:
    departments = {d.kind: d.pk for d in commune.departments.all()}
    officers: dict[int, _Officer] = {}
    by_role: dict[str, list[tuple[User, _Officer]]] = defaultdict(list)
    for user in sorted(staff, key=lambda u: u.username):
        officer = officers.setdefault(user.pk, _Officer(pk=user.pk, name=user.full_name))
        for role in sorted(user.roles):
            by_role[role].append((user, officer))
    for officer in officers.values():  # some officers are quicker than others
        officer.speed = min(1.8, max(0.5, rng.lognormvariate(0.0, 0.3)))
        officer.late_rate = min(0.3, max(0.01, LATE_BASE * officer.speed**2.2 * rng.uniform(0.7, 1.3)))
    specialists: dict[int, list[_Officer]] = defaultdict(list)
    heads: dict[int, list[_Officer]] = defaultdict(list)
    for user, officer in by_role[Role.SPECIALIST]:
        if user.department_id is not None:
            specialists[user.department_id].append(officer)
    for user, officer in by_role[Role.DEPARTMENT_HEAD]:
        if user.department_id is not None:
            heads[user.department_id].append(officer)
    # A commune without a reception officer still takes dossiers: someone stands in.
    reception = [o for _u, o in by_role[Role.RECEPTION_OFFICER]] or list(officers.values())
    offered = sorted(
        (procs[pk] for pk in procedures_offered(commune).values_list("pk", flat=True) if pk in procs),
        key=lambda p: p.code,
    )
    weights = _procedure_weights(offered)
    online_mass = sum(w for p, _c, w in weights if Channel.ONLINE in p.kinds) or 1.0
    postal_mass = sum(w for p, _c, w in weights if Channel.POSTAL in p.kinds) or 1.0
    local_fees = {
        (f.procedure_id, f.channel_kind): f.amount_vnd for f in LocalFee.objects.filter(commune=commune)
    }
    return _Unit(
        commune=commune,
        center_id=departments.get(Department.Kind.SERVICE_CENTER),
        departments=departments,
        reception=reception,
        reception_weights=[rng.uniform(0.5, 1.5) for _ in reception],
        specialists=dict(specialists),
        all_specialists=[o for _u, o in by_role[Role.SPECIALIST]],
        leaders=[o for _u, o in by_role[Role.COMMUNE_LEADER]],
        heads=dict(heads),
        local_fees=local_fees,
        procedures=weights,
        p_online=min(0.9, CHANNEL_TARGET[Channel.ONLINE] / online_mass),
        p_postal=min(0.3, CHANNEL_TARGET[Channel.POSTAL] / postal_mass),
        officers=officers,
    )


# --- one dossier, played through the workflow -------------------------------------------


@dataclass
class _Step:
    kind: str
    department_id: int | None
    assignee_id: int | None
    started_at: dt.datetime
    due_at: dt.datetime | None
    finished_at: dt.datetime | None = None
    finished_by_id: int | None = None


@dataclass
class _Event:
    at: dt.datetime
    actor_id: int | None
    action: str
    from_status: str = ""
    to_status: str = ""
    reason: str = ""
    public: bool = True
    data: dict[str, Any] = field(default_factory=dict)


class _Stop(Exception):
    """The next move would happen after the "as of" moment: the dossier stays as it is."""


class _Play:
    """One dossier and the effects of each move, as ``services`` has them."""

    def __init__(
        self,
        unit: _Unit,
        clock: _Clock,
        proc: _Proc,
        channel: str,
        as_of: dt.datetime,
        warn: dt.timedelta,
        worker_delay: dt.timedelta,
    ) -> None:
        self.unit, self.clock, self.proc, self.channel = unit, clock, proc, channel
        self.as_of, self.warn, self.worker_delay = as_of, warn, worker_delay
        self.time_value, self.time_unit = proc.time[channel]
        self.status = ""
        self.submitted_at = as_of
        self.created_by_id: int | None = None
        self.received_at: dt.datetime | None = None
        self.due_at: dt.datetime | None = None
        self.original_due_at: dt.datetime | None = None
        self.paused_since: dt.datetime | None = None
        self.pauses: list[list[str]] = []
        self.finished_at: dt.datetime | None = None
        self.returned_at: dt.datetime | None = None
        self.closed_at: dt.datetime | None = None
        self.department_id: int | None = None
        self.assignee_id: int | None = None
        self.missing_items: list[str] = []
        self.late = False
        self.due_warning_sent = False
        self.version = 0
        self.documents: list[bool] = []
        self.steps: list[_Step] = []
        self.events: list[_Event] = []
        self.rating: tuple[int, str, dt.datetime] | None = None
        self.last = as_of
        self.applicant: _Applicant | None = None
        self.fee: int | None = None
        self.paid_online = False

    # helpers mirroring services ----------------------------------------------------------

    def _due(self, received: dt.datetime) -> dt.datetime:
        return self.clock.due_at(received, self.time_value, self.time_unit, self.pauses)

    def _start_step(
        self,
        kind: str,
        *,
        department: int | None,
        assignee: int | None,
        due: dt.datetime | None,
        now: dt.datetime,
    ) -> _Step:
        step = _Step(kind=kind, department_id=department, assignee_id=assignee, started_at=now, due_at=due)
        self.steps.append(step)
        return step

    def _open_step(self) -> _Step | None:
        for step in reversed(self.steps):
            if step.finished_at is None:
                return step
        return None

    def _finish_current_step(self, actor: int | None, now: dt.datetime) -> None:
        step = self._open_step()
        if step is not None:
            step.finished_at, step.finished_by_id = now, actor

    def _processing_due(self) -> dt.datetime | None:
        if self.due_at is None or self.received_at is None:
            return self.due_at
        if self.time_unit in ("working_days", "days") and (self.time_value or 0) >= 2:
            day_before = self.due_at - dt.timedelta(days=1)
            while not self.clock.cal.is_working_day(day_before.date()):
                day_before -= dt.timedelta(days=1)
            return max(day_before, self.received_at)
        return self.due_at

    def _route(self, now: dt.datetime) -> None:
        department = self.unit.department_for(self.proc)
        pool = self.unit.specialists.get(department or 0) or self.unit.all_specialists
        officer = _least_loaded(pool, now)
        self.department_id = department
        self.assignee_id = officer.pk if officer else None
        self._start_step(
            StepKind.PROCESSING,
            department=department,
            assignee=self.assignee_id,
            due=self._processing_due(),
            now=now,
        )

    def _resume(self, now: dt.datetime) -> None:
        if self.paused_since is not None:
            self.pauses = [*self.pauses, [_iso(self.paused_since), _iso(now)]]
            self.paused_since = None
            if self.received_at is not None and self.original_due_at is not None:
                base = self._due(self.received_at)
                extension = (self.due_at - self.original_due_at) if self.due_at else dt.timedelta(0)
                self.due_at = base + extension

    def _worker(self, until: dt.datetime) -> None:
        """What the worker did between the last move and ``until`` (nothing changes between
        moves): warn the assignee once before the due time, flag the dossier late after it."""
        if self.due_at is None or self.status not in (Status.RECEIVED, Status.IN_PROGRESS):
            return
        if self.assignee_id is not None and not self.due_warning_sent:
            if max(self.last, self.due_at - self.warn) < min(until, self.due_at):
                self.due_warning_sent = True
        if self.paused_since is None and not self.late:
            flagged = max(self.due_at, self.last) + self.worker_delay
            if flagged < until:
                self.late = True
                self.events.append(_Event(at=flagged, actor_id=None, action="overdue", public=False))

    # intake ------------------------------------------------------------------------------

    def intake(self, now: dt.datetime, actor: int | None, missing: set[int]) -> None:
        """``dossier_intake``: at the counter (actor) or online (no actor)."""
        counter = actor is not None
        self.submitted_at = self.last = now
        self.created_by_id = actor
        self.documents = [i not in missing for i in range(len(self.proc.documents))]
        missing_names = (
            [n for i, (n, _q) in enumerate(self.proc.documents) if i in missing] if counter else []
        )
        self.status = (
            Status.SUBMITTED
            if not counter
            else (Status.SUPPLEMENT_REQUESTED if missing_names else Status.RECEIVED)
        )
        if counter:
            self.received_at = now
            self.due_at = self.original_due_at = self._due(now)
        self.paused_since = now if missing_names else None
        self.missing_items = missing_names
        reception = self._start_step(
            StepKind.RECEPTION, department=self.unit.center_id, assignee=actor, due=None, now=now
        )
        self.events.append(
            _Event(
                at=now,
                actor_id=actor,
                action="received" if counter else "submitted",
                to_status=self.status,
                data={
                    "channel": self.channel,
                    "received_by": self.unit.commune.code,
                    "missing": missing_names,
                },
            )
        )
        if counter:
            reception.finished_at, reception.finished_by_id = now, actor
            if missing_names:
                self.events.append(
                    _Event(
                        at=now,
                        actor_id=actor,
                        action="request_supplement",
                        from_status=Status.RECEIVED,
                        to_status=self.status,
                        reason="; ".join(missing_names),
                    )
                )
            else:
                self._route(now)

    # the workflow --------------------------------------------------------------------------

    def act(
        self,
        action: str,
        now: dt.datetime,
        actor: int | None,
        *,
        reason: str = "",
        missing_items: list[str] | None = None,
        new_due_at: dt.datetime | None = None,
    ) -> None:
        """``dossier_act`` with the same handler effects; raises ``_Stop`` past "as of"."""
        if now > self.as_of:
            raise _Stop
        now = max(now, self.last + dt.timedelta(seconds=1))
        spec = ACTIONS[action]
        if self.status not in spec.sources:
            raise RuntimeError(f"demo planner bug: {action} from {self.status}")
        self._worker(now)
        before = self.status
        due_before = self.due_at
        if action == "receive":
            self.received_at = now
            self.due_at = self.original_due_at = self._due(now)
            self._finish_current_step(actor, now)
            self._route(now)
        elif action == "refuse":
            self._finish_current_step(actor, now)
        elif action == "request_supplement":
            self.missing_items = [i.strip() for i in missing_items or [] if i.strip()]
            if self.paused_since is None:
                self.paused_since = now
        elif action == "supplement_received":
            never_routed = self.received_at is None or not any(
                s.kind == StepKind.PROCESSING for s in self.steps
            )
            if self.received_at is None:
                self.received_at = now
                self.due_at = self.original_due_at = self._due(now)
                self.paused_since = None
            else:
                self._resume(now)
            self.missing_items = []
            self.documents = [True] * len(self.documents)
            if never_routed:
                self._finish_current_step(actor, now)
                self._route(now)
        elif action == "forward":
            self._finish_current_step(actor, now)
            leader = _least_loaded(self.unit.leaders, now)
            self.assignee_id = leader.pk if leader else None
            self._start_step(
                StepKind.SIGNOFF, department=None, assignee=self.assignee_id, due=self.due_at, now=now
            )
        elif action == "approve":
            self._finish_current_step(actor, now)
            self.finished_at = now
            self.late = self.due_at is not None and now > self.due_at
            self.assignee_id = None
            self._start_step(
                StepKind.RETURN, department=self.unit.center_id, assignee=None, due=None, now=now
            )
        elif action == "return_result":
            self._finish_current_step(actor, now)
            self.returned_at = now
        elif action in ("withdraw", "stop"):
            self._finish_current_step(actor, now)
            self._resume(now)
        elif action == "extend":
            assert new_due_at is not None
            self.due_at = new_due_at
            self.due_warning_sent = False
            step = self._open_step()
            if step is not None:
                step.due_at = new_due_at
        if spec.target is not None:
            self.status = spec.target
        if self.status in TERMINAL and self.closed_at is None:
            self.closed_at = now
        self.version += 1
        due = self.due_at
        # A due time computed in this move is still in local time; one read back is in UTC.
        shown = None if due is None else (due.isoformat() if due is not due_before else _iso(due))
        self.events.append(
            _Event(
                at=now,
                actor_id=actor,
                action=action,
                from_status=before,
                to_status=self.status,
                reason=reason.strip(),
                data={"missing": missing_items or [], "due_at": shown},
            )
        )
        self.last = now

    def rate(self, score: int, comment: str, at: dt.datetime) -> None:
        if at > self.as_of:
            raise _Stop
        self.rating = (score, comment, at)
        self.events.append(_Event(at=at, actor_id=None, action="rated", public=False, data={"score": score}))

    def settle(self) -> None:
        """The worker's moves between the last move and "as of"."""
        self._worker(self.as_of)

    def release_time(self, officer: int | None) -> dt.datetime:
        """When ``officer`` stopped counting this dossier as open (for least-loaded routing)."""
        if self.status in TERMINAL and self.assignee_id == officer:
            return self.closed_at or _FOREVER
        for step in self.steps:
            if step.assignee_id == officer and step.kind in (StepKind.PROCESSING, StepKind.SIGNOFF):
                return step.finished_at or _FOREVER
        return _FOREVER


# --- the planner: who does what, when ----------------------------------------------------


@dataclass
class _Applicant:
    name: str
    id_number: str
    phone: str
    email: str
    address: str


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and c.isalnum()).lower()


def _applicant(rng: random.Random, commune: Commune, channel: str, year: int) -> _Applicant:
    gender = rng.choice(("M", "F"))
    surname = rng.choices([s for s, _w in SURNAMES], [w for _s, w in SURNAMES])[0]
    name = f"{surname} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
    birth = year - min(85, max(18, round(rng.triangular(18, 80, 34))))
    century = (0 if birth < 2000 else 2) + (0 if gender == "M" else 1)
    id_number = f"046{century}{birth % 100:02d}{rng.randrange(1_000_000):06d}"
    phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10_000_000):07d}"
    place = "Tổ" if commune.kind == Commune.Kind.WARD else "Thôn"
    unit_name = commune.name[:1].lower() + commune.name[1:]
    address = f"{place} {rng.randint(1, 24 if place == 'Tổ' else 14)}, {unit_name}, thành phố Huế"
    email = ""
    if rng.random() < (0.55 if channel == Channel.ONLINE else 0.2):
        email = f"{_ascii(name)}{birth % 100:02d}@{rng.choice(EMAIL_DOMAINS)}"
    return _Applicant(name=name, id_number=id_number, phone=phone, email=email, address=address)


def _arrival(rng: random.Random, day: dt.date, channel: str) -> dt.datetime:
    """When a dossier comes in on a working day: counter hours, or any time for online."""
    if channel == Channel.ONLINE:
        hour = rng.choices((rng.uniform(6, 7.5), rng.uniform(7.5, 17), rng.uniform(17, 22.5)), (1, 6, 3))[0]
    elif channel == Channel.POSTAL:
        hour = rng.uniform(8, 10.5)
    elif rng.random() < 0.65:
        hour = rng.triangular(7.5, 11.45, 8.6)
    else:
        hour = rng.triangular(13.5, 16.95, 14.4)
    seconds = int(hour * 3600)
    return dt.datetime.combine(day, dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60), tzinfo=VN)


class _Planner:
    def __init__(self, unit: _Unit, clock: _Clock, rng: random.Random, as_of: dt.datetime) -> None:
        self.unit, self.clock, self.rng, self.as_of = unit, clock, rng, as_of
        self.warn = dt.timedelta(hours=int(settings.XASO_DUE_WARNING_HOURS))
        online = self.unit.p_online * sum(w for p, _c, w in unit.procedures if Channel.ONLINE in p.kinds)
        self.p_refuse = min(0.25, REFUSED / max(online, 0.05))

    def _u(self, lo: float, hi: float) -> float:
        return self.rng.uniform(lo, hi)

    def _reception(self) -> int | None:
        officers = self.unit.reception
        if not officers:
            return None
        return self.rng.choices(officers, self.unit.reception_weights)[0].pk

    def channel(self, proc: _Proc) -> str:
        r = self.rng.random()
        if not proc.kinds or Channel.IN_PERSON in proc.kinds:
            if Channel.ONLINE in proc.kinds and r < self.unit.p_online:
                return Channel.ONLINE
            if Channel.POSTAL in proc.kinds and r > 1 - self.unit.p_postal:
                return Channel.POSTAL
            return Channel.IN_PERSON
        return Channel.ONLINE if Channel.ONLINE in proc.kinds else Channel.POSTAL

    def _missing(self, proc: _Proc) -> set[int]:
        n = len(proc.documents)
        if n == 0:
            return set()
        return set(self.rng.sample(range(n), k=min(n, self.rng.choice((1, 1, 1, 2)))))

    def _missing_names(self, proc: _Proc, positions: set[int]) -> list[str]:
        names = [proc.documents[i][0] for i in sorted(positions)]
        return names or [self.rng.choice(GENERIC_MISSING)]

    def plan(self, proc: _Proc, channel: str, submitted: dt.datetime) -> _Play:
        rng = self.rng
        play = _Play(
            self.unit,
            self.clock,
            proc,
            channel,
            self.as_of,
            self.warn,
            dt.timedelta(seconds=rng.randint(30, 600)),
        )
        play.applicant = _applicant(rng, self.unit.commune, channel, submitted.year)
        play.fee = self.unit.fee(proc, channel)
        play.paid_online = channel == Channel.ONLINE and bool(play.fee) and rng.random() < 0.2
        refused = channel == Channel.ONLINE and rng.random() < self.p_refuse
        withdrawn = not refused and rng.random() < WITHDRAWN
        stopped = not refused and not withdrawn and rng.random() < STOPPED
        supplement = ""
        if not refused and rng.random() < SUPPLEMENT:
            where = rng.random()
            if channel == Channel.ONLINE and where < 0.35:
                supplement = "online"
            elif channel != Channel.ONLINE and proc.documents and where < 0.5:
                supplement = "counter"
            else:
                supplement = "processing"
        extended = not (refused or withdrawn or stopped) and rng.random() < EXTENDED
        try:
            self._play(play, submitted, refused, withdrawn, stopped, supplement, extended)
        except _Stop:
            pass
        play.settle()
        for step in play.steps:
            officer = self.unit.officers.get(step.assignee_id or 0)
            if officer is not None and step.kind in (StepKind.PROCESSING, StepKind.SIGNOFF):
                heapq.heappush(officer.releases, play.release_time(officer.pk))
        return play

    def _play(
        self,
        play: _Play,
        t0: dt.datetime,
        refused: bool,
        withdrawn: bool,
        stopped: bool,
        supplement: str,
        extended: bool,
    ) -> None:
        rng, clock, proc = self.rng, self.clock, play.proc
        counter_officer = self._reception()
        # 1. intake, and for online dossiers the reception check
        if play.channel == Channel.ONLINE:
            online_missing = self._missing(proc) if supplement == "online" else set()
            play.intake(t0, None, online_missing)
            t1 = clock.add(t0, self._u(10 * _MIN, 5 * _HOUR))
            checker = self._reception()
            if refused:
                play.act("refuse", t1, checker, reason=rng.choice(REFUSE_REASONS))
                return
            if supplement == "online":
                names = self._missing_names(proc, online_missing)
                play.act("request_supplement", t1, checker, reason="; ".join(names), missing_items=names)
                t2 = clock.add(t1, self._u(0.3, 8) * _OFFICE_DAY)
                play.act("supplement_received", t2, self._reception())
            else:
                play.act("receive", t1, checker)
        else:
            missing = self._missing(proc) if supplement == "counter" else set()
            play.intake(t0, counter_officer, missing)
            if supplement == "counter":
                t2 = clock.add(t0, self._u(0.3, 8) * _OFFICE_DAY)
                play.act("supplement_received", t2, self._reception())
        specialist = play.assignee_id
        officer = self.unit.officers.get(specialist or 0)
        speed = officer.speed if officer else 1.0
        late_rate = officer.late_rate if officer else LATE_BASE
        assert play.due_at is not None

        def left() -> float:
            assert play.due_at is not None
            return max(0.0, clock.span(play.last, play.due_at))

        # 2. the specialist starts (a dossier back from a supplement is already in progress)
        if play.status == Status.RECEIVED:
            delay = min(6 * _HOUR, max(3 * _MIN, left() * self._u(0.02, 0.25) * speed))
            play.act("start", clock.add(play.last, delay), specialist)
        if withdrawn and rng.random() < 0.4:
            early = clock.add(play.last, self._u(0.5, 16) * _HOUR)
            play.act("withdraw", early, self._reception(), reason=rng.choice(WITHDRAW_REASONS))
            return
        if stopped:
            head = self.unit.heads.get(play.department_id or 0) or self.unit.leaders
            actor = rng.choice(head).pk if head else specialist
            when = clock.add(play.last, max(_HOUR, left() * self._u(0.2, 0.8)))
            play.act("stop", when, actor, reason=rng.choice(STOP_REASONS))
            return
        # 3. a supplement asked for during processing: the clock stops until it comes
        if supplement == "processing":
            names = self._missing_names(proc, self._missing(proc))
            asked = clock.add(play.last, max(10 * _MIN, left() * self._u(0.1, 0.5)))
            play.act("request_supplement", asked, specialist, reason="; ".join(names), missing_items=names)
            back = clock.add(play.last, self._u(0.5, 10) * _OFFICE_DAY)
            if withdrawn:
                play.act("withdraw", back, self._reception(), reason=rng.choice(WITHDRAW_REASONS))
                return
            play.act("supplement_received", back, self._reception())
        if withdrawn:
            when = clock.add(play.last, max(_HOUR, left() * self._u(0.2, 0.7)))
            play.act("withdraw", when, self._reception(), reason=rng.choice(WITHDRAW_REASONS))
            return
        # 4. late or not: each officer has their own pace
        late = rng.random() < late_rate * (1.6 if proc.long else 1.0)
        if extended and left() > 20 * _MIN:
            when = clock.add(play.last, left() * self._u(0.6, 0.95))
            due = play.due_at
            days = max(1, min(10, round(float(play.time_value or 1) * self._u(0.2, 0.5))))
            d = due.date()
            for _ in range(days):
                d = clock.cal.next_working_day(d)
            new_due = clock.end_of_day(d)
            play.act("extend", when, specialist, reason=rng.choice(EXTEND_REASONS), new_due_at=new_due)
            late = rng.random() < 0.2
        budget = left()
        if late:
            total = budget + self._u(0.3 * _HOUR, 1.5 * _OFFICE_DAY) + budget * self._u(0.0, 0.3)
        else:
            share = min(0.97, max(0.05, rng.betavariate(2.2, 2.0) * speed))
            total = budget * share
        total = max(total, 15 * _MIN)
        forward = clock.add(play.last, total * self._u(0.55, 0.92))
        approve = clock.add(play.last, total)
        play.act("forward", forward, specialist)
        leader = play.assignee_id
        play.act("approve", max(approve, forward + dt.timedelta(minutes=rng.randint(2, 30))), leader)
        # 5. the result goes back to the applicant
        if rng.random() < NEVER_COLLECTED:
            return
        if play.channel == Channel.ONLINE:
            back_at = clock.add(play.last, self._u(5 * _MIN, 3 * _HOUR))
        elif play.channel == Channel.POSTAL:
            back_at = clock.add(play.last, self._u(0.5 * _HOUR, _OFFICE_DAY))
        else:  # applicants come on the appointment day, or soon after the result is ready
            due = play.due_at
            wait = clock.span(play.last, due) if due and due > play.last else 0.0
            back_at = clock.add(play.last, wait * self._u(0.3, 1.0) + self._u(10 * _MIN, 1.2 * _OFFICE_DAY))
        play.act("return_result", back_at, self._reception())
        # 6. most applicants who rate are satisfied; a late result costs points
        if rng.random() < RATED:
            weights = (15, 25, 35, 25) if play.late else (2, 5, 38, 55)
            score = rng.choices((1, 2, 3, 4), weights)[0]
            comment = rng.choice(COMMENTS[score]) if rng.random() < 0.35 else ""
            play.rate(score, comment, play.last + dt.timedelta(minutes=rng.randint(2, 2 * 24 * 60)))


# --- calendar of the load -----------------------------------------------------------------


def _tet(cal: WorkCalendar, year: int) -> tuple[dt.date, dt.date] | None:
    """The Tết holiday block of ``year`` (public holidays between 15/1 and the end of February)."""
    days = sorted(d for d in cal.holidays_in(year) if dt.date(year, 1, 15) <= d <= dt.date(year, 2, 28))
    return (days[0], days[-1]) if days else None


def _day_weight(cal: WorkCalendar, d: dt.date) -> float:
    if not cal.is_working_day(d):
        return 0.0
    weight = WEEKDAY[d.weekday()]
    tet = _tet(cal, d.year)
    if tet is not None:
        if 0 < (tet[0] - d).days <= 14:
            weight *= 1.35  # papers before Tết
        elif 0 < (d - tet[1]).days <= 14:
            weight *= 1.25  # and the rush after it
    return weight


def _months(end: dt.date, months: int) -> list[tuple[int, int]]:
    first = end.year * 12 + end.month - 1 - (months - 1)
    return [((first + i) // 12, (first + i) % 12 + 1) for i in range(months)]


# --- the load -------------------------------------------------------------------------------


def _write(
    plays: list[_Play], unit: _Unit, sequences: dict[dt.date, DailySequence], summary: Summary
) -> list[int]:
    """Codes in order of submission, then every row of one commune with ``bulk_create``;
    returns the new dossiers' ids."""
    plays = sorted(plays, key=lambda p: p.submitted_at)
    unit_code = str(unit.commune.code)
    dossiers: list[Dossier] = []
    for play in plays:
        day = play.submitted_at.astimezone(VN).date()
        seq = sequences.get(day)
        if seq is None:
            seq = sequences[day] = DailySequence(unit=unit_code, day=day, last=0)
        seq.last += 1
        a = play.applicant
        assert a is not None
        dossiers.append(
            Dossier(
                code=format_code(unit_code, day, seq.last),
                commune=unit.commune,
                received_by=unit.commune,
                procedure_id=play.proc.pk,
                channel=play.channel,
                status=play.status,
                applicant_name=a.name,
                applicant_id_number=a.id_number,
                applicant_phone=a.phone,
                applicant_email=a.email,
                applicant_address=a.address,
                submitted_at=play.submitted_at,
                received_at=play.received_at,
                due_at=play.due_at,
                original_due_at=play.original_due_at,
                time_value=play.time_value,
                time_unit=play.time_unit,
                paused_since=play.paused_since,
                pauses=play.pauses,
                finished_at=play.finished_at,
                returned_at=play.returned_at,
                closed_at=play.closed_at,
                department_id=play.department_id,
                assignee_id=play.assignee_id,
                fee_vnd=play.fee,
                paid_online=play.paid_online,
                missing_items=play.missing_items,
                late=play.late,
                due_warning_sent=play.due_warning_sent,
                version=play.version,
                created_by_id=play.created_by_id,
            )
        )
    Dossier.objects.bulk_create(dossiers, batch_size=BATCH)
    steps: list[Step] = []
    events: list[Event] = []
    documents: list[DossierDocument] = []
    ratings: list[Rating] = []
    for dossier, play in zip(dossiers, plays, strict=True):
        pk = dossier.pk
        steps += [
            Step(
                dossier_id=pk,
                sequence=i,
                kind=s.kind,
                department_id=s.department_id,
                assignee_id=s.assignee_id,
                started_at=s.started_at,
                due_at=s.due_at,
                finished_at=s.finished_at,
                finished_by_id=s.finished_by_id,
            )
            for i, s in enumerate(play.steps, start=1)
        ]
        events += [
            Event(
                dossier_id=pk,
                at=e.at,
                actor_id=e.actor_id,
                action=e.action,
                from_status=e.from_status,
                to_status=e.to_status,
                reason=e.reason,
                public=e.public,
                data=e.data,
            )
            for e in sorted(play.events, key=lambda e: e.at)
        ]
        documents += [
            DossierDocument(dossier_id=pk, position=i, name=name, quantity_text=quantity, submitted=handed_in)
            for i, ((name, quantity), handed_in) in enumerate(
                zip(play.proc.documents, play.documents, strict=True)
            )
        ]
        if play.rating is not None:
            score, comment, at = play.rating
            ratings.append(Rating(dossier_id=pk, score=score, comment=comment, at=at))
    Step.objects.bulk_create(steps, batch_size=BATCH)
    Event.objects.bulk_create(events, batch_size=BATCH)
    DossierDocument.objects.bulk_create(documents, batch_size=BATCH)
    Rating.objects.bulk_create(ratings, batch_size=BATCH)
    touched = {play.submitted_at.astimezone(VN).date() for play in plays}
    new_days = [s for d, s in sequences.items() if d in touched and s.pk is None]
    old_days = [s for d, s in sequences.items() if d in touched and s.pk is not None]
    DailySequence.objects.bulk_create(new_days, batch_size=BATCH)
    DailySequence.objects.bulk_update(old_days, ["last"], batch_size=BATCH)
    summary.dossiers += len(dossiers)
    summary.steps += len(steps)
    summary.events += len(events)
    summary.documents += len(documents)
    summary.ratings += len(ratings)
    return [d.pk for d in dossiers]


def _all_procedures() -> dict[int, _Proc]:
    rows = Procedure.objects.filter(is_active=True).prefetch_related(
        Prefetch("channels", queryset=CatalogChannel.objects.order_by("position", "pk")),
        Prefetch("documents", queryset=RequiredDocument.objects.order_by("position", "pk")),
    )
    return {p.pk: _proc_info(p) for p in rows}


def demo_dossiers_loaded() -> bool:
    return AuditEvent.objects.filter(action=MARKER).exists()


def demo_dossiers_load(
    *,
    months: int = 12,
    per_commune_month: int = 40,
    end: dt.date | None = None,
    seed: int = 2025,
    progress: Callable[[str], None] = lambda _msg: None,
) -> Summary:
    """Generate ``months`` months of dossiers ending at ``end`` (default today, Huế time) for
    every commune of the demo province, about ``per_commune_month`` each a month.

    Deterministic for a seed and an ``end`` before today (with today's date the newest
    dossiers stop at the current time). Runs once: a second call says so and does nothing;
    a call after an interrupted one finishes the communes that are missing."""
    started = time.monotonic()
    summary = Summary()
    if demo_dossiers_loaded():
        summary.already_loaded = True
        return summary
    if months < 1 or per_commune_month < 0:
        raise ValueError("months must be at least 1 and per_commune_month at least 0")
    now = timezone.now()
    today = now.astimezone(VN).date()
    end = end or today
    if end > today:
        raise ValueError(f"end ({end}) cannot be after today ({today})")
    as_of = min(now, dt.datetime.combine(end, dt.time(23, 59, 59), tzinfo=VN))
    summary.as_of = as_of
    province = Province.objects.filter(pk=DEMO_PROVINCE).first()
    communes = list(
        Commune.objects.filter(province_id=DEMO_PROVINCE).prefetch_related("departments").order_by("code")
    )
    if province is None or not communes:
        raise ValueError("Load the demo first (manage.py load_demo): there are no demo communes.")
    procs = _all_procedures()
    if not procs:
        raise ValueError("Load the catalog first (manage.py load_demo): there are no procedures.")
    done_before = set(
        AuditEvent.objects.filter(action=COMMUNE_MARKER, object_type="places.commune").values_list(
            "object_id", flat=True
        )
    )
    cal = deadlines.work_calendar()
    clock = _Clock(cal)
    staff_by_commune: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(is_active=True, commune__in=communes).prefetch_related("role_grants"):
        assert user.commune_id is not None
        staff_by_commune[user.commune_id].append(user)
    month_list = _months(end, months)
    first_day = dt.date(month_list[0][0], month_list[0][1], 1)
    first_id: int | None = None
    last_id: int | None = None
    progress(
        f"Demo dossiers: {len(communes)} communes, {months} months from {first_day:%m/%Y} to {end:%d/%m/%Y}, "
        f"about {per_commune_month} per commune a month…"
    )
    for n, commune in enumerate(communes, start=1):
        if str(commune.code) in done_before:
            summary.communes_skipped += 1
            continue
        t_commune = time.monotonic()
        rng = random.Random(seed * 1_000_003 + commune.code)
        unit = _unit_for(commune, procs, staff_by_commune[commune.code], rng)
        if not unit.procedures or not unit.officers:
            progress(f"  {commune.name}: no procedure offered or no staff; skipped")
            continue
        planner = _Planner(unit, clock, rng, as_of)
        size = KIND_FACTOR.get(commune.kind, 1.0) * rng.uniform(0.8, 1.2)
        arrivals: list[tuple[dt.datetime, _Proc, str]] = []
        for year, month in month_list:
            last_day = min(end, dt.date(year, month, pycalendar.monthrange(year, month)[1]))
            days = [dt.date(year, month, d) for d in range(1, last_day.day + 1)]
            weights = [_day_weight(cal, d) for d in days]
            mass = sum(weights)
            if mass <= 0:
                continue
            expected = per_commune_month * SEASON[month] * size * mass / TYPICAL_MONTH
            count = max(0, round(rng.gauss(expected, expected**0.5))) if expected > 0 else 0
            month_procs = [p for p, _c, _w in unit.procedures]
            month_weights = [w * c.months.get(month, 1.0) for _p, c, w in unit.procedures]
            chosen = rng.choices(month_procs, month_weights, k=count)
            for day, proc in zip(rng.choices(days, weights, k=count), chosen, strict=True):
                channel = planner.channel(proc)
                moment = _arrival(rng, day, channel)
                if moment <= as_of:
                    arrivals.append((moment, proc, channel))
        arrivals.sort(key=lambda a: (a[0], a[1].code, a[2]))
        plays = [planner.plan(proc, channel, moment) for moment, proc, channel in arrivals]
        with transaction.atomic():
            existing = {
                s.day: s
                for s in DailySequence.objects.filter(
                    unit=str(commune.code), day__gte=first_day, day__lte=end
                )
            }
            pks = _write(plays, unit, existing, summary)
            audit.record(
                actor=None,
                action=COMMUNE_MARKER,
                obj=commune,
                commune=commune,
                data={"seed": seed, "dossiers": len(plays), "end": end.isoformat(), "months": months},
            )
        reset_queries()  # with DEBUG on, Django keeps every (large) INSERT in memory
        if pks:
            first_id = pks[0] if first_id is None else min(first_id, pks[0])
            last_id = pks[-1] if last_id is None else max(last_id, pks[-1])
        summary.communes += 1
        for play in plays:
            summary.by_status[play.status] += 1
            summary.by_channel[play.channel] += 1
            if play.finished_at is not None:
                summary.finished += 1
                summary.late += play.late
            elif play.status not in TERMINAL and play.late:
                summary.open_overdue += 1
        progress(
            f"  {n:>2}/{len(communes)} {commune.name}: {len(plays)} dossiers "
            f"({time.monotonic() - t_commune:.1f} s)"
        )
    audit.record(
        actor=None,
        action=MARKER,
        obj=province,
        data={
            "seed": seed,
            "months": months,
            "per_commune_month": per_commune_month,
            "end": end.isoformat(),
            "as_of": as_of.isoformat(),
            "dossiers": summary.dossiers,
            "by_status": dict(summary.by_status),
            "first_id": first_id,
            "last_id": last_id,
        },
    )
    summary.seconds = time.monotonic() - started
    return summary
