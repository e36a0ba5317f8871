"""Postal addresses of templated letters, checked in Notify's order (B.9)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from fake_notify.domain.placeholders import insensitive

# Every UK postcode area, plus BF (British Forces Post Office).
UK_POSTCODE_AREAS = frozenset(
    {
        "AB",
        "AL",
        "B",
        "BA",
        "BB",
        "BD",
        "BF",
        "BH",
        "BL",
        "BN",
        "BR",
        "BS",
        "BT",
        "CA",
        "CB",
        "CF",
        "CH",
        "CM",
        "CO",
        "CR",
        "CT",
        "CV",
        "CW",
        "DA",
        "DD",
        "DE",
        "DG",
        "DH",
        "DL",
        "DN",
        "DT",
        "DY",
        "E",
        "EC",
        "EH",
        "EN",
        "EX",
        "FK",
        "FY",
        "G",
        "GL",
        "GU",
        "GY",
        "HA",
        "HD",
        "HG",
        "HP",
        "HR",
        "HS",
        "HU",
        "HX",
        "IG",
        "IM",
        "IP",
        "IV",
        "JE",
        "KA",
        "KT",
        "KW",
        "KY",
        "L",
        "LA",
        "LD",
        "LE",
        "LL",
        "LN",
        "LS",
        "LU",
        "M",
        "ME",
        "MK",
        "ML",
        "N",
        "NE",
        "NG",
        "NN",
        "NP",
        "NR",
        "NW",
        "OL",
        "OX",
        "PA",
        "PE",
        "PH",
        "PL",
        "PO",
        "PR",
        "RG",
        "RH",
        "RM",
        "S",
        "SA",
        "SE",
        "SG",
        "SK",
        "SL",
        "SM",
        "SN",
        "SO",
        "SP",
        "SR",
        "SS",
        "ST",
        "SW",
        "SY",
        "TA",
        "TD",
        "TF",
        "TN",
        "TQ",
        "TR",
        "TS",
        "TW",
        "UB",
        "W",
        "WA",
        "WC",
        "WD",
        "WF",
        "WN",
        "WR",
        "WS",
        "WV",
        "YO",
        "ZE",
    }
)
_POSTCODE = re.compile(r"^(?P<area>[A-Z]{1,2})[0-9][0-9A-Z]?(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})$")

# Countries a letter may go to when the service may post abroad, with their postage zone.
# Not Notify's full list: the common destinations, and enough to spot a BFPO address that
# ends in a country.
COUNTRY_POSTAGE = {
    "united kingdom": "uk",
    "uk": "uk",
    "england": "uk",
    "scotland": "uk",
    "wales": "uk",
    "northern ireland": "uk",
    "france": "europe",
    "germany": "europe",
    "spain": "europe",
    "portugal": "europe",
    "italy": "europe",
    "ireland": "europe",
    "netherlands": "europe",
    "belgium": "europe",
    "poland": "europe",
    "cyprus": "europe",
    "gibraltar": "europe",
    "turkey": "europe",
    "united states": "rest-of-world",
    "usa": "rest-of-world",
    "canada": "rest-of-world",
    "australia": "rest-of-world",
    "new zealand": "rest-of-world",
    "india": "rest-of-world",
    "nigeria": "rest-of-world",
    "jamaica": "rest-of-world",
    "ghana": "rest-of-world",
    "pakistan": "rest-of-world",
    "bangladesh": "rest-of-world",
    "somalia": "rest-of-world",
    "falkland islands": "rest-of-world",
}

FORBIDDEN_FIRST_CHARACTERS = frozenset('@()=[]"\\/,<>~')
FORBIDDEN_FIRST_CHARACTERS_MESSAGE = (
    "Address lines must not start with any of the following characters: @ ( ) = [ ] ” \\ / , < >"
)
_NO_FIXED_ABODE = re.compile(r"no\s+fixed\s+(abode|address)", re.IGNORECASE)
_BFPO = re.compile(r"\bBFPO\b", re.IGNORECASE)


class InvalidAddress(ValueError):
    pass


@dataclass(frozen=True)
class PostalAddress:
    lines: list[str]
    # "second"-style postage is the template's; abroad it is "europe" or "rest-of-world".
    international_postage: str | None


def _lines_from(personalisation: Mapping[str, object]) -> list[str]:
    values = insensitive(personalisation)
    raw = [values.get(f"addressline{n}") for n in range(1, 8)]
    # The legacy form: six address lines and a `postcode`.
    if raw[6] is None:
        raw[6] = values.get("postcode")
    lines: list[str] = []
    for value in raw:
        for line in str(value if value is not None else "").splitlines():
            tidy = " ".join(line.split()).rstrip(", ")
            if tidy:
                lines.append(tidy)
    return lines


def normalise_postcode(text: str) -> str | None:
    """`E8 1DY` for any spacing or case of a real UK postcode, else None."""
    compact = "".join(text.split()).upper()
    if compact == "GIR0AA":
        return "GIR 0AA"
    match = _POSTCODE.match(compact)
    if not match or match.group("area") not in UK_POSTCODE_AREAS:
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def _country_zone(line: str) -> str | None:
    return COUNTRY_POSTAGE.get(" ".join(line.lower().split()))


def validate_address(
    personalisation: Mapping[str, object], *, can_send_abroad: bool
) -> PostalAddress:
    lines = _lines_from(personalisation)
    if len(lines) < 3:
        raise InvalidAddress("Address must be at least 3 lines")
    if len(lines) > 7:
        raise InvalidAddress("Address must be no more than 7 lines")
    if not all(re.search(r"[^\W_]", line) for line in lines[:2]):
        raise InvalidAddress(
            "The first 2 lines of the address must both include at least one alphanumeric character"
        )
    last = lines[-1]
    zone = _country_zone(last)
    if zone is not None and any(_BFPO.search(line) for line in lines):
        raise InvalidAddress("The last line of a BFPO address must not be a country.")
    postcode = normalise_postcode(last)
    international_postage = None
    if postcode is not None:
        lines[-1] = postcode
    elif can_send_abroad and zone is not None and zone != "uk":
        international_postage = zone
    elif can_send_abroad:
        raise InvalidAddress("Last line of address must be a real UK postcode or another country")
    else:
        raise InvalidAddress("Must be a real UK postcode")
    if any(line[0] in FORBIDDEN_FIRST_CHARACTERS for line in lines):
        raise InvalidAddress(FORBIDDEN_FIRST_CHARACTERS_MESSAGE)
    if any(line.upper() == "NFA" or _NO_FIXED_ABODE.search(line) for line in lines):
        raise InvalidAddress("Must be a real address")
    return PostalAddress(lines, international_postage)
