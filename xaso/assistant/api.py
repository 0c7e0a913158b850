"""The assistant's API: ask a question (public for citizens, staff for officer mode), and
officers' verdicts on answers."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja import Status as Reply

from xaso.accounts.models import User
from xaso.api.auth import STAFF_AUTH, token_auth
from xaso.assistant import selectors, services
from xaso.assistant.compose import Reply as Answer
from xaso.lib.errors import Forbidden

router = Router(tags=["assistant"])


class AskIn(Schema):
    question: str
    mode: str = "citizen"
    commune: int | None = None
    procedure: str | None = None  # asked on this procedure's page


class CitationOut(Schema):
    code: str
    name: str
    field: str  # the catalog field (lĩnh vực), as in /procedures
    url: str


class SentenceOut(Schema):
    text: str
    code: str | None  # the procedure the sentence comes from
    source: str  # the procedure field it comes from ("documents", "channels.fee", …), or "rules.…"


class AskOut(Schema):
    answer: str
    citations: list[CitationOut]  # best first
    confidence: float
    abstained: bool
    follow_up: str | None
    language: str
    decision: str
    sentences: list[SentenceOut]
    generated: bool
    question_id: int | None


def _user(request: HttpRequest) -> User | None:
    """The signed-in user: a bearer token first, else the session (public endpoint, so
    neither is required)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = token_auth.authenticate(request, header[7:].strip())
        if user is None:
            raise Forbidden("The API token is not valid.")
        return user
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def answer_out(answer: Answer, question_id: int | None) -> AskOut:
    return AskOut(
        answer=answer.answer,
        citations=[CitationOut(code=c.code, name=c.name, field=c.field, url=c.url) for c in answer.citations],
        confidence=round(answer.confidence, 3),
        abstained=answer.abstained,
        follow_up=answer.follow_up,
        language=answer.language,
        decision=answer.decision,
        sentences=[SentenceOut(text=s.text, code=s.code, source=s.source) for s in answer.sentences],
        generated=answer.generated is not None,
        question_id=question_id,
    )


@router.post("/assistant/ask", response=AskOut, auth=None)
def ask(request: HttpRequest, payload: AskIn) -> AskOut:
    """Answer from the catalog with sources, or say plainly it does not know.
    ``mode="officer"`` (handling guidance) needs a signed-in staff user or an API token."""
    user = _user(request)
    asked = services.ask(
        question=payload.question,
        mode=payload.mode,
        commune=selectors.commune_by_code(payload.commune),
        context_code=payload.procedure,
        user=user,
        ip=client_ip(request),
    )
    return answer_out(asked.reply, asked.question.pk if asked.question else None)


class FeedbackIn(Schema):
    verdict: str  # "right" or "wrong"
    note: str = ""


@router.post("/assistant/questions/{question_id}/feedback", response={201: dict[str, str]}, auth=STAFF_AUTH)
def feedback(request: HttpRequest, question_id: int, payload: FeedbackIn) -> Reply[dict[str, str]]:
    """An officer marks an answer right or wrong (staff of the province)."""
    user = request.user
    assert isinstance(user, User)
    question = selectors.get_question_for_user(user, question_id)
    saved = services.feedback_record(
        actor=user, question=question, verdict=payload.verdict, note=payload.note
    )
    return Reply(201, {"verdict": saved.verdict})
