"""Writes for the assistant: answering a question (and logging it without personal data),
and officers' verdicts on answers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from xaso.accounts.models import User
from xaso.assistant import selectors
from xaso.assistant.compose import Reply, citizen_reply, officer_reply
from xaso.assistant.engine.privacy import dossier_ref, scrub, strip_personal
from xaso.assistant.engine.text import words
from xaso.assistant.llm import rephrase
from xaso.assistant.models import Feedback, Question
from xaso.assistant.tracking import tracking_reply
from xaso.audit import events
from xaso.lib.errors import Forbidden, InvalidInput
from xaso.places.models import Commune

MAX_QUESTION = 500
MODES = ("citizen", "officer")


@dataclass(frozen=True)
class Asked:
    reply: Reply
    question: Question | None  # the logged row (None when not logged)


def clean_question(text: str | None) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise InvalidInput(_("Type a question."), field="question")
    if len(text) > MAX_QUESTION:
        raise InvalidInput(
            _("A question may be at most %(n)d characters; shorten it.") % {"n": MAX_QUESTION},
            field="question",
        )
    return text


def check_mode(mode: str, user: object) -> str:
    if mode not in MODES:
        raise InvalidInput(_("mode must be “citizen” or “officer”."), field="mode")
    if mode == "officer" and not selectors.is_staff(user):
        raise Forbidden(_("Officer mode is for signed-in staff."))
    return mode


def ask(
    *,
    question: str,
    mode: str = "citizen",
    commune: Commune | None = None,
    context_code: str | None = None,
    user: object = None,
    ip: str | None = None,
    log: bool = True,
) -> Asked:
    """Answer a question from the catalog (or a dossier's public status), and log it."""
    text = clean_question(question)
    check_mode(mode, user)
    engine = selectors.assistant_engine()
    ref = dossier_ref(text)
    asked = strip_personal(text) if ref is None else text
    query = engine.analyse(asked)
    if ref is not None or ("tracking" in query.intents and not query.codes):
        if ref is not None or not query.core:
            reply = tracking_reply(ref, ip=ip, language=query.language)
            return Asked(
                reply,
                question_record(
                    text=text,
                    reply=reply,
                    key_words=(),
                    mode=mode,
                    commune=commune,
                    context_code=context_code,
                    user=user,
                )
                if log
                else None,
            )
    outcome = engine.ask(asked, context=context_code or None)
    place = selectors.place_for(commune, codes=[c.record.code for c in outcome.candidates])
    if mode == "officer":
        reply = officer_reply(outcome, place=place)
    else:
        reply = citizen_reply(outcome, place=place)
    reply = rephrase(reply, question=text)
    logged = None
    if log:
        logged = question_record(
            text=text,
            reply=reply,
            key_words=outcome.query.core,
            mode=mode,
            commune=commune,
            context_code=context_code,
            user=user,
        )
    return Asked(reply, logged)


@transaction.atomic
def question_record(
    *,
    text: str,
    reply: Reply,
    key_words: tuple[str, ...],
    mode: str,
    commune: Commune | None,
    context_code: str | None,
    user: object,
) -> Question:
    """Log a question with personal data removed (ID and phone numbers, e-mail addresses,
    dossier check digits). Questions are not audit events: they change no record."""
    clean = scrub(text)
    key = " ".join(sorted(set(key_words))) or " ".join(words(clean))
    return Question.objects.create(
        text=clean[:600],
        key=key[:300],
        mode=mode,
        language=reply.language,
        commune=commune,
        context_code=(context_code or "")[:40],
        decision=reply.decision[:20],
        top_code=reply.top_code,
        codes=[c.code for c in reply.citations],
        confidence=round(reply.confidence, 3),
        abstained=reply.abstained,
        asked_by=user if isinstance(user, User) and user.is_authenticated else None,
    )


@transaction.atomic
def feedback_record(*, actor: User, question: Question, verdict: str, note: str = "") -> Feedback:
    """An officer marks an answer right or wrong (a new verdict replaces their last one)."""
    if verdict not in Feedback.Verdict.values:
        raise InvalidInput(_("verdict must be “right” or “wrong”."), field="verdict")
    feedback, _created = Feedback.objects.update_or_create(
        question=question, officer=actor, defaults={"verdict": verdict, "note": note[:300]}
    )
    events.record(
        actor=actor,
        action="assistant.feedback",
        obj=feedback,
        commune=question.commune,
        data={"question": question.pk, "verdict": verdict},
    )
    return feedback
