"""Measuring the assistant on question sets: top-1/top-3 accuracy, abstention on questions
outside the catalog, latency — and the same figures for plain BM25 over procedure names.

A set is JSON lines, ``{"question": "...", "expected": ["1.001193", ...]}``; an empty
``expected`` means no commune procedure answers the question (the right reply is "I don't
know" with where to go). Accuracy counts the in-scope lines: top-1 when the first citation
is expected, top-3 when one of the first three is; an abstention on an in-scope line is a
miss. Abstention accuracy is the share of out-of-scope lines the assistant declined.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from xaso.assistant.compose import citizen_reply
from xaso.assistant.engine import Engine, ProcRecord
from xaso.lib.text import tokens

DATA = Path(__file__).resolve().parent / "data"
DEV_SET = DATA / "dev_questions.jsonl"
HELDOUT_SET = DATA / "heldout_questions.jsonl"

Answerer = Callable[[str], tuple[list[str], bool]]  # question → (cited codes best first, abstained)


@dataclass(frozen=True)
class Line:
    question: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class Figures:
    n: int
    in_scope: int
    out_of_scope: int
    top1: float
    top3: float
    abstention: float  # on out-of-scope lines
    false_abstention: float  # on in-scope lines
    p50_ms: float
    p95_ms: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Miss:
    question: str
    expected: tuple[str, ...]
    cited: tuple[str, ...]
    abstained: bool


def read_lines(path: Path) -> list[Line]:
    """Read and check a question set; a malformed line names its number."""
    out = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
            question = str(item["question"]).strip()
            expected = tuple(str(c) for c in item["expected"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(
                f"{path.name}, line {number}: expected {{question, expected[]}} ({exc})"
            ) from None
        if not question:
            raise ValueError(f"{path.name}, line {number}: empty question")
        out.append(Line(question, expected))
    return out


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def evaluate(lines: Sequence[Line], answer: Answerer) -> tuple[Figures, list[Miss]]:
    top1 = top3 = declined = false_abstentions = 0
    in_scope = [ln for ln in lines if ln.expected]
    durations: list[float] = []
    misses: list[Miss] = []
    for line in lines:
        started = time.perf_counter()
        cited, abstained = answer(line.question)
        durations.append((time.perf_counter() - started) * 1000)
        if not line.expected:
            declined += abstained
            if not abstained:
                misses.append(Miss(line.question, line.expected, tuple(cited[:3]), abstained))
            continue
        hit1 = not abstained and bool(cited) and cited[0] in line.expected
        hit3 = not abstained and any(c in line.expected for c in cited[:3])
        top1 += hit1
        top3 += hit3
        false_abstentions += abstained
        if not hit1:
            misses.append(Miss(line.question, line.expected, tuple(cited[:3]), abstained))
    out_of_scope = len(lines) - len(in_scope)
    figures = Figures(
        n=len(lines),
        in_scope=len(in_scope),
        out_of_scope=out_of_scope,
        top1=top1 / len(in_scope) if in_scope else 0.0,
        top3=top3 / len(in_scope) if in_scope else 0.0,
        abstention=declined / out_of_scope if out_of_scope else 0.0,
        false_abstention=false_abstentions / len(in_scope) if in_scope else 0.0,
        p50_ms=statistics.median(durations) if durations else 0.0,
        p95_ms=percentile(durations, 0.95),
    )
    return figures, misses


def engine_answerer(engine: Engine) -> Answerer:
    """The assistant as citizens meet it: engine plus the composed answer (no database)."""

    def answer(question: str) -> tuple[list[str], bool]:
        reply = citizen_reply(engine.ask(question))
        return [c.code for c in reply.citations], reply.abstained

    return answer


class NameBaseline:
    """Plain BM25 over procedure names (folded words, no lexicon, no re-ranking); it
    declines only when no name shares a word with the question."""

    def __init__(self, records: Sequence[ProcRecord]) -> None:
        self.codes = [r.code for r in records]
        corpus = [tokens(r.name) or ["_"] for r in records]
        self.vocab = {t for doc in corpus for t in doc}
        self.bm25 = bm25s.BM25()
        self.bm25.index(corpus, show_progress=False)

    def __call__(self, question: str) -> tuple[list[str], bool]:
        known = [t for t in tokens(question) if t in self.vocab]
        if not known:
            return [], True
        scores = np.asarray(self.bm25.get_scores(known), dtype=np.float64)
        order = [int(i) for i in np.argsort(-scores, kind="stable")[:3] if scores[i] > 0]
        return [self.codes[i] for i in order], not order
