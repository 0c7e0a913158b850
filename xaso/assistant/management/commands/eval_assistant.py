"""Evaluate the assistant on a question set (JSON lines of {question, expected[]})."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xaso.assistant import evaluation, selectors


class Command(BaseCommand):
    help = (
        "Evaluate the assistant on FILE.jsonl: n, top-1 and top-3 accuracy, abstention on out-of-scope "
        "lines, p50/p95 latency; --baseline adds plain BM25 over procedure names."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument(
            "--baseline", action="store_true", help="also run plain BM25 over procedure names"
        )
        parser.add_argument("--misses", action="store_true", help="list the questions answered wrongly")
        parser.add_argument(
            "--answer-below",
            type=float,
            default=None,
            metavar="P",
            help="decline below this confidence instead of the shipped bar (to weigh another bar)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            lines = evaluation.read_lines(path)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if not lines:
            raise CommandError(f"{path}: no questions")
        started = time.perf_counter()
        records = selectors.procedure_records()
        if not records:
            raise CommandError("The catalog is empty: run `manage.py load_catalog_demo` first.")
        from xaso.assistant.engine import Engine

        bar = options["answer_below"]
        if bar is not None and not 0.0 <= bar <= 1.0:
            raise CommandError(f"--answer-below must be between 0 and 1, got {bar}")
        engine = Engine(records) if bar is None else Engine(records, answer_below=bar)
        build = time.perf_counter() - started
        figures, misses = evaluation.evaluate(lines, evaluation.engine_answerer(engine))
        result: dict[str, Any] = {
            "file": str(path),
            "procedures": len(records),
            "index_build_s": round(build, 2),
            "segmenter": engine.segmenter.source,
            "assistant": figures.as_dict(),
        }
        if options["baseline"]:
            baseline, _ = evaluation.evaluate(lines, evaluation.NameBaseline(records))
            result["baseline_bm25_names"] = baseline.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=1))
            return
        self.stdout.write(
            f"{path.name}: n={figures.n} ({figures.in_scope} in scope, {figures.out_of_scope} out of scope); "
            f"{len(records)} procedures, index built in {build:.2f} s ({engine.segmenter.source})"
        )
        rows = [("assistant", figures)]
        if "baseline_bm25_names" in result:
            rows.append(("BM25 over names", baseline))
        self.stdout.write(
            f"{'':18} {'top-1':>7} {'top-3':>7} {'abstain':>8} {'false-abst':>10} {'p50 ms':>7} {'p95 ms':>7}"
        )
        for label, f in rows:
            self.stdout.write(
                f"{label:18} {f.top1:7.1%} {f.top3:7.1%} {f.abstention:8.1%} {f.false_abstention:10.1%} "
                f"{f.p50_ms:7.2f} {f.p95_ms:7.2f}"
            )
        if options["misses"]:
            for miss in misses:
                shown = "abstained" if miss.abstained else ", ".join(miss.cited) or "—"
                self.stdout.write(
                    f"  MISS {miss.question!r}: expected {list(miss.expected) or 'none'}, got {shown}"
                )
