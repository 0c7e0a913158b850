"""Reads for the catalog: search, a commune's offer, effective fees, quality report."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet

from xaso.catalog.models import Channel, CommuneProcedure, LocalFee, Procedure
from xaso.catalog.parsing import NO_INFO
from xaso.catalog.search import SearchDoc, SearchIndex
from xaso.places.models import Commune

_index_lock = threading.Lock()
_index: tuple[tuple[object, ...], SearchIndex] | None = None


def _index_key() -> tuple[object, ...]:
    agg = Procedure.objects.filter(is_active=True).aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"])


def search_index() -> SearchIndex:
    """The BM25 index of active procedures, rebuilt when the catalog changes."""
    global _index
    key = _index_key()
    with _index_lock:
        if _index is None or _index[0] != key:
            rows = Procedure.objects.filter(is_active=True).prefetch_related("documents")
            docs = [
                SearchDoc(
                    key=p.pk,
                    code=p.code,
                    name=p.name,
                    field=p.field,
                    extra=" ".join([p.applicants[:500], *(d.name[:200] for d in p.documents.all())]),
                    keywords=f"{p.keywords}\n{p.keywords_en}",
                )
                for p in rows
            ]
            _index = (key, SearchIndex(docs))
        return _index[1]


def procedures_offered(commune: Commune) -> QuerySet[Procedure]:
    """Procedures a commune's center receives: the defaults, changed by its own choices."""
    choices = CommuneProcedure.objects.filter(commune=commune)
    on = choices.filter(offered=True).values("procedure_id")
    off = choices.filter(offered=False).values("procedure_id")
    return Procedure.objects.filter(is_active=True).filter(
        (Q(offered_by_default=True) & ~Q(pk__in=off)) | Q(pk__in=on)
    )


def is_offered(commune: Commune, procedure: Procedure) -> bool:
    """Whether the commune's center receives the procedure (one small query)."""
    choice = (
        CommuneProcedure.objects.filter(commune=commune, procedure=procedure)
        .values_list("offered", flat=True)
        .first()
    )
    return procedure.offered_by_default if choice is None else bool(choice)


def search_procedures(
    *, q: str = "", field: str = "", commune: Commune | None = None, limit: int = 50
) -> list[Procedure]:
    """Ranked procedures for a query (all of them by field and name when ``q`` is empty)."""
    qs = Procedure.objects.filter(is_active=True)
    if field:
        qs = qs.filter(field=field)
    if commune is not None:
        qs = qs.filter(pk__in=procedures_offered(commune).values("pk"))
    if not q.strip():
        return list(qs.order_by("field", "name")[:limit])
    allowed = set(qs.values_list("pk", flat=True)) if (field or commune) else None
    hits = search_index().search(q, allowed=allowed, limit=limit)
    by_pk = Procedure.objects.in_bulk([h.key for h in hits])
    return [by_pk[h.key] for h in hits if h.key in by_pk]


def fields_with_counts() -> list[tuple[str, int]]:
    rows = Procedure.objects.filter(is_active=True).values("field").annotate(n=Count("id")).order_by("field")
    return [(r["field"], r["n"]) for r in rows]


@dataclass(frozen=True)
class EffectiveFee:
    channel: Channel
    amount_vnd: int | None
    local: LocalFee | None


def effective_fees(procedure: Procedure, commune: Commune | None) -> list[EffectiveFee]:
    """Each channel with its fee, the commune's local fee taking precedence."""
    local = {}
    if commune is not None:
        local = {f.channel_kind: f for f in LocalFee.objects.filter(commune=commune, procedure=procedure)}
    out = []
    for channel in procedure.channels.all():
        override = local.get(channel.kind)
        amount = override.amount_vnd if override else channel.fee_amount_vnd
        out.append(EffectiveFee(channel=channel, amount_vnd=amount, local=override))
    return out


@dataclass
class QualityItem:
    code: str
    name: str
    problems: list[str]


@dataclass
class QualityReport:
    total: int
    items: list[QualityItem] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)

    def by_reason_line(self) -> str:
        return ", ".join(f"{reason}: {n}" for reason, n in self.reasons.most_common()) or "nothing to review"


def catalog_quality_report(*, code: str | None = None) -> QualityReport:
    qs = Procedure.objects.filter(is_active=True).prefetch_related("channels", "documents")
    if code:
        qs = qs.filter(code=code)
    report = QualityReport(total=qs.count())
    for proc in qs:
        problems: list[str] = []
        for note in proc.review_notes:
            reason = str(note.get("reason", "unparsed text"))
            problems.append(f"{note.get('field')}: {reason} — «{str(note.get('text', ''))[:120]}»")
            report.reasons[reason] += 1
        for ch in proc.channels.all():
            if ch.time_unit != Channel.TimeUnit.UNKNOWN:
                continue
            if not ch.time_text.strip() or ch.time_text.strip() == NO_INFO:
                problems.append(f"channel {ch.kind}: the source gives no processing time")
                report.reasons["no processing time in the source"] += 1
            else:
                problems.append(f"channel {ch.kind}: processing time not understood «{ch.time_text[:60]}»")
                report.reasons["time not understood"] += 1
        if not proc.documents.all():
            problems.append("no required documents listed")
            report.reasons["no documents"] += 1
        if proc.source == Procedure.Source.MANUAL and not proc.source_notes.strip():
            problems.append("entered by hand without the legal source of its facts")
            report.reasons["manual without source"] += 1
        if problems:
            report.items.append(QualityItem(code=proc.code, name=proc.name, problems=problems))
    return report
