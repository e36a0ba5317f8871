"""UH arrears agreements (`arag` header + `aragdet` schedule lines) for simulated accounts.

Shapes follow universal-housing.md §2.4/§3.6: the most recent agreement (by start date) decides
whether one is active; earlier ones are mostly breached or cancelled; each agreement has one to
three schedule lines, a later line being a revision of the instalment.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from uh_gateway.simulator.model import Account, BalanceClass
from uh_gateway.simulator.names import OFFICER_CODES
from uh_gateway.simulator.rent_calendar import RentCalendar

# Latest agreement's status: mostly live, breached or cancelled (§7), some of the others.
LATEST_STATUSES = (
    ("200", 36),
    ("300", 26),
    ("500", 14),
    ("100", 8),
    ("400", 5),
    ("600", 8),
    ("299", 3),
)
EARLIER_STATUSES = (("300", 60), ("500", 30), ("600", 10))
CLEARED_STATUSES = (("600", 70), ("500", 30))
FREQUENCIES = (("1", 58), ("0", 20), ("2", 9), ("4", 9), ("5", 1), ("9", 1), ("8", 1), ("Q", 1))
# Fixture magnitudes (§7) used when the account had no arrears to speak of at the start.
FIXTURE_START_BALANCES = (40_000, 50_000, 123_045, 450_000, 500_000)
PERIOD_DAYS = {"1": 7, "2": 14, "4": 28, "0": 30, "5": 91, "Q": 91, "9": 30, "8": 1}


@dataclass(slots=True)
class AgreementLine:
    amount: int
    frequency: str
    start: dt.datetime
    end: dt.datetime | None
    comment: str
    sid: int = 0


@dataclass(slots=True)
class Agreement:
    account: Account
    status: str
    status_date: dt.datetime
    status_user: str
    start: dt.datetime
    start_balance: int
    amount: int
    frequency: str
    clear_by: dt.datetime
    breached: bool
    next_check: dt.datetime | None
    tolerance: int
    last_check_date: dt.datetime | None
    last_check_balance: int
    last_expected_balance: int
    cancel_balance: int
    fca_date: dt.datetime
    comment: str
    lines: list[AgreementLine] = field(default_factory=list)
    sid: int = 0
    ref: str = ""


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([code for code, _ in options], [weight for _, weight in options])[0]


def _midday(date: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(rng.randint(9, 16), rng.randrange(60)))


def agreements_for(account: Account, calendar: RentCalendar, rng: random.Random) -> list[Agreement]:
    """One to four agreements, the latest starting after the arrears began."""
    cleared = account.balance <= 0 or account.balance_class in (
        BalanceClass.CREDIT,
        BalanceClass.ZERO,
        BalanceClass.PENNIES,
    )
    count = rng.choices((1, 2, 3, 4), (70, 20, 6, 4))[0]
    latest_day = calendar.n_days - 1 - rng.randint(7, 300)
    earliest = account.arrears_start
    if latest_day < earliest:
        latest_day = min(calendar.n_days - 8, earliest + 7)
    days = [latest_day]
    for _ in range(count - 1):
        previous = days[-1] - rng.randint(56, 200)
        if previous < account.first_day:
            break
        days.append(previous)
    days.reverse()
    agreements = []
    for position, day in enumerate(days):
        latest = position == len(days) - 1
        if latest:
            status = _weighted(rng, CLEARED_STATUSES if cleared else LATEST_STATUSES)
        else:
            status = _weighted(rng, EARLIER_STATUSES)
        next_day = days[position + 1] if not latest else calendar.n_days - 1
        agreements.append(_agreement(account, calendar, rng, day, next_day, status, latest))
    return agreements


def _agreement(
    account: Account,
    calendar: RentCalendar,
    rng: random.Random,
    day: int,
    next_day: int,
    status: str,
    latest: bool,
) -> Agreement:
    start_date = calendar.date_of(day)
    start = dt.datetime.combine(start_date, dt.time())
    balance = account.balance_at_day(day)
    start_balance = balance if balance > 2_000 else rng.choice(FIXTURE_START_BALANCES)
    start_balance = min(start_balance, 9_999_999)
    frequency = _weighted(rng, FREQUENCIES)
    period = PERIOD_DAYS[frequency]
    periods_to_clear = rng.randint(20, 90) if period <= 14 else rng.randint(6, 36)
    amount = max(500, round(start_balance / periods_to_clear / 10) * 10)
    clear_by = start + dt.timedelta(days=period * -(-start_balance // amount))
    # Status changes happen between this agreement's start and the next one (or today).
    status_day = (
        day if status in ("100", "200") else rng.randint(day + 1, max(day + 1, next_day - 1))
    )
    # Not today: the status change would be timed later than the clock may yet have reached.
    status_day = min(status_day, calendar.n_days - 2)
    status_date = _midday(calendar.date_of(status_day), rng)
    elapsed_periods = max(0, (min(next_day, calendar.n_days - 1) - day) // period)
    expected = max(0, start_balance - elapsed_periods * amount)
    check_day = min(
        calendar.n_days - 1,
        status_day if status not in ("100", "200") else calendar.n_days - 1 - rng.randint(0, 6),
    )
    live = status in ("100", "200", "299")
    agreement = Agreement(
        account=account,
        status=status,
        status_date=status_date,
        status_user=rng.choice(OFFICER_CODES),
        start=start,
        start_balance=start_balance,
        amount=amount,
        frequency=frequency,
        clear_by=clear_by,
        breached=status == "300",
        next_check=(
            dt.datetime.combine(calendar.as_of + dt.timedelta(days=rng.randint(1, 7)), dt.time())
            if live and latest
            else None
        ),
        tolerance=rng.choice((0, 0, 5, 10)),
        last_check_date=dt.datetime.combine(calendar.date_of(check_day), dt.time()),
        last_check_balance=account.balance_at_day(check_day),
        last_expected_balance=expected,
        cancel_balance=account.balance_at_day(status_day) if status in ("400", "500") else 0,
        fca_date=start + dt.timedelta(days=7),
        comment=f"Agreed to pay {_pounds(amount)} {_frequency_words(frequency)} towards arrears",
    )
    agreement.lines = _lines(agreement, calendar, rng, day, status_day if not live else None)
    return agreement


def _lines(
    agreement: Agreement,
    calendar: RentCalendar,
    rng: random.Random,
    day: int,
    closed_day: int | None,
) -> list[AgreementLine]:
    """The schedule: the first line at the agreement's terms, later lines revising the
    instalment; each line ends the day before the next begins."""
    count = rng.choices((1, 2, 3), (65, 25, 10))[0]
    end_limit = closed_day if closed_day is not None else calendar.n_days - 1
    starts = [day]
    for _ in range(count - 1):
        following = starts[-1] + rng.randint(28, 112)
        if following >= end_limit:
            break
        starts.append(following)
    lines = []
    amount = agreement.amount
    for position, line_day in enumerate(starts):
        if position:
            amount = max(500, round(amount * rng.uniform(0.5, 1.5) / 10) * 10)
        last = position == len(starts) - 1
        if not last:
            end: dt.datetime | None = dt.datetime.combine(
                calendar.date_of(starts[position + 1] - 1), dt.time()
            )
        elif closed_day is not None:
            end = dt.datetime.combine(calendar.date_of(closed_day), dt.time())
        else:
            end = None
        lines.append(
            AgreementLine(
                amount=amount,
                frequency=agreement.frequency,
                start=dt.datetime.combine(calendar.date_of(line_day), dt.time()),
                end=end,
                comment=(
                    "Initial agreement"
                    if position == 0
                    else f"Instalment revised to {_pounds(amount)} after review"
                ),
            )
        )
    if len(lines) > 1:
        agreement.amount = lines[-1].amount
    return lines


def _pounds(pence: int) -> str:
    return f"£{pence // 100:,}.{pence % 100:02d}"


def _frequency_words(code: str) -> str:
    return {
        "0": "monthly",
        "1": "weekly",
        "2": "fortnightly",
        "4": "every four weeks",
        "5": "every three months",
        "6": "every six months",
        "7": "annually",
        "8": "daily",
        "9": "irregularly",
        "Q": "quarterly",
    }[code]
