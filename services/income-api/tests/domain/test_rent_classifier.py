"""The rent classifier (income-rules §1): every ruleset and guard of §1.7, the time semantics
of §1.3 on both sides of each boundary, precedence, the quirk decisions of §1.9 and the
reasons caseworkers read.

Unless a test says otherwise it is Thursday 17 Sep 2026, 14:30 UTC: 7 days ago is 10 Sep, 14
days ago 3 Sep, 3 months ago 17 Jun. A diary date with no time is 00:00 UTC that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from income_api.domain.rent_classifier import (
    DEFAULT_RENT_POLICY,
    AgreementFacts,
    CourtCaseFacts,
    DocumentFacts,
    RentCaseFacts,
    RentClassification,
    RentPolicy,
    classify_rent_case,
)
from income_api.domain.terms import AgreementState, AgreementType, RentAction

NOW = dt.datetime(2026, 9, 17, 14, 30, tzinfo=dt.UTC)

INFORMAL = AgreementType.INFORMAL
FORMAL = AgreementType.FORMAL
LIVE = AgreementState.LIVE
BREACHED = AgreementState.BREACHED
CANCELLED = AgreementState.CANCELLED
COMPLETED = AgreementState.COMPLETED


def at(moment: str) -> dt.datetime:
    """'2026-09-03' is 00:00 UTC that day (a bare diary date); '2026-09-03 09:00' a time."""
    return dt.datetime.fromisoformat(moment).replace(tzinfo=dt.UTC)


def pounds(amount: str) -> Decimal:
    return Decimal(amount)


def court(
    date: dt.datetime | None,
    outcome: str | None = None,
    *,
    terms: bool | None = None,
    strike_out: dt.date | None = None,
) -> CourtCaseFacts:
    return CourtCaseFacts(
        court_date=date, court_outcome=outcome, terms=terms, strike_out_date=strike_out
    )


JULY_1ST = at("2026-07-01")


def agreement(
    kind: AgreementType = INFORMAL,
    state: AgreementState = BREACHED,
    start: dt.datetime | None = JULY_1ST,
) -> AgreementFacts:
    return AgreementFacts(agreement_type=kind, current_state=state, start_date=start)


def letter(
    status: str = "validation-failed", template: str = "income_collection_letter_1"
) -> DocumentFacts:
    return DocumentFacts(status=status, template_id=template, updated_at=at("2026-09-15 11:00"))


def contact(action: str | None, moment: dt.datetime | None) -> dict[str, Any]:
    """The last communication in the action diary."""
    return {"last_communication_action": action, "last_communication_date": moment}


def facts(**overrides: Any) -> RentCaseFacts:
    """£600 collectable arrears and £100 weekly rent (so £500 after one week's grace, more than
    4 weeks' rent), no payment this week, nothing else on file."""
    return replace(RentCaseFacts(pounds("600.00"), pounds("100.00")), **overrides)


def classify(
    case: RentCaseFacts, *, now: dt.datetime = NOW, policy: RentPolicy = DEFAULT_RENT_POLICY
) -> RentClassification:
    return classify_rent_case(case, now=now, policy=policy)


def fires(action: RentAction, case: RentCaseFacts, *, now: dt.datetime = NOW) -> bool:
    return action in classify(case, now=now).fired


# One case per rule that fires that rule and nothing else; the guard tables change one fact.
HEARING = at("2026-06-01 10:00")
WARRANT = facts(court_case=court(at("2026-09-07 10:00"), "OPD"))
FAILED_LETTER = facts(collectable_arrears=pounds("3.00"), latest_document=letter())
SMS = facts(collectable_arrears=pounds("7.40"))
LETTER_ONE = facts(collectable_arrears=pounds("312.50"))
LETTER_TWO = facts(collectable_arrears=pounds("312.50"), **contact("IC1", at("2026-09-03")))
COURT_OUTCOME = facts(court_case=court(at("2026-09-07 10:00")))
COURT_BREACH = facts(
    court_case=court(HEARING, "SOT", terms=True),
    agreement=agreement(FORMAL, BREACHED, at("2026-06-08")),
)
COURT_BREACH_VISIT = replace(COURT_BREACH, **contact("CBL", at("2026-09-01")))
SEND_NOSP = facts(**contact("IC2", at("2026-09-01")))
NO_PAYMENT = replace(COURT_BREACH, days_since_last_payment=8, **contact("CBV", at("2026-09-01")))
INFORMAL_BREACH = facts(agreement=agreement(INFORMAL, BREACHED, at("2026-07-01")))
INFORMAL_AFTER_LETTER = replace(INFORMAL_BREACH, **contact("BLI", at("2026-09-01")))
# Served 2 Mar 2026: cooling off until 2 Jun 2026, valid until 1 Jun 2027.
COURT_WARNING = facts(nosp_served_date=dt.date(2026, 3, 2))
COURT_DATE = replace(COURT_WARNING, **contact("IC4", at("2026-09-01")))
CHECK_DATA = facts(court_case=court(at("2026-09-07 10:00"), "SOT", terms=True))

RULE_CASES = [
    pytest.param(WARRANT, RentAction.APPLY_FOR_OUTRIGHT_POSSESSION_WARRANT, "R1", id="R1"),
    pytest.param(FAILED_LETTER, RentAction.REVIEW_FAILED_LETTER, "R2", id="R2"),
    pytest.param(SMS, RentAction.SEND_FIRST_SMS, "R3", id="R3"),
    pytest.param(LETTER_ONE, RentAction.SEND_LETTER_ONE, "R4", id="R4"),
    pytest.param(LETTER_TWO, RentAction.SEND_LETTER_TWO, "R5", id="R5"),
    pytest.param(COURT_OUTCOME, RentAction.UPDATE_COURT_OUTCOME_ACTION, "R6", id="R6"),
    pytest.param(COURT_BREACH_VISIT, RentAction.COURT_BREACH_VISIT, "R7", id="R7"),
    pytest.param(SEND_NOSP, RentAction.SEND_NOSP, "R8", id="R8"),
    pytest.param(NO_PAYMENT, RentAction.COURT_BREACH_NO_PAYMENT, "R9", id="R9"),
    pytest.param(
        INFORMAL_BREACH, RentAction.SEND_INFORMAL_AGREEMENT_BREACH_LETTER, "R10", id="R10"
    ),
    pytest.param(INFORMAL_AFTER_LETTER, RentAction.INFORMAL_BREACHED_AFTER_LETTER, "R11", id="R11"),
    pytest.param(COURT_BREACH, RentAction.ADDRESS_COURT_AGREEMENT_BREACH, "R12", id="R12"),
    pytest.param(COURT_WARNING, RentAction.SEND_COURT_WARNING_LETTER, "R13", id="R13"),
    pytest.param(COURT_DATE, RentAction.APPLY_FOR_COURT_DATE, "R14", id="R14"),
    pytest.param(CHECK_DATA, RentAction.CHECK_DATA, "R15", id="R15"),
]


@pytest.mark.parametrize(("case", "action", "number"), RULE_CASES)
def test_each_rule_fires_alone_on_its_own_case(
    case: RentCaseFacts, action: RentAction, number: str
) -> None:
    result = classify(case)
    assert result.action is action
    assert result.fired == (action,)
    assert result.rule == f"{number} {action.value}"


def test_every_action_has_a_rule() -> None:
    actions = {param.values[1] for param in RULE_CASES}
    assert actions == set(RentAction) - {RentAction.NO_ACTION}


def test_nothing_due_is_no_action() -> None:
    result = classify(facts(collectable_arrears=pounds("2.00")))
    assert result == RentClassification(
        RentAction.NO_ACTION, "none", "Collectable arrears £2.00 are below £5", ()
    )


# Guards shared by every rule but R2 and R15 -------------------------------------------------------

ACTION_RULES = [param for param in RULE_CASES if param.id not in {"R2", "R15"}]


@pytest.mark.parametrize(("case", "action", "number"), ACTION_RULES)
@pytest.mark.parametrize(
    ("hold", "held"),
    [
        pytest.param({"is_paused_until": at("2026-09-18")}, True, id="paused until tomorrow"),
        pytest.param(
            {"is_paused_until": at("2026-09-17 14:30:01")}, True, id="paused 1 second more"
        ),
        pytest.param({"is_paused_until": NOW}, False, id="pause ending now"),
        pytest.param({"is_paused_until": at("2026-09-16")}, False, id="pause ended yesterday"),
        pytest.param({"eviction_date": dt.date(2026, 10, 1)}, True, id="eviction date ahead"),
        pytest.param({"eviction_date": dt.date(2025, 1, 1)}, True, id="eviction date past"),
    ],
)
def test_pause_and_eviction_hold_every_action(
    case: RentCaseFacts,
    action: RentAction,
    number: str,
    hold: dict[str, Any],
    held: bool,
) -> None:
    assert fires(action, replace(case, **hold)) is not held


@pytest.mark.parametrize(("case", "action", "number"), ACTION_RULES)
def test_a_hearing_still_to_come_holds_every_action(
    case: RentCaseFacts, action: RentAction, number: str
) -> None:
    hearing = replace(case.court_case or CourtCaseFacts(), court_date=at("2026-09-17 14:30:01"))
    assert not fires(action, replace(case, court_case=hearing))


@pytest.mark.parametrize(
    ("hold", "fired"),
    [
        pytest.param({"is_paused_until": at("2026-09-18")}, False, id="check data paused"),
        pytest.param({"eviction_date": dt.date(2026, 10, 1)}, True, id="check data evicting"),
    ],
)
def test_only_a_pause_holds_check_data(hold: dict[str, Any], fired: bool) -> None:
    assert fires(RentAction.CHECK_DATA, replace(CHECK_DATA, **hold)) is fired


@pytest.mark.parametrize(
    "hold",
    [
        pytest.param({"is_paused_until": at("2026-09-18")}, id="failed letter while paused"),
        pytest.param({"eviction_date": dt.date(2026, 10, 1)}, id="failed letter while evicting"),
        pytest.param(
            {"court_case": court(at("2026-10-01 10:00"))}, id="failed letter before a hearing"
        ),
    ],
)
def test_nothing_holds_review_failed_letter(hold: dict[str, Any]) -> None:
    assert classify(replace(FAILED_LETTER, **hold)).action is RentAction.REVIEW_FAILED_LETTER


# R1 apply for outright possession warrant ---------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fired"),
    [
        pytest.param(WARRANT, True, id="warrant after outright possession with date"),
        pytest.param(
            facts(court_case=court(at("2026-09-07 10:00"), "OPF")),
            True,
            id="warrant after outright possession forthwith",
        ),
        pytest.param(
            facts(court_case=court(at("2026-09-07 10:00"), "SOT")),
            False,
            id="no warrant after suspension on terms",
        ),
        pytest.param(
            facts(court_case=court(at("2026-09-17 14:29:59"), "OPD")),
            True,
            id="warrant when the hearing was 1 second ago",
        ),
        pytest.param(
            facts(court_case=court(at("2026-06-17 14:30"), "OPD")),
            True,
            id="warrant on the hearing exactly 3 months ago",
        ),
        pytest.param(
            facts(court_case=court(at("2026-06-17 14:29:59"), "OPD")),
            False,
            id="no warrant when the hearing was 3 months and 1 second ago",
        ),
        pytest.param(
            replace(WARRANT, **contact("WPA", at("2026-09-10"))),
            False,
            id="no warrant when warrant already applied for",
        ),
        pytest.param(
            replace(WARRANT, **contact("IC4", at("2026-09-10"))),
            True,
            id="warrant when last action was something else",
        ),
        pytest.param(
            replace(WARRANT, agreement=agreement(FORMAL, LIVE)),
            False,
            id="no warrant with a live agreement",
        ),
        pytest.param(
            replace(WARRANT, agreement=agreement(FORMAL, BREACHED)),
            False,
            id="no warrant with a breached agreement",
        ),
        pytest.param(
            replace(WARRANT, agreement=agreement(FORMAL, CANCELLED)),
            True,
            id="warrant with a cancelled agreement",
        ),
        pytest.param(
            facts(court_case=court(None, "OPD")), False, id="no warrant without a hearing date"
        ),
    ],
)
def test_apply_for_outright_possession_warrant(case: RentCaseFacts, fired: bool) -> None:
    assert fires(RentAction.APPLY_FOR_OUTRIGHT_POSSESSION_WARRANT, case) is fired


