"""Workforce pages: the gap report and its exports, a person's competencies, positions,
training (sessions, enrolment, results, plans), self-tests, evaluations and the staff import.

Views stay thin: objects come through ``workforce.authz``, writes go through services. A
form whose service refuses (invalid input, conflict) comes back with the message; access
errors become the standard error pages (``DomainErrorMiddleware``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xaso.accounts import authz as accounts_authz
from xaso.accounts.models import User
from xaso.lib.errors import Conflict, Forbidden, InvalidInput, NotFound
from xaso.places.models import Commune, Province
from xaso.workforce import authz, exports, importer, selectors, services
from xaso.workforce.models import (
    Assignment,
    Competency,
    Course,
    Enrolment,
    EnrolmentStatus,
    Evaluation,
    EvidenceKind,
    Grade,
    PlanItem,
    Position,
    PositionTemplate,
    Qualification,
    Question,
    SelfTestAttempt,
    TrainingPlan,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Forbidden(_("Please sign in with a staff account."), code="not_authenticated")
    return user


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def _opt_int(data: Any, name: str) -> int | None:
    raw = str(data.get(name, "")).strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(_("Enter a whole number."), field=name) from None


def _int(data: Any, name: str) -> int:
    value = _opt_int(data, name)
    if value is None:
        raise InvalidInput(_("This field is required."), field=name)
    return value


def _date(data: Any, name: str) -> dt.date:
    raw = str(data.get(name, "")).strip()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(_("Enter a date."), field=name) from None


def _attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a service; report its refusal as a message. True when it succeeded."""
    try:
        action()
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def _competency(code_or_id: str) -> Competency:
    row = Competency.objects.filter(code=code_or_id).first()
    if row is None and code_or_id.isdigit():
        row = Competency.objects.filter(pk=int(code_or_id)).first()
    if row is None:
        raise InvalidInput(_("Choose a competency."), field="competency")
    return row


# --- overview -------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    scope = authz.report_scope(user)
    own = None
    if user.commune_id is not None:
        own = selectors.gap_report(authz.Scope(communes=(user.commune_id,), person=user.pk)).person(user.pk)
    return render(
        request,
        "workforce/index.html",
        {
            "own": own,
            "manages": scope.person is None,
            "province_wide": scope.province,
            "commune": user.commune,
            "year": selectors.today().year,
            "can_import": user.commune is not None and authz.can_import_staff(user, user.commune),
            "can_edit_questions": authz.can_edit_questions(user, user.province_id),
        },
    )


# --- the gap report --------------------------------------------------------------------------------


def _report(request: HttpRequest) -> selectors.GapReport:
    user = _user(request)
    scope = authz.report_scope(
        user, commune=request.GET.get("commune"), department=request.GET.get("department")
    )
    return selectors.gap_report(scope)


