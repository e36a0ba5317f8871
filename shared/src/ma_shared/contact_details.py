"""The phone numbers and email address UH keeps for a contact (universal-housing.md §5.4):
one rule for uh-gateway, which writes them, income-api, which passes changes on, and the
caseworkers' app, which checks what was typed."""

from __future__ import annotations

import re
from typing import Final

# UH's `contacts.email_address` is varchar(50).
MAX_EMAIL_LENGTH: Final = 50

_UK_PHONE = re.compile(r"^(?:\+44|0044|0)(?:[1-3578]\d{8,9})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def normalise_uk_phone(number: str) -> str | None:
    """The number as UH shows it (national format, no spaces), or None if it is not a UK
    phone number."""
    compact = re.sub(r"[\s()\-.]", "", number)
    if not _UK_PHONE.match(compact):
        return None
    if compact.startswith("+44"):
        return "0" + compact[3:]
    if compact.startswith("0044"):
        return "0" + compact[4:]
    return compact


def is_valid_email(address: str) -> bool:
    return bool(_EMAIL.match(address)) and len(address) <= MAX_EMAIL_LENGTH
