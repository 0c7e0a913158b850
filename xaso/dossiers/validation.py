"""Checks on what an applicant or officer typed. Each failure names the field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from xaso.lib.errors import InvalidInput

ID_RE = re.compile(r"^\d{12}$")
PHONE_RE = re.compile(r"^(?:\+84|0)\d{9,10}$")


@dataclass(frozen=True)
class Applicant:
    full_name: str
    id_number: str
    phone: str
    address: str
    email: str = ""


def clean_applicant(raw: Mapping[str, object]) -> Applicant:
    """Validate and normalise the applicant's details; raise naming the first wrong field."""

    def text(key: str, label: str, *, required: bool = True, max_len: int = 300) -> str:
        value = raw.get(key)
        value = "" if value is None else str(value).strip()
        if required and not value:
            raise InvalidInput(_("%(label)s is required.") % {"label": label}, field=f"applicant.{key}")
        if len(value) > max_len:
            raise InvalidInput(
                _("%(label)s is too long (at most %(n)s characters).") % {"label": label, "n": max_len},
                field=f"applicant.{key}",
            )
        return value

    name = " ".join(text("full_name", _("Full name"), max_len=150).split())
    id_number = text("id_number", _("Citizen ID number")).replace(" ", "")
    if not ID_RE.match(id_number):
        raise InvalidInput(
            _("Citizen ID number must be exactly 12 digits (the number on the chip-based ID card)."),
            field="applicant.id_number",
        )
    phone = re.sub(r"[\s.\-]", "", text("phone", _("Phone"), max_len=20))
    if not PHONE_RE.match(phone):
        raise InvalidInput(
            _("Phone must be a Vietnamese number: 10 digits starting with 0, or +84 and 9 digits."),
            field="applicant.phone",
        )
    email = text("email", _("Email"), required=False, max_len=200)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(_("Email is not a valid address."), field="applicant.email") from None
    address = " ".join(text("address", _("Address")).split())
    return Applicant(full_name=name, id_number=id_number, phone=phone, address=address, email=email)
