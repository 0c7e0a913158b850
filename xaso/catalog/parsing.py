"""Parse procedure records scraped from Vietnam's National Public Service Portal.

A record is a flat ``dict`` of strings (22 keys, see the project's data notes).
Three of its fields are HTML tables flattened into one string with every cell
glued to the next one; this module splits them back into rows:

* ``cach_thuc_thuc_hien`` -> :class:`Channel` rows (how to submit, time, fee);
* ``thanh_phan_ho_so`` -> :class:`Document` rows, grouped by case headings;
* ``can_cu_phap_ly`` -> :class:`LegalBasis` rows (title + document number).

Nothing is dropped silently: text the parser cannot place in a structured
attribute is kept verbatim in :attr:`ParsedProcedure.unparsed`.  Only the
portal's page furniture (the "Từ khóa / Mô tả / Chọn cơ quan thực hiện ..."
block and the table header cells) is discarded; the keyword and description
cells of that block are kept when they carry content.

When a field is visibly garbled by the scraper (truncated, or holding the
neighbouring section's text) and the record carries ``raw_text``, the section
is re-read from ``raw_text``; the affected keys are listed in
:attr:`ParsedProcedure.repaired_fields`.

The module is pure standard-library Python and has no Django dependency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Final, Literal

__all__ = [
    "CHANNEL_HEADER",
    "DOCUMENT_HEADER",
    "LEGAL_HEADER",
    "NO_INFO",
    "Channel",
    "ChannelKind",
    "CopyKind",
    "Document",
    "LegalBasis",
    "OnlineLevel",
    "ParsedProcedure",
    "RecordError",
    "TimeUnit",
    "UnparsedPiece",
    "parse_record",
]

ChannelKind = Literal["in_person", "online", "postal"]
TimeUnit = Literal["working_days", "days", "hours", "working_hours", "same_day", "months", "unknown"]
CopyKind = Literal["original", "copy", "original_or_copy", ""]
OnlineLevel = Literal["full", "partial", ""]


class RecordError(ValueError):
    """The record is not a usable procedure record (wrong shape or types)."""


# --------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnparsedPiece:
    """Source text the parser could not structure, kept verbatim."""

    field: str
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Channel:
    """One row of the submission-channel table.

    ``fee_amount_vnd`` is the amount stated in the fee cell, in đồng (``0``
    for "Miễn phí", ``None`` when no amount is stated or it is not in đồng).
    ``fee_amount``/``fee_currency`` carry the stated amount in its own
    currency (e.g. ``10`` ``"USD"`` at consular offices).
    ``fee_set_locally`` is true when the fee note says the provincial
    People's Council sets the fee (the portal then often shows "Miễn phí").
    """

    kind: ChannelKind
    time_value: Decimal | None
    time_unit: TimeUnit
    time_text: str
    fee_amount_vnd: int | None
    fee_per_unit: str
    fee_exempt: bool
    fee_text: str
    description: str
    fee_amount: Decimal | None = None
    fee_currency: str = ""
    fee_set_locally: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    """One row of the required-documents table."""

    name: str
    template: str
    quantity: int | None
    original_or_copy: CopyKind
    quantity_text: str
    case: str


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """One legal document the procedure rests on."""

    number: str
    title: str


@dataclass(frozen=True, slots=True)
class ParsedProcedure:
    """A procedure record split into typed, immutable parts."""

    code: str
    name: str
    field: str
    levels: tuple[str, ...]
    procedure_type: str
    decision_number: str
    applicants: str
    steps: tuple[str, ...]
    steps_text: str
    conditions: str
    competent_authority: str
    source_url: str
    channels: tuple[Channel, ...]
    documents: tuple[Document, ...]
    legal_bases: tuple[LegalBasis, ...]
    results: tuple[str, ...]
    online_level: OnlineLevel
    unparsed: tuple[UnparsedPiece, ...]
    result_codes: tuple[str, ...] = ()
    implementing_agency: str = ""
    page_keywords: str = ""
    page_description: str = ""
    repaired_fields: tuple[str, ...] = ()
    document_notes: tuple[str, ...] = ()

    @property
    def needs_review(self) -> bool:
        """True when some source text could not be structured."""
        return bool(self.unparsed)


# --------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------

NO_INFO: Final = "Không có thông tin"

CHANNEL_HEADER: Final = "Hình thức nộpThời gianPhí, lệ phíMô tả"
DOCUMENT_HEADER: Final = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
LEGAL_HEADER: Final = "Tên văn bản pháp lýMã văn bản"

CHANNEL_LABELS: Final[dict[str, ChannelKind]] = {
    "Trực tiếp": "in_person",
    "Trực tuyến": "online",
    "Dịch vụ bưu chính": "postal",
}

# Longest first, so "Ngày làm việc" wins over "Ngày".
TIME_UNITS: Final[tuple[tuple[str, TimeUnit], ...]] = (
    ("ngày làm việc", "working_days"),
    ("giờ làm việc", "working_hours"),
    ("ngày", "days"),
    ("giờ", "hours"),
    ("tháng", "months"),
)

_KIND_RE: Final = re.compile("|".join(re.escape(k) for k in CHANNEL_LABELS))
_CURRENCY: Final = r"(?:Việt Nam Đồng|VNĐ|VND|Đồng|đồng|USD)"
_AMOUNT: Final = r"(?:\d{1,3}(?:[.,]\d{3})+|\d+)"
_FEE_TOKEN: Final = rf"(?:Miễn phí|{NO_INFO}|{_AMOUNT}\s*{_CURRENCY})"
_FEE_TOKEN_RE: Final = re.compile(
    rf"(?P<free>Miễn phí)|(?P<none>{NO_INFO})"
    rf"|(?P<amount>{_AMOUNT})\s*(?P<cur>{_CURRENCY})"
)
# A number, then either a unit and the fee cell, or directly a word-only fee
# cell ("1Miễn phí"); a bare number glued to an amount is handled apart.
_TIME_NUMBER_RE: Final = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)?)(?![\d.,]\d)\s*"
    r"(?:(?P<unit>Ngày làm việc|Giờ làm việc|Ngày|Giờ|Tháng)(?=" + _FEE_TOKEN + r")"
    rf"|(?=Miễn phí|{NO_INFO}))",
    re.IGNORECASE,
)
# "120 VNĐ": a bare one-digit time glued to the amount (customs records).
_GLUED_TIME_FEE_RE: Final = re.compile(rf"(?P<digits>\d[\d.,]*)\s*(?={_CURRENCY})")
_NO_INFO_TIME_RE: Final = re.compile(rf"{NO_INFO}(?={_FEE_TOKEN})")
_FREE_TIME_RE: Final = re.compile(rf"(?P<time>[^\n]{{0,250}}?)(?={_FEE_TOKEN})")
_ENUMERATOR_PAREN_RE: Final = re.compile(r"\(\s*(?:\d{1,2}|[a-zđ]|[ivx]{1,4})\s*\)")
_LOCAL_COUNCIL_RE: Final = re.compile(r"Hội đồng nhân dân|HĐND", re.IGNORECASE)
_PER_UNIT_STOP: Final = frozenset(
    {"về", "của", "đối", "cho", "trong", "khi", "đã", "và", "tại", "theo", "từ", "nếu"}
)

_QUANTITY_RE: Final = re.compile(
    r"(?P<n1>(?<!\d)0\d|\d) ?bản (?P<k1>chính|sao|chụp)"
    r"(?:,(?P<n2>(?<!\d)0\d|\d) ?bản (?P<k2>chính|sao|chụp))?"
)
_TEMPLATE_EXT_RE: Final = re.compile(r"\.(?:docx?|pdf|xlsx?|odt|ods|rtf|zip|rar)$", re.IGNORECASE)
_BULLET_RE: Final = re.compile(r"^[\s\-+*•]+")

# Issuer codes: "NĐ-CP", "TT-BTC", "QĐ-TTg", "QH14", "NQ-UBTVQH15", "BCA-C06",
# "TTLT/BGDĐT-BTC".  Digits belong to a code only in the QH/Cnn forms, so the
# next number's digits ("QH1360/2014/QH13") are not swallowed.
_LEGAL_SEGMENT: Final = r"(?:TTg|(?:UBTV)?QH\d{2}|[A-Z]\d{2}(?!\d)|[A-ZĐĂÂÊÔƠƯ]+)"
_LEGAL_NUMBER_RE: Final = re.compile(
    r"(?P<lead>\d+(?:\.\d{1,3})?(?:\.?[a-z])?)/(?:(?P<year>\d{4})/)?"
    rf"(?P<code>{_LEGAL_SEGMENT}(?:[-/]{_LEGAL_SEGMENT})*)"
    r"|(?P<bare>\d+/\d{4})\s*$"
)
_YEAR_PREFIX_RE: Final = re.compile(r"^(?:19|20)\d\d")

_STEP_MARK_RE: Final = re.compile(r"(?:(?<=\n)|^|(?<=\s))(?:[-+*•]+\s*|[a-zđ]\)\s*)?Bước\s*\d+\s*[:.)\-–]")

_FURNITURE_RE: Final = re.compile(r"Từ khóa|Chọn cơ quan thực hiện")
_KEYWORDS_BLOCK_RE: Final = re.compile(
    r"Từ khóa(?P<kw>.*?)Mô tả(?P<desc>.*?)(?:Chọn cơ quan thực hiện|$)", re.DOTALL
)
_RESULT_CODE_RE: Final = re.compile(r"(?:KQ|TP)[.\-][A-Z]\d{2}\.\d+|\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-KQ\d+")

_FULL_ONLINE_RE: Final = re.compile(r"toàn\s+trình", re.IGNORECASE)
_PARTIAL_ONLINE_RE: Final = re.compile(r"(?:trực\s+tuyến|dịch\s+vụ\s+công)\s+một\s+phần", re.IGNORECASE)

_OPTIONAL_KEYS: Final = (
    "detail_url",
    "so_quyet_dinh",
    "cap_thuc_hien",
    "loai_thu_tuc",
    "linh_vuc",
    "doi_tuong_thuc_hien",
    "co_quan_co_tham_quyen",
    "co_quan_thuc_hien",
    "trinh_tu_thuc_hien",
    "cach_thuc_thuc_hien",
    "thanh_phan_ho_so",
    "can_cu_phap_ly",
    "yeu_cau_dieu_kien",
    "ket_qua_xu_ly",
    "raw_text",
)


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_no_info(text: str) -> bool:
    return text.strip().rstrip(".") in ("", NO_INFO)


def _info(text: str) -> str:
    """The text, or "" when it only says "no information"."""
    return "" if _is_no_info(text) else text.strip()


def _parse_amount(digits: str) -> Decimal | None:
    """'20,000' / '20.000' / '150' -> Decimal; None when not a number."""
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", digits):
        digits = re.sub(r"[.,]", "", digits)
    elif re.fullmatch(r"\d+[.,]\d{1,2}", digits):
        digits = digits.replace(",", ".")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _matching_paren(text: str, start: int) -> int:
    """Index just past the ")" closing the "(" at ``start``.

    An unbalanced group runs to the last ")" in ``text`` (or to its end).
    """
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
    last = text.rfind(")")
    return last + 1 if last > start else len(text)


# --------------------------------------------------------------------------
# Record access and raw_text repair
# --------------------------------------------------------------------------


def _required(record: dict[str, object], key: str) -> str:
    if key not in record:
        raise RecordError(f"{key}: missing required key")
    value = record[key]
    if not isinstance(value, str):
        raise RecordError(f"{key}: expected a string, got {type(value).__name__}")
    if not value.strip():
        raise RecordError(f"{key}: must not be empty")
    return value.strip()


def _optional(record: dict[str, object], key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(f"{key}: expected a string, got {type(value).__name__}")
    return value


def _raw_sections(raw: str) -> dict[str, str]:
    """Cut ``raw_text`` into the sections the flattened fields come from."""
    out: dict[str, str] = {}
    steps_at = raw.find("Trình Tự Thực Hiện")
    channels_at = raw.find("Cách Thức Thực Hiện" + CHANNEL_HEADER[:13])
    if steps_at < 0 or channels_at < steps_at:
        return out
    out["trinh_tu_thuc_hien"] = raw[steps_at + len("Trình Tự Thực Hiện") : channels_at]
    documents_at = raw.find("Thành phần hồ sơ", channels_at)
    if documents_at < 0:
        return out
    legal_marks = list(re.finditer(rf"Căn cứ pháp lý(?={re.escape(LEGAL_HEADER[:19])}|{NO_INFO})", raw))
    if not legal_marks or legal_marks[-1].start() < documents_at:
        return out
    legal = legal_marks[-1]
    out["thanh_phan_ho_so"] = raw[documents_at + len("Thành phần hồ sơ") : legal.start()]
    agency_at = raw.find("Cơ quan thực hiện", legal.end())
    conditions_at = raw.find("Yêu cầu, điều kiện thực hiện", legal.end())
    if agency_at < 0 or conditions_at < agency_at:
        return out
    out["can_cu_phap_ly"] = raw[legal.end() : agency_at]
    body_at = conditions_at + len("Yêu cầu, điều kiện thực hiện")
    results_at = raw.find("Kết quả xử lý", body_at)
    furniture = _FURNITURE_RE.search(raw, body_at)
    furniture_at = furniture.start() if furniture else len(raw)
    if 0 <= results_at < furniture_at:
        out["yeu_cau_dieu_kien"] = raw[body_at:results_at]
        out["ket_qua_xu_ly"] = raw[results_at + len("Kết quả xử lý") : furniture_at]
    else:
        out["yeu_cau_dieu_kien"] = raw[body_at:furniture_at]
        out["ket_qua_xu_ly"] = ""
    return out


_FURNITURE_KEYS: Final = frozenset({"yeu_cau_dieu_kien", "ket_qua_xu_ly"})


def _strip_furniture(text: str) -> str:
    match = _FURNITURE_RE.search(text)
    return text[: match.start()] if match else text


def _section(record: dict[str, object], key: str, raw: str, sections: dict[str, str]) -> tuple[str, bool]:
    """The field's text, or the raw_text section when the field is garbled.

    The raw section wins only when it differs from the field and the field is
    empty or copied from the same page (its text occurs in ``raw_text``); a
    hand-edited field is never overridden.
    """
    value = _optional(record, key)
    if key not in sections:
        return value, False
    candidate = sections[key]
    own = _squash(_strip_furniture(value) if key in _FURNITURE_KEYS else value)
    if own == _squash(candidate):
        return value, False
    if not own or own in _squash(raw):
        return candidate, True
    return value, False


# --------------------------------------------------------------------------
# Channels
# --------------------------------------------------------------------------


def _row_starts(text: str) -> list[tuple[int, int]]:
    """(label start, label end) of each channel-row label in ``text``."""
    starts: list[tuple[int, int]] = []
    for match in _KIND_RE.finditer(text):
        after = text[match.end() :]
        if not after or after[0].isspace() or after[0] in ":-,.;()":
            continue
        if _TIME_NUMBER_RE.match(after) or _GLUED_TIME_FEE_RE.match(after) or _NO_INFO_TIME_RE.match(after):
            starts.append((match.start(), match.end()))
            continue
        free = _FREE_TIME_RE.match(after)
        if free is None:
            continue
        time_text = free.group("time")
        if time_text and not (time_text[0].isupper() or time_text[0].isdigit()):
            continue
        if _KIND_RE.search(time_text):
            continue
        starts.append((match.start(), match.end()))
    return starts


def _parse_time(time_text: str) -> tuple[Decimal | None, TimeUnit, bool]:
    """(value, unit, understood) for the text of a time cell."""
    text = time_text.strip()
    if not text or text.startswith("Không"):
        return None, "unknown", True
    lowered = text.lower()
    if lowered in ("trong ngày", "ngay trong ngày", "trong ngày làm việc"):
        return None, "same_day", True
    match = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(.*)", text)
    if match is None:
        return None, "unknown", False
    value = _parse_amount(match.group(1))
    unit_text = match.group(2).strip().lower()
    if not unit_text:
        return value, "unknown", value is not None
    for label, unit in TIME_UNITS:
        if unit_text == label:
            return value, unit, value is not None
    return value, "unknown", False


def _per_unit(paren: str, amount: Decimal | None) -> str:
    """The unit a fee is charged per ("trang", "bản", ...), from its note."""
    if amount is None or amount == 0:
        return ""
    inner = paren.strip()[1:] if paren.strip().startswith("(") else paren
    lead = re.match(r"\s*/\s*([^)(;,.:]+)", inner)
    candidates: list[str] = []
    if lead:
        candidates.append(lead.group(1))
    else:
        pattern = rf"({_AMOUNT})\s*(?:{_CURRENCY}|vnđ|đ|Đ)\s*/\s*([^)(;,.:]+)"
        for found in re.finditer(pattern, inner):
            stated = _parse_amount(found.group(1))
            if stated is not None and stated in (amount, amount * 1000):
                candidates.append(found.group(2))
                break
    if not candidates:
        return ""
    words: list[str] = []
    for word in candidates[0].split():
        if word.lower() in _PER_UNIT_STOP or len(words) == 4:
            break
        words.append(word)
    return " ".join(words).lower()


@dataclass(frozen=True, slots=True)
class _Fee:
    """The fee cell of a channel row."""

    text: str = ""
    amount: Decimal | None = None
    currency: str = ""
    amount_vnd: int | None = None
    exempt: bool = False
    per_unit: str = ""
    set_locally: bool = False


def _parse_fee(rest: str) -> tuple[_Fee | None, str]:
    """(fee cell, description) of a row tail; no fee when none is recognised."""
    token = _FEE_TOKEN_RE.match(rest)
    if token is None:
        return None, rest
    end = token.end()
    if end < len(rest) and rest[end] == "(" and not _ENUMERATOR_PAREN_RE.match(rest, end):
        end = _matching_paren(rest, end)
    paren = rest[token.end() : end]
    amount: Decimal | None = None
    currency = ""
    amount_vnd: int | None = None
    if token.group("free"):
        amount, currency, amount_vnd = Decimal(0), "VND", 0
    elif token.group("amount"):
        amount = _parse_amount(token.group("amount"))
        currency = "USD" if token.group("cur") == "USD" else "VND"
        if currency == "VND" and amount is not None:
            amount_vnd = int(amount)
    fee = _Fee(
        text=rest[:end],
        amount=amount,
        currency=currency,
        amount_vnd=amount_vnd,
        exempt=bool(token.group("free")),
        per_unit=_per_unit(paren, amount),
        set_locally=bool(_LOCAL_COUNCIL_RE.search(paren)),
    )
    return fee, rest[end:]


def _split_time(body: str) -> tuple[str, str]:
    """(time cell, fee and description) of a row body."""
    match = _TIME_NUMBER_RE.match(body)
    if match:
        return body[: match.end()], body[match.end() :]
    glued = _GLUED_TIME_FEE_RE.match(body)
    if glued:
        # "120 VNĐ": a one-digit time cell glued to a well-formed amount.
        digits = glued.group("digits")
        remainder = digits[1:]
        if len(digits) > 1 and re.fullmatch(r"[1-9]\d{0,2}(?:,\d{3})*|[1-9]\d*", remainder):
            return digits[0], body[1:]
        return "", body
    match = _NO_INFO_TIME_RE.match(body)
    if match:
        return body[: match.end()], body[match.end() :]
    free = _FREE_TIME_RE.match(body)
    if free:
        return free.group("time"), body[free.end() :]
    return "", body


def _parse_channels(text: str) -> tuple[tuple[Channel, ...], list[UnparsedPiece]]:
    key = "cach_thuc_thuc_hien"
    unparsed: list[UnparsedPiece] = []
    if _is_no_info(text):
        return (), unparsed
    stripped = text.strip()
    if not stripped.startswith(CHANNEL_HEADER):
        unparsed.append(UnparsedPiece(key, text, "channel table header not found"))
        return (), unparsed
    body = stripped[len(CHANNEL_HEADER) :]
    starts = _row_starts(body)
    if not starts:
        if body.strip():
            unparsed.append(UnparsedPiece(key, body, "no channel rows found"))
        return (), unparsed
    if body[: starts[0][0]].strip():
        unparsed.append(UnparsedPiece(key, body[: starts[0][0]], "text before the first channel row"))
    channels: list[Channel] = []
    bounds = [*starts, (len(body), len(body))]
    for (label_start, label_end), (next_start, _) in pairwise(bounds):
        kind = CHANNEL_LABELS[body[label_start:label_end]]
        row = body[label_end:next_start]
        time_text, rest = _split_time(row)
        value, unit, time_ok = _parse_time(time_text)
        fee, description = _parse_fee(rest)
        if not time_ok:
            unparsed.append(UnparsedPiece(key, time_text, "time is not a number and unit"))
        if fee is None:
            unparsed.append(UnparsedPiece(key, rest, "fee cell not recognised"))
            fee, description = _Fee(), ""
        channels.append(
            Channel(
                kind=kind,
                time_value=value,
                time_unit=unit,
                time_text=time_text.strip(),
                fee_amount_vnd=fee.amount_vnd,
                fee_per_unit=fee.per_unit,
                fee_exempt=fee.exempt,
                fee_text=fee.text,
                description=description.strip(),
                fee_amount=fee.amount,
                fee_currency=fee.currency,
                fee_set_locally=fee.set_locally,
            )
        )
    return tuple(channels), unparsed


# --------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------


_FILENAME_START_RE: Final = re.compile(
    r"(?:mẫu|mau|mus|phụ\s*lục|phu\s*luc|phuluc|đơn|don|tờ\s*khai|to\s*khai"
    r"|văn\s*bản|bản|giấy|phiếu|danh|biểu|tk\d|pc\d|tt\d|m\d|k?\d+[\s._\-])",
    re.IGNORECASE,
)


def _template_boundaries(prefix: str) -> list[tuple[int, int]]:
    """(index, strength) of places where a glued file name may begin.

    Strength 0: after ".;:)]"; 1: lower case or digit then a capital;
    2: capitals then a capitalised word ("NĐ-CPDanh"); 3: letter then digit.
    """
    found: list[tuple[int, int]] = []
    for index in range(max(1, len(prefix) - 140), len(prefix)):
        before, char = prefix[index - 1], prefix[index]
        if char.isspace():
            continue
        following = prefix[index + 1 : index + 2]
        if before in '.;:)]”’"»' and char not in ".;:)],(":
            if not (before == "." and char.isdigit() and prefix[index - 2 : index - 1].isdigit()):
                found.append((index, 0))
        elif (before.islower() or before.isdigit()) and char.isupper():
            found.append((index, 1))
        elif (
            before.isupper()
            and char.isupper()
            and following.islower()
            and prefix[index - 1 : index + 2] != "TTg"
        ):
            found.append((index, 2))
        elif before.isalpha() and char.isdigit():
            found.append((index, 3))
    return found


def _template_start(prefix: str) -> int:
    """Where a file name glued to the end of ``prefix`` begins."""
    found = _template_boundaries(prefix)
    named = [index for index, kind in found if kind < 3 and _FILENAME_START_RE.match(prefix, index)]
    if named:
        return named[0]
    for strength in (0, 1, 2):
        indexes = [index for index, kind in found if kind == strength]
        if indexes:
            return indexes[0] if strength == 0 else indexes[-1]
    if len(prefix) <= 140:
        return 0
    letters = [index for index, kind in found if kind == 3]
    if letters:
        return letters[-1]
    return prefix.rfind(" ") + 1


def _split_template(text: str) -> tuple[str, str]:
    """(name, template file names) of a document row without its quantity."""
    templates: list[str] = []
    rest = text.rstrip()
    while True:
        ext = _TEMPLATE_EXT_RE.search(rest)
        if ext is None:
            break
        stem = rest[: ext.start()]
        previous = re.search(r"\.(?:docx?|pdf|xlsx?|odt|ods|rtf|zip|rar)", stem, re.I)
        start = _template_start(stem)
        if previous is not None and previous.end() > start:
            start = previous.end()
        templates.insert(0, rest[start:].strip())
        rest = rest[:start]
        if not rest.strip():
            break
    template = "; ".join(templates)
    # A row holding only a file name is named after it.
    return rest.strip() or template, template


def _document_row(text: str, quantity: re.Match[str], case: str) -> Document:
    name, template = _split_template(text)
    name = _BULLET_RE.sub("", name).strip()
    counts: dict[str, int] = {}
    for number_group, kind_group in (("n1", "k1"), ("n2", "k2")):
        kind = quantity.group(kind_group)
        if kind:
            counts[kind] = counts.get(kind, 0) + int(quantity.group(number_group))
    originals = counts.get("chính", 0)
    copies = counts.get("sao", 0) + counts.get("chụp", 0)
    copy_kind: CopyKind
    if originals and copies:
        copy_kind, amount = "original_or_copy", max(originals, copies)
    elif originals:
        copy_kind, amount = "original", originals
    elif copies:
        copy_kind, amount = "copy", copies
    else:
        only = quantity.group("k1")
        copy_kind, amount = ("original" if only == "chính" else "copy"), 0
    return Document(
        name=name,
        template=template,
        quantity=amount,
        original_or_copy=copy_kind,
        quantity_text=quantity.group(0),
        case=case,
    )


def _case_label(heading: str) -> str:
    label = heading.strip()
    return "" if not label.strip("-–*•+ \t\n") else label


def _parse_documents(
    text: str,
) -> tuple[tuple[Document, ...], tuple[str, ...], list[UnparsedPiece]]:
    """Document rows, headings that are notes rather than cases, leftovers."""
    key = "thanh_phan_ho_so"
    unparsed: list[UnparsedPiece] = []
    if _is_no_info(text):
        return (), (), unparsed
    # Only the last of several glued quantity cells is the quantity column;
    # the others end the document's own name ("...: 01 bản chính").
    found = list(_QUANTITY_RE.finditer(text))
    quantities = [
        match
        for index, match in enumerate(found)
        if index + 1 == len(found) or found[index + 1].start() != match.end()
    ]
    # With a single table its heading is a note, not a case ("" by contract).
    single_table = text.count(DOCUMENT_HEADER) <= 1
    documents: list[Document] = []
    notes: list[str] = []
    case = ""
    position = 0
    for quantity in quantities:
        segment = text[position : quantity.start()]
        pieces = segment.split(DOCUMENT_HEADER)
        if len(pieces) > 1:
            # Headings of tables left without rows are kept as notes.
            *empty_tables, heading = (_case_label(piece) for piece in pieces[:-1])
            notes.extend(label for label in empty_tables if label)
            case = heading
            if single_table and case:
                notes.append(case)
                case = ""
        documents.append(_document_row(pieces[-1], quantity, case))
        position = quantity.end()
    tail = text[position:]
    if tail.strip():
        reason = "no document rows found" if not documents else "text after the last row"
        unparsed.append(UnparsedPiece(key, tail, reason))
    return tuple(documents), tuple(notes), unparsed


# --------------------------------------------------------------------------
# Legal bases
# --------------------------------------------------------------------------


def _number_start(text: str, match: re.Match[str]) -> int:
    """Start of a document number whose leading digits may be glued to text.

    "Luật Cư trú 202068/2020/QH14": a title ending in a year is glued to the
    number, so a long all-digit lead starting with a year loses the year.
    """
    if match.group("bare"):
        return match.start("bare")
    start = match.start("lead")
    lead = match.group("lead")
    if not lead.isdigit() or len(lead) <= 4:
        return start
    if _YEAR_PREFIX_RE.match(lead):
        return start + 4
    return start + len(lead) - 3


def _caps_title_cut(text: str, code_start: int, end: int) -> int:
    """Cut an all-capitals title word ("THÔNG TƯ", "QUY ĐỊNH") off a code."""
    segment_start = max(text.rfind("-", code_start, end), text.rfind("/", code_start, end)) + 1
    segment_start = max(segment_start, code_start)
    for cut in range(segment_start + 2, end):
        tail = text[cut:]
        for word in _CAPS_TITLE_WORDS:
            if tail.startswith(word) and not tail[len(word) : len(word) + 1].isalpha():
                return cut
    return end


_CAPS_TITLE_WORDS: Final = (
    "THÔNG TƯ",
    "BỘ",
    "QUY ĐỊNH",
    "QUYẾT ĐỊNH",
    "BAN HÀNH",
    "LUẬT",
    "NGHỊ",
    "SỬA ĐỔI",
    "HƯỚNG DẪN",
    "VỀ",
    "CHỈ THỊ",
)


def _legal_numbers(text: str) -> list[tuple[int, int]]:
    """(start, end) of every document number, glued neighbours disentangled."""
    matches = list(_LEGAL_NUMBER_RE.finditer(text))
    ends: list[int] = []
    for match in matches:
        end = match.end()
        if not match.group("bare"):
            end = _caps_title_cut(text, match.start("code"), end)
            end = _title_word_cut(text, match.start("code"), end)
        ends.append(end)
    # Codes seen with a clean right edge settle where a glued copy ends.
    clean: dict[str, str] = {}
    for match, end in zip(matches, ends, strict=True):
        if not match.group("bare") and not text[end : end + 1].isalpha():
            key = f"{match.group('lead')}/{match.group('year')}"
            clean.setdefault(key, text[match.start("code") : end])
    spans: list[tuple[int, int]] = []
    for match, end in zip(matches, ends, strict=True):
        if not match.group("bare") and text[end : end + 1].isalpha():
            known = clean.get(f"{match.group('lead')}/{match.group('year')}")
            code = text[match.start("code") : end]
            if known and code.startswith(known):
                end = match.start("code") + len(known)
        spans.append((_number_start(text, match), end))
    return spans


def _title_word_cut(text: str, code_start: int, end: int) -> int:
    """Give back a code's last capital when it starts a title word.

    "TT-BTCLuật ..." -> "TT-BTC"; "TT-BCAngày" and "NĐ-CPhông tư" (a lost
    "T") keep their code because no title word starts there.
    """
    if end - 1 <= code_start + 1 or not text[end - 1].isupper():
        return end
    if not text[end : end + 1].islower():
        return end
    tail = text[end - 1 : end + 12]
    shorter = text[code_start : end - 1].rstrip("-/")
    last_segment = re.split(r"[-/]", shorter)[-1]
    if any(tail.startswith(word) for word in _TITLE_WORDS) or (
        last_segment in _ISSUERS or re.fullmatch(r"(?:UBTV)?QH\d\d", last_segment)
    ):
        return code_start + len(shorter)
    return end


_ISSUERS: Final = frozenset(
    {
        "CP",
        "BTC",
        "BCA",
        "BTP",
        "BXD",
        "BYT",
        "BNV",
        "BCT",
        "BQP",
        "BHXH",
        "UBND",
        "BGTVT",
        "BNNMT",
        "BKHĐT",
        "BLĐTBXH",
        "NHNN",
        "TTg",
        "VPCP",
        "BTNMT",
        "BNNPTNT",
        "BVHTTDL",
        "BTTTT",
        "BGDĐT",
        "HĐTP",
        "CTN",
        "BNG",
        "BKHCN",
        "TANDTC",
        "VKSNDTC",
        "VPQH",
        "UBTVQH",
    }
)


_TITLE_WORDS: Final = (
    "Thông",
    "Nghị",
    "Luật",
    "Quyết",
    "Quy",
    "Sửa",
    "Hướng",
    "Về",
    "Pháp",
    "Chỉ",
    "Lệnh",
    "Văn",
    "Công",
    "Bộ",
    "Kế",
    "Phê",
    "Ban",
    "Danh",
    "Hợp",
    "Điều",
    "Nội",
    "Mẫu",
    "Cấp",
    "Đính",
    "Tiêu",
    "Hệ",
    "Thủ",
    "Biểu",
    "Chính",
    "Phí",
    "Lệ",
    "Khoản",
    "Mục",
    "Bãi",
    "Căn",
    "Hiến",
    "Pháp",
    "Ủy",
    "Uỷ",
    "Tổng",
    "Chương",
    "Đề",
    "Kết",
    "Quản",
    "Danh",
    "Hồ",
    "Tài",
)


def _is_code_cell(text: str, spans: list[tuple[int, int]], index: int) -> bool:
    """Whether number ``index`` is the "Mã văn bản" cell ending a row."""
    start, end = spans[index]
    number = text[start:end]
    after = text[end:]
    if not after.strip():
        return True
    if index + 1 < len(spans) and spans[index + 1][0] == end:
        return text[spans[index + 1][0] : spans[index + 1][1]] != number
    first = after[0]
    if first in ",;.:)]/-":
        return False
    glued_left = start > 0 and not text[start - 1].isspace()
    if first.islower():
        # "Thông tư số 53/2025/TT-BCAngày ..." mentions the number inside a
        # title; "... kinh doanh68/2026/NĐ-CPsửa đổi ..." is a code cell
        # followed by a title that starts in lower case.
        return glued_left
    if not first.isspace():
        return True
    following = after.lstrip()
    return glued_left and following[:1].isupper()


def _parse_legal(text: str) -> tuple[tuple[LegalBasis, ...], list[UnparsedPiece]]:
    key = "can_cu_phap_ly"
    unparsed: list[UnparsedPiece] = []
    if _is_no_info(text):
        return (), unparsed
    body = text.strip()
    if body.startswith(LEGAL_HEADER):
        body = body[len(LEGAL_HEADER) :]
    spans = _legal_numbers(body)
    bases: list[LegalBasis] = []
    position = 0
    for index, (start, end) in enumerate(spans):
        if start < position or not _is_code_cell(body, spans, index):
            continue
        title = body[position:start].strip()
        number = body[start:end]
        bases.append(LegalBasis(number=number, title=title))
        position = end
    tail = body[position:]
    if tail.strip():
        reason = "no document number found" if not bases else "title without a number"
        unparsed.append(UnparsedPiece(key, tail, reason))
    return tuple(bases), unparsed


# --------------------------------------------------------------------------
# Steps, results, conditions
# --------------------------------------------------------------------------


def _split_steps(text: str) -> tuple[str, ...]:
    marks = list(_STEP_MARK_RE.finditer(text))
    if len(marks) >= 2:
        cuts = [match.start() for match in marks]
        pieces = [text[: cuts[0]]] + [text[begin:end] for begin, end in pairwise([*cuts, len(text)])]
    else:
        pieces = text.splitlines()
    return tuple(" ".join(piece.split()) for piece in pieces if piece.strip())


def _result_code(text: str) -> tuple[str, str]:
    """(code, text after it) for the text following a "Mã:" label."""
    text = text.lstrip()
    known = _RESULT_CODE_RE.match(text)
    if known:
        return known.group(0), text[known.end() :]
    generic = re.match(r"[A-Za-z0-9]+(?:[.\-_][A-Za-z0-9]+)*", text)
    if generic is None:
        return "", text
    code = generic.group(0)
    rest = text[generic.end() :]
    # "ABCThông báo": the last capital starts the next result's name.
    if rest[:1].islower() and len(code) > 1 and code[-1].isupper():
        code, rest = code[:-1], code[-1] + rest
    return code, rest


def _parse_results(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    body = _strip_furniture(text)
    if _is_no_info(body):
        return (), ()
    names: list[str] = []
    codes: list[str] = []
    chunks = body.split("Mã:")
    pending = chunks[0]
    for chunk in chunks[1:]:
        code, rest = _result_code(chunk)
        names.append(pending.strip())
        codes.append(code)
        pending = rest
    if pending.strip():
        names.append(pending.strip())
        codes.append("")
    kept = [(name, code) for name, code in zip(names, codes, strict=True) if name or code]
    return tuple(name for name, _ in kept), tuple(code for _, code in kept)


def _page_block(raw: str, *fields: str) -> tuple[str, str]:
    """(keywords, description) of the portal's "Từ khóa / Mô tả" block."""
    for source in (raw, *fields):
        match = _KEYWORDS_BLOCK_RE.search(source)
        if match:
            return _info(match.group("kw")), _info(match.group("desc"))
    return "", ""