# R2 review failed letter --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "fired"),
    [
        pytest.param(letter(), True, id="letter one rejected by Notify"),
        pytest.param(
            letter(template="court_outcome_letter"), True, id="court outcome letter rejected"
        ),
        pytest.param(
            letter(template="letter_1_in_arrears_FH"),
            False,
            id="rejected leasehold letter is not a rent problem",
        ),
        pytest.param(
            letter(status="failure_reviewed"), False, id="reviewed failure no longer shows"
        ),
        pytest.param(letter(status="accepted"), False, id="accepted letter is fine"),
        pytest.param(None, False, id="no letters"),
    ],
)
def test_review_failed_letter(document: DocumentFacts | None, fired: bool) -> None:
    assert (
        fires(RentAction.REVIEW_FAILED_LETTER, replace(FAILED_LETTER, latest_document=document))
        is fired
    )


# R3 send first SMS --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fired"),
    [
        pytest.param(facts(collectable_arrears=pounds("4.99")), False, id="no SMS at £4.99"),
        pytest.param(facts(collectable_arrears=pounds("5.00")), True, id="SMS at £5.00"),
        pytest.param(facts(collectable_arrears=pounds("9.99")), True, id="SMS at £9.99"),
        pytest.param(facts(collectable_arrears=pounds("10.00")), False, id="no SMS at £10.00"),
        pytest.param(
            facts(collectable_arrears=pounds("9.99"), total_payment_amount_in_week=pounds("-200")),
            True,
            id="SMS looks at raw arrears, not grace",
        ),
        pytest.param(replace(SMS, weekly_gross_rent=None), True, id="SMS needs no weekly rent"),
        pytest.param(replace(SMS, collectable_arrears=None), False, id="no SMS without arrears"),
        pytest.param(
            replace(SMS, court_case=court(at("2025-01-01 10:00"), "STO")),
            False,
            id="no SMS after any hearing",
        ),
        pytest.param(
            replace(SMS, court_case=court(None)), True, id="SMS with an undated court case"
        ),
        pytest.param(
            replace(SMS, nosp_served_date=dt.date(2026, 6, 1)), False, id="no SMS with a NOSP"
        ),
        pytest.param(
            replace(SMS, nosp_served_date=dt.date(2020, 1, 1)),
            False,
            id="no SMS even with an expired NOSP",
        ),
        pytest.param(
            replace(SMS, agreement=agreement(INFORMAL, LIVE)),
            False,
            id="no SMS with a live agreement",
        ),
        pytest.param(
            replace(SMS, agreement=agreement(INFORMAL, BREACHED)),
            False,
            id="no SMS with a breached agreement",
        ),
        pytest.param(
            replace(SMS, agreement=agreement(INFORMAL, COMPLETED)),
            True,
            id="SMS after a completed agreement",
        ),
        pytest.param(
            replace(SMS, **contact("GAT", at("2026-09-10"))),
            True,
            id="SMS when last SMS was 7 days ago as a bare date",
        ),
        pytest.param(
            replace(SMS, **contact("GAT", at("2026-09-10 09:00"))),
            False,
            id="no SMS when last SMS was at 09:00 7 days ago",
        ),
        pytest.param(
            replace(SMS, **contact("AMS", at("2026-09-12"))),
            False,
            id="no SMS when amber SMS sent 5 days ago",
        ),
        pytest.param(
            replace(SMS, **contact("IC1", at("2026-06-17"))),
            True,
            id="SMS when letter one was 3 months ago as a bare date",
        ),
        pytest.param(
            replace(SMS, **contact("IC1", at("2026-06-17 00:00:01"))),
            False,
            id="no SMS when letter one was just inside 3 months",
        ),
        pytest.param(
            replace(SMS, **contact("VIM", at("2026-08-01"))),
            False,
            id="no SMS after a visit 7 weeks ago",
        ),
        pytest.param(
            replace(SMS, **contact("GAT", None)), True, id="SMS when last SMS has no date"
        ),
    ],
)
def test_send_first_sms(case: RentCaseFacts, fired: bool) -> None:
    assert fires(RentAction.SEND_FIRST_SMS, case) is fired


