"""Business dates are London's, not UTC's: in British Summer Time London is an hour ahead."""

from __future__ import annotations

import datetime as dt

import pytest

from ma_shared.uk_time import LONDON, london_date, start_of_london_day


@pytest.mark.parametrize(
    ("instant", "day"),
    [
        pytest.param(
            dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC),
            dt.date(2026, 7, 2),
            id="summer: 23:30 UTC is 00:30 the next day in London",
        ),
        pytest.param(
            dt.datetime(2026, 7, 1, 22, 59, tzinfo=dt.UTC),
            dt.date(2026, 7, 1),
            id="summer: 22:59 UTC is still the same day in London",
        ),
        pytest.param(
            dt.datetime(2026, 1, 15, 23, 30, tzinfo=dt.UTC),
            dt.date(2026, 1, 15),
            id="winter: London is on UTC",
        ),
        pytest.param(
            dt.datetime(2026, 7, 1, 23, 30),
            dt.date(2026, 7, 2),
            id="naive means UTC",
        ),
        pytest.param(
            dt.datetime(2026, 7, 2, 0, 30, tzinfo=LONDON),
            dt.date(2026, 7, 2),
            id="already in London",
        ),
    ],
)
def test_the_date_is_londons(instant: dt.datetime, day: dt.date) -> None:
    assert london_date(instant) == day


def test_a_london_day_starts_at_london_midnight() -> None:
    summer = start_of_london_day(dt.date(2026, 7, 2))
    assert summer == dt.datetime(2026, 7, 1, 23, 0, tzinfo=dt.UTC)
    assert summer.tzinfo is LONDON
    assert start_of_london_day(dt.date(2026, 1, 15)) == dt.datetime(2026, 1, 15, tzinfo=dt.UTC)
