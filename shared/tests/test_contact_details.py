"""The contact details UH keeps: UK phone numbers in national form, emails that fit UH's
column."""

from __future__ import annotations

import pytest

from ma_shared.contact_details import is_valid_email, normalise_uk_phone


@pytest.mark.parametrize(
    ("number", "stored"),
    [
        pytest.param("07700 900123", "07700900123", id="mobile with a space"),
        pytest.param("+44 7700 900123", "07700900123", id="international form"),
        pytest.param("0044 (0)20-7946 0001", None, id="a (0) is not a UK digit"),
        pytest.param("020 7946 0001", "02079460001", id="London landline"),
        pytest.param("12345", None, id="too short"),
        pytest.param("+33 6 12 34 56 78", None, id="not a UK number"),
    ],
)
def test_phone_numbers_are_stored_in_national_form(number: str, stored: str | None) -> None:
    assert normalise_uk_phone(number) == stored


@pytest.mark.parametrize(
    ("address", "valid"),
    [
        pytest.param("tenant@example.com", True, id="an address"),
        pytest.param("tenant.example.com", False, id="no @"),
        pytest.param("tenant@example", False, id="no domain ending"),
        pytest.param(f"{'a' * 38}@example.com", True, id="50 characters"),
        pytest.param(f"{'a' * 39}@example.com", False, id="51 characters: longer than UH keeps"),
    ],
)
def test_email_addresses_fit_uh(address: str, valid: bool) -> None:
    assert is_valid_email(address) is valid
