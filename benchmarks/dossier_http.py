"""HTTP benchmarks of the dossier service on PostgreSQL under gunicorn (DEBUG off).

    python benchmarks/dossier_http.py intake   [--clients 10] [--requests 40]
    python benchmarks/dossier_http.py tracking [--clients 8]  [--seconds 10]

intake: each client is a reception officer of a different commune with an API token,
POSTing counter intakes (birth registration, complete checklist) back to back;
prints p50/p95/max latency. tracking: clients GET /api/v1/track/{code}?check=… for random
existing dossiers over keep-alive connections for a fixed time; prints requests/second.
Both stop by themselves; traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._server import gunicorn, machine_line, manage, prepare_database

APPLICANT = {
    "full_name": "Nguyễn Văn An",
    "id_number": "046090001234",
    "phone": "0905123456",
    "address": "Thôn 1, xã Vinh Lộc, thành phố Huế",
}


def make_tokens(env: dict[str, str], n: int) -> list[str]:
    script = (
        "from xaso.accounts.models import User, Role\n"
        "from xaso.accounts.services import api_token_create\n"
        f"users = list(User.objects.filter(role_grants__role=Role.RECEPTION_OFFICER).order_by('commune_id', 'pk')"
        f".distinct('commune_id')[:{n}])\n"
        "print('\\n'.join(api_token_create(user=u, name='bench')[1] for u in users))\n"
    )
    return [t for t in manage(env, "shell", "--no-imports", "-c", script).split() if t.startswith("xs_")]


def post_json(
    conn: http.client.HTTPConnection, path: str, body: dict[str, Any], token: str
) -> tuple[int, bytes]:
    conn.request(
        "POST",
        path,
        json.dumps(body),
        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    response = conn.getresponse()
    return response.status, response.read()


def run_intake(url: str, tokens: list[str], requests: int) -> list[float]:
    host, port = url.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(token: str) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        for _ in range(requests):
            start = time.perf_counter()
            status, body = post_json(
                conn,
                "/api/v1/dossiers",
                {"procedure_code": "1.001193", "applicant": APPLICANT, "documents_submitted": [0, 1]},
                token,
            )
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if status != 201:
                    errors.append(f"{status} {body[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=client, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{len(errors)} failed intakes, e.g. {errors[0]}")
    return latencies


def run_tracking(
    url: str, pairs: list[tuple[str, str]], clients: int, seconds: float
) -> tuple[int, float, list[float]]:
    host, port = url.removeprefix("http://").split(":")
    counts = [0] * clients
    latencies: list[list[float]] = [[] for _ in range(clients)]
    deadline = time.monotonic() + seconds

    def client(i: int) -> None:
        rng = random.Random(i)
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        while time.monotonic() < deadline:
            code, check = rng.choice(pairs)
            start = time.perf_counter()
            conn.request("GET", f"/api/v1/track/{code}?check={check}")
            response = conn.getresponse()
            response.read()
            latencies[i].append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                raise SystemExit(f"tracking answered {response.status}")
            counts[i] += 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts), time.monotonic() - started, [x for xs in latencies for x in xs]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * p) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["intake", "tracking"])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--requests", type=int, default=40, help="intakes per client")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    env = prepare_database("xaso_bench")
    tokens = make_tokens(env, args.clients)
    with gunicorn(env, args.workers) as url:
        run_intake(url, tokens[:2], 3)  # warm up every worker's imports and caches
        if args.mode == "intake":
            latencies = run_intake(url, tokens, args.requests)
            print(f"| machine | {machine_line()} |")
            print(
                f"| counter intake, {len(tokens)} concurrent clients, {len(latencies)} requests, gunicorn "
                f"{args.workers} workers, PostgreSQL | p50 {statistics.median(latencies):.0f} ms, "
                f"p95 {pct(latencies, 0.95):.0f} ms, max {max(latencies):.0f} ms |"
            )
        else:
            run_intake(url, tokens, 20)
            out = manage(
                env,
                "shell",
                "--no-imports",
                "-c",
                "from xaso.dossiers.models import Dossier\n"
                "print('\\n'.join(f'{c} {p[-4:]}' for c, p in Dossier.objects.values_list('code', 'applicant_phone')))",
            )
            pairs = [tuple(line.split()) for line in out.splitlines() if line.strip()]
            n, elapsed, latencies = run_tracking(url, pairs, args.clients, args.seconds)  # type: ignore[arg-type]
            print(f"| machine | {machine_line()} |")
            print(
                f"| public tracking, {args.clients} keep-alive clients, {elapsed:.0f} s, gunicorn {args.workers} "
                f"workers, PostgreSQL | {n / elapsed:.0f} requests/s (p95 {pct(latencies, 0.95):.0f} ms) |"
            )


if __name__ == "__main__":
    main()
