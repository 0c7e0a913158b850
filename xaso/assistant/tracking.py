""" "Hồ sơ của tôi đến đâu rồi?": the dossier's public status, under the same rules as public
tracking (``xaso.dossiers.api.track_lookup``): the code and the last 4 digits of the
applicant's phone or ID number must match, failures are counted per address and too many
of them lock the address out for 10 minutes; only the public view is shown."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from xaso.assistant.compose import Citation, Reply, Sentence
from xaso.assistant.engine.privacy import DossierRef
from xaso.dossiers import selectors as dossier_selectors
from xaso.dossiers.models import Dossier


def tracking_reply(ref: DossierRef | None, *, ip: str | None, language: str) -> Reply:
    with override(language):
        return _tracking_reply(ref, ip=ip, language=language)


def _ask_for(text: str, language: str) -> Reply:
    return Reply([Sentence(text, None, "tracking")], follow_up=text, language=language, decision="tracking")


def _tracking_reply(ref: DossierRef | None, *, ip: str | None, language: str) -> Reply:
    track_url = reverse("track")
    if ref is None:
        return _ask_for(
            _(
                "To track a dossier, give its code (printed on the receipt, e.g. 20122-250703-0001) and the "
                "last 4 digits of the phone or ID number given when it was submitted."
            ),
            language,
        )
    if ref.check is None:
        return _ask_for(
            _("Please add the last 4 digits of the phone or ID number given with dossier %(code)s.")
            % {"code": ref.codes[0]},
            language,
        )
    if not dossier_selectors.tracking_allowed(ip):
        return Reply(
            [
                Sentence(
                    _("Too many failed look-ups from your address; try again in 10 minutes."),
                    None,
                    "tracking",
                )
            ],
            abstained=True,
            language=language,
            decision="tracking",
        )
    found = None
    for code in ref.codes:
        dossier = Dossier.objects.select_related("procedure").filter(code=code.strip()).first()
        if dossier is not None and dossier_selectors.tracking_check_matches(dossier, ref.check):
            found = dossier
            break
    if found is None:
        dossier_selectors.tracking_failed(ip, ref.codes[0])
        return Reply(
            [
                Sentence(
                    _("No dossier matches this code and the last 4 digits of the phone or ID number."),
                    None,
                    "tracking",
                ),
                Sentence(
                    _("Check both on your receipt, or use the tracking page: %(url)s") % {"url": track_url},
                    None,
                    "tracking",
                ),
            ],
            abstained=True,
            language=language,
            decision="tracking",
        )
    view = dossier_selectors.public_view(found)
    procedure = found.procedure
    sentences = [
        Sentence(
            _("Dossier %(code)s (%(procedure)s): %(status)s.")
            % {"code": view.code, "procedure": view.procedure_name, "status": view.status_label},
            None,
            "tracking.status",
        )
    ]
    if view.due_at is not None:
        due = timezone.localtime(view.due_at)
        sentences.append(
            Sentence(
                _("Appointment for the result: %(due)s.") % {"due": f"{due:%H:%M %d/%m/%Y}"},
                None,
                "tracking.due",
            )
        )
    if view.paused:
        sentences.append(
            Sentence(_("The clock is paused until the missing papers are brought."), None, "tracking.paused")
        )
    if view.missing_items:
        sentences.append(
            Sentence(
                _("Needed from you: %(items)s.") % {"items": "; ".join(view.missing_items)},
                None,
                "tracking.missing",
            )
        )
    sentences.append(
        Sentence(_("Every step: %(url)s") % {"url": f"{track_url}?code={view.code}"}, None, "tracking.link")
    )
    citation = Citation(
        code=procedure.code, name=procedure.name, field=procedure.field, url=f"/procedures/{procedure.code}/"
    )
    return Reply(sentences, [citation], confidence=1.0, language=language, decision="tracking")
