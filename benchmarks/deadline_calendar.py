"""Time due-date computations of the working-day calendar (``xaso.dossiers.calendar``).

100,000 calls to ``WorkCalendar.due_at`` for random receipt moments across 2025–2027 with a
realistic mix of processing times (same day, 1–30 working days, 1–40 working hours, 1–60
calendar days; one call in ten carries one or two pauses). Prints per-call microseconds
(p50/p95/p99/mean, overall and per unit) with the machine and date. Seeded, so reruns time the
same workload::

    .venv/bin/python benchmarks/deadline_calendar.py [--calls N] [--seed S]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import os
import platform
import random
import statistics
import time
from datetime import datetime, timedelta
from decimal import Decimal
from importlib import metadata
from zoneinfo import ZoneInfo

from xaso.dossiers.calendar import WorkCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2025, 1, 1, tzinfo=VN)
SPAN_SECONDS = int((datetime(2028, 1, 1, tzinfo=VN) - START).total_seconds())
Pause = tuple[datetime, datetime]
Job = tuple[datetime, Decimal | int | None, str, list[Pause]]


def make_workload(calls: int, seed: int) -> list[Job]:
    rng = random.Random(seed)
    work: list[Job] = []
    for _ in range(calls):
        received = START + timedelta(seconds=rng.randrange(SPAN_SECONDS))
        unit = rng.choices(["same_day", "working_days", "working_hours", "days"], weights=[2, 6, 1, 1])[0]
        value: Decimal | int | None
        if unit == "same_day":
            value = None
        elif unit == "working_days":
            value = rng.randint(1, 30)
        elif unit == "working_hours":
            value = Decimal(rng.randint(1, 80)) / 2
        else:
            value = rng.randint(1, 60)
        pauses: list[Pause] = []
        if rng.random() < 0.1:
            for _ in range(rng.randint(1, 2)):
                paused = received + timedelta(minutes=rng.randint(0, 20 * 24 * 60))
                pauses.append((paused, paused + timedelta(minutes=rng.randint(30, 7 * 24 * 60))))
        work.append((received, value, unit, pauses))
    return work


def percentile(sorted_values: list[float], q: float) -> float:
    index = min(len(sorted_values) - 1, round(q * (len(sorted_values) - 1)))
    return sorted_values[index]


def summary(label: str, micros: list[float]) -> str:
    ordered = sorted(micros)
    return (
        f"{label:<15} n={len(ordered):>7,}  p50={percentile(ordered, 0.50):7.1f} µs  "
        f"p95={percentile(ordered, 0.95):7.1f} µs  p99={percentile(ordered, 0.99):7.1f} µs  "
        f"mean={statistics.fmean(ordered):7.1f} µs"
    )


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260213)
    args = parser.parse_args()

    print("# Deadline calendar benchmark")
    print(f"date:     {datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"machine:  {platform.platform()} | {platform.machine()} | {os.cpu_count()} CPUs")
    print(f"cpu:      {cpu_model()}")
    print(f"python:   {platform.python_implementation()} {platform.python_version()}")
    print(f"holidays: {metadata.version('holidays')}")

    work = make_workload(args.calls, args.seed)

    calendar = WorkCalendar()
    t0 = time.perf_counter()
    for year in (2025, 2026, 2027, 2028, 2029):
        calendar.holidays_in(year)
    cold_ms = (time.perf_counter() - t0) * 1000
    print(f"cold:     loading holidays for 5 years took {cold_ms:.1f} ms (cached after)")

    due_at = calendar.due_at
    clock = time.perf_counter_ns
    per_unit: dict[str, list[float]] = {}
    paused: list[float] = []
    overall: list[float] = []
    started = time.perf_counter()
    for received, value, unit, pauses in work:
        t = clock()
        due_at(received, value=value, unit=unit, pauses=pauses)
        micros = (clock() - t) / 1000
        overall.append(micros)
        per_unit.setdefault(unit, []).append(micros)
        if pauses:
            paused.append(micros)
    wall = time.perf_counter() - started

    print(f"calls:    {len(work):,} in {wall:.2f} s wall (seed {args.seed})")
    print(summary("all", overall))
    for unit in sorted(per_unit):
        print(summary(unit, per_unit[unit]))
    if paused:
        print(summary("with pauses", paused))


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__":
    main()
