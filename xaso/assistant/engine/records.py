"""Procedure records as the assistant sees them: immutable copies of the catalog's fields."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChannelFact:
    kind: str  # "in_person", "online", "postal"
    time_value: float | None = None
    time_unit: str = "unknown"
    time_text: str = ""
    fee_amount_vnd: int | None = None
    fee_amount: float | None = None
    fee_currency: str = ""
    fee_per_unit: str = ""
    fee_exempt: bool = False
    fee_set_locally: bool = False
    fee_text: str = ""


@dataclass(frozen=True)
class DocumentFact:
    name: str
    quantity_text: str = ""
    original_or_copy: str = ""
    template: str = ""
    case: str = ""


@dataclass(frozen=True)
class LegalFact:
    number: str
    title: str = ""


@dataclass(frozen=True)
class ProcRecord:
    """One procedure of the catalog, with every field an answer may cite."""

    code: str
    name: str
    field: str = ""
    applicants: str = ""
    conditions: str = ""
    competent_authority: str = ""
    steps: tuple[str, ...] = ()
    results: tuple[str, ...] = ()
    online_level: str = ""
    offered_by_default: bool = True
    needs_review: bool = False
    channels: tuple[ChannelFact, ...] = ()
    documents: tuple[DocumentFact, ...] = ()
    legal_bases: tuple[LegalFact, ...] = ()
    levels: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()  # how people name it ("làm giấy khai sinh", "gks"), Vietnamese
    keywords_en: tuple[str, ...] = ()  # the same in English ("register a birth")

    @property
    def url(self) -> str:
        return f"/procedures/{self.code}/"
