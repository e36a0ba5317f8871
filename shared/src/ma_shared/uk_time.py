"""London time: the one definition of the zone the council's business days are counted in.

Instants are stored and passed around in UTC, but a business date is London's date: a NOSP
may be served "today", hearings are upcoming "from today on", a vulnerability review falls due
"today", and the classifier's caseworkers mean today in London. Between midnight and 1 am in
British Summer Time UTC's date is still yesterday, so `now.date()` on a UTC instant would
refuse a NOSP served today, drop a hearing that is on today, or leave a review a day late.
"""

from __future__ import annotations

import datetime as dt
from typing import Final
from zoneinfo import ZoneInfo

LONDON: Final = ZoneInfo("Europe/London")


def in_london(instant: dt.datetime) -> dt.datetime:
    """This instant on London's clock; a naive instant is taken to be UTC."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone(LONDON)


def london_date(instant: dt.datetime) -> dt.date:
    """The date in London at this instant; a naive instant is taken to be UTC."""
    return in_london(instant).date()


def start_of_london_day(day: dt.date) -> dt.datetime:
    """The instant (aware, in London time) at which this day begins in London."""
    return dt.datetime.combine(day, dt.time(), tzinfo=LONDON)
