"""The workforce demo for Huế's communes, computed from the demo staff and dossiers with a
fixed seed: nothing here is a typed-in result.

- Positions: every commune adopts the province's template (``position_templates.json``);
  each demo officer is placed in the position of their title since the reform (1 July
  2025), with the post they held before as the first line of their history.
- Degrees from the staff profiles; certificates drawn by role.
- Each officer has a hidden "true" ability per competency, drawn from their age, field of
  study (does it fit the post?), years in service and role. The evidence is what the
  system would see of it: a yearly self-assessment (people rate themselves a little
  high), manager assessments with a comment for about half of them, self-tests answered
  question by question with a chance of a right answer that grows with ability, and the
  work records computed from the demo dossiers by ``work_records_refresh`` each quarter.
- The training plan of each commune is built by ``training_plan_build`` from the gaps
  after the first quarter; the province schedules sessions for the planned courses;
  officers are enrolled by ``enrol`` and past sessions get post-test scores through
  ``enrolment_complete`` (which turns a pass into evidence).
- Evaluations of each finished quarter by ``evaluations_compute`` from the dossier ledger;
  the general criteria entered through ``evaluation_set_general`` by each officer's
  manager; task points of officers with no work in the ledger entered as an adjustment
  with its reason.

The dates follow today's date, as the demo dossiers do (the 12 months before today). The
load runs once (an audit event marks it) and inside one transaction.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xaso.accounts.models import Role, StaffProfile, User
from xaso.audit import events
from xaso.audit.models import AuditEvent
from xaso.demo.services import DEMO_PROVINCE
from xaso.demo.staff import POSTS
from xaso.dossiers.models import Dossier
from xaso.places.models import Commune, Province
from xaso.workforce import services
from xaso.workforce.config import workforce_config
from xaso.workforce.models import (
    Assignment,
    Competency,
    Course,
    EnrolmentStatus,
    Evaluation,
    Evidence,
    EvidenceKind,
    PlanItem,
    Position,
    Qualification,
    Question,
    SelfTestAttempt,
    Session,
)
from xaso.workforce.scoring import selftest_level
from xaso.workforce.seed import shipped_data_load

MARKER = "demo.workforce_loaded"
REFORM = dt.date(2025, 7, 1)
SESSION_CAPACITY = 35
PLACES = (
    "Trung tâm Bồi dưỡng cán bộ, Sở Nội vụ thành phố Huế",
    "Hội trường UBND thành phố Huế",
    "Trung tâm Giám sát, điều hành đô thị thông minh Huế",
)
FIELDS_OF_STUDY = {post.title: post.fields_of_study for post in POSTS}
IT_MAJORS = ("Công nghệ thông tin", "Khoa học máy tính")
CERTIFICATES = (
    # (name, issuer, share of officers, share of leaders)
    ("Chứng chỉ ứng dụng công nghệ thông tin cơ bản", "Trường Đại học Khoa học, Đại học Huế", 0.6, 0.5),
    ("Chứng chỉ ứng dụng công nghệ thông tin nâng cao", "Trường Đại học Khoa học, Đại học Huế", 0.08, 0.05),
    ("Bồi dưỡng kiến thức quản lý nhà nước ngạch chuyên viên", "Sở Nội vụ", 0.65, 0.95),
    ("Trung cấp lý luận chính trị – hành chính", "Trường Chính trị tỉnh", 0.25, 0.9),
    ("Chứng chỉ tiếng Anh bậc 3 (B1)", "Trường Đại học Ngoại ngữ, Đại học Huế", 0.3, 0.3),
)
MANAGER_COMMENTS = {
    "up": (
        "Xử lý thành thạo, hướng dẫn được đồng nghiệp mới.",
        "Chủ động, ít sai sót trong quý; đề nghị ghi nhận.",
    ),
    "same": (
        "Đáp ứng yêu cầu công việc thường xuyên, cần rèn thêm trường hợp phức tạp.",
        "Làm đúng quy trình; còn chậm khi hồ sơ có yếu tố mới.",
    ),
    "down": (
        "Còn lúng túng khi gặp hồ sơ phức tạp, cần được bồi dưỡng thêm.",
        "Chưa nắm vững quy định mới sau sắp xếp, cần kèm cặp.",
    ),
}
TASK_NOTE = "Nhiệm vụ không qua hệ thống một cửa: đánh giá theo kế hoạch công tác quý của phòng."
LATE_NOTE = "Hai hồ sơ trễ hạn do hệ thống liên thông gián đoạn, không do lỗi của công chức."


@dataclass
class WorkforceDemoSummary:
    already_loaded: bool = False
    positions: int = 0
    assignments: int = 0
    qualifications: int = 0
    evidence: Counter[str] = field(default_factory=Counter)
    plans: int = 0
    plan_items: int = 0
    sessions: int = 0
    enrolments: int = 0
    completed: int = 0
    failed: int = 0
    evaluations: int = 0
    grades: Counter[str] = field(default_factory=Counter)
    flagged: list[str] = field(default_factory=list)  # "commune Qn/yyyy" over the excellent limit
    seconds: float = 0.0

    def lines(self) -> list[str]:
        if self.already_loaded:
            return ["The workforce demo is already loaded; nothing to do."]
        kinds = ", ".join(f"{k}: {n}" for k, n in self.evidence.most_common())
        grades = ", ".join(f"{k}: {n}" for k, n in self.grades.most_common())
        return [
            f"Workforce demo: {self.positions} job positions, {self.assignments} positions held, "
            f"{self.qualifications} degrees and certificates.",
            f"  evidence: {kinds}",
            f"  {self.plans} training plans with {self.plan_items} items; {self.sessions} sessions, "
            f"{self.enrolments} enrolments, {self.completed} passed, {self.failed} did not pass",
            f"  {self.evaluations} quarterly evaluations ({grades}); excellent over 20% of good in "
            f"{len(self.flagged)} commune-quarters",
            f"  time: {self.seconds:.1f} s",
        ]


def demo_workforce_loaded() -> bool:
    return AuditEvent.objects.filter(action=MARKER).exists()


def _quarter_ends(today: dt.date, n: int = 3) -> list[dt.date]:
    """The last ``n`` quarter ends before today, oldest first."""
    ends: list[dt.date] = []
    year, quarter = today.year, (today.month - 1) // 3  # the last finished quarter
    while len(ends) < n:
        if quarter == 0:
            year, quarter = year - 1, 4
        end = (
            dt.date(year, 12, 31)
            if quarter == 4
            else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
        )
        ends.append(end)
        quarter -= 1
    return sorted(ends)


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


class _Abilities:
    """The hidden ability of each officer in each competency (drawn once, then fixed)."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.cache: dict[tuple[int, int], float] = {}
        self.aptitude: dict[int, float] = {}  # shared by all of a person's competencies

    def of(self, user: User, profile: StaffProfile, comp: Competency, roles: frozenset[str]) -> float:
        key = (user.pk, comp.pk)
        if key in self.cache:
            return self.cache[key]
        rng = self.rng
        if user.pk not in self.aptitude:
            self.aptitude[user.pk] = rng.gauss(0, 0.6)
        g = self.aptitude[user.pk]
        age = (self.today - profile.birth_date).days / 365.25
        years = (self.today - profile.service_start).days / 365.25
        it = profile.education_major in IT_MAJORS
        title = profile.position_title
        code = comp.code
        if comp.type.code == "digital":
            base = (
                3.7
                - 0.04 * (age - 35)
                + (2.0 if it else 0)
                + (0.3 if profile.education_level == "master" else 0)
            )
            offset = {"DC3.4": -1.2, "AI6.1": -0.6, "AI6.2": -0.8, "AI6.3": -0.9, "DC5.1": -0.4, "DC1.1": 0.3}
            value = base + g + offset.get(code, 0.0) + rng.gauss(0, 0.45)
        elif comp.type.code == "public_digital":
            base = 2.4 + min(years, 15) * 0.03 - 0.015 * (age - 35)
            if code.startswith("OPS") and Role.RECEPTION_OFFICER in roles:
                base += 0.6
            if code.startswith("EDOC") and (user.department_id is None or "Văn phòng" in title):
                base += 0.4
            if code.startswith("SEC") and it:
                base += 1.3
            value = base + 0.8 * g + rng.gauss(0, 0.45)
        else:
            fits = profile.education_major in FIELDS_OF_STUDY.get(title, ())
            related = {
                "PRO.IT": it,
                "PRO.PARTY": Role.COMMUNE_LEADER in roles or Role.DEPARTMENT_HEAD in roles,
            }.get(code, fits)
            base = (2.8 if related else 1.6) + min(years, 20) * 0.03
            value = base + 0.8 * g + rng.gauss(0, 0.45)
        self.cache[key] = max(0.5, min(value, float(comp.max_level)))
        return self.cache[key]


