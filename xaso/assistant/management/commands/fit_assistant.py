"""Fit the assistant's learned parts on development sets: the ranker (``engine.ranker``) and
the answer-or-decline weights (``engine.calibrate``)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xaso.assistant import evaluation, selectors
from xaso.assistant.engine import Engine, calibrate, semantic
from xaso.assistant.engine import ranker as ranker_module
from xaso.assistant.engine.records import ProcRecord


class Command(BaseCommand):
    help = (
        "Fit the assistant's ranker (conditional logit over the retriever's measures of each "
        "candidate) and the weights that decide whether it answers (logistic regression) on "
        "development FILE.jsonl sets; prints 5-fold cross-validated figures and, with --write, saves "
        "xaso/assistant/data/ranker.json and confidence.json, and the embedded questions in memory.npz. "
        "Never pass a held-out set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", type=Path, nargs="*")
        parser.add_argument("--l2", type=float, default=1.0, help="regularisation strength (default 1)")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument(
            "--write",
            action="store_true",
            help=f"save the weights to {ranker_module.DATA} and {calibrate.DATA}",
        )
        parser.add_argument(
            "--feedback",
            action="store_true",
            help="also fit on officers' verdicts on answers recorded in this database (the learning loop)",
        )
        parser.add_argument(
            "--export-verified",
            type=Path,
            metavar="FILE.jsonl",
            help="write the answers officers judged right as question-set lines, to review and add to the "
            "development set, and stop",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["export_verified"] is not None:
            self.export(options["export_verified"])
            return
        if not options["files"]:
            raise CommandError("Name at least one development set (FILE.jsonl) to fit on.")
        lines: list[evaluation.Line] = []
        for path in options["files"]:
            if "heldout" in path.name:
                raise CommandError(f"{path}: a held-out set must not be fitted on")
            try:
                lines += evaluation.read_lines(path)
            except (OSError, ValueError) as exc:
                raise CommandError(str(exc)) from None
        records = selectors.procedure_records()
        if not records:
            raise CommandError("The catalog is empty: run `manage.py load_catalog_demo` first.")
        store = self.memory(lines, records)
        if options["write"]:  # saved before the fit: the embeddings are the slow part; the fit
            store.save()  # changes nothing in them, so they are not saved again
        started = time.perf_counter()
        engine = Engine(records, ranker=None, store=store)  # the fit starts from the hand-made ranking
        self.stdout.write(f"Index built in {time.perf_counter() - started:.1f} s; {len(lines)} questions.")
        more_rows = None
        if options["feedback"]:
            verdicts = selectors.verified_answers()

            def more_rows(engine: Engine) -> list[tuple[calibrate.Evidence, bool]]:
                rows = evaluation.verdict_rows(engine, verdicts)
                self.stdout.write(
                    f"Officers' verdicts: {len(verdicts)} answered questions judged, {len(rows)} still "
                    "answered the same way, added to the fit."
                )
                return rows

        sources = [p.name for p in options["files"]] + (["officers' verdicts"] if options["feedback"] else [])
        try:
            fitted = evaluation.fit_assistant(
                engine,
                lines,
                folds=options["folds"],
                l2=options["l2"],
                trained_on=sources,
                more_rows=more_rows,
                progress=self.stdout.write,
            )
        except ValueError as exc:
            raise CommandError(f"Cannot fit: {exc}.") from None
        cv = fitted.cross_validated
        self.stdout.write(
            f"cross-validated ({options['folds']} folds): top-1 {cv.top1:.1%}, top-3 {cv.top3:.1%}, out of "
            f"scope declined {cv.abstention:.1%}, in scope declined {cv.false_abstention:.1%}"
        )
        whole, _ = evaluation.evaluate(lines, evaluation.engine_answerer(engine))
        self.stdout.write(
            f"fitted on all ({fitted.rows} answer-or-decline rows): top-1 {whole.top1:.1%}, top-3 "
            f"{whole.top3:.1%}, out of scope declined {whole.abstention:.1%}, in scope declined "
            f"{whole.false_abstention:.1%}"
        )
        for title, names, weights in (
            ("Ranker", ranker_module.TERMS, fitted.ranker.weights),
            ("Answer or decline", calibrate.Evidence.names(), fitted.calibration.weights),
        ):
            self.stdout.write(f"{title} weights:")
            for name, weight in sorted(zip(names, weights, strict=True), key=lambda p: -abs(p[1])):
                self.stdout.write(f"  {name:14} {weight:+.3f}")
        if options["write"]:
            fitted.ranker.save()
            fitted.calibration.save()
            self.stdout.write(
                self.style.SUCCESS(f"Saved {ranker_module.DATA}, {calibrate.DATA} and {semantic.DATA}")
            )

    def memory(self, lines: list[evaluation.Line], records: list[ProcRecord]) -> semantic.Store:
        """The development questions and the procedures' names, embedded (only those the
        shipped file lacks: about 20 ms each)."""
        store = semantic.learning_store(
            semantic.shipped_store(), ((ln.question, ln.expected) for ln in lines)
        )
        names = [t for r in records for t in semantic.phrases(r)]
        todo = store.missing([*store.labels, *names])
        embed = semantic.default_embed()
        started = time.perf_counter()
        for done in range(0, len(todo), 250):
            store.add(todo[done : done + 250], embed)
            self.stdout.write(
                f"Embedding new texts: {min(done + 250, len(todo))}/{len(todo)} "
                f"({time.perf_counter() - started:.0f} s)"
            )
        store.keep([*store.labels, *names])
        self.stdout.write(f"Memory: {len(store.labels)} questions, {len(store.vectors)} texts embedded.")
        return store

    def export(self, path: Path) -> None:
        verified = [(text, code) for text, code, right in selectors.verified_answers() if right]
        try:
            with path.open("w", encoding="utf-8") as out:
                for text, code in verified:
                    out.write(json.dumps({"question": text, "expected": [code]}, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise CommandError(f"{path}: {exc}") from None
        self.stdout.write(
            f"Wrote {len(verified)} answers officers judged right to {path}; review them (the right "
            "procedure may have more codes) before adding them to the development set."
        )
