"""The rules checked before anything is sent: UK mobiles, email addresses, and Notify's
placeholders."""

from __future__ import annotations

import pytest

from ma_shared.personalisation import missing, placeholders, render
from ma_shared.recipients import InvalidRecipient, email_address, uk_mobile_e164


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        pytest.param("07700 900123", "+447700900123", id="national with a space"),
        pytest.param("07700900123", "+447700900123", id="national"),
        pytest.param("+44 7700 900123", "+447700900123", id="international"),
        pytest.param("+44 (0)7700 900123", "+447700900123", id="international with (0)"),
        pytest.param("0044 7700-900-123", "+447700900123", id="00 prefix and dashes"),
        pytest.param("447700900123", "+447700900123", id="44 without plus"),
    ],
)
def test_uk_mobiles_are_normalised_to_e164(written: str, e164: str) -> None:
    assert uk_mobile_e164(written) == e164


@pytest.mark.parametrize(
    "written",
    [
        pytest.param("020 7946 0001", id="a London landline"),
        pytest.param("0770090012", id="one digit short"),
        pytest.param("077009001234", id="one digit long"),
        pytest.param("+33 6 12 34 56 78", id="a French mobile"),
        pytest.param("07700 9OO123", id="letters"),
        pytest.param("", id="empty"),
    ],
)
def test_anything_but_a_uk_mobile_is_refused(written: str) -> None:
    with pytest.raises(InvalidRecipient):
        uk_mobile_e164(written)


@pytest.mark.parametrize(
    ("address", "valid"),
    [
        pytest.param("tenant@example.com", True, id="plain"),
        pytest.param(" tenant@example.com ", True, id="spaces trimmed"),
        pytest.param("tenant@example", False, id="no dot in the domain"),
        pytest.param("tenant example.com", False, id="no at"),
        pytest.param("a@b@c.com", False, id="two ats"),
    ],
)
def test_email_addresses(address: str, valid: bool) -> None:
    if valid:
        assert email_address(address) == address.strip()
    else:
        with pytest.raises(InvalidRecipient):
            email_address(address)


def test_placeholders_are_found_once_each_ignoring_conditionals() -> None:
    assert placeholders("Dear ((first name)), you owe ((Balance)).", "((first_name))((x??y))") == [
        "first name",
        "Balance",
    ]


def test_personalisation_keys_match_ignoring_case_spaces_underscores_and_hyphens() -> None:
    needed = placeholders("Hello ((First Name)), balance ((balance_due))")
    assert missing(needed, {"first-name": "Sam", "BALANCE DUE": "£12.00"}) == []
    assert missing(needed, {"first_name": "Sam", "balance_due": ""}) == ["balance_due"]
    assert render("Hello ((First Name))", {"first_name": "Sam"}) == "Hello Sam"
