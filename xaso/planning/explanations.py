"""The solvers' reasons in the reader's language.

The solver cores (``xaso.planning.assignment``, ``xaso.planning.rotation``) give each reason as
a stable code with parameters; the product stores them as ``{"code", "params"}`` (in
``ProposedAssignment.terms`` and ``RotationMove.reason_terms``) and says them here, with one
translatable sentence per code, under the active language — so the pages, the printable and
Markdown disclosure and the API follow the request's language.  Names, titles and fields come
from the data and stay as they are; competencies, which the cores and the stored reasons name
by code (``PRO.CIVIL``), are said by their names in the workforce framework
(``workforce.Competency``; the English name when reading in English, the code when the
framework does not know it); moments are formatted with Django's date formats
(``"Thứ 5 05/03 14:00"``), numbers with the language's decimal separator.  A code this module
does not know is shown as the code itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from xaso.planning.rotation import RotationError

Params = Mapping[str, Any]


def _number(value: Any) -> str:
    """``3.0`` → ``"3"``, ``1.5`` → ``"1,5"`` in Vietnamese."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(formats.number_format(value))


def _moment(value: Any) -> str:
    """An ISO 8601 date-time as weekday, day/month and time in the active language; any other
    label (a clock of the core's command line) as it is."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return str(formats.date_format(moment, "l d/m H:i"))


# --- work assignment ---------------------------------------------------------------------


def _relative(hours: float) -> str:
    if hours == 0:
        return _("at this moment")
    n = 1 if abs(hours) == 1 else 2
    if hours > 0:
        return ngettext("in %(hours)s working hour", "in %(hours)s working hours", n) % {
            "hours": _number(hours)
        }
    return ngettext("%(hours)s working hour ago", "%(hours)s working hours ago", n) % {
        "hours": _number(-hours)
    }


def _pin(p: Params) -> str:
    reason = p.get("reason") or _("no reason given")
    if p.get("by"):
        return _("kept as set by %(by)s: %(reason)s") % {"by": p["by"], "reason": reason}
    return _("kept as set: %(reason)s") % {"reason": reason}


def _qualification(p: Params) -> str:
    return _("qualified level %(level)s in %(field)s (needs %(required)s)") % {
        "level": p["level"],
        "field": p["field"],
        "required": p["required"],
    }


def _learner(p: Params) -> str:
    return _(
        "learner in %(field)s (level %(level)s, needs %(required)s) with mentor %(mentor)s "
        "(level %(mentor_level)s), where there is slack"
    ) % {
        "field": p["field"],
        "level": p["level"],
        "required": p["required"],
        "mentor": p["mentor"],
        "mentor_level": p["mentor_level"],
    }


def _below_required(p: Params) -> str:
    return _("kept although level %(level)s in %(field)s is below the required %(required)s") % {
        "level": p["level"],
        "field": p["field"],
        "required": p["required"],
    }


def _shared_pool(p: Params) -> str:
    """An officer of another department, through a shared pool (the product adds the names)."""
    return _("through the shared pool %(pool)s (an officer of %(department)s)") % {
        "pool": p.get("pool_name") or p["pool"],
        "department": p.get("department_name") or p["department"],
    }


def _familiarity(p: Params) -> str:
    return _("recent work in %(field)s") % {"field": p["field"]}


def _queue(p: Params) -> str:
    if not p["hours"]:
        return _("no queue before it")
    return _("%(hours)s h of queue before it") % {"hours": _number(p["hours"])}


def _due(p: Params) -> str:
    relative = _relative(float(p["hours"]))
    if p.get("at"):
        return _("due %(moment)s (%(relative)s)") % {"moment": _moment(p["at"]), "relative": relative}
    return _("due %(relative)s") % {"relative": relative}


def _late(p: Params) -> str:
    text = _("late by %(hours)s h of office time") % {"hours": _number(p["hours"])}
    if p.get("nobody_in_time"):
        text += "; " + _("no eligible officer could finish it in time")
    return text


def _chosen_over(p: Params) -> str:
    details = [_("a learner")] if p.get("learner") else []
    details.append(_("level %(level)s") % {"level": p["level"]})
    details.append(_("%(hours)s h queue") % {"hours": _number(p["queue_hours"])})
    if p.get("would_be_late"):
        details.append(_("would be late"))
    return _("chosen over %(name)s (%(details)s)") % {"name": p["name"], "details": ", ".join(details)}


def _only_eligible(p: Params) -> str:
    return _("the only eligible officer")


# The product plans one department at a time, so the reasons nobody may take a dossier speak of
# "this department" (and its shared pool, for a dossier that may go to one: the core's pool id
# then starts with "pool:") rather than the core's pool and commune ids.
def _in_shared_pool(p: Params) -> bool:
    return str(p.get("pool", "")).startswith("pool:")


def _no_officer(p: Params) -> str:
    if _in_shared_pool(p):
        return _("no officer serves this department or its shared pool")
    return _("no officer serves this department")


def _all_absent(p: Params) -> str:
    if _in_shared_pool(p):
        return _("everyone serving this department or its shared pool is absent or on leave")
    return _("everyone serving this department is absent or on leave")


def _no_level(p: Params) -> str:
    return _(
        "nobody available has level %(required)s in %(field)s (highest %(highest)s) "
        "and no learner there has a mentor who does"
    ) % {"required": p["required"], "field": p["field"], "highest": p["highest"]}


ASSIGNMENT: dict[str, Callable[[Params], str]] = {
    "pin": _pin,
    "qualification": _qualification,
    "learner": _learner,
    "below_required": _below_required,
    "shared_pool": _shared_pool,
    "familiarity": _familiarity,
    "queue": _queue,
    "due": _due,
    "late": _late,
    "chosen_over": _chosen_over,
    "only_eligible": _only_eligible,
    "no_officer": _no_officer,
    "all_absent": _all_absent,
    "no_level": _no_level,
}
"""Code → renderer of an assignment term (``assignment.explain``) or unassigned reason."""


# --- rotation ------------------------------------------------------------------------------


def _years(n: Any) -> str:
    return ngettext("%(n)s year", "%(n)s years", int(n)) % {"n": n}


CompetencyNames = Mapping[str, tuple[str, str]]
"""Competency code → (Vietnamese name, English name) from the workforce framework."""


def competency_names(codes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """The names of these competencies in the workforce records (one query; none when empty)."""
    from xaso.workforce.models import Competency  # planning.models imports this module

    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = Competency.objects.filter(code__in=wanted).values_list("code", "name", "name_en")
    return {code: (name, name_en) for code, name, name_en in rows}


def reason_competencies(reasons: Iterable[Mapping[str, Any]]) -> set[str]:
    """The competency codes that stored rotation reasons mention (minimums and trainings)."""
    codes: set[str] = set()
    for reason in reasons:
        params = reason.get("params") if isinstance(reason, Mapping) else None
        if not isinstance(params, Mapping):
            continue
        if isinstance(params.get("levels"), Mapping):
            codes.update(str(code) for code in params["levels"])
        for training in params.get("trainings") or ():
            if isinstance(training, Mapping) and "field" in training:
                codes.add(str(training["field"]))
    return codes


class _Named:
    """A competency's name in the reader's language (English when reading in English and the
    framework has it); the code itself when the framework does not know it."""

    def __init__(self, names: CompetencyNames) -> None:
        self.names = names

    def __call__(self, code: str) -> str:
        vi, en = self.names.get(code, (code, ""))
        return en if en and (get_language() or "vi").startswith("en") else vi or code


def _levels(levels: Mapping[str, Any], named: _Named) -> str:
    return ", ".join(
        _("%(competency)s level %(level)s") % {"competency": named(str(code)), "level": level}
        for code, level in sorted(levels.items())
    ) or _("no minimum levels")


def _lock(p: Params, named: _Named) -> str:
    reason = p.get("reason") or _("no reason given")
    if p.get("by"):
        return _("locked by %(by)s: %(reason)s") % {"by": p["by"], "reason": reason}
    return _("locked: %(reason)s") % {"reason": reason}


def _periodic_transfer(p: Params, named: _Named) -> str:
    return _(
        "periodic transfer: %(tenure)s in %(position)s (%(field)s) at the start of the plan, "
        "period %(period)s, due by %(deadline)s"
    ) % {
        "tenure": _years(p["years"]),
        "position": p["position"],
        "field": p.get("field_label") or p["field"],
        "period": _years(p["period"]),
        "deadline": p["deadline"],
    }


def _departure(left: Mapping[str, Any]) -> str:
    if left.get("retires"):
        return _("%(name)s (retires)") % {"name": left["name"]}
    if left.get("moves_to"):
        return _("%(name)s (moves to %(position)s)") % {"name": left["name"], "position": left["moves_to"]}
    return str(left["name"])


def _fills_seat(p: Params, named: _Named) -> str:
    return _("fills the seat left by %(names)s") % {"names": ", ".join(_departure(x) for x in p["left_by"])}


def _keeps_staffed(p: Params, named: _Named) -> str:
    return _("keeps %(position)s staffed (%(filled)s of %(seats)s seats)") % {
        "position": p["position"],
        "filled": p["filled"],
        "seats": p["seats"],
    }


def _development(p: Params, named: _Named) -> str:
    if p.get("field_label"):
        return _("development: first post in %(field)s for an officer aged %(age)s") % {
            "field": p["field_label"],
            "age": p["age"],
        }
    return _("development: first post in a new field for an officer aged %(age)s") % {"age": p["age"]}


def _succession(p: Params, named: _Named) -> str:
    return _("succession: designated successor for %(position)s") % {"position": p["position"]}


def _meets_minimums(p: Params, named: _Named) -> str:
    return _("meets the minimums of %(position)s (%(levels)s)") % {
        "position": p["position"],
        "levels": _levels(p["levels"], named),
    }


def _meets_after_training(p: Params, named: _Named) -> str:
    trainings = ", ".join(
        _("%(field)s level %(level)s in %(year)s")
        % {"field": named(str(t["field"])), "level": t["level"], "year": t["year"]}
        for t in p["trainings"]
    )
    return _("meets the minimums of %(position)s (%(levels)s) after scheduled training: %(trainings)s") % {
        "position": p["position"],
        "levels": _levels(p["levels"], named),
        "trainings": trainings,
    }


def _inter_commune(p: Params, named: _Named) -> str:
    # The product adds the communes' names (``from_name``, ``to_name``: "Xã Vinh Lộc"); the
    # core gives codes.
    if p.get("from_name") and p.get("to_name"):
        return _("moves between communes: from %(from)s to %(to)s") % {
            "from": p["from_name"],
            "to": p["to_name"],
        }
    return _("moves from commune %(from)s to neighbouring %(to)s") % {"from": p["from"], "to": p["to"]}


ROTATION: dict[str, Callable[[Params, _Named], str]] = {
    "lock": _lock,
    "periodic_transfer": _periodic_transfer,
    "fills_seat": _fills_seat,
    "keeps_staffed": _keeps_staffed,
    "development": _development,
    "succession": _succession,
    "meets_minimums": _meets_minimums,
    "meets_after_training": _meets_after_training,
    "inter_commune": _inter_commune,
}
"""Code → renderer of a move's reason (``rotation.disclosure``; years are calendar years), given
the namer of competencies."""


# --- entry points --------------------------------------------------------------------------


def stored(code: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """A core term or reason as the product stores it."""
    return {"code": code, "params": dict(params)}


def _say(table: Mapping[str, Callable[..., str]], term: Any, *extra: Any) -> str:
    code = str(term.get("code", "")) if isinstance(term, Mapping) else ""
    render = table.get(code)
    if render is None:
        return code
    try:
        return render(term.get("params") or {}, *extra)
    except (KeyError, TypeError, ValueError):  # a stored term of another shape: say its code
        return code


def assignment_term_text(term: Mapping[str, Any]) -> str:
    """One stored assignment term (or unassigned reason) in the active language."""
    return _say(ASSIGNMENT, term)


def assignment_text(terms: Iterable[Mapping[str, Any]]) -> str:
    """A stored explanation in the active language, its terms joined by "; "."""
    return "; ".join(assignment_term_text(term) for term in terms)


def move_reason_text(reason: Mapping[str, Any], *, competencies: CompetencyNames | None = None) -> str:
    """One stored reason of a rotation move in the active language, competencies by name
    (``competencies``: the names already looked up; else this looks them up)."""
    if competencies is None:
        competencies = competency_names(reason_competencies([reason]))
    return _say(ROTATION, reason, _Named(competencies))


def move_reason_texts(
    reasons: Iterable[Mapping[str, Any]], *, competencies: CompetencyNames | None = None
) -> list[str]:
    """A move's stored reasons in the active language (one look-up of the names for all)."""
    reasons = list(reasons)
    if competencies is None:
        competencies = competency_names(reason_competencies(reasons))
    return [move_reason_text(reason, competencies=competencies) for reason in reasons]


def rotation_error_text(
    error: RotationError, *, position_titles: Mapping[str, str], calendar_year: Callable[[int], int]
) -> str:
    """Why the leaders' decisions cannot hold, in the active language (the core's English
    message for errors without a code)."""
    p = error.params
    if error.code == "lock_impossible":
        return _(
            "%(name)s cannot hold %(position)s in %(year)s: not qualified by then, retired, "
            "a rotating post to leave again within the plan, or forbidden"
        ) % {
            "name": p.get("name", ""),
            "position": position_titles.get(str(p.get("position")), p.get("position", "")),
            "year": calendar_year(int(str(p.get("year", 1)))),
        }
    if error.code == "locks_conflict":
        return _("the leaders' locks cannot all hold together (seats, department limits or one move each)")
    return str(error)
