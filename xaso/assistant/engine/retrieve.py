"""Finding procedures: BM25 per procedure field, with field weights, then re-ranking.

1. Each field of a record is indexed on its own (``bm25s``): the name (without a leading
   "Thủ tục") counts most, then the keywords (how people name the procedure: "làm giấy
   chứng tử", "gks"; English ones as "@"-marked stems), what the citizen receives
   (results), the field (lĩnh vực), who may apply and the conditions, and last the
   documents. Terms are folded syllables
   plus the dictionary words of ``segment.Segmenter`` ("dang_ki", "khai_sinh"); acronyms in
   the records ("BHXH", "TNLĐ") are indexed with their words too.
2. The weighted sum ranks the catalog; the best ``POOL`` go on to re-ranking, where each
   candidate is scored for
   - coverage: how much of the question (weighted by rarity, IDF over the catalog) the
     procedure's name, results and field contain — a word the catalog never uses weighs
     the most, so a question about something else cannot look covered;
   - head coverage: how much of the first ``HEAD`` distinctive words of the name (the
     words that say what the procedure is; "cấp", "giấy", "thủ tục" do not count) the
     question contains;
   - keyword coverage: how fully the question says one of the procedure's keywords (the
     name alone when it has none yet);
   - phrase: the longest run of question words found in the same order in the name;
   - within: how much of the question one phrase — the name or a single keyword — holds
     (for the answer-or-decline model, not the ranking);
   - special cases: a procedure that is a special case the question does not name
     (foreign element, re-registration, mobile registration, border area, combined
     procedures, extension, deletion, an organisation's case…) is multiplied by
     ``SPECIAL_UNNAMED``, one that lacks a case the question names by ``SPECIAL_MISSING``;
     naming it gives ``SPECIAL_NAMED``;
   - age: a name for "dưới 14 tuổi" or "từ đủ 14 tuổi trở lên" against an age in the question.
   The hand-made score multiplies these (``pool``).
3. ``rank`` orders the pool by the learned ranker (``ranker.Ranker``: a conditional logit
   over each candidate's measures — ``Scored.features``, each field's BM25 and the hand-made
   score among them — fitted on development questions); a candidate's ``score`` is then its
   share of the pool. Without a ranker the hand-made score ranks.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import re
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass
from typing import Any

import bm25s
import numpy as np

from xaso.assistant.engine.lexicon import Lexicon
from xaso.assistant.engine.query import Query
from xaso.assistant.engine.ranker import Ranker
from xaso.assistant.engine.records import ProcRecord
from xaso.assistant.engine.segment import Segmenter
from xaso.assistant.engine.text import english_stem, fold, is_syllable, phrase_in, words

logging.getLogger("bm25s").setLevel(logging.WARNING)

FIELD_WEIGHTS = {
    "name": 3.0,
    "keywords": 3.0,
    "keywords_en": 2.0,
    "results": 1.0,
    "field": 0.6,
    "people": 0.3,
    "documents": 0.15,
}
POOL = 40
HEAD = 5
NAME_CAP = 12.0  # IDF weight of name words that fully identifies a procedure (two or three rare words)
DISTINCT_DF = 30  # a name word used by more names than this does not tell procedures apart
SPECIAL_UNNAMED = 0.7
SPECIAL_MISSING = 0.75
SPECIAL_NAMED = 1.15
AGE_MATCH = 1.3
AGE_MISMATCH = 0.4
PHRASE_BONUS = 0.3
PREFIX_BONUS = 0.25  # the name begins with the question's words, in order
WEAK_CREDIT = 0.5  # a question word found only among applicants/conditions

_AGE_QUALIFIER = re.compile(r"\b(?:duoi|tu du|tu) \d+ tuoi(?: tro len)?")
_UNDER = re.compile(r"duoi (\d+) tuoi")
_FROM = re.compile(r"tu (?:du )?(\d+) tuoi")


def core_name(name: str) -> list[str]:
    tokens = words(name)
    return tokens[2:] if tokens[:2] == ["thu", "tuc"] else tokens


def age_range(name: str) -> tuple[int, int] | None:
    folded = fold(name)
    if m := _UNDER.search(folded):
        return (0, int(m.group(1)) - 1)
    if m := _FROM.search(folded):
        return (int(m.group(1)), 200)
    return None


def age_siblings(one: str, other: str) -> bool:
    """Whether two procedure names differ only in the ages they serve ("cấp thẻ căn cước cho
    người dưới 14 tuổi" and "… từ đủ 14 tuổi trở lên")."""
    ages = age_range(one), age_range(other)
    if None in ages or ages[0] == ages[1]:
        return False
    return _AGE_QUALIFIER.sub(" ", fold(one)).split() == _AGE_QUALIFIER.sub(" ", fold(other)).split()


def longest_run(query: Sequence[str], name: Sequence[str]) -> int:
    """The longest run of words found in the same order in both. Runs start only where a
    word is shared and the words before differ (about half of a question's time went to
    trying every pair of positions)."""
    where: dict[str, list[int]] = {}
    for j, word in enumerate(name):
        where.setdefault(word, []).append(j)
    best = 0
    for i, word in enumerate(query):
        for j in where.get(word, ()):
            if i and j and query[i - 1] == name[j - 1]:
                continue  # inside a run that starts earlier
            k = 1
            while i + k < len(query) and j + k < len(name) and query[i + k] == name[j + k]:
                k += 1
            best = max(best, k)
    return best


class _FieldIndex:
    def __init__(self, corpus: list[list[str]], *, k1: float = 1.5, b: float = 0.75) -> None:
        self.size = len(corpus)
        self.vocab = {t for doc in corpus for t in doc}
        self.bm25 = bm25s.BM25(k1=k1, b=b)
        if self.vocab:
            self.bm25.index(corpus, show_progress=False)

    def scores(self, terms: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
        known = [t for t in terms if t in self.vocab]
        if not known:
            return np.zeros(self.size)
        return np.asarray(self.bm25.get_scores(known), dtype=np.float64)


@dataclass(frozen=True)
class DocView:
    """What re-ranking needs to know about one record."""

    name_words: tuple[str, ...]
    strong: frozenset[str]  # words of the name, results and field
    weak: frozenset[str]  # words of applicants and conditions
    head: tuple[str, ...]  # the first distinctive words of the name
    distinctive: tuple[str, ...]  # all of them
    markers: frozenset[str]
    ages: tuple[int, int] | None
    keywords: tuple[tuple[str, ...], ...] = ()  # each keyword's words, as typed
    keyword_units: tuple[tuple[str, ...], ...] = ()  # each keyword's telling words
    phrases: tuple[frozenset[str], ...] = ()  # the name's and each keyword's words and units


@dataclass(frozen=True)
class Scored:
    index: int
    bm25: float
    score: float
    coverage: float
    head_coverage: float
    info: float  # total IDF of the question words the procedure covers
    age_fit: bool | None
    keyword: float = 0.0  # how fully the question says the name or one of the keywords
    within: float = 0.0  # how much of the question one phrase (the name or a keyword) holds
    hand: float = 0.0  # the hand-made re-ranking score (``score`` too when nothing is learned)
    features: tuple[float, ...] = ()  # what ``ranker.Ranker`` weighs, in ``ranker.FEATURES`` order

    @property
    def naming(self) -> float:
        """How well the question names the procedure, by its name or by a keyword."""
        return max(self.head_coverage, self.keyword)


class Retriever:
    def __init__(
        self,
        records: Sequence[ProcRecord],
        *,
        lexicon: Lexicon,
        segmenter: Segmenter,
        ranker: Ranker | None = None,
    ) -> None:
        self.records = list(records)
        self.ranker = ranker
        #: For each pooled procedure, how close the question is to the questions remembered
        #: for it (``semantic.Memory``, set by the engine); without it the measure is 0.
        self.similarity: Callable[[str, Sequence[int]], Sequence[float]] | None = None
        self.lexicon = lexicon
        self.segmenter = segmenter
        self._acronyms = {
            key[0]: value
            for key, value in lexicon.abbreviations
            if len(key) == 1 and value and not is_syllable(key[0])
        }
        names = [self._expand(core_name(r.name)) for r in self.records]
        results = [self._expand(words(" ".join(r.results))) for r in self.records]
        fields = [self._expand(words(r.field)) for r in self.records]
        people = [words(f"{r.applicants} {r.conditions}") for r in self.records]
        documents = [words(" ".join(d.name for d in r.documents)) for r in self.records]
        keywords = [tuple(tuple(self._expand(words(k))) for k in r.keywords) for r in self.records]
        keywords_en = [tuple(lexicon.english_stems(words(k)) for k in r.keywords_en) for r in self.records]
        keyword_words = [[w for k in ks for w in k] for ks in keywords]
        keyword_en_words = [[w for k in ks for w in k] for ks in keywords_en]
        self._fields = {
            # A name counts each word once, and its length only a little: long names list
            # the cases they cover, they are not less relevant for it.
            "name": _FieldIndex([list(dict.fromkeys(self.terms(n))) for n in names], k1=1.2, b=0.3),
            "keywords": _FieldIndex(
                [list(dict.fromkeys(self.terms(k))) for k in keyword_words], k1=1.2, b=0.3
            ),
            "keywords_en": _FieldIndex([list(dict.fromkeys(k)) for k in keyword_en_words], k1=1.2, b=0.3),
            "results": _FieldIndex([self.terms(t) for t in results]),
            "field": _FieldIndex([self.terms(t) for t in fields]),
            "people": _FieldIndex([self.terms(t) for t in people]),
            "documents": _FieldIndex([self.terms(t) for t in documents]),
        }
        strong = [
            frozenset(self.terms(n))
            | frozenset(self.terms(r))
            | frozenset(self.terms(f))
            | frozenset(self.terms(k))
            | frozenset(e)
            for n, r, f, k, e in zip(names, results, fields, keyword_words, keyword_en_words, strict=True)
        ]
        weak = [frozenset(self.terms(p)) for p in people]
        n_docs = max(len(self.records), 1)
        df: dict[str, int] = {}
        for i in range(len(self.records)):
            for w in strong[i] | weak[i] | frozenset(self.terms(documents[i])):
                df[w] = df.get(w, 0) + 1
        self.idf = {w: math.log(1 + (n_docs - d + 0.5) / (d + 0.5)) for w, d in df.items()}
        # How specific a word is to procedures (names, results, fields only): "căn cước"
        # appears among the documents of most procedures, but names few of them.
        strong_df: dict[str, int] = {}
        for doc in strong:
            for w in doc:
                strong_df[w] = strong_df.get(w, 0) + 1
        self.specificity = {w: math.log(1 + (n_docs - d + 0.5) / (d + 0.5)) for w, d in strong_df.items()}
        self.unknown_idf = math.log(1 + (n_docs + 0.5) / 0.5)
        # Distinctive name words leave out age qualifiers ("dưới 14 tuổi"): ages are
        # compared as numbers (``age_range``), not as words the question must repeat.
        name_units = [self.segmenter.units(words(_AGE_QUALIFIER.sub(" ", " ".join(n)))) for n in names]
        result_units = [self.segmenter.units(r) for r in results]
        name_df: dict[str, int] = {}
        for units in name_units:
            for u in set(units):
                name_df[u] = name_df.get(u, 0) + 1
        self.views = []
        self._core_words = [frozenset(core_name(r.name)) for r in self.records]
        for record, n, units, more, s, p, ks, en in zip(
            self.records, names, name_units, result_units, strong, weak, keywords, keywords_en, strict=True
        ):
            distinctive = [
                u
                for u in dict.fromkeys([*units, *more])
                if u not in lexicon.generic_name_words
                and not u.isdigit()
                and name_df.get(u, 0) <= DISTINCT_DF
            ]
            head = [u for u in dict.fromkeys(units) if u in distinctive][:HEAD]
            general = any(tuple(n[: len(start)]) == start for start in lexicon.general_name_starts)
            markers = frozenset(
                m.name
                for m in lexicon.markers
                if not general and any(phrase_in(n, phrase) for phrase in m.names)
            )
            self.views.append(
                DocView(
                    name_words=tuple(n),
                    strong=s,
                    weak=p,
                    head=tuple(head) or tuple(distinctive[:HEAD]),
                    distinctive=tuple(distinctive),
                    markers=markers,
                    ages=age_range(record.name),
                    keywords=ks,
                    keyword_units=self._telling(ks) + tuple(e for e in en if e),
                    phrases=(
                        frozenset(self.terms(n)),
                        *(frozenset(self.terms(list(k))) for k in ks),
                        *(frozenset(e) for e in en if e),
                    ),
                )
            )

    def _telling(self, keywords: Sequence[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
        """Each keyword's telling words: dictionary words as units, without the generic
        name words, question words and numbers ("làm giấy chứng tử" → ("chung_tu",))."""
        out = []
        for keyword in keywords:
            telling = tuple(
                u
                for u in self.segmenter.units(keyword)
                if u not in self.lexicon.generic_name_words
                and u not in self.lexicon.stopwords
                and not u.isdigit()
            )
            if telling:
                out.append(telling)
        return tuple(out)

    def _expand(self, tokens: list[str]) -> list[str]:
        extra = [w for t in tokens if t in self._acronyms for w in self._acronyms[t]]
        return tokens + extra

    def terms(self, tokens: Sequence[str]) -> list[str]:
        return [*tokens, *self.segmenter.compounds(tokens)]

    def weight(self, word: str) -> float:
        if word in self.idf:
            return self.idf[word]
        return self.idf.get(english_stem(word), self.unknown_idf)

    def field_scores(self, terms: Sequence[str]) -> dict[str, np.ndarray[Any, np.dtype[np.float64]]]:
        expanded = self.terms(terms)
        return {name: index.scores(expanded) for name, index in self._fields.items()}

    def bm25(
        self, per_field: dict[str, np.ndarray[Any, np.dtype[np.float64]]]
    ) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The weighted sum of ``field_scores`` (``FIELD_WEIGHTS``)."""
        total = np.zeros(len(self.records))
        for name, scores in per_field.items():
            total += FIELD_WEIGHTS[name] * scores
        return total

    def coverage(self, index: int, query: Query) -> tuple[float, float]:
        """(share of the question's weight the procedure covers, how specific the covered
        words are to procedures — their IDF over names, results and fields), over the
        question's words (dictionary words as units). A word a synonym explains counts when
        the synonym's words are there; words that only named a special case, and numbers,
        do not count either way."""
        view = self.views[index]
        explained: dict[str, list[tuple[str, ...]]] = {}
        for word, value in query.explained:
            explained.setdefault(word, []).append(value)
        total = got = info = 0.0
        for unit in dict.fromkeys(self.segmenter.units(query.core)):
            syllables = unit.split("_")
            if unit.isdigit():
                continue
            if unit in view.strong:
                got += self.weight(unit)
                info += self.specificity.get(unit, 0.0)
            elif query.english and (stem := english_stem(unit)) in view.strong:
                got += self.weight(unit)
                info += self.specificity.get(stem, 0.0)
            elif all(w in query.marker_words for w in syllables):
                continue
            elif unit in view.weak:
                got += WEAK_CREDIT * self.weight(unit)
            elif any(
                all(w in view.strong for w in value) for w in syllables for value in explained.get(w, [])
            ):
                got += self.weight(unit)
            elif any(
                all(w in view.strong or w in view.weak for w in value)
                for w in syllables
                for value in explained.get(w, [])
            ):
                got += WEAK_CREDIT * self.weight(unit)
            elif len(syllables) > 1 and all(w in view.strong for w in syllables):
                got += WEAK_CREDIT * self.weight(unit)
            total += self.weight(unit)
        if total == 0:
            return 0.0, 0.0
        info += sum(
            self.specificity.get(u, 0.0) for u in set(self.segmenter.units(query.extra)) if u in view.strong
        )
        return got / total, info

    def search_units(self, query: Query) -> list[str]:
        """The question's own words as dictionary units, once each, without numbers and the
        words that only named a special case."""
        return [
            u
            for u in dict.fromkeys(self.segmenter.units(query.core))
            if not u.isdigit() and not all(w in query.marker_words for w in u.split("_"))
        ]

    def unknown_share(self, query: Query) -> float:
        """Share of the question's weight in words the catalog never uses (numbers aside)."""
        total = unknown = 0.0
        for unit in self.search_units(query):
            weight = self.weight(unit)
            total += weight
            if (
                unit not in self.idf
                and not all(w in self.idf for w in unit.split("_"))
                and not (query.english and english_stem(unit) in self.idf)
            ):
                unknown += weight
        return unknown / total if total else 0.0

    def _asked_weight(self, units: Sequence[str], asked: Set[str]) -> tuple[float, float]:
        total = got = 0.0
        for unit in units:
            weight = self.weight(unit)
            total += weight
            if unit in asked:
                got += weight
            elif "_" in unit and all(w in asked for w in unit.split("_")):
                got += WEAK_CREDIT * weight
        return got, total

    def _best_share(self, pairs: Iterable[tuple[Sequence[str], Set[str]]]) -> float:
        """The best ``_asked_weight`` share over (words to weigh, words said) pairs; 0 if none."""
        best = 0.0
        for units, asked in pairs:
            got, total = self._asked_weight(units, asked)
            if total:
                best = max(best, got / total)
        return best

    def head_coverage(self, index: int, asked: set[str]) -> float:
        """How well the question names the procedure: the share (IDF-weighted) of the
        name's first distinctive words it has, or — for long names that list many cases —
        its weight of any distinctive name words up to ``NAME_CAP``, whichever is more. A
        two-syllable word whose syllables are asked apart counts half."""
        view = self.views[index]
        if not view.head:
            return 1.0
        got, total = self._asked_weight(view.head, asked)
        anywhere, all_total = self._asked_weight(view.distinctive, asked)
        return min(1.0, max(got / total, anywhere / min(all_total, NAME_CAP)))

    def keyword_coverage(self, index: int, asked: set[str]) -> float:
        """How fully the question says one of the procedure's keywords: the best share
        (IDF-weighted) of a keyword's telling words the question has."""
        return self._best_share((units, asked) for units in self.views[index].keyword_units)

    def question_units(self, query: Query) -> list[str]:
        """The question's words as ``within`` weighs them: English stems for an English
        question, else ``search_units``."""
        return list(query.english) if query.english else self.search_units(query)

    def within(self, index: int, units: Sequence[str]) -> float:
        """The largest share (IDF-weighted) of the question's words that one phrase — the
        name or a single keyword — holds: "chứng thực bản sao" lies wholly inside a keyword
        of its procedure, "giấy phép kinh doanh karaoke" inside none."""
        return self._best_share((units, phrase) for phrase in self.views[index].phrases)

    def special_factor(self, index: int, named: frozenset[str], pool_markers: frozenset[str]) -> float:
        own = self.views[index].markers
        factor = 1.0
        for _ in own - named:
            factor *= SPECIAL_UNNAMED
        for _ in (named & pool_markers) - own:
            factor *= SPECIAL_MISSING
        for _ in own & named:
            factor *= SPECIAL_NAMED
        return factor

    def rank(
        self, query: Query, *, allowed: np.ndarray[Any, np.dtype[np.bool_]] | None = None
    ) -> list[Scored]:
        """The pool, best first: by the learned ranker's share of the pool when there is
        one (``score`` is that share), else by the hand-made score."""
        pool = self.pool(query, allowed=allowed)
        if self.ranker is not None and pool:
            shares = self.ranker.probabilities(np.array([s.features for s in pool]))
            pool = [dataclasses.replace(s, score=float(p)) for s, p in zip(pool, shares, strict=True)]
        pool.sort(key=lambda s: (-s.score, self.records[s.index].code))
        return pool

    def variants_asked(self, order: Sequence[int], asked: frozenset[str]) -> dict[int, int]:
        """Per pooled procedure, how many of the special cases the question names belong to
        a variant of it in the pool (a procedure whose name holds all its words and more,
        with that case): "đăng ký kết hôn" when the question names a foreign element and
        "đăng ký kết hôn có yếu tố nước ngoài" is pooled. Unlike ``missing_cases``, a case
        named in passing (a tax certificate "for a company in Korea") counts only where a
        variant for it exists."""
        return {
            i: sum(
                1
                for m in asked - self.views[i].markers
                if any(
                    m in self.views[j].markers and self._core_words[i] < self._core_words[j] for j in order
                )
            )
            for i in order
        }

    def pool(
        self, query: Query, *, allowed: np.ndarray[Any, np.dtype[np.bool_]] | None = None
    ) -> list[Scored]:
        """The best ``POOL`` procedures by weighted BM25, each measured against the
        question (``score`` and ``hand`` are the hand-made re-ranking score), best first by it."""
        terms = query.terms
        per_field = self.field_scores(terms)
        raw = self.bm25(per_field)
        if allowed is not None:
            raw = np.where(allowed, raw, 0.0)
        order = [int(i) for i in np.argsort(-raw, kind="stable")[:POOL] if raw[i] > 0]
        if not order:
            return []
        asked = set(query.tokens) | set(terms)
        for marker in self.lexicon.markers:  # naming a special case asks for its words
            if marker.name in query.markers:
                for phrase in marker.names:
                    asked |= set(phrase) | set(self.segmenter.compounds(phrase))
        asked |= set(self.segmenter.compounds(query.tokens)) | set(self.segmenter.compounds(terms))
        pool_markers = frozenset().union(*(self.views[i].markers for i in order))
        variant_of = self.variants_asked(order, query.markers)
        top = float(raw[order[0]])
        best_in = {name: max(float(scores[i]) for i in order) or 1.0 for name, scores in per_field.items()}
        units = self.question_units(query)
        length = max(len(query.core), 1)
        measured: list[Scored] = []
        for i in order:
            view = self.views[i]
            coverage, info = self.coverage(i, query)
            head = self.head_coverage(i, asked)
            # A procedure without keywords yet (a new one) is judged by its name alone, not
            # as if nothing matched.
            keyword = self.keyword_coverage(i, asked) if view.keyword_units else head
            run = max(
                [longest_run(query.core, view.name_words)]
                + [longest_run(query.core, k) for k in view.keywords]
            )
            prefix = len(query.core) > 1 and view.name_words[: len(query.core)] == query.core
            age_fit = None
            if query.age is not None and view.ages is not None:
                age_fit = view.ages[0] <= query.age <= view.ages[1]
            hand = (
                float(raw[i])
                / top
                * (0.35 + 0.65 * coverage)
                * (0.7 + 0.3 * max(head, keyword))
                * (1 + PHRASE_BONUS * min(run, len(query.core)) / length)
                * (1 + PREFIX_BONUS * prefix)
                * self.special_factor(i, query.markers, pool_markers)
                * (1.0 if age_fit is None else AGE_MATCH if age_fit else AGE_MISMATCH)
            )
            within = self.within(i, units)
            features = (
                math.log(max(float(raw[i]) / top, 1e-9)),
                *(float(per_field[name][i]) / best_in[name] for name in FIELD_WEIGHTS),
                coverage,
                head,
                keyword,
                max(head, keyword),
                min(run, len(query.core)) / length,
                float(prefix),
                float(len(view.markers - query.markers)),
                float(len((query.markers & pool_markers) - view.markers)),
                float(len(view.markers & query.markers)),
                float(variant_of[i]),
                float(age_fit is True),
                float(age_fit is False),
                within,
                min(2.0, info / self.unknown_idf),
            )
            measured.append(
                Scored(i, float(raw[i]), hand, coverage, head, info, age_fit, keyword, within, hand, features)
            )
        # The last measure, the hand-made score against the pool's best, needs the whole pool.
        best_hand = max(s.hand for s in measured) or 1.0
        similar = [0.0] * len(measured)
        if self.similarity is not None:
            similar = list(self.similarity(query.text, [s.index for s in measured]))
        best_similar = max(similar)
        scored = [
            dataclasses.replace(
                s, features=(*s.features, math.log(max(s.hand / best_hand, 1e-9)), sim - best_similar)
            )
            for s, sim in zip(measured, similar, strict=True)
        ]
        scored.sort(key=lambda s: (-s.score, self.records[s.index].code))
        return scored
