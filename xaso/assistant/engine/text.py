"""Text normalisation for questions and records: folding, tokens, canonical syllables.

Builds on ``xaso.lib.text`` (diacritics removed, lower case). On top of it:

- syllables written with a final ``y`` after a consonant are written with ``i`` (``ký`` and
  ``kí`` are the same word; people type both), so ``dang ky`` = ``dang ki``;
- numbers lose leading zeros (``mức độ 02`` = ``muc do 2``);
- procedure codes (``1.001193``, ``XS.BTXH.001``) stay whole.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from xaso.lib.text import strip_diacritics

_WORD = re.compile(r"[0-9a-z]+(?:[./][0-9a-z]+)*")
_PROC_CODE = re.compile(r"\b(\d\.\d{6}|xs\.[a-z]+\.\d{3})\b", re.IGNORECASE)
_CONSONANT_Y = re.compile(r"^(?:b|c|ch|d|g|gh|h|k|kh|l|m|n|ng|nh|p|ph|r|s|t|th|tr|v|x)y$")

INITIALS = (
    "",
    "b",
    "c",
    "ch",
    "d",
    "g",
    "gh",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "ngh",
    "nh",
    "p",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
)
# Rhymes of Vietnamese syllables once diacritics are folded (a superset: enough to tell a
# plausible syllable from a typing slip such as "thuog" or "snh").
RHYMES = frozenset(
    """a ac ach ai am an ang anh ao ap at au ay e ec em en eng eo ep et eu ech enh i ia ich iec iem
    ien ieng iep iet ieu im in inh ip it iu o oa oac oach oai oam oan oang oanh oao oap oat oay oc
    oe oen oeo oet oi om on ong ooc oong op ot u ua uan uang uanh uat uay uc ue uech uen uenh uet
    ui um un ung uo uoc uoi uom uon uong uop uot up ut uu uy uya uych uyen uyet uynh uyt uyu y yen
    yet yeu ach uynh oong ong oc eu""".split()
)


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        ch = chr(code)
        plain = strip_diacritics(ch)
        if plain != ch and plain.isascii():
            table[code] = plain
    table[ord("đ")] = "d"
    table[ord("Đ")] = "D"
    return table


_FOLD = _fold_table()
_MARKS = re.compile(r"[\u0300-\u036f]")


def fold(text: str) -> str:
    """Like ``xaso.lib.text.fold`` (lower case, no diacritics), with a translation table:
    the catalog is folded at start-up and this keeps that well under a second."""
    return _MARKS.sub("", unicodedata.normalize("NFC", text).translate(_FOLD)).lower()


def has_diacritics(text: str) -> bool:
    """Whether the text carries Vietnamese marks (then it was surely typed in Vietnamese)."""
    if "đ" in text or "Đ" in text:
        return True
    return any(unicodedata.category(ch) == "Mn" for ch in unicodedata.normalize("NFD", text))


@cache
def canonical(word: str) -> str:
    """One spelling per syllable: ``ky`` → ``ki``, ``02`` → ``2``."""
    if word.isdigit():
        return word.lstrip("0") or "0"
    if _CONSONANT_Y.match(word):
        return word[:-1] + "i"
    return word


def words(text: str) -> list[str]:
    """Folded, canonical word tokens of any text."""
    return [canonical(w) for w in _WORD.findall(fold(text))]


def procedure_codes(text: str) -> list[str]:
    """Procedure codes written in the text (upper-cased as the catalog writes them)."""
    return [m.upper() if m.lower().startswith("xs.") else m for m in _PROC_CODE.findall(text)]


@cache
def is_syllable(word: str) -> bool:
    """Whether a folded token could be a Vietnamese syllable (an initial plus a rhyme)."""
    if not word.isalpha():
        return True
    for initial in sorted(INITIALS, key=len, reverse=True):
        if word.startswith(initial) and word[len(initial) :] in RHYMES:
            return True
    return False


def phrase_in(tokens: list[str] | tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """Whether the phrase's words appear together, in order, among the tokens."""
    n = len(phrase)
    if n == 0 or n > len(tokens):
        return False
    first = phrase[0]
    return any(tokens[i] == first and tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))


_EN_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


@cache
def english_stem(word: str) -> str:
    """An English word as the assistant indexes English keywords: a crude stem (one suffix
    off, then a final "e") marked with "@" so that it never meets a Vietnamese syllable
    ("do", "an", "to"): "certificates" and "certificate" → "@certificat", "married" and
    "marry" → "@marry"."""
    stem = word
    for suffix, replacement in _EN_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 3 and not word.endswith("ss"):
            stem = word[: -len(suffix)] + replacement
            break
    if stem.endswith("e") and len(stem) > 4:
        stem = stem[:-1]
    return "@" + stem
