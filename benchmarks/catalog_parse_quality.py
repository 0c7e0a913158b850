"""Measure how well ``xaso.catalog.parsing`` structures portal records.

Usage::

    python benchmarks/catalog_parse_quality.py PATH [PATH ...]

Each PATH is a ``.json``/``.json.gz`` file or a folder searched recursively
for them.  A file holds one record, a JSON list of records, or
``{"source": ..., "records": [...]}``.

The measures are taken against patterns read straight from the source text,
independently of the parser's own row splitting:

* time: every channel label directly followed by a number ("Trực tuyến7 Ngày
  làm việc", "Trực tiếp1Miễn phí") is a stated time; it counts as parsed when
  a channel of that kind carries the same value and the matching unit
  ("unknown" when the source gives no unit);
* fee: every channel label followed (within its time cell) by "Miễn phí" or
  an amount in VNĐ/USD is a stated fee; it counts as parsed when a channel of
  that kind carries that amount (0 for "Miễn phí");
* documents: a non-empty documents table counts as split when it yields at
  least one item and leaves no unparsed text;
* legal bases: likewise for the legal-basis table.

No Django import: the repository root is put on ``sys.path`` so the parser
module imports on its own.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xaso.catalog.parsing import (
    ParsedProcedure,
    RecordError,
    parse_record,
)

LABELS = {"Trực tiếp": "in_person", "Trực tuyến": "online", "Dịch vụ bưu chính": "postal"}
UNITS = {
    "ngày làm việc": "working_days",
    "giờ làm việc": "working_hours",
    "ngày": "days",
    "giờ": "hours",
    "tháng": "months",
}
CURRENCY = r"(?:Việt Nam Đồng|VNĐ|USD)"
STATED_TIME = re.compile(
    r"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(\d+)(?![\d.,])\s*"
    r"(Ngày làm việc|Giờ làm việc|Ngày|Giờ|Tháng)?"
    rf"(?!\s*{CURRENCY})"
)
STATED_FEE = re.compile(
    r"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)"
    r"((?:(?!Trực tiếp|Trực tuyến|Dịch vụ bưu chính)[^\n(]){0,120}?)"
    rf"(Miễn phí|(\d{{1,3}}(?:,\d{{3}})+|\d+)\s*{CURRENCY})"
)


@dataclass
class Measure:
    """A share of successes with the codes that failed."""

    label: str
    stated: int = 0
    parsed: int = 0
    failed: list[str] = field(default_factory=list)

    def add(self, code: str, ok: bool) -> None:
        self.stated += 1
        if ok:
            self.parsed += 1
        elif code not in self.failed:
            self.failed.append(code)

    def line(self) -> str:
        share = 100.0 * self.parsed / self.stated if self.stated else 100.0
        return f"{self.label}: {self.parsed}/{self.stated} = {share:.1f}%"


def iter_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = [*path.rglob("*.json"), *path.rglob("*.json.gz")]
            files.extend(sorted(found))
        elif path.exists():
            files.append(path)
        else:
            print(f"warning: {path} does not exist", file=sys.stderr)
    return files


def load_records(path: Path) -> list[object]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        return list(data["records"])
    if isinstance(data, list):
        return data
    return [data]


def to_amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def check_times(source: str, parsed: ParsedProcedure, measure: Measure) -> None:
    for match in STATED_TIME.finditer(source):
        kind = LABELS[match.group(1)]
        value = Decimal(match.group(2))
        unit = UNITS[match.group(3).lower()] if match.group(3) else "unknown"
        ok = any(
            channel.kind == kind and channel.time_value == value and channel.time_unit == unit
            for channel in parsed.channels
        )
        measure.add(parsed.code, ok)


def check_fees(source: str, parsed: ParsedProcedure, measure: Measure) -> None:
    for match in STATED_FEE.finditer(source):
        kind = LABELS[match.group(1)]
        if match.group(3) == "Miễn phí":
            expected = Decimal(0)
        else:
            expected = to_amount(match.group(4))
            # "120 VNĐ": a bare one-digit time glued to the amount.
            if not match.group(2) and len(match.group(4)) > 1:
                expected = to_amount(match.group(4)[1:])
        ok = any(channel.kind == kind and channel.fee_amount == expected for channel in parsed.channels)
        measure.add(parsed.code, ok)


def has_content(text: object) -> bool:
    """Whether a table field holds more than "no information"."""
    if not isinstance(text, str):
        return False
    stripped = text.strip()
    return bool(stripped) and not stripped.startswith("Không có thông tin")


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    files = iter_files(argv)
    times = Measure("channel times parsed (value and unit, where stated)")
    fees = Measure("channel fees parsed (amount, where stated)")
    documents = Measure("document lists split into items")
    legal = Measure("legal-basis lists split into items")
    review: list[str] = []
    errors: list[str] = []
    reasons: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    seen = 0
    for file_index, path in enumerate(files, 1):
        try:
            records = load_records(path)
        except (OSError, ValueError) as exc:
            errors.append(f"{path}: {exc}")
            continue
        for record in records:
            seen += 1
            try:
                parsed = parse_record(record)  # type: ignore[arg-type]
            except RecordError as exc:
                errors.append(f"{path}: {exc}")
                continue
            assert isinstance(record, dict)
            source = str(record.get("cach_thuc_thuc_hien") or "")
            check_times(source, parsed, times)
            check_fees(source, parsed, fees)
            if has_content(record.get("thanh_phan_ho_so")) or parsed.documents:
                documents.add(
                    parsed.code,
                    bool(parsed.documents)
                    and not any(p.field == "thanh_phan_ho_so" for p in parsed.unparsed),
                )
            if has_content(record.get("can_cu_phap_ly")):
                legal.add(
                    parsed.code,
                    bool(parsed.legal_bases)
                    and not any(p.field == "can_cu_phap_ly" for p in parsed.unparsed),
                )
            totals["channels"] += len(parsed.channels)
            totals["documents"] += len(parsed.documents)
            totals["documents with template"] += sum(1 for d in parsed.documents if d.template)
            totals["legal bases"] += len(parsed.legal_bases)
            totals["results"] += len(parsed.results)
            totals["bare-number times"] += sum(
                1 for c in parsed.channels if c.time_value is not None and c.time_unit == "unknown"
            )
            totals["fees set by provincial council"] += sum(1 for c in parsed.channels if c.fee_set_locally)
            totals["records repaired from raw_text"] += bool(parsed.repaired_fields)
            if parsed.needs_review:
                review.append(parsed.code)
                for piece in parsed.unparsed:
                    reasons[f"{piece.field}: {piece.reason}"] += 1
            if seen % 100 == 0:
                print(f"... {seen} records ({file_index}/{len(files)} files)", file=sys.stderr)
    print(f"records read: {seen}; rejected: {len(errors)}")
    for key, value in totals.items():
        print(f"  {key}: {value}")
    print()
    for measure in (times, fees, documents, legal):
        print(measure.line())
        if measure.failed:
            print(f"  failed ({len(measure.failed)}): {' '.join(measure.failed)}")
    print()
    print(f"records needing review: {len(review)}")
    if review:
        print(f"  codes: {' '.join(review)}")
        for reason, count in reasons.most_common():
            print(f"  {count:4d} x {reason}")
    for error in errors:
        print(f"rejected: {error}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
