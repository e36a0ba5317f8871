"""Dates a letter prints that are not simply today (income-rules §5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

__all__ = ["LBA_REPLY_DAYS", "lba_reply_by", "next_working_day"]

# The Pre-Action Protocol for Debt Claims gives a debtor 30 days to reply to a letter before
# action before the creditor may start court proceedings.
LBA_REPLY_DAYS = 30

_SATURDAY = 5


def next_working_day(after: dt.date, *, bank_holidays: Collection[dt.date]) -> dt.date:
    """The first day after `after` that is neither a weekend nor a bank holiday: the day a
    leasehold letter posted today is dated. `bank_holidays` are England and Wales's (the caller
    fetches and caches the GOV.UK feed; this stays pure)."""
    day = after + dt.timedelta(days=1)
    while day.weekday() >= _SATURDAY or day in bank_holidays:
        day += dt.timedelta(days=1)
    return day


def lba_reply_by(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=LBA_REPLY_DAYS)