# R4 send letter one -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fired"),
    [
        pytest.param(
            facts(collectable_arrears=pounds("109.99")),
            False,
            id="no letter one at £9.99 after grace",
        ),
        pytest.param(
            facts(collectable_arrears=pounds("110.00")), True, id="letter one at £10.00 after grace"
        ),
        pytest.param(
            facts(collectable_arrears=pounds("20.00"), total_payment_amount_in_week=pounds("-95")),
            True,
            id="payments this week shrink the grace",
        ),
        pytest.param(
            facts(collectable_arrears=pounds("9.99"), total_payment_amount_in_week=pounds("-150")),
            False,
            id="an overpayment does not make the grace negative",
        ),
        pytest.param(
            replace(LETTER_ONE, total_payment_amount_in_week=None),
            True,
            id="no payments this week counts as none",
        ),
        pytest.param(
            replace(LETTER_ONE, weekly_gross_rent=None),
            False,
            id="no letter one without weekly rent",
        ),
        pytest.param(
            replace(LETTER_ONE, collectable_arrears=None),
            False,
            id="no letter one without arrears",
        ),
        pytest.param(
            replace(LETTER_ONE, nosp_served_date=dt.date(2020, 1, 1)),
            False,
            id="no letter one after any NOSP",
        ),
        pytest.param(
            replace(LETTER_ONE, agreement=agreement(INFORMAL, LIVE)),
            False,
            id="no letter one with a live agreement",
        ),
        pytest.param(
            replace(LETTER_ONE, agreement=agreement(INFORMAL, CANCELLED)),
            True,
            id="letter one after a cancelled agreement",
        ),
        pytest.param(
            replace(LETTER_ONE, **contact("IC1", at("2026-07-17"))),
            False,
            id="letter one blocked by IC1 sent 2 months ago",
        ),
        pytest.param(
            replace(LETTER_ONE, **contact("IC1", at("2026-06-17"))),
            True,
            id="letter one again when IC1 was 3 months ago as a bare date",
        ),
        pytest.param(
            replace(LETTER_ONE, **contact("IC1", at("2026-06-17 00:00:01"))),
            False,
            id="letter one blocked by IC1 just inside 3 months",
        ),
        pytest.param(
            replace(LETTER_ONE, **contact("IC4", at("2026-08-01"))),
            False,
            id="letter one blocked by a recent court warning letter",
        ),
        pytest.param(
            replace(LETTER_ONE, **contact("S0A", at("2026-08-01"))),
            False,
            id="letter one blocked by a recent alternative letter",
        ),
        pytest.param(
            replace(LETTER_ONE, **contact("GAT", at("2026-09-16"))),
            True,
            id="letter one not blocked by yesterday's SMS",
        ),
        pytest.param(
            replace(LETTER_ONE, court_case=court(at("2025-01-01 10:00"), "STO")),
            False,
            id="no letter one after a hearing",
        ),
    ],
)
def test_send_letter_one(case: RentCaseFacts, fired: bool) -> None:
    assert fires(RentAction.SEND_LETTER_ONE, case) is fired


# R5 send letter two -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fired"),
    [
        pytest.param(LETTER_TWO, True, id="letter two 14 days after IC1 as a bare date"),
        pytest.param(
            replace(LETTER_TWO, **contact("IC1", at("2026-09-03 09:00"))),
            False,
            id="no letter two when IC1 was at 09:00 14 days ago",
        ),
        pytest.param(
            replace(LETTER_TWO, **contact("IC1", at("2026-09-04"))),
            False,
            id="no letter two 13 days after IC1",
        ),
        pytest.param(
            replace(LETTER_TWO, **contact("S01", at("2026-08-01"))),
            True,
            id="letter two after UH stage letter one",
        ),
        pytest.param(
            replace(LETTER_TWO, **contact("IC1", at("2026-06-17 00:00:01"))),
            True,
            id="letter two when IC1 was just inside 3 months",
        ),
        pytest.param(
            replace(LETTER_TWO, **contact("IC1", at("2026-06-17"))),
            False,
            id="no letter two when IC1 was 3 months ago as a bare date",
        ),
        pytest.param(
            replace(LETTER_TWO, **contact("IC2", at("2026-08-01"))),
            False,
            id="no letter two after letter two",
        ),
        pytest.param(
            replace(LETTER_TWO, **contact("IC1", None)),
            True,
            id="letter two when IC1 has no date",
        ),
        pytest.param(
            replace(LETTER_TWO, collectable_arrears=pounds("109.99")),
            False,
            id="no letter two at £9.99 after grace",
        ),
        pytest.param(
            replace(LETTER_TWO, collectable_arrears=pounds("110.00")),
            True,
            id="letter two at £10.00 after grace",
        ),
        pytest.param(
            replace(LETTER_TWO, weekly_gross_rent=None),
            False,
            id="no letter two without weekly rent",
        ),
        pytest.param(
            replace(LETTER_TWO, nosp_served_date=dt.date(2020, 1, 1)),
            False,
            id="no letter two after any NOSP",
        ),
        pytest.param(
            replace(LETTER_TWO, agreement=agreement(INFORMAL, LIVE)),
            False,
            id="no letter two with a live agreement",
        ),
        pytest.param(
            replace(LETTER_TWO, court_case=court(at("2025-01-01 10:00"), "STO")),
            False,
            id="no letter two after a hearing",
        ),
    ],
)
def test_send_letter_two(case: RentCaseFacts, fired: bool) -> None:
    assert fires(RentAction.SEND_LETTER_TWO, case) is fired


# 31 May 2026 less 3 calendar months is 28 Feb 2026 (no 31 Feb).
END_OF_MAY = dt.datetime(2026, 5, 31, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("sent", "fired"),
    [
        pytest.param(at("2026-02-28"), False, id="no letter two when IC1 was 28 Feb on 31 May"),
        pytest.param(
            at("2026-02-28 00:00:01"), True, id="letter two when IC1 was just after 28 Feb 00:00"
        ),
        pytest.param(at("2026-03-01"), True, id="letter two when IC1 was 1 Mar on 31 May"),
    ],
)
def test_three_months_before_a_month_end_is_clamped(sent: dt.datetime, fired: bool) -> None:
    case = replace(LETTER_TWO, **contact("IC1", sent))
    assert fires(RentAction.SEND_LETTER_TWO, case, now=END_OF_MAY) is fired