@login_required
def gaps(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    report = _report(request)
    single = report.scope.single_commune
    # Recommendations are listed person by person: for one commune, department or person.
    listed = single is not None or report.scope.department is not None or report.scope.person is not None
    recs = selectors.recommendations(report, province_id=user.province_id) if listed else []
    open_by_course: dict[int, list[selectors.SessionInfo]] = defaultdict(list)
    if user.province_id is not None and listed:
        for s in selectors.open_sessions(
            province_id=user.province_id, communes=report.scope.communes, on=report.on
        ):
            if s.free > 0:
                open_by_course[s.course_id].append(s)
    rec_rows = [
        {
            "rec": r,
            "sessions": [
                s
                for s in open_by_course.get(r.course.id if r.course else 0, [])
                if s.commune_id in (None, r.commune_id)
            ],
        }
        for r in recs[:100]
    ]
    query = request.GET.urlencode()
    labels = {c.code: c.label for c in report.competencies.values()}
    return render(
        request,
        "workforce/gaps.html",
        {
            "report": report,
            "recs": rec_rows,
            "rec_total": len(recs),
            "single": single,
            "commune_name": report.commune_names.get(single or 0, ""),
            "units": [
                {"u": u, "short": [(code, labels.get(code, ""), n) for code, n in u.top_short()]}
                for u in (report.departments if single is not None else report.communes)
            ],
            "key_competencies": [c for c in report.competencies.values() if c.key_level],
            "query": query,
        },
    )


@login_required
def gaps_xlsx(request: HttpRequest) -> HttpResponse:
    report = _report(request)
    with selectors.gc_paused():
        content = exports.gaps_xlsx(report)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="thieu-hut-nang-luc-{report.on:%Y%m%d}.xlsx"'
    return response


@login_required
def gaps_pdf(request: HttpRequest) -> HttpResponse:
    report = _report(request)
    response = HttpResponse(exports.gaps_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="thieu-hut-nang-luc-{report.on:%Y%m%d}.pdf"'
    return response


# --- a person ----------------------------------------------------------------------------------------


@login_required
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    user = _user(request)
    who = authz.get_person_for_user(user, person_id)
    rows = selectors.person_competencies(who)
    profile = getattr(who, "profile", None)
    today = selectors.today()
    years = None
    if profile is not None:
        years = (today - profile.service_start).days // 365
    return render(
        request,
        "workforce/person.html",
        {
            "who": who,
            "profile": profile,
            "years_in_service": years,
            "today": today,
            "age": (today - profile.birth_date).days // 365 if profile else None,
            "rows": rows,
            "history": Assignment.objects.filter(user=who).select_related("position").order_by("-started_on"),
            "qualifications": Qualification.objects.filter(user=who),
            "enrolments": Enrolment.objects.filter(user=who)
            .select_related("session__course")
            .order_by("-enrolled_at"),
            "plan_items": PlanItem.objects.filter(user=who).select_related("course", "plan", "competency"),
            "evaluations": Evaluation.objects.filter(user=who).order_by("-year", "-quarter")[:8],
            "is_self": who.pk == user.pk,
            "can_assess": authz.can_assess(user, who),
            "can_manage": authz.can_manage_person(user, who),
            "competencies": Competency.objects.filter(is_active=True).order_by("type__position", "position"),
            "kinds": EvidenceKind,
            "qualification_kinds": Qualification.Kind.choices,
        },
    )


@login_required
@require_POST
def assess(request: HttpRequest, person_id: int) -> HttpResponse:
    """A self-assessment (on one's own page) or a manager assessment (with a comment)."""
    user = _user(request)
    who = authz.get_person_for_user(user, person_id)
    competency = _competency(request.POST.get("competency", ""))
    level = _int(request.POST, "level")
    comment = request.POST.get("comment", "")
    if who.pk == user.pk:
        _attempt(
            request,
            lambda: services.self_assess(actor=user, competency=competency, level=level, comment=comment),
            _("Your self-assessment is recorded."),
        )
    else:
        _attempt(
            request,
            lambda: services.manager_assess(
                actor=user, person=who, competency=competency, level=level, comment=comment
            ),
            _("The assessment is recorded."),
        )
    return redirect("workforce:person", person_id=who.pk)


@login_required
@require_POST
def qualification_add(request: HttpRequest, person_id: int) -> HttpResponse:
    user = _user(request)
    who = authz.get_person_for_user(user, person_id)
    data = request.POST

    def add() -> object:
        issued = _date(data, "issued_on") if data.get("issued_on") else None
        until = _date(data, "valid_until") if data.get("valid_until") else None
        return services.qualification_add(
            actor=user,
            person=who,
            kind=data.get("kind", ""),
            name=data.get("name", ""),
            major=data.get("major", ""),
            issuer=data.get("issuer", ""),
            issued_on=issued,
            valid_until=until,
        )

    _attempt(request, add, _("The qualification is recorded."))
    return redirect("workforce:person", person_id=who.pk)


# --- positions ----------------------------------------------------------------------------------------


def _commune_for(request: HttpRequest, user: User) -> Commune:
    code = request.GET.get("commune") or request.POST.get("commune") or user.commune_id
    if code in (None, ""):
        raise NotFound(_("Choose a commune."))
    return accounts_authz.get_commune_for_user(user, str(code))


@login_required
def positions(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.commune_id is None and not request.GET.get("commune"):
        return render(
            request,
            "workforce/positions.html",
            {"communes": accounts_authz.communes_for_user(user).order_by("name"), "commune": None},
        )
    commune = _commune_for(request, user)
    rows = (
        Position.objects.filter(commune=commune)
        .select_related("department")
        .prefetch_related("requirements__competency")
        .order_by("department__kind", "code")
    )
    adopted = {p.code for p in rows}
    missing = (
        PositionTemplate.objects.filter(province_id=commune.province_id).exclude(code__in=adopted).count()
    )
    return render(
        request,
        "workforce/positions.html",
        {
            "commune": commune,
            "positions": rows,
            "missing_templates": missing,
            "can_edit": authz.can_edit_positions(user, commune),
        },
    )


@login_required
@require_POST
def positions_adopt(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    commune = _commune_for(request, user)
    authz.require_position_editor(user, commune)
    created = services.positions_adopt_all(actor=user, commune=commune)
    messages.success(
        request, _("%(n)d job positions adopted from the province's template.") % {"n": len(created)}
    )
    return redirect(f"{reverse('workforce:positions')}?commune={commune.code}")


@login_required
@require_http_methods(["GET", "POST"])
def position(request: HttpRequest, position_id: int) -> HttpResponse:
    user = _user(request)
    pos = authz.get_position_for_user(user, position_id)
    can_edit = authz.can_edit_positions(user, pos.commune)
    can_designate = pos.leadership and authz.can_designate_successors(user, pos.commune)
    if request.method == "POST" and request.POST.get("action") in ("designate", "withdraw_successor"):
        _successor_post(request, user, pos)
        return redirect("workforce:position", position_id=pos.pk)
    if request.method == "POST":
        authz.require_position_editor(user, pos.commune)
        data = request.POST
        if data.get("action") == "remove":
            competency = _competency(data.get("competency", ""))
            services.requirement_remove(actor=user, position=pos, competency=competency)
            messages.success(request, _("The requirement is removed."))
        elif data.get("action") == "headcount":
            _attempt(
                request,
                lambda: services.position_update(actor=user, position=pos, headcount=_int(data, "headcount")),
                _("The headcount is changed."),
            )
        else:
            _attempt(
                request,
                lambda: services.requirement_set(
                    actor=user,
                    position=pos,
                    competency=_competency(data.get("competency", "")),
                    min_level=_int(data, "min_level"),
                    essential=data.get("essential") == "on",
                ),
                _("The requirement is saved."),
            )
        return redirect("workforce:position", position_id=pos.pk)
    holders = pos.assignments.filter(ended_on__isnull=True).select_related("user")
    return render(
        request,
        "workforce/position.html",
        {
            "position": pos,
            "requirements": pos.requirements.select_related("competency").order_by(
                "-essential", "competency__code"
            ),
            "holders": holders,
            "can_edit": can_edit,
            "competencies": Competency.objects.filter(is_active=True).order_by("type__position", "position"),
            "can_designate": can_designate,
            "successors": selectors.successors_of(pos) if can_designate else [],
            "candidates": (
                User.objects.filter(commune_id=pos.commune_id, is_active=True)
                .exclude(pk__in=[a.user_id for a in holders])
                .order_by("full_name")
                if can_designate
                else []
            ),
        },
    )


def _successor_post(request: HttpRequest, user: User, pos: Position) -> None:
    """Designate a successor for the leadership post, or withdraw a designation."""
    data = request.POST
    if data.get("action") == "withdraw_successor":
        designation = authz.get_successor_for_user(user, _int(data, "designation"))
        if designation.position_id != pos.pk:
            raise NotFound(_("No designated successor with id %(id)s.") % {"id": designation.pk})
        _attempt(
            request,
            lambda: services.successor_withdraw(actor=user, designation=designation),
            _("The designation is withdrawn."),
        )
        return
    authz.require_successor_editor(user, pos.commune)

    def designate() -> object:
        person = User.objects.filter(pk=_int(data, "user")).first()
        if person is None:
            raise InvalidInput(_("Choose an officer of this commune."), field="user")
        return services.successor_designate(
            actor=user,
            position=pos,
            person=person,
            starts_on=_date(data, "starts_on"),
            ends_on=_date(data, "ends_on"),
            decision=data.get("decision", ""),
        )

    _attempt(request, designate, _("The successor is designated."))


# --- training ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def training(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    province = Province.objects.filter(pk=user.province_id).first() if user.province_id else None
    if request.method == "POST":
        data = request.POST
        commune = None
        if data.get("commune"):
            commune = accounts_authz.get_commune_for_user(user, data["commune"])
        if province is None:
            raise Forbidden(_("You are not attached to a province."))
        course = Course.objects.filter(pk=_int(data, "course")).first()
        if course is None:
            messages.error(request, _("Choose a course."))
            return redirect("workforce:training")

        def create() -> object:
            return services.session_create(
                actor=user,
                course=course,
                province=province,
                commune=commune,
                starts_on=_date(data, "starts_on"),
                ends_on=_date(data, "ends_on"),
                capacity=_int(data, "capacity"),
                place=data.get("place", ""),
                online=data.get("online") == "on",
                trainer=data.get("trainer", ""),
            )

        _attempt(request, create, _("The session is scheduled."))
        return redirect("workforce:training")
    today = selectors.today()
    sessions = (
        authz.sessions_for_user(user)
        .filter(ends_on__gte=today - dt.timedelta(days=120))
        .select_related("course", "commune")
        .order_by("starts_on")
    )
    return render(
        request,
        "workforce/training.html",
        {
            "sessions": sessions,
            "today": today,
            "courses": Course.objects.filter(is_active=True)
            .select_related("programme")
            .prefetch_related("outcomes__competency"),
            "can_schedule": province is not None
            and authz.can_run_sessions(user, user.commune, user.province_id),
            "schedule_commune": None if user.is_province_level else user.commune,
        },
    )


@login_required
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    user = _user(request)
    run = authz.get_session_for_user(user, session_id)
    visible = authz.people_for_user(user)
    enrolments = list(
        run.enrolments.filter(user__in=visible).select_related("user__commune").order_by("user__full_name")
    )
    rows = [
        {"e": e, "can_record": e.user_id != user.pk and authz.can_manage_person(user, e.user)}
        for e in enrolments
    ]
    taken = run.enrolments.exclude(status=EnrolmentStatus.CANCELLED).count()
    return render(
        request,
        "workforce/session.html",
        {
            "run": run,
            "rows": rows,
            "taken": taken,
            "outcomes": run.course.outcomes.select_related("competency"),
            "started": run.starts_on <= selectors.today(),
            "can_enrol_self": user.commune_id is not None
            and run.starts_on >= selectors.today()
            and not any(e.user_id == user.pk and e.status == EnrolmentStatus.ENROLLED for e in enrolments),
        },
    )


@login_required
@require_POST
def enrol(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    run = authz.get_session_for_user(user, _int(request.POST, "session"))
    who = authz.get_person_for_user(user, _int(request.POST, "person"))
    _attempt(
        request,
        lambda: services.enrol(actor=user, session=run, person=who),
        _("%(name)s is enrolled in %(course)s.") % {"name": who.full_name, "course": run.course.name},
    )
    return _back(request, reverse("workforce:session", args=[run.pk]))


@login_required
@require_POST
def enrolment_result(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    user = _user(request)
    enrolment = authz.get_enrolment_for_user(user, enrolment_id)
    data = request.POST
    if data.get("action") == "absent":
        _attempt(
            request,
            lambda: services.attendance_set(actor=user, enrolment=enrolment, attended=False),
            _("Recorded as absent."),
        )
    else:
        _attempt(
            request,
            lambda: services.enrolment_complete(
                actor=user, enrolment=enrolment, score=data.get("score", "").strip()
            ),
            _("The post-test result of %(name)s is recorded.") % {"name": enrolment.user.full_name},
        )
    return _back(request, reverse("workforce:session", args=[enrolment.session_id]))


@login_required
@require_POST
def enrolment_cancel(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    user = _user(request)
    enrolment = authz.get_enrolment_for_user(user, enrolment_id)
    _attempt(
        request,
        lambda: services.enrolment_cancel(actor=user, enrolment=enrolment),
        _("The enrolment is cancelled."),
    )
    return _back(request, reverse("workforce:session", args=[enrolment.session_id]))


@login_required
def plan(request: HttpRequest, code: int, year: int) -> HttpResponse:
    user = _user(request)
    commune = accounts_authz.get_commune_for_user(user, code)
    row = TrainingPlan.objects.filter(commune=commune, year=year).first()
    items: list[PlanItem] = []
    progress = None
    if row is not None:
        visible = authz.people_for_user(user)
        items = list(
            row.items.filter(user__in=visible).select_related(
                "user", "course", "competency", "enrolment__session"
            )
        )
        progress = selectors.plan_progress(row)
    return render(
        request,
        "workforce/plan.html",
        {
            "commune": commune,
            "year": year,
            "plan": row,
            "items": items,
            "progress": progress,
            "can_build": authz.can_build_plan(user, commune),
            "default_budget": None,
        },
    )


@login_required
@require_POST
def plan_build(request: HttpRequest, code: int, year: int) -> HttpResponse:
    user = _user(request)
    commune = accounts_authz.get_commune_for_user(user, code)
    budget = _opt_int(request.POST, "budget_vnd")
    _attempt(
        request,
        lambda: services.training_plan_build(actor=user, commune=commune, year=year, budget_vnd=budget),
        _("The training plan is built from the current gaps."),
    )
    return redirect("workforce:plan", code=commune.code, year=year)


# --- self-tests ----------------------------------------------------------------------------------------


@login_required
def tests(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    attempts = SelfTestAttempt.objects.filter(user=user, submitted_at__isnull=False).select_related(
        "competency"
    )[:20]
    return render(
        request,
        "workforce/tests.html",
        {
            "competencies": Competency.objects.filter(self_test=True, is_active=True).order_by(
                "type__position", "position"
            ),
            "attempts": attempts,
        },
    )


@login_required
@require_POST
def selftest_start(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    competency = _competency(code)
    try:
        attempt = services.selftest_start(actor=user, competency=competency)
    except (InvalidInput, Conflict, NotFound) as exc:
        messages.error(request, exc.message)
        return redirect("workforce:tests")
    return redirect("workforce:test_attempt", attempt_id=attempt.pk)


@login_required
@require_http_methods(["GET", "POST"])
def test_attempt(request: HttpRequest, attempt_id: int) -> HttpResponse:
    user = _user(request)
    attempt = SelfTestAttempt.objects.select_related("competency").filter(pk=attempt_id, user=user).first()
    if attempt is None:
        raise NotFound(_("No such test."))
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    ordered = [questions[i] for i in attempt.question_ids if i in questions]
    if request.method == "POST" and attempt.submitted_at is None:
        answers: list[int | None] = []
        for q in ordered:
            raw = request.POST.get(f"q{q.pk}", "")
            answers.append(int(raw) if raw.isdigit() else None)
        if _attempt(
            request,
            lambda: services.selftest_submit(actor=user, attempt=attempt, answers=answers),
            _("Your test is scored."),
        ):
            attempt.refresh_from_db()
    shown = [
        {
            "q": q,
            "answer": attempt.answers[i] if attempt.submitted_at and i < len(attempt.answers) else None,
        }
        for i, q in enumerate(ordered)
    ]
    return render(request, "workforce/test_attempt.html", {"attempt": attempt, "questions": shown})


@login_required
@require_http_methods(["GET", "POST"])
def questions(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not authz.can_edit_questions(user, user.province_id):
        raise Forbidden(_("Only the province's Home Affairs staff manage the question bank."))
    if request.method == "POST":
        data = request.POST
        if data.get("retire"):
            question = Question.objects.filter(pk=_int(data, "retire")).first()
            if question is None:
                raise NotFound(_("No such question."))
            services.question_retire(actor=user, question=question)
            messages.success(request, _("The question is retired."))
        else:
            _attempt(
                request,
                lambda: services.question_add(
                    actor=user,
                    competency=_competency(data.get("competency", "")),
                    level=_int(data, "level"),
                    text=data.get("text", ""),
                    choices=[data.get(f"choice{i}", "") for i in range(4)],
                    answer=_int(data, "answer"),
                    explanation=data.get("explanation", ""),
                ),
                _("The question is added to the bank."),
            )
        return redirect("workforce:questions")
    return render(
        request,
        "workforce/questions.html",
        {
            "questions": Question.objects.filter(province_id=user.province_id or 0).select_related(
                "competency"
            ),
            "shipped": Question.objects.filter(province__isnull=True, is_active=True).count(),
            "competencies": Competency.objects.filter(self_test=True, is_active=True).order_by(
                "type__position", "position"
            ),
        },
    )


# --- evaluations -------------------------------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[int, int]:
    today = selectors.today()
    year = _opt_int(request.GET, "year") or _opt_int(request.POST, "year") or today.year
    raw_quarter = request.GET.get("quarter") or request.POST.get("quarter")
    quarter = int(raw_quarter) if raw_quarter and raw_quarter.isdigit() else max(1, (today.month - 1) // 3)
    services.period_bounds(year, quarter)
    return year, quarter


@login_required
def evaluations(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.commune_id is None and not request.GET.get("commune"):
        return render(
            request,
            "workforce/evaluations.html",
            {"communes": accounts_authz.communes_for_user(user).order_by("name"), "commune": None},
        )
    commune = _commune_for(request, user)
    year, quarter = _period(request)
    visible = authz.people_for_user(user).filter(commune=commune)
    rows = Evaluation.objects.filter(
        commune=commune, year=year, quarter=quarter, user__in=visible
    ).select_related("user")
    policy = services.policy_for(commune.province_id)
    summary = selectors.evaluation_summary(commune, year, quarter, policy)
    return render(
        request,
        "workforce/evaluations.html",
        {
            "commune": commune,
            "year": year,
            "quarter": quarter,
            "rows": rows,
            "summary": summary,
            "policy": policy,
            "late_pct": int(policy.late_penalty * 100),
            "fault_pct": int(policy.fault_penalty * 100),
            "grade_counts": [(label, summary.counts.get(value, 0)) for value, label in Grade.choices],
            "can_compute": authz.can_compute_evaluations(user, commune),
            "quarters": [(0, _("Whole year")), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
        },
    )


@login_required
@require_POST
def evaluations_compute(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    commune = _commune_for(request, user)
    year, quarter = _period(request)
    _attempt(
        request,
        lambda: services.evaluations_compute(actor=user, commune=commune, year=year, quarter=quarter),
        _("Task results are computed from the dossier ledger."),
    )
    return redirect(
        f"{reverse('workforce:evaluations')}?commune={commune.code}&year={year}&quarter={quarter}"
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    user = _user(request)
    row = authz.get_evaluation_for_user(user, evaluation_id)
    if request.method == "POST":
        data = request.POST
        if data.get("action") == "adjust":
            _attempt(
                request,
                lambda: services.evaluation_adjust_task(
                    actor=user,
                    evaluation=row,
                    points=data.get("points", "").strip(),
                    reason=data.get("reason", ""),
                ),
                _("The task results are adjusted."),
            )
        else:
            _attempt(
                request,
                lambda: services.evaluation_set_general(
                    actor=user,
                    evaluation=row,
                    points=data.get("points", "").strip(),
                    reason=data.get("reason", ""),
                ),
                _("The general criteria are recorded."),
            )
        return redirect("workforce:evaluation", evaluation_id=row.pk)
    return render(
        request,
        "workforce/evaluation.html",
        {
            "row": row,
            "changes": row.changes.select_related("actor"),
            "policy": services.policy_for(row.commune.province_id),
            "can_assess": authz.can_assess(user, row.user),
        },
    )


# --- import -------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_staff(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    commune = _commune_for(request, user)
    if not authz.can_import_staff(user, commune):
        raise Forbidden(_("Only the commune's leader or administrator can import staff."))
    report = None
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose the Excel file.")
        else:
            try:
                report = importer.staff_import(
                    actor=user,
                    commune=commune,
                    content=upload.read(),
                    dry_run=request.POST.get("dry_run") == "on",
                )
            except InvalidInput as exc:
                error = exc.message
    status = 422 if error or (report is not None and not report.ok) else 200
    return render(
        request,
        "workforce/import.html",
        {"commune": commune, "report": report, "error": error, "columns": importer.COLUMNS},
        status=status,
    )
