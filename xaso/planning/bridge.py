"""From the database to the work-assignment solver: one department's ``Problem``.

The solver core (``xaso.planning.assignment``) knows nothing of Django; this module reads
the department's officers and open dossiers and turns them into its dataclasses.  Ids are
strings: officer id = ``str(user.pk)``, dossier id = ``str(dossier.pk)``, commune =
``str(commune.code)``, pool = ``str(department.pk)``.

**Officers** are the active users of the department holding the specialist or department-head
role.  Each works ``HOURS_PER_DAY`` (8) hours a day.  Their level in a procedure field is their
current level (``workforce.selectors.levels_of``) in the professional competency that field maps
to in ``xaso/workforce/data/work_records.json`` (``"fields"``: e.g. ``"Hộ tịch" → PRO.CIVIL``).
``queue_hours`` is the estimated work of their open dossiers that are *not* part of this plan
(paused ones waiting for the applicant, or held in another department): it is done first.
``recent_fields`` are the procedure fields of dossiers they finished in the last
``RECENT_DAYS`` (90) days (familiarity).  **Learners**: an officer with an open training-plan
item (planned or enrolled) in the competency of a field, below the required level there, is
paired for that field with the department's officer of the highest level in it (at least the
required level) as mentor; the solver may then give the learner a dossier of that field when
it still finishes on time (development).

**Dossiers** are the department's open dossiers in status received or in progress.  The field
is ``procedure.field``; the required level is ``REQUIRED_LEVEL`` (2: "on their own, with
guidance where needed") for fields that map to a competency, and 0 (anyone of the department)
for fields the table does not list.  The estimated work is ``ESTIMATE_SHARE`` (10 %) of the legal
processing time in working hours (a working day counts 8 h; same-day procedures count 8 h),
clamped to ``MIN_HOURS``–``MAX_HOURS`` (0.5–8 h).  ``due_hours`` is the working time from now to
``due_at`` on the deployment's work calendar (negative when already overdue; a dossier without
a due date is given ``NO_DUE_HOURS``).  The pool is the dossier's department and the current
assignee is kept as the solver's starting point.

**Shared pools** (``models.SharedPool``): a dossier of the department whose procedure a pool of
the commune takes (by code, else by field), where the department takes part in the pool (one of
its active officers is a member), gets the pool as its ``pool`` (``"pool:<id>"``) and the
department as its ``home``.  The department's officers serve every such pool (the dossier is
still theirs to take), and the pool's active members from other departments of the commune join
the problem serving the pools they belong to — so the core's hard rule lets a pool dossier go to
its department or to a member, and every other dossier to its department only.  Members from
other departments carry all their open dossiers outside this plan as ``queue_hours`` (their own
department's work comes first) and are nobody's learners or mentors here.  When several pools
take a dossier, a pool that names its procedure code wins over one that names its field, then
the oldest pool.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.db.models import Q
from django.utils import timezone

from xaso.accounts.models import Role, User
from xaso.dossiers.deadlines import work_calendar
from xaso.dossiers.models import OPEN_STATUSES, Status
from xaso.dossiers.models import Dossier as DossierRow
from xaso.places.models import Department
from xaso.planning.assignment import Dossier, Officer, Problem
from xaso.planning.assignment.explain import Clock
from xaso.planning.models import SharedPool
from xaso.workforce.models import Competency, PlanItem, PlanItemStatus
from xaso.workforce.seed import data_file
from xaso.workforce.selectors import levels_of

HOURS_PER_DAY = 8.0
RECENT_DAYS = 90
REQUIRED_LEVEL = 2
ESTIMATE_SHARE = Decimal("0.1")
MIN_HOURS = 0.5
MAX_HOURS = 8.0
NO_DUE_HOURS = 10 * HOURS_PER_DAY
PLANNED_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)
OFFICER_ROLES = (Role.SPECIALIST, Role.DEPARTMENT_HEAD)


@cache
def field_competencies() -> dict[str, str]:
    """Procedure field → competency code (``work_records.json``, shipped configuration)."""
    fields: dict[str, str] = data_file("work_records.json")["fields"]
    return dict(fields)


def estimated_hours(value: Decimal | None, unit: str) -> float:
    """Hours of work a dossier takes: ``ESTIMATE_SHARE`` of its legal time, clamped."""
    if unit == "same_day":
        legal = Decimal(int(HOURS_PER_DAY))
    elif value is None:
        return MIN_HOURS
    elif unit in ("working_hours", "hours"):
        legal = value
    else:  # working days, days (months are stored as days)
        legal = value * Decimal(int(HOURS_PER_DAY))
    return min(MAX_HOURS, max(MIN_HOURS, float(legal * ESTIMATE_SHARE)))


def department_officers(department: Department) -> list[User]:
    return list(
        User.objects.filter(is_active=True, department=department, role_grants__role__in=OFFICER_ROLES)
        .distinct()
        .order_by("full_name", "pk")
    )


POOL_PREFIX = "pool:"


def pool_key(pool: SharedPool) -> str:
    """The core's pool id of a shared pool."""
    return f"{POOL_PREFIX}{pool.pk}"