# R6 update court outcome --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fired"),
    [
        pytest.param(
            facts(court_case=court(at("2026-09-17 14:29:59"))),
            True,
            id="outcome due 1 second after the hearing",
        ),
        pytest.param(
            facts(court_case=court(NOW)), True, id="outcome due at the hearing's exact time"
        ),
        pytest.param(
            facts(court_case=court(at("2026-09-07 10:00"), "")),
            True,
            id="empty outcome is no outcome",
        ),
        pytest.param(
            facts(court_case=court(at("2026-09-07 10:00"), "  ")),
            True,
            id="blank outcome is no outcome",
        ),
        pytest.param(
            facts(court_case=court(at("2026-09-07 10:00"), "ADT")),
            False,
            id="no update once an outcome is recorded",
        ),
        pytest.param(facts(court_case=court(None)), False, id="no update without a hearing date"),
        pytest.param(
            replace(COURT_OUTCOME, agreement=agreement(INFORMAL, LIVE)),
            True,
            id="outcome due whatever the agreement",
        ),
        pytest.param(
            replace(COURT_BREACH, court_case=court(HEARING)),
            False,
            id="no update while a court agreement is breached",
        ),
    ],
)
def test_update_court_outcome_action(case: RentCaseFacts, fired: bool) -> None:
    assert fires(RentAction.UPDATE_COURT_OUTCOME_ACTION, case) is fired


# R7 court breach visit ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fired"),
    [
        pytest.param(
            replace(COURT_BREACH, **contact("CBL", at("2026-09-10"))),
            True,
            id="visit 7 days after the court breach letter as a bare date",
        ),
        pytest.param(
            replace(COURT_BREACH, **contact("CBL", at("2026-09-10 08:00"))),
            False,
            id="no visit when the breach letter was at 08:00 7 days ago",
        ),
        pytest.param(
            replace(COURT_BREACH, **contact("CBL", at("2026-06-17 00:00:01"))),
            True,
            id="visit when the breach letter was just inside 3 months",
        ),
        pytest.param(
            replace(COURT_BREACH, **contact("CBL", at("2026-06-17"))),
            False,
            id="no visit when the breach letter was 3 months ago",
        ),
        pytest.param(
            replace(COURT_BREACH, **contact("CBL", None)),
            False,
            id="no visit when the breach letter has no date",
        ),
        pytest.param(
            replace(COURT_BREACH, **contact("BLI", at("2026-09-01"))),
            False,
            id="no visit after an informal breach letter",
        ),
        pytest.param(
            replace(COURT_BREACH_VISIT, agreement=agreement(FORMAL, LIVE, at("2026-06-08"))),
            False,
            id="no visit once the agreement is live again",
        ),
        pytest.param(
            replace(COURT_BREACH_VISIT, agreement=agreement(INFORMAL, BREACHED, at("2026-06-08"))),
            False,
            id="no visit for an informal agreement",
        ),
        pytest.param(
            replace(COURT_BREACH_VISIT, agreement=agreement(FORMAL, BREACHED, at("2026-05-31"))),
            False,
            id="no visit when the agreement predates the hearing",
        ),
        pytest.param(
            replace(COURT_BREACH_VISIT, agreement=agreement(FORMAL, BREACHED, at("2026-06-01"))),
            True,
            id="visit when the agreement starts on the hearing day",
        ),
    ],
)
def test_court_breach_visit(case: RentCaseFacts, fired: bool) -> None:
    assert fires(RentAction.COURT_BREACH_VISIT, case) is fired


# R8 send NOSP -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fired"),
    [
        pytest.param(
            replace(SEND_NOSP, collectable_arrears=pounds("499.99")),
            False,
            id="no NOSP at a penny under 4 weeks' rent after grace",
        ),
        pytest.param(
            replace(SEND_NOSP, collectable_arrears=pounds("500.00")),
            True,
            id="NOSP at exactly 4 weeks' rent after grace",
        ),
        pytest.param(
            replace(SEND_NOSP, **contact("IC2", at("2026-09-10"))),
            True,
            id="NOSP 7 days after letter two as a bare date",
        ),
        pytest.param(
            replace(SEND_NOSP, **contact("IC2", at("2026-09-10 09:00"))),
            False,
            id="no NOSP when letter two was at 09:00 7 days ago",
        ),
        pytest.param(
            replace(SEND_NOSP, **contact("IC2", at("2026-06-17 00:00:01"))),
            True,
            id="NOSP when letter two was just inside 3 months",
        ),
        pytest.param(
            replace(SEND_NOSP, **contact("IC2", at("2026-06-17"))),
            False,
            id="no NOSP when letter two was 3 months ago",
        ),
        pytest.param(
            replace(SEND_NOSP, **contact("ZR2", at("2026-09-01"))),
            True,
            id="NOSP after a UH stage two letter",
        ),
        pytest.param(
            replace(SEND_NOSP, **contact("IC1", at("2026-09-01"))),
            False,
            id="no first NOSP straight after letter one",
        ),
        pytest.param(
            replace(SEND_NOSP, **contact(None, None)), False, id="no first NOSP without letter two"
        ),
        pytest.param(
            facts(nosp_served_date=dt.date(2024, 1, 1), **contact("GAT", at("2026-09-16"))),
            True,
            id="new NOSP after an expired one needs no letter",
        ),
        pytest.param(
            facts(nosp_served_date=dt.date(2024, 1, 1)),
            True,
            id="new NOSP after an expired one with no contact",
        ),
        # Served 17 Jun 2025: expired 17 Sep 2025, valid until 16 Sep 2026.
        pytest.param(
            facts(nosp_served_date=dt.date(2025, 6, 17)),
            True,
            id="new NOSP the day after the old one's validity ends",
        ),
        # Served 18 Jun 2025: valid until 17 Sep 2026, i.e. until 00:00 today.
        pytest.param(
            facts(nosp_served_date=dt.date(2025, 6, 18)),
            True,
            id="new NOSP on the day the old one stops being valid",
        ),
        # Served 19 Jun 2025: valid until 18 Sep 2026.
        pytest.param(
            facts(nosp_served_date=dt.date(2025, 6, 19)),
            False,
            id="no NOSP on the old one's last valid day",
        ),
        pytest.param(
            replace(SEND_NOSP, nosp_served_date=dt.date(2026, 8, 1)),
            False,
            id="no NOSP while one is cooling off",
        ),
        pytest.param(
            replace(SEND_NOSP, agreement=agreement(INFORMAL, LIVE)),
            False,
            id="no NOSP with a live agreement",
        ),
        pytest.param(
            replace(SEND_NOSP, weekly_gross_rent=None), False, id="no NOSP without weekly rent"
        ),
        pytest.param(
            replace(SEND_NOSP, court_case=court(at("2025-09-01 10:00"), "SOT")),
            False,
            id="no NOSP under a suspension on terms",
        ),
        pytest.param(
            replace(SEND_NOSP, court_case=court(at("2020-09-17 14:30"), "SOT")),
            True,
            id="NOSP when the suspension on terms was exactly 6 years ago",
        ),
        pytest.param(
            replace(SEND_NOSP, court_case=court(at("2020-09-17 14:30:01"), "SOT")),
            False,
            id="no NOSP when the suspension on terms was 1 second under 6 years ago",
        ),
        pytest.param(
            replace(SEND_NOSP, court_case=court(at("2025-09-01 10:00"), "ADT")),
            True,
            id="NOSP after adjourned on terms",
        ),
        pytest.param(
            replace(SEND_NOSP, court_case=court(at("2025-09-01 10:00"))),
            False,
            id="no NOSP while a court outcome is missing",
        ),
    ],
)
def test_send_nosp(case: RentCaseFacts, fired: bool) -> None:
    assert fires(RentAction.SEND_NOSP, case) is fired


