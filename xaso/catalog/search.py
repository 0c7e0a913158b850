"""Catalog search: BM25 over folded procedure text, with the counter's abbreviations.

The core (``SearchIndex``) is plain Python over ``bm25s``; ``selectors.search_procedures``
builds it from the database and caches it until the catalog changes.

Ranking (documented so it can be argued with):
1. The query is folded (no diacritics, lower case) and abbreviations or counter phrases
   are replaced by the official words (``data/lexicon.json``: "dk" → "dang ky", "cccd"
   → "can cuoc", "sổ đỏ" → "giay chung nhan quyen su dung dat").
2. Terms are syllables plus syllable bigrams (most Vietnamese words are two syllables, so
   "khai_sinh" keeps the phrase together).
3. One BM25 index per field, combined with weights: name 3, keywords (how people name the
   procedure, both languages) 2, field 1, the rest
   (applicants, documents) 0.5. BM25's length normalisation favours short, general names.
4. Boosts: the query equal to the name (without a leading "Thủ tục") +50 % of the top
   score, the name starting with the query +15 %; the query equal to a code ranks it first.
5. Special cases ("lưu động", "có yếu tố nước ngoài", "đăng ký lại", "biên giới", …) lose
   20 % when the query does not name them, so the general procedure comes first.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from xaso.lib.text import tokens

LEXICON_PATH = Path(__file__).parent / "data" / "lexicon.json"
WEIGHTS = {"name": 3.0, "keywords": 2.0, "field": 1.0, "extra": 0.5}
logging.getLogger("bm25s").setLevel(logging.WARNING)


@cache
def _lexicon() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    return data


@cache
def _abbreviations() -> tuple[tuple[list[str], list[str]], ...]:
    pairs = [(key.split(), value.split()) for key, value in _lexicon()["abbreviations"].items()]
    # Longest phrases first so "so do" wins over a shorter key inside it.
    return tuple(sorted(pairs, key=lambda kv: -len(kv[0])))


@cache
def _special_cases() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(s.split()) for s in _lexicon()["special_cases"])


def expand_query(text: str) -> list[str]:
    """Folded tokens with abbreviations and counter phrases replaced by official words."""
    words = tokens(text)
    out: list[str] = []
    i = 0
    while i < len(words):
        for key, value in _abbreviations():
            if words[i : i + len(key)] == key:
                out.extend(value)
                i += len(key)
                break
        else:
            out.append(words[i])
            i += 1
    return out


def with_bigrams(words: Sequence[str]) -> list[str]:
    return [*words, *(f"{a}_{b}" for a, b in pairwise(words))]


def _contains(words: Sequence[str], phrase: Sequence[str]) -> bool:
    n = len(phrase)
    return any(tuple(words[i : i + n]) == tuple(phrase) for i in range(len(words) - n + 1))


def core_name(name: str) -> list[str]:
    """Name tokens without a leading "Thủ tục"."""
    words = tokens(name)
    for prefix in _lexicon().get("name_prefixes", []):
        p = prefix.split()
        if words[: len(p)] == p:
            return words[len(p) :]
    return words


@dataclass(frozen=True)
class SearchDoc:
    key: int
    code: str
    name: str
    field: str
    extra: str  # applicants, documents: the least weight
    keywords: str = ""  # how people name it ("gks", "làm sổ đỏ"), both languages


@dataclass(frozen=True)
class Hit:
    key: int
    score: float


class _FieldIndex:
    def __init__(self, corpus: list[list[str]]) -> None:
        self.bm25 = bm25s.BM25()
        self.vocab = {t for doc in corpus for t in doc}
        self.size = len(corpus)
        if self.vocab:
            self.bm25.index(corpus, show_progress=False)

    def scores(self, terms: list[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
        known = [t for t in terms if t in self.vocab]
        if not known:
            return np.zeros(self.size)
        return np.asarray(self.bm25.get_scores(known), dtype=np.float64)


class SearchIndex:
    def __init__(self, docs: Iterable[SearchDoc]) -> None:
        self.docs = list(docs)
        self.keys = np.array([d.key for d in self.docs], dtype=np.int64)
        self._codes = {d.code.lower(): i for i, d in enumerate(self.docs)}
        self._names = [core_name(d.name) for d in self.docs]
        self._fields = {
            "name": _FieldIndex([with_bigrams(n) for n in self._names]),
            "keywords": _FieldIndex([with_bigrams(tokens(d.keywords)) for d in self.docs]),
            "field": _FieldIndex([with_bigrams(tokens(d.field)) for d in self.docs]),
            "extra": _FieldIndex([with_bigrams(tokens(d.extra)) for d in self.docs]),
        }
        specials = _special_cases()
        self._special = [frozenset(s for s in specials if _contains(words, s)) for words in self._names]

    def search(self, query: str, *, allowed: set[int] | None = None, limit: int = 50) -> list[Hit]:
        if not self.docs:
            return []
        code_hit = self._codes.get(query.strip().lower())
        words = expand_query(query)
        terms = with_bigrams(words)
        scores = np.zeros(len(self.docs))
        for name, index in self._fields.items():
            scores += WEIGHTS[name] * index.scores(terms)
        top = float(scores.max())
        if top > 0:
            for i in np.flatnonzero(scores > 0.3 * top):
                name_words = self._names[i]
                if name_words == words:
                    scores[i] += 0.5 * top
                elif name_words[: len(words)] == words:
                    scores[i] += 0.15 * top
                if any(not _contains(words, case) for case in self._special[i]):
                    scores[i] *= 0.8
        if code_hit is not None:
            scores[code_hit] = float(scores.max()) * 2 + 1.0
        if allowed is not None:
            mask = np.isin(self.keys, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
            scores = np.where(mask, scores, 0.0)
        order = np.argsort(-scores, kind="stable")[:limit]
        return [Hit(key=int(self.keys[i]), score=float(scores[i])) for i in order if scores[i] > 0]
