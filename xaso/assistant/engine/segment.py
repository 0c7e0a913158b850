"""Word segmentation: Vietnamese words are often two or three syllables ("đăng ký",
"khai sinh", "Ủy ban nhân dân"), and matching them as units keeps phrases together.

``underthesea.word_tokenize`` (CRF model shipped inside the package; it runs offline and
downloads nothing) segments the catalog's own text, which has diacritics, once at start-up.
The multi-syllable words it finds become a dictionary of folded words, and every text —
records and questions alike, with or without diacritics — is segmented against that
dictionary by longest match. The same segmentation on both sides keeps them comparable;
a question typed without marks cannot be segmented by the CRF model reliably anyway
("giay dang" would come out as one word).

Without underthesea installed, adjacent syllable pairs of the catalog's names stand in for
the dictionary (``Segmenter.source`` says which).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise

from xaso.assistant.engine.text import words

log = logging.getLogger(__name__)
MAX_WORD = 2  # syllables: longer words are made of two-syllable ones ("ủy ban" + "nhân dân")


def _underthesea() -> Callable[[str], list[str]] | None:
    try:
        from underthesea import word_tokenize
    except ImportError:  # pragma: no cover - depends on the environment
        return None

    def tokenize(text: str) -> list[str]:
        return [str(w) for w in word_tokenize(text)]

    return tokenize


class Segmenter:
    def __init__(self, dictionary: Iterable[tuple[str, ...]], *, source: str) -> None:
        self.dictionary = frozenset(w for w in dictionary if 1 < len(w) <= MAX_WORD)
        self.source = source

    @classmethod
    def from_texts(cls, texts: Iterable[str], *, extra: Iterable[tuple[str, ...]] = ()) -> Segmenter:
        tokenize = _underthesea()
        found: set[tuple[str, ...]] = set(extra)
        if tokenize is None:
            log.warning("underthesea is not installed: segmenting with the catalog's syllable pairs")
            for text in texts:
                found.update(pairwise(words(text)))
            return cls(found, source="pairs")
        for text in texts:
            for word in tokenize(text):
                folded = tuple(words(word))
                if len(folded) > 1:
                    found.add(folded)
        return cls(found, source="underthesea")

    def spans(self, tokens: Sequence[str]) -> list[tuple[int, int]]:
        """Where the words of a token sequence start and end (longest dictionary match)."""
        out: list[tuple[int, int]] = []
        i = 0
        while i < len(tokens):
            for size in range(min(MAX_WORD, len(tokens) - i), 1, -1):
                if tuple(tokens[i : i + size]) in self.dictionary:
                    out.append((i, i + size))
                    i += size
                    break
            else:
                out.append((i, i + 1))
                i += 1
        return out

    def units(self, tokens: Sequence[str]) -> list[str]:
        """The words of a token sequence: dictionary words as ``dang_ki``, other syllables alone."""
        return ["_".join(tokens[a:b]) for a, b in self.spans(tokens)]

    def compounds(self, tokens: Sequence[str]) -> list[str]:
        """Every dictionary word in a token sequence, as ``dang_ki`` (overlaps kept, so
        "đăng ký khai sinh" gives both "dang_ki" and "khai_sinh" however it is cut)."""
        return ["_".join(pair) for pair in pairwise(tokens) if pair in self.dictionary]
