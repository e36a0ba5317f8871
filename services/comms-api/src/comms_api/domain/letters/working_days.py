"""Dates a letter prints that are not simply today (income-rules §5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

__all__ = [
    "ENGLAND_AND_WALES_BANK_HOLIDAYS",
    "LBA_REPLY_DAYS",
    "lba_reply_by",
    "next_working_day",
]

# The Pre-Action Protocol for Debt Claims gives a debtor 30 days to reply to a letter before
# action before the creditor may start court proceedings.
LBA_REPLY_DAYS = 30

_SATURDAY = 5

# England and Wales's bank holidays as GOV.UK publishes them (www.gov.uk/bank-holidays.json),
# substitute days included. Kept here rather than fetched so letters never wait on the feed;
# add each year's when GOV.UK publishes them (a test fails when the list runs out).
ENGLAND_AND_WALES_BANK_HOLIDAYS = frozenset(
    dt.date.fromisoformat(day)
    for day in (
        *("2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05"),
        *("2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"),
        *("2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04"),
        *("2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"),
        *("2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03"),
        *("2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"),
        *("2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01"),
        *("2028-05-29", "2028-08-28", "2028-12-25", "2028-12-26"),
    )
)


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
