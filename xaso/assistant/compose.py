"""Answers composed only from catalog facts, each sentence tagged with the procedure field
it comes from; officer guidance adds the one-stop mechanism's generic rules, kept apart.

The wording is English in the source (gettext) and Vietnamese in the translations; an
answer is written in the language of the question, whatever the page's language. Catalog
facts (names, documents, legal bases) stay as the catalog writes them, in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from xaso.assistant.engine import Decision, Outcome, ProcRecord
from xaso.assistant.engine.records import ChannelFact, DocumentFact

NO_INFO = "Không có thông tin"
MAX_DOCUMENTS = 5
MAX_LEGAL = 5
MAX_STEPS = 6
_CONDITIONAL = re.compile(
    r"^\s*(\(|trường hợp|đối với|nếu|người tiếp nhận|cá nhân có quyền|lưu ý)", re.IGNORECASE
)
_CLAUSE = re.compile(r";\s|\.\s|\s\(nếu")


@dataclass(frozen=True)
class Sentence:
    text: str
    code: str | None  # the procedure it comes from; None for the assistant's own words
    source: str  # the procedure field ("documents", "channels.fee", …), or "rules.…"/"assistant"


@dataclass(frozen=True)
class Citation:
    code: str
    name: str
    field: str  # the catalog field (lĩnh vực), as in the catalog API
    url: str


@dataclass
class Reply:
    sentences: list[Sentence]
    citations: list[Citation] = field(default_factory=list)
    confidence: float = 0.0
    abstained: bool = False
    follow_up: str | None = None
    language: str = "vi"
    decision: str = ""
    options: list[Citation] = field(default_factory=list)  # choices offered by a clarifying question
    generated: str | None = None  # a rephrasing by the optional language model

    @property
    def answer(self) -> str:
        if self.generated:
            return self.generated
        return "\n".join(s.text for s in self.sentences)

    @property
    def top_code(self) -> str:
        return self.citations[0].code if self.citations else ""


@dataclass(frozen=True)
class Place:
    """The commune the question is asked for: contacts, offer and local fees."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    offered: frozenset[str] | None = None  # procedure codes its center receives
    local_fees: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (code, channel) → VND


def cite(record: ProcRecord) -> Citation:
    return Citation(code=record.code, name=record.name, field=record.field, url=record.url)


# --- formatting catalog facts -----------------------------------------------------------


def money(amount: int, language: str) -> str:
    if language == "vi":
        return f"{amount:,}".replace(",", ".") + " đồng"
    return f"{amount:,} VND"


def number(value: float) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def channel_label(kind: str) -> str:
    return {"in_person": _("in person"), "online": _("online"), "postal": _("by post")}.get(kind, kind)


def time_text(ch: ChannelFact) -> str | None:
    if ch.time_unit == "same_day":
        return _("the same working day")
    if ch.time_value is not None and ch.time_unit != "unknown":
        unit = {
            "working_days": _("working days"),
            "days": _("days"),
            "working_hours": _("working hours"),
            "hours": _("hours"),
            "months": _("months"),
        }.get(ch.time_unit, ch.time_unit)
        return f"{number(ch.time_value)} {unit}"
    text = ch.time_text.strip()
    if text and text != NO_INFO:
        return text
    return None


def fee_text(ch: ChannelFact, language: str, local: int | None = None) -> str | None:
    if local is not None:
        return _("%(amount)s (set by the commune's province)") % {"amount": money(local, language)}
    if ch.fee_exempt or ch.fee_amount_vnd == 0:
        return _("free of charge")
    if ch.fee_amount_vnd is not None:
        text = money(ch.fee_amount_vnd, language)
        if ch.fee_per_unit:
            text += f" / {ch.fee_per_unit}"
        if ch.fee_set_locally:
            text += " " + _("(the exact amount is set by the provincial People's Council)")
        return text
    if ch.fee_amount is not None:
        text = f"{number(ch.fee_amount)} {ch.fee_currency}".strip()
        return text + (f" / {ch.fee_per_unit}" if ch.fee_per_unit else "")
    raw = ch.fee_text.strip()
    if raw and raw != NO_INFO:
        return raw[:200]
    return None


