"""Public catalog pages (no login) and the commune offer page (leader/administrator)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xaso.accounts import authz
from xaso.accounts.models import User
from xaso.audit.models import AuditEvent
from xaso.catalog import selectors, services
from xaso.catalog.models import Channel, CommuneProcedure, LocalFee, Procedure
from xaso.lib.errors import Forbidden, InvalidInput
from xaso.places.models import Commune


def _commune_from_query(request: HttpRequest) -> Commune | None:
    raw = request.GET.get("commune", "")
    if not raw.isdigit():
        return None
    return Commune.objects.filter(pk=int(raw)).select_related("province").first()


def index(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    field = request.GET.get("field", "").strip()
    commune = _commune_from_query(request)
    results = (
        selectors.search_procedures(q=q, field=field, commune=commune, limit=600) if (q or field) else []
    )
    page = Paginator(results, 25).get_page(request.GET.get("page"))
    context = {
        "q": q,
        "field": field,
        "commune": commune,
        "page": page,
        "count": len(results),
        "fields": selectors.fields_with_counts(),
        "communes": Commune.objects.order_by("name").only("code", "name"),
    }
    template = "catalog/_results.html" if request.htmx and not request.htmx.boosted else "catalog/index.html"  # type: ignore[attr-defined]  # django-htmx adds request.htmx
    return render(request, template, context)


def detail(request: HttpRequest, code: str) -> HttpResponse:
    proc = (
        Procedure.objects.filter(code=code, is_active=True)
        .prefetch_related("channels", "documents", "legal_bases")
        .first()
    )
    if proc is None:
        raise Http404(_("No procedure with code %(code)s.") % {"code": code})
    commune = _commune_from_query(request)
    documents_by_case: dict[str, list[object]] = {}
    for doc in proc.documents.all():
        documents_by_case.setdefault(doc.case, []).append(doc)
    offered = None
    if commune is not None:
        offered = selectors.is_offered(commune, proc)
    context = {
        "proc": proc,
        "commune": commune,
        "offered": offered,
        "fees": selectors.effective_fees(proc, commune),
        "documents_by_case": documents_by_case,
        "communes": Commune.objects.order_by("name").only("code", "name"),
    }
    return render(request, "catalog/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def commune_offer(request: HttpRequest, code: int) -> HttpResponse:
    """The commune's offer: which procedures its center receives, and local fees."""
    commune = authz.get_commune_for_user(request.user, code)
    can_manage = authz.can_manage_commune(request.user, commune)
    user = request.user
    assert isinstance(user, User)
    error = None
    if request.method == "POST":
        if not can_manage:
            raise Forbidden(_("Only the commune's leader or administrator may change its procedures."))
        proc = Procedure.objects.filter(code=request.POST.get("procedure", "")).first()
        if proc is None:
            error = _("Unknown procedure code.")
        else:
            try:
                if request.POST.get("action") == "offer":
                    services.offer_set(
                        actor=user,
                        commune=commune,
                        procedure=proc,
                        offered=request.POST.get("offered") == "1",
                        note=request.POST.get("note", "")[:300],
                    )
                elif request.POST.get("action") == "fee":
                    raw = request.POST.get("amount_vnd", "").replace(".", "").replace(",", "").strip()
                    if raw and not raw.isdigit():
                        raise InvalidInput(
                            _("The fee must be a whole number of đồng, e.g. 15000."), field="amount_vnd"
                        )
                    services.local_fee_set(
                        actor=user,
                        commune=commune,
                        procedure=proc,
                        channel_kind=request.POST.get("channel_kind", ""),
                        amount_vnd=int(raw) if raw else None,
                        legal_basis=request.POST.get("legal_basis", "")[:300],
                    )
                messages.success(request, _("Saved: %(code)s.") % {"code": proc.code})
                return redirect(f"{request.path}?q={request.POST.get('q', '')}#p-{proc.code}")
            except InvalidInput as exc:
                error = f"{exc.field}: {exc.message}" if exc.field else exc.message
    q = request.GET.get("q", "").strip()
    procs = (
        selectors.search_procedures(q=q, limit=100)
        if q
        else list(Procedure.objects.filter(is_active=True).order_by("field", "name")[:100])
    )
    choices = {c.procedure_id: c for c in CommuneProcedure.objects.filter(commune=commune)}
    fees: dict[int, list[LocalFee]] = {}
    for fee in LocalFee.objects.filter(commune=commune):
        fees.setdefault(fee.procedure_id, []).append(fee)
    rows = [
        {
            "proc": p,
            "offered": choices[p.pk].offered if p.pk in choices else p.offered_by_default,
            "changed": p.pk in choices,
            "fees": fees.get(p.pk, []),
        }
        for p in procs
    ]
    history = AuditEvent.objects.filter(
        commune=commune, action__in=["offer.changed", "local_fee.changed"]
    ).select_related("actor")[:30]
    return render(
        request,
        "catalog/offer.html",
        {
            "commune": commune,
            "rows": rows,
            "q": q,
            "can_manage": can_manage,
            "error": error,
            "history": history,
            "channel_kinds": Channel.Kind.choices,
            "posted": request.POST if error else {},
        },
        status=422 if error else 200,
    )