# R9 court breach no payment -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fired"),
    [
        pytest.param(
            replace(NO_PAYMENT, days_since_last_payment=7),
            False,
            id="no escalation 7 days since last payment",
        ),
        pytest.param(
            replace(NO_PAYMENT, days_since_last_payment=8),
            True,
            id="escalate 8 days since last payment",
        ),
        pytest.param(
            replace(NO_PAYMENT, days_since_last_payment=None),
            False,
            id="never paid counts as 0 days",
        ),
        pytest.param(
            replace(NO_PAYMENT, **contact("CBV", at("2026-09-10"))),
            True,
            id="escalate 1 week after the visit as a bare date",
        ),
        pytest.param(
            replace(NO_PAYMENT, **contact("CBV", at("2026-09-10 08:00"))),
            False,
            id="no escalation when the visit was at 08:00 7 days ago",
        ),
        pytest.param(
            replace(NO_PAYMENT, **contact("CBL", at("2026-09-01"))),
            False,
            id="no escalation before the visit",
        ),
        pytest.param(
            replace(NO_PAYMENT, agreement=agreement(FORMAL, LIVE, at("2026-06-08"))),
            False,
            id="no escalation once the agreement is live again",
        ),
    ],
)
def test_court_breach_no_payment(case: RentCaseFacts, fired: bool) -> None:
    assert fires(RentAction.COURT_BREACH_NO_PAYMENT, case) is fired


# R10 send informal agreement breach letter --------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fired"),
    [
        pytest.param(
            replace(INFORMAL_BREACH, **contact("IC1", at("2026-09-10"))),
            True,
            id="breach letter 7 days after other contact as a bare date",
        ),
        pytest.param(
            replace(INFORMAL_BREACH, **contact("IC1", at("2026-09-10 08:00"))),
            False,
            id="no breach letter when contact was at 08:00 7 days ago",
        ),
        pytest.param(
            replace(INFORMAL_BREACH, **contact("BLI", at("2026-08-01"))),
            False,
            id="no second breach letter",
        ),
        pytest.param(
            replace(INFORMAL_BREACH, **contact("CBV", at("2026-08-01"))),
            False,
            id="no breach letter after a court breach visit",
        ),
        pytest.param(
            replace(INFORMAL_BREACH, nosp_served_date=dt.date(2026, 3, 2)),
            False,
            id="no breach letter while a NOSP is valid",
        ),
        pytest.param(
            replace(INFORMAL_BREACH, nosp_served_date=dt.date(2024, 1, 1)),
            True,
            id="breach letter despite an expired NOSP",
        ),
        pytest.param(
            replace(INFORMAL_BREACH, agreement=agreement(INFORMAL, LIVE)),
            False,
            id="no breach letter for a live agreement",
        ),
        pytest.param(
            replace(INFORMAL_BREACH, agreement=agreement(INFORMAL, BREACHED, None)),
            False,
            id="no breach letter for an agreement with no start date",
        ),
        pytest.param(
            replace(INFORMAL_BREACH, agreement=agreement(FORMAL, BREACHED)),
            False,
            id="no informal breach letter for a formal agreement",
        ),
    ],
)
def test_send_informal_agreement_breach_letter(case: RentCaseFacts, fired: bool) -> None:
    assert fires(RentAction.SEND_INFORMAL_AGREEMENT_BREACH_LETTER, case) is fired


# R11 informal breached after letter ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fired"),
    [
        pytest.param(
            replace(INFORMAL_AFTER_LETTER, **contact("BLI", at("2026-09-10"))),
            True,
            id="still breached 7 days after the breach letter as a bare date",
        ),
        pytest.param(
            replace(INFORMAL_AFTER_LETTER, **contact("BLI", at("2026-09-10 08:00"))),
            False,
            id="waiting when the breach letter was at 08:00 7 days ago",
        ),
        pytest.param(
            replace(INFORMAL_AFTER_LETTER, **contact("BLI", None)),
            True,
            id="still breached after an undated breach letter",
        ),
        pytest.param(
            replace(INFORMAL_AFTER_LETTER, nosp_served_date=dt.date(2024, 1, 1)),
            False,
            id="not after any NOSP, even an expired one",
        ),
        pytest.param(
            replace(INFORMAL_AFTER_LETTER, agreement=agreement(INFORMAL, LIVE)),
            False,
            id="not once the agreement is live again",
        ),
    ],
)
def test_informal_breached_after_letter(case: RentCaseFacts, fired: bool) -> None:
    assert fires(RentAction.INFORMAL_BREACHED_AFTER_LETTER, case) is fired


# R12 address court agreement breach ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fired"),
    [
        pytest.param(
            replace(COURT_BREACH, **contact("IC1", at("2026-09-16"))),
            True,
            id="court breach letter whatever the other contact",
        ),
        pytest.param(
            replace(COURT_BREACH, **contact("CBL", at("2026-09-16"))),
            False,
            id="no second court breach letter",
        ),
        pytest.param(
            replace(COURT_BREACH, **contact("CBV", at("2026-09-16"))),
            False,
            id="no court breach letter after the visit",
        ),
        pytest.param(
            replace(COURT_BREACH, agreement=agreement(FORMAL, BREACHED, at("2026-05-31 23:00"))),
            False,
            id="not when the agreement starts the day before the hearing",
        ),
        pytest.param(
            replace(COURT_BREACH, agreement=agreement(FORMAL, BREACHED, at("2026-06-01"))),
            True,
            id="when the agreement starts at 00:00 on the day of a 10:00 hearing",
        ),
        pytest.param(
            replace(COURT_BREACH, agreement=agreement(FORMAL, BREACHED, None)),
            False,
            id="not when the agreement has no start date",
        ),
        pytest.param(
            replace(COURT_BREACH, court_case=court(None, terms=True)),
            False,
            id="not when the court case has no date",
        ),
        pytest.param(
            replace(COURT_BREACH, court_case=None),
            False,
            id="not a court breach without a court case",
        ),
    ],
)
def test_address_court_agreement_breach(case: RentCaseFacts, fired: bool) -> None:
    assert fires(RentAction.ADDRESS_COURT_AGREEMENT_BREACH, case) is fired


# R13 send court warning letter --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fired"),
    [
        # Served 17 Jun 2026: cooling off until 00:00 today.
        pytest.param(
            facts(nosp_served_date=dt.date(2026, 6, 17)),
            True,
            id="warning letter on the NOSP's expiry day",
        ),
        pytest.param(
            facts(nosp_served_date=dt.date(2026, 6, 18)),
            False,
            id="no warning letter the day before the NOSP expires",
        ),
        pytest.param(
            facts(nosp_served_date=dt.date(2025, 6, 18)),
            False,
            id="no warning letter once the NOSP is 52 weeks past expiry",
        ),
        pytest.param(
            facts(nosp_served_date=dt.date(2025, 6, 19)),
            True,
            id="warning letter on the NOSP's last valid day",
        ),
        pytest.param(
            replace(COURT_WARNING, nosp_served_date=None),
            False,
            id="no warning letter without a NOSP",
        ),
        pytest.param(
            replace(COURT_WARNING, collectable_arrears=pounds("499.99")),
            False,
            id="no warning letter at a penny under 4 weeks' rent after grace",
        ),
        pytest.param(
            replace(COURT_WARNING, collectable_arrears=pounds("500.00")),
            True,
            id="warning letter at exactly 4 weeks' rent after grace",
        ),
        pytest.param(
            replace(
                COURT_WARNING,
                collectable_arrears=pounds("540.00"),
                total_payment_amount_in_week=pounds("-60"),
            ),
            True,
            id="payments this week count against the grace",
        ),
        pytest.param(
            replace(COURT_WARNING, **contact("IC4", at("2026-05-01"))),
            False,
            id="no second warning letter",
        ),
        pytest.param(
            replace(COURT_WARNING, court_case=court(at("2026-09-17 14:29:59"), "ADT")),
            False,
            id="no warning letter after a hearing 1 second ago",
        ),
        pytest.param(
            replace(COURT_WARNING, court_case=court(NOW, "ADT")),
            True,
            id="warning letter with a hearing at this very instant",
        ),
        pytest.param(
            replace(COURT_WARNING, agreement=agreement(INFORMAL, LIVE)),
            False,
            id="no warning letter with a live agreement",
        ),
        pytest.param(
            replace(COURT_WARNING, weekly_gross_rent=None),
            False,
            id="no warning letter without weekly rent",
        ),
    ],
)
def test_send_court_warning_letter(case: RentCaseFacts, fired: bool) -> None:
    assert fires(RentAction.SEND_COURT_WARNING_LETTER, case) is fired


