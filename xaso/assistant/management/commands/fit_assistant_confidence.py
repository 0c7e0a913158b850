"""Fit the assistant's answer-or-decline weights (``engine.calibrate``) on development sets."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xaso.assistant import evaluation, selectors
from xaso.assistant.engine import calibrate


class Command(BaseCommand):
    help = (
        "Fit the weights that decide whether the assistant answers (logistic regression over the "
        "retriever's measures) on development FILE.jsonl sets; prints 5-fold cross-validated figures "
        "and, with --write, saves xaso/assistant/data/confidence.json. Never pass a held-out set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", type=Path, nargs="*")
        parser.add_argument("--l2", type=float, default=1.0, help="regularisation strength (default 1)")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--write", action="store_true", help=f"save the weights to {calibrate.DATA}")
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
        from xaso.assistant.engine import Engine

        started = time.perf_counter()
        engine = Engine(records)
        self.stdout.write(f"Index built in {time.perf_counter() - started:.1f} s; {len(lines)} questions.")
        self.stdout.write(f"Cross-validating ({options['folds']} folds)…")
        cv = evaluation.cross_validate(engine, lines, folds=options["folds"], l2=options["l2"])
        self.stdout.write(
            f"cross-validated: top-1 {cv.top1:.1%}, top-3 {cv.top3:.1%}, out of scope declined "
            f"{cv.abstention:.1%}, in scope declined {cv.false_abstention:.1%}"
        )
        rows = evaluation.training_rows(engine, lines)
        if options["feedback"]:
            verdicts = selectors.verified_answers()
            from_officers = evaluation.verdict_rows(engine, verdicts)
            self.stdout.write(
                f"Officers' verdicts: {len(verdicts)} answered questions judged, {len(from_officers)} still "
                "answered the same way, added to the fit."
            )
            rows += from_officers
        sources = [p.name for p in options["files"]] + (["officers' verdicts"] if options["feedback"] else [])
        fitted = calibrate.fit(rows, l2=options["l2"], trained_on=sources)
        engine.calibration = fitted
        whole, _ = evaluation.evaluate(lines, evaluation.engine_answerer(engine))
        self.stdout.write(
            f"fitted on all {len(rows)} rows: top-1 {whole.top1:.1%}, top-3 {whole.top3:.1%}, "
            f"out of scope declined {whole.abstention:.1%}, in scope declined {whole.false_abstention:.1%}"
        )
        for name, weight in sorted(
            zip(calibrate.Evidence.names(), fitted.weights, strict=True), key=lambda p: -abs(p[1])
        ):
            self.stdout.write(f"  {name:14} {weight:+.3f}")
        if options["write"]:
            fitted.save()
            self.stdout.write(self.style.SUCCESS(f"Saved {calibrate.DATA}"))

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
