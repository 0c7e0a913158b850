"""Typing slips in folded Vietnamese, corrected against the catalog's own words.

Candidates for a word are the catalog words one edit away (a letter dropped, added,
changed or two swapped), the word with Telex keystrokes removed ("ddawng kys" → "dang
ki"), and the sound-alike spellings of regional speech (ch/tr, s/x, d/gi/r/v, l/n, final
n/ng and c/t). Context decides between them: a candidate that forms known word pairs with
its neighbours wins.

- A word the catalog and the lexicon never use ("thuog", "snh") is replaced by its best
  candidate.
- A real word that makes no known pair with its neighbours ("ket hom", "ban xao") is
  replaced only when a candidate does make a known pair (at least ``MIN_PAIR`` times).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

from xaso.assistant.engine.text import canonical, is_syllable

ALPHABET = "abcdefghijklmnopqrstuvwxyz"
MIN_PAIR = 3  # a real word is replaced only by a candidate seen this often next to its neighbour
RARE = 3  # … and only when the word itself is this rare in the catalog,
STRONG_PAIR = 20  # or the candidate's pair is this common ("kinh doan" → "kinh doanh")
_INITIAL_SWAPS = (("ch", "tr"), ("s", "x"), ("d", "gi"), ("d", "r"), ("gi", "r"), ("d", "v"), ("l", "n"))
_FINAL_SWAPS = (("ng", "n"), ("c", "t"), ("nh", "n"))
_TELEX_VOWELS = (("aa", "a"), ("aw", "a"), ("ee", "e"), ("oo", "o"), ("ow", "o"), ("uw", "u"), ("dd", "d"))
_TELEX_TONE = re.compile(r"^([a-z]+?)[sfrxj]$")


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in ALPHABET}
    inserts = {a + c + b for a, b in splits for c in ALPHABET}
    return deletes | transposes | replaces | inserts


def _sound_alikes(word: str) -> set[str]:
    out = set()
    for a, b in _INITIAL_SWAPS:
        for x, y in ((a, b), (b, a)):
            if word.startswith(x):
                out.add(y + word[len(x) :])
    for a, b in _FINAL_SWAPS:
        for x, y in ((a, b), (b, a)):
            if word.endswith(x):
                out.add(word[: -len(x)] + y)
    return out


def _untelex(word: str) -> str:
    for typed, letter in _TELEX_VOWELS:
        word = word.replace(typed, letter)
    match = _TELEX_TONE.match(word)
    return match.group(1) if match and len(word) > 2 else word


class Speller:
    def __init__(
        self, texts: Iterable[list[str]], *, known: Iterable[str] = (), keep: Iterable[str] = ()
    ) -> None:
        """``texts``: token lists of the catalog (pairs are counted within each);
        ``known``: more words that are never typing slips; ``keep``: words never changed."""
        self.unigrams: Counter[str] = Counter()
        self.pairs: Counter[tuple[str, str]] = Counter()
        for tokens in texts:
            self.unigrams.update(tokens)
            self.pairs.update(pairwise(tokens))
        self.known = frozenset(known) | frozenset(self.unigrams)
        self.keep = frozenset(keep)

    def _context(self, prev: str | None, word: str, nxt: str | None) -> int:
        score = 0
        if prev is not None:
            score += self.pairs[(prev, word)]
        if nxt is not None:
            score += self.pairs[(word, nxt)]
        return score

    def _candidates(self, word: str) -> set[str]:
        found = {canonical(c) for c in _edits1(word) | _sound_alikes(word)} & self.known
        found.discard(word)
        return found

    def correct(
        self, tokens: list[str], *, real_words: bool = True
    ) -> tuple[list[str], list[tuple[str, str]]]:
        """Corrected tokens and the changes made. ``real_words=False`` fixes only words the
        catalog does not know (for questions typed with diacritics, which are deliberate)."""
        out = list(tokens)
        changes: list[tuple[str, str]] = []
        for i, word in enumerate(tokens):
            if len(word) < 3 or not word.isalpha() or word in self.keep:
                continue
            prev = out[i - 1] if i > 0 else None
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            unknown = word not in self.known
            if not unknown and (
                not real_words or self._context(prev, word, nxt) > 0 or (prev is None and nxt is None)
            ):
                continue
            untyped = canonical(_untelex(word))
            if unknown and untyped != word and untyped in self.known:
                out[i] = untyped  # typed with Telex keys and no input method
                changes.append((word, untyped))
                continue
            candidates = self._candidates(word)
            if not candidates:
                continue
            best = max(candidates, key=lambda c: (self._context(prev, c, nxt), self.unigrams[c], c))
            support = self._context(prev, best, nxt)
            if unknown and (support > 0 or not is_syllable(word) or len(candidates) == 1):
                pass
            elif (
                not unknown
                and support >= MIN_PAIR
                and (
                    self.unigrams[word] < RARE
                    or (support >= STRONG_PAIR and support >= 2 * self.unigrams[word])
                )
            ):
                pass
            else:
                continue
            out[i] = best
            changes.append((word, best))
        return out, changes
