"""The dossier workflow in one table: which action moves which status where, and who may.

Every move goes through ``services.dossier_act``, which checks this table, the actor's
role and commune, and the dossier's version, then writes an event."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xaso.accounts.models import Role
from xaso.dossiers.models import Status


@dataclass(frozen=True)
class Action:
    name: str
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change (a hand-off or an extension)
    roles: tuple[str, ...]
    needs_reason: bool = False
    label: str | Promise = ""


S = Status
R = Role
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("receive", (S.SUBMITTED,), S.RECEIVED, (R.RECEPTION_OFFICER,), label=_("Receive the dossier")),
        Action("refuse", (S.SUBMITTED,), S.REFUSED, (R.RECEPTION_OFFICER,), True, _("Refuse (form 03)")),
        Action(
            "request_supplement",
            (S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS),
            S.SUPPLEMENT_REQUESTED,
            (R.RECEPTION_OFFICER, R.SPECIALIST, R.DEPARTMENT_HEAD),
            True,
            _("Request a supplement (form 02)"),
        ),
        Action(
            "supplement_received",
            (S.SUPPLEMENT_REQUESTED,),
            S.IN_PROGRESS,
            (R.RECEPTION_OFFICER, R.SPECIALIST),
            label=_("The applicant supplemented the dossier"),
        ),
        Action(
            "start",
            (S.RECEIVED,),
            S.IN_PROGRESS,
            (R.SPECIALIST, R.DEPARTMENT_HEAD),
            label=_("Start processing"),
        ),
        Action(
            "request_payment",
            (S.IN_PROGRESS,),
            S.FINANCIAL_OBLIGATION,
            (R.SPECIALIST, R.DEPARTMENT_HEAD),
            True,
            _("Ask the applicant to pay a financial obligation"),
        ),
        Action(
            "payment_received",
            (S.FINANCIAL_OBLIGATION,),
            S.IN_PROGRESS,
            (R.RECEPTION_OFFICER, R.SPECIALIST),
            label=_("The applicant paid"),
        ),
        Action(
            "forward",
            (S.IN_PROGRESS,),
            None,
            (R.SPECIALIST, R.DEPARTMENT_HEAD),
            label=_("Send to the leader for sign-off"),
        ),
        Action(
            "approve", (S.IN_PROGRESS,), S.DONE, (R.COMMUNE_LEADER,), label=_("Sign: the result is ready")
        ),
        Action("return_result", (S.DONE,), S.RETURNED, (R.RECEPTION_OFFICER,), label=_("Return the result")),
        Action(
            "withdraw",
            (S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION),
            S.WITHDRAWN,
            (R.RECEPTION_OFFICER,),
            True,
            _("The applicant withdraws the dossier"),
        ),
        Action(
            "stop",
            (S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION),
            S.STOPPED,
            (R.DEPARTMENT_HEAD, R.COMMUNE_LEADER),
            True,
            _("Stop handling (form 05)"),
        ),
        Action(
            "extend",
            (S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION),
            None,
            (R.SPECIALIST, R.DEPARTMENT_HEAD, R.COMMUNE_LEADER),
            True,
            _("Apologise and extend the deadline (form 04)"),
        ),
    )
}

TERMINAL = (S.REFUSED, S.RETURNED, S.WITHDRAWN, S.STOPPED)


def allowed_actions(status: str) -> list[Action]:
    return [a for a in ACTIONS.values() if status in a.sources]
