"""The rules behind the case action forms, without I/O: reading a GOV.UK date input, a time and
an amount of money with the design system's messages, an agreement's instalment against the
rent, and the diary codes offered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from frontend.domain import labels
from frontend.domain.agreement_plan import describe, plan_agreement, weekly_amount
from frontend.domain.case_actions import DIARY_ENTRY_CODES, PAUSE_DIARY_CODES, pause_diary_code
from frontend.domain.form_input import (
    DateEntered,
    InputProblem,
    When,
    read_date,
    read_money,
    read_time,
)
from ma_shared.action_codes import ACTION_CODE_NAMES

TODAY = dt.date(2026, 3, 10)
WHAT = "the date the pause ends"


def _date(day: str, month: str, year: str, when: When = When.ANY) -> dt.date | None:
    return read_date(DateEntered(day, month, year), what=WHAT, today=TODAY, when=when)


@pytest.mark.parametrize(
    ("entered", "read"),
    [
        (("27", "3", "2026"), dt.date(2026, 3, 27)),
        (("01", "04", "2026"), dt.date(2026, 4, 1)),
        (("29", "2", "2028"), dt.date(2028, 2, 29)),
    ],
    ids=["as GOV.UK's hint shows it", "with leading zeros", "a leap day"],
)
def test_a_real_date_is_read(entered: tuple[str, str, str], read: dt.date) -> None:
    assert _date(*entered) == read


@pytest.mark.parametrize(
    ("entered", "when", "message", "parts"),
    [
        (("", "", ""), When.ANY, "Enter the date the pause ends", ("day", "month", "year")),
        (("3", "", "2026"), When.ANY, "The date the pause ends must include a month", ("month",)),
        (
            ("", "", "2026"),
            When.ANY,
            "The date the pause ends must include a day and month",
            ("day", "month"),
        ),
        (("31", "2", "2026"), When.ANY, "The date the pause ends must be a real date", ("day",)),
        (("1", "13", "2026"), When.ANY, "The date the pause ends must be a real date", ("month",)),
        (("x", "3", "2026"), When.ANY, "The date the pause ends must be a real date", ("day",)),
        (("29", "2", "2027"), When.ANY, "The date the pause ends must be a real date", ("day",)),
        (("1", "3", "26"), When.ANY, "Year must include 4 numbers", ("year",)),
        (
            ("10", "3", "2026"),
            When.FUTURE,
            "The date the pause ends must be in the future",
            ("day", "month", "year"),
        ),
        (
            ("9", "3", "2026"),
            When.TODAY_OR_FUTURE,
            "The date the pause ends must be today or in the future",
            ("day", "month", "year"),
        ),
        (
            ("11", "3", "2026"),
            When.TODAY_OR_PAST,
            "The date the pause ends must be today or in the past",
            ("day", "month", "year"),
        ),
    ],
    ids=[
        "nothing entered",
        "no month",
        "only a year",
        "31 February",
        "month 13",
        "not a number",
        "29 February in a common year",
        "two-digit year",
        "today is not in the future",
        "yesterday is past",
        "tomorrow is in the future",
    ],
)
def test_a_date_that_cannot_be_used_says_why_and_which_boxes(
    entered: tuple[str, str, str], when: When, message: str, parts: tuple[str, ...]
) -> None:
    with pytest.raises(InputProblem) as problem:
        _date(*entered, when=when)
    assert (problem.value.message, problem.value.parts) == (message, parts)


def test_the_edges_of_today() -> None:
    assert _date("10", "3", "2026", When.TODAY_OR_FUTURE) == TODAY
    assert _date("10", "3", "2026", When.TODAY_OR_PAST) == TODAY
    assert _date("11", "3", "2026", When.FUTURE) == dt.date(2026, 3, 11)


def test_an_optional_date_left_blank_is_none() -> None:
    entered = DateEntered()
    assert read_date(entered, what=WHAT, today=TODAY, required=False) is None
    assert DateEntered.of(dt.date(2026, 3, 7)) == DateEntered("7", "3", "2026")


@pytest.mark.parametrize(
    ("typed", "time"),
    [
        ("10:30", dt.time(10, 30)),
        ("10.30am", dt.time(10, 30)),
        ("2pm", dt.time(14, 0)),
        ("2:15 PM", dt.time(14, 15)),
        ("12am", dt.time(0, 0)),
        ("12pm", dt.time(12, 0)),
        ("14:00", dt.time(14, 0)),
        ("", None),
    ],
)
def test_times_are_read_as_people_write_them(typed: str, time: dt.time | None) -> None:
    assert read_time(typed, what="the hearing time") == time


@pytest.mark.parametrize("typed", ["half ten", "25:00", "13pm", "10:75", "10:3"])
def test_a_time_that_is_not_one_is_refused(typed: str) -> None:
    with pytest.raises(InputProblem, match="Enter the hearing time as a time, like 10:30am"):
        read_time(typed, what="the hearing time")


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("15", Decimal("15")), ("£1,234.5", Decimal("1234.5")), (" 0.01 ", Decimal("0.01"))],
)
def test_money_is_read_in_pounds(typed: str, amount: Decimal) -> None:
    assert read_money(typed, what="the instalment amount") == amount


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the instalment amount"),
        ("ten", "The instalment amount must be an amount in pounds and pence, like 15.50"),
        ("1.234", "The instalment amount must be an amount in pounds and pence, like 15.50"),
        ("-5", "The instalment amount must be an amount in pounds and pence, like 15.50"),
        ("0", "The instalment amount must be more than £0"),
        ("10000000", "The instalment amount must be less than £10,000,000"),
    ],
    ids=["nothing", "words", "fractions of a penny", "negative", "zero", "too much"],
)
def test_money_that_cannot_be_used_says_why(typed: str, message: str) -> None:
    with pytest.raises(InputProblem) as problem:
        read_money(typed, what="the instalment amount")
    assert problem.value.message == message


def test_optional_money_left_blank_is_none() -> None:
    assert read_money("", what="the first payment", required=False) is None


# ---- The instalment against the rent ----------------------------------------------------------


def test_a_weekly_instalment_against_the_rent() -> None:
    plan = plan_agreement(
        balance=Decimal("450"),
        amount=Decimal("15"),
        frequency="weekly",
        start_date=dt.date(2026, 3, 16),
        weekly_rent=Decimal("110"),
    )
    assert (plan.instalments, plan.share_of_rent, plan.clears_in) == (30, 14, "30 weeks")
    assert plan.last_payment_date == dt.date(2026, 3, 16) + dt.timedelta(weeks=29)
    assert describe(plan) == [
        "£15.00 a week is 14% of the weekly rent of £110.00; the arrears of £450.00 would be "
        "cleared in 30 weeks.",
        "30 weekly payments from 16 March 2026, the last on 5 October 2026.",
        "With the rent, the tenant would pay £125.00 a week.",
    ]


@pytest.mark.parametrize(
    ("frequency", "amount", "weekly", "instalments", "clears_in", "last"),
    [
        ("fortnightly", "30", "15.00", 15, "30 weeks", dt.date(2026, 9, 28)),
        ("4 weekly", "60", "15.00", 8, "32 weeks", dt.date(2026, 9, 28)),
        ("monthly", "65", "15.00", 7, "7 months", dt.date(2026, 9, 16)),
    ],
)
def test_other_frequencies_are_spread_over_a_week(
    frequency: str,
    amount: str,
    weekly: str,
    instalments: int,
    clears_in: str,
    last: dt.date,
) -> None:
    plan = plan_agreement(
        balance=Decimal("450"),
        amount=Decimal(amount),
        frequency=frequency,
        start_date=dt.date(2026, 3, 16),
        weekly_rent=Decimal("110"),
    )
    assert plan.weekly_amount == Decimal(weekly)
    assert (plan.instalments, plan.clears_in, plan.last_payment_date) == (
        instalments,
        clears_in,
        last,
    )
    assert f"({'about ' if frequency == 'monthly' else ''}£15.00 a week)" in describe(plan)[0]


def test_a_monthly_instalment_is_twelve_months_over_fifty_two_weeks() -> None:
    assert weekly_amount(Decimal("60"), "monthly") == Decimal("13.85")


def test_monthly_payments_keep_the_day_of_the_month_where_it_exists() -> None:
    plan = plan_agreement(
        balance=Decimal("100"),
        amount=Decimal("50"),
        frequency="monthly",
        start_date=dt.date(2026, 1, 31),
        weekly_rent=None,
    )
    assert plan.last_payment_date == dt.date(2026, 2, 28)


def test_a_first_payment_comes_off_before_the_instalments() -> None:
    plan = plan_agreement(
        balance=Decimal("450"),
        amount=Decimal("15"),
        frequency="weekly",
        start_date=dt.date(2026, 3, 16),
        weekly_rent=Decimal("110"),
        first_payment=Decimal("150"),
        first_payment_date=dt.date(2026, 3, 12),
    )
    assert plan.instalments == 20
    assert describe(plan)[1] == (
        "A first payment of £150.00 on 12 March 2026, then 20 weekly payments from "
        "16 March 2026, the last on 27 July 2026."
    )


def test_a_first_payment_of_everything_owed_clears_it() -> None:
    plan = plan_agreement(
        balance=Decimal("450"),
        amount=Decimal("15"),
        frequency="weekly",
        start_date=dt.date(2026, 3, 16),
        weekly_rent=Decimal("110"),
        first_payment=Decimal("450"),
        first_payment_date=dt.date(2026, 3, 12),
    )
    assert (plan.instalments, plan.last_payment_date) == (0, None)
    assert describe(plan) == [
        "The first payment of £450.00 on 12 March 2026 clears the arrears of £450.00."
    ]


def test_without_a_weekly_rent_there_is_no_comparison() -> None:
    plan = plan_agreement(
        balance=Decimal("1200"),
        amount=Decimal("100"),
        frequency="monthly",
        start_date=dt.date(2026, 4, 1),
        weekly_rent=None,
    )
    assert plan.share_of_rent is None
    assert describe(plan) == [
        "£100.00 a month (about £23.08 a week): the arrears of £1,200.00 would be cleared in "
        "12 months.",
        "12 monthly payments from 1 April 2026, the last on 1 March 2027.",
    ]


def test_one_payment_is_singular() -> None:
    plan = plan_agreement(
        balance=Decimal("10"),
        amount=Decimal("15"),
        frequency="weekly",
        start_date=dt.date(2026, 3, 16),
        weekly_rent=Decimal("110"),
    )
    assert describe(plan)[:2] == [
        "£15.00 a week is 14% of the weekly rent of £110.00; the arrears of £10.00 would be "
        "cleared in 1 week.",
        "1 weekly payment from 16 March 2026.",
    ]


# ---- Codes ----------------------------------------------------------------------------------


def test_every_pause_reason_is_recorded_under_a_diary_code() -> None:
    assert set(PAUSE_DIARY_CODES) == set(labels.PAUSE_REASONS)
    assert set(PAUSE_DIARY_CODES.values()) <= set(ACTION_CODE_NAMES)
    assert pause_diary_code("Payment promised") == "POP"
    assert pause_diary_code("Something new") == "GEN"


def test_the_diary_codes_offered_are_those_caseworkers_write_sorted_by_name() -> None:
    assert len(DIARY_ENTRY_CODES) == 39
    names = list(DIARY_ENTRY_CODES.values())
    assert names == sorted(names, key=str.lower)
    assert "IC1" not in DIARY_ENTRY_CODES, "letters are written by comms-api"


def test_a_one_off_payment_clears_the_arrears_on_its_day() -> None:
    plan = plan_agreement(
        balance=Decimal("450.00"),
        amount=Decimal("450.00"),
        frequency="one_off",
        start_date=dt.date(2026, 12, 1),
        weekly_rent=Decimal("110.00"),
    )
    assert (plan.instalments, plan.last_payment_date) == (1, dt.date(2026, 12, 1))
    assert plan.weekly_amount == 0
    assert describe(plan) == ["One payment of £450.00 on 1 December 2026 clears the arrears."]