# R14 apply for court date -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fired"),
    [
        pytest.param(
            replace(COURT_DATE, **contact("IC4", at("2026-09-03"))),
            True,
            id="court date 14 days after the warning letter as a bare date",
        ),
        pytest.param(
            replace(COURT_DATE, **contact("IC4", at("2026-09-03 09:00"))),
            False,
            id="no court date when the warning letter was at 09:00 14 days ago",
        ),
        pytest.param(
            replace(COURT_DATE, **contact("IC1", at("2026-09-01"))),
            False,
            id="no court date without a warning letter",
        ),
        pytest.param(
            replace(COURT_DATE, nosp_served_date=None), False, id="no court date without a NOSP"
        ),
        pytest.param(
            replace(COURT_DATE, nosp_served_date=dt.date(2026, 6, 18)),
            False,
            id="no court date while the NOSP cools off",
        ),
        pytest.param(
            replace(COURT_DATE, nosp_served_date=dt.date(2025, 6, 18)),
            False,
            id="no court date once the NOSP is no longer valid",
        ),
        pytest.param(
            replace(COURT_DATE, court_case=court(at("2026-08-31 10:00"), "ADT")),
            True,
            id="court date when the last hearing came before the warning letter",
        ),
        pytest.param(
            replace(COURT_DATE, court_case=court(at("2026-09-01 10:00"), "ADT")),
            False,
            id="no court date when a hearing came after the warning letter",
        ),
        pytest.param(
            replace(COURT_DATE, **contact("IC4", None)),
            True,
            id="court date after an undated warning letter",
        ),
        pytest.param(
            replace(
                COURT_DATE, court_case=court(at("2026-08-31 10:00"), "ADT"), **contact("IC4", None)
            ),
            False,
            id="no court date when a hearing and an undated warning letter cannot be ordered",
        ),
        pytest.param(
            replace(COURT_DATE, collectable_arrears=pounds("499.99")),
            False,
            id="no court date at a penny under 4 weeks' rent after grace",
        ),
        pytest.param(
            replace(COURT_DATE, agreement=agreement(INFORMAL, LIVE)),
            False,
            id="no court date with a live agreement",
        ),
    ],
)
def test_apply_for_court_date(case: RentCaseFacts, fired: bool) -> None:
    assert fires(RentAction.APPLY_FOR_COURT_DATE, case) is fired


# R15 check data -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("court_case", "the_agreement", "fired"),
    [
        # (a) been to court on terms but no agreement recorded
        pytest.param(
            court(at("2025-09-01 10:00"), "SOT", terms=False),
            None,
            True,
            id="suspension on terms with no agreement",
        ),
        pytest.param(
            court(at("2025-09-01 10:00"), "AGP", terms=False),
            agreement(FORMAL, LIVE, at("2025-09-01")),
            False,
            id="adjourned generally with a live agreement",
        ),
        pytest.param(
            court(at("2025-09-01 10:00"), "SOT", terms=False),
            agreement(FORMAL, COMPLETED, at("2025-09-01")),
            True,
            id="suspension on terms with only a completed agreement",
        ),
        pytest.param(
            court(at("2020-09-17 14:30:01"), "SOT", terms=False),
            None,
            True,
            id="suspension on terms 1 second under 6 years ago",
        ),
        pytest.param(
            court(at("2020-09-17 14:30"), "SOT", terms=False),
            None,
            False,
            id="suspension on terms exactly 6 years ago has lapsed",
        ),
        pytest.param(
            court(at("2025-09-01 10:00"), "ADT", terms=False),
            None,
            False,
            id="adjourned on terms is not in the warrant list",
        ),
        # (b) an outcome without a date
        pytest.param(court(None, "STO"), None, True, id="outcome without a hearing date"),
        pytest.param(court(None), None, False, id="undated court case with no outcome"),
        # (c) the court set terms but no court agreement is recorded
        pytest.param(
            court(at("2025-09-01 10:00"), "ADT", terms=True),
            None,
            True,
            id="terms with no agreement",
        ),
        pytest.param(
            court(at("2025-09-01 10:00"), "ADT", terms=True),
            agreement(INFORMAL, LIVE, at("2025-09-02")),
            True,
            id="terms with only an informal agreement",
        ),
        pytest.param(
            court(at("2025-09-01 10:00"), "ADT", terms=True),
            agreement(FORMAL, LIVE, at("2025-08-31")),
            True,
            id="terms with a formal agreement from before the hearing",
        ),
        pytest.param(
            court(at("2025-09-01 10:00"), "ADT", terms=True),
            agreement(FORMAL, LIVE, at("2025-09-01")),
            False,
            id="terms with a formal agreement from the hearing day",
        ),
        pytest.param(
            court(at("2025-09-01 10:00"), "ADT", terms=True),
            agreement(FORMAL, CANCELLED, at("2025-09-02")),
            False,
            id="terms with a cancelled formal agreement still counts as recorded",
        ),
        pytest.param(
            court(at("2025-09-01 10:00"), "ADT", terms=True, strike_out=dt.date(2026, 9, 17)),
            None,
            False,
            id="terms struck out today",
        ),
        pytest.param(
            court(at("2025-09-01 10:00"), "ADT", terms=True, strike_out=dt.date(2026, 9, 18)),
            None,
            True,
            id="terms to be struck out tomorrow",
        ),
        pytest.param(
            court(at("2020-09-17 10:00"), "SOT", terms=True),
            None,
            False,
            id="suspension on terms at the end of its 6 years",
        ),
        pytest.param(
            court(at("2020-09-18 10:00"), "SOT", terms=True),
            None,
            True,
            id="suspension on terms a day before the end of its 6 years",
        ),
        pytest.param(
            court(None, terms=True),
            agreement(FORMAL, LIVE),
            False,
            id="undated terms with a formal agreement do not crash",
        ),
        pytest.param(court(None, terms=True), None, True, id="undated terms with no agreement"),
        pytest.param(
            court(at("2025-09-01 10:00"), "ADT", terms=True),
            agreement(FORMAL, LIVE, None),
            False,
            id="terms with an undated formal agreement",
        ),
        pytest.param(None, None, False, id="no court case"),
    ],
)
def test_check_data(
    court_case: CourtCaseFacts | None, the_agreement: AgreementFacts | None, fired: bool
) -> None:
    case = facts(court_case=court_case, agreement=the_agreement)
    assert fires(RentAction.CHECK_DATA, case) is fired


def test_check_data_is_not_held_by_a_hearing_to_come() -> None:
    case = facts(court_case=court(at("2026-10-01 10:00"), "SOT", terms=True))
    assert classify(case).action is RentAction.CHECK_DATA


