"""Reads: current levels, the gap report (person, position, department, commune, province),
training recommendations, plan progress and evaluation summaries.

The gap report runs a fixed number of queries whatever the size of the province (one per
table it reads), then applies the level rule (``levels.derive``) in memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone

from xaso.accounts.models import User
from xaso.places.models import Commune, Department
from xaso.workforce.authz import Scope
from xaso.workforce.config import WorkforceConfig, workforce_config
from xaso.workforce.levels import Derived, Piece, derive
from xaso.workforce.models import (
    Assignment,
    Competency,
    Course,
    CourseOutcome,
    Enrolment,
    EnrolmentStatus,
    Evaluation,
    Evidence,
    Grade,
    PlanItemStatus,
    Position,
    PositionRequirement,
    Session,
    SuccessorDesignation,
    TrainingPlan,
)
from xaso.workforce.scoring import Policy, excellent_limit


def today() -> dt.date:
    return timezone.localdate()


# --- levels -------------------------------------------------------------------------------------


def _pieces(
    evidence: Iterable[tuple[int, int, int, str, int, dt.date, dt.date]],
) -> dict[tuple[int, int], list[Piece]]:
    grouped: dict[tuple[int, int], list[Piece]] = defaultdict(list)
    for user_id, competency_id, pk, kind, level, observed_on, valid_until in evidence:
        grouped[(user_id, competency_id)].append(Piece(pk, kind, level, observed_on, valid_until))
    return grouped


EVIDENCE_COLUMNS = ("user_id", "competency_id", "id", "kind", "level", "observed_on", "valid_until")


def levels_of(person: User, *, on: dt.date | None = None) -> dict[int, Derived]:
    """Every competency the person has valid evidence in, with its derived level."""
    on = on or today()
    rows = Evidence.objects.filter(user=person, observed_on__lte=on, valid_until__gte=on).values_list(
        *EVIDENCE_COLUMNS
    )
    config = workforce_config()
    return {comp: derive(p, on=on, config=config) for (_u, comp), p in _pieces(rows).items()}


@dataclass
class CompetencyRow:
    competency: Competency
    required: int | None
    essential: bool
    derived: Derived
    evidence: list[Evidence]  # every piece ever recorded, newest first

    @property
    def gap(self) -> int:
        return max(0, (self.required or 0) - self.derived.level)


def current_assignment(person: User) -> Assignment | None:
    return (
        Assignment.objects.filter(user=person, ended_on__isnull=True)
        .select_related("position__department")
        .first()
    )


def person_competencies(person: User, *, on: dt.date | None = None) -> list[CompetencyRow]:
    """The person's competencies: those their position requires (first), then any other
    with evidence; each with the derived level and all its evidence."""
    on = on or today()
    assignment = current_assignment(person)
    required: dict[int, PositionRequirement] = {}
    if assignment is not None and assignment.position_id is not None:
        required = {
            r.competency_id: r for r in PositionRequirement.objects.filter(position_id=assignment.position_id)
        }
    evidence = list(
        Evidence.objects.filter(user=person).select_related("recorded_by").order_by("-observed_on", "-id")
    )
    by_comp: dict[int, list[Evidence]] = defaultdict(list)
    for e in evidence:
        by_comp[e.competency_id].append(e)
    ids = set(required) | set(by_comp)
    competencies = {c.pk: c for c in Competency.objects.filter(pk__in=ids).select_related("type")}
    config = workforce_config()
    rows = []
    for comp_id in ids:
        pieces = [
            Piece(e.pk, e.kind, e.level, e.observed_on, e.valid_until) for e in by_comp.get(comp_id, [])
        ]
        req = required.get(comp_id)
        rows.append(
            CompetencyRow(
                competency=competencies[comp_id],
                required=req.min_level if req else None,
                essential=req.essential if req else False,
                derived=derive(pieces, on=on, config=config),
                evidence=by_comp.get(comp_id, []),
            )
        )
    rows.sort(key=lambda r: (r.required is None, -r.gap, not r.essential, r.competency.code))
    return rows


# --- the gap report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyInfo:
    id: int
    code: str
    label: str
    key_level: int | None
    max_level: int


@dataclass
class RequirementRow:
    competency: CompetencyInfo
    required: int
    essential: bool
    derived: Derived
    gap: int = field(init=False)

    def __post_init__(self) -> None:
        self.gap = max(0, self.required - self.derived.level)

    @property
    def current(self) -> int:
        return self.derived.level


@dataclass
class PersonGaps:
    user_id: int
    full_name: str
    commune_id: int
    department_id: int | None
    position_id: int
    position_title: str
    rows: list[RequirementRow]
    gaps: list[RequirementRow] = field(init=False)
    gap_total: int = field(init=False)

    def __post_init__(self) -> None:
        self.gaps = [r for r in self.rows if r.gap]
        self.gap_total = sum(r.gap for r in self.gaps)

    @property
    def meets(self) -> bool:
        return not self.gaps


@dataclass
class PositionSummary:
    position_id: int
    code: str
    title: str
    commune_id: int
    department_id: int | None
    headcount: int
    filled: int = 0
    meeting: int = 0
    short: Counter[str] = field(default_factory=Counter)

    @property
    def vacancies(self) -> int:
        return max(0, self.headcount - self.filled)


@dataclass
class UnitSummary:
    """A department or a commune."""

    id: int
    name: str
    officers: int = 0
    meeting: int = 0
    gap_total: int = 0
    vacancies: int = 0
    unassigned: int = 0
    short: Counter[str] = field(default_factory=Counter)  # competency code -> officers short
    lacks: list[CompetencyInfo] = field(default_factory=list)  # no officer at the key level

    @property
    def with_gaps(self) -> int:
        return self.officers - self.meeting

    @property
    def meeting_share(self) -> float:
        return self.meeting / self.officers if self.officers else 0.0

    def top_short(self, n: int = 3) -> list[tuple[str, int]]:
        return self.short.most_common(n)


@dataclass
class GapReport:
    scope: Scope
    on: dt.date
    competencies: dict[int, CompetencyInfo]
    people: list[PersonGaps]
    positions: list[PositionSummary]
    departments: list[UnitSummary]
    communes: list[UnitSummary]
    unassigned: list[tuple[int, str, int]]  # (user id, name, commune) with no current position
    commune_names: dict[int, str]
    department_names: dict[int, str]

    @property
    def officers(self) -> int:
        return len(self.people)

    @property
    def meeting(self) -> int:
        return sum(1 for p in self.people if p.meets)

    @property
    def short(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for c in self.communes:
            total.update(c.short)
        return total

    def person(self, user_id: int) -> PersonGaps | None:
        return next((p for p in self.people if p.user_id == user_id), None)

    def communes_lacking(self, code: str) -> list[UnitSummary]:
        return [c for c in self.communes if any(k.code == code for k in c.lacks)]


def competency_infos() -> dict[int, CompetencyInfo]:
    return {
        c.pk: CompetencyInfo(c.pk, c.code, c.label, c.key_level, c.max_level)
        for c in Competency.objects.filter(is_active=True).order_by("code")
    }


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Building the report makes tens of thousands of small objects and no reference cycles;
    pausing the cyclic garbage collector meanwhile saves about a third of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def gap_report(scope: Scope, *, on: dt.date | None = None) -> GapReport:
    with gc_paused():
        return _gap_report(scope, on=on)


def _gap_report(scope: Scope, *, on: dt.date | None = None) -> GapReport:
    """Required vs current level for every assigned officer in the scope, summed up by
    position, department and commune; and, for a commune or the province, the communes
    with no officer at a key competency's level (``Competency.key_level``)."""
    on = on or today()
    config = workforce_config()
    communes = list(scope.communes)
    competencies = competency_infos()
    people_qs = User.objects.filter(is_active=True, commune_id__in=communes)
    position_qs = Position.objects.filter(commune_id__in=communes, is_active=True)
    if scope.department is not None:
        people_qs = people_qs.filter(department_id=scope.department)
    if scope.person is not None:
        people_qs = people_qs.filter(pk=scope.person)
    people = {
        pk: (name, commune, dept)
        for pk, name, commune, dept in people_qs.values_list("id", "full_name", "commune_id", "department_id")
    }
    positions = {
        pk: PositionSummary(pk, code, title, commune, dept, headcount)
        for pk, code, title, commune, dept, headcount in position_qs.values_list(
            "id", "code", "title", "commune_id", "department_id", "headcount"
        )
    }
    requirements: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
    for position_id, comp_id, min_level, essential in PositionRequirement.objects.filter(
        position__commune_id__in=communes, position__is_active=True
    ).values_list("position_id", "competency_id", "min_level", "essential"):
        if comp_id in competencies:
            requirements[position_id].append((comp_id, min_level, essential))
    current = dict(
        Assignment.objects.filter(
            ended_on__isnull=True, user__is_active=True, user__commune_id__in=communes, position__isnull=False
        ).values_list("user_id", "position_id")
    )
    whole_communes = scope.department is None and scope.person is None
    evidence_qs = Evidence.objects.filter(
        user__commune_id__in=communes, user__is_active=True, observed_on__lte=on, valid_until__gte=on
    )
    if not whole_communes:
        evidence_qs = evidence_qs.filter(user_id__in=list(people))
    pieces = _pieces(evidence_qs.values_list(*EVIDENCE_COLUMNS))
    derived_cache: dict[tuple[int, int], Derived] = {}

    def level_of(user_id: int, comp_id: int) -> Derived:
        key = (user_id, comp_id)
        if key not in derived_cache:
            derived_cache[key] = derive(pieces.get(key, ()), on=on, config=config)
        return derived_cache[key]

    commune_names = dict(Commune.objects.filter(code__in=communes).values_list("code", "name"))
    dept_rows = Department.objects.filter(commune_id__in=communes)
    if scope.department is not None:
        dept_rows = dept_rows.filter(pk=scope.department)
    department_names = dict(dept_rows.values_list("id", "name"))
    by_commune = {code: UnitSummary(code, commune_names.get(code, str(code))) for code in communes}
    by_dept = {pk: UnitSummary(pk, name) for pk, name in department_names.items()}
    report_people: list[PersonGaps] = []
    unassigned: list[tuple[int, str, int]] = []
    for user_id, (name, commune, dept) in people.items():
        held = current.get(user_id)
        if held is None or held not in positions:
            unassigned.append((user_id, name, commune))
            by_commune[commune].unassigned += 1
            if dept in by_dept:
                by_dept[dept].unassigned += 1
            continue
        pos = positions[held]
        rows = [
            RequirementRow(competencies[comp], req_level, essential, level_of(user_id, comp))
            for comp, req_level, essential in requirements.get(held, [])
        ]
        rows.sort(key=lambda r: (-r.gap, not r.essential, r.competency.code))
        person = PersonGaps(user_id, name, commune, dept, held, pos.title, rows)
        report_people.append(person)
        pos.filled += 1
        units = [by_commune[commune]] + ([by_dept[dept]] if dept in by_dept else [])
        for unit in units:
            unit.officers += 1
            unit.meeting += person.meets
            unit.gap_total += person.gap_total
            unit.short.update(r.competency.code for r in person.gaps)
        if person.meets:
            pos.meeting += 1
        pos.short.update(r.competency.code for r in person.gaps)
    if scope.person is not None:
        listed = [p for p in positions.values() if p.filled]
    elif scope.department is not None:
        listed = [p for p in positions.values() if p.department_id == scope.department]
    else:
        listed = list(positions.values())
    for pos in listed:
        by_commune[pos.commune_id].vacancies += pos.vacancies
        if pos.department_id in by_dept:
            by_dept[pos.department_id].vacancies += pos.vacancies
    if whole_communes:
        key_comps = [c for c in competencies.values() if c.key_level]
        qualified: set[tuple[int, int]] = set()
        for user_id, (_name, commune, _dept) in people.items():
            for comp in key_comps:
                if level_of(user_id, comp.id).level >= (comp.key_level or 0):
                    qualified.add((commune, comp.id))
        for code, unit in by_commune.items():
            unit.lacks = [c for c in key_comps if (code, c.id) not in qualified]
    report_people.sort(key=lambda p: (p.meets, -p.gap_total, p.full_name))
    return GapReport(
        scope=scope,
        on=on,
        competencies=competencies,
        people=report_people,
        positions=sorted(listed, key=lambda p: (p.commune_id, p.code)),
        departments=sorted(by_dept.values(), key=lambda d: d.name),
        communes=sorted(by_commune.values(), key=lambda c: c.name),
        unassigned=sorted(unassigned, key=lambda u: u[1]),
        commune_names=commune_names,
        department_names=department_names,
    )


