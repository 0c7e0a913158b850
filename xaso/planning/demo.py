"""The planning part of the demo, for Vinh Lộc (the demo's commune): a shared pool for civil
status and certification ("Tổ tiếp nhận và giải quyết chung": the office's and the service
center's officers, not the heads, qualified in them); the office's proposed work queues — some
of its civil-status dossiers go through the pool to service-center officers — accepted with one
override and its reason;
a designated successor (quy hoạch cán bộ) for the Chief of Office: the youngest civil-status
officer; cross-training scheduled for the officers due to move; a three-year rotation plan,
accepted, that meets every transfer duty.

Everything goes through the services, as a leader clicking the pages would: the records,
audit events and explanations are the real ones.  Idempotent: it does nothing when the
commune has a rotation plan already."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from xaso.accounts.models import Role, User
from xaso.catalog.models import Procedure
from xaso.catalog.selectors import procedures_offered
from xaso.dossiers.services import dossier_intake
from xaso.places.models import Commune, Department
from xaso.planning import rotation_services, services
from xaso.planning.bridge import REQUIRED_LEVEL, officer_levels
from xaso.planning.models import RotationPlan
from xaso.workforce.models import Assignment, Position
from xaso.workforce.services import successor_designate

COMMUNE = 20122
LEADER = "leader.vinhloc"
RECEPTION = "reception.vinhloc"
FIELDS = ("Hộ tịch", "Chứng thực")
APPLICANTS = (
    ("Nguyễn Văn An", "046090001111", "0905000111"),
    ("Trần Thị Bình", "046191002222", "0905000222"),
    ("Lê Văn Cường", "046088003333", "0905000333"),
    ("Phạm Thị Dung", "046195004444", "0905000444"),
    ("Hoàng Văn Em", "046087005555", "0905000555"),
    ("Võ Thị Phương", "046193006666", "0905000666"),
    ("Đặng Văn Giang", "046085007777", "0905000777"),
    ("Bùi Thị Hạnh", "046197008888", "0905000888"),
    ("Ngô Văn Khánh", "046092009999", "0905000999"),
    ("Dương Thị Loan", "046196001010", "0905001010"),
    ("Hồ Văn Minh", "046089001212", "0905001212"),
    ("Phan Thị Ngọc", "046194001313", "0905001313"),
)


def _take_dossiers(commune: Commune, reception: User) -> None:
    """Complete dossiers at the counter, for the office's civil-status and certification work."""
    procedures = [
        p
        for p in procedures_offered(commune).filter(field__in=FIELDS).order_by("code")
        if p.documents.exists()
    ][:6]
    for n, (name, id_number, phone) in enumerate(APPLICANTS):
        if not procedures:
            return
        procedure = procedures[n % len(procedures)]
        dossier_intake(
            actor=reception,
            received_by=commune,
            procedure_code=procedure.code,
            channel="in_person",
            applicant={"full_name": name, "id_number": id_number, "phone": phone, "address": commune.name},
            documents_submitted=list(range(procedure.documents.count())),
        )


SUCCESSOR_FOR = "VP-CVP"  # Chánh Văn phòng HĐND và UBND
SUCCESSOR_FROM = "VP-TPHT"  # Công chức Tư pháp - Hộ tịch


def _designate_successor(commune: Commune, leader: User) -> str:
    """The leader records the youngest civil-status officer as a designated successor for the
    Chief of Office, for five years from this year; returns the officer's name."""
    post = Position.objects.filter(commune=commune, code=SUCCESSOR_FOR, is_active=True).first()
    holders = Assignment.objects.filter(
        position__commune=commune, position__code=SUCCESSOR_FROM, ended_on__isnull=True
    ).select_related("user__profile")
    people = sorted((a.user for a in holders), key=lambda u: (-u.profile.birth_date.toordinal(), u.pk))
    if post is None or not people:
        return ""
    year = timezone.localdate().year
    successor_designate(
        actor=leader,
        position=post,
        person=people[0],
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year + 4, 12, 31),
        decision=f"Quy hoạch cán bộ {year}–{year + 4} (dữ liệu minh họa)",
    )
    return people[0].full_name


