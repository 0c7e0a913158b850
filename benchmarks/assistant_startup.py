"""How long after the web app starts the assistant's index is ready (``xaso/wsgi.py`` builds
it in a background thread).

    python benchmarks/assistant_startup.py [--runs 3]

Each run is a fresh Python process that imports ``xaso.wsgi`` against the database in
``DATABASE_URL`` (default: the demo's SQLite database, so run ``make run`` once first) and
waits until the index exists; it prints each time, the median, the machine and the date.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import time
started = time.perf_counter()
import xaso.wsgi  # starts the warm-up thread
from xaso.assistant import selectors
while selectors._engine is None:
    if time.perf_counter() - started > 60:
        raise SystemExit("index not ready after 60 s")
    time.sleep(0.01)
print(f"{time.perf_counter() - started:.3f}")
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = []
    for n in range(1, args.runs + 1):
        out = (
            subprocess.run(
                [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        times.append(float(out))
        print(f"run {n}/{args.runs}: ready {times[-1]:.2f} s after import", flush=True)
    print(
        f"\nAssistant index ready after web start-up: median {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}, {args.runs} runs); "
        f"{platform.machine()}, Python {platform.python_version()}, {date.today()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