# --- training recommendations -------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseInfo:
    id: int
    code: str
    name: str
    cost_vnd: int
    hours: int


@dataclass(frozen=True)
class SessionInfo:
    id: int
    course_id: int
    commune_id: int | None
    starts_on: dt.date
    ends_on: dt.date
    free: int


@dataclass
class Recommendation:
    user_id: int
    full_name: str
    commune_id: int
    department_id: int | None
    course: CourseInfo | None  # None: no course in the catalogue closes this gap
    gaps: list[RequirementRow]
    urgency: int
    session: SessionInfo | None = None

    @property
    def gap_total(self) -> int:
        return sum(r.gap for r in self.gaps)


def _urgency(
    row: RequirementRow, person: PersonGaps, lacking: set[tuple[int, int]], config: WorkforceConfig
) -> int:
    score = row.gap
    if row.essential:
        score += config.urgency_essential
    if (person.commune_id, row.competency.id) in lacking:
        score += config.urgency_commune_lacks
    if not row.derived.verified:
        score += 1
    return score


def open_sessions(*, province_id: int, communes: Iterable[int], on: dt.date) -> list[SessionInfo]:
    """Sessions one can still enrol in (up to their first day), for the province or these communes."""
    rows = (
        Session.objects.filter(province_id=province_id, starts_on__gte=on)
        .filter(Q(commune__isnull=True) | Q(commune_id__in=list(communes)))
        .annotate(taken=Count("enrolments", filter=~Q(enrolments__status=EnrolmentStatus.CANCELLED)))
        .order_by("starts_on", "id")
        .values_list("id", "course_id", "commune_id", "starts_on", "ends_on", "capacity", "taken")
    )
    return [
        SessionInfo(pk, course, commune, start, end, cap - taken)
        for pk, course, commune, start, end, cap, taken in rows
    ]


