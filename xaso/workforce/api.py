"""Workforce API: the gap report, recommendations, a person's competencies, enrolment and
training results, evaluations and the framework. Scope as on the pages (``workforce.authz``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja import Status as Reply
from pydantic import BaseModel

from xaso.accounts import authz as accounts_authz
from xaso.accounts.models import User
from xaso.lib.errors import Forbidden, InvalidInput
from xaso.workforce import authz, selectors, services
from xaso.workforce.models import Competency, Evaluation
from xaso.workforce.selectors import GapReport, PersonGaps, RequirementRow, UnitSummary

router = Router(tags=["workforce"])


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Forbidden(_("Please sign in with a staff account."), code="not_authenticated")
    return user


# The gap report's output models are plain pydantic models: ninja's ``Schema`` runs a
# per-object getter that costs seconds on a province's tens of thousands of rows.


class EvidenceRef(BaseModel):
    id: int
    kind: str
    level: int
    date: dt.date


class RequirementOut(BaseModel):
    competency: str
    name: str
    required: int
    current: int
    gap: int
    essential: bool
    self_level: int | None
    evidence: list[EvidenceRef]


class PersonOut(BaseModel):
    id: int
    name: str
    commune: int
    department: int | None
    position: str
    meets: bool
    requirements: list[RequirementOut]


class UnitOut(BaseModel):
    id: int
    name: str
    officers: int
    meeting: int
    levels_missing: int
    vacancies: int
    not_placed: int
    short: dict[str, int]
    lacks: list[str]


class PositionOut(BaseModel):
    id: int
    commune: int
    code: str
    title: str
    headcount: int
    filled: int
    meeting: int
    short: dict[str, int]


class GapsOut(BaseModel):
    as_of: dt.date
    communes: list[UnitOut]
    departments: list[UnitOut]
    positions: list[PositionOut]
    officers: int
    meeting: int
    people: list[PersonOut]


# The gap report of a province has tens of thousands of rows: they are handed to the
# response schema as plain dicts, validated once by pydantic, rather than built as Schema
# objects first.


def _requirement(row: RequirementRow) -> dict[str, Any]:
    return {
        "competency": row.competency.code,
        "name": row.competency.label,
        "required": row.required,
        "current": row.derived.level,
        "gap": row.gap,
        "essential": row.essential,
        "self_level": row.derived.self_level,
        "evidence": [
            {"id": b.id, "kind": b.kind, "level": b.level, "date": b.observed_on} for b in row.derived.basis
        ],
    }


def _person(p: PersonGaps) -> dict[str, Any]:
    return {
        "id": p.user_id,
        "name": p.full_name,
        "commune": p.commune_id,
        "department": p.department_id,
        "position": p.position_title,
        "meets": p.meets,
        "requirements": [_requirement(r) for r in p.rows],
    }


def _unit(u: UnitSummary) -> dict[str, Any]:
    return {
        "id": u.id,
        "name": u.name,
        "officers": u.officers,
        "meeting": u.meeting,
        "levels_missing": u.gap_total,
        "vacancies": u.vacancies,
        "not_placed": u.unassigned,
        "short": dict(u.short.most_common()),
        "lacks": [c.code for c in u.lacks],
    }


def gaps_out(report: GapReport) -> dict[str, Any]:
    return {
        "as_of": report.on,
        "communes": [_unit(u) for u in report.communes],
        "departments": [_unit(u) for u in report.departments],
        "positions": [
            {
                "id": p.position_id,
                "commune": p.commune_id,
                "code": p.code,
                "title": p.title,
                "headcount": p.headcount,
                "filled": p.filled,
                "meeting": p.meeting,
                "short": dict(p.short.most_common()),
            }
            for p in report.positions
        ],
        "officers": report.officers,
        "meeting": report.meeting,
        "people": [_person(p) for p in report.people],
    }


@router.get("/workforce/gaps", response=GapsOut)
def gaps(
    request: HttpRequest, commune: int | None = None, department: int | None = None, on: dt.date | None = None
) -> HttpResponse:
    """Required vs current level per officer, summed by position, department and commune;
    ``lacks``: key competencies no officer of the commune holds at the needed level."""
    scope = authz.report_scope(_staff(request), commune=commune, department=department)
    with selectors.gc_paused():
        body = gaps_out(selectors.gap_report(scope, on=on))
        # Written straight to JSON: for a whole province (tens of thousands of rows) schema
        # validation would take longer than the report. The shape is ``GapsOut`` (checked
        # against it in tests/workforce/test_pages_api.py).
        return JsonResponse(body, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False})


class RecommendationOut(Schema):
    person: int
    name: str
    commune: int
    course: str | None
    course_name: str | None
    competencies: list[str]
    levels_missing: int
    urgency: int
    session: int | None
    session_starts_on: dt.date | None


@router.get("/workforce/recommendations", response=list[RecommendationOut])
def recommendations(
    request: HttpRequest, commune: int | None = None, department: int | None = None, limit: int = 100
) -> list[RecommendationOut]:
    """Who should attend which course, most urgent first."""
    user = _staff(request)
    if not 1 <= limit <= 1000:
        raise InvalidInput(_("limit must be between 1 and 1000."), field="limit")
    scope = authz.report_scope(user, commune=commune, department=department)
    recs = selectors.recommendations(selectors.gap_report(scope), province_id=user.province_id)
    return [
        RecommendationOut(
            person=r.user_id,
            name=r.full_name,
            commune=r.commune_id,
            course=r.course.code if r.course else None,
            course_name=r.course.name if r.course else None,
            competencies=[g.competency.code for g in r.gaps],
            levels_missing=r.gap_total,
            urgency=r.urgency,
            session=r.session.id if r.session else None,
            session_starts_on=r.session.starts_on if r.session else None,
        )
        for r in recs[:limit]
    ]


class CompetencyLevelOut(Schema):
    competency: str
    name: str
    required: int | None
    current: int
    verified: bool
    self_level: int | None
    evidence: list[EvidenceRef]


@router.get("/workforce/people/{person_id}/competencies", response=list[CompetencyLevelOut])
def person_competencies(request: HttpRequest, person_id: int) -> list[CompetencyLevelOut]:
    person = authz.get_person_for_user(_staff(request), person_id)
    return [
        CompetencyLevelOut(
            competency=row.competency.code,
            name=row.competency.label,
            required=row.required,
            current=row.derived.level,
            verified=row.derived.verified,
            self_level=row.derived.self_level,
            evidence=[
                EvidenceRef(id=e.pk, kind=e.kind, level=e.level, date=e.observed_on) for e in row.evidence
            ],
        )
        for row in selectors.person_competencies(person)
    ]


class EnrolIn(Schema):
    session: int
    person: int


class EnrolmentOut(Schema):
    id: int
    session: int
    course: str
    person: int
    status: str
    score: Decimal | None


@router.post("/workforce/enrolments", response={201: EnrolmentOut})
def enrol(request: HttpRequest, payload: EnrolIn) -> Reply[EnrolmentOut]:
    user = _staff(request)
    session = authz.get_session_for_user(user, payload.session)
    person = authz.get_person_for_user(user, payload.person)
    e = services.enrol(actor=user, session=session, person=person)
    return Reply(
        201,
        EnrolmentOut(
            id=e.pk,
            session=session.pk,
            course=session.course.code,
            person=person.pk,
            status=e.status,
            score=e.score,
        ),
    )


class CompleteIn(Schema):
    score: Decimal


@router.post("/workforce/enrolments/{enrolment_id}/complete", response=EnrolmentOut)
def complete(request: HttpRequest, enrolment_id: int, payload: CompleteIn) -> EnrolmentOut:
    """Record the post-test score: a pass becomes "training" evidence at the course's levels."""
    user = _staff(request)
    e = services.enrolment_complete(
        actor=user, enrolment=authz.get_enrolment_for_user(user, enrolment_id), score=payload.score
    )
    return EnrolmentOut(
        id=e.pk,
        session=e.session_id,
        course=e.session.course.code,
        person=e.user_id,
        status=e.status,
        score=e.score,
    )


