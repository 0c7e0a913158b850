"""The assistant's pages: the chat (also the target of the panel on procedure pages), the
officers' right/wrong buttons, and the gaps page for staff."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xaso.accounts.authz import can_maintain_catalog
from xaso.accounts.models import User
from xaso.assistant import selectors, services
from xaso.assistant.api import client_ip
from xaso.catalog.services import procedure_keyword_add
from xaso.lib.errors import Forbidden, InvalidInput
from xaso.places.models import Commune


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@require_http_methods(["GET", "POST"])
def chat(request: HttpRequest) -> HttpResponse:
    """The chat page; a plain form that htmx enhances. POSTs come from it and from the
    panel on each procedure page (with ``procedure`` set)."""
    staff = selectors.is_staff(request.user)
    user = request.user if staff else None
    data = request.POST if request.method == "POST" else request.GET
    default_commune = user.commune_id if isinstance(user, User) else None
    context: dict[str, Any] = {
        "question": "",
        "mode": data.get("mode", "citizen"),
        "commune_code": data.get("commune", "") or (str(default_commune) if default_commune else ""),
        "procedure": data.get("procedure", ""),
        "staff": staff,
        "communes": Commune.objects.order_by("name").only("code", "name"),
    }
    status = 200
    if request.method == "POST":
        context["question"] = data.get("question", "")
        try:
            asked = services.ask(
                question=data.get("question", ""),
                mode=context["mode"],
                commune=selectors.commune_by_code(context["commune_code"] or None),
                context_code=context["procedure"] or None,
                user=user,
                ip=client_ip(request),
            )
        except (InvalidInput, Forbidden) as exc:
            context["error"] = exc.message
            status = exc.status
        else:
            context["exchange"] = {
                "question": " ".join(context["question"].split()),
                "reply": asked.reply,
                "question_id": asked.question.pk if asked.question else None,
            }
            context["question"] = ""
            if asked.reply.top_code and not asked.reply.abstained:
                context["procedure"] = asked.reply.top_code
        if _htmx(request):
            # htmx swaps only successful responses: errors come back as a 200 fragment too.
            context["update_context"] = (
                getattr(getattr(request, "htmx", None), "target", None) == "conversation"
            )
            return render(request, "assistant/_answer.html", context)
    return render(request, "assistant/chat.html", context, status=status)


@login_required
@require_POST
def feedback(request: HttpRequest, question_id: int) -> HttpResponse:
    """An officer marks an answer right or wrong."""
    user = request.user
    assert isinstance(user, User)
    question = selectors.get_question_for_user(user, question_id)
    verdict = request.POST.get("verdict", "")
    services.feedback_record(
        actor=user, question=question, verdict=verdict, note=request.POST.get("note", "")
    )
    if _htmx(request):
        return render(request, "assistant/_feedback.html", {"verdict": verdict, "question_id": question.pk})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("assistant:chat")
    return redirect(target)


def _gaps_page(
    request: HttpRequest, user: User, *, error: InvalidInput | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "assistant/gaps.html",
        {
            "gaps": selectors.gaps_for_user(user),
            "title": _("What the assistant does not know yet"),
            "can_add_keywords": can_maintain_catalog(user),
            "error": error,
            "posted": request.POST if error else {},
        },
        status=status,
    )


@login_required
def gaps(request: HttpRequest) -> HttpResponse:
    """What the assistant could not answer or answered wrongly, most frequent first; a
    catalog maintainer can teach it the missing words as a procedure's keyword."""
    user = request.user
    assert isinstance(user, User)
    return _gaps_page(request, user)


@login_required
@require_POST
def add_keyword(request: HttpRequest) -> HttpResponse:
    """From a gap: add the words people used as a keyword of the right procedure (the
    catalog's search and the assistant pick it up at once). A wrong code or an empty or
    too long phrase re-shows the page with the error and what was typed."""
    user = request.user
    assert isinstance(user, User)
    try:  # the service refuses anyone but a catalog maintainer (Forbidden: a 403 page)
        proc = procedure_keyword_add(
            actor=user,
            code=request.POST.get("code", ""),
            phrase=request.POST.get("phrase", ""),
            english=request.POST.get("language") == "en",
        )
    except InvalidInput as exc:
        return _gaps_page(request, user, error=exc, status=exc.status)
    messages.success(
        request,
        _("Added “%(phrase)s” to the keywords of %(code)s; the assistant and the catalog search use it now.")
        % {"phrase": " ".join(request.POST.get("phrase", "").split()), "code": proc.code},
    )
    return redirect("assistant:gaps")