def _answer_right(rng: random.Random, ability: float, level: int) -> bool:
    return rng.random() < 1 / (1 + math.exp(-1.7 * (ability - level + 0.6)))


def _manager_of(person: User, heads: dict[int, User], leaders: list[User]) -> User | None:
    """Who assesses and evaluates the person: their department head, else the chairman, and
    for the chairman the first vice-chair."""
    head = heads.get(person.department_id or 0)
    if head is not None and head.pk != person.pk:
        return head
    for leader in leaders:
        if leader.pk != person.pk:
            return leader
    return None


def demo_workforce_load(
    *,
    seed: int = 2025,
    today: dt.date | None = None,
    communes: int | None = None,
    progress: Callable[[str], None] = lambda _msg: None,
) -> WorkforceDemoSummary:
    """Load the demo; ``communes`` limits it to the first N communes by code (for tests)."""
    started = time.monotonic()
    summary = WorkforceDemoSummary()
    if demo_workforce_loaded():
        summary.already_loaded = True
        return summary
    province = Province.objects.filter(pk=DEMO_PROVINCE).first()
    rows = list(Commune.objects.filter(province_id=DEMO_PROVINCE).order_by("code"))
    rows = rows[:communes] if communes is not None else rows
    if province is None or not rows or not AuditEvent.objects.filter(action="demo.loaded").exists():
        raise ValueError("Load the demo first (manage.py load_demo): there are no demo communes.")
    today = today or timezone.localdate()
    with transaction.atomic():
        _load(province, rows, seed, today, summary, progress)
        events.record(
            actor=None,
            action=MARKER,
            obj=province,
            data={"seed": seed, "today": today.isoformat(), "evidence": dict(summary.evidence)},
        )
    summary.seconds = time.monotonic() - started
    return summary