def _grouped(values: Iterable[tuple[str, str]]) -> str:
    """ "7 working days (in person, online)" from [(value, channel label), …]."""
    groups: dict[str, list[str]] = {}
    for value, label in values:
        groups.setdefault(value, []).append(label)
    if len(groups) == 1:
        return next(iter(groups))
    return "; ".join(f"{value} ({', '.join(labels)})" for value, labels in groups.items())


def main_documents(record: ProcRecord) -> list[DocumentFact]:
    """The documents a person brings: with a quantity, not a note about special cases."""
    main = [
        d
        for d in record.documents
        if re.search(r"[1-9]", d.quantity_text or "1")
        and not _CONDITIONAL.match(d.name)
        and "trong trường hợp" not in d.name.lower()
        and "lưu ý" not in d.case.lower()
    ]
    return main or list(record.documents[:3])


def _document(d: DocumentFact) -> str:
    """A document's name, cut at its first clause when long (the rest is on the page)."""
    name = d.name.strip().rstrip(";.")
    if len(name) > 100:
        name = _CLAUSE.split(name, maxsplit=1)[0]
    if len(name) > 140:
        name = name[:137].rstrip() + "…"
    return f"{name} ({d.quantity_text})" if d.quantity_text else name


# --- citizen answers -------------------------------------------------------------------

DEFAULT_INTENTS = ("documents", "time", "fee", "where")


def procedure_facts(
    record: ProcRecord,
    intents: Iterable[str],
    *,
    language: str,
    place: Place | None,
    review_note: bool = True,
) -> list[Sentence]:
    code = record.code
    out: list[Sentence] = []

    def say(text: str, source: str) -> None:
        out.append(Sentence(text, code, source))

    wanted = [i for i in intents if i not in ("tracking",)] or list(DEFAULT_INTENTS)
    if (
        place is not None
        and place.offered is not None
        and code not in place.offered
        and "where" not in wanted
    ):
        wanted.append("where")  # a commune that does not receive it must say so whatever was asked
    for intent in wanted:
        if intent == "documents":
            docs = main_documents(record)
            if docs:
                shown = docs[:MAX_DOCUMENTS]
                text = _("What to bring: %(list)s.") % {"list": "; ".join(_document(d) for d in shown)}
                if len(record.documents) > len(shown):
                    text += " " + _("Some cases need more papers; the procedure page lists them all.")
                say(text, "documents")
            else:
                say(_("The catalog lists no documents for this procedure."), "documents")
        elif intent == "time":
            times = [(t, channel_label(c.kind)) for c in record.channels if (t := time_text(c))]
            if times:
                say(_("Processing time: %(time)s.") % {"time": _grouped(times)}, "channels.time")
            else:
                say(_("The catalog states no processing time for this procedure."), "channels.time")
        elif intent == "fee":
            fees = []
            for c in record.channels:
                local = place.local_fees.get((code, c.kind)) if place else None
                if fee := fee_text(c, language, local):
                    fees.append((fee, channel_label(c.kind)))
            if fees:
                say(_("Fee: %(fee)s.") % {"fee": _grouped(fees)}, "channels.fee")
            else:
                say(_("The catalog states no fee for this procedure."), "channels.fee")
        elif intent == "where":
            out.extend(_where(record, place=place))
        elif intent == "legal":
            bases = [b for b in record.legal_bases if b.number or b.title][:MAX_LEGAL]
            if bases:
                items = "; ".join(
                    f"{b.number} — {b.title[:120]}" if b.number and b.title else (b.number or b.title[:120])
                    for b in bases
                )
                say(_("Legal basis: %(list)s.") % {"list": items}, "legal_bases")
            else:
                say(_("The catalog states no legal basis for this procedure."), "legal_bases")
        elif intent == "applicants" and record.applicants:
            say(_("Who may apply: %(who)s.") % {"who": record.applicants[:300]}, "applicants")
        elif intent == "result" and record.results:
            say(_("What you receive: %(result)s.") % {"result": "; ".join(record.results)[:300]}, "results")
        elif intent == "conditions":
            if record.conditions.strip() and record.conditions.strip() != NO_INFO:
                say(_("Conditions: %(text)s") % {"text": record.conditions.strip()[:400]}, "conditions")
            else:
                say(_("The catalog states no special conditions."), "conditions")
        elif intent == "steps" and record.steps:
            steps = " ".join(f"{i}) {s.strip()[:200]}" for i, s in enumerate(record.steps[:MAX_STEPS], 1))
            say(_("Steps: %(steps)s") % {"steps": steps}, "steps")
    if record.needs_review and review_note:
        say(
            _("Parts of this procedure are being checked by the catalog team; ask the center if unsure."),
            "needs_review",
        )
    return out


