"""The virtual assistant's accuracy and speed on the whole shipped catalog.

    python benchmarks/assistant_eval.py [--misses]

Loads the shipped catalog (581 national records + hand-entered ones) into a fresh temporary
SQLite database, builds the assistant's index as the server does at its first question
(reading the records from the database included), then evaluates the development set (the
answer-or-decline weights are fitted on it, so its figures are in-sample; the fit command
prints cross-validated ones) and the held-out sets (``evaluation.HELDOUT_SETS``, ``xaso/assistant/data/*.jsonl``,
written blind, never fitted on; pooled when there are several) with the plain-BM25-over-names baseline in the same run, and
prints a markdown table with machine and date. ``--misses`` lists the development set's
misses only: reading a held-out set's misses would make it a development set.

One more row per held-out set, for honesty: the lexicon's list of known out-of-scope requests
switched off, i.e. what the learned confidence alone achieves on requests nobody foresaw.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list the questions answered wrongly")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="xaso-assistant-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["XASO_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xaso.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from xaso.assistant import evaluation, selectors
    from xaso.assistant.engine import Engine
    from xaso.assistant.engine.lexicon import default_lexicon
    from xaso.catalog.services import SHIPPED_CATALOG, import_manual_procedures, import_procedures

    call_command("migrate", verbosity=0)
    import_procedures([SHIPPED_CATALOG])
    import_manual_procedures()
    started = time.perf_counter()
    engine = selectors.assistant_engine()
    build = time.perf_counter() - started
    records = engine.records
    baseline = evaluation.NameBaseline(records)
    no_topics = Engine(records, lexicon=dataclasses.replace(default_lexicon(), out_of_scope=()))

    rows = []
    held_out = {
        f"held-out {name}": evaluation.read_lines(path) for name, path in evaluation.HELDOUT_SETS.items()
    }
    sets = [("development", evaluation.read_lines(evaluation.DEV_SET)), *held_out.items()]
    if len(held_out) > 1:
        pooled = [ln for s in held_out.values() for ln in s]
        sets.append(("held-out " + " + ".join(evaluation.HELDOUT_SETS) + " pooled", pooled))
    for label, lines in sets:
        mine, misses = evaluation.evaluate(lines, evaluation.engine_answerer(engine))
        plain, _ = evaluation.evaluate(lines, baseline)
        rows.append((f"{label}: assistant", mine))
        rows.append((f"{label}: BM25 over names", plain))
        if label.startswith("held-out"):
            bare, _ = evaluation.evaluate(lines, evaluation.engine_answerer(no_topics))
            rows.append((f"{label}: assistant without the out-of-scope list", bare))
        if args.misses and not label.startswith("held-out"):
            for miss in misses:
                got = "abstained" if miss.abstained else ", ".join(miss.cited) or "—"
                print(
                    f"  {label} MISS {miss.question!r}: expected {list(miss.expected) or 'none'}, got {got}"
                )

    print(
        f"| machine | {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()} |"
    )
    print(f"| date | {datetime.now(UTC):%Y-%m-%d} |")
    print(
        f"| catalog | {len(records)} procedures; index built in {build:.2f} s (records read from SQLite included; segmenter: {engine.segmenter.source}) |"
    )
    print()
    print(
        "| set: system | n | in scope | out of scope | top-1 | top-3 | abstention (out of scope) | false abstention (in scope) | p50 ms | p95 ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, f in rows:
        print(
            f"| {label} | {f.n} | {f.in_scope} | {f.out_of_scope} | {f.top1:.1%} | {f.top3:.1%} | "
            f"{f.abstention:.1%} | {f.false_abstention:.1%} | {f.p50_ms:.2f} | {f.p95_ms:.2f} |"
        )


if __name__ == "__main__":
    main()