def _load(
    province: Province,
    communes: list[Commune],
    seed: int,
    today: dt.date,
    summary: WorkforceDemoSummary,
    progress: Callable[[str], None],
) -> None:
    rng = random.Random(seed)  # noqa: S311 — a reproducible demo, not a secret
    q_ends = _quarter_ends(today)
    self_day = q_ends[0] - dt.timedelta(days=75)
    review_day = self_day - dt.timedelta(days=120)
    manager_day = q_ends[0] - dt.timedelta(days=10)
    plan_day = q_ends[0] + dt.timedelta(days=6)
    has_dossiers = Dossier.objects.filter(commune__province=province).exists()
    progress("Workforce: framework, courses, questions and the province's position template…")
    shipped_data_load(province=province)
    competencies = {c.pk: c for c in Competency.objects.select_related("type")}
    abilities = _Abilities(random.Random(seed + 1), today)  # noqa: S311
    manager = User.objects.filter(username="province.manager").first()

    # --- positions, history, qualifications -------------------------------------------
    staff_by_commune: dict[int, list[User]] = defaultdict(list)
    for user in (
        User.objects.filter(commune__in=communes, is_active=True)
        .select_related("profile")
        .prefetch_related("role_grants")
        .order_by("pk")
    ):
        assert user.commune_id is not None
        staff_by_commune[user.commune_id].append(user)
    for n, commune in enumerate(communes, start=1):
        positions = services.positions_adopt_all(actor=None, commune=commune)
        summary.positions += len(positions)
        by_title = {p.title: p for p in Position.objects.filter(commune=commune)}
        assignments: list[Assignment] = []
        qualifications: list[Qualification] = []
        for user in staff_by_commune[commune.code]:
            profile = user.profile
            position = by_title.get(profile.position_title)
            if position is None:
                continue
            start = max(REFORM, profile.service_start)
            if profile.service_start < REFORM:
                district = rng.random() < 0.35
                assignments.append(
                    Assignment(
                        user=user,
                        title=profile.position_title
                        if not district
                        else f"Chuyên viên {rng.choice(('Phòng Tư pháp', 'Phòng Tài chính - Kế hoạch', 'Phòng Văn hóa và Thông tin', 'Phòng Tài nguyên và Môi trường', 'Văn phòng HĐND và UBND'))}",
                        organisation="UBND cấp huyện (trước sắp xếp 2025)"
                        if district
                        else "UBND xã cũ (trước sắp xếp 2025)",
                        started_on=profile.service_start,
                        ended_on=REFORM - dt.timedelta(days=1),
                    )
                )
            assignments.append(
                Assignment(
                    user=user,
                    position=position,
                    title=position.title,
                    organisation=commune.name,
                    started_on=start,
                )
            )
            degree = {"college": "Cao đẳng", "bachelor": "Đại học", "master": "Thạc sĩ", "doctor": "Tiến sĩ"}
            qualifications.append(
                Qualification(
                    user=user,
                    kind=Qualification.Kind.DEGREE,
                    name=degree.get(profile.education_level, profile.education_level),
                    major=profile.education_major,
                    issued_on=dt.date(max(1990, profile.service_start.year - 1), 6, 30),
                )
            )
            leader = user.has_role(Role.COMMUNE_LEADER, Role.DEPARTMENT_HEAD)
            for name, issuer, share, leader_share in CERTIFICATES:
                if rng.random() < (leader_share if leader else share):
                    year = rng.randint(max(profile.service_start.year, 2010), today.year - 1)
                    qualifications.append(
                        Qualification(
                            user=user,
                            kind=Qualification.Kind.CERTIFICATE,
                            name=name,
                            issuer=issuer,
                            issued_on=dt.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                        )
                    )
        Assignment.objects.bulk_create(assignments)
        Qualification.objects.bulk_create(qualifications)
        summary.assignments += len(assignments)
        summary.qualifications += len(qualifications)
        if n % 10 == 0 or n == len(communes):
            progress(f"  positions and staff records for {n}/{len(communes)} communes")

    # --- evidence: self-assessments, manager assessments, self-tests --------------------
    requirements: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
    for pos_id, comp_id, level, essential in Position.objects.filter(commune__in=communes).values_list(
        "id", "requirements__competency_id", "requirements__min_level", "requirements__essential"
    ):
        if comp_id is not None:
            requirements[pos_id].append((comp_id, level, essential))
    current = dict(
        Assignment.objects.filter(user__commune__in=communes, ended_on__isnull=True).values_list(
            "user_id", "position_id"
        )
    )
    questions: dict[int, list[Question]] = defaultdict(list)
    for q in Question.objects.filter(is_active=True, province__isnull=True).order_by("pk"):
        questions[q.competency_id].append(q)
    evidence: list[Evidence] = []
    attempts: list[tuple[SelfTestAttempt, Evidence]] = []
    leaders_by_commune: dict[int, list[User]] = {}
    heads_by_commune: dict[int, dict[int, User]] = {}
    for commune in communes:
        people = staff_by_commune[commune.code]
        leaders = sorted(
            (u for u in people if u.has_role(Role.COMMUNE_LEADER)),
            key=lambda u: (u.profile.position_title != "Chủ tịch UBND", u.pk),
        )
        heads = {
            u.department_id: u
            for u in people
            if u.has_role(Role.DEPARTMENT_HEAD)
            and u.department_id is not None
            and not u.has_role(Role.COMMUNE_LEADER)
        }
        leaders_by_commune[commune.code] = leaders
        heads_by_commune[commune.code] = heads
        for user in people:
            position_id = current.get(user.pk)
            if position_id is None:
                continue
            roles = user.roles
            reqs = requirements[position_id]
            for comp_id, _level, _essential in reqs:
                comp = competencies[comp_id]
                ability = abilities.of(user, user.profile, comp, roles)
                claimed = _clamp(ability + rng.choices((1, 0, -1), (0.35, 0.5, 0.15))[0], 1, comp.max_level)
                evidence.append(
                    _piece(
                        user,
                        comp,
                        EvidenceKind.SELF,
                        claimed,
                        self_day + dt.timedelta(days=rng.randint(0, 12)),
                        user,
                    )
                )
            assessor = _manager_of(user, heads, leaders)
            if assessor is not None and rng.random() < 0.8:
                # The review of the whole team after the reform (domain brief §1).
                for comp_id, min_level, _essential in reqs:
                    comp = competencies[comp_id]
                    ability = abilities.of(user, user.profile, comp, roles)
                    seen = _clamp(ability + rng.gauss(0, 0.3), 1, comp.max_level)
                    mood = "up" if seen > min_level else "same" if seen == min_level else "down"
                    piece = _piece(
                        user,
                        comp,
                        EvidenceKind.MANAGER,
                        seen,
                        review_day + dt.timedelta(days=rng.randint(0, 20)),
                        assessor,
                    )
                    piece.comment = rng.choice(MANAGER_COMMENTS[mood])
                    evidence.append(piece)
            if assessor is not None and rng.random() < 0.3:
                chosen = [r for r in reqs if r[2]] + rng.sample(
                    [r for r in reqs if not r[2]], k=min(1, len(reqs))
                )
                for comp_id, _level, _essential in chosen[:3]:
                    comp = competencies[comp_id]
                    ability = abilities.of(user, user.profile, comp, roles)
                    seen = _clamp(ability + rng.gauss(0, 0.35), 1, comp.max_level)
                    mood = "up" if seen >= _level + 1 else "same" if seen >= _level else "down"
                    piece = _piece(
                        user,
                        comp,
                        EvidenceKind.MANAGER,
                        seen,
                        manager_day - dt.timedelta(days=rng.randint(0, 6)),
                        assessor,
                    )
                    piece.comment = rng.choice(MANAGER_COMMENTS[mood])
                    evidence.append(piece)
            if rng.random() < 0.4:
                testable = [r[0] for r in reqs if competencies[r[0]].self_test and questions.get(r[0])]
                for comp_id in rng.sample(testable, k=min(len(testable), rng.randint(1, 3))):
                    comp = competencies[comp_id]
                    ability = abilities.of(user, user.profile, comp, roles)
                    bank = questions[comp_id]
                    answers = [
                        q.answer if _answer_right(rng, ability, q.level) else (q.answer + 1) % len(q.choices)
                        for q in bank
                    ]
                    results = [(q.level, a == q.answer) for q, a in zip(bank, answers, strict=True)]
                    right = sum(r for _lv, r in results)
                    level = min(selftest_level(results, workforce_config().test_pass_share), comp.max_level)
                    day = self_day + dt.timedelta(days=rng.randint(20, max(21, (today - self_day).days - 3)))
                    moment = dt.datetime.combine(
                        day,
                        dt.time(rng.randint(8, 16), rng.randint(0, 59)),
                        tzinfo=timezone.get_default_timezone(),
                    )
                    score = (Decimal(right) * 100 / len(results)).quantize(Decimal("0.01"))
                    attempt = SelfTestAttempt(
                        user=user,
                        competency=comp,
                        question_ids=[q.pk for q in bank],
                        answers=answers,
                        started_at=moment - dt.timedelta(minutes=6),
                        submitted_at=moment,
                        correct=right,
                        score=score,
                        level=level,
                    )
                    piece = _piece(user, comp, EvidenceKind.TEST, level, day, user)
                    piece.score = score
                    piece.data = {"correct": right, "questions": len(results)}
                    attempts.append((attempt, piece))
    SelfTestAttempt.objects.bulk_create([a for a, _p in attempts])
    for attempt, piece in attempts:
        piece.attempt = attempt
        piece.data["attempt"] = attempt.pk
        evidence.append(piece)
    Evidence.objects.bulk_create(evidence, batch_size=2000)
    summary.evidence.update(e.kind for e in evidence)
    for commune in communes:
        events.record(
            actor=None,
            action="workforce.demo_evidence_loaded",
            obj=commune,
            commune=commune,
            data={"seed": seed},
        )
    progress(f"  {len(evidence)} pieces of assessment and test evidence for {len(current)} officers")

    # --- work records from the dossier ledger ---------------------------------------------
    if has_dossiers:
        for end in q_ends:
            added = sum(services.work_records_refresh(commune=c, on=end) for c in communes)
            summary.evidence[EvidenceKind.WORK] += added
            progress(f"  work records as of {end:%d/%m/%Y}: {added} pieces of evidence")
    else:
        progress(
            "  no demo dossiers: work records and task results are skipped (run load_demo_dossiers first)"
        )

    # --- training plans, sessions, enrolments, results --------------------------------------
    plans = []
    for commune in communes:
        plans.append(
            services.training_plan_build(actor=None, commune=commune, year=plan_day.year, on=plan_day)
        )
    items = list(
        PlanItem.objects.filter(plan__in=plans)
        .select_related("user__commune", "course")
        .order_by("-urgency", "id")
    )
    summary.plans, summary.plan_items = len(plans), len(items)
    progress(f"  {len(plans)} training plans for {plan_day.year} with {len(items)} items")
    by_course: dict[int, list[PlanItem]] = defaultdict(list)
    for item in items:
        by_course[item.course_id].append(item)
    first_session = plan_day + dt.timedelta(days=20)
    last_session = today + dt.timedelta(days=45)
    span = max(1, (last_session - first_session).days)
    sessions: dict[int, list[Session]] = {}
    for course in Course.objects.filter(pk__in=list(by_course)).order_by("code"):
        count = max(1, math.ceil(len(by_course[course.pk]) * 0.9 / SESSION_CAPACITY))
        runs = []
        for i in range(count):
            start = first_session + dt.timedelta(days=round(span * (i + 0.5) / count) + rng.randint(-5, 5))
            while start.weekday() >= 5:
                start += dt.timedelta(days=1)
            days = 1 if course.hours <= 8 else 2 if course.hours <= 16 else 3 if course.hours <= 24 else 5
            online = course.hours <= 8 and rng.random() < 0.4
            runs.append(
                services.session_create(
                    actor=None,
                    course=course,
                    province=province,
                    commune=None,
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=days - 1),
                    capacity=SESSION_CAPACITY,
                    place="" if online else rng.choice(PLACES),
                    online=online,
                    trainer=rng.choice(
                        ("Sở Nội vụ", "Sở Khoa học và Công nghệ", "Trường Đại học Khoa học, Đại học Huế")
                    ),
                )
            )
        sessions[course.pk] = sorted(runs, key=lambda s: s.starts_on)
        summary.sessions += len(runs)
    chairmen = {c: people[0] for c, people in leaders_by_commune.items() if people}
    taken: Counter[int] = Counter()
    enrolled = []
    for item in items:
        if rng.random() < 0.1:
            continue  # left for later in the year
        run = next((s for s in sessions.get(item.course_id, []) if taken[s.pk] < s.capacity), None)
        if run is None:
            continue
        actor = chairmen.get(item.user.commune_id or 0) or manager
        assert actor is not None
        enrolment = services.enrol(
            actor=actor,
            session=run,
            person=item.user,
            on=min(run.starts_on, plan_day + dt.timedelta(days=10)),
        )
        taken[run.pk] += 1
        enrolled.append((item, run, enrolment))
    summary.enrolments = len(enrolled)
    outcomes = {
        c.pk: list(c.outcomes.select_related("competency"))
        for c in Course.objects.prefetch_related("outcomes")
    }
    for item, run, enrolment in enrolled:
        if run.ends_on >= today or manager is None:
            continue
        if rng.random() < 0.05:
            services.attendance_set(actor=manager, enrolment=enrolment, attended=False, on=run.ends_on)
            services.enrolment_cancel(actor=manager, enrolment=enrolment)  # back to "planned"
            continue
        main = next(
            (o for o in outcomes[item.course_id] if o.competency_id == item.competency_id),
            outcomes[item.course_id][0],
        )
        ability = abilities.of(
            item.user, item.user.profile, competencies[main.competency_id], item.user.roles
        )
        post_test = max(20.0, min(100.0, rng.gauss(78 + 8 * (ability - main.level + 1), 9)))
        done = services.enrolment_complete(
            actor=manager, enrolment=enrolment, score=round(post_test * 2) / 2, on=run.ends_on
        )
        if done.status == EnrolmentStatus.COMPLETED:
            summary.completed += 1
            summary.evidence[EvidenceKind.TRAINING] += len(outcomes[item.course_id])
        else:
            summary.failed += 1
    progress(
        f"  {summary.sessions} sessions, {summary.enrolments} enrolments, {summary.completed} passed, "
        f"{summary.failed} did not pass"
    )

    # --- evaluations of the finished quarters ----------------------------------------------------
    if not has_dossiers:
        return
    policy = services.policy_for(province.code)
    for end in q_ends:
        year, quarter = end.year, (end.month - 1) // 3 + 1
        for commune in communes:
            commune_heads = heads_by_commune[commune.code]
            commune_leaders = leaders_by_commune[commune.code]
            staff = {u.pk: u for u in staff_by_commune[commune.code]}
            for row in services.evaluations_compute(actor=None, commune=commune, year=year, quarter=quarter):
                person = staff.get(row.user_id)
                assessor = _manager_of(person, commune_heads, commune_leaders) if person else None
                if assessor is None:
                    continue
                general = _clamp(2 * 30 * min(1.0, rng.gauss(0.8, 0.07)), 30, 60) / 2
                row = services.evaluation_set_general(
                    actor=assessor, evaluation=row, points=general, policy=policy
                )
                if row.computed_task_points is None:
                    points = _clamp(2 * rng.gauss(58, 6), 70, 140) / 2
                    row = services.evaluation_adjust_task(
                        actor=assessor, evaluation=row, points=points, reason=TASK_NOTE, policy=policy
                    )
                elif row.late >= 2 and rng.random() < 0.04:
                    points = min(70.0, float(row.computed_task_points) + 3)
                    row = services.evaluation_adjust_task(
                        actor=assessor, evaluation=row, points=points, reason=LATE_NOTE, policy=policy
                    )
                summary.evaluations += 1
                summary.grades[row.grade] += 1
            counts = Counter(
                Evaluation.objects.filter(commune=commune, year=year, quarter=quarter).values_list(
                    "grade", flat=True
                )
            )
            if counts["excellent"] > math.floor(counts["good"] * 0.2):
                summary.flagged.append(f"{commune.name} Q{quarter}/{year}")
        progress(f"  evaluations of Q{quarter}/{year} for {len(communes)} communes")


def _piece(user: User, comp: Competency, kind: str, level: int, day: dt.date, by: User | None) -> Evidence:
    return Evidence(
        user=user,
        competency=comp,
        kind=kind,
        level=level,
        observed_on=day,
        valid_until=services.valid_until_for(kind, day),
        recorded_by=by,
        data={},
    )
