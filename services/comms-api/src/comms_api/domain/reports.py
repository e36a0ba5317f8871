"""Days as the income teams count them: London days, which begin at 23:00 UTC in summer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ma_shared.uk_time import LONDON


@dataclass(frozen=True)
class Day:
    date: dt.date
    starts: dt.datetime  # UTC, inclusive
    ends: dt.datetime  # UTC, exclusive


def london_days(*, last: dt.date, count: int) -> list[Day]:
    """`count` London days up to and including `last`, oldest first, each with its UTC span
    (23 or 25 hours long on the days the clocks change)."""
    dates = [last - dt.timedelta(days=n) for n in range(count - 1, -1, -1)]
    return [
        Day(date=day, starts=_midnight(day), ends=_midnight(day + dt.timedelta(days=1)))
        for day in dates
    ]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=LONDON).astimezone(dt.UTC)
