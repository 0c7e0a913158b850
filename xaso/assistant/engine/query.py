"""Reading a question: language, typing slips, what is asked about, and the search words.

Steps, in order (each documented so it can be argued with):

1. Procedure codes are taken out whole ("1.001193").
2. Language: Vietnamese when at least half its words carry Vietnamese marks; otherwise
   English when more of its words are English than Vietnamese (a marked word counts as
   Vietnamese: one "fiancée" or a Vietnamese name does not make an English question
   Vietnamese).
3. Vietnamese words are checked for typing slips (``spell.Speller``; only words the
   catalog does not know when the question has diacritics).
4. Intent cues ("mất bao lâu", "bao nhiêu tiền", "how long") say which fact is wanted and
   leave the search words.
5. English phrases become the official Vietnamese words (lexicon ``english``); counter
   abbreviations and slang are replaced by official words ("dk" → "đăng ký", "sổ đỏ" →
   "giấy chứng nhận quyền sử dụng đất"); synonyms add official words beside the typed ones
   ("khuyết tật" adds "trợ cấp xã hội hằng tháng").
6. Special cases the question names are noted (foreign element, re-registration, mobile
   registration, border area…), an age if one is given, and whether it is a known request
   that no commune procedure serves (a passport, a divorce, a driving licence).
7. Politeness, pronouns and question words are dropped — as whole words, after word
   segmentation, so "định" (intend) goes but "xác định" stays; what remains are the
   search words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xaso.assistant.engine.lexicon import Lexicon, OutOfScope, Phrase, says
from xaso.assistant.engine.segment import Segmenter
from xaso.assistant.engine.spell import Speller
from xaso.assistant.engine.text import (
    fold,
    has_diacritics,
    is_syllable,
    phrase_in,
    procedure_codes,
    words,
)

_AGE = re.compile(r"\b(duoi|tren|tu du|tu)? ?(\d{1,3}) ?(?:tuoi|year|years|yo)\b")


@dataclass(frozen=True)
class Query:
    text: str
    language: str  # "vi" or "en"
    core: tuple[str, ...]  # the question's own search words (official words after slang)
    extra: tuple[str, ...] = ()  # words synonyms add
    explained: tuple[tuple[str, tuple[str, ...]], ...] = ()  # typed word → the synonym words for it
    intents: frozenset[str] = frozenset()
    markers: frozenset[str] = frozenset()
    marker_words: frozenset[str] = frozenset()
    age: int | None = None
    codes: tuple[str, ...] = ()
    out_of_scope: OutOfScope | None = None
    corrections: tuple[tuple[str, str], ...] = ()
    tokens: tuple[str, ...] = field(default=())  # the folded question after corrections
    english: tuple[str, ...] = ()  # an English question's own words, stemmed (``english_stem``)

    @property
    def terms(self) -> tuple[str, ...]:
        return self.core + self.extra + self.english


def detect_language(tokens: list[str], lexicon: Lexicon, known: frozenset[str], raw: str) -> str:
    """ "en" when English words outnumber Vietnamese ones. A word with Vietnamese marks counts
    as Vietnamese ("ăn", "đó" fold to English-looking "an", "do"); one accented loanword does
    not make an English question Vietnamese ("my fiancée", "José", a Vietnamese name)."""
    typed = [(w, has_diacritics(w)) for w in re.findall(r"\w+", raw.lower())]
    marked = sum(1 for _, has_marks in typed if has_marks)
    if marked and marked * 2 >= len(typed):
        return "vi"
    english = sum(1 for w, has_marks in typed if not has_marks and w in lexicon.english_words)
    vietnamese = marked + sum(
        1 for t in tokens if t not in lexicon.english_words and t in known and is_syllable(t)
    )
    return "en" if english > vietnamese else "vi"


def _lemma(word: str, known: frozenset[str]) -> str:
    """English inflections reduced to a known word: "registering" → "register"."""
    if word in known:
        return word
    for suffix, replacement in (
        ("ing", ""),
        ("ed", ""),
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ing", "e"),
        ("ed", "e"),
    ):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            candidate = word[: -len(suffix)] + replacement
            if candidate in known:
                return candidate
    return word


def asked_age(text: str) -> int | None:
    """An age in the question: "16 tuổi", "15 year old"; "dưới 6 tuổi" reads as 5."""
    m = _AGE.search(fold(text))
    if not m:
        return None
    age = int(m.group(2))
    return age - 1 if m.group(1) == "duoi" and age > 0 else age


def _replace(
    tokens: list[str], protected: list[bool], pairs: tuple[tuple[Phrase, Phrase], ...]
) -> tuple[list[str], list[bool]]:
    """Phrase replacement, longest key first; words that came from the lexicon are marked."""
    out: list[str] = []
    marks: list[bool] = []
    i = 0
    while i < len(tokens):
        for key, value in pairs:
            if tuple(tokens[i : i + len(key)]) == key:
                out.extend(value)
                marks.extend([True] * len(value))
                i += len(key)
                break
        else:
            out.append(tokens[i])
            marks.append(protected[i])
            i += 1
    return out, marks


def _cut_cues(tokens: list[str], lexicon: Lexicon, pairs: set[tuple[str, str]]) -> tuple[list[str], set[str]]:
    """Remove intent cues. A one-word cue that forms a catalog word pair with a neighbour
    is kept as a search word ("phí" in "phi nông nghiệp", "tiền" in "tiền sử dụng đất")."""
    intents: set[str] = set()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for intent, cue in lexicon.intents:
            n = len(cue)
            if tuple(tokens[i : i + n]) != cue:
                continue
            if n == 1:
                prev = tokens[i - 1] if i > 0 else ""
                nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
                if (prev, cue[0]) in pairs or (cue[0], nxt) in pairs:
                    continue
            intents.add(intent)
            i += n
            break
        else:
            out.append(tokens[i])
            i += 1
    return out, intents


def _places_at(tokens: list[str], places: frozenset[Phrase]) -> set[int]:
    """Positions of the words that name a place (longest name first)."""
    covered: set[int] = set()
    i = 0
    while i < len(tokens):
        for n in (4, 3, 2):
            if tuple(tokens[i : i + n]) in places:
                covered.update(range(i, i + n))
                i += n
                break
        else:
            i += 1
    return covered


def analyse(
    text: str,
    *,
    lexicon: Lexicon,
    speller: Speller,
    pairs: set[tuple[str, str]],
    segmenter: Segmenter,
    places: frozenset[Phrase] = frozenset(),
) -> Query:
    codes = tuple(procedure_codes(text))
    code_tokens = {c.lower() for c in codes}
    raw = [t for t in words(text) if t not in code_tokens]
    language = detect_language(raw, lexicon, speller.known, text)
    if language == "vi":
        # A place ("hộ khẩu Nam Định") says where, not what: not a search word, not a slip.
        somewhere = _places_at(raw, places)
        raw = [t for i, t in enumerate(raw) if i not in somewhere]
    tokens = raw
    corrections: list[tuple[str, str]] = []
    if language == "vi":
        tokens, corrections = speller.correct(raw, real_words=not has_diacritics(text))
    else:
        english = lexicon.english_words | frozenset(w for key, _ in lexicon.english for w in key)
        tokens = [_lemma(t, english) for t in raw]
    folded = tuple(tokens)
    tokens, intents = _cut_cues(tokens, lexicon, pairs)
    asked = tuple(tokens)  # the question without its intent cues
    protected = [False] * len(tokens)
    if language == "en":
        tokens, protected = _replace(tokens, protected, lexicon.english)
    tokens, protected = _replace(tokens, protected, lexicon.abbreviations)
    extra: list[str] = []
    explained: list[tuple[str, tuple[str, ...]]] = []
    for key, value in lexicon.synonyms:
        if phrase_in(tokens, key):
            extra.extend(value)
            explained.extend((w, value) for w in key)
    seen = (tokens, asked)
    matched_markers = [
        (m.name, p) for m in lexicon.markers for p in m.asks if any(phrase_in(t, p) for t in seen)
    ]
    out_of_scope = next(
        (
            topic
            for topic in lexicon.out_of_scope
            if any(says(t, p) for t in seen for p in topic.asks)
            and not any(says(t, p) for t in seen for p in topic.unless)
        ),
        None,
    )
    if language == "en":
        dropped = lexicon.stopwords_en | lexicon.english_words
        core = tuple(t for t, keep in zip(tokens, protected, strict=True) if t and (keep or t not in dropped))
    else:
        kept: list[str] = []
        for a, b in segmenter.spans(tokens):
            if b - a == 1 and not protected[a] and tokens[a] in lexicon.stopwords:
                continue
            kept.extend(t for t in tokens[a:b] if t)
        core = tuple(kept)
    return Query(
        text=text,
        language=language,
        core=core,
        extra=tuple(extra),
        explained=tuple(explained),
        intents=frozenset(intents),
        markers=frozenset(name for name, _ in matched_markers),
        marker_words=frozenset(w for _, p in matched_markers for w in p),
        age=asked_age(text),
        codes=codes,
        out_of_scope=out_of_scope,
        corrections=tuple(corrections),
        tokens=folded,
        english=tuple(dict.fromkeys(lexicon.english_stems(asked))) if language == "en" else (),
    )
