"""Writes for the catalog: importing records, editing procedures, each commune's offer.

Every change keeps the old version (``ProcedureVersion``) and writes an audit event."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xaso.accounts.models import User
from xaso.audit import events
from xaso.catalog import parsing
from xaso.catalog.importer import FileProblem, iter_sources
from xaso.catalog.models import (
    Channel,
    CommuneProcedure,
    LegalBasis,
    LocalFee,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
)
from xaso.lib.errors import Forbidden, InvalidInput
from xaso.lib.text import fold
from xaso.places.models import Commune

FIELDS_PATH = Path(__file__).parent / "data" / "fields.json"
PROCEDURE_KEYS = (
    "name",
    "field",
    "levels",
    "procedure_type",
    "decision_number",
    "applicants",
    "steps",
    "steps_text",
    "conditions",
    "competent_authority",
    "results",
    "online_level",
    "source_url",
)
CHANNEL_KEYS = (
    "kind",
    "time_value",
    "time_unit",
    "time_text",
    "fee_amount_vnd",
    "fee_amount",
    "fee_currency",
    "fee_per_unit",
    "fee_exempt",
    "fee_set_locally",
    "fee_text",
    "description",
)
DOCUMENT_KEYS = ("name", "template", "quantity", "original_or_copy", "quantity_text", "case")
# How people name a procedure ("làm giấy khai sinh", "gks"; "register a birth"), one per line:
# the catalog's search and the assistant read them. Not in the national records: a new
# procedure gets the shipped ones (``KEYWORDS_PATH``), maintainers edit them, imports keep them.
KEYWORD_KEYS = ("keywords", "keywords_en")
KEYWORDS_PATH = Path(__file__).parent / "data" / "keywords.json"


@cache
def field_settings() -> dict[str, dict[str, Any]]:
    data = json.loads(FIELDS_PATH.read_text(encoding="utf-8"))["fields"]
    return {unicodedata.normalize("NFC", k): v for k, v in data.items()}


@cache
def shipped_keywords() -> dict[str, dict[str, str]]:
    """The shipped keywords by procedure code, as the fields store them (one per line)."""
    if not KEYWORDS_PATH.exists():
        return {}
    data = json.loads(KEYWORDS_PATH.read_text(encoding="utf-8"))["procedures"]
    return {
        code: {"keywords": "\n".join(item.get("vi", [])), "keywords_en": "\n".join(item.get("en", []))}
        for code, item in data.items()
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# Civil-status records state same-day procedures as a bare "1" (reference data notes).
# Law on Civil Status 2014, Art. 16 (birth) and 34 (death): the result is given on the day
# of receipt; Decision 1872/QĐ-BTP: after 15:00, on the next working day.
SAME_DAY_FIELDS = frozenset({"Hộ tịch"})


def interpret_time(field_name: str, channel: dict[str, Any]) -> dict[str, Any]:
    """Catalog rules on top of the parser: a bare "1" in a civil-status record is "same day"."""
    if (
        field_name in SAME_DAY_FIELDS
        and channel["time_unit"] == "unknown"
        and channel["time_value"] == "1"
        and channel["time_text"].strip() == "1"
    ):
        return {**channel, "time_unit": "same_day"}
    return channel


def payload_from_parsed(parsed: parsing.ParsedProcedure) -> dict[str, Any]:
    """The comparable content of a parsed record (the same shape as ``procedure_payload``)."""
    data = asdict(parsed)
    payload = {key: _plain(data[key]) for key in PROCEDURE_KEYS}
    payload["channels"] = [
        interpret_time(parsed.field, {k: _plain(c[k]) for k in CHANNEL_KEYS}) for c in data["channels"]
    ]
    payload["documents"] = [{k: d[k] for k in DOCUMENT_KEYS} for d in data["documents"]]
    payload["legal_bases"] = [{"number": b["number"], "title": b["title"]} for b in data["legal_bases"]]
    payload["review_notes"] = [dict(p) for p in data["unparsed"]]
    return payload


def procedure_payload(proc: Procedure) -> dict[str, Any]:
    """The content of a stored procedure, for versions, hashing and the API."""
    payload = {key: _plain(getattr(proc, key)) for key in PROCEDURE_KEYS}
    payload["channels"] = [{k: _plain(getattr(c, k)) for k in CHANNEL_KEYS} for c in proc.channels.all()]
    payload["documents"] = [{k: getattr(d, k) for k in DOCUMENT_KEYS} for d in proc.documents.all()]
    payload["legal_bases"] = [{"number": b.number, "title": b.title} for b in proc.legal_bases.all()]
    payload["review_notes"] = list(proc.review_notes)
    for key in KEYWORD_KEYS:
        payload[key] = getattr(proc, key)
    return payload


def _search_text(payload: dict[str, Any]) -> str:
    return fold(
        " ".join(
            [payload["name"], payload["field"], payload["applicants"]]
            + [payload.get(key, "") for key in KEYWORD_KEYS]
        )
    )


def _write_children(proc: Procedure, payload: dict[str, Any]) -> None:
    proc.channels.all().delete()
    proc.documents.all().delete()
    proc.legal_bases.all().delete()
    Channel.objects.bulk_create(
        [Channel(procedure=proc, position=i, **c) for i, c in enumerate(payload["channels"])]
    )
    RequiredDocument.objects.bulk_create(
        [RequiredDocument(procedure=proc, position=i, **d) for i, d in enumerate(payload["documents"])]
    )
    LegalBasis.objects.bulk_create(
        [LegalBasis(procedure=proc, position=i, **b) for i, b in enumerate(payload["legal_bases"])]
    )


def _apply(proc: Procedure, payload: dict[str, Any]) -> None:
    for key in (*PROCEDURE_KEYS, *KEYWORD_KEYS):
        setattr(proc, key, payload[key])
    proc.review_notes = payload["review_notes"]
    proc.needs_review = bool(payload["review_notes"])
    settings_for_field = field_settings().get(proc.field, {})
    proc.responsible_department = settings_for_field.get("department", "")
    proc.offered_by_default = settings_for_field.get("offered_by_default", True)
    proc.search_text = _search_text(payload)
    proc.content_hash = _payload_hash(payload)


def procedure_upsert(
    *, parsed: parsing.ParsedProcedure, actor: User | None = None, reason: str = "import"
) -> str:
    """Create or update one procedure from a parsed record: "created", "updated" or "unchanged"."""
    return procedure_upsert_payload(
        code=parsed.code, payload=payload_from_parsed(parsed), actor=actor, reason=reason
    )


@transaction.atomic
def procedure_upsert_payload(
    *,
    code: str,
    payload: dict[str, Any],
    source: str = Procedure.Source.NATIONAL_PORTAL,
    source_notes: str = "",
    actor: User | None = None,
    reason: str = "import",
) -> str:
    """Create or update one procedure from its content; a change keeps the old version.
    Keywords are not part of an import: a new procedure gets the shipped ones, an existing
    one keeps its own."""
    proc = (
        Procedure.objects.select_for_update()
        .prefetch_related("channels", "documents", "legal_bases")
        .filter(code=code)
        .first()
    )
    if proc is None:
        shipped = shipped_keywords().get(code, {})
        payload = {**payload, **{key: shipped.get(key, "") for key in KEYWORD_KEYS}}
    else:
        payload = {**payload, **{key: getattr(proc, key) for key in KEYWORD_KEYS}}
    content_hash = _payload_hash(payload)
    if proc is None:
        proc = Procedure(code=code, source=source, source_notes=source_notes)
        _apply(proc, payload)
        proc.save()
        _write_children(proc, payload)
        events.record(actor=actor, action="procedure.imported", obj=proc, data={"version": 1})
        return "created"
    if proc.content_hash == content_hash and proc.source_notes == source_notes:
        return "unchanged"
    old = procedure_payload(proc)
    changed = sorted(k for k in old if old[k] != payload.get(k))
    if proc.source_notes != source_notes:
        changed.append("source_notes")
    if not changed:  # same content under an older hash (a field added since): nothing to version
        proc.content_hash = content_hash
        proc.save(update_fields=["content_hash"])
        return "unchanged"
    ProcedureVersion.objects.create(
        procedure=proc, version=proc.version, snapshot=old, changed_fields=changed, reason=reason, actor=actor
    )
    _apply(proc, payload)
    proc.source_notes = source_notes
    proc.version += 1
    proc.save()
    _write_children(proc, payload)
    events.record(
        actor=actor, action="procedure.updated", obj=proc, data={"version": proc.version, "changed": changed}
    )
    return "updated"


MANUAL_PATH = Path(__file__).parent / "data" / "manual_procedures.json"
SHIPPED_CATALOG = Path(__file__).parent / "data" / "national_portal_2025.json.gz"


def import_manual_procedures(path: Path = MANUAL_PATH, *, actor: User | None = None) -> ImportSummary:
    """Load hand-entered procedures (structured like ``procedure_payload``, plus ``code``
    and ``source_notes``). Each must name the legal source of its facts."""
    summary = ImportSummary()
    data = json.loads(path.read_text(encoding="utf-8"))
    keys = (*PROCEDURE_KEYS, "channels", "documents", "legal_bases", "review_notes")
    for item in data["procedures"]:
        missing = [k for k in (*keys, "code", "source_notes") if k not in item]
        if missing:
            summary.errors.append(f"{path.name}: {item.get('code', '?')}: missing {', '.join(missing)}")
            continue
        if not item["source_notes"].strip():
            summary.errors.append(f"{path.name}: {item['code']}: source_notes must name the legal source")
            continue
        payload = {k: item[k] for k in keys}
        outcome = procedure_upsert_payload(
            code=item["code"],
            payload=payload,
            source=Procedure.Source.MANUAL,
            source_notes=item["source_notes"],
            actor=actor,
        )
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        summary.needs_review += int(bool(item["review_notes"]))
    return summary


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    needs_review: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def line(self) -> str:
        return (
            f"{self.total} procedures read: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged; {self.needs_review} need review; {len(self.errors)} errors."
        )


def import_procedures(
    paths: list[Path],
    *,
    actor: User | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> ImportSummary:
    """Import every record under ``paths``. Each record is its own transaction, so one bad
    record or file never loses the others; problems are collected in ``errors``."""
    summary = ImportSummary()
    seen = 0
    for item in iter_sources(paths):
        if isinstance(item, FileProblem):
            summary.errors.append(str(item))
            continue
        seen += 1
        try:
            parsed = parsing.parse_record(item.record)
        except parsing.RecordError as exc:
            summary.errors.append(f"{item.path}: record {item.index}: {exc}")
            continue
        outcome = procedure_upsert(parsed=parsed, actor=actor)
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        summary.needs_review += int(parsed.needs_review)
        if progress and (seen % 50 == 0):
            progress(seen, item.label)
    return summary


# --- manual procedures and edits ------------------------------------------------------


@transaction.atomic
def procedure_record_edit(*, proc: Procedure, actor: User | None, before: dict[str, Any] | None) -> Procedure:
    """After a maintainer edited ``proc`` (admin or form): keep the old version, bump the
    version, refresh derived fields and write the audit event."""
    proc.refresh_from_db()
    after = procedure_payload(proc)
    if before is not None and before == after:
        return proc
    changed = sorted(k for k in after if before is None or before.get(k) != after[k])
    if before is not None:
        ProcedureVersion.objects.create(
            procedure=proc,
            version=proc.version,
            snapshot=before,
            changed_fields=changed,
            reason="edit",
            actor=actor,
        )
        proc.version += 1
    proc.search_text = _search_text(after)
    proc.content_hash = _payload_hash(after)
    proc.save(update_fields=["version", "search_text", "content_hash", "updated_at"])
    events.record(
        actor=actor,
        action="procedure.edited" if before is not None else "procedure.created",
        obj=proc,
        data={"version": proc.version, "changed": changed},
    )
    return proc


KEYWORD_MAX = 80  # characters: a keyword is a short phrase, not a question


@transaction.atomic
def procedure_keyword_add(*, actor: User, code: str, phrase: str, english: bool = False) -> Procedure:
    """Add one keyword to a procedure (from the assistant's gaps page, say): a catalog
    maintainer's edit like any other — old version kept, audit event written."""
    from xaso.accounts.authz import can_maintain_catalog

    if not can_maintain_catalog(actor):
        raise Forbidden(_("Only the province's catalog maintainers may change a procedure's keywords."))
    phrase = " ".join((phrase or "").split())
    if len(phrase) < 2:
        raise InvalidInput(
            _("Write the keyword: a short phrase people use for the procedure."), field="phrase"
        )
    if len(phrase) > KEYWORD_MAX:
        raise InvalidInput(
            _(
                "The keyword is too long (%(n)s characters, at most %(max)s): write the short phrase "
                "people use, not the whole question."
            )
            % {"n": len(phrase), "max": KEYWORD_MAX},
            field="phrase",
        )
    proc = Procedure.objects.select_for_update().filter(code=(code or "").strip(), is_active=True).first()
    if proc is None:
        raise InvalidInput(_("No active procedure has the code “%(code)s”.") % {"code": code}, field="code")
    key = "keywords_en" if english else "keywords"
    existing = proc.keyword_list(english=english)
    if fold(phrase) in {fold(k) for k in existing}:
        raise InvalidInput(
            _("“%(phrase)s” is already a keyword of %(code)s.") % {"phrase": phrase, "code": proc.code},
            field="phrase",
        )
    before = procedure_payload(proc)
    setattr(proc, key, "\n".join([*existing, phrase]))
    proc.save(update_fields=[key, "updated_at"])
    return procedure_record_edit(proc=proc, actor=actor, before=before)


# --- a commune's offer ---------------------------------------------------------------


def _check_manager(actor: User, commune: Commune) -> None:
    from xaso.accounts.authz import can_manage_commune

    if not can_manage_commune(actor, commune):
        raise Forbidden("Only the commune's leader or administrator may change its procedures.")


@transaction.atomic
def offer_set(*, actor: User, commune: Commune, procedure: Procedure, offered: bool, note: str = "") -> None:
    _check_manager(actor, commune)
    row = CommuneProcedure.objects.select_for_update().filter(commune=commune, procedure=procedure).first()
    before = row.offered if row else procedure.offered_by_default
    if row is None:
        row = CommuneProcedure(commune=commune, procedure=procedure, offered=offered, note=note)
        row.save()
    else:
        row.offered, row.note = offered, note
        row.save(update_fields=["offered", "note", "updated_at"])
    events.record(
        actor=actor,
        action="offer.changed",
        obj=procedure,
        commune=commune,
        data={"commune": commune.code, "offered_before": before, "offered": offered, "note": note},
    )


@transaction.atomic
def local_fee_set(
    *,
    actor: User,
    commune: Commune,
    procedure: Procedure,
    channel_kind: str,
    amount_vnd: int | None,
    legal_basis: str = "",
) -> None:
    """Set (or with ``amount_vnd=None`` remove) a commune's local fee for one channel."""
    _check_manager(actor, commune)
    if channel_kind not in Channel.Kind.values:
        raise InvalidInput(f"channel must be one of {', '.join(Channel.Kind.values)}", field="channel_kind")
    if amount_vnd is not None and amount_vnd < 0:
        raise InvalidInput("The fee cannot be negative.", field="amount_vnd")
    if amount_vnd is not None and amount_vnd > 100_000_000:
        raise InvalidInput("The fee looks too large (over 100,000,000 VND).", field="amount_vnd")
    row = (
        LocalFee.objects.select_for_update()
        .filter(commune=commune, procedure=procedure, channel_kind=channel_kind)
        .first()
    )
    before = row.amount_vnd if row else None
    if amount_vnd is None:
        if row:
            row.delete()
    elif row is None:
        LocalFee.objects.create(
            commune=commune,
            procedure=procedure,
            channel_kind=channel_kind,
            amount_vnd=amount_vnd,
            legal_basis=legal_basis,
        )
    else:
        row.amount_vnd, row.legal_basis = amount_vnd, legal_basis
        row.save(update_fields=["amount_vnd", "legal_basis", "updated_at"])
    if before != amount_vnd:
        events.record(
            actor=actor,
            action="local_fee.changed",
            obj=procedure,
            commune=commune,
            data={
                "commune": commune.code,
                "channel": channel_kind,
                "before": before,
                "after": amount_vnd,
                "legal_basis": legal_basis,
            },
        )
