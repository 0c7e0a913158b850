"""The lexicon (``xaso/assistant/data/lexicon.json``) read into matching-ready tuples."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from xaso.assistant.engine.text import english_stem, phrase_in, words

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "lexicon.json"

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Marker:
    """A special case of a general procedure (foreign element, re-registration, …)."""

    name: str
    names: tuple[Phrase, ...]  # phrases that make a procedure name this special case
    asks: tuple[Phrase, ...]  # phrases that show the question is about it


@dataclass(frozen=True)
class OutOfScope:
    asks: tuple[Phrase, ...]
    unless: tuple[Phrase, ...]
    where_vi: str
    where_en: str


@dataclass(frozen=True)
class Lexicon:
    abbreviations: tuple[tuple[Phrase, Phrase], ...]  # longest key first
    synonyms: tuple[tuple[Phrase, Phrase], ...]
    english: tuple[tuple[Phrase, Phrase], ...]
    english_words: frozenset[str]
    stopwords: frozenset[str]  # Vietnamese questions
    stopwords_en: frozenset[str]  # English questions
    intents: tuple[tuple[str, Phrase], ...]  # (intent, cue), longest cue first
    markers: tuple[Marker, ...]
    out_of_scope: tuple[OutOfScope, ...]
    generic_name_words: frozenset[str]
    general_name_starts: tuple[Phrase, ...] = ()
    places: frozenset[Phrase] = frozenset()  # place names of two words or more (``place_names``)

    def english_stems(self, tokens: Sequence[str]) -> list[str]:
        """English words as the assistant matches them against English keywords: stop
        words left out, the rest stemmed (``text.english_stem``)."""
        return [english_stem(t) for t in tokens if t not in self.stopwords_en]

    def vocabulary(self) -> set[str]:
        """Every word the lexicon knows (so the spelling check leaves them alone)."""
        out: set[str] = set(self.stopwords) | set(self.generic_name_words)
        for pairs in (self.abbreviations, self.synonyms):
            for key, value in pairs:
                out.update(key)
                out.update(value)
        for _, value in self.english:
            out.update(value)
        for _, cue in self.intents:
            out.update(cue)
        for marker in self.markers:
            for phrase in (*marker.names, *marker.asks):
                out.update(phrase)
        for topic in self.out_of_scope:
            for phrase in (*topic.asks, *topic.unless):
                out.update(w for w in phrase if w != ALSO)
        return out


def _phrase(text: str) -> Phrase:
    return tuple(words(text))


ALSO = "+"  # in an out-of-scope phrase, "sổ đỏ + mất": both parts, anywhere in the question


def _ask(text: str) -> Phrase:
    """An out-of-scope phrase: words, or parts joined by ``ALSO`` that must all be said."""
    parts = [_phrase(part) for part in text.split(ALSO)]
    out: list[str] = []
    for part in parts:
        if part:
            out.extend([*([ALSO] if out else []), *part])
    return tuple(out)


def says(tokens: list[str] | tuple[str, ...], ask: Phrase) -> bool:
    """Whether a question's words say an out-of-scope phrase (each ``ALSO`` part, anywhere)."""
    part: list[str] = []
    for word in (*ask, ALSO):
        if word != ALSO:
            part.append(word)
            continue
        if not phrase_in(tokens, tuple(part)):
            return False
        part = []
    return True


def _unit(text: str) -> str:
    """A lexicon word that may be a two-syllable unit written "cap_giay"."""
    return "_".join(w for part in text.split("_") for w in words(part))


def _pairs(mapping: dict[str, str | list[str]]) -> tuple[tuple[Phrase, Phrase], ...]:
    """(key, value) phrase pairs, longest key first; a list value gives one pair each."""
    pairs = [
        (_phrase(k), _phrase(v))
        for k, values in mapping.items()
        for v in ([values] if isinstance(values, str) else values)
        if _phrase(k)
    ]
    return tuple(sorted(pairs, key=lambda kv: -len(kv[0])))


def lexicon_from_data(data: dict[str, Any]) -> Lexicon:
    intents = [(intent, _phrase(cue)) for intent, cues in data["intents"].items() for cue in cues]
    return Lexicon(
        abbreviations=_pairs(data["abbreviations"]),
        synonyms=_pairs(data.get("synonyms", {})),
        english=_pairs(data.get("english", {})),
        english_words=frozenset(
            w for item in [*data.get("english_words", []), *data.get("english", {})] for w in words(item)
        ),
        stopwords=frozenset(w for item in data.get("stopwords", []) for w in words(item)),
        stopwords_en=frozenset(w for item in data.get("stopwords_en", []) for w in words(item)),
        intents=tuple(sorted(((i, c) for i, c in intents if c), key=lambda ic: -len(ic[1]))),
        markers=tuple(
            Marker(
                name=name,
                names=tuple(_phrase(p) for p in spec["names"]),
                asks=tuple(_phrase(p) for p in spec["asks"]),
            )
            for name, spec in data["markers"].items()
        ),
        out_of_scope=tuple(
            OutOfScope(
                asks=tuple(_ask(p) for p in item["asks"]),
                unless=tuple(_ask(p) for p in item.get("unless", [])),
                where_vi=item.get("where_vi", ""),
                where_en=item.get("where_en", ""),
            )
            for item in data.get("out_of_scope", [])
        ),
        generic_name_words=frozenset(_unit(item) for item in data.get("generic_name_words", [])),
        general_name_starts=tuple(_phrase(p) for p in data.get("general_name_starts", [])),
        places=place_names(data.get("places", [])),
    )


_UNIT_PREFIXES = ("thanh pho ", "tinh ", "phuong ", "xa ", "dac khu ")


def place_names(extra: Sequence[str] = ()) -> frozenset[Phrase]:
    """Vietnam's provinces and communes (``vietnam-provinces``, the 2025 units, without
    "Tỉnh", "Xã"…) and the lexicon's former provinces and cities, as phrases of two words
    or more (a one-word name — "Vinh", "Huế" — is too often an ordinary word)."""
    from vietnam_provinces import Province, Ward

    names = [*(p.name for p in Province.iter_all()), *(w.name for w in Ward.iter_all()), *extra]
    out = set()
    for name in names:
        folded = " ".join(words(name))
        for prefix in _UNIT_PREFIXES:
            if folded.startswith(prefix):
                folded = folded[len(prefix) :]
                break
        phrase = tuple(folded.split())
        if len(phrase) >= 2 and not any(w.isdigit() for w in phrase):
            out.add(phrase)
    return frozenset(out)


@cache
def default_lexicon() -> Lexicon:
    return lexicon_from_data(json.loads(LEXICON_PATH.read_text(encoding="utf-8")))
