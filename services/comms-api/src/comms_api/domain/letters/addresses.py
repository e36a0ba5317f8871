"""The postal address rules GOV.UK Notify applies to a letter (frontend-and-notify B.9), checked
before a PDF is made so a letter never fails validation after it has been sent."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "MAX_ADDRESS_LINES",
    "MAX_ADDRESS_LINE_LENGTH",
    "MIN_ADDRESS_LINES",
    "AddressRule",
    "address_rules_broken",
    "format_postcode",
    "is_uk_postcode",
    "normalise_address_lines",
]

MIN_ADDRESS_LINES = 3
MAX_ADDRESS_LINES = 7
# Not a Notify rule: our address block is 95 mm wide and lines never wrap (a wrapped line would
# push the postcode out of the envelope window), so a longer line cannot be printed in place.
MAX_ADDRESS_LINE_LENGTH = 40

# The UK postcode areas Royal Mail delivers to (BF, British Forces, is left out: BFPO letters
# need their own address rules and Hackney does not write to them).
_POSTCODE_AREA_LIST = """
AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA
LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE
SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV
YO ZE
"""
_POSTCODE_AREAS = frozenset(_POSTCODE_AREA_LIST.split())
# Area letters, district digit (+ optional digit or letter), sector digit, then the two unit
# letters, which never use C I K M O V.
_POSTCODE = re.compile(r"^([A-Z]{1,2})([0-9][0-9A-Z]?)([0-9][ABD-HJLNP-UW-Z]{2})$")
_FORBIDDEN_FIRST_CHARACTERS = tuple('@()=[]"\\/,<>~\u201d')
_NO_FIXED_ABODE = re.compile(r"no\s+fixed\s+(abode|address)", re.IGNORECASE)
_ALPHANUMERIC = re.compile(r"[^\W_]")


class AddressRule(StrEnum):
    """A broken address rule; the value is the problem code a caller sees."""

    TOO_SHORT = "address_too_short"
    TOO_LONG = "address_too_long"
    FIRST_LINES_NOT_ALPHANUMERIC = "address_lines_not_alphanumeric"
    NOT_A_UK_POSTCODE = "not_a_uk_postcode"
    FORBIDDEN_FIRST_CHARACTER = "address_line_starts_with_forbidden_character"
    NOT_A_REAL_ADDRESS = "not_a_real_address"
    LINE_TOO_LONG = "address_line_too_long"


@dataclass(frozen=True)
class BrokenAddressRule:
    rule: AddressRule
    message: str


_MESSAGES = {
    AddressRule.TOO_SHORT: f"Address must be at least {MIN_ADDRESS_LINES} lines",
    AddressRule.TOO_LONG: f"Address must be no more than {MAX_ADDRESS_LINES} lines",
    AddressRule.FIRST_LINES_NOT_ALPHANUMERIC: (
        "The first 2 lines of the address must both include at least one alphanumeric character"
    ),
    AddressRule.NOT_A_UK_POSTCODE: "Must be a real UK postcode",
    AddressRule.FORBIDDEN_FIRST_CHARACTER: (
        "Address lines must not start with any of the following characters: "
        '@ ( ) = [ ] " \\ / , < > ~'
    ),
    AddressRule.NOT_A_REAL_ADDRESS: "Must be a real address",
    AddressRule.LINE_TOO_LONG: (
        f"Address lines must be {MAX_ADDRESS_LINE_LENGTH} characters or fewer "
        "to fit the envelope window"
    ),
}


def _normalised_postcode(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def is_uk_postcode(value: str) -> bool:
    match = _POSTCODE.match(_normalised_postcode(value))
    return match is not None and match.group(1) in _POSTCODE_AREAS


def format_postcode(value: str) -> str:
    """'e81dy' → 'E8 1DY', as Notify prints it. Leaves a value that is not a postcode as it is."""
    if not is_uk_postcode(value):
        return value.strip()
    compact = _normalised_postcode(value)
    return f"{compact[:-3]} {compact[-3:]}"


def normalise_address_lines(lines: Iterable[str | None]) -> list[str]:
    """Blank lines dropped, runs of whitespace made one space, trailing commas and spaces
    removed: what Notify does before it checks an address."""
    normalised = []
    for line in lines:
        if line is None:
            continue
        tidy = re.sub(r"\s+", " ", line).strip().rstrip(", ").strip()
        if tidy:
            normalised.append(tidy)
    return normalised


def address_rules_broken(lines: Sequence[str]) -> list[BrokenAddressRule]:
    """Every B.9 rule the (normalised) address lines break, postcode last. Empty when the
    address can go in the post."""
    broken: list[AddressRule] = []
    if len(lines) < MIN_ADDRESS_LINES:
        broken.append(AddressRule.TOO_SHORT)
    if len(lines) > MAX_ADDRESS_LINES:
        broken.append(AddressRule.TOO_LONG)
    if any(not _ALPHANUMERIC.search(line) for line in lines[:2]):
        broken.append(AddressRule.FIRST_LINES_NOT_ALPHANUMERIC)
    if lines and not is_uk_postcode(lines[-1]):
        broken.append(AddressRule.NOT_A_UK_POSTCODE)
    if any(line.startswith(_FORBIDDEN_FIRST_CHARACTERS) for line in lines):
        broken.append(AddressRule.FORBIDDEN_FIRST_CHARACTER)
    if any(line.upper() == "NFA" or _NO_FIXED_ABODE.search(line) for line in lines):
        broken.append(AddressRule.NOT_A_REAL_ADDRESS)
    if any(len(line) > MAX_ADDRESS_LINE_LENGTH for line in lines):
        broken.append(AddressRule.LINE_TOO_LONG)
    return [BrokenAddressRule(rule, _MESSAGES[rule]) for rule in broken]
