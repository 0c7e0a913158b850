"""Vietnamese text normalisation for search: people type with or without diacritics."""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"[0-9a-z]+(?:[./][0-9a-z]+)*")


def strip_diacritics(text: str) -> str:
    """``"Đăng ký khai sinh"`` → ``"Dang ky khai sinh"`` (đ/Đ have no decomposition)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold(text: str) -> str:
    """Lower-case, diacritics removed, whitespace collapsed."""
    return " ".join(strip_diacritics(text).lower().split())


def tokens(text: str) -> list[str]:
    """Folded word tokens; codes such as ``1.001193`` or ``123/2015`` stay whole."""
    return _TOKEN.findall(fold(text))
