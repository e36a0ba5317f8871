"""Phone numbers and email addresses, checked as Notify checks them (B.8).

Phone numbers follow the simpler rule the domain notes allow for UK services instead of
libphonenumber: UK numbers in any usual written form are normalised to `44…` (E.164 without
the plus); anything else is an international number of 8 to 15 digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fake_notify.domain.statuses import Status


class InvalidRecipient(ValueError):
    """Its text is Notify's wording; the schema check puts the field name in front."""


@dataclass(frozen=True)
class PhoneNumber:
    normalised: str
    is_uk: bool
    is_uk_mobile: bool


_ALLOWED_PHONE_CHARACTERS = re.compile(r"^[\d\s()+\-]*$")
_PHONE_PUNCTUATION = re.compile(r"[\s()+\-]")


def _uk_number(national: str) -> PhoneNumber:
    # "+44 (0)7700 900123": the stray trunk zero after the country code is forgiven.
    if national.startswith("0"):
        national = national[1:]
    if len(national) > 10:
        raise InvalidRecipient("Too many digits")
    if len(national) < 10:
        raise InvalidRecipient("Not enough digits")
    if national[0] not in "1237":
        raise InvalidRecipient(
            "Number is not valid – double check the phone number you entered"  # noqa: RUF001
        )
    return PhoneNumber(f"44{national}", is_uk=True, is_uk_mobile=national.startswith("7"))


def parse_phone_number(raw: str) -> PhoneNumber:
    if not _ALLOWED_PHONE_CHARACTERS.match(raw):
        raise InvalidRecipient("Must not contain letters or symbols")
    digits = _PHONE_PUNCTUATION.sub("", raw)
    if not digits:
        raise InvalidRecipient("Not enough digits")
    if digits.startswith("0044"):
        return _uk_number(digits[4:])
    if digits.startswith("44"):
        return _uk_number(digits[2:])
    if digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0") or ("+" not in raw and len(digits) == 10 and digits[0] == "7"):
        return _uk_number(digits)
    if digits.startswith("0"):
        raise InvalidRecipient("Not a valid country prefix")
    if len(digits) > 15:
        raise InvalidRecipient("Too many digits")
    if len(digits) < 8:
        raise InvalidRecipient("Not enough digits")
    return PhoneNumber(digits, is_uk=False, is_uk_mobile=False)


# notifications-utils' rule: a permissive local part, then hostname labels and a real TLD.
_EMAIL = re.compile(r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~\-]+@([^.@][^@\s]+)$")
_HOSTNAME_LABEL = re.compile(r"^(xn|[a-z0-9]+)(-?-[a-z0-9]+)*$", re.IGNORECASE)
_TOP_LEVEL_DOMAIN = re.compile(r"^([a-z]{2,63}|xn--([a-z0-9]+-)*[a-z0-9]+)$", re.IGNORECASE)


def parse_email_address(raw: str) -> str:
    """The address as it will be compared (stripped, lower case), or InvalidRecipient."""
    address = raw.strip()
    invalid = InvalidRecipient("Not a valid email address")
    match = _EMAIL.match(address)
    if not match or len(address) > 320 or ".." in address:
        raise invalid
    try:
        hostname = match.group(1).encode("idna").decode("ascii")
    except UnicodeError as error:
        raise invalid from error
    labels = hostname.split(".")
    if len(hostname) > 253 or len(labels) < 2:
        raise invalid
    if any(not label or len(label) > 63 or not _HOSTNAME_LABEL.match(label) for label in labels):
        raise invalid
    if not _TOP_LEVEL_DOMAIN.match(labels[-1]):
        raise invalid
    return address.lower()


# Answered like any send but never stored (B.6).
SMOKE_TEST_RECIPIENTS: frozenset[str] = frozenset(
    {
        *(parse_phone_number(n).normalised for n in ("07700900000", "07700900111", "07700900222")),
        "simulate-delivered@notifications.service.gov.uk",
        "simulate-delivered-2@notifications.service.gov.uk",
        "simulate-delivered-3@notifications.service.gov.uk",
    }
)

# What a test key's notification to these ends as; any other recipient is delivered.
TEST_KEY_OUTCOMES: dict[str, Status] = {
    parse_phone_number("07700900003").normalised: "temporary-failure",
    parse_phone_number("07700900002").normalised: "permanent-failure",
    "temp-fail@simulator.notify": "temporary-failure",
    "perm-fail@simulator.notify": "permanent-failure",
}