def _online_level(name: str) -> OnlineLevel:
    if _PARTIAL_ONLINE_RE.search(name):
        return "partial"
    if _FULL_ONLINE_RE.search(name):
        return "full"
    return ""


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def parse_record(record: dict[str, object]) -> ParsedProcedure:
    """Parse one portal record into a :class:`ParsedProcedure`.

    Raises :class:`RecordError` when ``record`` is not a dict, lacks
    ``ma_thu_tuc``/``ten_thu_tuc`` or holds a non-string value.
    """
    if not isinstance(record, dict):
        raise RecordError(f"record: expected a dict, got {type(record).__name__}")
    code = _required(record, "ma_thu_tuc")
    name = _required(record, "ten_thu_tuc")
    for key in _OPTIONAL_KEYS:
        _optional(record, key)

    raw = _optional(record, "raw_text")
    sections = _raw_sections(raw) if raw else {}
    repaired: list[str] = []

    def section(key: str) -> str:
        text, from_raw = _section(record, key, raw, sections)
        if from_raw:
            repaired.append(key)
        return text

    steps_text = section("trinh_tu_thuc_hien")
    channel_text = _optional(record, "cach_thuc_thuc_hien")
    document_text = section("thanh_phan_ho_so")
    legal_text = section("can_cu_phap_ly")
    condition_text = section("yeu_cau_dieu_kien")
    result_text = section("ket_qua_xu_ly")

    channels, channel_issues = _parse_channels(channel_text)
    documents, document_notes, document_issues = _parse_documents(document_text)
    legal_bases, legal_issues = _parse_legal(legal_text)
    results, result_codes = _parse_results(result_text)
    keywords, description = _page_block(
        raw,
        _optional(record, "ket_qua_xu_ly"),
        _optional(record, "yeu_cau_dieu_kien"),
    )

    authority = _info(_optional(record, "co_quan_co_tham_quyen"))
    agency = _info(_optional(record, "co_quan_thuc_hien"))
    levels = tuple(part.strip() for part in _optional(record, "cap_thuc_hien").split(",") if part.strip())
    return ParsedProcedure(
        code=code,
        name=name,
        field=_optional(record, "linh_vuc").strip(),
        levels=levels,
        procedure_type=_optional(record, "loai_thu_tuc").strip(),
        decision_number=_optional(record, "so_quyet_dinh").strip(),
        applicants=_info(_optional(record, "doi_tuong_thuc_hien")),
        steps=_split_steps(steps_text) if not _is_no_info(steps_text) else (),
        steps_text=steps_text.strip(),
        conditions=_info(_strip_furniture(condition_text)),
        competent_authority=authority or agency,
        source_url=_optional(record, "detail_url").strip(),
        channels=channels,
        documents=documents,
        legal_bases=legal_bases,
        results=results,
        online_level=_online_level(name),
        unparsed=tuple(channel_issues + document_issues + legal_issues),
        result_codes=result_codes,
        implementing_agency=agency,
        page_keywords=keywords,
        page_description=description,
        repaired_fields=tuple(repaired),
        document_notes=document_notes,
    )
