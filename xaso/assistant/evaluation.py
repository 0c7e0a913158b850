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
from xaso.assistant.engine import Engine, ProcRecord, calibrate
from xaso.assistant.engine import ranker as ranker_module
from xaso.assistant.engine.calibrate import Evidence
from xaso.assistant.engine.ranker import Ranker
from xaso.lib.text import tokens

DATA = Path(__file__).resolve().parent / "data"
DEV_SET = DATA / "dev_questions.jsonl"
# Written blind (by helpers who saw only the catalog) and measured once with the final
# engine. Earlier held-out sets (A to Z6), once measured, joined the development set.
HELDOUT_SETS = {name: DATA / f"heldout_{name.lower()}_questions.jsonl" for name in ("Z7", "Z8", "Z9", "Z10")}

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


def _best(engine: Engine, text: str) -> tuple[Evidence, list[str]] | None:
    """The best candidate's evidence and the codes ranked first, for a question the engine
    would rank (not one that names a code or has no search words)."""
    query = engine.analyse(text)
    if query.codes or not query.core:
        return None
    ranked = engine.ranked(query)
    if not ranked:
        return None
    return engine.evidence(query, ranked)[0], [engine.records[s.index].code for s in ranked]


def training_rows(engine: Engine, lines: Sequence[Line]) -> list[tuple[Evidence, bool]]:
    """One row per question that reaches ranking: the best candidate's evidence, and
    whether one of the first three ranked procedures is expected (never, out of scope)."""
    rows = []
    for line in lines:
        if (best := _best(engine, line.question)) is not None:
            evidence, codes = best
            rows.append((evidence, any(c in line.expected for c in codes[:3])))
    return rows


def verdict_rows(engine: Engine, verdicts: Sequence[tuple[str, str, bool]]) -> list[tuple[Evidence, bool]]:
    """Rows from officers' verdicts (question, procedure answered, right?): the evidence of
    that procedure when the engine still ranks it first (else the verdict is about another
    ranking and is left out)."""
    rows = []
    for text, code, right in verdicts:
        best = _best(engine, text)
        if best is not None and best[1][0] == code:
            rows.append((best[0], right))
    return rows


def ranking_groups(engine: Engine, lines: Sequence[Line]) -> list[tuple[np.ndarray, np.ndarray] | None]:
    """Per line, what the ranker learns from: the pool's features and which candidates are
    expected — None for a line out of scope, not ranked, or with no expected candidate in
    its pool."""
    groups: list[tuple[np.ndarray, np.ndarray] | None] = []
    for line in lines:
        query = engine.analyse(line.question)
        pool = [] if (not line.expected or query.codes or not query.core) else engine.retriever.pool(query)
        right = np.array([engine.records[s.index].code in line.expected for s in pool], dtype=np.float64)
        if not pool or not right.any():
            groups.append(None)
        else:
            groups.append((np.array([s.features for s in pool]), right))
    return groups


@dataclass(frozen=True)
class Fit:
    ranker: Ranker
    calibration: calibrate.Calibration
    cross_validated: Figures
    rows: int  # answer-or-decline rows the calibration was fitted on


def fit_assistant(
    engine: Engine,
    lines: Sequence[Line],
    *,
    folds: int = 5,
    l2: float = 1.0,
    seed: int = 7,
    trained_on: Sequence[str] = (),
    more_rows: Callable[[Engine], list[tuple[Evidence, bool]]] | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> Fit:
    """Fit the ranker, then the answer-or-decline weights, and cross-validate both.

    The answer-or-decline rows of each fold come from a ranker fitted on the other folds, and
    with the fold's questions hidden from the engine's memory (``semantic``), so the
    calibration learns how far to trust the ranker and the memory on questions they have not
    seen. The ranker's own rows are measured the same way, each fold hidden in turn. The
    cross-validated figures answer each fold with the ranker of the other folds and weights
    fitted on the other folds' rows (those rows came from rankers that saw this fold: a small
    leak, in the ranker only). ``more_rows`` (officers' verdicts) are judged with the final
    ranker and join the final calibration only. Leaves the engine with the fitted pair."""
    order = np.random.default_rng(seed).permutation(len(lines))
    fold_of = np.empty(len(lines), dtype=int)
    fold_of[order] = np.arange(len(lines)) % folds
    progress(f"Measuring {len(lines)} questions' candidates…")
    members = [[i for i in range(len(lines)) if fold_of[i] == k] for k in range(folds)]
    fold_lines = [[lines[i] for i in m] for m in members]
    groups: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(lines)
    for k in range(folds):  # each question measured with its fold hidden from the memory
        engine.memory.hide(ln.question for ln in fold_lines[k])
        for i, group in zip(members[k], ranking_groups(engine, fold_lines[k]), strict=True):
            groups[i] = group
    usable = [(g, int(fold_of[i])) for i, g in enumerate(groups) if g is not None]
    rankers: list[Ranker | None] = []
    rows_of: list[list[tuple[Evidence, bool]]] = []
    for k in range(folds):
        progress(f"Fold {k + 1}/{folds}: fitting the ranker and measuring its answers…")
        rankers.append(_fit_ranker([g for g, f in usable if f != k], l2=l2))
        engine.retriever.ranker = rankers[k]
        engine.memory.hide(ln.question for ln in fold_lines[k])
        rows_of.append(training_rows(engine, fold_lines[k]))
    pooled: list[Figures] = []
    for k in range(folds):
        engine.retriever.ranker = rankers[k]
        engine.calibration = calibrate.fit([r for j in range(folds) if j != k for r in rows_of[j]], l2=l2)
        engine.memory.hide(ln.question for ln in fold_lines[k])
        figures, _ = evaluate(fold_lines[k], engine_answerer(engine))
        pooled.append(figures)
    engine.memory.hide(())
    progress("Fitting on all questions…")
    final = ranker_module.fit([g for g, _ in usable], l2=l2, trained_on=trained_on)
    engine.retriever.ranker = final
    rows = [r for fold_rows in rows_of for r in fold_rows]
    if more_rows is not None:
        rows += more_rows(engine)
    engine.calibration = calibrate.fit(rows, l2=l2, trained_on=trained_on)
    return Fit(final, engine.calibration, _pool(len(lines), pooled), len(rows))


def _fit_ranker(groups: Sequence[tuple[np.ndarray, np.ndarray]], *, l2: float) -> Ranker | None:
    """A fold's ranker, or None (the hand-made score) when its questions teach nothing."""
    return ranker_module.fit(groups, l2=l2) if groups else None


def _pool(n: int, parts: Sequence[Figures]) -> Figures:
    """Figures of several folds as one (latency from the last fold)."""
    in_scope = sum(f.in_scope for f in parts)
    out = sum(f.out_of_scope for f in parts)
    return Figures(
        n=n,
        in_scope=in_scope,
        out_of_scope=out,
        top1=sum(f.top1 * f.in_scope for f in parts) / max(in_scope, 1),
        top3=sum(f.top3 * f.in_scope for f in parts) / max(in_scope, 1),
        abstention=sum(f.abstention * f.out_of_scope for f in parts) / max(out, 1),
        false_abstention=sum(f.false_abstention * f.in_scope for f in parts) / max(in_scope, 1),
        p50_ms=parts[-1].p50_ms,
        p95_ms=parts[-1].p95_ms,
    )
