"""Personal data in questions: found so it is never stored, and dossier references found so
"hồ sơ của tôi đến đâu rồi?" can be answered.

- 12-digit citizen ID numbers and 9-digit old ID card numbers → ``[id]``;
- phone numbers (0… or +84…, 10–11 digits, spaces, dots or dashes allowed) → ``[phone]``;
- e-mail addresses → ``[email]``;
- when the question carries a dossier code, the 4 check digits next to it → ``[check]``
  (the code itself stays: it says nothing about the person without the check digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ID12 = re.compile(r"(?<![\w-])\d{12}(?![\w-])")
_ID9 = re.compile(r"(?<![\w-])\d{9}(?![\w-])")
_PHONE = re.compile(r"(?<![\w+-])(?:\+84|84|0)(?:[ .-]?\d){8,10}(?![\w-])")
_CHECK = re.compile(r"(?<![\w.-])\d{4}(?![\w.-])")
# A dossier code: letters/digits in 2–6 parts joined by "-" or "/", with at least 6 digits
# (the default format is <unit>-<YYMMDD>-<NNNN>, e.g. 20122-250703-0001).
_DOSSIER = re.compile(r"(?<![\w.-])[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+){1,5}(?![\w-])")
_PROC_CODE = re.compile(r"^\d\.\d{6}$")
_DATE = re.compile(r"^\d{1,2}[-/]\d{1,2}[-/]\d{2,4}$")


@dataclass(frozen=True)
class DossierRef:
    codes: tuple[str, ...]  # candidate dossier codes, as typed
    check: str | None  # 4 digits given with them


def dossier_codes(text: str) -> list[str]:
    out = []
    for match in _DOSSIER.finditer(text):
        token = match.group(0)
        if (
            sum(ch.isdigit() for ch in token) >= 6
            and "-" in token
            and not _PROC_CODE.match(token)
            and not _DATE.match(token)
        ):
            out.append(token)
    return out


def dossier_ref(text: str) -> DossierRef | None:
    """The dossier code(s) in a question and the check digits, if any."""
    codes = dossier_codes(text)
    if not codes:
        return None
    rest = text
    for code in codes:
        rest = rest.replace(code, " ")
    rest = _PHONE.sub(" ", _ID12.sub(" ", rest))
    checks = _CHECK.findall(rest)
    return DossierRef(codes=tuple(codes), check=checks[-1] if checks else None)


_LABEL = r"(?:(?:số|so)\s+)?(?:cccd|cmnd|căn cước|can cuoc|định danh|dinh danh|sđt|sdt|đt|dt|điện thoại|dien thoai|phone|e-?mail|mail)\s*[:.]?\s*"
_PERSONAL = re.compile(
    rf"(?:{_LABEL})?(?:{_EMAIL.pattern}|{_ID12.pattern}|{_PHONE.pattern}|{_ID9.pattern})", re.IGNORECASE
)


def strip_personal(text: str) -> str:
    """The question without personal numbers and addresses, nor the words that label them
    ("CCCD 0461…", "sđt 0905…"): what is left is what the question asks."""
    return _PERSONAL.sub(" ", text)


def scrub(text: str) -> str:
    """The question with personal data removed, safe to store."""
    out = _EMAIL.sub("[email]", text)
    if dossier_codes(out):
        parts = []
        last = 0
        for code in dossier_codes(out):
            start = out.index(code, last)
            parts.append(_scrub_plain(out[last:start], checks=True))
            parts.append(code)
            last = start + len(code)
        parts.append(_scrub_plain(out[last:], checks=True))
        return "".join(parts)
    return _scrub_plain(out, checks=False)


def _scrub_plain(text: str, *, checks: bool) -> str:
    text = _ID12.sub("[id]", text)
    text = _PHONE.sub("[phone]", text)
    text = _ID9.sub("[id]", text)
    if checks:
        text = _CHECK.sub("[check]", text)
    return text
