"""Pure rules: criteria arithmetic (income-rules.md §2.2 worked examples), usernames for UH,
postcodes and letter address lines (phone numbers: shared/tests/test_contact_details.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from uh_gateway.domain.criteria import (
    collectable_arrears,
    days_since,
    week_start,
)
from uh_gateway.domain.letters import address_lines, is_international, short_name
from uh_gateway.domain.validation import uh_username


@pytest.mark.parametrize(
    ("balance", "movements_this_week", "expected"),
    [
        pytest.param("1000", "0", "1000", id="never paid: the whole balance is collectable"),
        pytest.param("1000", "200", "800", id="rent +400 and payment -200 this week"),
        pytest.param("1000", "-30", "970", id="last week's rent, payment -30 this week"),
        pytest.param("1000", "500", "500", id="this week's rent +500, paid last week"),
    ],
)
def test_collectable_arrears_leaves_out_this_weeks_movements(
    balance: str, movements_this_week: str, expected: str
) -> None:
    assert collectable_arrears(Decimal(balance), Decimal(movements_this_week)) == Decimal(expected)


def test_paid_five_days_ago_is_five_days_since_last_payment() -> None:
    today = dt.date(2026, 11, 20)
    assert days_since(today, dt.datetime(2026, 11, 15, 9, 30)) == 5
    assert days_since(today, None) is None


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        pytest.param(dt.date(2026, 11, 23), dt.date(2026, 11, 23), id="a Monday is its own week"),
        pytest.param(dt.date(2026, 11, 29), dt.date(2026, 11, 23), id="Sunday ends the week"),
    ],
)
def test_week_starts_on_monday(day: dt.date, monday: dt.date) -> None:
    assert week_start(day) == monday


@pytest.mark.parametrize(
    ("name", "written"),
    [
        pytest.param("Rita Rent", "Rita Rent", id="short names are kept"),
        pytest.param(
            "Hubert Wolfeschlegelsteinhausenbergerdorff",
            "H. Wolfeschlegelsteinhausenbergerdorff",
            id="40 characters or more become initial and surname",
        ),
        pytest.param(
            "mary ann elizabeth montgomery-worthington smythe",
            "M. A. E. M. Smythe",
            id="every given name becomes an initial",
        ),
    ],
)
def test_usernames_fit_uh(name: str, written: str) -> None:
    assert uh_username(name) == written
    assert len(uh_username(name)) <= 40


def test_estate_flats_put_the_block_on_its_own_line() -> None:
    assert address_lines(
        "Flat 12 Banister House", "", ["Homerton High Street", "Hackney", "London", ""]
    ) == ["Flat 12 Banister House", "Homerton High Street", "Hackney", "London"]
    assert address_lines("", "14", ["Mare Street", "", "London"]) == ["14 Mare Street", "London"]


def test_postcodes_outside_the_uk_are_international() -> None:
    assert not is_international("E8 1DY")
    assert is_international("75001")
    assert not is_international("")


def test_short_name_drops_the_title() -> None:
    assert short_name("Mr John Smith") == "John Smith"
    assert short_name("Smith") == "Smith"
