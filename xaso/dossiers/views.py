"""Pages for dossiers: counter intake, queues, the dossier with its actions, slips, the
register; and the public side: online submission, tracking, rating."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from xaso.accounts import authz
from xaso.accounts.models import Role, User
from xaso.catalog.models import Procedure
from xaso.catalog.selectors import procedures_offered, search_procedures
from xaso.dossiers import selectors, services
from xaso.dossiers.api import track_lookup
from xaso.dossiers.forms import ApplicantForm, CounterIntakeForm, RatingForm
from xaso.dossiers.models import Dossier, Status
from xaso.dossiers.workflow import ACTIONS, allowed_actions
from xaso.lib.errors import Conflict, Forbidden, InvalidInput, NotFound, XasoError
from xaso.places.models import Commune

QUEUE_LABELS = {
    "to_receive": gettext_lazy("To receive"),
    "to_process": gettext_lazy("To process"),
    "to_sign": gettext_lazy("To sign"),
    "to_return": gettext_lazy("To return"),
    "due_soon": gettext_lazy("Due within 2 days"),
    "overdue": gettext_lazy("Overdue"),
}


PRIMARY = [
    "receive",
    "start",
    "forward",
    "approve",
    "return_result",
    "supplement_received",
    "payment_received",
]


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def queues(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    names = selectors.default_queues(user)
    current = request.GET.get("queue") or names[0]
    if current not in selectors.QUEUES:
        raise InvalidInput(_("Unknown queue."), field="queue")
    rows = list(selectors.queue(user, current)[:200])
    counts = {name: selectors.queue(user, name).count() for name in names}
    return render(
        request,
        "dossiers/queues.html",
        {
            "names": names,
            "current": current,
            "rows": rows,
            "counts": counts,
            "labels": QUEUE_LABELS,
            "now": timezone.now(),
            "can_take": user.has_role(Role.RECEPTION_OFFICER),
        },
    )


def _checklist_procedure(request: HttpRequest, commune: Commune) -> Procedure | None:
    code = request.GET.get("procedure") or request.POST.get("procedure")
    if not code:
        return None
    proc = procedures_offered(commune).filter(code=code).prefetch_related("documents", "channels").first()
    if proc is None:
        raise NotFound(_("This commune does not handle procedure %(code)s.") % {"code": code})
    return proc


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """Counter intake: pick the procedure, tick the checklist, type the applicant."""
    user = _staff(request)
    if user.commune is None or not user.has_role(Role.RECEPTION_OFFICER):
        raise Forbidden(_("Only a reception officer of a commune's center can take dossiers."))
    center = user.commune
    q = request.GET.get("q", "").strip()
    proc = _checklist_procedure(request, center)
    communes = Commune.objects.filter(province_id=center.province_id).order_by("name")
    form = CounterIntakeForm(request.POST or None, initial={"commune": center.code})
    form.fields["commune"].choices = [(c.code, c.name) for c in communes]  # type: ignore[attr-defined]
    error = None
    if request.method == "POST" and proc is not None and form.is_valid():
        ticked = [int(i) for i in request.POST.getlist("documents") if i.isdigit()]
        competent = (
            communes.filter(code=form.cleaned_data["commune"]).first()
            if form.cleaned_data["commune"]
            else None
        )
        uploads = [
            services.Upload(name=f.name or "file", content=f.read())
            for f in request.FILES.getlist("attachments")
        ]
        try:
            dossier = services.dossier_intake(
                actor=user,
                received_by=center,
                commune=competent,
                procedure_code=proc.code,
                channel=form.cleaned_data["channel"],
                applicant=form.cleaned_data,
                documents_submitted=ticked,
                attachments=uploads,
                processing_days=form.cleaned_data.get("processing_days"),
            )
        except InvalidInput as exc:
            error = exc
            if exc.field and exc.field.startswith("applicant."):
                form.add_error(exc.field.split(".", 1)[1], exc.message)
        else:
            messages.success(request, _("Dossier %(code)s recorded.") % {"code": dossier.code})
            return redirect("dossiers:detail", code=dossier.code)
    results = search_procedures(q=q, commune=center, limit=15) if q and proc is None else []
    return render(
        request,
        "dossiers/intake.html",
        {
            "q": q,
            "results": results,
            "proc": proc,
            "form": form,
            "error": error,
            "center": center,
            "ticked": set(request.POST.getlist("documents")),
        },
        status=422 if error or (request.method == "POST" and not form.is_valid()) else 200,
    )


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _staff(request)
    dossier = authz.get_dossier_for_user(user, code)
    return render(request, "dossiers/detail.html", _detail_context(user, dossier))


def _detail_context(user: User, dossier: Dossier, error: XasoError | None = None) -> dict[str, Any]:
    possible = [a for a in allowed_actions(dossier.status) if services._may_act(user, dossier, a.roles)]
    # The next step on the normal route comes first (and open); exceptions follow.
    possible.sort(key=lambda a: PRIMARY.index(a.name) if a.name in PRIMARY else len(PRIMARY))
    will_be_late = (
        dossier.due_at is not None
        and dossier.status not in (Status.DONE, Status.RETURNED)
        and dossier.due_at - timezone.now() < dt.timedelta(days=1)
    )
    return {
        "d": dossier,
        "actions": possible,
        "error": error,
        "will_be_late": will_be_late,
        "steps": dossier.steps.select_related("department", "assignee", "finished_by"),
        "events": dossier.events.select_related("actor").order_by("at", "id"),
        "documents": dossier.documents.all(),
        "attachments": dossier.attachments.all(),
        "status_label": Status(dossier.status).label,
    }


@login_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    user = _staff(request)
    dossier = authz.get_dossier_for_user(user, code)
    if action not in ACTIONS:
        raise NotFound(_("Unknown action."))
    new_due = None
    if raw := request.POST.get("new_due_at"):
        try:
            new_due = timezone.make_aware(dt.datetime.fromisoformat(raw))
        except ValueError:
            new_due = None
    version = request.POST.get("version", "")
    try:
        services.dossier_act(
            actor=user,
            code=code,
            action=action,
            reason=request.POST.get("reason", ""),
            expected_version=int(version) if version.isdigit() else None,
            missing_items=[
                line for line in request.POST.get("missing_items", "").splitlines() if line.strip()
            ],
            new_due_at=new_due,
            amount_vnd=int(request.POST["amount_vnd"])
            if request.POST.get("amount_vnd", "").isdigit()
            else None,
        )
    except (Conflict, InvalidInput, Forbidden) as exc:
        dossier.refresh_from_db()
        status = {Conflict: 409, InvalidInput: 422, Forbidden: 403}[type(exc)]
        return render(request, "dossiers/detail.html", _detail_context(user, dossier, exc), status=status)
    messages.success(request, _("Done: %(action)s.") % {"action": ACTIONS[action].label})
    return redirect("dossiers:detail", code=code)


@login_required
def slip(request: HttpRequest, code: str, form: str) -> HttpResponse:
    from xaso.dossiers.slips import slip_pdf

    dossier = authz.get_dossier_for_user(request.user, code)
    pdf = slip_pdf(dossier, form, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{code}-mau-{form}.pdf"'
    return response


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Form 07: the dossier register of the user's commune as Excel, over a date range."""
    from xaso.dossiers.register import register_xlsx

    user = _staff(request)
    code = request.GET.get("commune") or (str(user.commune_id) if user.commune_id else "")
    if not code:
        return render(request, "dossiers/register.html", {"communes": authz.communes_for_user(user)})
    commune = authz.get_commune_for_user(user, code)
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start") or today.replace(day=1).isoformat())
        end = dt.date.fromisoformat(request.GET.get("end") or today.isoformat())
    except ValueError:
        raise InvalidInput(_("Dates must look like 2026-01-31."), field="start") from None
    if "download" not in request.GET:
        return render(
            request,
            "dossiers/register.html",
            {"commune": commune, "start": start, "end": end, "communes": authz.communes_for_user(user)},
        )
    content = register_xlsx(commune=commune, start=start, end=end)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{commune.code}-{start}-{end}.xlsx"'
    return response


