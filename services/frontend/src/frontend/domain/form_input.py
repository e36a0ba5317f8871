"""What a person types into a form, read the GOV.UK way: dates from the three boxes of a date
input, times and amounts of money, each with the design system's error messages
(design-system.service.gov.uk, "Date input" and "Error message"). Pure: "today" is passed in.

Each reader takes `what` — the thing asked for, as it reads mid-sentence ("the date the pause
ends") — and raises `InputProblem` with a message that names it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Final

DATE_PARTS: Final = ("day", "month", "year")
# Amounts the APIs accept (their money columns); more is a typing mistake.
MAX_AMOUNT: Final = Decimal("9999999.99")


class InputProblem(ValueError):
    """What is wrong, in words for the error summary; `parts` names the boxes of a date input
    to highlight (all three when the date as a whole is wrong)."""

    def __init__(self, message: str, parts: tuple[str, ...] = DATE_PARTS) -> None:
        super().__init__(message)
        self.message = message
        self.parts = parts


class When(Enum):
    """Which dates a question allows, relative to today."""

    ANY = "any"
    FUTURE = "future"
    TODAY_OR_FUTURE = "today_or_future"
    TODAY_OR_PAST = "today_or_past"


@dataclass(frozen=True)
class DateEntered:
    """The three boxes as typed (kept as typed, to show again with an error)."""

    day: str = ""
    month: str = ""
    year: str = ""

    @classmethod
    def of(cls, day: dt.date | None) -> DateEntered:
        return cls(str(day.day), str(day.month), str(day.year)) if day else cls()

    def part(self, name: str) -> str:
        value: str = getattr(self, name)
        return value

    @property
    def is_blank(self) -> bool:
        return not (self.day or self.month or self.year)


def _sentence(what: str) -> str:
    return what[:1].upper() + what[1:]


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def read_date(
    entered: DateEntered,
    *,
    what: str,
    today: dt.date,
    when: When = When.ANY,
    required: bool = True,
) -> dt.date | None:
    """The date, or None when it is optional and left blank."""
    if entered.is_blank:
        if required:
            raise InputProblem(f"Enter {what}")
        return None
    missing = [name for name in DATE_PARTS if not entered.part(name)]
    if missing:
        raise InputProblem(
            f"{_sentence(what)} must include a {_listed(missing)}", parts=tuple(missing)
        )
    numbers: dict[str, int] = {}
    for name in DATE_PARTS:
        text = entered.part(name)
        if not text.isdigit():
            raise InputProblem(f"{_sentence(what)} must be a real date", parts=(name,))
        numbers[name] = int(text)
    if len(entered.year) != 4:
        raise InputProblem("Year must include 4 numbers", parts=("year",))
    if not 1 <= numbers["month"] <= 12:
        raise InputProblem(f"{_sentence(what)} must be a real date", parts=("month",))
    try:
        day = dt.date(numbers["year"], numbers["month"], numbers["day"])
    except ValueError:
        raise InputProblem(f"{_sentence(what)} must be a real date", parts=("day",)) from None
    if when is When.FUTURE and day <= today:
        raise InputProblem(f"{_sentence(what)} must be in the future")
    if when is When.TODAY_OR_FUTURE and day < today:
        raise InputProblem(f"{_sentence(what)} must be today or in the future")
    if when is When.TODAY_OR_PAST and day > today:
        raise InputProblem(f"{_sentence(what)} must be today or in the past")
    return day


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def read_time(text: str, *, what: str) -> dt.time | None:
    """`10:30`, `10.30am`, `2pm`, `14:00`; None when left blank."""
    cleaned = text.strip().lower().replace(" ", "")
    if not cleaned:
        return None
    match = _TIME.match(cleaned)
    problem = InputProblem(f"Enter {what} as a time, like 10:30am or 14:00", parts=())
    if match is None:
        raise problem
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            raise problem
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise problem
    return dt.time(hour, minute)


_MONEY = re.compile(r"^\d+(\.\d{1,2})?$")


def read_money(text: str, *, what: str, required: bool = True) -> Decimal | None:
    """An amount in pounds: `15`, `15.50`, `£1,234.00`; more than £0."""
    cleaned = text.strip().replace(",", "").removeprefix("£").strip()
    if not cleaned:
        if required:
            raise InputProblem(f"Enter {what}", parts=())
        return None
    if not _MONEY.match(cleaned):
        raise InputProblem(
            f"{_sentence(what)} must be an amount in pounds and pence, like 15.50", parts=()
        )
    amount = Decimal(cleaned)
    if amount <= 0:
        raise InputProblem(f"{_sentence(what)} must be more than £0", parts=())
    if amount > MAX_AMOUNT:
        raise InputProblem(f"{_sentence(what)} must be less than £10,000,000", parts=())
    return amount