def recommendations(report: GapReport, *, province_id: int | None = None) -> list[Recommendation]:
    """Who should attend what, most urgent first. For each officer's gap, the course whose
    outcome reaches the required level (the lowest such level, then the cheapest); gaps the
    same course closes are merged. Urgency: levels missing, plus ``urgency_essential`` for an
    essential requirement, ``urgency_commune_lacks`` when the commune has nobody at the key
    level, and 1 when the current level rests on no verified evidence. Officers already
    enrolled in a course for a competency are left out for it."""
    config = workforce_config()
    outcomes: dict[int, list[tuple[int, int]]] = defaultdict(list)  # competency -> (level, course)
    for course_id, comp_id, level in CourseOutcome.objects.filter(course__is_active=True).values_list(
        "course_id", "competency_id", "level"
    ):
        outcomes[comp_id].append((level, course_id))
    courses = {
        pk: CourseInfo(pk, code, name, cost, hours)
        for pk, code, name, cost, hours in Course.objects.filter(is_active=True).values_list(
            "id", "code", "name", "cost_vnd", "hours"
        )
    }
    user_ids = [p.user_id for p in report.people if p.gaps]
    covered: set[tuple[int, int]] = set()  # (user, competency) with an open enrolment
    active = Enrolment.objects.filter(user_id__in=user_ids, status=EnrolmentStatus.ENROLLED).values_list(
        "user_id", "session__course_id"
    )
    course_comps: dict[int, set[int]] = defaultdict(set)
    for comp_id, pairs in outcomes.items():
        for _level, course_id in pairs:
            course_comps[course_id].add(comp_id)
    for user_id, course_id in active:
        for comp_id in course_comps.get(course_id, ()):
            covered.add((user_id, comp_id))
    lacking = {(c.id, k.id) for c in report.communes for k in c.lacks}
    sessions: dict[int, list[SessionInfo]] = defaultdict(list)
    if province_id is not None:
        for s in open_sessions(province_id=province_id, communes=report.scope.communes, on=report.on):
            sessions[s.course_id].append(s)
    merged: dict[tuple[int, int | None], Recommendation] = {}
    for person in report.people:
        for row in person.gaps:
            if (person.user_id, row.competency.id) in covered:
                continue
            options = sorted(
                (level, courses[course_id].cost_vnd, courses[course_id].code, course_id)
                for level, course_id in outcomes.get(row.competency.id, [])
                if level >= row.required and course_id in courses
            )
            course = courses[options[0][3]] if options else None
            key = (person.user_id, course.id if course else -row.competency.id)
            urgency = _urgency(row, person, lacking, config)
            rec = merged.get(key)
            if rec is None:
                merged[key] = Recommendation(
                    person.user_id,
                    person.full_name,
                    person.commune_id,
                    person.department_id,
                    course,
                    [row],
                    urgency,
                )
            else:
                rec.gaps.append(row)
                rec.urgency = max(rec.urgency, urgency)
    result = sorted(
        merged.values(),
        key=lambda r: (-r.urgency, -r.gap_total, r.full_name, r.course.code if r.course else ""),
    )
    for rec in result:
        if rec.course is None:
            continue
        for s in sessions.get(rec.course.id, []):
            if s.free > 0 and (s.commune_id is None or s.commune_id == rec.commune_id):
                rec.session = s
                break
    return result


