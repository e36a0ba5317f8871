"""The leasehold classifier: every ruleset and guard with each boundary on both sides, the
precedence between them, and reasons that state the rule and the facts
(docs/leasehold-policy.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from income_api.domain.leasehold_classifier import (
    DEFAULT_LEASEHOLD_POLICY,
    LeaseholdClassification,
    LeaseholdFacts,
    LeaseholdPolicy,
    classify_leasehold_case,
    letter_variant,
)
from income_api.domain.terms import LeaseholdAction

NO_ACTION = LeaseholdAction.NO_ACTION
LETTER_ONE = LeaseholdAction.SEND_LETTER_ONE
LETTER_TWO = LeaseholdAction.SEND_LETTER_TWO
LBA = LeaseholdAction.SEND_LETTER_BEFORE_ACTION
LEGAL = LeaseholdAction.REFER_FOR_LEGAL_ACTION
DISPUTE = LeaseholdAction.REVIEW_BALANCE_DISPUTE
CHECK_DATA = LeaseholdAction.CHECK_DATA

# Wednesday 12 Aug 2026, midday UTC. Three months ago is 12 May, six months ago 12 Feb.
NOW = dt.datetime(2026, 8, 12, 12, 0, tzinfo=dt.UTC)


def on(day: str, time: str = "00:00") -> dt.datetime:
    """An aware UTC instant; a bare date is 00:00, as the criteria give dates."""
    return dt.datetime.fromisoformat(f"{day}T{time}+00:00")


def days_ago(days: int, time: str = "00:00") -> dt.datetime:
    return dt.datetime.combine(
        NOW.date() - dt.timedelta(days=days), dt.time.fromisoformat(time), dt.UTC
    )


def make_facts(**changes: Any) -> LeaseholdFacts:
    """A leaseholder £500 in arrears, no letter yet, no direct debit, no dispute."""
    facts = LeaseholdFacts(
        balance=Decimal("500.00"), tenure="LEA", last_payment_date=dt.date(2026, 7, 3)
    )
    return replace(facts, **changes)


def after_letter(code: str, sent: dt.datetime, **changes: Any) -> LeaseholdFacts:
    return make_facts(latest_letter=code, latest_letter_date=sent, **changes)


def classify(
    facts: LeaseholdFacts,
    now: dt.datetime = NOW,
    policy: LeaseholdPolicy = DEFAULT_LEASEHOLD_POLICY,
) -> LeaseholdClassification:
    return classify_leasehold_case(facts, now=now, policy=policy)


@pytest.mark.parametrize(
    ("tenure", "variant"),
    [
        pytest.param("LEA", "LH", id="leasehold gets the LH letters"),
        pytest.param("FRS", "FH", id="freehold (service charge) gets the FH letters"),
        pytest.param("SHO", "SO", id="shared ownership gets the SO letters"),
        pytest.param("FRE", None, id="plain freehold has no service charge letters"),
        pytest.param("SEC", None, id="a rent tenure has no leasehold letters"),
        pytest.param(None, None, id="no tenure, no variant"),
    ],
)
def test_letter_variant_follows_the_tenure(tenure: str | None, variant: str | None) -> None:
    assert letter_variant(tenure) == variant


@pytest.mark.parametrize(
    ("facts", "action", "rule"),
    [
        # Pause
        pytest.param(
            make_facts(is_paused_until=on("2026-08-13")),
            NO_ACTION,
            "paused",
            id="paused until tomorrow holds the account",
        ),
        pytest.param(
            make_facts(is_paused_until=NOW),
            LETTER_ONE,
            "send_letter_one",
            id="a pause ending this instant has ended",
        ),
        pytest.param(
            make_facts(is_paused_until=on("2026-08-11")),
            LETTER_ONE,
            "send_letter_one",
            id="a pause that ended yesterday holds nothing",
        ),
        # Balance in dispute
        pytest.param(
            make_facts(balance_in_dispute=Decimal("0.01")),
            DISPUTE,
            "balance_in_dispute",
            id="any amount in dispute needs review",
        ),
        pytest.param(
            make_facts(balance_in_dispute=Decimal("0")),
            LETTER_ONE,
            "send_letter_one",
            id="nothing in dispute is no dispute",
        ),
        pytest.param(
            make_facts(balance=Decimal("5.00"), balance_in_dispute=Decimal("5.00")),
            DISPUTE,
            "balance_in_dispute",
            id="a dispute needs review even below the letter 1 threshold",
        ),
        # Check data
        pytest.param(make_facts(balance=None), CHECK_DATA, "check_data", id="no balance"),
        pytest.param(make_facts(tenure=None), CHECK_DATA, "check_data", id="no tenure"),
        pytest.param(
            make_facts(tenure="FRE"),
            CHECK_DATA,
            "check_data",
            id="a tenure with no letter variant",
        ),
        pytest.param(
            make_facts(latest_letter="LL1"),
            CHECK_DATA,
            "check_data",
            id="a latest letter without a date",
        ),
        pytest.param(
            make_facts(latest_letter_date=days_ago(40)),
            CHECK_DATA,
            "check_data",
            id="a latest letter date without a code",
        ),
        pytest.param(
            after_letter("IC1", days_ago(40)),
            CHECK_DATA,
            "check_data",
            id="a latest letter code that is not a leasehold letter",
        ),
        pytest.param(
            after_letter("LL1", on("2026-08-13")),
            CHECK_DATA,
            "check_data",
            id="a letter dated tomorrow",
        ),
        pytest.param(
            after_letter("LL1", on("2026-08-12", "18:00")),
            NO_ACTION,
            "next_step_not_yet_due",
            id="a letter later today is not in the future",
        ),
        # Direct debit covering the arrears
        pytest.param(
            make_facts(
                balance=Decimal("1200.00"),
                direct_debit_status="Live",
                direct_debit_amount=Decimal("100.00"),
            ),
            NO_ACTION,
            "direct_debit_covers_arrears",
            id="a live direct debit clearing the arrears in exactly 12 months holds",
        ),
        pytest.param(
            make_facts(
                balance=Decimal("1200.01"),
                direct_debit_status="Live",
                direct_debit_amount=Decimal("100.00"),
            ),
            LETTER_ONE,
            "send_letter_one",
            id="a live direct debit a penny short of 12 months does not hold",
        ),
        pytest.param(
            make_facts(
                direct_debit_status="First Payment Pending", direct_debit_amount=Decimal(50)
            ),
            NO_ACTION,
            "direct_debit_covers_arrears",
            id="a new direct debit awaiting its first payment holds",
        ),
        pytest.param(
            make_facts(direct_debit_status="Cancelled", direct_debit_amount=Decimal(500)),
            LETTER_ONE,
            "send_letter_one",
            id="a cancelled direct debit does not hold",
        ),
        pytest.param(
            make_facts(direct_debit_status="Suspended", direct_debit_amount=Decimal(500)),
            LETTER_ONE,
            "send_letter_one",
            id="a suspended direct debit does not hold",
        ),
        pytest.param(
            make_facts(direct_debit_amount=Decimal(500)),
            LETTER_ONE,
            "send_letter_one",
            id="an amount with no direct debit status does not hold",
        ),
        pytest.param(
            make_facts(direct_debit_status="Live"),
            LETTER_ONE,
            "send_letter_one",
            id="a live direct debit of unknown amount does not hold",
        ),
        pytest.param(
            make_facts(direct_debit_status="Live", direct_debit_amount=Decimal(0)),
            LETTER_ONE,
            "send_letter_one",
            id="a live direct debit of nothing does not hold",
        ),
        pytest.param(
            make_facts(
                balance=Decimal("2000.00"),
                money_judgement=Decimal("800.00"),
                direct_debit_status="Live",
                direct_debit_amount=Decimal("100.00"),
            ),
            NO_ACTION,
            "direct_debit_covers_arrears",
            id="the direct debit is measured against arrears less the money judgement",
        ),
        # Letter 1
        pytest.param(
            make_facts(balance=Decimal("10.00")),
            LETTER_ONE,
            "send_letter_one",
            id="no letter and arrears of exactly £10 sends letter 1",
        ),
        pytest.param(
            make_facts(balance=Decimal("9.99")),
            NO_ACTION,
            "below_threshold",
            id="no letter and arrears of £9.99 is below letter 1",
        ),
        pytest.param(
            make_facts(balance=Decimal("509.99"), money_judgement=Decimal("500.00")),
            NO_ACTION,
            "below_threshold",
            id="arrears beyond the money judgement below £10 is below letter 1",
        ),
        pytest.param(
            make_facts(balance=Decimal("500.00"), money_judgement=Decimal("600.00")),
            NO_ACTION,
            "below_threshold",
            id="a money judgement above the balance leaves nothing to pursue",
        ),
        pytest.param(
            after_letter("LL2", on("2026-05-12"), balance=Decimal("200.00")),
            LETTER_ONE,
            "send_letter_one",
            id="letter 2 exactly 3 months ago ends the quiet period",
        ),
        pytest.param(
            after_letter("LL2", on("2026-05-13"), balance=Decimal("200.00")),
            NO_ACTION,
            "below_threshold",
            id="letter 2 a day under 3 months ago is still in the quiet period",
        ),
        pytest.param(
            after_letter("LL2", on("2026-05-12", "10:00"), balance=Decimal("200.00")),
            NO_ACTION,
            "below_threshold",
            id="letter 2 at 10:00 3 months ago counts its months from the next midnight",
        ),
        pytest.param(
            after_letter("LL2", on("2026-05-11", "23:59"), balance=Decimal("200.00")),
            LETTER_ONE,
            "send_letter_one",
            id="letter 2 late on the day before 3 months ago is out of the quiet period",
        ),
        pytest.param(
            after_letter("SLB", on("2026-02-12")),
            LETTER_ONE,
            "send_letter_one",
            id="a letter before action 6 months old has lapsed: letter 1 restarts",
        ),
        pytest.param(
            after_letter("SLB", on("2026-04-01"), balance=Decimal("200.00")),
            NO_ACTION,
            "below_threshold",
            id="a letter before action past the quiet period but not lapsed blocks letter 1",
        ),
        # Letter 2
        pytest.param(
            after_letter("LL1", days_ago(28)),
            LETTER_TWO,
            "send_letter_two",
            id="letter 1 exactly 28 days ago sends letter 2",
        ),
        pytest.param(
            after_letter("LL1", days_ago(27)),
            NO_ACTION,
            "next_step_not_yet_due",
            id="letter 1 27 days ago is too soon for letter 2",
        ),
        pytest.param(
            after_letter("LL1", days_ago(28, "10:00")),
            NO_ACTION,
            "next_step_not_yet_due",
            id="letter 1 at 10:00 28 days ago counts its days from the next midnight",
        ),
        pytest.param(
            after_letter("LL1", on("2026-05-13")),
            LETTER_TWO,
            "send_letter_two",
            id="letter 1 a day under 3 months ago is the last day for letter 2",
        ),
        pytest.param(
            after_letter("LL1", on("2026-05-12")),
            LETTER_ONE,
            "send_letter_one",
            id="letter 1 exactly 3 months ago has lapsed: letter 1 again",
        ),
        pytest.param(
            after_letter("LL1", days_ago(28), balance=Decimal("10.00")),
            LETTER_TWO,
            "send_letter_two",
            id="arrears of exactly £10 after letter 1 sends letter 2",
        ),
        pytest.param(
            after_letter("LL1", days_ago(28), balance=Decimal("9.99")),
            NO_ACTION,
            "below_threshold",
            id="arrears of £9.99 after letter 1 is below letter 2",
        ),
        pytest.param(
            after_letter("LF1", days_ago(40), tenure="FRS"),
            LETTER_TWO,
            "send_letter_two",
            id="freehold letter 1 leads to letter 2",
        ),
        pytest.param(
            after_letter("LS1", days_ago(40), tenure="SHO"),
            LETTER_TWO,
            "send_letter_two",
            id="shared ownership letter 1 leads to letter 2",
        ),
        # Letter before action
        pytest.param(
            after_letter("LL2", days_ago(28), balance=Decimal("350.00")),
            LBA,
            "send_letter_before_action",
            id="letter 2 28 days ago and arrears of exactly £350 sends the LBA",
        ),
        pytest.param(
            after_letter("LL2", days_ago(28), balance=Decimal("349.99")),
            NO_ACTION,
            "below_threshold",
            id="arrears of £349.99 after letter 2 is below the LBA",
        ),
        pytest.param(
            after_letter("LL2", days_ago(28), money_judgement=Decimal("150.01")),
            NO_ACTION,
            "below_threshold",
            id="arrears beyond the money judgement below £350 is below the LBA",
        ),
        pytest.param(
            after_letter("LL2", days_ago(27)),
            NO_ACTION,
            "next_step_not_yet_due",
            id="letter 2 27 days ago is too soon for the LBA",
        ),
        pytest.param(
            after_letter("LL2", on("2026-05-13")),
            LBA,
            "send_letter_before_action",
            id="letter 2 a day under 3 months ago is the last day for the LBA",
        ),
        pytest.param(
            after_letter("LL2", on("2026-05-12")),
            LETTER_ONE,
            "send_letter_one",
            id="letter 2 exactly 3 months ago has lapsed: letter 1 again",
        ),
        pytest.param(
            after_letter("LF2", days_ago(40), tenure="FRS"),
            LBA,
            "send_letter_before_action",
            id="freehold letter 2 leads to the LBA",
        ),
        pytest.param(
            after_letter("LS2", days_ago(40), tenure="SHO"),
            LBA,
            "send_letter_before_action",
            id="shared ownership letter 2 leads to the LBA",
        ),
        # Legal referral: reply-by is the LBA's day + 30, referral due 30 days after that.
        pytest.param(
            after_letter("SLB", on("2026-06-13"), balance=Decimal("350.00")),
            LEGAL,
            "refer_for_legal_action",
            id="30 days after the reply-by date with £350 refers for legal action",
        ),
        pytest.param(
            after_letter("SLB", on("2026-06-13", "23:00")),
            LEGAL,
            "refer_for_legal_action",
            id="the reply-by date is a date whatever time the LBA was recorded",
        ),
        pytest.param(
            after_letter("SLB", on("2026-06-14")),
            NO_ACTION,
            "next_step_not_yet_due",
            id="29 days after the reply-by date is too soon for legal",
        ),
        pytest.param(
            after_letter("SLB", on("2026-06-13"), balance=Decimal("349.99")),
            NO_ACTION,
            "below_threshold",
            id="arrears of £349.99 after the LBA is below legal referral",
        ),
        pytest.param(
            after_letter("SLB", on("2026-02-13")),
            LEGAL,
            "refer_for_legal_action",
            id="an LBA a day under 6 months old still supports a referral",
        ),
    ],
)
def test_recommendation(facts: LeaseholdFacts, action: LeaseholdAction, rule: str) -> None:
    classification = classify(facts)
    assert (classification.action, classification.rule) == (action, rule)


@pytest.mark.parametrize(
    ("now", "action"),
    [
        pytest.param(on("2026-02-28", "12:00"), LETTER_TWO, id="on 28 Feb letter 2 is still due"),
        pytest.param(on("2026-03-01", "12:00"), LETTER_ONE, id="on 1 Mar letter 1 has lapsed"),
    ],
)
def test_months_clamped_to_month_end_count_a_letter_of_30_nov(
    now: dt.datetime, action: LeaseholdAction
) -> None:
    # 30 Nov + 3 months is 28 Feb, but 28 Feb less 3 months is 28 Nov: not yet 3 months.
    assert classify(after_letter("LL1", on("2025-11-30")), now=now).action == action


@pytest.mark.parametrize(
    ("now", "rule"),
    [
        pytest.param(
            dt.datetime(2026, 8, 13, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            "next_step_not_yet_due",
            id="00:30 BST on 13 Aug is still 12 Aug in UTC",
        ),
        pytest.param(on("2026-08-13", "00:30"), "send_letter_two", id="00:30 UTC on 13 Aug"),
    ],
)
def test_the_day_is_the_utc_day(now: dt.datetime, rule: str) -> None:
    # Letter 1 on 16 Jul: letter 2 due from 13 Aug.
    assert classify(after_letter("LL1", on("2026-07-16")), now=now).rule == rule


@pytest.mark.parametrize(
    ("facts", "action", "fired"),
    [
        pytest.param(
            make_facts(is_paused_until=on("2026-09-01"), balance_in_dispute=Decimal(50)),
            NO_ACTION,
            (NO_ACTION, DISPUTE, LETTER_ONE),
            id="a pause beats a dispute and shows what it holds back",
        ),
        pytest.param(
            make_facts(tenure=None, balance_in_dispute=Decimal(50)),
            DISPUTE,
            (DISPUTE, CHECK_DATA, LETTER_ONE),
            id="a dispute comes before fixing the data",
        ),
        pytest.param(
            make_facts(tenure=None, direct_debit_status="Live", direct_debit_amount=Decimal(100)),
            CHECK_DATA,
            (CHECK_DATA, NO_ACTION, LETTER_ONE),
            id="bad data comes before a direct debit hold",
        ),
        pytest.param(
            make_facts(
                balance_in_dispute=Decimal(50),
                direct_debit_status="Live",
                direct_debit_amount=Decimal(100),
            ),
            DISPUTE,
            (DISPUTE, NO_ACTION, LETTER_ONE),
            id="a dispute comes before a direct debit hold",
        ),
        pytest.param(
            after_letter(
                "SLB",
                on("2026-06-13"),
                direct_debit_status="Live",
                direct_debit_amount=Decimal(100),
            ),
            NO_ACTION,
            (NO_ACTION, LEGAL),
            id="a direct debit covering the arrears holds legal referral",
        ),
        pytest.param(
            make_facts(latest_letter="LL2"),
            CHECK_DATA,
            (CHECK_DATA,),
            id="a letter with no date is not taken as no letter",
        ),
        pytest.param(
            make_facts(balance=Decimal("9.99")),
            NO_ACTION,
            (),
            id="nothing fired when nothing is due",
        ),
    ],
)
def test_precedence(
    facts: LeaseholdFacts, action: LeaseholdAction, fired: tuple[LeaseholdAction, ...]
) -> None:
    classification = classify(facts)
    assert (classification.action, classification.fired) == (action, fired)


@pytest.mark.parametrize(
    ("facts", "policy", "action", "rule", "fired"),
    [
        pytest.param(
            after_letter("LL1", on("2026-04-20")),
            replace(DEFAULT_LEASEHOLD_POLICY, letter_two_max_months=4),
            LETTER_TWO,
            "send_letter_two",
            (LETTER_TWO, LETTER_ONE),
            id="a longer letter 2 window beats restarting at letter 1",
        ),
        pytest.param(
            after_letter("LL1", on("2026-05-01")),
            replace(DEFAULT_LEASEHOLD_POLICY, letter_one_quiet_period_months=4),
            NO_ACTION,
            "letter_one_quiet_period",
            (),
            id="a quiet period longer than the letter 2 window leaves a gap",
        ),
        pytest.param(
            after_letter("LL2", days_ago(40), balance=Decimal("300.00")),
            replace(DEFAULT_LEASEHOLD_POLICY, lba_threshold=Decimal("250")),
            LBA,
            "send_letter_before_action",
            (LBA,),
            id="what if the LBA threshold were £250",
        ),
        pytest.param(
            make_facts(
                balance=Decimal("1200.00"),
                direct_debit_status="Live",
                direct_debit_amount=Decimal("100.00"),
            ),
            replace(DEFAULT_LEASEHOLD_POLICY, direct_debit_cover_months=6),
            LETTER_ONE,
            "send_letter_one",
            (LETTER_ONE,),
            id="what if a direct debit had to clear the arrears in 6 months",
        ),
    ],
)
def test_policy_changes_the_recommendation(
    facts: LeaseholdFacts,
    policy: LeaseholdPolicy,
    action: LeaseholdAction,
    rule: str,
    fired: tuple[LeaseholdAction, ...],
) -> None:
    classification = classify(facts, policy=policy)
    assert (classification.action, classification.rule, classification.fired) == (
        action,
        rule,
        fired,
    )


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        pytest.param(
            make_facts(is_paused_until=on("2026-09-01", "09:00")),
            "Paused until 1 Sep 2026.",
            id="paused: until when",
        ),
        pytest.param(
            make_facts(balance=Decimal("1234.50"), balance_in_dispute=Decimal("250")),
            "£250.00 of the £1,234.50 balance is in dispute. "
            "Resolve the dispute before any further letter or legal action.",
            id="dispute: the amount and the balance",
        ),
        pytest.param(
            make_facts(balance=None, balance_in_dispute=Decimal("250")),
            "£250.00 is in dispute. Resolve the dispute before any further letter or legal action.",
            id="dispute: no balance to mention",
        ),
        pytest.param(
            make_facts(tenure="FRE"),
            "Check the data: tenure FRE has no leasehold letter variant "
            "(expected LEA, FRS or SHO).",
            id="check data: the unknown tenure",
        ),
        pytest.param(
            make_facts(balance=None, tenure=None, latest_letter="LL1"),
            "Check the data: the balance is missing; the tenure is missing, so no letter "
            "variant (LH, FH or SO) can be chosen; latest letter LL1 has no date.",
            id="check data: every problem at once",
        ),
        pytest.param(
            after_letter("ZZ9", on("2026-08-20")),
            "Check the data: latest letter ZZ9 is not a leasehold letter code; "
            "the latest letter is dated 20 Aug 2026, after today.",
            id="check data: an unknown code dated in the future",
        ),
        pytest.param(
            make_facts(latest_letter_date=on("2026-07-01")),
            "Check the data: a latest letter date (1 Jul 2026) has no code.",
            id="check data: a date with no code",
        ),
        pytest.param(
            make_facts(
                balance=Decimal("1200.00"),
                direct_debit_status="Live",
                direct_debit_amount=Decimal("100.00"),
            ),
            "Direct debit (Live) of £100.00 a month clears arrears of £1,200.00 within 12 "
            "months (£1,200.00 in 12 months). Escalation is held while it is collected.",
            id="direct debit: the amount, the arrears and the period",
        ),
        pytest.param(
            make_facts(balance=Decimal("1234.50"), tenure="FRS"),
            "No leasehold letter on record, and arrears of £1,234.50 are at least £10.00. "
            "Send letter 1 (FH). Last payment 3 Jul 2026.",
            id="letter 1: no letter yet, the freehold variant",
        ),
        pytest.param(
            make_facts(last_payment_date=None),
            "No leasehold letter on record, and arrears of £500.00 are at least £10.00. "
            "Send letter 1 (LH). No payment on record.",
            id="letter 1: no payment on record",
        ),
        pytest.param(
            make_facts(balance=Decimal("1234.50"), money_judgement=Decimal("500.00")),
            "No leasehold letter on record, and arrears of £734.50 (balance £1,234.50 less "
            "£500.00 under a money judgement) are at least £10.00. Send letter 1 (LH). "
            "Last payment 3 Jul 2026.",
            id="letter 1: arrears beyond the money judgement",
        ),
        pytest.param(
            after_letter("SLB", on("2026-02-12")),
            "Letter before action (SLB) sent on 12 Feb 2026, reply by 14 Mar 2026; letter 1 "
            "may be sent again from 12 Aug 2026, and arrears of £500.00 are at least £10.00. "
            "Send letter 1 (LH). Last payment 3 Jul 2026.",
            id="letter 1: the lapsed letter before action",
        ),
        pytest.param(
            after_letter("LS1", on("2026-07-15"), tenure="SHO"),
            "Letter 1 (LS1) sent on 15 Jul 2026; letter 2 is due from 12 Aug 2026 until "
            "14 Oct 2026, and arrears of £500.00 are at least £10.00. Send letter 2 (SO). "
            "Last payment 3 Jul 2026.",
            id="letter 2: the window and the shared ownership variant",
        ),
        pytest.param(
            after_letter("LL2", on("2026-07-15")),
            "Letter 2 (LL2) sent on 15 Jul 2026; a letter before action is due from "
            "12 Aug 2026 until 14 Oct 2026, and arrears of £500.00 are at least £350.00. "
            "Send the letter before action. Last payment 3 Jul 2026.",
            id="letter before action: the window and the threshold",
        ),
        pytest.param(
            after_letter("SLB", on("2026-06-13", "15:45")),
            "Letter before action (SLB) sent on 13 Jun 2026, reply by 13 Jul 2026; legal "
            "referral is due from 12 Aug 2026 until 13 Dec 2026, and arrears of £500.00 are at "
            "least £350.00. Refer the account for legal action. Last payment 3 Jul 2026.",
            id="legal referral: the reply-by date, and 6 months from the next midnight",
        ),
        pytest.param(
            make_facts(balance=Decimal("9.99")),
            "Arrears of £9.99 are below the £10.00 needed for letter 1.",
            id="nothing due: below letter 1",
        ),
        pytest.param(
            make_facts(balance=Decimal("500.00"), money_judgement=Decimal("600.00")),
            "Arrears of £0.00 (balance £500.00 less £600.00 under a money judgement) are below "
            "the £10.00 needed for letter 1.",
            id="nothing due: all of it under a money judgement",
        ),
        pytest.param(
            after_letter("LL1", on("2026-07-16", "09:15")),
            "Letter 1 (LL1) sent on 16 Jul 2026; letter 2 is due from 14 Aug 2026 if arrears "
            "are then at least £10.00 (arrears of £500.00 now).",
            id="nothing due: letter 2 due from a date",
        ),
        pytest.param(
            after_letter("SLB", on("2026-07-01")),
            "Letter before action (SLB) sent on 1 Jul 2026, reply by 31 Jul 2026; legal "
            "referral is due from 30 Aug 2026 if arrears are then at least £350.00 "
            "(arrears of £500.00 now).",
            id="nothing due: legal referral due 30 days after the reply-by date",
        ),
        pytest.param(
            after_letter("LL2", on("2026-07-01"), balance=Decimal("200.00")),
            "Letter 2 (LL2) sent on 1 Jul 2026; a letter before action needs arrears of at "
            "least £350.00 and arrears of £200.00 are below that. Letter 1 may be sent again "
            "from 1 Oct 2026.",
            id="nothing due: below the LBA, and when letter 1 restarts",
        ),
        pytest.param(
            after_letter("LL2", on("2026-07-01"), balance=Decimal("5.00")),
            "Letter 2 (LL2) sent on 1 Jul 2026; a letter before action needs arrears of at "
            "least £350.00 and arrears of £5.00 are below that.",
            id="nothing due: too little even to restart at letter 1",
        ),
        pytest.param(
            after_letter("SLB", on("2026-04-01"), balance=Decimal("200.00")),
            "Letter before action (SLB) sent on 1 Apr 2026, reply by 1 May 2026; legal "
            "referral needs arrears of at least £350.00 and arrears of £200.00 are below that. "
            "Letter 1 may be sent again from 1 Oct 2026.",
            id="nothing due: below legal referral, letter 1 once the LBA lapses",
        ),
    ],
)
def test_reason_states_the_rule_and_the_facts(facts: LeaseholdFacts, reason: str) -> None:
    assert classify(facts).reason == reason


def test_reason_for_a_gap_between_the_window_and_the_quiet_period() -> None:
    policy = replace(DEFAULT_LEASEHOLD_POLICY, letter_one_quiet_period_months=4)
    assert classify(after_letter("LL1", on("2026-05-01")), policy=policy).reason == (
        "Letter 1 (LL1) sent on 1 May 2026; the window for letter 2 closed on 1 Aug 2026. "
        "Letter 1 may be sent again from 1 Sep 2026."
    )


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"letter_one_threshold": Decimal("-0.01")}, id="a negative threshold"),
        pytest.param({"lba_min_days": -1}, id="a negative interval in days"),
        pytest.param({"legal_referral_max_months": -1}, id="a negative interval in months"),
    ],
)
def test_policy_refuses_negative_values(change: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        LeaseholdPolicy(**change)


def test_policy_accepts_zero() -> None:
    assert LeaseholdPolicy(letter_one_threshold=Decimal(0), lba_min_days=0).lba_min_days == 0


@pytest.mark.parametrize(
    ("facts", "now", "name"),
    [
        pytest.param(make_facts(), dt.datetime(2026, 8, 12, 12, 0), "now", id="a naive now"),
        pytest.param(
            after_letter("LL1", dt.datetime(2026, 7, 1)),
            NOW,
            "latest_letter_date",
            id="a naive letter date",
        ),
        pytest.param(
            make_facts(is_paused_until=dt.datetime(2026, 9, 1)),
            NOW,
            "is_paused_until",
            id="a naive pause",
        ),
    ],
)
def test_times_must_be_timezone_aware(facts: LeaseholdFacts, now: dt.datetime, name: str) -> None:
    with pytest.raises(ValueError, match=f"{name} must be timezone-aware"):
        classify(facts, now=now)
