"""How money, dates and agreement terms are written on a letter (income-rules §6.1), and the
agreement arithmetic the letters show."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

__all__ = [
    "AgreementFrequency",
    "frequency_wording",
    "long_date",
    "money",
    "rent_charge_per_period",
    "time_of_day",
    "total_amount_payable",
]

_PENNY = Decimal("0.01")


class AgreementFrequency(StrEnum):
    """How often an agreement's instalments fall due: the values income-api stores. Restated
    here because comms-api is a separate service and must not import income_api. income-api's
    `unsupported_legacy_frequency` is deliberately absent: a letter cannot state such terms."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    FOUR_WEEKLY = "4 weekly"
    MONTHLY = "monthly"
    ONE_OFF = "one_off"


_FREQUENCY_WORDING = {
    AgreementFrequency.WEEKLY: "every week",
    AgreementFrequency.FORTNIGHTLY: "every 2 weeks",
    AgreementFrequency.FOUR_WEEKLY: "every 4 weeks",
    AgreementFrequency.MONTHLY: "every month",
    AgreementFrequency.ONE_OFF: "as a single payment",
}


def money(amount: Decimal) -> str:
    """'£1,234.56': always pence, thousands separated, a minus sign before the pound sign."""
    rounded = amount.quantize(_PENNY, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    return f"{sign}£{abs(rounded):,.2f}"


def long_date(day: dt.date) -> str:
    """'12 August 2026' (§6.1's "DD Month YYYY"; no leading zero, as people write it)."""
    return f"{day.day} {day:%B %Y}"


def time_of_day(moment: dt.datetime) -> str:
    """'10:30am', '2:00pm': the GOV.UK style for times."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment:%M}{suffix}"


def frequency_wording(frequency: AgreementFrequency) -> str:
    return _FREQUENCY_WORDING[frequency]


def rent_charge_per_period(weekly_rent: Decimal, frequency: AgreementFrequency) -> Decimal:
    """The rent that falls due in one instalment period, so the letter can show the instalment
    on top of the rent (§6.1): monthly = weekly x 52 / 12, fortnightly x 2, 4 weekly x 4, weekly
    and one-off x 1. Rounded to the penny so the letter's own sum adds up. Same rule as
    income-api's `rent_charge_per_period`."""
    match frequency:
        case AgreementFrequency.MONTHLY:
            charge = weekly_rent * 52 / 12
        case AgreementFrequency.FORTNIGHTLY:
            charge = weekly_rent * 2
        case AgreementFrequency.FOUR_WEEKLY:
            charge = weekly_rent * 4
        case _:
            charge = weekly_rent
    return charge.quantize(_PENNY, rounding=ROUND_HALF_UP)


def total_amount_payable(
    weekly_rent: Decimal, instalment: Decimal, frequency: AgreementFrequency
) -> Decimal:
    """Rent for the period plus the agreed instalment towards the arrears."""
    return rent_charge_per_period(weekly_rent, frequency) + instalment.quantize(
        _PENNY, rounding=ROUND_HALF_UP
    )
