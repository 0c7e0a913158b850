"""Work-planning pages: a department's proposed work queues with the reasons for each choice,
accepting them (each dossier may be given to someone else, with a reason), and re-planning
when someone is absent.  Objects come through ``selectors`` (scope), writes through
``services``; access errors become the standard error pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xaso.accounts.models import User
from xaso.catalog.models import Procedure
from xaso.lib.errors import Conflict, InvalidInput, NotFound
from xaso.planning import rotation_services, selectors, services
from xaso.planning.models import AssignmentProposal, DecisionKind, ProposalStatus
from xaso.workforce.models import Position as WorkPosition
from xaso.workforce.selectors import commune_successors


def _page(proposal: AssignmentProposal) -> str:
    return f"{reverse('planning:index')}?department={proposal.department_id}"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The latest proposal of the department (the user's own, or ``?department=`` for a leader)."""
    user = selectors.staff(request.user)
    asked = request.GET.get("department")
    if not asked and user.department_id is None:
        # A commune leader has no department of their own: open on the first one they plan.
        first = selectors.departments_for_user(user).order_by("name").first()
        asked = str(first.pk) if first is not None else None
    department = selectors.get_department_for_user(user, asked)
    proposal = department.assignment_proposals.first()
    return render(
        request,
        "planning/queues.html",
        {
            "department": department,
            "departments": selectors.departments_for_user(user).order_by("name"),
            "proposal": proposal,
            "queues": selectors.queues(proposal) if proposal else [],
            "officers": selectors.planning_officers(department),
            "open": proposal is not None and proposal.status == ProposalStatus.PROPOSED,
            "incoming": selectors.incoming_pool_rows(user, department),
        },
    )


@login_required
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """A proposal, read-only: all of it for its planners; for another department's head, the
    shared-pool dossiers it gives to their officers."""
    user = selectors.staff(request.user)
    proposal, pool_only = selectors.get_proposal_view_for_user(user, proposal_id)
    return render(
        request,
        "planning/proposal.html",
        {
            "proposal": proposal,
            "pool_only": pool_only,
            "rows": selectors.visible_rows(user, proposal, pool_only).order_by(
                "officer_id", "position", "pk"
            ),
        },
    )


# --- shared pools ---------------------------------------------------------------------------


def _pools_page(commune_id: int) -> str:
    return f"{reverse('planning:pools')}?commune={commune_id}"


@login_required
def pools(request: HttpRequest) -> HttpResponse:
    """A commune's shared pools; the forms for those the user may edit."""
    user = selectors.staff(request.user)
    commune = selectors.get_pools_commune_for_user(user, request.GET.get("commune"))
    found = list(selectors.pools_for_commune(commune))
    return render(
        request,
        "planning/pools.html",
        {
            "commune": commune,
            "pools": [(p, services.can_edit_pool(user, commune, p)) for p in found],
            "may_create": services.can_edit_pool(user, commune),
            "candidates": services.pool_candidates(commune),
            "fields": Procedure.objects.order_by("field").values_list("field", flat=True).distinct(),
        },
    )