# Precedence ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        pytest.param(
            replace(WARRANT, latest_document=letter()),
            (RentAction.APPLY_FOR_OUTRIGHT_POSSESSION_WARRANT, RentAction.REVIEW_FAILED_LETTER),
            id="warrant before failed letter",
        ),
        pytest.param(
            replace(LETTER_ONE, latest_document=letter()),
            (RentAction.REVIEW_FAILED_LETTER, RentAction.SEND_LETTER_ONE),
            id="failed letter before letter one",
        ),
        pytest.param(
            facts(court_case=court(at("2025-09-01 10:00"), terms=True)),
            (RentAction.UPDATE_COURT_OUTCOME_ACTION, RentAction.CHECK_DATA),
            id="update court outcome before check data",
        ),
        pytest.param(
            facts(court_case=court(at("2026-09-07 10:00"), "OPD", terms=True)),
            (RentAction.APPLY_FOR_OUTRIGHT_POSSESSION_WARRANT, RentAction.CHECK_DATA),
            id="warrant before check data",
        ),
        pytest.param(
            replace(LETTER_TWO, **contact("IC1", None)),
            (RentAction.SEND_LETTER_ONE, RentAction.SEND_LETTER_TWO),
            id="an undated letter one blocks neither letter one nor letter two",
        ),
        pytest.param(
            replace(
                COURT_WARNING,
                court_case=court(at("2026-09-17 14:30"), terms=True),
            ),
            (
                RentAction.UPDATE_COURT_OUTCOME_ACTION,
                RentAction.SEND_COURT_WARNING_LETTER,
                RentAction.CHECK_DATA,
            ),
            id="at the hearing's exact instant it is neither past nor future",
        ),
    ],
)
def test_first_rule_in_precedence_order_wins(
    case: RentCaseFacts, expected: tuple[RentAction, ...]
) -> None:
    result = classify(case)
    assert result.fired == expected
    assert result.action is expected[0]


GENEROUS_SMS = RentPolicy(sms_arrears_ceiling=pounds("1000"))


def test_letter_one_wins_when_exactly_sms_and_letter_one_fire() -> None:
    result = classify(LETTER_ONE, policy=GENEROUS_SMS)
    assert result.fired == (RentAction.SEND_FIRST_SMS, RentAction.SEND_LETTER_ONE)
    assert result.action is RentAction.SEND_LETTER_ONE
    assert result.rule == "R4 send_letter_one"
    assert result.reason.startswith("Arrears after one week's grace £212.50 ≥ £10")


def test_sms_and_letter_one_with_another_rule_keep_precedence() -> None:
    result = classify(replace(LETTER_ONE, latest_document=letter()), policy=GENEROUS_SMS)
    assert result.fired[0] is RentAction.REVIEW_FAILED_LETTER
    assert result.action is RentAction.REVIEW_FAILED_LETTER


def test_sms_and_letter_one_never_fire_together_with_the_default_policy() -> None:
    for pence in range(0, 3000, 7):
        for paid in ("0", "-50", "-100", "-150"):
            case = facts(
                collectable_arrears=Decimal(pence) / 100,
                weekly_gross_rent=pounds("5.00"),
                total_payment_amount_in_week=pounds(paid),
            )
            fired = classify(case).fired
            assert not {RentAction.SEND_FIRST_SMS, RentAction.SEND_LETTER_ONE} <= set(fired)


# Time ---------------------------------------------------------------------------------------------


def test_now_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        classify(LETTER_ONE, now=dt.datetime(2026, 9, 17, 14, 30))


def test_now_in_another_zone_is_the_same_instant() -> None:
    # 00:30 on 18 Sep in UTC+10 is 14:30 on 17 Sep UTC: still 14 days after 3 Sep.
    sydney = NOW.astimezone(dt.timezone(dt.timedelta(hours=10)))
    assert classify(LETTER_TWO, now=sydney) == classify(LETTER_TWO)


def test_the_policy_changes_the_periods() -> None:
    # A 28-day-style short notice: with one month of cooling off the NOSP is active already.
    case = facts(nosp_served_date=dt.date(2026, 8, 1))
    assert classify(case).action is RentAction.NO_ACTION
    short = RentPolicy(nosp_cooling_off_months=1)
    assert classify(case, policy=short).action is RentAction.SEND_COURT_WARNING_LETTER