def _where(record: ProcRecord, *, place: Place | None) -> list[Sentence]:
    code = record.code
    out: list[Sentence] = []
    kinds = list(dict.fromkeys(channel_label(c.kind) for c in record.channels))
    if kinds:
        out.append(Sentence(_("Ways to submit: %(ways)s.") % {"ways": ", ".join(kinds)}, code, "channels"))
    if record.online_level == "full":
        out.append(Sentence(_("It can be done fully online, result included."), code, "online_level"))
    elif record.online_level == "partial":
        out.append(
            Sentence(_("It can be submitted online, but part of it is done in person."), code, "online_level")
        )
    offered = record.offered_by_default
    if place is not None and place.offered is not None:
        offered = code in place.offered
        if offered:
            out.append(
                Sentence(
                    _("%(commune)s's Public Administrative Service Center receives this procedure.")
                    % {"commune": place.name},
                    code,
                    "offer",
                )
            )
        else:
            out.append(
                Sentence(
                    _("%(commune)s's center does not receive this procedure; ask it where to go.")
                    % {"commune": place.name},
                    code,
                    "offer",
                )
            )
    elif offered:
        out.append(
            Sentence(
                _("Submit it at the commune's Public Administrative Service Center."),
                code,
                "offered_by_default",
            )
        )
    else:
        out.append(
            Sentence(
                _("The commune's center does not usually receive this procedure."), code, "offered_by_default"
            )
        )
    if record.competent_authority.strip():
        out.append(
            Sentence(
                _("Handled by: %(authority)s.")
                % {"authority": record.competent_authority.strip().rstrip(".")[:200]},
                code,
                "competent_authority",
            )
        )
    return out


def contact_sentence(place: Place | None) -> Sentence:
    if place is None:
        return Sentence(
            _("Ask the commune's Public Administrative Service Center: its officers will guide you."),
            None,
            "assistant",
        )
    details = [d for d in (place.address, place.phone, place.email) if d]
    if details:
        text = _("Ask %(commune)s's Public Administrative Service Center (%(contacts)s).") % {
            "commune": place.name,
            "contacts": ", ".join(details),
        }
    else:
        text = _("Ask %(commune)s's Public Administrative Service Center: its officers will guide you.") % {
            "commune": place.name
        }
    return Sentence(text, None, "assistant")


def citizen_reply(outcome: Outcome, *, place: Place | None = None) -> Reply:
    """The answer to a citizen's question, in the question's language."""
    query = outcome.query
    with override(query.language):
        return _citizen_reply(outcome, place)