POOL_NAME = "Tổ tiếp nhận và giải quyết chung"
POOL_FIELDS = FIELDS
POOL_DEPARTMENTS = ("office", "service_center")


def _shared_pool(commune: Commune, leader: User) -> int:
    """The leader sets up the civil-status and certification pool: the officers (not the heads)
    of the office and the service center qualified in civil status; returns how many members
    it has (0: none set up, e.g. without the catalog)."""
    members = [
        person
        for person in User.objects.filter(
            commune=commune, is_active=True, department__kind__in=POOL_DEPARTMENTS
        ).order_by("pk")
        if not person.has_role(Role.DEPARTMENT_HEAD, Role.COMMUNE_LEADER)
        and officer_levels(person, set(POOL_FIELDS)).get(POOL_FIELDS[0], 0) >= REQUIRED_LEVEL
    ]
    if len({m.department_id for m in members}) < len(POOL_DEPARTMENTS):
        return 0
    if not Procedure.objects.filter(field__in=POOL_FIELDS).exists():  # no catalog loaded
        return 0
    services.shared_pool_save(
        actor=leader,
        commune=commune,
        name=POOL_NAME,
        members=members,
        fields=list(POOL_FIELDS),
        procedure_codes=[],
    )
    return len(members)


OVERRIDE_REASON = "Cùng công dân đã nộp hồ sơ liên quan, giao một người xử lý cho thống nhất"


@dataclass
class PlanningDemoSummary:
    already_loaded: bool = False
    proposal: int | None = None
    pool_members: int = 0
    through_pool: int = 0
    """Dossiers of the proposal given to another department's officer through the pool."""
    overrides: int = 0
    trainings: int = 0
    successor: str = ""
    rotation_plan: int | None = None
    moves: int = 0
    duties_due: int = 0
    duties_met: int = 0


def load_planning_demo(*, progress: Callable[[str], None] = lambda _m: None) -> PlanningDemoSummary:
    summary = PlanningDemoSummary()
    commune = Commune.objects.filter(pk=COMMUNE).select_related("province").first()
    leader = User.objects.filter(username=LEADER).first()
    if commune is None or leader is None:
        progress("Planning demo: the demo commune or its leaders are missing; skipped.")
        return summary
    if RotationPlan.objects.filter(commune=commune).exists():
        summary.already_loaded = True
        return summary
    reception = User.objects.filter(username=RECEPTION).first()
    office = Department.objects.filter(commune=commune, kind="office").first()
    if office is not None and reception is not None:
        progress(f"Planning: {len(APPLICANTS)} dossiers at the counter, then work queues for {office.name}…")
        _take_dossiers(commune, reception)
        summary.pool_members = _shared_pool(commune, leader)
        proposal = services.proposal_create(actor=leader, department=office)
        summary.proposal = proposal.pk
        rows = list(proposal.assignments.filter(officer__isnull=False).select_related("officer"))
        summary.through_pool = sum(
            1 for row in rows if row.pool_id and row.officer and row.officer.department_id != office.pk
        )
        others = {row.officer for row in rows if row.officer is not None}
        if rows and len(others) > 1:
            row = rows[-1]
            target = next(o for o in sorted(others, key=lambda o: o.pk) if o != row.officer)
            services.proposal_accept(
                actor=leader, proposal=proposal, overrides={row.dossier_id: (target, OVERRIDE_REASON)}
            )
            summary.overrides = 1
    summary.successor = _designate_successor(commune, leader)
    start = timezone.localdate().year + 1
    progress(f"Planning: cross-training and a rotation plan {start}–{start + 2} for {commune.name}…")
    summary.trainings = rotation_services.rotation_training_schedule(
        actor=leader, commune=commune, start_year=start, years=3
    )
    plan = rotation_services.rotation_plan_create(actor=leader, commune=commune, start_year=start, years=3)
    rotation_services.rotation_plan_accept(actor=leader, plan=plan)
    summary.rotation_plan = plan.pk
    summary.moves = plan.moves.count()
    summary.duties_due = int(plan.summary["due"])
    summary.duties_met = int(plan.summary["met"])
    return summary
