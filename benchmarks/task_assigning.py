"""Benchmark our Task Assigning solver against Timefold Solver on the same data and time.

    python benchmarks/task_assigning.py /path/to/task-assigning/*.json --seconds 1 10

Each run is a separate process (one at a time, so they never share the CPU):

* ``ours``            ``python -m xaso.planning.task_assigning FILE --seconds N --seed S``
* ``timefold-java``   Timefold's Java core from the ``timefold`` wheel (needs javac/JDK 17+),
                      see ``task_assigning_timefold_java.py``
* ``timefold-python`` Timefold's Python API, see ``task_assigning_timefold.py``

Timefold is optional: without the ``timefold`` package (or Java) its columns say why.  The
time limit is the solver's own (JVM start-up and Python imports are not counted, for either
side).  Every score is re-checked with ``xaso.planning.task_assigning.score``.  Prints a
markdown table with the machine, the versions and the date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xaso.planning.task_assigning import Score

ENGINES = ("ours", "timefold-java", "timefold-python")
TITLES = {
    "ours": "ours (plain Python)",
    "timefold-java": "Timefold (Java)",
    "timefold-python": "Timefold (Python API)",
}


@dataclass(frozen=True)
class Outcome:
    text: str
    score: Score | None
    wall: float


def _command(engine: str, path: Path, seconds: float, seed: int) -> list[str]:
    if engine == "ours":
        return [sys.executable, "-m", "xaso.planning.task_assigning", str(path), "--seconds", str(seconds),
                "--seed", str(seed), "--quiet"]  # fmt: skip
    script = "task_assigning_timefold_java.py" if engine == "timefold-java" else "task_assigning_timefold.py"
    return [sys.executable, str(ROOT / "benchmarks" / script), str(path), "--seconds", str(seconds)]


def unavailable(engine: str) -> str | None:
    """Why ``engine`` cannot run here, or None."""
    if engine == "ours":
        return None
    if importlib.util.find_spec("timefold") is None:
        return "timefold not installed (pip install timefold)"
    if shutil.which("java") is None:
        return "no java (Timefold needs JDK 17+)"
    if engine == "timefold-java" and shutil.which("javac") is None:
        return "no javac (JDK 17+)"
    return None


def run(engine: str, path: Path, seconds: float, seed: int) -> Outcome:
    started = dt.datetime.now()
    proc = subprocess.run(
        _command(engine, path, seconds, seed),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=seconds * 5 + 300,
    )
    wall = (dt.datetime.now() - started).total_seconds()
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return Outcome(f"failed: {tail[:80]}", None, wall)
    last = lines[-1]
    try:
        return Outcome(last, Score.parse(last), wall)
    except ValueError:
        return Outcome(last, None, wall)  # e.g. "incomplete (85 unassigned tasks ...)"


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine_info() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    java = "none"
    if shutil.which("java"):
        probe = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
        java = (probe.stderr.strip().splitlines() or ["?"])[0]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return [
        f"- date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- machine: {cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        f"- load average before the runs: {load}",
        f"- Python {platform.python_version()}; java: {java}; timefold (wheel) {_version('timefold')}",
    ]


def _cell(outcome: Outcome | str, best: Score | None) -> str:
    if isinstance(outcome, str):
        return outcome
    if outcome.score is not None and best is not None and outcome.score == best:
        return f"**{outcome.text}**"
    return outcome.text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Task Assigning: our solver vs Timefold Solver.")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--seconds", nargs="+", type=float, default=[1.0, 10.0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"comma list of {', '.join(ENGINES)}")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the report here")
    args = parser.parse_args(argv)
    engines = [e for e in args.engines.split(",") if e]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engines: {sorted(unknown)}")
    report = ["## Task Assigning benchmark", "", *machine_info(), ""]
    missing = {e: why for e in engines if (why := unavailable(e))}
    header = ["data set", "limit", *(TITLES[e] for e in engines)]
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for path in args.files:
        for seconds in args.seconds:
            outcomes: dict[str, Outcome | str] = {}
            for engine in engines:
                if engine in missing:
                    outcomes[engine] = f"n/a: {missing[engine]}"
                    continue
                outcome = run(engine, path, seconds, args.seed)
                outcomes[engine] = outcome
                print(
                    f"{path.stem} {seconds:g}s {engine}: {outcome.text} (wall {outcome.wall:.1f}s)",
                    file=sys.stderr,
                )
            scores = [o.score for o in outcomes.values() if isinstance(o, Outcome) and o.score is not None]
            best = max(scores) if scores else None
            cells = [_cell(outcomes[e], best) for e in engines]
            rows.append(f"| {path.stem} | {seconds:g} s | " + " | ".join(cells) + " |")
    report += rows
    report += [
        "",
        "Score `[hard]hard/[critical/Σ end²/major/minor]soft`, compared left to right; bold = best in the row.",
        f"Our solver uses seed {args.seed}.  'incomplete' = the solver had not assigned every task when the "
        "time ran out.",
    ]
    text = "\n".join(report)
    print(text)
    if args.markdown is not None:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
