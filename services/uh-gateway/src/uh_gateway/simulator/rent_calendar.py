"""The rent calendar the simulated ledger is posted on.

Days are numbered from the first Monday of the history (day 0) to `as_of` (the last day), so
the ledger can keep per-day buckets in plain lists. Weekly rent groups post on Mondays and
number their weeks from the first Monday on or after 1 April (`universal-housing.md` §3.3:
week 1 of 2020/21 began on Monday 6 April 2020); monthly groups number April as period 1.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from uh_gateway.simulator.formats import smalldatetime

# Two years of weekly history keeps last-payment dates, days in arrears and agreement
# histories meaningful (§7) without making the ledger larger than it needs to be.
HISTORY_WEEKS = 104

# Rent-free weeks (§7: council landlords typically give 2-4 a year): the Christmas and New
# Year weeks and the last week of each rent year, plus the week before it in 53-week years.
CHRISTMAS_WEEK_NUMBERS = (38, 39)


def rent_year_start(year: int) -> dt.date:
    """Monday of week 1 of rent year `year`/`year+1`: the first Monday on or after 1 April."""
    april_first = dt.date(year, 4, 1)
    return april_first + dt.timedelta(days=(7 - april_first.weekday()) % 7)


def rent_year_of(monday: dt.date) -> int:
    year = monday.year
    return year if monday >= rent_year_start(year) else year - 1


def months_before(day: dt.date, months: int) -> dt.date:
    """Calendar months back, clamped to the month's end (as Rails' `N.months.ago` does)."""
    return months_after(day, -months)


def months_after(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


@dataclass(slots=True)
class RentCalendar:
    as_of: dt.date
    weeks: int = HISTORY_WEEKS
    this_monday: dt.date = field(init=False)
    start: dt.date = field(init=False)
    n_days: int = field(init=False)
    n_weeks: int = field(init=False)
    this_week: int = field(init=False)
    this_monday_day: int = field(init=False)
    # Per day: the SmallDateTime text of midnight, and (rent year, month number) for monthly
    # rent groups.
    day_text: list[str] = field(init=False)
    month_period: list[tuple[int, int]] = field(init=False)
    # Per week (index = day // 7): (rent year, week number), whether it is rent free, and how
    # many rent years before the current one it falls in (0 = this rent year).
    week_period: list[tuple[int, int]] = field(init=False)
    free_week: list[bool] = field(init=False)
    years_back: list[int] = field(init=False)
    # Chargeable weeks in each rent year, by years_back (monthly direct debits spread these).
    chargeable_weeks: dict[int, int] = field(init=False)
    _monthly_days: dict[int, list[int]] = field(init=False)

    def __post_init__(self) -> None:
        self.this_monday = self.as_of - dt.timedelta(days=self.as_of.weekday())
        self.start = self.this_monday - dt.timedelta(weeks=self.weeks)
        self.n_days = (self.as_of - self.start).days + 1
        self.n_weeks = self.weeks + 1
        self.this_week = self.weeks
        self.this_monday_day = self.this_week * 7
        self.day_text = []
        self.month_period = []
        self._monthly_days = {day_of_month: [] for day_of_month in range(1, 32)}
        for day in range(self.n_days):
            date = self.start + dt.timedelta(days=day)
            self._monthly_days[date.day].append(day)
            self.day_text.append(smalldatetime(date))
            rent_year = date.year if date.month >= 4 else date.year - 1
            self.month_period.append((rent_year, (date.month - 4) % 12 + 1))
        current_rent_year = rent_year_of(self.this_monday)
        self.week_period = []
        self.free_week = []
        self.years_back = []
        self.chargeable_weeks = {}
        for week in range(self.n_weeks):
            monday = self.start + dt.timedelta(weeks=week)
            rent_year = rent_year_of(monday)
            number = (monday - rent_year_start(rent_year)).days // 7 + 1
            weeks_in_year = (rent_year_start(rent_year + 1) - rent_year_start(rent_year)).days // 7
            free_numbers = {*CHRISTMAS_WEEK_NUMBERS, weeks_in_year}
            if weeks_in_year == 53:
                free_numbers.add(52)
            # The current week is always charged, so "this week" always has its Monday debit
            # (the classifier's collectable-arrears sum depends on it).
            free = number in free_numbers and week != self.this_week
            back = current_rent_year - rent_year
            self.week_period.append((rent_year, number))
            self.free_week.append(free)
            self.years_back.append(back)
            self.chargeable_weeks[back] = weeks_in_year - len(free_numbers)

    def date_of(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=day)

    def day_of(self, date: dt.date) -> int:
        return (date - self.start).days

    def monthly_days(self, day_of_month: int, first: int = 0, last: int | None = None) -> list[int]:
        """Day numbers in [first, last] falling on `day_of_month` (1-28) of each month."""
        last = self.n_days - 1 if last is None else last
        days = self._monthly_days[day_of_month]
        return days[bisect_left(days, first) : bisect_right(days, last)]