def department_pools(department: Department) -> list[SharedPool]:
    """The commune's active shared pools the department takes part in (one of its active
    officers is a member), oldest first, with their members."""
    return list(
        SharedPool.objects.filter(
            commune_id=department.commune_id,
            is_active=True,
            members__department=department,
            members__is_active=True,
        )
        .distinct()
        .prefetch_related("members")
        .order_by("pk")
    )


def pool_for(pools: list[SharedPool], field_name: str, procedure_code: str) -> SharedPool | None:
    """The pool a dossier of this procedure goes to: by procedure code first, then by field."""
    for pool in pools:
        if procedure_code in pool.procedure_codes:
            return pool
    for pool in pools:
        if field_name in pool.fields:
            return pool
    return None


def pool_members(department: Department, pools: list[SharedPool]) -> list[User]:
    """Active members of these pools from the commune's other departments (or none)."""
    found = {
        m.pk: m
        for pool in pools
        for m in pool.members.all()
        if m.is_active and m.commune_id == department.commune_id and m.department_id != department.pk
    }
    return sorted(found.values(), key=lambda p: (p.full_name, p.pk))


def officer_levels(person: User, fields: set[str], *, on: dt.date | None = None) -> dict[str, int]:
    """The person's level in each procedure field (0 when the field maps to no competency)."""
    table = field_competencies()
    codes = {table[f] for f in fields if f in table}
    ids = dict(Competency.objects.filter(code__in=codes).values_list("code", "pk"))
    derived = levels_of(person, on=on)
    levels: dict[str, int] = {}
    for f in fields:
        comp = ids.get(table.get(f, ""))
        if comp is not None and comp in derived:
            levels[f] = derived[comp].level
    return levels


def required_level(field_name: str) -> int:
    return REQUIRED_LEVEL if field_name in field_competencies() else 0


def learners(
    people: list[User], fields: set[str], levels: dict[int, dict[str, int]]
) -> dict[int, dict[str, int]]:
    """Learner id → {field: mentor id}: open training in the field's competency, below the
    required level, and a colleague at or above it to mentor (the most skilled one)."""
    table = field_competencies()
    training = set(
        PlanItem.objects.filter(user__in=people, status__in=(PlanItemStatus.PLANNED, PlanItemStatus.ENROLLED))
        .values_list("user_id", "competency__code")
        .distinct()
    )
    found: dict[int, dict[str, int]] = {}
    for f in sorted(fields):
        need = required_level(f)
        code = table.get(f)
        if code is None or need == 0:
            continue
        mentors = sorted(
            (p for p in people if levels[p.pk].get(f, 0) >= need),
            key=lambda p: (-levels[p.pk].get(f, 0), p.pk),
        )
        if not mentors:
            continue
        for p in people:
            if (p.pk, code) in training and levels[p.pk].get(f, 0) < need and p.pk != mentors[0].pk:
                found.setdefault(p.pk, {})[f] = mentors[0].pk
    return found


