"""How UH's address parts become the lines printed on a letter (universal-housing.md §4.9,
§4.10)."""

from __future__ import annotations

from uh_gateway.domain.validation import is_uk_postcode

MAX_ADDRESS_LINES = 5
TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "mx", "rev", "prof", "sir", "lady"})


def join_non_blank(*parts: str | None, separator: str = " ") -> str:
    return separator.join(p.strip() for p in parts if p and p.strip())


def address_lines(
    preamble: str | None,
    designation: str | None,
    street_lines: list[str | None],
) -> list[str]:
    """Estate properties have a preamble (flat and block name) on its own line; the door
    number goes before the street. Blank lines are dropped so the rest move up."""
    first_street, *rest = street_lines or [None]
    lines = [preamble, join_non_blank(designation, first_street), *rest]
    return [line.strip() for line in lines if line and line.strip()][:MAX_ADDRESS_LINES]


def is_international(postcode: str | None) -> bool:
    return bool(postcode and postcode.strip()) and not is_uk_postcode(postcode)


def short_name(full_name: str | None) -> str | None:
    """ "Mr John Smith" -> "John Smith": how a letter addresses the lessee in its body."""
    if not full_name:
        return None
    words = full_name.split()
    if len(words) > 1 and words[0].rstrip(".").lower() in TITLES:
        words = words[1:]
    return " ".join(words)