class EvaluationOut(Schema):
    id: int
    person: int
    name: str
    year: int
    quarter: int
    assigned: int
    completed: int
    late: int
    faulty: int
    computed_task_points: Decimal | None
    task_points: Decimal | None
    task_adjusted: bool
    general_points: Decimal | None
    total: Decimal | None
    grade: str


class EvaluationsOut(Schema):
    commune: int
    year: int
    quarter: int
    counts: dict[str, int]
    excellent_limit: int
    excellent_over_limit: bool
    evaluations: list[EvaluationOut]


@router.get("/workforce/evaluations", response=EvaluationsOut)
def evaluations(request: HttpRequest, commune: int, year: int, quarter: int = 0) -> EvaluationsOut:
    """Decree 335 figures of a commune for a quarter (1–4) or the year (0); officers see their
    own row, department heads their department's."""
    user = _staff(request)
    place = accounts_authz.get_commune_for_user(user, commune)
    services.period_bounds(year, quarter)
    visible = authz.people_for_user(user).filter(commune=place)
    rows = Evaluation.objects.filter(
        commune=place, year=year, quarter=quarter, user__in=visible
    ).select_related("user")
    summary = selectors.evaluation_summary(place, year, quarter, services.policy_for(place.province_id))
    return EvaluationsOut(
        commune=place.code,
        year=year,
        quarter=quarter,
        counts=summary.counts,
        excellent_limit=summary.excellent_limit,
        excellent_over_limit=summary.excellent_over_limit,
        evaluations=[
            EvaluationOut(
                id=e.pk,
                person=e.user_id,
                name=e.user.full_name,
                year=e.year,
                quarter=e.quarter,
                assigned=e.assigned,
                completed=e.completed,
                late=e.late,
                faulty=e.faulty,
                computed_task_points=e.computed_task_points,
                task_points=e.task_points,
                task_adjusted=e.task_adjusted,
                general_points=e.general_points,
                total=e.total,
                grade=e.grade,
            )
            for e in rows
        ],
    )


class LevelOut(Schema):
    level: int
    name: str
    descriptor: str


class CompetencyOut(Schema):
    code: str
    type: str
    area: str
    name: str
    max_level: int
    key_level: int | None
    levels: list[LevelOut]


@router.get("/workforce/framework", response=list[CompetencyOut])
def framework(request: HttpRequest) -> list[CompetencyOut]:
    """The competency framework: type → competency → levels with descriptors."""
    _staff(request)
    rows = Competency.objects.filter(is_active=True).select_related("type").prefetch_related("levels")
    return [
        CompetencyOut(
            code=c.code,
            type=c.type.code,
            area=c.area_label,
            name=c.label,
            max_level=c.max_level,
            key_level=c.key_level,
            levels=[
                LevelOut(level=lv.level, name=lv.label, descriptor=lv.descriptor_label)
                for lv in c.levels.all()
            ],
        )
        for c in rows
    ]
