"""An agreement's instalment against the rent, so a caseworker can see whether it is realistic
before making it: what share of the weekly rent it adds, and when the arrears would be cleared
(frontend-and-notify.md A.5.13; the old app worked the end date out in JavaScript, A.9).

The last payment follows the old app's rule: instalments = ceil((arrears - first payment) /
instalment), the last one that many periods less one after the start date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from frontend.domain.formatting import date, money

# Frequencies a new agreement may have (income-api's AgreementFrequency, less legacy ones),
# with the weeks in one period; monthly has none.
WEEKS_PER_PERIOD: Final[dict[str, int]] = {"weekly": 1, "fortnightly": 2, "4 weekly": 4}
ONE_OFF: Final = "one_off"
FREQUENCIES: Final[tuple[str, ...]] = ("weekly", "fortnightly", "4 weekly", "monthly", ONE_OFF)
_PERIOD_WORDS: Final[dict[str, str]] = {
    "weekly": "a week",
    "fortnightly": "a fortnight",
    "4 weekly": "every 4 weeks",
    "monthly": "a month",
}
_PAYMENT_WORDS: Final[dict[str, str]] = {
    "weekly": "weekly",
    "fortnightly": "fortnightly",
    "4 weekly": "4-weekly",
    "monthly": "monthly",
}
_PENNY = Decimal("0.01")
_WEEKS_IN_A_YEAR, _MONTHS_IN_A_YEAR = 52, 12


@dataclass(frozen=True)
class AgreementPlan:
    balance: Decimal
    amount: Decimal
    frequency: str
    start_date: dt.date
    first_payment: Decimal
    first_payment_date: dt.date | None
    # The instalment spread over a week (a monthly one as 12 months over 52 weeks).
    weekly_amount: Decimal
    weekly_rent: Decimal | None
    # The weekly amount as a whole percentage of the weekly rent; None without a rent.
    share_of_rent: int | None
    instalments: int
    last_payment_date: dt.date | None

    @property
    def clears_in(self) -> str:
        """How long the regular payments take: `30 weeks`, `7 months`."""
        if self.frequency == "monthly":
            return _count(self.instalments, "month")
        return _count(self.instalments * WEEKS_PER_PERIOD[self.frequency], "week")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _add_months(day: dt.date, months: int) -> dt.date:
    """Keeping the day of the month, clamped to the month's end (31 January + 1 month is 28
    or 29 February), as the agreement checks in income-api count months."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last_day))


def _period_after(start: dt.date, frequency: str, periods: int) -> dt.date:
    if frequency == "monthly":
        return _add_months(start, periods)
    return start + dt.timedelta(weeks=periods * WEEKS_PER_PERIOD[frequency])


def weekly_amount(amount: Decimal, frequency: str) -> Decimal:
    if frequency == "monthly":
        weekly = amount * _MONTHS_IN_A_YEAR / _WEEKS_IN_A_YEAR
    else:
        weekly = amount / WEEKS_PER_PERIOD[frequency]
    return weekly.quantize(_PENNY, ROUND_HALF_UP)


def plan_agreement(
    *,
    balance: Decimal,
    amount: Decimal,
    frequency: str,
    start_date: dt.date,
    weekly_rent: Decimal | None,
    first_payment: Decimal | None = None,
    first_payment_date: dt.date | None = None,
) -> AgreementPlan:
    """`amount` is more than £0 and `frequency` one of `FREQUENCIES` (the form checks both); a
    one-off payment is the whole balance on `start_date`."""
    if frequency == ONE_OFF:
        return AgreementPlan(
            balance=balance,
            amount=amount,
            frequency=frequency,
            start_date=start_date,
            first_payment=Decimal(0),
            first_payment_date=None,
            weekly_amount=Decimal(0),
            weekly_rent=None,
            share_of_rent=None,
            instalments=1,
            last_payment_date=start_date,
        )
    lump = first_payment or Decimal(0)
    left = max(balance - lump, Decimal(0))
    instalments = math.ceil(left / amount)
    weekly = weekly_amount(amount, frequency)
    share = (
        int((weekly * 100 / weekly_rent).quantize(Decimal(1), ROUND_HALF_UP))
        if weekly_rent and weekly_rent > 0
        else None
    )
    return AgreementPlan(
        balance=balance,
        amount=amount,
        frequency=frequency,
        start_date=start_date,
        first_payment=lump,
        first_payment_date=first_payment_date if lump else None,
        weekly_amount=weekly,
        weekly_rent=weekly_rent if share is not None else None,
        share_of_rent=share,
        instalments=instalments,
        last_payment_date=(
            _period_after(start_date, frequency, instalments - 1) if instalments else None
        ),
    )


def describe(plan: AgreementPlan) -> list[str]:
    """The plan in sentences, the instalment against the rent first, e.g. "£15.00 a week is
    14% of the weekly rent of £110.00; the arrears of £450.00 would be cleared in 30 weeks."."""
    if plan.frequency == ONE_OFF:
        return [
            f"One payment of {money(plan.amount)} on {date(plan.start_date)} clears the arrears."
        ]
    instalment = f"{money(plan.amount)} {_PERIOD_WORDS[plan.frequency]}"
    if plan.frequency != "weekly":
        about = "about " if plan.frequency == "monthly" else ""
        instalment += f" ({about}{money(plan.weekly_amount)} a week)"
    arrears = f"the arrears of {money(plan.balance)}"
    if plan.instalments == 0:
        when = f" on {date(plan.first_payment_date)}" if plan.first_payment_date else ""
        return [f"The first payment of {money(plan.first_payment)}{when} clears {arrears}."]
    cleared = f"{arrears} would be cleared in {plan.clears_in}"
    if plan.share_of_rent is not None and plan.weekly_rent is not None:
        first = (
            f"{instalment} is {plan.share_of_rent}% of the weekly rent of "
            f"{money(plan.weekly_rent)}; {cleared}."
        )
    else:
        first = f"{instalment}: {cleared}."
    payments = _count(plan.instalments, f"{_PAYMENT_WORDS[plan.frequency]} payment")
    schedule = f"{payments} from {date(plan.start_date)}"
    if plan.instalments > 1:
        schedule += f", the last on {date(plan.last_payment_date)}"
    if plan.first_payment:
        when = f" on {date(plan.first_payment_date)}" if plan.first_payment_date else ""
        schedule = f"A first payment of {money(plan.first_payment)}{when}, then {schedule}."
    else:
        schedule = f"{schedule[0].upper()}{schedule[1:]}."
    sentences = [first[0].upper() + first[1:], schedule]
    if plan.weekly_rent is not None:
        total = plan.weekly_rent + plan.weekly_amount
        sentences.append(f"With the rent, the tenant would pay {money(total)} a week.")
    return sentences
