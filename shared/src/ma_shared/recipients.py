"""Who a text or email may go to: the same rules for a caseworker's message and an automated
one (the old system checked manual sends only; income-rules §4.3, frontend-and-notify C.8).
comms-api enforces them; the caseworkers' app checks a typed number before its preview."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s()\-]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class InvalidRecipient(ValueError):
    """The phone number or email address cannot receive this message."""


def uk_mobile_e164(phone_number: str) -> str:
    """A UK mobile number in E.164 (`+447…`). Accepts the ways people write one: spaces,
    brackets, dashes, and the `07`, `447`, `+447` and `00447` prefixes."""
    digits = _SEPARATORS.sub("", phone_number.strip())
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits.isdigit():
        raise InvalidRecipient("A phone number may only contain digits, spaces, ( ) - and +.")
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("44"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        raise InvalidRecipient("Not a UK mobile number.")
    if national.startswith("0"):
        national = national[1:]
    if not national.startswith("7"):
        raise InvalidRecipient("Not a UK mobile number: UK mobiles start 07.")
    if len(national) != 10:
        raise InvalidRecipient("A UK mobile number has 11 digits, starting 07.")
    return f"+44{national}"


def email_address(value: str) -> str:
    address = value.strip()
    if len(address) > 320 or not _EMAIL.match(address):
        raise InvalidRecipient("Not a valid email address.")
    return address