# --- plans and evaluations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanProgress:
    items: int
    planned: int
    enrolled: int
    completed: int
    failed: int
    cancelled: int
    budget_vnd: int
    committed_vnd: int  # planned + enrolled + completed + failed
    spent_vnd: int  # enrolled + completed + failed (places taken)

    @property
    def done_share(self) -> float:
        live = self.items - self.cancelled
        return self.completed / live if live else 0.0


def plan_progress(plan: TrainingPlan) -> PlanProgress:
    counts = Counter(
        dict(plan.items.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    )
    costs = dict(plan.items.values_list("status").annotate(c=Sum("cost_vnd")).values_list("status", "c"))
    taken = (PlanItemStatus.ENROLLED, PlanItemStatus.COMPLETED, PlanItemStatus.FAILED)
    return PlanProgress(
        items=sum(counts.values()),
        planned=counts[PlanItemStatus.PLANNED],
        enrolled=counts[PlanItemStatus.ENROLLED],
        completed=counts[PlanItemStatus.COMPLETED],
        failed=counts[PlanItemStatus.FAILED],
        cancelled=counts[PlanItemStatus.CANCELLED],
        budget_vnd=plan.budget_vnd,
        committed_vnd=sum(costs.get(s, 0) or 0 for s in (PlanItemStatus.PLANNED, *taken)),
        spent_vnd=sum(costs.get(s, 0) or 0 for s in taken),
    )


@dataclass(frozen=True)
class EvaluationSummary:
    counts: dict[str, int]
    evaluated: int
    pending: int  # no grade yet (general criteria or task points missing)
    excellent_limit: int

    @property
    def excellent_over_limit(self) -> bool:
        return self.counts.get(Grade.EXCELLENT, 0) > self.excellent_limit


def evaluation_summary(commune: Commune, year: int, quarter: int, policy: Policy) -> EvaluationSummary:
    rows = Evaluation.objects.filter(commune=commune, year=year, quarter=quarter)
    counts = dict(
        rows.exclude(grade="").values_list("grade").annotate(n=Count("id")).values_list("grade", "n")
    )
    total = rows.count()
    evaluated = sum(counts.values())
    return EvaluationSummary(
        counts=counts,
        evaluated=evaluated,
        pending=total - evaluated,
        excellent_limit=excellent_limit(counts.get(Grade.GOOD, 0), policy),
    )


# --- designated successors ------------------------------------------------------------------


def successors_of(position: Position) -> list[SuccessorDesignation]:
    """The designations for a leadership post that are not withdrawn, earliest first."""
    return list(
        SuccessorDesignation.objects.filter(position=position, withdrawn_at__isnull=True).select_related(
            "user", "recorded_by"
        )
    )


def commune_successors(commune: Commune, *, on: dt.date | None = None) -> list[SuccessorDesignation]:
    """The commune's designations not withdrawn and not ended by ``on`` (default: today)."""
    return list(
        SuccessorDesignation.objects.filter(
            position__commune=commune, withdrawn_at__isnull=True, ends_on__gte=on or today()
        )
        .select_related("user", "position")
        .order_by("position__title", "starts_on", "pk")
    )
