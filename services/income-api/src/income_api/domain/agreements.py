"""Arrears agreement rules (income-rules §3.1 to §3.3): what a new agreement must satisfy, the
balance a tenant should be down to by a given day, and the state an agreement is in when the
sync checks it against the tenant's current balance.

Pure: no I/O and no clock; every rule that depends on the date takes `today`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

from income_api.domain.court_cases import (
    CourtCaseTerms,
    Problem,
    is_end_of_life,
    is_struck_out,
)
from income_api.domain.terms import (
    ACTIVE_AGREEMENT_STATES,
    AgreementFrequency,
    AgreementState,
    AgreementType,
)

__all__ = [
    "AGREEMENT_BREACH_TOLERANCE_DAYS",
    "AgreementCheck",
    "AgreementFrequencyNotSupported",
    "AgreementRuleBroken",
    "AgreementTerms",
    "CourtCaseTerms",
    "Problem",
    "StateCheck",
    "cancelled_description",
    "check_agreement",
    "expected_balance",
    "first_state",
    "validate_new_agreement",
]

# Days allowed for a payment to clear before a due instalment counts as missed.
AGREEMENT_BREACH_TOLERANCE_DAYS = 5

CHECKED_BY_THE_SYSTEM = "Checked by the system"
AGREEMENT_CREATED = "Agreement created"

_ZERO = Decimal(0)
_PENNY = Decimal("0.01")
_DAYS_PER_CYCLE = {
    AgreementFrequency.WEEKLY: 7,
    AgreementFrequency.FORTNIGHTLY: 14,
    AgreementFrequency.FOUR_WEEKLY: 28,
}
_CALENDAR_MONTH_CYCLES = frozenset({AgreementFrequency.MONTHLY, AgreementFrequency.ONE_OFF})


class AgreementRuleBroken(Exception):
    """A new agreement that may not be made as given; `problems` has one item per broken rule."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


class AgreementFrequencyNotSupported(Exception):
    """Instalments cannot be counted for a frequency migrated from UH that MA does not know
    (3-monthly, annually, irregular …)."""


@dataclass(frozen=True, slots=True)
class AgreementTerms:
    agreement_type: AgreementType
    starting_balance: Decimal
    amount: Decimal
    start_date: dt.date
    frequency: AgreementFrequency
    initial_payment_amount: Decimal | None = None
    initial_payment_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class StateCheck:
    """One row of an agreement's state history, as the rules see it."""

    state: AgreementState
    expected_balance: Decimal | None
    checked_balance: Decimal | None
    description: str


@dataclass(frozen=True, slots=True)
class AgreementCheck:
    """What a check found. `convert_to_informal`: the agreement is formal and its court case
    has been struck out. `new_state` None: same balances as the latest state, so only its
    `last_checked` moves."""

    convert_to_informal: bool
    new_state: StateCheck | None


def first_state(starting_balance: Decimal) -> StateCheck:
    """The state every new agreement starts in: nothing due yet, nothing paid yet."""
    return StateCheck(AgreementState.LIVE, starting_balance, starting_balance, AGREEMENT_CREATED)


def validate_new_agreement(
    *,
    agreement_type: AgreementType,
    frequency: AgreementFrequency,
    amount: Decimal | None,
    start_date: dt.date | None,
    starting_balance: Decimal | None,
    initial_payment_amount: Decimal | None = None,
    initial_payment_date: dt.date | None = None,
    court_case_id: int | None = None,
) -> AgreementTerms:
    """The terms of a new agreement, or `AgreementRuleBroken` listing every rule broken.

    `starting_balance` is not the caseworker's to choose: the case's current balance for an
    informal agreement, the court case's balance on the outcome date for a formal one (which
    may not have been recorded).
    """
    problems: list[Problem] = []
    if amount is None:
        problems.append(Problem("amount", "required", "Enter the instalment amount."))
    elif amount <= 0:
        problems.append(
            Problem("amount", "not_positive", "The instalment amount must be more than £0.")
        )
    if start_date is None:
        problems.append(Problem("start_date", "required", "Enter the date of the first payment."))
    if frequency == AgreementFrequency.UNSUPPORTED_LEGACY_FREQUENCY:
        problems.append(
            Problem(
                "frequency",
                "unsupported_frequency",
                "New agreements must be weekly, fortnightly, 4 weekly, monthly or one off.",
            )
        )
    if agreement_type == AgreementType.FORMAL and court_case_id is None:
        problems.append(
            Problem(
                "court_case_id",
                "required",
                "A formal agreement must belong to a court case.",
            )
        )
    if starting_balance is None:
        problems.append(
            Problem(
                "starting_balance",
                "required",
                "There is no balance to start the agreement from; for a formal agreement, "
                "record the balance on the court outcome date first.",
            )
        )
    problems.extend(
        _initial_payment_problems(initial_payment_amount, initial_payment_date, starting_balance)
    )
    # A missing value is always among the problems; naming them again narrows their types.
    if problems or amount is None or start_date is None or starting_balance is None:
        raise AgreementRuleBroken(problems)
    return AgreementTerms(
        agreement_type=agreement_type,
        starting_balance=starting_balance,
        amount=amount,
        start_date=start_date,
        frequency=frequency,
        initial_payment_amount=initial_payment_amount,
        initial_payment_date=initial_payment_date,
    )