@dataclass(frozen=True)
class Built:
    """The problem plus what the product needs to turn its ids back into rows."""

    problem: Problem
    officers: dict[str, User]
    dossiers: dict[str, DossierRow]
    now: dt.datetime
    pools: dict[str, SharedPool] = field(default_factory=dict)
    """Dossier id → the shared pool it may go to (absent: its department only)."""
    departments: dict[str, str] = field(default_factory=dict)
    """Department id (the core's ``Officer.department``) → name, for the explanations."""

    def clock(self) -> Clock:
        """Minutes from now → that moment on the work calendar as ISO 8601 in local time (the
        ``due`` term's ``at``; ``explanations`` says it in the reader's language)."""
        calendar = work_calendar()
        tz = timezone.get_default_timezone()

        def label(value: int) -> str:
            if value <= 0:
                moment = self.now
            else:
                moment = calendar.add_working_hours(self.now, Decimal(value) / 60)
            return moment.astimezone(tz).isoformat(timespec="minutes")

        return label


def _due_hours(due: dt.datetime | None, now: dt.datetime) -> float:
    if due is None:
        return NO_DUE_HOURS
    return work_calendar().working_seconds_between(now, due) / 3600


def build_department_problem(department: Department, *, now: dt.datetime | None = None) -> Built:
    """The assignment problem of one department's open received / in-progress dossiers."""
    now = now or timezone.now()
    commune = str(department.commune_id)
    pool = str(department.pk)
    rows = list(
        DossierRow.objects.filter(department=department, status__in=PLANNED_STATUSES)
        .select_related("procedure")
        .order_by("due_at", "pk")
    )
    own = department_officers(department)
    taking = department_pools(department)
    row_pools = {
        row.pk: found
        for row in rows
        if (found := pool_for(taking, row.procedure.field, row.procedure.code)) is not None
    }
    used = sorted({p.pk: p for p in row_pools.values()}.values(), key=lambda p: p.pk)
    guests = pool_members(department, used)
    people = own + guests
    fields = {row.procedure.field for row in rows}
    planned = {row.pk for row in rows}
    others: dict[int, float] = defaultdict(float)
    outside = DossierRow.objects.filter(Q(assignee__in=people), status__in=OPEN_STATUSES).exclude(
        pk__in=planned
    )
    for assignee_id, value, unit in outside.values_list("assignee_id", "time_value", "time_unit"):
        others[assignee_id] += estimated_hours(value, unit)
    levels = {p.pk: officer_levels(p, fields, on=timezone.localdate(now)) for p in people}
    recent: dict[int, set[str]] = defaultdict(set)
    for assignee_id, field_name in DossierRow.objects.filter(
        assignee__in=people, finished_at__gte=now - dt.timedelta(days=RECENT_DAYS)
    ).values_list("assignee_id", "procedure__field"):
        recent[assignee_id].add(field_name)
    learning = learners(own, fields, {p.pk: levels[p.pk] for p in own})
    all_keys = frozenset(pool_key(p) for p in used)
    serves = {
        m.pk: frozenset(pool_key(p) for p in used if any(x.pk == m.pk for x in p.members.all()))
        for m in guests
    }
    officers = tuple(
        Officer(
            id=str(p.pk),
            commune=commune,
            department=pool if p.pk not in serves else str(p.department_id or ""),
            levels=levels[p.pk],
            hours_per_day=HOURS_PER_DAY,
            queue_hours=round(others.get(p.pk, 0.0), 2),
            learning={f: str(m) for f, m in learning.get(p.pk, {}).items()},
            recent_fields=frozenset(recent.get(p.pk, ())),
            pools=serves.get(p.pk, all_keys),
            name=p.full_name or p.username,
        )
        for p in people
    )
    known = {o.id for o in officers}
    dossiers = tuple(
        Dossier(
            id=str(row.pk),
            commune=commune,
            field=row.procedure.field,
            required_level=required_level(row.procedure.field),
            hours=estimated_hours(row.time_value, row.time_unit),
            due_hours=round(_due_hours(row.due_at, now), 2),
            pool=pool_key(row_pools[row.pk]) if row.pk in row_pools else pool,
            assignee=str(row.assignee_id) if str(row.assignee_id) in known else None,
            title=row.code,
            home=pool if row.pk in row_pools else "",
        )
        for row in rows
    )
    names = dict(
        Department.objects.filter(pk__in={department.pk, *(g.department_id for g in guests)}).values_list(
            "pk", "name"
        )
    )
    return Built(
        problem=Problem(officers, dossiers),
        officers={str(p.pk): p for p in people},
        dossiers={str(row.pk): row for row in rows},
        now=now,
        pools={str(d): p for d, p in row_pools.items()},
        departments={str(k): v for k, v in names.items()},
    )
