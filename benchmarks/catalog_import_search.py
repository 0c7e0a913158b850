"""Catalog import and search speed.

    DJANGO_SETTINGS_MODULE=xaso.settings python benchmarks/catalog_import_search.py [--db sqlite|env]

Imports the shipped catalog (581 national records + hand-entered ones) into a fresh
temporary SQLite database (or the DATABASE_URL database with ``--db env``), re-imports it,
then times 2,000 searches drawn from realistic queries (with and without diacritics,
abbreviations) and prints p50/p95/max in milliseconds, with machine and date.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUERIES = [
    "dang ky khai sinh", "Đăng ký khai sinh", "dk kết hôn", "cccd", "sổ đỏ", "chứng thực bản sao",
    "đăng ký thường trú", "ho khau", "khai tu", "xac nhan tinh trang hon nhan", "giay phep xay dung",
    "tro cap xa hoi", "ho kinh doanh", "bhyt", "nuoi con nuoi", "dang ky lai khai sinh", "cap lai the can cuoc",
    "tam tru", "chung thuc chu ky", "hoa giai", "1.004222", "khai sinh cho con nguoi nuoc ngoai",
    "dat dai chuyen nhuong", "thay doi ho tich", "trich luc", "mai tang phi", "nguoi co cong",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "env"], default="sqlite")
    parser.add_argument("--searches", type=int, default=2000)
    args = parser.parse_args()
    if args.db == "sqlite":
        tmp = tempfile.mkdtemp(prefix="xaso-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["XASO_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xaso.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from xaso.catalog.models import Procedure
    from xaso.catalog.selectors import search_procedures
    from xaso.catalog.services import SHIPPED_CATALOG, import_manual_procedures, import_procedures

    call_command("migrate", verbosity=0)
    Procedure.objects.all().delete()
    print(f"database: {connection.vendor}", file=sys.stderr)
    t0 = time.perf_counter()
    first = import_procedures([SHIPPED_CATALOG])
    import_manual_procedures()
    t1 = time.perf_counter()
    again = import_procedures([SHIPPED_CATALOG])
    t2 = time.perf_counter()
    print(f"import: {first.line()}", file=sys.stderr)
    search_procedures(q="warm up")  # builds the index once
    t3 = time.perf_counter()
    durations = []
    for i in range(args.searches):
        q = QUERIES[i % len(QUERIES)]
        start = time.perf_counter()
        search_procedures(q=q, limit=20)
        durations.append((time.perf_counter() - start) * 1000)
        if (i + 1) % 500 == 0:
            print(f"  {i + 1}/{args.searches} searches", file=sys.stderr)
    durations.sort()
    p95 = durations[int(len(durations) * 0.95) - 1]
    print(
        f"| machine | {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()} |"
    )
    print(f"| date | {datetime.now(UTC):%Y-%m-%d} |")
    print(f"| database | {connection.vendor} |")
    print(f"| first import ({first.total} records) | {t1 - t0:.2f} s |")
    print(f"| re-import (unchanged: {again.unchanged}) | {t2 - t1:.2f} s |")
    print(f"| index build (first search) | {(t3 - t2) * 1000:.0f} ms |")
    print(
        f"| search p50 / p95 / max ({len(durations)} queries) | {statistics.median(durations):.2f} / {p95:.2f} / {durations[-1]:.2f} ms |"
    )


if __name__ == "__main__":
    main()
