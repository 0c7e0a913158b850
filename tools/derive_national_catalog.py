"""Derive the shipped catalog file from the reference records (run by hand, not at run time).

    python tools/derive_national_catalog.py ../shared/reference/tthc-national-portal

writes ``xaso/catalog/data/national_portal_2025.json.gz``: one bundle with a source note and
every record, in the portal's own format, so ``import_procedures`` reads it like any other
file. Records are kept whole (``raw_text`` included: the ground truth when a field is
garbled); text is NFC-composed and records are sorted by code so the file is reproducible.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xaso.catalog.importer import nfc

OUT = Path(__file__).resolve().parents[1] / "xaso" / "catalog" / "data" / "national_portal_2025.json.gz"
SOURCE = (
    "Procedure pages of the National Public Service Portal (dichvucong.gov.vn), collected in 2025 "
    "after the July 2025 reform: the administrative procedures whose implementing level includes "
    "'Cấp xã'. Public information published by the State; each record keeps its source page "
    "in 'detail_url'."
)


def main(folder: str) -> None:
    files = sorted(Path(folder).glob("*.json"))
    records = []
    for n, path in enumerate(files, start=1):
        records.append(nfc(json.loads(path.read_text(encoding="utf-8"))))
        if n % 100 == 0:
            print(f"  read {n}/{len(files)}", file=sys.stderr)
    records.sort(key=lambda r: r["ma_thu_tuc"])
    bundle = {"source": SOURCE, "count": len(records), "records": records}
    raw = json.dumps(bundle, ensure_ascii=False, indent=0).encode("utf-8")
    OUT.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    print(f"wrote {OUT} ({len(records)} records, {OUT.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/tthc-national-portal")
