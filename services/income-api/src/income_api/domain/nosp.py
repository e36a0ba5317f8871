"""The Notice of Seeking Possession (NOSP) model (income-rules §1.4).

A NOSP is known only by the day it was served. It then has a *cooling-off* period (3 calendar
months: the notice period during which the council may not start proceedings) and, once that
is over, stays usable for court proceedings for 52 weeks. Both lengths are policy: the notice
period was 28 days until May 2020 and went to 3 months with the COVID-era notice rules, and it
is expected to change back.

Days are compared with the current instant at 00:00 UTC of the day, as the old system compared
a date with a time: on the expiry day itself the NOSP is already active.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

DEFAULT_COOLING_OFF_MONTHS = 3
DEFAULT_VALIDITY_WEEKS = 52


def add_calendar_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months (negative for earlier), keeping the day of the
    month but clamping it to the month's end: 31 May - 3 months = 28 Feb (29 Feb in a leap
    year), as Rails' `3.months.ago` and dateutil's `relativedelta(months=-3)` do."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last_day))


def start_of_day(day: dt.date) -> dt.datetime:
    """00:00 UTC of `day`: how a bare date compares with an instant."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Nosp:
    """A NOSP as UH records it: `served_date` is None when none has been served."""

    served_date: dt.date | None
    cooling_off_months: int = DEFAULT_COOLING_OFF_MONTHS
    validity_weeks: int = DEFAULT_VALIDITY_WEEKS

    @property
    def is_served(self) -> bool:
        return self.served_date is not None

    @property
    def expires_date(self) -> dt.date | None:
        """The end of the cooling-off period: served date + 3 calendar months."""
        if self.served_date is None:
            return None
        return add_calendar_months(self.served_date, self.cooling_off_months)

    @property
    def valid_until_date(self) -> dt.date | None:
        """The first day the NOSP can no longer be used: expiry + 52 weeks."""
        expires = self.expires_date
        if expires is None:
            return None
        return expires + dt.timedelta(weeks=self.validity_weeks)

    def in_cool_off_period(self, now: dt.datetime) -> bool:
        expires = self.expires_date
        return expires is not None and start_of_day(expires) > now

    def is_valid(self, now: dt.datetime) -> bool:
        """Usable at all: served, and less than ~15 months ago (cooling-off + 52 weeks)."""
        valid_until = self.valid_until_date
        return valid_until is not None and start_of_day(valid_until) > now

    def is_active(self, now: dt.datetime) -> bool:
        """Usable for court proceedings: valid, and the cooling-off period is over. At exactly
        00:00 of the expiry day the NOSP is neither cooling off nor active (the old system's
        strict comparisons on both sides); a moment later it is active."""
        expires = self.expires_date
        return expires is not None and self.is_valid(now) and start_of_day(expires) < now