@login_required
@require_POST
def pool_save(request: HttpRequest) -> HttpResponse:
    """Create (no ``pool``) or change a shared pool; codes are separated by commas or spaces."""
    user = selectors.staff(request.user)
    pool = selectors.get_pool_for_user(user, request.POST["pool"]) if request.POST.get("pool") else None
    commune = (
        pool.commune if pool else selectors.get_pools_commune_for_user(user, request.POST.get("commune"))
    )
    ids = [int(v) for v in request.POST.getlist("members") if v.isdigit()]
    try:
        services.shared_pool_save(
            actor=user,
            commune=commune,
            pool=pool,
            name=request.POST.get("name", ""),
            members=list(User.objects.filter(pk__in=ids)),
            fields=request.POST.getlist("fields"),
            procedure_codes=request.POST.get("procedure_codes", "").replace(",", " ").split(),
            is_active=request.POST.get("is_active", "on" if pool is None else "") == "on",
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Shared pool saved."))
    return redirect(_pools_page(commune.pk))


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    user = selectors.staff(request.user)
    department = selectors.get_department_for_user(user, request.POST.get("department"))
    services.proposal_create(actor=user, department=department)
    messages.success(request, _("Work queues proposed."))
    return redirect(f"{reverse('planning:index')}?department={department.pk}")


@login_required
@require_POST
def accept(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Form fields per dossier: ``officer_<dossier id>`` (empty: as proposed) and ``reason_<id>``."""
    user = selectors.staff(request.user)
    proposal = selectors.get_proposal_for_user(user, proposal_id)
    overrides: dict[int, tuple[User, str]] = {}
    try:
        for row in proposal.assignments.all():
            raw = request.POST.get(f"officer_{row.dossier_id}", "").strip()
            if not raw or (raw.isdigit() and int(raw) == row.officer_id):
                continue
            officer = User.objects.filter(pk=int(raw) if raw.isdigit() else 0, is_active=True).first()
            if officer is None:
                raise InvalidInput(_("Choose an active officer of the commune."), field="overrides")
            overrides[row.dossier_id] = (officer, request.POST.get(f"reason_{row.dossier_id}", ""))
        services.proposal_accept(actor=user, proposal=proposal, overrides=overrides)
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Proposal accepted; the dossiers have been reassigned."))
    return redirect(_page(proposal))


@login_required
@require_POST
def replan(request: HttpRequest, proposal_id: int) -> HttpResponse:
    user = selectors.staff(request.user)
    proposal = selectors.get_proposal_for_user(user, proposal_id)
    absent = [int(v) for v in request.POST.getlist("absent") if v.isdigit()]
    try:
        services.proposal_replan(actor=user, proposal=proposal, absent=absent)
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Re-planned: the absent officers' dossiers have been moved."))
    return redirect(_page(proposal))


# --- rotation -------------------------------------------------------------------------------


def _rotation_page(commune_id: int | None, plan_id: int | None = None) -> str:
    url = f"{reverse('planning:rotation')}?commune={commune_id}"
    return f"{url}&plan={plan_id}" if plan_id else url


@login_required
def rotation(request: HttpRequest) -> HttpResponse:
    """A commune's rotation plan (the latest, or ``?plan=``), its decisions and history."""
    user = selectors.staff(request.user)
    code = request.GET.get("commune")
    if not code and user.commune_id is None:  # Home Affairs: the province's first commune
        first = selectors.rotation_communes_for_user(user).order_by("name").first()
        code = str(first.pk) if first else None
    commune = selectors.get_rotation_commune_for_user(user, code)
    plans = list(commune.rotation_plans.all()[:20])
    plan = plans[0] if plans else None
    if request.GET.get("plan"):
        plan = selectors.get_rotation_plan_for_user(user, request.GET["plan"])
        if plan.commune_id != commune.pk:
            raise NotFound(_("No such rotation plan."))
    this_year = timezone.localdate().year
    return render(
        request,
        "planning/rotation.html",
        {
            "commune": commune,
            "communes": selectors.rotation_communes_for_user(user).order_by("name"),
            "view": selectors.rotation_view(plan) if plan else None,
            "plans": plans,
            "latest": plans[0] if plans else None,
            "may_plan": rotation_services.can_plan_rotation(user, commune),
            "decisions": selectors.active_decisions(commune),
            "officers": User.objects.filter(
                assignments__position__commune=commune, assignments__ended_on__isnull=True, is_active=True
            ).order_by("full_name"),
            "positions": WorkPosition.objects.filter(commune=commune, is_active=True).order_by("title"),
            "start_years": [this_year, this_year + 1, this_year + 2],
            "default_start": plan.start_year if plan else this_year + 1,
            "kinds": DecisionKind.choices,
            "successors": commune_successors(commune),
        },
    )


def _int_or_none(raw: str | None, field: str) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise InvalidInput(_("Enter a whole number."), field=field)
    return int(raw)


@login_required
@require_POST
def rotation_solve(request: HttpRequest) -> HttpResponse:
    user = selectors.staff(request.user)
    commune = selectors.get_rotation_commune_for_user(user, request.POST.get("commune"))
    try:
        start = _int_or_none(request.POST.get("start_year"), "start_year")
        years = _int_or_none(request.POST.get("years"), "years")
        plan = rotation_services.rotation_plan_create(
            actor=user,
            commune=commune,
            start_year=start if start is not None else timezone.localdate().year + 1,
            years=years if years is not None else 3,
        )
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.message)
        return redirect(_rotation_page(commune.pk))
    messages.success(request, _("Rotation plan solved."))
    return redirect(_rotation_page(commune.pk, plan.pk))


@login_required
@require_POST
def rotation_training(request: HttpRequest) -> HttpResponse:
    """Schedule cross-training for the officers due to move (then solve again to use it)."""
    user = selectors.staff(request.user)
    commune = selectors.get_rotation_commune_for_user(user, request.POST.get("commune"))
    try:
        start = _int_or_none(request.POST.get("start_year"), "start_year")
        start = start if start is not None else timezone.localdate().year + 1
        added = rotation_services.rotation_training_schedule(actor=user, commune=commune, start_year=start)
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(n)d courses added to the %(year)d training plan; solve again to count on them.")
            % {"n": added, "year": start},
        )
    return redirect(_rotation_page(commune.pk))


