"""Dashboards at scale: 1,000,000 dossiers in PostgreSQL.

    python benchmarks/insights_scale.py [--dossiers 1000000] [--keep]

Creates a throw-away database with the demo base (places, staff, catalog, demo dossiers),
then generates the rest of the dossiers in SQL (``generate_series``: spread over 3 years
and Huế's 40 communes, with due times, finish times, a late share, ratings and fees),
ANALYZEs, and times — in the Django process, as a page request — the province dashboard
and one commune's dashboard and index API, printing the query count of each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._server import machine_line, prepare_database, psql

GENERATE = """
INSERT INTO dossiers_dossier (
  code, channel, status, applicant_name, applicant_id_number, applicant_phone, applicant_email, applicant_address,
  submitted_at, received_at, due_at, original_due_at, time_value, time_unit, pauses, finished_at, returned_at,
  closed_at, fee_vnd, paid_online, missing_items, result_note, late, due_warning_sent, version, assignee_id,
  commune_id, created_by_id, department_id, procedure_id, received_by_id)
SELECT
  'BENCH-' || g,
  CASE WHEN g % 3 = 0 THEN 'online' ELSE 'in_person' END,
  CASE WHEN s.submitted > now() - interval '10 days' AND g % 4 <> 0 THEN 'in_progress'
       WHEN g % 97 = 0 THEN 'refused' ELSE 'returned' END,
  'Người nộp ' || g, lpad((46000000000 + g)::text, 12, '0'), '09' || lpad((g % 100000000)::text, 8, '0'), '',
  'Huế',
  s.submitted, s.submitted, s.submitted + interval '5 days', s.submitted + interval '5 days', 5, 'working_days',
  '[]'::jsonb,
  CASE WHEN s.submitted > now() - interval '10 days' AND g % 4 <> 0 THEN NULL
       WHEN g % 97 = 0 THEN NULL
       ELSE s.submitted + (CASE WHEN g % 13 = 0 THEN interval '7 days' ELSE interval '3 days' END) END,
  NULL,
  CASE WHEN g % 97 = 0 THEN s.submitted + interval '1 hour' ELSE NULL END,
  CASE WHEN g % 5 = 0 THEN 20000 ELSE 0 END, g % 10 = 0, '[]'::jsonb, '',
  (g % 13 = 0 AND NOT (s.submitted > now() - interval '10 days' AND g % 4 <> 0)), false, 1, NULL,
  c.codes[1 + g % array_length(c.codes, 1)], NULL, NULL,
  p.ids[1 + g % array_length(p.ids, 1)],
  c.codes[1 + g % array_length(c.codes, 1)]
FROM generate_series(1, {n}) AS g
CROSS JOIN (SELECT array_agg(code ORDER BY code) AS codes FROM places_commune WHERE province_id = 46) c
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM catalog_procedure WHERE offered_by_default) p
CROSS JOIN LATERAL (SELECT now() - (g % 1095) * interval '1 day' - (g % 480) * interval '1 minute' AS submitted) s
"""

RATINGS = """
INSERT INTO dossiers_rating (dossier_id, score, comment, at)
SELECT id, CASE WHEN late THEN 1 WHEN id % 7 = 0 THEN 3 ELSE 4 END, '', finished_at
FROM dossiers_dossier WHERE code LIKE 'BENCH-%' AND finished_at IS NOT NULL AND id % 3 = 0
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = prepare_database("xaso_bench_insights")
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from xaso.accounts.models import User
    from xaso.dossiers.models import Dossier

    existing = Dossier.objects.count()
    print(f"generating {args.dossiers - existing:,} dossiers in SQL…", file=sys.stderr)
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(GENERATE.replace("{n}", str(max(0, args.dossiers - existing))))
        cursor.execute(RATINGS)
        cursor.execute("ANALYZE")
    print(
        f"  done in {time.monotonic() - started:.0f} s; {Dossier.objects.count():,} dossiers", file=sys.stderr
    )
    period = f"{timezone.localdate():%Y-%m}"
    manager = Client()
    manager.force_login(User.objects.get(username="province.manager"))
    leader = Client()
    leader.force_login(User.objects.get(username="leader.vinhloc"))
    pages = {
        "province dashboard": (manager, f"/insights/province/?period={period}&sort=on_time&dir=desc"),
        "province dashboard, a year": (manager, f"/insights/province/?period={period[:4]}"),
        "commune dashboard": (leader, f"/insights/commune/20122/?period={period}"),
        "commune index API": (leader, f"/api/v1/insights/index?commune=20122&period={period}"),
    }
    print(f"| machine | {machine_line()}, PostgreSQL, {Dossier.objects.count():,} dossiers |")
    print("| page | median | worst | queries |")
    print("|---|---|---|---|")
    for name, (client, url) in pages.items():
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url, HTTP_HOST="127.0.0.1")
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        print(
            f"| {name} | {statistics.median(times) * 1000:.0f} ms | {max(times) * 1000:.0f} ms | {len(queries)} |"
        )
    psql("SELECT 1")


if __name__ == "__main__":
    main()
