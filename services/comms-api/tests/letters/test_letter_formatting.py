"""Money, dates, agreement arithmetic and the dates letters print (income-rules §5, §6.1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from comms_api.domain.letters import (
    AgreementFrequency,
    lba_reply_by,
    long_date,
    money,
    next_working_day,
    rent_charge_per_period,
    total_amount_payable,
)
from comms_api.domain.letters.formatting import time_of_day
from comms_api.domain.letters.working_days import ENGLAND_AND_WALES_BANK_HOLIDAYS


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        pytest.param(Decimal("1234.56"), "£1,234.56", id="thousands separated"),
        pytest.param(Decimal(500), "£500.00", id="always pence"),
        pytest.param(Decimal("0.005"), "£0.01", id="half a penny rounds up"),
        pytest.param(Decimal("1234567.8"), "£1,234,567.80", id="millions"),
        pytest.param(Decimal("-45.5"), "-£45.50", id="credit shows a minus before the pound"),
        pytest.param(Decimal(0), "£0.00", id="nothing owed"),
    ],
)
def test_money_is_written_in_pounds_and_pence(amount: Decimal, written: str) -> None:
    assert money(amount) == written


@pytest.mark.parametrize(
    ("day", "written"),
    [
        pytest.param(dt.date(2026, 8, 12), "12 August 2026", id="day month year"),
        pytest.param(dt.date(2026, 3, 1), "1 March 2026", id="no leading zero"),
        pytest.param(dt.datetime(2026, 12, 25, 9, 0), "25 December 2026", id="datetime's date"),
    ],
)
def test_dates_are_written_in_full(day: dt.date, written: str) -> None:
    assert long_date(day) == written


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        pytest.param(dt.datetime(2026, 10, 14, 10, 30), "10:30am", id="morning"),
        pytest.param(dt.datetime(2026, 10, 14, 14, 0), "2:00pm", id="afternoon"),
        pytest.param(dt.datetime(2026, 10, 14, 12, 15), "12:15pm", id="noon is pm"),
    ],
)
def test_hearing_times_use_am_and_pm(moment: dt.datetime, written: str) -> None:
    assert time_of_day(moment) == written


@pytest.mark.parametrize(
    ("frequency", "charge"),
    [
        pytest.param(AgreementFrequency.MONTHLY, Decimal("543.40"), id="monthly is 52/12 weeks"),
        pytest.param(AgreementFrequency.FORTNIGHTLY, Decimal("250.80"), id="fortnightly is 2"),
        pytest.param(AgreementFrequency.FOUR_WEEKLY, Decimal("501.60"), id="4 weekly is 4"),
        pytest.param(AgreementFrequency.WEEKLY, Decimal("125.40"), id="weekly is 1"),
        pytest.param(AgreementFrequency.ONE_OFF, Decimal("125.40"), id="one-off is 1"),
    ],
)
def test_rent_charge_per_period(frequency: AgreementFrequency, charge: Decimal) -> None:
    assert rent_charge_per_period(Decimal("125.40"), frequency) == charge


def test_monthly_rent_charge_is_rounded_to_the_penny() -> None:
    # 100 x 52 / 12 = 433.333…
    assert rent_charge_per_period(Decimal(100), AgreementFrequency.MONTHLY) == Decimal("433.33")


def test_total_payable_is_the_period_rent_plus_the_instalment() -> None:
    assert total_amount_payable(
        Decimal("125.40"), Decimal(20), AgreementFrequency.MONTHLY
    ) == Decimal("563.40")


@pytest.mark.parametrize(
    ("today", "bank_holidays", "sending_date"),
    [
        pytest.param(dt.date(2026, 8, 12), set(), dt.date(2026, 8, 13), id="Wednesday to Thursday"),
        pytest.param(dt.date(2026, 8, 14), set(), dt.date(2026, 8, 17), id="Friday to Monday"),
        pytest.param(dt.date(2026, 8, 15), set(), dt.date(2026, 8, 17), id="Saturday to Monday"),
        pytest.param(
            dt.date(2026, 8, 28),
            {dt.date(2026, 8, 31)},
            dt.date(2026, 9, 1),
            id="Friday before a bank holiday Monday to Tuesday",
        ),
        pytest.param(
            dt.date(2026, 12, 24),
            {dt.date(2026, 12, 25), dt.date(2026, 12, 28)},
            dt.date(2026, 12, 29),
            id="Christmas, a weekend and a substitute day skipped",
        ),
        pytest.param(
            dt.date(2026, 8, 28), set(), dt.date(2026, 8, 31), id="no holidays given, Monday"
        ),
    ],
)
def test_leasehold_letters_are_dated_the_next_working_day(
    today: dt.date, bank_holidays: set[dt.date], sending_date: dt.date
) -> None:
    assert next_working_day(today, bank_holidays=bank_holidays) == sending_date


def test_letter_before_action_reply_by_is_30_days_after_today() -> None:
    assert lba_reply_by(dt.date(2026, 8, 14)) == dt.date(2026, 9, 13)


def test_letters_know_this_years_and_next_years_bank_holidays() -> None:
    """Fails when the list of bank holidays needs next year's (GOV.UK publishes them early)."""
    next_year = dt.datetime.now(tz=dt.UTC).year + 1
    assert any(day.year == next_year for day in ENGLAND_AND_WALES_BANK_HOLIDAYS)
    assert next_working_day(
        dt.date(2026, 8, 28), bank_holidays=ENGLAND_AND_WALES_BANK_HOLIDAYS
    ) == dt.date(2026, 9, 1)