@login_required
@require_POST
def rotation_decide(request: HttpRequest) -> HttpResponse:
    """Record a lock or forbid, then solve again with it (same years as the latest plan)."""
    user = selectors.staff(request.user)
    commune = selectors.get_rotation_commune_for_user(user, request.POST.get("commune"))
    try:
        officer, position = selectors.decision_targets(
            _int_or_none(request.POST.get("user"), "user"),
            _int_or_none(request.POST.get("position"), "position") or None,
        )
        with transaction.atomic():
            rotation_services.rotation_decide(
                actor=user,
                commune=commune,
                kind=request.POST.get("kind", ""),
                user=officer,
                position=position,
                year=_int_or_none(request.POST.get("year"), "year"),
                reason=request.POST.get("reason", ""),
            )
            latest = commune.rotation_plans.first()
            plan = rotation_services.rotation_plan_create(
                actor=user,
                commune=commune,
                start_year=latest.start_year if latest else timezone.localdate().year + 1,
                years=latest.years if latest else 3,
            )
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.message)
        return redirect(_rotation_page(commune.pk))
    messages.success(request, _("Decision recorded and the plan solved again."))
    return redirect(_rotation_page(commune.pk, plan.pk))


@login_required
@require_POST
def rotation_withdraw(request: HttpRequest, decision_id: int) -> HttpResponse:
    user = selectors.staff(request.user)
    decision = selectors.get_rotation_decision_for_user(user, decision_id)
    try:
        rotation_services.rotation_decision_withdraw(actor=user, decision=decision)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decision withdrawn; solve again to use it."))
    return redirect(_rotation_page(decision.commune_id))


@login_required
@require_POST
def rotation_accept(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = selectors.staff(request.user)
    plan = selectors.get_rotation_plan_for_user(user, plan_id)
    try:
        rotation_services.rotation_plan_accept(actor=user, plan=plan)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Rotation plan accepted."))
    return redirect(_rotation_page(plan.commune_id, plan.pk))


@login_required
def rotation_disclosure(request: HttpRequest, plan_id: int) -> HttpResponse:
    """``?format=md`` downloads the Markdown document; otherwise a printable page."""
    user = selectors.staff(request.user)
    plan = selectors.get_rotation_plan_for_user(user, plan_id)
    if request.GET.get("format") == "md":
        response = HttpResponse(selectors.disclosure_text(plan), content_type="text/markdown; charset=utf-8")
        name = f"ke-hoach-chuyen-doi-{plan.commune_id}-{plan.start_year}-{plan.end_year}-{plan.pk}.md"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "planning/rotation_print.html",
        {"view": selectors.rotation_view(plan), "commune": plan.commune},
    )