def _citizen_reply(outcome: Outcome, place: Place | None) -> Reply:
    query = outcome.query

    def base(reply: Reply) -> Reply:
        reply.language, reply.decision, reply.confidence = (
            query.language,
            str(outcome.decision),
            outcome.confidence,
        )
        return reply

    if outcome.decision == Decision.OUT_OF_SCOPE and query.out_of_scope is not None:
        where = query.out_of_scope.where_vi if query.language == "vi" else query.out_of_scope.where_en
        sentences = [
            Sentence(_("This is not one of the procedures of a commune's service center."), None, "assistant")
        ]
        if where:
            sentences.append(
                Sentence(_("It is usually handled by %(where)s.") % {"where": where}, None, "lexicon")
            )
            sentences.append(contact_sentence(place))
        return base(Reply(sentences, abstained=True))
    if outcome.decision == Decision.EMPTY:
        return base(
            Reply(
                [
                    Sentence(
                        _(
                            "Ask me about a procedure of the commune, for example: “what do I need to register a birth?”, "
                            "“how long does a marriage registration take?”, or give your dossier code and the last "
                            "4 digits of your phone number to track it."
                        ),
                        None,
                        "assistant",
                    )
                ],
                abstained=True,
            )
        )
    if outcome.decision == Decision.ABSTAIN or not outcome.candidates:
        return base(
            Reply(
                [
                    Sentence(
                        _(
                            "I could not find a procedure in the commune's catalog that answers this, so I will not "
                            "guess: a wrong answer about the law is worse than none."
                        ),
                        None,
                        "assistant",
                    ),
                    contact_sentence(place),
                ],
                abstained=True,
            )
        )
    citations = [cite(c.record) for c in outcome.candidates]
    if outcome.decision == Decision.CLARIFY:
        first, second = outcome.candidates[0].record, outcome.candidates[1].record
        follow_up = _("Which one do you mean: “%(a)s” (%(code_a)s) or “%(b)s” (%(code_b)s)?") % {
            "a": first.name,
            "code_a": first.code,
            "b": second.name,
            "code_b": second.code,
        }
        sentences = [
            Sentence(_("Two procedures are close to your question."), None, "assistant"),
            *[
                Sentence(f"{c.record.name} ({c.record.code}) — {c.record.url}", c.record.code, "name")
                for c in outcome.candidates[:2]
            ],
        ]
        return base(Reply(sentences, citations, follow_up=follow_up, options=citations[:2]))
    record = outcome.candidates[0].record
    sentences = [
        Sentence(
            _("The procedure is “%(name)s” (code %(code)s, field: %(field)s).")
            % {"name": record.name, "code": record.code, "field": record.field},
            record.code,
            "name",
        )
    ]
    sentences += procedure_facts(record, sorted(query.intents), language=query.language, place=place)
    sentences.append(Sentence(_("Full details: %(url)s") % {"url": record.url}, record.code, "url"))
    related = outcome.candidates[1:]
    if related:
        sentences.append(
            Sentence(
                _("Related: %(list)s.")
                % {"list": "; ".join(f"{c.record.name} ({c.record.code})" for c in related)},
                None,
                "assistant",
            )
        )
    return base(Reply(sentences, citations))


# --- officer guidance ------------------------------------------------------------------


def officer_reply(outcome: Outcome, *, place: Place | None = None, now: dt.datetime | None = None) -> Reply:
    """Step-by-step handling guidance for an officer: catalog facts first, then the one-stop
    mechanism's generic rules, clearly apart."""
    query = outcome.query
    with override(query.language):
        if outcome.decision != Decision.ANSWER or not outcome.candidates:
            reply = _citizen_reply(outcome, place)
            return reply
        record = outcome.candidates[0].record
        sentences = _officer_catalog(record, query.language, place) + _officer_rules(record, now=now)
        return Reply(
            sentences,
            [cite(c.record) for c in outcome.candidates],
            confidence=outcome.confidence,
            language=query.language,
            decision=str(outcome.decision),
        )


