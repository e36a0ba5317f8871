"""Notify's postal address rules (frontend-and-notify B.9)."""

from __future__ import annotations

import pytest

from comms_api.domain.letters import format_postcode, is_uk_postcode
from comms_api.domain.letters.addresses import (
    AddressRule,
    address_rules_broken,
    normalise_address_lines,
)


@pytest.mark.parametrize(
    "postcode",
    ["E8 1DY", "e81dy", "N16 7LH", "EC1A 1BB", "SW1A 2AA", "W1A 0AX", " e9  6bd ", "BT1 1AA"],
)
def test_uk_postcodes(postcode: str) -> None:
    assert is_uk_postcode(postcode)


@pytest.mark.parametrize(
    "postcode",
    [
        pytest.param("75008", id="French"),
        pytest.param("QQ1 1AA", id="no such area"),
        pytest.param("E8 1CY", id="unit letters never use C"),
        pytest.param("E8", id="outward code only"),
        pytest.param("London", id="a town"),
        pytest.param("", id="empty"),
    ],
)
def test_not_uk_postcodes(postcode: str) -> None:
    assert not is_uk_postcode(postcode)


def test_postcodes_are_printed_outward_space_inward_in_capitals() -> None:
    assert format_postcode("e81dy") == "E8 1DY"
    assert format_postcode("ec1a1bb") == "EC1A 1BB"


def test_lines_are_tidied_as_notify_does() -> None:
    assert normalise_address_lines(["  Flat  12, ", None, "", "Banister House,,", "E9 6BD"]) == [
        "Flat 12",
        "Banister House",
        "E9 6BD",
    ]


def rules(lines: list[str]) -> list[AddressRule]:
    return [broken.rule for broken in address_rules_broken(lines)]


@pytest.mark.parametrize(
    ("lines", "broken"),
    [
        pytest.param(["Amira Okafor", "Flat 12", "E9 6BD"], [], id="three lines are enough"),
        pytest.param(["Amira Okafor", "E9 6BD"], [AddressRule.TOO_SHORT], id="two are not"),
        pytest.param(
            [f"Line {number}" for number in range(1, 8)] + ["E9 6BD"],
            [AddressRule.TOO_LONG],
            id="eight lines are too many",
        ),
        pytest.param(
            ["Amira Okafor", "Flat 12", "London"],
            [AddressRule.NOT_A_UK_POSTCODE],
            id="last line not a postcode",
        ),
        pytest.param(
            ["Amira Okafor", "---", "London", "E9 6BD"],
            [AddressRule.FIRST_LINES_NOT_ALPHANUMERIC],
            id="second line with no letter or digit",
        ),
        pytest.param(
            ["Amira Okafor", "(Flat 12)", "E9 6BD"],
            [AddressRule.FORBIDDEN_FIRST_CHARACTER],
            id="line starting with a bracket",
        ),
        pytest.param(
            ["Amira Okafor", "No fixed abode", "E9 6BD"],
            [AddressRule.NOT_A_REAL_ADDRESS],
            id="no fixed abode",
        ),
        pytest.param(["Amira Okafor", "NFA", "E9 6BD"], [AddressRule.NOT_A_REAL_ADDRESS], id="NFA"),
        pytest.param(
            ["Amira Okafor", "Flat 12 " + "Long Building Name " * 3, "E9 6BD"],
            [AddressRule.LINE_TOO_LONG],
            id="a line too long for the envelope window",
        ),
        pytest.param(
            ["(Amira)", "75008"],
            [
                AddressRule.TOO_SHORT,
                AddressRule.NOT_A_UK_POSTCODE,
                AddressRule.FORBIDDEN_FIRST_CHARACTER,
            ],
            id="every broken rule is reported",
        ),
    ],
)
def test_address_rules(lines: list[str], broken: list[AddressRule]) -> None:
    assert rules(lines) == broken
