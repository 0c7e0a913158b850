"""Reads for the assistant: the engine over the catalog, a commune's offer, questions and gaps."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from xaso.accounts.models import User
from xaso.assistant.compose import Place
from xaso.assistant.engine import ChannelFact, DocumentFact, Engine, LegalFact, ProcRecord
from xaso.assistant.models import Feedback, Question
from xaso.catalog.models import LocalFee, Procedure
from xaso.catalog.selectors import procedures_offered
from xaso.lib.errors import Forbidden, InvalidInput, NotFound
from xaso.places.models import Commune

_lock = threading.Lock()
_engine: tuple[tuple[object, ...], Engine] | None = None


def record_of(proc: Procedure) -> ProcRecord:
    """The assistant's copy of a procedure (channels, documents and legal bases prefetched)."""
    return ProcRecord(
        code=proc.code,
        name=proc.name,
        field=proc.field,
        applicants=proc.applicants,
        conditions=proc.conditions,
        competent_authority=proc.competent_authority,
        steps=tuple(str(s) for s in proc.steps),
        results=tuple(str(r) for r in proc.results),
        online_level=proc.online_level,
        offered_by_default=proc.offered_by_default,
        needs_review=proc.needs_review,
        levels=tuple(str(level) for level in proc.levels),
        keywords=tuple(proc.keyword_list()),
        keywords_en=tuple(proc.keyword_list(english=True)),
        channels=tuple(
            ChannelFact(
                kind=c.kind,
                time_value=None if c.time_value is None else float(c.time_value),
                time_unit=c.time_unit,
                time_text=c.time_text,
                fee_amount_vnd=c.fee_amount_vnd,
                fee_amount=None if c.fee_amount is None else float(c.fee_amount),
                fee_currency=c.fee_currency,
                fee_per_unit=c.fee_per_unit,
                fee_exempt=c.fee_exempt,
                fee_set_locally=c.fee_set_locally,
                fee_text=c.fee_text,
            )
            for c in proc.channels.all()
        ),
        documents=tuple(
            DocumentFact(
                name=d.name,
                quantity_text=d.quantity_text,
                original_or_copy=d.original_or_copy,
                template=d.template,
                case=d.case,
            )
            for d in proc.documents.all()
        ),
        legal_bases=tuple(LegalFact(number=b.number, title=b.title) for b in proc.legal_bases.all()),
    )


def procedure_records() -> list[ProcRecord]:
    rows = (
        Procedure.objects.filter(is_active=True)
        .prefetch_related("channels", "documents", "legal_bases")
        .order_by("code")
    )
    return [record_of(p) for p in rows]


def _catalog_key() -> tuple[object, ...]:
    agg = Procedure.objects.filter(is_active=True).aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"])


def assistant_engine() -> Engine:
    """The engine over the active catalog, rebuilt when the catalog changes."""
    global _engine
    key = _catalog_key()
    with _lock:
        if _engine is None or _engine[0] != key:
            _engine = (key, Engine(procedure_records()))
        return _engine[1]


def forget_engine() -> None:
    global _engine
    _engine = None


def offered_codes(commune: Commune) -> set[str]:
    return set(procedures_offered(commune).values_list("code", flat=True))


def commune_by_code(code: int | str | None) -> Commune | None:
    """The commune a question is asked for; an unknown code is the caller's mistake."""
    if code in (None, ""):
        return None
    try:
        commune = Commune.objects.filter(pk=int(str(code))).first()
    except ValueError:
        commune = None
    if commune is None:
        raise InvalidInput(f"No commune with code {code}.", field="commune")
    return commune


