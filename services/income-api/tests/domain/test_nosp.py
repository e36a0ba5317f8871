"""The NOSP model (income-rules §1.4): cooling-off, validity and activity by calendar day."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from income_api.domain.nosp import Nosp, add_calendar_months


def at(day: str, time: str = "00:00:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}+00:00")


@pytest.mark.parametrize(
    ("served", "expires"),
    [
        pytest.param(dt.date(2026, 3, 15), dt.date(2026, 6, 15), id="same day three months on"),
        pytest.param(dt.date(2026, 1, 31), dt.date(2026, 4, 30), id="31 Jan expires 30 Apr"),
        pytest.param(dt.date(2025, 11, 30), dt.date(2026, 2, 28), id="30 Nov expires 28 Feb"),
        pytest.param(dt.date(2023, 11, 30), dt.date(2024, 2, 29), id="leap year keeps 29 Feb"),
        pytest.param(dt.date(2026, 10, 5), dt.date(2027, 1, 5), id="across the year end"),
    ],
)
def test_cooling_off_is_three_calendar_months_clamped_to_the_month_end(
    served: dt.date, expires: dt.date
) -> None:
    nosp = Nosp(served)
    assert nosp.is_served
    assert nosp.expires_date == expires
    assert nosp.valid_until_date == expires + dt.timedelta(weeks=52)


def test_no_served_date_means_no_nosp() -> None:
    nosp = Nosp(None)
    now = at("2026-09-17", "14:30:00")
    assert not nosp.is_served
    assert nosp.expires_date is None
    assert nosp.valid_until_date is None
    assert not nosp.in_cool_off_period(now)
    assert not nosp.is_valid(now)
    assert not nosp.is_active(now)


# Served 31 Jan 2026: cooling off until 30 Apr 2026, valid until 29 Apr 2027.
SERVED = dt.date(2026, 1, 31)


@pytest.mark.parametrize(
    ("now", "cooling_off", "valid", "active"),
    [
        pytest.param(at("2026-01-31", "09:00:00"), True, True, False, id="served today"),
        pytest.param(
            at("2026-04-29", "23:59:59"), True, True, False, id="cooling off on the day before"
        ),
        pytest.param(at("2026-04-30"), False, True, False, id="neither at 00:00 on the expiry day"),
        pytest.param(
            at("2026-04-30", "00:00:01"), False, True, True, id="active on the expiry day"
        ),
        pytest.param(at("2026-10-01", "12:00:00"), False, True, True, id="active after expiry"),
        pytest.param(
            at("2027-04-28", "23:59:59"), False, True, True, id="active on the last valid day"
        ),
        pytest.param(at("2027-04-29"), False, False, False, id="invalid 52 weeks after expiry"),
        pytest.param(at("2028-01-01"), False, False, False, id="invalid long after"),
    ],
)
def test_cooling_off_validity_and_activity(
    now: dt.datetime, cooling_off: bool, valid: bool, active: bool
) -> None:
    nosp = Nosp(SERVED)
    assert nosp.valid_until_date == dt.date(2027, 4, 29)
    assert nosp.in_cool_off_period(now) is cooling_off
    assert nosp.is_valid(now) is valid
    assert nosp.is_active(now) is active


def test_periods_come_from_the_policy() -> None:
    # The pre-2020 style of notice: a short cooling-off period and a shorter life.
    nosp = Nosp(dt.date(2026, 1, 31), cooling_off_months=1, validity_weeks=4)
    assert nosp.expires_date == dt.date(2026, 2, 28)
    assert nosp.valid_until_date == dt.date(2026, 3, 28)
    assert nosp.is_active(at("2026-03-27", "12:00:00"))
    assert not nosp.is_valid(at("2026-03-28", "12:00:00"))


@pytest.mark.parametrize("months", [-72, -3, -1, 1, 3, 12, 72])
def test_calendar_months_agree_with_relativedelta(months: int) -> None:
    day = dt.date(2023, 1, 1)
    while day < dt.date(2025, 1, 1):
        assert add_calendar_months(day, months) == day + relativedelta(months=months), day
        day += dt.timedelta(days=1)
