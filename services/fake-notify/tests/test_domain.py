"""Notify's pure rules, table-driven: placeholders, phone numbers, postcodes."""

from __future__ import annotations

import pytest

from fake_notify.domain.addresses import normalise_postcode
from fake_notify.domain.placeholders import missing_placeholders, placeholder_names, render
from fake_notify.domain.recipients import parse_phone_number


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        pytest.param("e81dy", "E8 1DY", id="no space, lower case"),
        pytest.param(" SW1A   2AA ", "SW1A 2AA", id="extra spaces"),
        pytest.param("B1 1AA", "B1 1AA", id="one-letter area"),
        pytest.param("BF1 3AA", "BF1 3AA", id="BFPO"),
        pytest.param("GIR 0AA", "GIR 0AA", id="Girobank"),
        pytest.param("QQ1 1AA", None, id="no such area"),
        pytest.param("E8 1DI", None, id="inward letter I never used"),
        pytest.param("E8", None, id="outward only"),
    ],
)
def test_postcodes(written: str, printed: str | None) -> None:
    assert normalise_postcode(written) == printed


@pytest.mark.parametrize(
    ("number", "normalised", "uk_mobile"),
    [
        pytest.param("07700 900123", "447700900123", True, id="national mobile"),
        pytest.param("+44 7700 900123", "447700900123", True, id="international form"),
        pytest.param("020 8356 3100", "442083563100", False, id="London landline"),
        pytest.param("+33 1 23 45 67 89", "33123456789", False, id="French number"),
    ],
)
def test_phone_numbers(number: str, normalised: str, uk_mobile: bool) -> None:
    parsed = parse_phone_number(number)

    assert (parsed.normalised, parsed.is_uk_mobile) == (normalised, uk_mobile)


def test_placeholders_are_listed_once_in_order_of_appearance() -> None:
    assert placeholder_names("((Name)) owes ((balance)); ((name)) again", "((ref??x))") == [
        "Name",
        "balance",
        "ref",
    ]


def test_null_values_count_as_missing() -> None:
    assert missing_placeholders(["((a)) ((b))"], {"a": None, "B": "x"}) == ["a"]


def test_render_fills_insensitive_keys() -> None:
    assert render("Dear ((First Name))", {"first_name": "Ada"}) == "Dear Ada"
