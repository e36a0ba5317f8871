"""Agreement rules (income-rules §3.2, §3.3, §6.1): expected balance, breach detection, new
agreement validation and the letter arithmetic.

Most cases use one agreement: £1,000.00 owed, £50.00 a week from Monday 1 January 2024, so with
the five-day tolerance the first instalment counts from Saturday 6 January.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from income_api.domain.agreements import (
    AgreementCheck,
    AgreementFrequencyNotSupported,
    AgreementRuleBroken,
    AgreementTerms,
    CourtCaseTerms,
    StateCheck,
    cancelled_description,
    check_agreement,
    expected_balance,
    first_state,
    validate_new_agreement,
)
from income_api.domain.terms import (
    AgreementFrequency,
    AgreementState,
    AgreementType,
    CourtOutcome,
)

D = Decimal
WEEKLY = AgreementFrequency.WEEKLY
FORTNIGHTLY = AgreementFrequency.FORTNIGHTLY
FOUR_WEEKLY = AgreementFrequency.FOUR_WEEKLY
MONTHLY = AgreementFrequency.MONTHLY
ONE_OFF = AgreementFrequency.ONE_OFF
UNSUPPORTED = AgreementFrequency.UNSUPPORTED_LEGACY_FREQUENCY
LIVE = AgreementState.LIVE
BREACHED = AgreementState.BREACHED
CANCELLED = AgreementState.CANCELLED
COMPLETED = AgreementState.COMPLETED
FORMAL = AgreementType.FORMAL
INFORMAL = AgreementType.INFORMAL

AN_AGREEMENT = AgreementTerms(
    agreement_type=INFORMAL,
    starting_balance=D("1000.00"),
    amount=D("50.00"),
    start_date=dt.date(2024, 1, 1),
    frequency=WEEKLY,
)
# Two weeks after the first due date: three instalments due, expected balance £850.00.
CHECK_DAY = dt.date(2024, 1, 20)
A_COURT_CASE = CourtCaseTerms(
    court_date=dt.datetime(2023, 12, 1, 10, 0),
    court_outcome=CourtOutcome.SUSPENSION_ON_TERMS,
    strike_out_date=None,
    terms=True,
)


def make_terms(**overrides: Any) -> AgreementTerms:
    return replace(AN_AGREEMENT, **overrides)


def make_court_case(**overrides: Any) -> CourtCaseTerms:
    return replace(A_COURT_CASE, **overrides)


def checked(state: AgreementState, expected: str, balance: str, description: str) -> StateCheck:
    return StateCheck(state, D(expected), D(balance), description)


# ---- expected balance --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("terms", "today", "expected"),
    [
        pytest.param(AN_AGREEMENT, dt.date(2023, 12, 31), "1000.00", id="before the start"),
        pytest.param(
            AN_AGREEMENT, dt.date(2024, 1, 5), "1000.00", id="fourth tolerance day nothing due"
        ),
        pytest.param(
            AN_AGREEMENT, dt.date(2024, 1, 6), "950.00", id="fifth tolerance day first instalment"
        ),
        pytest.param(
            AN_AGREEMENT, dt.date(2024, 1, 12), "950.00", id="weekly six days on still one due"
        ),
        pytest.param(AN_AGREEMENT, dt.date(2024, 1, 13), "900.00", id="weekly seven days on two"),
        pytest.param(
            make_terms(frequency=FORTNIGHTLY),
            dt.date(2024, 1, 19),
            "950.00",
            id="fortnightly thirteen days on still one due",
        ),
        pytest.param(
            make_terms(frequency=FORTNIGHTLY),
            dt.date(2024, 1, 20),
            "900.00",
            id="fortnightly fourteen days on two due",
        ),
        pytest.param(
            make_terms(frequency=FOUR_WEEKLY),
            dt.date(2024, 2, 2),
            "950.00",
            id="4 weekly twenty-seven days on still one due",
        ),
        pytest.param(
            make_terms(frequency=FOUR_WEEKLY),
            dt.date(2024, 2, 3),
            "900.00",
            id="4 weekly twenty-eight days on two due",
        ),
        pytest.param(
            make_terms(frequency=MONTHLY),
            dt.date(2024, 2, 5),
            "950.00",
            id="monthly the day before the next month still one due",
        ),
        pytest.param(
            make_terms(frequency=MONTHLY),
            dt.date(2024, 2, 6),
            "900.00",
            id="monthly same day next month two due",
        ),
        pytest.param(
            make_terms(frequency=MONTHLY),
            dt.date(2024, 12, 6),
            "400.00",
            id="monthly eleven months on twelve due",
        ),
        pytest.param(
            make_terms(frequency=MONTHLY, start_date=dt.date(2023, 1, 26)),
            dt.date(2023, 2, 27),
            "950.00",
            id="monthly due 31 January next due 28 February not before",
        ),
        pytest.param(
            make_terms(frequency=MONTHLY, start_date=dt.date(2023, 1, 26)),
            dt.date(2023, 2, 28),
            "900.00",
            id="monthly due 31 January clamps to 28 February",
        ),
        pytest.param(
            make_terms(frequency=MONTHLY, start_date=dt.date(2023, 1, 26)),
            dt.date(2023, 3, 27),
            "900.00",
            id="monthly clamped due date not reached on 27 March",
        ),
        pytest.param(
            make_terms(frequency=MONTHLY, start_date=dt.date(2023, 1, 26)),
            dt.date(2023, 3, 28),
            "850.00",
            id="monthly clamped due date carries on to 28 March not 31 March",
        ),
        pytest.param(
            make_terms(frequency=ONE_OFF, amount=D("1000.00")),
            dt.date(2024, 1, 5),
            "1000.00",
            id="one off not due yet",
        ),
        pytest.param(
            make_terms(frequency=ONE_OFF, amount=D("1000.00")),
            dt.date(2024, 1, 6),
            "0",
            id="one off due clears the balance",
        ),
        pytest.param(
            make_terms(frequency=ONE_OFF, amount=D("400.00")),
            dt.date(2024, 2, 6),
            "200.00",
            id="one off counts calendar months like monthly",
        ),
        pytest.param(
            make_terms(starting_balance=D("100.00")),
            dt.date(2024, 1, 13),
            "0.00",
            id="instalments exactly clear the balance",
        ),
        pytest.param(
            make_terms(starting_balance=D("100.00")),
            dt.date(2024, 1, 20),
            "0",
            id="more instalments due than owed floors at zero",
        ),
        pytest.param(
            make_terms(
                initial_payment_amount=D("200.00"), initial_payment_date=dt.date(2024, 1, 10)
            ),
            dt.date(2024, 1, 14),
            "900.00",
            id="lump sum not counted on its fourth tolerance day",
        ),
        pytest.param(
            make_terms(
                initial_payment_amount=D("200.00"), initial_payment_date=dt.date(2024, 1, 10)
            ),
            dt.date(2024, 1, 15),
            "700.00",
            id="lump sum counted on its fifth tolerance day",
        ),
        pytest.param(
            make_terms(
                initial_payment_amount=D("200.00"), initial_payment_date=dt.date(2023, 12, 20)
            ),
            dt.date(2024, 1, 2),
            "800.00",
            id="lump sum due before the first instalment",
        ),
        pytest.param(
            make_terms(initial_payment_amount=D("200.00"), initial_payment_date=None),
            dt.date(2024, 1, 20),
            "850.00",
            id="lump sum without a date is not counted",
        ),
        pytest.param(
            make_terms(
                starting_balance=D("150.00"),
                initial_payment_amount=D("150.00"),
                initial_payment_date=dt.date(2024, 1, 1),
            ),
            dt.date(2024, 1, 6),
            "0",
            id="lump sum and instalment together floor at zero",
        ),
    ],
)
def test_expected_balance(terms: AgreementTerms, today: dt.date, expected: str) -> None:
    assert expected_balance(terms, today=today) == D(expected)


@pytest.mark.parametrize(
    ("tolerance_days", "today", "expected"),
    [
        pytest.param(0, dt.date(2023, 12, 31), "1000.00", id="no tolerance nothing before start"),
        pytest.param(0, dt.date(2024, 1, 1), "950.00", id="no tolerance due on the start date"),
        pytest.param(10, dt.date(2024, 1, 10), "1000.00", id="ten day tolerance ninth day"),
        pytest.param(10, dt.date(2024, 1, 11), "950.00", id="ten day tolerance tenth day"),
    ],
)
def test_expected_balance_tolerance_is_configurable(
    tolerance_days: int, today: dt.date, expected: str
) -> None:
    assert expected_balance(AN_AGREEMENT, today=today, tolerance_days=tolerance_days) == D(expected)


def test_expected_balance_cannot_count_a_legacy_frequency() -> None:
    with pytest.raises(AgreementFrequencyNotSupported):
        expected_balance(make_terms(frequency=UNSUPPORTED), today=CHECK_DAY)


# ---- checking an agreement ---------------------------------------------------------------


def check(
    terms: AgreementTerms = AN_AGREEMENT,
    *,
    balance: str = "850.00",
    current_state: AgreementState = LIVE,
    latest_state: StateCheck | None = None,
    court_case: CourtCaseTerms | None = None,
    today: dt.date = CHECK_DAY,
) -> AgreementCheck | None:
    return check_agreement(
        terms,
        current_state=current_state,
        latest_state=latest_state or checked(LIVE, "1000.00", "1000.00", "Agreement created"),
        current_balance=D(balance),
        court_case=court_case,
        today=today,
    )


FORMAL_TERMS = make_terms(agreement_type=FORMAL)
ON_TRACK = checked(LIVE, "850.00", "850.00", "Checked by the system")


@pytest.mark.parametrize(
    ("kwargs", "result"),
    [
        pytest.param({"current_state": CANCELLED}, None, id="cancelled agreement is not checked"),
        pytest.param({"current_state": COMPLETED}, None, id="completed agreement is not checked"),
        pytest.param(
            {"terms": make_terms(frequency=UNSUPPORTED)},
            None,
            id="legacy frequency agreement is not checked",
        ),
        pytest.param(
            {"terms": make_terms(frequency=UNSUPPORTED), "current_state": BREACHED},
            None,
            id="breached legacy frequency agreement is not checked",
        ),
        pytest.param(
            {},
            AgreementCheck(False, ON_TRACK),
            id="weekly agreement kept to stays live",
        ),
        pytest.param(
            {"balance": "800.00"},
            AgreementCheck(False, checked(LIVE, "850.00", "800.00", "Checked by the system")),
            id="paid ahead stays live",
        ),
        pytest.param(
            {"balance": "900.00"},
            AgreementCheck(False, checked(BREACHED, "850.00", "900.00", "Breached by £50.00")),
            id="weekly agreement one missed instalment is breached",
        ),
        pytest.param(
            {"balance": "850.01"},
            AgreementCheck(False, checked(BREACHED, "850.00", "850.01", "Breached by £0.01")),
            id="a penny short is breached",
        ),
        pytest.param(
            {"balance": "2050.55"},
            AgreementCheck(False, checked(BREACHED, "850.00", "2050.55", "Breached by £1,200.55")),
            id="breach amount in pounds with two decimal places",
        ),
        pytest.param(
            {"current_state": BREACHED, "balance": "850.00"},
            AgreementCheck(False, ON_TRACK),
            id="breached agreement caught up is live again",
        ),
        pytest.param(
            {"balance": "0.00"},
            AgreementCheck(False, checked(COMPLETED, "850.00", "0.00", "Completed on 20/01/2024")),
            id="informal agreement with balance cleared is completed",
        ),
        pytest.param(
            {"balance": "-10.00"},
            AgreementCheck(
                False, checked(COMPLETED, "850.00", "-10.00", "Completed on 20/01/2024")
            ),
            id="informal agreement in credit is completed",
        ),
        pytest.param(
            {"balance": "0.01"},
            AgreementCheck(False, checked(LIVE, "850.00", "0.01", "Checked by the system")),
            id="a penny still owed is not completed",
        ),
        pytest.param(
            {"latest_state": ON_TRACK},
            AgreementCheck(False, None),
            id="same balances as the latest state only touch last checked",
        ),
        pytest.param(
            {"latest_state": checked(BREACHED, "850.00", "900.00", "Breached by £50.00")},
            AgreementCheck(False, ON_TRACK),
            id="same expected balance but a new balance is a new state",
        ),
        pytest.param(
            {"latest_state": checked(LIVE, "900.00", "850.00", "Checked by the system")},
            AgreementCheck(False, ON_TRACK),
            id="same balance but a new instalment due is a new state",
        ),
        pytest.param(
            {"court_case": make_court_case(strike_out_date=dt.date(2024, 1, 21))},
            AgreementCheck(False, ON_TRACK),
            id="informal agreement ignores a court case",
        ),
    ],
)
def test_check_informal_agreement(kwargs: dict[str, Any], result: AgreementCheck | None) -> None:
    assert check(**kwargs) == result


def test_check_without_state_history_records_a_state() -> None:
    result = check_agreement(
        AN_AGREEMENT,
        current_state=LIVE,
        latest_state=None,
        current_balance=D("850.00"),
        court_case=None,
        today=CHECK_DAY,
    )
    assert result == AgreementCheck(False, ON_TRACK)


@pytest.mark.parametrize(
    ("tolerance_days", "result"),
    [
        pytest.param(
            5,
            AgreementCheck(False, checked(LIVE, "900.00", "875.00", "Checked by the system")),
            id="default tolerance two instalments due",
        ),
        pytest.param(
            0,
            AgreementCheck(False, checked(BREACHED, "850.00", "875.00", "Breached by £25.00")),
            id="no tolerance three instalments due",
        ),
    ],
)
def test_check_uses_the_tolerance_given(tolerance_days: int, result: AgreementCheck) -> None:
    checked_on_15_january = check_agreement(
        AN_AGREEMENT,
        current_state=LIVE,
        latest_state=None,
        current_balance=D("875.00"),
        court_case=None,
        today=dt.date(2024, 1, 15),
        tolerance_days=tolerance_days,
    )
    assert checked_on_15_january == result


COMPLETED_TODAY = StateCheck(COMPLETED, None, None, "Completed on 20/01/2024")
SIX_YEARS_AGO = dt.datetime(2018, 1, 20, 10, 0)
SIX_YEARS_AGO_TOMORROW = dt.datetime(2018, 1, 21, 10, 0)


@pytest.mark.parametrize(
    ("kwargs", "result"),
    [
        pytest.param(
            {"court_case": A_COURT_CASE, "balance": "900.00"},
            AgreementCheck(False, checked(BREACHED, "850.00", "900.00", "Breached by £50.00")),
            id="formal agreement one missed instalment is breached",
        ),
        pytest.param(
            {"court_case": A_COURT_CASE, "balance": "0.00"},
            AgreementCheck(False, checked(COMPLETED, "850.00", "0.00", "Completed on 20/01/2024")),
            id="formal agreement without strike-out date completes when cleared",
        ),
        pytest.param(
            {
                "court_case": make_court_case(strike_out_date=dt.date(2024, 1, 21)),
                "balance": "0.00",
            },
            AgreementCheck(False, checked(LIVE, "850.00", "0.00", "Checked by the system")),
            id="formal agreement with strike-out tomorrow stays live at zero",
        ),
        pytest.param(
            {
                "court_case": make_court_case(strike_out_date=dt.date(2024, 1, 20)),
                "balance": "0.00",
            },
            AgreementCheck(True, checked(COMPLETED, "850.00", "0.00", "Completed on 20/01/2024")),
            id="formal agreement struck out today becomes informal and completes",
        ),
        pytest.param(
            {
                "court_case": make_court_case(strike_out_date=dt.date(2024, 1, 20)),
                "balance": "900.00",
            },
            AgreementCheck(True, checked(BREACHED, "850.00", "900.00", "Breached by £50.00")),
            id="formal agreement struck out today becomes informal and is still checked",
        ),
        pytest.param(
            {
                "court_case": make_court_case(strike_out_date=dt.date(2024, 1, 21)),
                "balance": "900.00",
            },
            AgreementCheck(False, checked(BREACHED, "850.00", "900.00", "Breached by £50.00")),
            id="formal agreement struck out tomorrow stays formal",
        ),
        pytest.param(
            {
                "court_case": make_court_case(strike_out_date=dt.date(2024, 1, 19)),
                "latest_state": ON_TRACK,
            },
            AgreementCheck(True, None),
            id="struck out with unchanged balances converts and only touches last checked",
        ),
        pytest.param(
            {"court_case": make_court_case(court_date=SIX_YEARS_AGO), "balance": "900.00"},
            AgreementCheck(False, COMPLETED_TODAY),
            id="suspension on terms six years ago today completes with no balances",
        ),
        pytest.param(
            {"court_case": make_court_case(court_date=SIX_YEARS_AGO), "latest_state": ON_TRACK},
            AgreementCheck(False, COMPLETED_TODAY),
            id="end of life completes even when the balances are unchanged",
        ),
        pytest.param(
            {
                "court_case": make_court_case(court_date=SIX_YEARS_AGO_TOMORROW),
                "balance": "900.00",
            },
            AgreementCheck(False, checked(BREACHED, "850.00", "900.00", "Breached by £50.00")),
            id="suspension on terms six years ago tomorrow is still checked",
        ),
        pytest.param(
            {
                "court_case": make_court_case(
                    court_date=SIX_YEARS_AGO, court_outcome=CourtOutcome.ADJOURNED_ON_TERMS
                ),
                "balance": "900.00",
            },
            AgreementCheck(False, checked(BREACHED, "850.00", "900.00", "Breached by £50.00")),
            id="adjourned on terms six years ago is still checked",
        ),
        pytest.param(
            {
                "court_case": make_court_case(
                    court_date=SIX_YEARS_AGO, strike_out_date=dt.date(2020, 1, 1)
                ),
            },
            AgreementCheck(True, COMPLETED_TODAY),
            id="struck out and at end of life converts and completes",
        ),
        pytest.param(
            {"court_case": None, "balance": "0.00"},
            AgreementCheck(False, checked(COMPLETED, "850.00", "0.00", "Completed on 20/01/2024")),
            id="formal agreement missing its court case completes when cleared",
        ),
    ],
)
def test_check_formal_agreement(kwargs: dict[str, Any], result: AgreementCheck) -> None:
    assert check(FORMAL_TERMS, **kwargs) == result


# ---- new agreements ----------------------------------------------------------------------


def new_agreement(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "agreement_type": INFORMAL,
        "frequency": WEEKLY,
        "amount": D("50.00"),
        "start_date": dt.date(2024, 1, 1),
        "starting_balance": D("1000.00"),
        "initial_payment_amount": None,
        "initial_payment_date": None,
        "court_case_id": None,
    }
    return {**fields, **overrides}


@pytest.mark.parametrize(
    ("fields", "terms"),
    [
        pytest.param(new_agreement(), AN_AGREEMENT, id="weekly informal agreement"),
        pytest.param(
            new_agreement(agreement_type=FORMAL, court_case_id=7),
            make_terms(agreement_type=FORMAL),
            id="formal agreement with its court case",
        ),
        pytest.param(
            new_agreement(court_case_id=7),
            AN_AGREEMENT,
            id="informal agreement may name a court case",
        ),
        pytest.param(
            new_agreement(frequency=ONE_OFF, amount=D("1000.00")),
            make_terms(frequency=ONE_OFF, amount=D("1000.00")),
            id="one off payment",
        ),
        pytest.param(
            new_agreement(amount=D("0.01")),
            make_terms(amount=D("0.01")),
            id="a penny a week is an instalment",
        ),
        pytest.param(
            new_agreement(
                initial_payment_amount=D("1000.00"), initial_payment_date=dt.date(2024, 1, 1)
            ),
            make_terms(
                initial_payment_amount=D("1000.00"), initial_payment_date=dt.date(2024, 1, 1)
            ),
            id="lump sum of the whole balance",
        ),
        pytest.param(
            new_agreement(initial_payment_amount=D("0"), initial_payment_date=dt.date(2024, 1, 1)),
            make_terms(initial_payment_amount=D("0"), initial_payment_date=dt.date(2024, 1, 1)),
            id="lump sum of nothing is allowed",
        ),
    ],
)
def test_valid_new_agreement(fields: dict[str, Any], terms: AgreementTerms) -> None:
    assert validate_new_agreement(**fields) == terms


@pytest.mark.parametrize(
    ("fields", "problems"),
    [
        pytest.param(
            new_agreement(amount=None), [("amount", "required")], id="instalment required"
        ),
        pytest.param(
            new_agreement(amount=D("0")), [("amount", "not_positive")], id="zero instalment"
        ),
        pytest.param(
            new_agreement(amount=D("-50.00")),
            [("amount", "not_positive")],
            id="negative instalment",
        ),
        pytest.param(
            new_agreement(start_date=None), [("start_date", "required")], id="start date required"
        ),
        pytest.param(
            new_agreement(frequency=UNSUPPORTED),
            [("frequency", "unsupported_frequency")],
            id="legacy frequency not allowed for new agreements",
        ),
        pytest.param(
            new_agreement(agreement_type=FORMAL),
            [("court_case_id", "required")],
            id="formal agreement needs a court case",
        ),
        pytest.param(
            new_agreement(agreement_type=FORMAL, court_case_id=7, starting_balance=None),
            [("starting_balance", "required")],
            id="court case without a balance on the outcome date",
        ),
        pytest.param(
            new_agreement(initial_payment_amount=D("100.00")),
            [("initial_payment_date", "required")],
            id="lump sum needs a date",
        ),
        pytest.param(
            new_agreement(initial_payment_date=dt.date(2024, 1, 1)),
            [("initial_payment_amount", "required")],
            id="lump sum date needs an amount",
        ),
        pytest.param(
            new_agreement(
                initial_payment_amount=D("-0.01"), initial_payment_date=dt.date(2024, 1, 1)
            ),
            [("initial_payment_amount", "negative")],
            id="negative lump sum",
        ),
        pytest.param(
            new_agreement(
                initial_payment_amount=D("1000.01"), initial_payment_date=dt.date(2024, 1, 1)
            ),
            [("initial_payment_amount", "more_than_starting_balance")],
            id="lump sum a penny more than owed",
        ),
        pytest.param(
            new_agreement(
                agreement_type=FORMAL,
                frequency=UNSUPPORTED,
                amount=D("0"),
                start_date=None,
                initial_payment_amount=D("-1"),
            ),
            [
                ("amount", "not_positive"),
                ("start_date", "required"),
                ("frequency", "unsupported_frequency"),
                ("court_case_id", "required"),
                ("initial_payment_date", "required"),
                ("initial_payment_amount", "negative"),
            ],
            id="every broken rule is reported at once",
        ),
    ],
)
def test_invalid_new_agreement(fields: dict[str, Any], problems: list[tuple[str, str]]) -> None:
    with pytest.raises(AgreementRuleBroken) as raised:
        validate_new_agreement(**fields)
    assert [(problem.field, problem.code) for problem in raised.value.problems] == problems
    assert all(problem.message for problem in raised.value.problems)


def test_new_agreement_starts_live_with_nothing_due() -> None:
    assert first_state(D("1000.00")) == checked(LIVE, "1000.00", "1000.00", "Agreement created")


def test_cancelled_description_names_who_and_why() -> None:
    assert (
        cancelled_description("Rita Rent", "New agreement created")
        == "Cancelled by Rita Rent, reason: New agreement created"
    )