# Reasons ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        pytest.param(
            WARRANT,
            "Court outcome OPD (Outright possession with date) at the hearing on 7 Sep 2026,"
            " within the last 3 months; no active agreement and no warrant application (WPA)"
            " recorded",
            id="warrant",
        ),
        pytest.param(
            FAILED_LETTER,
            "The latest letter, Income collection letter 1 (updated 15 Sep 2026), failed"
            " GOV.UK Notify validation",
            id="failed letter",
        ),
        pytest.param(
            SMS,
            "Collectable arrears £7.40 are at least £5 and under £10; no contact recorded",
            id="SMS with no contact",
        ),
        pytest.param(
            replace(SMS, **contact("GAT", at("2026-08-12"))),
            "Collectable arrears £7.40 are at least £5 and under £10; last SMS (GAT) sent"
            " 12 Aug 2026, at least 7 days ago",
            id="SMS after an old SMS",
        ),
        pytest.param(
            replace(SMS, **contact("IC1", at("2026-05-02"))),
            "Collectable arrears £7.40 are at least £5 and under £10; no contact since IC1 on"
            " 2 May 2026, at least 3 months ago",
            id="SMS after an old letter",
        ),
        pytest.param(
            facts(collectable_arrears=pounds("1334.50")),
            "Arrears after one week's grace £1,234.50 ≥ £10; no contact recorded",
            id="letter one with thousands",
        ),
        pytest.param(
            replace(LETTER_ONE, **contact("IC2", at("2026-03-04"))),
            "Arrears after one week's grace £212.50 ≥ £10; last letter (IC2) sent 4 Mar 2026,"
            " at least 3 months ago",
            id="letter one after an old letter",
        ),
        pytest.param(
            replace(LETTER_ONE, **contact("GAT", at("2026-09-16 08:00"))),
            "Arrears after one week's grace £212.50 ≥ £10; last contact GAT on 16 Sep 2026,"
            " not an arrears letter",
            id="letter one after an SMS",
        ),
        pytest.param(
            LETTER_TWO,
            "Letter 1 (IC1) sent 3 Sep 2026, at least 14 days ago; arrears after one week's"
            " grace £212.50 ≥ £10",
            id="letter two",
        ),
        pytest.param(
            COURT_OUTCOME,
            "Court hearing on 7 Sep 2026 has passed and no court outcome is recorded",
            id="court outcome",
        ),
        pytest.param(
            COURT_BREACH_VISIT,
            "Court breach letter (CBL) sent 1 Sep 2026, at least 7 days ago; the court"
            " agreement started 8 Jun 2026 (hearing 1 Jun 2026) is still breached",
            id="court breach visit",
        ),
        pytest.param(
            SEND_NOSP,
            "Letter 2 (IC2) sent 1 Sep 2026, at least 7 days ago; no NOSP served; arrears after"
            " one week's grace £500.00 ≥ 4 weeks' rent (£400.00)",
            id="first NOSP",
        ),
        pytest.param(
            facts(nosp_served_date=dt.date(2024, 1, 31)),
            "NOSP served 31 Jan 2024 is no longer valid (valid until 29 Apr 2025); arrears"
            " after one week's grace £500.00 ≥ 4 weeks' rent (£400.00)",
            id="new NOSP",
        ),
        pytest.param(
            replace(NO_PAYMENT, days_since_last_payment=12),
            "Court breach visit (CBV) on 1 Sep 2026, at least 7 days ago; last payment 12 days"
            " ago; the court agreement started 8 Jun 2026 is still breached",
            id="court breach no payment",
        ),
        pytest.param(
            INFORMAL_BREACH,
            "Informal agreement started 1 Jul 2026 is breached; no contact recorded",
            id="informal breach letter",
        ),
        pytest.param(
            replace(INFORMAL_BREACH, **contact("IC1", at("2026-08-20"))),
            "Informal agreement started 1 Jul 2026 is breached; last contact IC1 on"
            " 20 Aug 2026 (at least 7 days ago) is not a breach letter",
            id="informal breach letter after other contact",
        ),
        pytest.param(
            INFORMAL_AFTER_LETTER,
            "Informal breach letter (BLI) sent 1 Sep 2026, at least 7 days ago; the informal"
            " agreement started 1 Jul 2026 is still breached",
            id="informal breached after letter",
        ),
        pytest.param(
            replace(INFORMAL_AFTER_LETTER, **contact("BLI", None)),
            "Informal breach letter (BLI) sent on an unrecorded date; the informal agreement"
            " started 1 Jul 2026 is still breached",
            id="informal breached after an undated letter",
        ),
        pytest.param(
            COURT_BREACH,
            "Court agreement started 8 Jun 2026 (hearing 1 Jun 2026) is breached; no contact"
            " recorded",
            id="court agreement breach",
        ),
        pytest.param(
            replace(COURT_BREACH, **contact("IC1", at("2026-09-16"))),
            "Court agreement started 8 Jun 2026 (hearing 1 Jun 2026) is breached; last contact"
            " IC1 on 16 Sep 2026, not a court breach letter (CBL) or visit (CBV)",
            id="court agreement breach after other contact",
        ),
        pytest.param(
            COURT_WARNING,
            "NOSP served 2 Mar 2026 is active (cooling-off ended 2 Jun 2026); arrears after one"
            " week's grace £500.00 ≥ 4 weeks' rent (£400.00); no contact recorded",
            id="court warning letter",
        ),
        pytest.param(
            COURT_DATE,
            "Court warning letter (IC4) sent 1 Sep 2026, at least 14 days ago; NOSP served"
            " 2 Mar 2026 is active; arrears after one week's grace £500.00 ≥ 4 weeks' rent"
            " (£400.00)",
            id="court date",
        ),
        pytest.param(
            CHECK_DATA,
            "Court outcome SOT (Suspension on terms) at the hearing on 7 Sep 2026, but no active"
            " agreement is recorded; the court set terms but no court agreement is recorded"
            " (there is no agreement)",
            id="check data on terms without agreement",
        ),
        pytest.param(
            facts(collectable_arrears=pounds("3.00"), court_case=court(None, "STO")),
            "Court outcome STO (Struck out) is recorded without a court date",
            id="check data outcome without date",
        ),
        pytest.param(
            facts(
                court_case=court(at("2025-09-01 10:00"), "ADT", terms=True),
                agreement=agreement(FORMAL, LIVE, at("2025-08-31")),
            ),
            "The court set terms but no court agreement is recorded (the latest agreement"
            " started 31 Aug 2025, before the hearing on 1 Sep 2025)",
            id="check data agreement before hearing",
        ),
    ],
)
def test_reasons_state_the_rule_and_its_facts(case: RentCaseFacts, reason: str) -> None:
    assert classify(case).reason == reason


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        pytest.param(
            replace(LETTER_ONE, is_paused_until=at("2026-09-24 09:00")),
            "Paused until 24 Sep 2026",
            id="paused",
        ),
        pytest.param(
            replace(LETTER_ONE, eviction_date=dt.date(2026, 10, 1)),
            "Eviction date set: 1 Oct 2026",
            id="eviction",
        ),
        pytest.param(
            facts(court_case=court(at("2026-10-05 10:00"))),
            "Court hearing on 5 Oct 2026",
            id="hearing to come",
        ),
        pytest.param(
            facts(collectable_arrears=None), "Collectable arrears are not known", id="no arrears"
        ),
        pytest.param(
            facts(agreement=agreement(INFORMAL, LIVE, at("2026-07-01"))),
            "Informal agreement started 1 Jul 2026 is being kept",
            id="live agreement",
        ),
        pytest.param(
            replace(INFORMAL_AFTER_LETTER, **contact("BLI", at("2026-09-14"))),
            "Informal agreement started 1 Jul 2026 is breached; last contact BLI on 14 Sep 2026",
            id="breach letter sent recently",
        ),
        pytest.param(
            replace(COURT_BREACH, court_case=None),
            "Formal agreement started 8 Jun 2026 is breached, but it does not start on or after"
            " a recorded court hearing",
            id="formal breach without a court case",
        ),
        pytest.param(
            replace(WARRANT, **contact("WPA", at("2026-09-10"))),
            "Warrant of possession applied for (WPA) on 10 Sep 2026",
            id="warrant applied",
        ),
        pytest.param(
            facts(court_case=court(at("2026-05-01 10:00"), "OPD")),
            "Court outcome OPD (Outright possession with date) at the hearing on 1 May 2026,"
            " over 3 months ago",
            id="old possession order",
        ),
        pytest.param(
            facts(collectable_arrears=pounds("4.99")),
            "Collectable arrears £4.99 are below £5",
            id="arrears under £5",
        ),
        pytest.param(
            replace(SMS, **contact("GAT", at("2026-09-12"))),
            "SMS (GAT) sent 12 Sep 2026, within the last 7 days",
            id="SMS sent recently",
        ),
        pytest.param(
            replace(SMS, **contact("IC1", at("2026-08-12"))),
            "Collectable arrears £7.40 are under £10; contact IC1 on 12 Aug 2026, within the"
            " last 3 months",
            id="small arrears with recent contact",
        ),
        pytest.param(
            facts(weekly_gross_rent=None), "Weekly gross rent is not known", id="no weekly rent"
        ),
        pytest.param(
            facts(collectable_arrears=pounds("97.00")),
            "Arrears after one week's grace -£3.00 are below £10",
            id="arrears within the week's grace",
        ),
        pytest.param(
            replace(LETTER_TWO, **contact("IC1", at("2026-09-10"))),
            "Letter 1 (IC1) sent 10 Sep 2026, within the last 14 days",
            id="letter one sent recently",
        ),
        pytest.param(
            replace(SEND_NOSP, **contact("IC2", at("2026-09-14"))),
            "Letter 2 (IC2) sent 14 Sep 2026, within the last 7 days",
            id="letter two sent recently",
        ),
        pytest.param(
            replace(SEND_NOSP, collectable_arrears=pounds("450.00")),
            "Arrears after one week's grace £350.00 are below 4 weeks' rent (£400.00); last"
            " letter (IC2) sent 1 Sep 2026",
            id="letter two sent, not enough for a NOSP",
        ),
        pytest.param(
            facts(nosp_served_date=dt.date(2026, 8, 1)),
            "NOSP served 1 Aug 2026 is in its cooling-off period until 1 Nov 2026",
            id="NOSP cooling off",
        ),
        pytest.param(
            replace(COURT_WARNING, collectable_arrears=pounds("450.00")),
            "Arrears after one week's grace £350.00 are below 4 weeks' rent (£400.00)",
            id="NOSP active, not enough for court",
        ),
        pytest.param(
            replace(COURT_DATE, **contact("IC4", at("2026-09-10"))),
            "Court warning letter (IC4) sent 10 Sep 2026, within the last 14 days",
            id="court warning letter sent recently",
        ),
        pytest.param(
            replace(COURT_WARNING, court_case=court(at("2026-09-01 10:00"), "STO")),
            "Court hearing held on 1 Sep 2026; outcome STO (Struck out)",
            id="hearing held after the NOSP",
        ),
    ],
)
def test_no_action_says_why_nothing_is_due(case: RentCaseFacts, reason: str) -> None:
    result = classify(case)
    assert result.action is RentAction.NO_ACTION
    assert result.rule == "none"
    assert result.reason == reason