def place_for(commune: Commune | None, *, codes: Iterable[str] = ()) -> Place | None:
    """The commune's contacts, its offer, and its local fees for the procedures cited."""
    if commune is None:
        return None
    wanted = list(codes)
    fees = LocalFee.objects.filter(commune=commune, procedure__code__in=wanted).values_list(
        "procedure__code", "channel_kind", "amount_vnd"
    )
    return Place(
        name=commune.name,
        address=commune.address,
        phone=commune.phone,
        email=commune.email,
        offered=frozenset(offered_codes(commune)),
        local_fees={(code, kind): amount for code, kind, amount in fees},
    )


# --- questions, feedback and gaps (staff of the province) -----------------------------


def questions_for_user(user: User) -> QuerySet[Question]:
    """Questions a staff member may review: those asked in their province's communes, and
    those asked without a commune (the deployment serves one province)."""
    qs = Question.objects.all()
    if user.is_superuser:
        return qs
    if user.province_id is None:
        return qs.none()
    return qs.filter(Q(commune__isnull=True) | Q(commune__province_id=user.province_id))


def is_staff(user: object) -> bool:
    return isinstance(user, User) and user.is_authenticated and user.is_active


def get_question_for_user(user: object, question_id: int) -> Question:
    if not isinstance(user, User) or not is_staff(user):
        raise Forbidden("Only signed-in staff may review the assistant's answers.")
    question = Question.objects.filter(pk=question_id).select_related("commune").first()
    if question is None:
        raise NotFound(f"No assistant question {question_id}.")
    if not questions_for_user(user).filter(pk=question.pk).exists():
        raise Forbidden("This question was asked outside your province.")
    return question


@dataclass(frozen=True)
class Gap:
    key: str
    example: str
    asked: int
    unanswered: int
    marked_wrong: int
    marked_right: int
    last_code: str
    last_asked: object


def gaps_for_user(user: User, *, limit: int = 100) -> list[Gap]:
    """What the assistant could not answer, or answered wrongly, most frequent first."""
    qs = questions_for_user(user)
    wrong_ids = set(
        Feedback.objects.filter(verdict=Feedback.Verdict.WRONG).values_list("question_id", flat=True)
    )
    right_ids = set(
        Feedback.objects.filter(verdict=Feedback.Verdict.RIGHT).values_list("question_id", flat=True)
    )
    flagged = qs.filter(Q(abstained=True) | Q(pk__in=wrong_ids))
    keys = list(
        flagged.values("key").annotate(n=Count("id"), last=Max("created_at")).order_by("-n", "-last")[:limit]
    )
    out: list[Gap] = []
    for row in keys:
        group = list(
            qs.filter(key=row["key"]).order_by("-created_at").values("id", "text", "abstained", "top_code")
        )
        out.append(
            Gap(
                key=row["key"],
                example=group[0]["text"],
                asked=len(group),
                unanswered=sum(1 for g in group if g["abstained"]),
                marked_wrong=sum(1 for g in group if g["id"] in wrong_ids),
                marked_right=sum(1 for g in group if g["id"] in right_ids),
                last_code=next((g["top_code"] for g in group if g["top_code"]), ""),
                last_asked=row["last"],
            )
        )
    out.sort(key=lambda g: (-(g.unanswered + g.marked_wrong), -g.asked))
    return out


def verified_answers() -> list[tuple[str, str, bool]]:
    """Officers' verdicts on answers, for the learning loop: (question text without personal
    data, the procedure the assistant answered with, whether the officers judged it right).
    A question with verdicts both ways counts by the majority; ties and declined questions
    are left out."""
    counts: dict[int, list[int]] = {}
    for question_id, verdict in Feedback.objects.values_list("question_id", "verdict"):
        right_wrong = counts.setdefault(question_id, [0, 0])
        right_wrong[0 if verdict == Feedback.Verdict.RIGHT else 1] += 1
    out = []
    questions = Question.objects.filter(pk__in=counts, abstained=False).exclude(top_code="").order_by("pk")
    for q in questions.only("pk", "text", "top_code"):
        right, wrong = counts[q.pk]
        if right != wrong:
            out.append((q.text, q.top_code, right > wrong))
    return out
