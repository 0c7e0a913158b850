"""Public catalog API: search and the full structure of a procedure."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from xaso.catalog import selectors
from xaso.catalog.models import Procedure
from xaso.lib.errors import InvalidInput, NotFound
from xaso.places.models import Commune

router = Router(tags=["catalog"])


class ProcedureItem(Schema):
    code: str
    name: str
    field: str
    url: str


class ProcessingTime(Schema):
    value: float | None
    unit: str
    text: str


class Fee(Schema):
    amount_vnd: int | None
    amount: float | None
    currency: str
    per_unit: str
    exempt: bool
    set_locally: bool
    local_override: bool
    text: str


class ChannelOut(Schema):
    kind: str
    processing_time: ProcessingTime
    fee: Fee
    description: str


class DocumentOut(Schema):
    name: str
    template: str
    quantity: int | None
    original_or_copy: str
    quantity_text: str
    case: str


class LegalBasisOut(Schema):
    number: str
    title: str


class ProcedureOut(Schema):
    code: str
    name: str
    field: str
    levels: list[str]
    procedure_type: str
    decision_number: str
    applicants: str
    steps: list[str]
    conditions: str
    competent_authority: str
    results: list[str]
    online_level: str
    responsible_department: str
    channels: list[ChannelOut]
    documents: list[DocumentOut]
    legal_bases: list[LegalBasisOut]
    source: str
    source_url: str
    source_notes: str
    needs_review: bool
    version: int
    offered: bool | None


class SearchParams(Schema):
    q: str = ""
    field: str = ""
    commune: int | None = None
    limit: int = 20


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _commune(code: int | None) -> Commune | None:
    if code is None:
        return None
    commune = Commune.objects.filter(pk=code).first()
    if commune is None:
        raise InvalidInput(f"No commune with code {code}.", field="commune")
    return commune


@router.get("/procedures", response=list[ProcedureItem], auth=None)
def list_procedures(request: HttpRequest, params: Query[SearchParams]) -> list[ProcedureItem]:
    """Ranked search (best first); without ``q``, all procedures of the field by name."""
    if not 1 <= params.limit <= 200:
        raise InvalidInput("limit must be between 1 and 200.", field="limit")
    if len(params.q) > 200:
        raise InvalidInput("q must be at most 200 characters.", field="q")
    commune = _commune(params.commune)
    found = selectors.search_procedures(q=params.q, field=params.field, commune=commune, limit=params.limit)
    return [
        ProcedureItem(code=p.code, name=p.name, field=p.field, url=f"/procedures/{p.code}/") for p in found
    ]


@router.get("/procedures/{code}", response=ProcedureOut, auth=None)
def get_procedure(request: HttpRequest, code: str, commune: int | None = None) -> ProcedureOut:
    proc = (
        Procedure.objects.filter(code=code, is_active=True)
        .prefetch_related("channels", "documents", "legal_bases")
        .first()
    )
    if proc is None:
        raise NotFound(f"No procedure with code {code}.")
    place = _commune(commune)
    channels = [
        ChannelOut(
            kind=f.channel.kind,
            processing_time=ProcessingTime(
                value=_number(f.channel.time_value), unit=f.channel.time_unit, text=f.channel.time_text
            ),
            fee=Fee(
                amount_vnd=f.amount_vnd,
                amount=_number(f.channel.fee_amount),
                currency=f.channel.fee_currency,
                per_unit=f.channel.fee_per_unit,
                exempt=f.channel.fee_exempt,
                set_locally=f.channel.fee_set_locally,
                local_override=f.local is not None,
                text=f.channel.fee_text,
            ),
            description=f.channel.description,
        )
        for f in selectors.effective_fees(proc, place)
    ]
    return ProcedureOut(
        code=proc.code,
        name=proc.name,
        field=proc.field,
        levels=proc.levels,
        procedure_type=proc.procedure_type,
        decision_number=proc.decision_number,
        applicants=proc.applicants,
        steps=proc.steps,
        conditions=proc.conditions,
        competent_authority=proc.competent_authority,
        results=proc.results,
        online_level=proc.online_level,
        responsible_department=proc.responsible_department,
        channels=channels,
        documents=[DocumentOut.model_validate(d, from_attributes=True) for d in proc.documents.all()],
        legal_bases=[LegalBasisOut(number=b.number, title=b.title) for b in proc.legal_bases.all()],
        source=proc.source,
        source_url=proc.source_url,
        source_notes=proc.source_notes,
        needs_review=proc.needs_review,
        version=proc.version,
        offered=selectors.is_offered(place, proc) if place else None,
    )