def _officer_catalog(record: ProcRecord, language: str, place: Place | None) -> list[Sentence]:
    code = record.code
    out = [
        Sentence(
            _("From the catalog — “%(name)s” (code %(code)s):") % {"name": record.name, "code": code},
            code,
            "name",
        )
    ]
    who = record.applicants.strip()
    out.append(
        Sentence(
            _("1. Check who is applying: %(who)s.") % {"who": who[:300]}
            if who
            else _("1. Check who is applying: the catalog does not restrict it."),
            code,
            "applicants",
        )
    )
    if record.conditions.strip() and record.conditions.strip() != NO_INFO:
        out.append(
            Sentence(
                _("Conditions to check: %(text)s") % {"text": record.conditions.strip()[:400]},
                code,
                "conditions",
            )
        )
    out.append(Sentence(_("2. Check each document:"), code, "documents"))
    case = None
    for d in record.documents[:25]:
        if d.case and d.case != case:
            case = d.case
            out.append(Sentence(f"{d.case}", code, "documents.case"))
        details = []
        if d.quantity_text:
            details.append(d.quantity_text)
        if d.template:
            details.append(_("form %(template)s") % {"template": d.template[:80]})
        line = "– " + d.name.strip()[:240]
        if details:
            line += f" ({'; '.join(details)})"
        out.append(Sentence(line, code, "documents"))
    if not record.documents:
        out.append(
            Sentence(_("The catalog lists no documents: check with the competent office."), code, "documents")
        )
    facts = procedure_facts(record, ("time", "fee"), language=language, place=place, review_note=False)
    out.extend(Sentence("3. " + s.text, s.code, s.source) for s in facts)
    if record.competent_authority.strip():
        out.append(
            Sentence(
                _("4. Competent authority: %(authority)s.")
                % {"authority": record.competent_authority.strip()[:200]},
                code,
                "competent_authority",
            )
        )
    if record.results:
        out.append(
            Sentence(
                _("Result to hand over: %(result)s.") % {"result": "; ".join(record.results)[:300]},
                code,
                "results",
            )
        )
    if record.steps:
        out.append(Sentence(_("Steps in the catalog:"), code, "steps"))
        out.extend(Sentence(f"– {s.strip()[:300]}", code, "steps") for s in record.steps[:10])
    out.extend(procedure_facts(record, ("legal",), language=language, place=place))
    return out


def _officer_rules(record: ProcRecord, *, now: dt.datetime | None) -> list[Sentence]:
    rules = [
        (
            "rules.heading",
            _(
                "Generic rules of the one-stop mechanism (Decree 118/2025/NĐ-CP, Circular 03/2025/TT-VPCP), "
                "not specific to this procedure:"
            ),
        ),
        (
            "rules.form01",
            _(
                "Complete dossier: issue form 01 (receipt and appointment slip) to the applicant and "
                "attach form 06 (control slip) to the dossier."
            ),
        ),
        (
            "rules.form02",
            _(
                "Something missing or wrong: issue form 02 (request to supplement) listing everything "
                "that is missing, once; the clock pauses until the applicant brings it."
            ),
        ),
        (
            "rules.form03",
            _("Not eligible or not this center's competence: issue form 03 (refusal) with the reasons."),
        ),
        (
            "rules.form04",
            _("If the result will be late: send form 04 (apology and new appointment) before the due date."),
        ),
        (
            "rules.form05",
            _("If handling must stop: issue form 05 (notice that handling stopped) with the reasons."),
        ),
        (
            "rules.deadline",
            _(
                "Deadlines count working days: weekends and public holidays are skipped; a same-day "
                "procedure received after 15:00 is due the next working day; the clock pauses while "
                "waiting for a supplement."
            ),
        ),
    ]
    out = [Sentence(text, None, source) for source, text in rules]
    due = example_due(record, now=now)
    if due is not None:
        received, when = due
        out.append(
            Sentence(
                _("Received now (%(now)s), the appointment would be %(due)s.")
                % {"now": f"{received:%H:%M %d/%m/%Y}", "due": f"{when:%H:%M %d/%m/%Y}"},
                record.code,
                "rules.example",
            )
        )
    return out


def processing_time(record: ProcRecord) -> tuple[Decimal | None, str]:
    """The in-person processing time as the deadline rules use it (see
    ``xaso.dossiers.deadlines.processing_time``)."""
    ordered = [c for c in record.channels if c.kind == "in_person"] + list(record.channels)
    for c in ordered:
        if c.time_unit == "same_day":
            return None, "same_day"
        if c.time_value is not None and c.time_unit in ("working_days", "working_hours", "hours", "days"):
            return Decimal(str(c.time_value)), c.time_unit
        if c.time_value is not None and c.time_unit == "months":
            return Decimal(str(c.time_value)) * 30, "days"
    return None, ""


def example_due(
    record: ProcRecord, *, now: dt.datetime | None = None
) -> tuple[dt.datetime, dt.datetime] | None:
    from xaso.dossiers.deadlines import due_at

    value, unit = processing_time(record)
    if not unit:
        return None
    received = timezone.localtime(now or timezone.now())
    return received, timezone.localtime(due_at(received, value, unit))