def _initial_payment_problems(
    amount: Decimal | None, date: dt.date | None, starting_balance: Decimal | None
) -> list[Problem]:
    if amount is None:
        if date is None:
            return []
        return [
            Problem(
                "initial_payment_amount",
                "required",
                "Enter the lump sum amount, or leave out its date.",
            )
        ]
    problems: list[Problem] = []
    if date is None:
        problems.append(
            Problem("initial_payment_date", "required", "Enter the date of the lump sum.")
        )
    if amount < 0:
        problems.append(
            Problem("initial_payment_amount", "negative", "The lump sum cannot be negative.")
        )
    elif starting_balance is not None and amount > starting_balance:
        problems.append(
            Problem(
                "initial_payment_amount",
                "more_than_starting_balance",
                "The lump sum cannot be more than the balance owed.",
            )
        )
    return problems


def expected_balance(
    terms: AgreementTerms,
    *,
    today: dt.date,
    tolerance_days: int = AGREEMENT_BREACH_TOLERANCE_DAYS,
) -> Decimal:
    """The balance the tenant should be down to today if they kept to the agreement: the
    starting balance, less the lump sum once it is due, less every instalment due so far
    (counting the first from `start_date + tolerance`), never below £0."""
    tolerance = dt.timedelta(days=tolerance_days)
    first_due = terms.start_date + tolerance
    remaining = terms.starting_balance - _initial_payment_due(
        terms, today=today, tolerance=tolerance
    )
    if first_due > today:
        return max(remaining, _ZERO)
    instalments_due = _cycles_since(first_due, terms.frequency, today=today) + 1
    return max(remaining - instalments_due * terms.amount, _ZERO)


def _initial_payment_due(
    terms: AgreementTerms, *, today: dt.date, tolerance: dt.timedelta
) -> Decimal:
    if terms.initial_payment_amount is None or terms.initial_payment_date is None:
        return _ZERO
    if terms.initial_payment_date + tolerance > today:
        return _ZERO
    return terms.initial_payment_amount


def _cycles_since(first_due: dt.date, frequency: AgreementFrequency, *, today: dt.date) -> int:
    """Whole payment cycles between the first due date and today."""
    if frequency in _DAYS_PER_CYCLE:
        return (today - first_due).days // _DAYS_PER_CYCLE[frequency]
    if frequency in _CALENDAR_MONTH_CYCLES:
        return _whole_months_since(first_due, today=today)
    raise AgreementFrequencyNotSupported(frequency)


def _whole_months_since(first_due: dt.date, *, today: dt.date) -> int:
    """Months are added one at a time, as the old system did, so a due date clamped to the end
    of a short month stays there: 31 Jan, 28 Feb, 28 Mar … (not 31 Mar). With the default
    tolerance this only eats into the tolerance, by up to three days: it never puts a due date
    before the tenant's own payment day, which is five days before the 29th, 30th or 31st."""
    months = 0
    due = first_due + relativedelta(months=1)
    while due <= today:
        months += 1
        due += relativedelta(months=1)
    return months


def check_agreement(
    terms: AgreementTerms,
    *,
    current_state: AgreementState,
    latest_state: StateCheck | None,
    current_balance: Decimal,
    court_case: CourtCaseTerms | None,
    today: dt.date,
    tolerance_days: int = AGREEMENT_BREACH_TOLERANCE_DAYS,
) -> AgreementCheck | None:
    """Check an agreement against the tenant's current balance (UH `cur_bal`) during a sync.

    None: not checked at all, because the agreement is no longer active or its frequency came
    from UH and cannot be counted. `court_case` is the court case a formal agreement belongs
    to; a formal agreement without one (bad data) is checked as if its court case had no
    strike-out date and had not reached end of life.
    """
    if current_state not in ACTIVE_AGREEMENT_STATES:
        return None
    if terms.frequency == AgreementFrequency.UNSUPPORTED_LEGACY_FREQUENCY:
        return None

    agreement_type = terms.agreement_type
    convert_to_informal = False
    if agreement_type == AgreementType.FORMAL and court_case is not None:
        if is_struck_out(court_case, today=today):
            convert_to_informal = True
            agreement_type = AgreementType.INFORMAL
        if is_end_of_life(court_case, today=today):
            completed = StateCheck(AgreementState.COMPLETED, None, None, _completed_on(today))
            return AgreementCheck(convert_to_informal, completed)

    expected = expected_balance(terms, today=today, tolerance_days=tolerance_days)
    if (
        latest_state is not None
        and latest_state.expected_balance == expected
        and latest_state.checked_balance == current_balance
    ):
        return AgreementCheck(convert_to_informal, None)

    # A formal agreement with a strike-out date still to come stays live at £0: the court
    # case, not the balance, decides when it ends.
    may_complete = (
        agreement_type == AgreementType.INFORMAL
        or court_case is None
        or court_case.strike_out_date is None
    )
    if current_balance <= 0 and may_complete:
        state = StateCheck(
            AgreementState.COMPLETED, expected, current_balance, _completed_on(today)
        )
    elif expected < current_balance:
        shortfall = current_balance - expected
        state = StateCheck(
            AgreementState.BREACHED, expected, current_balance, f"Breached by {_pounds(shortfall)}"
        )
    else:
        state = StateCheck(AgreementState.LIVE, expected, current_balance, CHECKED_BY_THE_SYSTEM)
    return AgreementCheck(convert_to_informal, state)


def _completed_on(today: dt.date) -> str:
    # The old system wrote US order (MM/DD/YYYY); caseworkers read UK dates.
    return f"Completed on {today:%d/%m/%Y}"


def _pounds(amount: Decimal) -> str:
    # Always two decimal places ("£500.00", not the old "£500.0") with thousands separators,
    # as money is written everywhere else caseworkers look.
    return f"£{amount.quantize(_PENNY, rounding=ROUND_HALF_UP):,.2f}"


def cancelled_description(cancelled_by: str, reason: str) -> str:
    return f"Cancelled by {cancelled_by}, reason: {reason}"