# --- public side ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def submit_online(request: HttpRequest, code: str) -> HttpResponse:
    """Online submission, no account: the dossier waits for the center to receive it."""
    proc = Procedure.objects.filter(code=code, is_active=True).prefetch_related("documents").first()
    if proc is None:
        raise Http404(_("No procedure with code %(code)s.") % {"code": code})
    communes = Commune.objects.order_by("name")
    form = ApplicantForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        commune = communes.filter(
            code=request.POST.get("commune", "0") if request.POST.get("commune", "").isdigit() else 0
        ).first()
        uploads = [
            services.Upload(name=f.name or "file", content=f.read())
            for f in request.FILES.getlist("attachments")
        ]
        try:
            if commune is None:
                raise InvalidInput(
                    _("Choose the commune or ward that should handle your dossier."), field="commune"
                )
            dossier = services.dossier_intake(
                actor=None,
                received_by=commune,
                procedure_code=proc.code,
                channel="online",
                applicant=form.cleaned_data,
                attachments=uploads,
                documents_submitted=[int(i) for i in request.POST.getlist("documents") if i.isdigit()],
            )
        except InvalidInput as exc:
            error = exc
        else:
            return render(request, "dossiers/submitted.html", {"d": dossier})
    return render(
        request,
        "dossiers/submit.html",
        {"proc": proc, "form": form, "communes": communes, "error": error},
        status=422 if error or (request.method == "POST" and not form.is_valid()) else 200,
    )


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    code = (request.GET.get("code") or request.POST.get("code") or "").strip()
    check = (request.GET.get("check") or request.POST.get("check") or "").strip()
    context: dict[str, Any] = {"code": code, "check": check}
    if code and check:
        try:
            dossier = track_lookup(request, code, check)
        except (NotFound, Forbidden) as exc:
            context["error"] = exc
            return render(
                request,
                "dossiers/track.html",
                context,
                status=exc.status if exc.code != "rate_limited" else 429,
            )
        context["view"] = selectors.public_view(dossier)
        context["rating_form"] = (
            RatingForm(request.POST or None) if dossier.status == Status.RETURNED else None
        )
        if (
            request.method == "POST"
            and context["rating_form"] is not None
            and context["rating_form"].is_valid()
        ):
            try:
                services.dossier_rate(
                    code=code,
                    check=check,
                    score=context["rating_form"].cleaned_data["score"],
                    comment=context["rating_form"].cleaned_data["comment"],
                )
                context["thanks"] = True
                context["view"] = selectors.public_view(dossier)
            except Conflict as exc:
                context["error"] = exc
    return render(request, "dossiers/track.html", context)


def track_code(request: HttpRequest, code: str) -> HttpResponse:
    """The address printed as a QR code on slip 01: asks only for the 4 check digits."""
    return redirect(f"{reverse('track')}?code={code}")