# --- rotation between communes (province plans) --------------------------------------------


def _province_page(plan_id: int | None = None) -> str:
    url = reverse("planning:rotation_province")
    return f"{url}?plan={plan_id}" if plan_id else url


@login_required
def rotation_province(request: HttpRequest) -> HttpResponse:
    """Province plans over several communes: Home Affairs chooses the communes and solves;
    a commune leader reads the plans that cover their commune."""
    user = selectors.staff(request.user)
    selectors.require_province_rotation_reader(user)
    plans = list(selectors.province_rotation_plans_for_user(user).prefetch_related("communes")[:20])
    plan = plans[0] if plans else None
    if request.GET.get("plan"):
        plan = selectors.get_province_rotation_plan_for_user(user, request.GET["plan"])
    may_plan = user.province is not None and rotation_services.can_plan_province_rotation(user, user.province)
    latest = None
    if plan is not None:
        latest = max(rotation_services.same_scope(plan), key=lambda p: p.pk, default=plan)
    this_year = timezone.localdate().year
    chosen = {int(c) for c in request.GET.getlist("communes") if c.isdigit()}
    if plan is not None and not chosen:
        chosen = {c.pk for c in plan.communes.all()}
    return render(
        request,
        "planning/rotation_province.html",
        {
            "view": selectors.province_rotation_view(plan) if plan else None,
            "plans": plans,
            "latest": latest,
            "may_plan": may_plan,
            "may_accept": plan is not None
            and plan.province is not None
            and rotation_services.can_plan_province_rotation(user, plan.province),
            "communes": selectors.province_communes_for_user(user).order_by("name") if may_plan else [],
            "chosen": chosen,
            "limits": rotation_services.PROVINCE_COMMUNES,
            "start_years": [this_year, this_year + 1, this_year + 2],
            "default_start": plan.start_year if plan else this_year + 1,
        },
    )


@login_required
@require_POST
def rotation_province_solve(request: HttpRequest) -> HttpResponse:
    user = selectors.staff(request.user)
    codes = [int(c) for c in request.POST.getlist("communes") if c.isdigit()]
    try:
        province, communes = selectors.province_plan_scope(user, codes)
        start = _int_or_none(request.POST.get("start_year"), "start_year")
        years = _int_or_none(request.POST.get("years"), "years")
        plan = rotation_services.province_rotation_plan_create(
            actor=user,
            province=province,
            communes=communes,
            start_year=start if start is not None else timezone.localdate().year + 1,
            years=years if years is not None else 3,
        )
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.message)
        query = "&".join(f"communes={c}" for c in codes)
        return redirect(f"{_province_page()}?{query}" if query else _province_page())
    messages.success(request, _("Rotation plan solved."))
    return redirect(_province_page(plan.pk))


@login_required
@require_POST
def rotation_province_accept(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = selectors.staff(request.user)
    plan = selectors.get_province_rotation_plan_for_user(user, plan_id)
    try:
        rotation_services.province_rotation_plan_accept(actor=user, plan=plan)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Rotation plan accepted."))
    return redirect(_province_page(plan.pk))


@login_required
def rotation_province_disclosure(request: HttpRequest, plan_id: int) -> HttpResponse:
    """``?format=md`` downloads the Markdown document; otherwise a printable page."""
    user = selectors.staff(request.user)
    plan = selectors.get_province_rotation_plan_for_user(user, plan_id)
    if request.GET.get("format") == "md":
        response = HttpResponse(
            selectors.province_disclosure_text(plan), content_type="text/markdown; charset=utf-8"
        )
        name = f"ke-hoach-chuyen-doi-tinh-{plan.province_id}-{plan.start_year}-{plan.end_year}-{plan.pk}.md"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request, "planning/rotation_province_print.html", {"view": selectors.province_rotation_view(plan)}
    )
