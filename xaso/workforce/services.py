"""Writes for workforce capacity. Each function is one transaction, keyword-only and typed,
checks who may do it, and writes an audit event for each change.

Evidence is append-only: no function here changes or deletes an ``Evidence`` row; a newer
piece of the same kind supersedes an older one in the level rule (``levels``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import User
from xaso.audit import events
from xaso.lib.errors import Conflict, Forbidden, InvalidInput, NotFound
from xaso.places.models import Commune, Department, Province
from xaso.workforce import authz
from xaso.workforce.config import workforce_config
from xaso.workforce.models import (
    Assignment,
    Competency,
    Course,
    Enrolment,
    EnrolmentStatus,
    Evaluation,
    EvaluationChange,
    EvaluationPolicy,
    Evidence,
    EvidenceKind,
    PlanItem,
    PlanItemStatus,
    Position,
    PositionRequirement,
    PositionTemplate,
    Qualification,
    Question,
    SelfTestAttempt,
    Session,
    SuccessorDesignation,
    TrainingPlan,
)
from xaso.workforce.scoring import Policy, grade_for, record_level, record_stats, selftest_level, task_result
from xaso.workforce.seed import data_file
from xaso.workforce.selectors import gap_report, recommendations, today
from xaso.workforce.worklog import WorkItem, work_items

# --- job positions -------------------------------------------------------------------------------


def _check_level(competency: Competency, level: int, *, field: str, allow_zero: bool = False) -> None:
    low = 0 if allow_zero else 1
    if not low <= level <= competency.max_level:
        raise InvalidInput(
            _("The level of %(code)s must be between %(low)d and %(high)d.")
            % {"code": competency.code, "low": low, "high": competency.max_level},
            field=field,
        )


@transaction.atomic
def position_adopt(
    *, actor: User | None, commune: Commune, template: PositionTemplate, headcount: int | None = None
) -> Position:
    """Create the commune's position from the province's template, with its requirements."""
    if actor is not None:
        authz.require_position_editor(actor, commune)
    if template.province_id != commune.province_id:
        raise InvalidInput(_("The template belongs to another province."), field="template")
    if Position.objects.filter(commune=commune, code=template.code).exists():
        raise Conflict(
            _("%(commune)s already has position %(code)s.") % {"commune": commune.name, "code": template.code}
        )
    department = None
    if template.department_kind:
        department = Department.objects.filter(commune=commune, kind=template.department_kind).first()
    position = Position.objects.create(
        commune=commune,
        department=department,
        template=template,
        code=template.code,
        title=template.title,
        headcount=headcount if headcount is not None else template.headcount,
        leadership=template.leadership,
    )
    PositionRequirement.objects.bulk_create(
        [
            PositionRequirement(
                position=position, competency_id=r.competency_id, min_level=r.min_level, essential=r.essential
            )
            for r in template.requirements.all()
        ]
    )
    events.record(
        actor=actor,
        action="workforce.position_adopted",
        obj=position,
        commune=commune,
        data={"template": template.code, "headcount": position.headcount},
    )
    return position


@transaction.atomic
def positions_adopt_all(*, actor: User | None, commune: Commune) -> list[Position]:
    """Adopt every template of the province the commune has not adopted yet."""
    have = set(Position.objects.filter(commune=commune).values_list("code", flat=True))
    templates = PositionTemplate.objects.filter(province_id=commune.province_id).prefetch_related(
        "requirements"
    )
    return [position_adopt(actor=actor, commune=commune, template=t) for t in templates if t.code not in have]


@transaction.atomic
def position_update(
    *, actor: User, position: Position, headcount: int | None = None, title: str | None = None
) -> Position:
    authz.require_position_editor(actor, position.commune)
    changed: dict[str, Any] = {}
    if headcount is not None:
        if not 0 <= headcount <= 50:
            raise InvalidInput(_("Headcount must be between 0 and 50."), field="headcount")
        changed["headcount"] = [position.headcount, headcount]
        position.headcount = headcount
    if title is not None:
        title = title.strip()
        if not title:
            raise InvalidInput(_("The title cannot be empty."), field="title")
        changed["title"] = [position.title, title]
        position.title = title
    if changed:
        position.save(update_fields=list(changed))
        events.record(
            actor=actor,
            action="workforce.position_changed",
            obj=position,
            commune=position.commune,
            data=changed,
        )
    return position


@transaction.atomic
def requirement_set(
    *, actor: User, position: Position, competency: Competency, min_level: int, essential: bool
) -> PositionRequirement:
    """Add a required competency to the position, or change its minimum level."""
    authz.require_position_editor(actor, position.commune)
    _check_level(competency, min_level, field="min_level")
    row = PositionRequirement.objects.filter(position=position, competency=competency).first()
    old = (row.min_level, row.essential) if row else None
    if row is None:
        row = PositionRequirement.objects.create(
            position=position, competency=competency, min_level=min_level, essential=essential
        )
    else:
        row.min_level, row.essential = min_level, essential
        row.save(update_fields=["min_level", "essential"])
    events.record(
        actor=actor,
        action="workforce.requirement_set",
        obj=position,
        commune=position.commune,
        data={"competency": competency.code, "old": old, "new": [min_level, essential]},
    )
    return row


@transaction.atomic
def requirement_remove(*, actor: User, position: Position, competency: Competency) -> None:
    authz.require_position_editor(actor, position.commune)
    deleted, _rows = PositionRequirement.objects.filter(position=position, competency=competency).delete()
    if not deleted:
        raise NotFound(
            _("%(position)s does not require %(code)s.")
            % {"position": position.title, "code": competency.code}
        )
    events.record(
        actor=actor,
        action="workforce.requirement_removed",
        obj=position,
        commune=position.commune,
        data={"competency": competency.code},
    )


# --- designated successors (quy hoạch cán bộ) ---------------------------------------------


@transaction.atomic
def successor_designate(
    *,
    actor: User,
    position: Position,
    person: User,
    starts_on: dt.date,
    ends_on: dt.date,
    decision: str = "",
) -> SuccessorDesignation:
    """Record that ``person`` is designated, from ``starts_on`` to ``ends_on``, as a successor
    for the leadership ``position`` (an officer of the same commune who does not hold it)."""
    authz.require_successor_editor(actor, position.commune)
    if not position.leadership or not position.is_active:
        raise InvalidInput(_("Successors are designated for active leadership positions."), field="position")
    if not person.is_active or person.commune_id != position.commune_id:
        raise InvalidInput(_("Choose an officer of this commune."), field="user")
    if Assignment.objects.filter(user=person, position=position, ended_on__isnull=True).exists():
        raise InvalidInput(_("%(name)s already holds this position.") % {"name": person}, field="user")
    if ends_on < starts_on:
        raise InvalidInput(_("The period must end after it starts."), field="ends_on")
    overlapping = SuccessorDesignation.objects.filter(
        position=position,
        user=person,
        withdrawn_at__isnull=True,
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
    )
    if overlapping.exists():
        raise Conflict(
            _("%(name)s is already designated for this position in that period.") % {"name": person}
        )
    designation = SuccessorDesignation.objects.create(
        position=position,
        user=person,
        starts_on=starts_on,
        ends_on=ends_on,
        decision=decision.strip()[:200],
        recorded_by=actor,
    )
    events.record(
        actor=actor,
        action="workforce.successor_designated",
        obj=designation,
        commune=position.commune,
        data={
            "position": position.code,
            "user": person.pk,
            "from": starts_on.isoformat(),
            "until": ends_on.isoformat(),
        },
    )
    return designation


@transaction.atomic
def successor_withdraw(*, actor: User, designation: SuccessorDesignation) -> SuccessorDesignation:
    """Withdraw a designation (it stays on record, marked withdrawn)."""
    designation = (
        SuccessorDesignation.objects.select_for_update()
        .select_related("position__commune")
        .get(pk=designation.pk)
    )
    commune = designation.position.commune
    authz.require_successor_editor(actor, commune)
    if designation.withdrawn_at is not None:
        raise Conflict(_("This designation was already withdrawn."))
    designation.withdrawn_at = timezone.now()
    designation.save(update_fields=["withdrawn_at"])
    events.record(actor=actor, action="workforce.successor_withdrawn", obj=designation, commune=commune)
    return designation


# --- staff profile extensions ----------------------------------------------------------------------


@transaction.atomic
def assignment_start(
    *, actor: User | None, person: User, position: Position, started_on: dt.date
) -> Assignment:
    """Put the officer in a position from a day: the current line of their history ends the
    day before, and a new one opens."""
    if actor is not None:
        authz.require_position_editor(actor, position.commune)
    if person.commune_id != position.commune_id:
        raise InvalidInput(_("The officer works in another commune."), field="position")
    current = Assignment.objects.select_for_update().filter(user=person, ended_on__isnull=True).first()
    if current is not None:
        if current.position_id == position.pk:
            raise Conflict(_("%(name)s already holds this position.") % {"name": person})
        if current.started_on >= started_on:
            raise InvalidInput(_("The new position must start after the current one."), field="started_on")
        current.ended_on = started_on - dt.timedelta(days=1)
        current.save(update_fields=["ended_on"])
    assignment = Assignment.objects.create(
        user=person,
        position=position,
        title=position.title,
        organisation=position.commune.name,
        started_on=started_on,
    )
    events.record(
        actor=actor,
        action="workforce.assignment_started",
        obj=assignment,
        commune=position.commune,
        data={"user": person.pk, "position": position.code, "from": started_on.isoformat()},
    )
    return assignment


@transaction.atomic
def assignment_add_past(
    *, actor: User | None, person: User, title: str, organisation: str, started_on: dt.date, ended_on: dt.date
) -> Assignment:
    """A line of the history for a post held earlier (before the reform, or elsewhere)."""
    if actor is not None:
        authz.require_manager_of(actor, person)
    if not title.strip():
        raise InvalidInput(_("Say which post it was."), field="title")
    if ended_on < started_on:
        raise InvalidInput(_("The end date comes before the start date."), field="ended_on")
    overlaps = Assignment.objects.filter(user=person, started_on__lte=ended_on).filter(
        Q(ended_on__isnull=True, started_on__lte=ended_on) | Q(ended_on__gte=started_on)
    )
    if overlaps.exists():
        raise InvalidInput(_("These dates overlap another line of the history."), field="started_on")
    row = Assignment.objects.create(
        user=person,
        title=title.strip(),
        organisation=organisation.strip(),
        started_on=started_on,
        ended_on=ended_on,
    )
    events.record(
        actor=actor,
        action="workforce.assignment_recorded",
        obj=row,
        commune=person.commune,
        data={"user": person.pk},
    )
    return row


@transaction.atomic
def qualification_add(
    *,
    actor: User | None,
    person: User,
    kind: str,
    name: str,
    major: str = "",
    issuer: str = "",
    issued_on: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> Qualification:
    if actor is not None and actor.pk != person.pk:
        authz.require_manager_of(actor, person)
    if kind not in Qualification.Kind.values:
        raise InvalidInput(
            _("Kind must be one of %(kinds)s.") % {"kinds": ", ".join(Qualification.Kind.values)},
            field="kind",
        )
    if not name.strip():
        raise InvalidInput(_("Give the name of the degree or certificate."), field="name")
    if issued_on and valid_until and valid_until < issued_on:
        raise InvalidInput(_("It cannot expire before it was issued."), field="valid_until")
    row = Qualification.objects.create(
        user=person,
        kind=kind,
        name=name.strip(),
        major=major.strip(),
        issuer=issuer.strip(),
        issued_on=issued_on,
        valid_until=valid_until,
    )
    events.record(
        actor=actor,
        action="workforce.qualification_added",
        obj=row,
        commune=person.commune,
        data={"user": person.pk, "kind": kind, "name": row.name},
    )
    return row


# --- evidence --------------------------------------------------------------------------------------


def valid_until_for(kind: str, observed_on: dt.date) -> dt.date:
    return observed_on + dt.timedelta(days=workforce_config().validity_days[kind])


@transaction.atomic
def evidence_append(
    *,
    person: User,
    competency: Competency,
    kind: str,
    level: int,
    observed_on: dt.date,
    recorded_by: User | None,
    score: Decimal | None = None,
    comment: str = "",
    data: dict[str, Any] | None = None,
    enrolment: Enrolment | None = None,
    attempt: SelfTestAttempt | None = None,
) -> Evidence:
    """Append one piece of evidence (the only way evidence is written)."""
    if kind not in EvidenceKind.values:
        raise InvalidInput(_("Unknown kind of evidence %(kind)s.") % {"kind": kind}, field="kind")
    _check_level(competency, level, field="level", allow_zero=kind in (EvidenceKind.TEST, EvidenceKind.SELF))
    if observed_on > today():
        raise InvalidInput(_("Evidence cannot be dated in the future."), field="observed_on")
    row = Evidence.objects.create(
        user=person,
        competency=competency,
        kind=kind,
        level=level,
        observed_on=observed_on,
        valid_until=valid_until_for(kind, observed_on),
        score=score,
        comment=comment,
        data=data or {},
        recorded_by=recorded_by,
        enrolment=enrolment,
        attempt=attempt,
    )
    events.record(
        actor=recorded_by,
        action="workforce.evidence_added",
        obj=row,
        commune=person.commune,
        data={"user": person.pk, "competency": competency.code, "kind": kind, "level": level},
    )
    return row


def self_assess(*, actor: User, competency: Competency, level: int, comment: str = "") -> Evidence:
    """The officer says where they stand (counts alone only up to ``self_only_cap``)."""
    if actor.commune_id is None:
        raise Forbidden(_("Self-assessment is for commune officers."))
    return evidence_append(
        person=actor,
        competency=competency,
        kind=EvidenceKind.SELF,
        level=level,
        observed_on=today(),
        recorded_by=actor,
        comment=comment.strip(),
    )


def manager_assess(
    *, actor: User, person: User, competency: Competency, level: int, comment: str
) -> Evidence:
    """The department head or commune leader records the level they see, with a comment."""
    authz.require_assessor(actor, person)
    if len(comment.strip()) < 10:
        raise InvalidInput(_("Say in a sentence what the assessment rests on."), field="comment")
    return evidence_append(
        person=person,
        competency=competency,
        kind=EvidenceKind.MANAGER,
        level=level,
        observed_on=today(),
        recorded_by=actor,
        comment=comment.strip(),
    )


@transaction.atomic
def work_records_refresh(*, commune: Commune, on: dt.date, actor: User | None = None) -> int:
    """Evidence from the dossier ledger, per officer and competency, over the 12 months before
    ``on`` (``work_records.json``: procedure field → competency, online dossiers received →
    online public service operation, thresholds → level). Run once a quarter; a second run
    for the same day adds nothing. Returns the number of pieces added."""
    rules = data_file("work_records.json")
    window = dt.timedelta(days=rules["window_days"])
    as_of = dt.datetime.combine(
        on + dt.timedelta(days=1), dt.time(0, 0), tzinfo=timezone.get_default_timezone()
    )
    items = work_items(
        communes=[commune.code],
        start=on - window + dt.timedelta(days=1),
        end=on + dt.timedelta(days=1),
        as_of=as_of,
    )
    codes: set[str] = set(rules["fields"].values()) | {rules["online"]}
    competencies = {c.code: c for c in Competency.objects.filter(code__in=codes)}
    grouped: dict[tuple[int, str], list[WorkItem]] = defaultdict(list)
    for item in items:
        if item.kind == "processing" and item.field in rules["fields"]:
            grouped[(item.user_id, rules["fields"][item.field])].append(item)
        elif item.kind == "reception" and item.online:
            grouped[(item.user_id, rules["online"])].append(item)
    staff = set(User.objects.filter(commune=commune, is_active=True).values_list("id", flat=True))
    done = set(
        Evidence.objects.filter(user__commune=commune, kind=EvidenceKind.WORK, observed_on=on).values_list(
            "user_id", "competency__code"
        )
    )
    rows = []
    valid_until = valid_until_for(EvidenceKind.WORK, on)
    for (user_id, code), its in sorted(grouped.items()):
        comp = competencies.get(code)
        if comp is None or user_id not in staff or (user_id, code) in done:
            continue
        stats = record_stats(its)
        level = min(record_level(stats, rules["levels"]), comp.max_level)
        if level < 1:
            continue
        fields = sorted({i.field for i in its})
        rows.append(
            Evidence(
                user_id=user_id,
                competency=comp,
                kind=EvidenceKind.WORK,
                level=level,
                observed_on=on,
                valid_until=valid_until,
                data={
                    **stats.as_data(),
                    "from": (on - window + dt.timedelta(days=1)).isoformat(),
                    "to": on.isoformat(),
                    "fields": fields,
                },
            )
        )
    Evidence.objects.bulk_create(rows)
    if rows:
        events.record(
            actor=actor,
            action="workforce.work_records_refreshed",
            obj=commune,
            commune=commune,
            data={"on": on.isoformat(), "evidence": len(rows)},
        )
    return len(rows)


# --- training ----------------------------------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    actor: User | None,
    course: Course,
    province: Province,
    commune: Commune | None,
    starts_on: dt.date,
    ends_on: dt.date,
    capacity: int,
    place: str = "",
    online: bool = False,
    trainer: str = "",
) -> Session:
    if actor is not None and not authz.can_run_sessions(actor, commune, province.code):
        raise Forbidden(_("Only the province or the commune's leader can schedule training."))
    if commune is not None and commune.province_id != province.code:
        raise InvalidInput(_("The commune is in another province."), field="commune")
    if ends_on < starts_on:
        raise InvalidInput(_("The session ends before it starts."), field="ends_on")
    if not 1 <= capacity <= 500:
        raise InvalidInput(_("Capacity must be between 1 and 500."), field="capacity")
    if not online and not place.strip():
        raise InvalidInput(_("Give the place, or mark the session as online."), field="place")
    session = Session.objects.create(
        course=course,
        province=province,
        commune=commune,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        place=place.strip(),
        online=online,
        trainer=trainer.strip(),
    )
    events.record(
        actor=actor,
        action="workforce.session_created",
        obj=session,
        commune=commune,
        data={"course": course.code, "starts_on": starts_on.isoformat(), "capacity": capacity},
    )
    return session


def _plan_item_for(person: User, course_id: int, year: int) -> PlanItem | None:
    return (
        PlanItem.objects.select_for_update()
        .filter(user=person, course_id=course_id, plan__year=year, status=PlanItemStatus.PLANNED)
        .first()
    )


@transaction.atomic
def enrol(*, actor: User, session: Session, person: User, on: dt.date | None = None) -> Enrolment:
    """Enrol an officer in a session, at the latest on its first day: their managers, the
    province, or the officers themselves. The matching plan item, if any, becomes "enrolled"."""
    on = on or today()
    if actor.pk != person.pk:
        authz.require_manager_of(actor, person)
    session = Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
    if session.starts_on < on:
        raise Conflict(_("This session has already started; enrol in a later one."))
    if session.commune_id is not None and session.commune_id != person.commune_id:
        raise InvalidInput(_("This session is for another commune's officers."), field="session")
    if session.province_id != person.province_id:
        raise InvalidInput(_("This session is in another province."), field="session")
    existing = Enrolment.objects.filter(session=session, user=person).first()
    if existing is not None and existing.status != EnrolmentStatus.CANCELLED:
        raise Conflict(_("%(name)s is already enrolled in this session.") % {"name": person})
    taken = session.enrolments.exclude(status=EnrolmentStatus.CANCELLED).count()
    if taken >= session.capacity:
        raise Conflict(_("This session is full."))
    now = timezone.now()
    if existing is not None:
        enrolment = existing
        enrolment.status, enrolment.enrolled_at, enrolment.enrolled_by = EnrolmentStatus.ENROLLED, now, actor
        enrolment.attended = None
        enrolment.save(update_fields=["status", "enrolled_at", "enrolled_by", "attended"])
    else:
        enrolment = Enrolment.objects.create(session=session, user=person, enrolled_at=now, enrolled_by=actor)
    item = _plan_item_for(person, session.course_id, session.starts_on.year)
    if item is not None:
        item.status, item.enrolment = PlanItemStatus.ENROLLED, enrolment
        item.save(update_fields=["status", "enrolment"])
    events.record(
        actor=actor,
        action="workforce.enrolled",
        obj=enrolment,
        commune=person.commune,
        data={
            "user": person.pk,
            "session": session.pk,
            "course": session.course.code,
            "plan_item": item.pk if item else None,
        },
    )
    return enrolment


@transaction.atomic
def enrolment_cancel(*, actor: User, enrolment: Enrolment) -> Enrolment:
    if actor.pk != enrolment.user_id:
        authz.require_manager_of(actor, enrolment.user)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise Conflict(_("Only an open enrolment can be cancelled."))
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.save(update_fields=["status"])
    PlanItem.objects.filter(enrolment=enrolment).update(status=PlanItemStatus.PLANNED, enrolment=None)
    events.record(
        actor=actor, action="workforce.enrolment_cancelled", obj=enrolment, commune=enrolment.user.commune
    )
    return enrolment


@transaction.atomic
def attendance_set(
    *, actor: User, enrolment: Enrolment, attended: bool, on: dt.date | None = None
) -> Enrolment:
    on = on or today()
    if actor.pk == enrolment.user_id:
        raise Forbidden(_("Attendance is recorded by the officer's manager or the organiser."))
    authz.require_manager_of(actor, enrolment.user)
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",)).select_related("session").get(pk=enrolment.pk)
    )
    if enrolment.session.starts_on > on:
        raise Conflict(_("The session has not started yet."))
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise Conflict(_("Attendance can only be recorded for an open enrolment."))
    old = enrolment.attended
    enrolment.attended = attended
    enrolment.save(update_fields=["attended"])
    events.record(
        actor=actor,
        action="workforce.attendance_recorded",
        obj=enrolment,
        commune=enrolment.user.commune,
        data={"old": old, "new": attended},
    )
    return enrolment


def _score(value: Decimal | float | int | str, field: str) -> Decimal:
    try:
        score = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("The score must be a number from 0 to 100."), field=field) from None
    if not Decimal(0) <= score <= Decimal(100):
        raise InvalidInput(_("The score must be a number from 0 to 100."), field=field)
    return score


@transaction.atomic
def enrolment_complete(
    *, actor: User, enrolment: Enrolment, score: Decimal | float | int | str, on: dt.date | None = None
) -> Enrolment:
    """Record the post-test score. A pass (≥ the course's pass mark) completes the training
    and adds one piece of "training" evidence per course outcome, at the outcome's level; a
    fail is recorded as such. The plan item follows."""
    on = on or today()
    if actor.pk == enrolment.user_id:
        raise Forbidden(_("Training results are recorded by the officer's manager or the organiser."))
    authz.require_manager_of(actor, enrolment.user)
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("session__course", "user__commune")
        .get(pk=enrolment.pk)
    )
    value = _score(score, "score")
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise Conflict(
            _("This enrolment is already closed (%(status)s).") % {"status": enrolment.get_status_display()}
        )
    if enrolment.session.starts_on > on:
        raise Conflict(_("The session has not started yet."))
    if enrolment.attended is False:
        raise Conflict(_("The officer did not attend; there is no result to record."))
    course = enrolment.session.course
    passed = value >= course.pass_score
    enrolment.status = EnrolmentStatus.COMPLETED if passed else EnrolmentStatus.FAILED
    enrolment.score, enrolment.completed_on, enrolment.completed_by = value, on, actor
    enrolment.attended = True
    enrolment.save(update_fields=["status", "score", "completed_on", "completed_by", "attended"])
    added = []
    if passed:
        for outcome in course.outcomes.select_related("competency"):
            added.append(
                evidence_append(
                    person=enrolment.user,
                    competency=outcome.competency,
                    kind=EvidenceKind.TRAINING,
                    level=outcome.level,
                    observed_on=on,
                    recorded_by=actor,
                    score=value,
                    comment=course.name,
                    data={"course": course.code, "session": enrolment.session_id},
                    enrolment=enrolment,
                ).pk
            )
    PlanItem.objects.filter(enrolment=enrolment).update(
        status=PlanItemStatus.COMPLETED if passed else PlanItemStatus.FAILED
    )
    events.record(
        actor=actor,
        action="workforce.training_completed" if passed else "workforce.training_failed",
        obj=enrolment,
        commune=enrolment.user.commune,
        data={"score": str(value), "pass_score": course.pass_score, "evidence": added},
    )
    return enrolment


def training_plan_for_year(
    *, actor: User | None, commune: Commune, year: int, budget_vnd: int | None = None
) -> tuple[TrainingPlan, bool]:
    """The commune's plan for the year, row-locked, created if missing with ``budget_vnd``
    (default: ``plan_budget_per_officer_vnd`` per active officer); whether it was created.
    Callers check permission and record the audit event; run inside their transaction."""
    plan = TrainingPlan.objects.select_for_update().filter(commune=commune, year=year).first()
    if plan is not None:
        return plan, False
    if budget_vnd is None:
        officers = User.objects.filter(commune=commune, is_active=True).count()
        budget_vnd = officers * workforce_config().plan_budget_per_officer_vnd
    if budget_vnd < 0:
        raise InvalidInput(_("The budget cannot be negative."), field="budget_vnd")
    plan = TrainingPlan.objects.create(
        commune=commune, year=year, budget_vnd=budget_vnd, created_at=timezone.now(), created_by=actor
    )
    return plan, True


@transaction.atomic
def training_plan_build(
    *,
    actor: User | None,
    commune: Commune,
    year: int,
    budget_vnd: int | None = None,
    on: dt.date | None = None,
) -> TrainingPlan:
    """The commune's plan for the year from the current recommendations, most urgent first,
    as far as the budget goes (default: ``plan_budget_per_officer_vnd`` per officer). A plan
    that exists is topped up with new recommendations that still fit its budget."""
    if actor is not None and not authz.can_build_plan(actor, commune):
        raise Forbidden(_("Only the commune's leader or the province can make the training plan."))
    on = on or today()
    plan, created = training_plan_for_year(actor=actor, commune=commune, year=year, budget_vnd=budget_vnd)
    report = gap_report(authz.Scope(communes=(commune.code,)), on=on)
    recs = recommendations(report)
    have = set(plan.items.values_list("user_id", "course_id"))
    committed = sum(plan.items.exclude(status=PlanItemStatus.CANCELLED).values_list("cost_vnd", flat=True))
    new = []
    for rec in recs:
        if rec.course is None or (rec.user_id, rec.course.id) in have:
            continue
        if committed + rec.course.cost_vnd > plan.budget_vnd:
            continue
        committed += rec.course.cost_vnd
        have.add((rec.user_id, rec.course.id))
        top = max(rec.gaps, key=lambda r: (r.gap, r.essential))
        new.append(
            PlanItem(
                plan=plan,
                user_id=rec.user_id,
                course_id=rec.course.id,
                competency_id=top.competency.id,
                gap=top.gap,
                urgency=rec.urgency,
                cost_vnd=rec.course.cost_vnd,
            )
        )
    PlanItem.objects.bulk_create(new)
    events.record(
        actor=actor,
        action="workforce.plan_built" if created else "workforce.plan_topped_up",
        obj=plan,
        commune=commune,
        data={
            "year": year,
            "budget_vnd": plan.budget_vnd,
            "items_added": len(new),
            "committed_vnd": committed,
        },
    )
    return plan


@transaction.atomic
def plan_item_cancel(*, actor: User, item: PlanItem) -> PlanItem:
    if not authz.can_build_plan(actor, item.plan.commune):
        raise Forbidden(_("Only the commune's leader or the province can change the training plan."))
    if item.status != PlanItemStatus.PLANNED:
        raise Conflict(_("Only a planned item can be cancelled; cancel the enrolment first."))
    item.status = PlanItemStatus.CANCELLED
    item.save(update_fields=["status"])
    events.record(actor=actor, action="workforce.plan_item_cancelled", obj=item, commune=item.plan.commune)
    return item


# --- self-tests ------------------------------------------------------------------------------------------


def _questions_for(competency: Competency, province_id: int | None) -> list[Question]:
    return list(
        Question.objects.filter(competency=competency, is_active=True).filter(
            Q(province__isnull=True) | Q(province_id=province_id)
        )
    )


@transaction.atomic
def selftest_start(*, actor: User, competency: Competency, seed: int | None = None) -> SelfTestAttempt:
    """Draw the questions of a short self-test: an even spread over the levels of the bank."""
    config = workforce_config()
    if not competency.self_test:
        raise InvalidInput(_("%(code)s has no self-test.") % {"code": competency.code}, field="competency")
    since = timezone.now() - dt.timedelta(days=config.test_retry_days)
    if SelfTestAttempt.objects.filter(user=actor, competency=competency, submitted_at__gte=since).exists():
        raise Conflict(_("You took this test recently; try again tomorrow."))
    bank = _questions_for(competency, actor.province_id)
    if not bank:
        raise NotFound(_("There are no questions for %(code)s yet.") % {"code": competency.code})
    rng = random.Random(seed)  # noqa: S311 — which questions to show, not a secret
    by_level: dict[int, list[Question]] = defaultdict(list)
    for q in bank:
        by_level[q.level].append(q)
    for qs in by_level.values():
        rng.shuffle(qs)
    chosen: list[Question] = []
    while len(chosen) < min(config.test_questions, len(bank)):
        for level in sorted(by_level):
            if by_level[level] and len(chosen) < config.test_questions:
                chosen.append(by_level[level].pop())
    chosen.sort(key=lambda q: (q.level, q.pk))
    attempt = SelfTestAttempt.objects.create(
        user=actor, competency=competency, question_ids=[q.pk for q in chosen], started_at=timezone.now()
    )
    events.record(
        actor=actor,
        action="workforce.test_started",
        obj=attempt,
        commune=actor.commune,
        data={"competency": competency.code},
    )
    return attempt


@transaction.atomic
def selftest_submit(
    *, actor: User, attempt: SelfTestAttempt, answers: Sequence[int | None]
) -> SelfTestAttempt:
    """Score the answers; the level (``scoring.selftest_level``) becomes a "test" evidence."""
    attempt = (
        SelfTestAttempt.objects.select_for_update(of=("self",))
        .select_related("competency")
        .get(pk=attempt.pk)
    )
    if attempt.user_id != actor.pk:
        raise Forbidden(_("This is someone else's test."))
    if attempt.submitted_at is not None:
        raise Conflict(_("This test has already been submitted."))
    if len(answers) != len(attempt.question_ids):
        raise InvalidInput(_("Answer every question (or leave it blank)."), field="answers")
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    results = []
    for qid, answer in zip(attempt.question_ids, answers, strict=True):
        q = questions[qid]
        results.append((q.level, answer is not None and answer == q.answer))
    correct = sum(right for _lv, right in results)
    score = (Decimal(correct) * 100 / len(results)).quantize(Decimal("0.01"))
    config = workforce_config()
    level = min(selftest_level(results, config.test_pass_share), attempt.competency.max_level)
    attempt.answers = list(answers)
    attempt.submitted_at = timezone.now()
    attempt.correct, attempt.score, attempt.level = correct, score, level
    attempt.save(update_fields=["answers", "submitted_at", "correct", "score", "level"])
    evidence_append(
        person=actor,
        competency=attempt.competency,
        kind=EvidenceKind.TEST,
        level=level,
        observed_on=today(),
        recorded_by=actor,
        score=score,
        data={"attempt": attempt.pk, "correct": correct, "questions": len(results)},
        attempt=attempt,
    )
    return attempt


@transaction.atomic
def question_add(
    *,
    actor: User,
    competency: Competency,
    level: int,
    text: str,
    choices: Sequence[str],
    answer: int,
    explanation: str = "",
) -> Question:
    """The province adds a question to the bank (shown alongside the shipped ones)."""
    if not authz.can_edit_questions(actor, actor.province_id) or actor.province_id is None:
        raise Forbidden(_("Only the province's Home Affairs staff can add test questions."))
    if not competency.self_test:
        raise InvalidInput(_("%(code)s has no self-test.") % {"code": competency.code}, field="competency")
    _check_level(competency, level, field="level")
    cleaned = [c.strip() for c in choices if c.strip()]
    if not text.strip():
        raise InvalidInput(_("Write the question."), field="text")
    if len(cleaned) < 2:
        raise InvalidInput(_("Give at least two choices."), field="choices")
    if not 0 <= answer < len(cleaned):
        raise InvalidInput(_("Mark which choice is right."), field="answer")
    question = Question.objects.create(
        competency=competency,
        level=level,
        text=text.strip(),
        choices=cleaned,
        answer=answer,
        explanation=explanation.strip(),
        province_id=actor.province_id,
        created_by=actor,
    )
    events.record(
        actor=actor, action="workforce.question_added", obj=question, data={"competency": competency.code}
    )
    return question


@transaction.atomic
def question_retire(*, actor: User, question: Question) -> Question:
    if question.province_id is None or not authz.can_edit_questions(actor, question.province_id):
        raise Forbidden(_("Only the province that added a question can retire it."))
    question.is_active = False
    question.save(update_fields=["is_active"])
    events.record(actor=actor, action="workforce.question_retired", obj=question)
    return question


# --- evaluation (Decree 335/2025/NĐ-CP) -----------------------------------------------------------------


def policy_for(province_id: int) -> Policy:
    return Policy.of(EvaluationPolicy.objects.filter(province_id=province_id).first())


def period_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """``[start, end)`` of a quarter (1–4) or of the whole year (0)."""
    if quarter == 0:
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    if not 1 <= quarter <= 4:
        raise InvalidInput(_("The quarter must be 1 to 4, or 0 for the whole year."), field="quarter")
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end


def _regrade(evaluation: Evaluation, policy: Policy) -> None:
    if evaluation.task_points is None or evaluation.general_points is None:
        evaluation.total, evaluation.grade = None, ""
        return
    total = Decimal(evaluation.task_points) + Decimal(evaluation.general_points)
    evaluation.total = total
    evaluation.grade = grade_for(total, policy)


@transaction.atomic
def evaluations_compute(
    *, actor: User | None, commune: Commune, year: int, quarter: int, as_of: dt.datetime | None = None
) -> list[Evaluation]:
    """Compute (or recompute) the task-results part for every officer of the commune from the
    dossier ledger of the period. Managers' entries (general criteria, adjusted task points)
    are kept; grades follow."""
    if actor is not None and not authz.can_compute_evaluations(actor, commune):
        raise Forbidden(_("Only the commune's leader or a department head can compute evaluations."))
    start, end = period_bounds(year, quarter)
    as_of = as_of or timezone.now()
    if as_of <= dt.datetime.combine(start, dt.time(0, 0), tzinfo=timezone.get_default_timezone()):
        raise InvalidInput(_("This period has not started yet."), field="quarter")
    policy = policy_for(commune.province_id)
    items = work_items(communes=[commune.code], start=start, end=end, as_of=as_of)
    by_user: dict[int, list[WorkItem]] = defaultdict(list)
    for item in items:
        by_user[item.user_id].append(item)
    staff = list(User.objects.filter(commune=commune, is_active=True).order_by("pk"))
    existing = {
        e.user_id: e
        for e in Evaluation.objects.select_for_update().filter(commune=commune, year=year, quarter=quarter)
    }
    now = timezone.now()
    result = []
    fields = [
        "assigned",
        "completed",
        "late",
        "faulty",
        "computed_task_points",
        "task_points",
        "total",
        "grade",
        "computed_at",
    ]
    for person in staff:
        res = task_result(by_user.get(person.pk, []), policy)
        row = existing.get(person.pk) or Evaluation(user=person, commune=commune, year=year, quarter=quarter)
        row.assigned, row.completed, row.late, row.faulty = res.assigned, res.completed, res.late, res.faulty
        row.computed_task_points = res.points
        if not row.task_adjusted:
            row.task_points = res.points
        row.computed_at = now
        _regrade(row, policy)
        if row.pk is None:
            row.save()
        else:
            row.save(update_fields=fields)
        result.append(row)
    events.record(
        actor=actor,
        action="workforce.evaluations_computed",
        obj=commune,
        commune=commune,
        data={"year": year, "quarter": quarter, "officers": len(result), "items": len(items)},
    )
    return result


def _points(value: Decimal | float | int | str, *, top: Decimal, field: str) -> Decimal:
    try:
        points = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            _("Points must be a number from 0 to %(top)s.") % {"top": top}, field=field
        ) from None
    if not Decimal(0) <= points <= top:
        raise InvalidInput(_("Points must be a number from 0 to %(top)s.") % {"top": top}, field=field)
    return points


def _change(
    evaluation: Evaluation, *, actor: User, field: str, old: Decimal | None, new: Decimal | None, reason: str
) -> None:
    EvaluationChange.objects.create(
        evaluation=evaluation, actor=actor, at=timezone.now(), field=field, old=old, new=new, reason=reason
    )
    events.record(
        actor=actor,
        action=f"workforce.evaluation_{field}",
        obj=evaluation,
        commune=evaluation.commune,
        data={
            "old": str(old) if old is not None else None,
            "new": str(new) if new is not None else None,
            "reason": reason,
            "grade": evaluation.grade,
        },
    )


@transaction.atomic
def evaluation_set_general(
    *,
    actor: User,
    evaluation: Evaluation,
    points: Decimal | float | int | str,
    reason: str = "",
    policy: Policy | None = None,
) -> Evaluation:
    """The manager enters the general-criteria part (political quality, ethics, discipline…)."""
    authz.require_assessor(actor, evaluation.user)
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("commune", "user")
        .get(pk=evaluation.pk)
    )
    policy = policy or policy_for(evaluation.commune.province_id)
    value = _points(points, top=policy.general_points, field="general_points")
    old = evaluation.general_points
    if old is not None and not reason.strip():
        raise InvalidInput(_("Changing an entry needs a written reason."), field="reason")
    evaluation.general_points = value
    _regrade(evaluation, policy)
    evaluation.save(update_fields=["general_points", "total", "grade"])
    _change(evaluation, actor=actor, field="general_points", old=old, new=value, reason=reason.strip())
    return evaluation


@transaction.atomic
def evaluation_adjust_task(
    *,
    actor: User,
    evaluation: Evaluation,
    points: Decimal | float | int | str,
    reason: str,
    policy: Policy | None = None,
) -> Evaluation:
    """The manager adjusts the computed task-results part, with a written reason (for work the
    ledger does not show, or a fault it misattributes)."""
    authz.require_assessor(actor, evaluation.user)
    if len(reason.strip()) < 10:
        raise InvalidInput(_("Write the reason for the adjustment (at least a sentence)."), field="reason")
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("commune", "user")
        .get(pk=evaluation.pk)
    )
    policy = policy or policy_for(evaluation.commune.province_id)
    value = _points(points, top=policy.task_points, field="task_points")
    old = evaluation.task_points
    evaluation.task_points, evaluation.task_adjusted = value, True
    _regrade(evaluation, policy)
    evaluation.save(update_fields=["task_points", "task_adjusted", "total", "grade"])
    _change(evaluation, actor=actor, field="task_points", old=old, new=value, reason=reason.strip())
    return evaluation


POLICY_FIELDS = (
    "task_points",
    "general_points",
    "late_penalty",
    "fault_penalty",
    "excellent_min",
    "good_min",
    "completed_min",
    "excellent_share_of_good",
)


@transaction.atomic
def evaluation_policy_set(
    *, actor: User | None, province: Province, values: dict[str, Decimal]
) -> EvaluationPolicy:
    """Change the province's evaluation figures (the administration page calls this)."""
    if actor is not None and not authz.is_province_staff(actor, province.code):
        raise Forbidden(_("Only the province's Home Affairs staff can change the evaluation figures."))
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise InvalidInput(
            _("Unknown setting %(name)s.") % {"name": sorted(unknown)[0]}, field=sorted(unknown)[0]
        )
    row, _created = EvaluationPolicy.objects.get_or_create(province=province)
    merged = {name: Decimal(getattr(row, name)) for name in POLICY_FIELDS} | {
        k: Decimal(v) for k, v in values.items()
    }
    if merged["task_points"] + merged["general_points"] != 100:
        raise InvalidInput(
            _("Task results and general criteria must add up to 100 points."), field="task_points"
        )
    if not merged["excellent_min"] > merged["good_min"] > merged["completed_min"] >= 0:
        raise InvalidInput(_("Thresholds must fall: excellent > good > completed ≥ 0."), field="good_min")
    for name in ("late_penalty", "fault_penalty", "excellent_share_of_good"):
        if not Decimal(0) <= merged[name] <= Decimal(1):
            raise InvalidInput(_("Shares are between 0 and 1."), field=name)
    old = {name: str(getattr(row, name)) for name in POLICY_FIELDS}
    for name, value in merged.items():
        setattr(row, name, value)
    row.save(update_fields=list(POLICY_FIELDS))
    events.record(
        actor=actor,
        action="workforce.evaluation_policy_set",
        obj=row,
        data={"old": old, "new": {k: str(v) for k, v in merged.items()}},
    )
    return row
