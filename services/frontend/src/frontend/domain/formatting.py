"""How money, dates and numbers read on a page. Times are stored in UTC and shown in
Europe/London; money arrives as decimal strings and is never a float."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from ma_shared.uk_time import in_london, london_date


def to_decimal(value: Decimal | str | int | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def money(value: Decimal | str | int | None) -> str:
    """`£1,234.56`, `-£20.00` (in credit); an empty string when unknown."""
    amount = to_decimal(value)
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def balance_words(value: Decimal | str | None) -> str:
    """A balance as a caseworker says it: `£120.00 in arrears`, `£5.00 in credit`."""
    amount = to_decimal(value)
    if amount is None:
        return "Not known"
    if amount > 0:
        return f"{money(amount)} in arrears"
    if amount < 0:
        return f"{money(-amount)} in credit"
    return "£0.00"


def number(value: int) -> str:
    """`1,234`."""
    return f"{value:,}"


def parse_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return in_london(value).date()
    if isinstance(value, dt.date):
        return value
    if "T" in value or " " in value:
        return in_london(dt.datetime.fromisoformat(value)).date()
    return dt.date.fromisoformat(value)


def parse_instant(value: dt.datetime | str | None) -> dt.datetime | None:
    """An instant from the APIs (UTC, or naive meaning UTC) as a London time."""
    if value is None or value == "":
        return None
    instant = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return in_london(instant)


def date(value: dt.date | str | None) -> str:
    """`5 March 2025` (GOV.UK style: no ordinal, no leading zero)."""
    day = parse_date(value)
    return f"{day.day} {day:%B %Y}" if day else ""


def short_date(value: dt.date | str | None) -> str:
    """`5 Mar 2025`, for tables."""
    day = parse_date(value)
    return f"{day.day} {day:%b %Y}" if day else ""


def date_time(value: dt.datetime | str | None) -> str:
    """`5 March 2025 at 2:30pm` in London time; midnight is shown as a date alone, since a
    bare date arrives as 00:00."""
    instant = parse_instant(value)
    if instant is None:
        return ""
    if (instant.hour, instant.minute) == (0, 0):
        return date(instant.date())
    hour = instant.hour % 12 or 12
    return f"{date(instant.date())} at {hour}:{instant:%M}{'am' if instant.hour < 12 else 'pm'}"


def today_in_london(now: dt.datetime | None = None) -> dt.date:
    """Today as the council counts it (form checks such as `When.TODAY_OR_PAST`)."""
    return london_date(now or dt.datetime.now(tz=dt.UTC))
