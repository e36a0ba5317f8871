"""Arrears criteria arithmetic (income-rules.md §2.2): pure functions of figures read from UH."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def week_start(as_of: dt.date) -> dt.date:
    """Monday of `as_of`'s week: this week's movements are not yet collectable."""
    return as_of - dt.timedelta(days=as_of.weekday())


def collectable_arrears(balance: Decimal, sum_of_transactions_in_week: Decimal) -> Decimal:
    """The balance less the absolute value of this week's movements.

    The absolute value is deliberate (both a rent debit and a payment posted this week reduce
    what can be collected now); it reproduces the criteria the classifier was tuned on.
    """
    return balance - abs(sum_of_transactions_in_week)


def days_since(as_of: dt.date, when: dt.datetime | dt.date | None) -> int | None:
    if when is None:
        return None
    day = when.date() if isinstance(when, dt.datetime) else when
    return (as_of - day).days


def weekly_gross_rent(rent: Decimal, service: Decimal, other_charge: Decimal) -> Decimal:
    return rent + service + other_charge
