"""The province gap report at scale: 40 communes, 2,000 officers, 60 competencies, PostgreSQL.

    .venv/bin/python benchmarks/workforce_gaps.py [--officers 2000] [--runs 5] [--keep]

Creates a throw-away database (``BENCH_PG``, default ``postgres://postgres@127.0.0.1:5432``,
database ``xaso_bench_workforce``), loads Huế's 40 communes, the shipped framework (39
competencies) plus 21 generated ones to make 60, the province's position template adopted
by every commune with three more generated requirements per position, the officers placed
in positions, and about 22 pieces of evidence per officer (every kind, some expired). Then
times — in the Django process, as page requests with templates rendered — the province gap
page, one commune's gap page, the province gap API and the Excel export, printing the
median, the worst run and the number of queries of each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._server import bench_env, machine_line, manage, psql

DB = "xaso_bench_workforce"


def prepare(officers: int, seed: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from xaso.accounts.models import Role, RoleGrant, User
    from xaso.places.models import Commune, Department, Province
    from xaso.workforce import services
    from xaso.workforce.config import workforce_config
    from xaso.workforce.models import (
        Assignment,
        Competency,
        CompetencyLevel,
        CompetencyType,
        Evidence,
        EvidenceKind,
        Position,
        PositionRequirement,
    )
    from xaso.workforce.seed import shipped_data_load

    rng = random.Random(seed)
    today = timezone.localdate()
    started = time.monotonic()
    province = Province.objects.get(pk=46)
    with transaction.atomic():
        shipped_data_load(province=province)
        professional = CompetencyType.objects.get(code="professional")
        extra = [
            Competency(
                type=professional,
                code=f"BENCH.{i:02d}",
                name=f"Năng lực thử {i}",
                max_level=4,
                position=100 + i,
            )
            for i in range(1, 22)
        ]
        Competency.objects.bulk_create(extra)
        CompetencyLevel.objects.bulk_create(
            [
                CompetencyLevel(competency=c, level=lv, name=str(lv), descriptor=f"Cấp {lv}")
                for c in Competency.objects.filter(code__startswith="BENCH.")
                for lv in range(1, 5)
            ]
        )
        competencies = list(Competency.objects.all())
        assert len(competencies) == 60, len(competencies)
        bench = [c for c in competencies if c.code.startswith("BENCH.")]
        communes = list(Commune.objects.filter(province=province).order_by("code"))
        manager = User.objects.create(username="bench.manager", full_name="Bench Manager", province=province)
        RoleGrant.objects.create(user=manager, role=Role.PROVINCE_MANAGER)
        requirements = []
        for commune in communes:
            for position in services.positions_adopt_all(actor=None, commune=commune):
                for comp in rng.sample(bench, 3):
                    requirements.append(
                        PositionRequirement(position=position, competency=comp, min_level=rng.randint(2, 3))
                    )
        PositionRequirement.objects.bulk_create(requirements)
        departments = {(d.commune_id, d.kind): d for d in Department.objects.filter(commune__in=communes)}
        positions = {c.code: list(Position.objects.filter(commune=c).order_by("code")) for c in communes}
        users = []
        for n in range(officers):
            commune = communes[n % len(communes)]
            position = positions[commune.code][(n // len(communes)) % len(positions[commune.code])]
            kind = position.department.kind if position.department else None
            users.append(
                User(
                    username=f"bench.{n:05d}",
                    full_name=f"Cán bộ {n:05d}",
                    password="!",  # noqa: S106 — an unusable password
                    province=province,
                    commune=commune,
                    department=departments.get((commune.code, kind)) if kind else None,
                )
            )
        User.objects.bulk_create(users, batch_size=1000)
        users = list(User.objects.filter(username__startswith="bench.0").order_by("username"))
        RoleGrant.objects.bulk_create(
            [RoleGrant(user=u, role=Role.SPECIALIST) for u in users], batch_size=2000
        )
        reqs_of: dict[int, list[tuple[int, int, int]]] = {}
        for pos_id, comp_id, level in PositionRequirement.objects.values_list(
            "position_id", "competency_id", "min_level"
        ):
            reqs_of.setdefault(pos_id, []).append((comp_id, level, 0))
        max_level = {c.pk: c.max_level for c in competencies}
        assignments, evidence = [], []
        validity = workforce_config().validity_days
        for n, user in enumerate(users):
            assert user.commune_id is not None
            position = positions[user.commune_id][(n // len(communes)) % len(positions[user.commune_id])]
            assignments.append(
                Assignment(user=user, position=position, title=position.title, started_on=dt.date(2025, 7, 1))
            )
            for comp_id, level, _ in reqs_of[position.pk]:
                top = max_level[comp_id]
                for kind, share in (
                    (EvidenceKind.SELF, 1.0),
                    (EvidenceKind.MANAGER, 0.6),
                    (EvidenceKind.TEST, 0.2),
                    (EvidenceKind.TRAINING, 0.1),
                    (EvidenceKind.WORK, 0.3),
                ):
                    if rng.random() >= share:
                        continue
                    observed = today - dt.timedelta(days=rng.randint(0, 900))
                    evidence.append(
                        Evidence(
                            user=user,
                            competency_id=comp_id,
                            kind=kind,
                            level=max(1, min(top, level + rng.choice((-1, 0, 0, 0, 1)))),
                            observed_on=observed,
                            valid_until=observed + dt.timedelta(days=validity[kind]),
                        )
                    )
        Assignment.objects.bulk_create(assignments, batch_size=2000)
        Evidence.objects.bulk_create(evidence, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"  {len(users):,} officers, {len(competencies)} competencies, {PositionRequirement.objects.count():,} "
        f"requirements, {len(evidence):,} pieces of evidence in {time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    print(f"creating database {DB}…", file=sys.stderr)
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    env = bench_env(DB)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_places", "--province", "46")
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from xaso.accounts.models import User
    from xaso.places.models import Commune
    from xaso.workforce.authz import Scope
    from xaso.workforce.selectors import gap_report

    prepare(args.officers, args.seed)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="bench.manager"))
    commune = Commune.objects.filter(province_id=46).order_by("code").first()
    assert commune is not None
    codes = tuple(Commune.objects.filter(province_id=46).values_list("code", flat=True))
    report = gap_report(Scope(communes=codes, province=True))
    print(f"  report: {report.officers} officers, {report.meeting} meet every requirement", file=sys.stderr)
    print(f"\nWorkforce gap report — {machine_line()}, PostgreSQL, {args.officers:,} officers\n")
    print("| request | median | worst | queries |")
    print("|---|---|---|---|")

    def measure(name: str, action: object) -> None:
        times = []
        queries = 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                result = action()  # type: ignore[operator]
                times.append(time.perf_counter() - t)
            status = getattr(result, "status_code", 200)
            assert status == 200, (name, status)
            queries = len(captured.captured_queries)
        print(
            f"| {name} | {statistics.median(times) * 1000:.0f} ms | {max(times) * 1000:.0f} ms | {queries} |"
        )

    measure(
        "gap report, whole province (selector only)", lambda: gap_report(Scope(communes=codes, province=True))
    )
    measure("province gap page `/workforce/gaps/`", lambda: client.get("/workforce/gaps/"))
    measure(
        f"one commune's gap page (`?commune={commune.code}`)",
        lambda: client.get(f"/workforce/gaps/?commune={commune.code}"),
    )
    measure("province gap API `/api/v1/workforce/gaps`", lambda: client.get("/api/v1/workforce/gaps"))
    measure("province Excel export", lambda: client.get("/workforce/gaps.xlsx"))
    connection.close()
    if not args.keep:
        psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
