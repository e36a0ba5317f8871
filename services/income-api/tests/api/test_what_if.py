"""`POST /api/v1/classifications/what-if` (rent) and `.../leasehold/what-if`: classify one
case's facts without storing anything. One case per recommended action, each with the facts
its reason must state; the date vs date-time boundary of income-rules §1.3; the requests
refused; who may ask; and that nothing is written.

Unless a test says otherwise it is Thursday 17 Sep 2026, 14:30 UTC: 7 days ago is 10 Sep, 14
days ago 3 Sep, 3 months ago 17 Jun."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from income_api.domain.terms import LeaseholdAction, RentAction

RENT = "/api/v1/classifications/what-if"
LEASEHOLD = "/api/v1/classifications/leasehold/what-if"
AS_OF = "2026-09-17T14:30:00Z"

Headers = dict[str, str]
Body = dict[str, Any]
Ask = Callable[..., httpx2.Response]
AssertError = Callable[..., dict[str, Any]]


@pytest.fixture
def ask(client: TestClient, rent_caseworker: Headers) -> Ask:
    """POST a what-if (as a rent caseworker unless `headers` says otherwise)."""

    def post(path: str, body: Body, *, headers: Headers | None = None) -> httpx2.Response:
        return client.post(path, json=body, headers=rent_caseworker if headers is None else headers)

    return post


def rent(**facts: Any) -> Body:
    """£600.00 collectable arrears and £100.00 weekly rent (£500.00 after one week's grace, more
    than 4 weeks' rent), nothing else on file; money as decimal strings."""
    return {
        "as_of": AS_OF,
        "collectable_arrears": "600.00",
        "weekly_gross_rent": "100.00",
        **facts,
    }


def court(date: str | None, outcome: str | None = None, **more: Any) -> dict[str, Any]:
    return {"court_date": date, "court_outcome": outcome, **more}


def agreement(kind: str, state: str, start: str | None) -> dict[str, Any]:
    return {"agreement_type": kind, "current_state": state, "start_date": start}


def contact(action: str, date: str | None) -> dict[str, Any]:
    return {"last_communication_action": action, "last_communication_date": date}


# A court-ordered agreement (SOT on 1 Jun 2026, formal agreement from 8 Jun) now breached.
COURT_BREACH = {
    "court_case": court("2026-06-01T10:00:00Z", "SOT", terms=True, disrepair_counter_claim=False),
    "agreement": agreement("formal", "breached", "2026-06-08"),
}
INFORMAL_BREACH = {"agreement": agreement("informal", "breached", "2026-07-01")}
# Served 2 Mar 2026: cooling off until 2 Jun 2026, valid until 1 Jun 2027.
ACTIVE_NOSP = {"nosp_served_date": "2026-03-02"}

# Every rent action, with a case that gets it and the facts its reason must state.
RENT_CASES: dict[RentAction, tuple[Body, list[str]]] = {
    RentAction.NO_ACTION: (
        rent(collectable_arrears="2.00"),
        ["£2.00", "below £5"],
    ),
    RentAction.APPLY_FOR_OUTRIGHT_POSSESSION_WARRANT: (
        rent(court_case=court("2026-09-07T10:00:00Z", "OPD")),
        ["OPD (Outright possession with date)", "7 Sep 2026", "WPA"],
    ),
    RentAction.REVIEW_FAILED_LETTER: (
        rent(
            collectable_arrears="3.00",
            latest_document={
                "status": "validation-failed",
                "template_id": "income_collection_letter_1",
                "updated_at": "2026-09-15T11:00:00Z",
            },
        ),
        ["Income collection letter 1", "15 Sep 2026", "failed GOV.UK Notify validation"],
    ),
    RentAction.SEND_FIRST_SMS: (
        rent(collectable_arrears="7.40", **contact("GAT", "2026-08-12")),
        ["£7.40", "GAT", "12 Aug 2026"],
    ),
    RentAction.SEND_LETTER_ONE: (
        rent(collectable_arrears="312.50", **contact("GMS", "2026-09-16T08:00:00Z")),
        ["£212.50", "≥ £10", "GMS", "16 Sep 2026"],
    ),
    RentAction.SEND_LETTER_TWO: (
        rent(collectable_arrears="312.50", **contact("IC1", "2026-09-03")),
        ["Letter 1 (IC1)", "3 Sep 2026", "£212.50"],
    ),
    RentAction.UPDATE_COURT_OUTCOME_ACTION: (
        rent(court_case=court("2026-09-07T10:00:00Z")),
        ["7 Sep 2026", "no court outcome"],
    ),
    RentAction.COURT_BREACH_VISIT: (
        rent(**COURT_BREACH, **contact("CBL", "2026-09-01")),
        ["(CBL)", "1 Sep 2026", "8 Jun 2026", "1 Jun 2026"],
    ),
    RentAction.SEND_NOSP: (
        rent(**contact("IC2", "2026-09-01")),
        ["Letter 2 (IC2)", "1 Sep 2026", "£500.00", "£400.00"],
    ),
    RentAction.COURT_BREACH_NO_PAYMENT: (
        rent(**COURT_BREACH, days_since_last_payment=12, **contact("CBV", "2026-09-01")),
        ["(CBV)", "1 Sep 2026", "12 days", "8 Jun 2026"],
    ),
    RentAction.SEND_INFORMAL_AGREEMENT_BREACH_LETTER: (
        rent(**INFORMAL_BREACH, **contact("IC1", "2026-08-20")),
        ["Informal agreement", "1 Jul 2026", "IC1", "20 Aug 2026"],
    ),
    RentAction.INFORMAL_BREACHED_AFTER_LETTER: (
        rent(**INFORMAL_BREACH, **contact("BLI", "2026-09-01")),
        ["(BLI)", "1 Sep 2026", "1 Jul 2026"],
    ),
    RentAction.ADDRESS_COURT_AGREEMENT_BREACH: (
        rent(**COURT_BREACH),
        ["Court agreement", "8 Jun 2026", "1 Jun 2026"],
    ),
    RentAction.SEND_COURT_WARNING_LETTER: (
        rent(**ACTIVE_NOSP),
        ["NOSP served 2 Mar 2026", "2 Jun 2026", "£500.00", "£400.00"],
    ),
    RentAction.APPLY_FOR_COURT_DATE: (
        rent(**ACTIVE_NOSP, **contact("IC4", "2026-09-01")),
        ["(IC4)", "1 Sep 2026", "2 Mar 2026", "£400.00"],
    ),
    RentAction.CHECK_DATA: (
        rent(court_case=court("2026-09-07T10:00:00Z", "SOT", terms=True)),
        ["SOT (Suspension on terms)", "7 Sep 2026", "no active agreement"],
    ),
}

RULE_NUMBERS = {
    RentAction.APPLY_FOR_OUTRIGHT_POSSESSION_WARRANT: 1,
    RentAction.REVIEW_FAILED_LETTER: 2,
    RentAction.SEND_FIRST_SMS: 3,
    RentAction.SEND_LETTER_ONE: 4,
    RentAction.SEND_LETTER_TWO: 5,
    RentAction.UPDATE_COURT_OUTCOME_ACTION: 6,
    RentAction.COURT_BREACH_VISIT: 7,
    RentAction.SEND_NOSP: 8,
    RentAction.COURT_BREACH_NO_PAYMENT: 9,
    RentAction.SEND_INFORMAL_AGREEMENT_BREACH_LETTER: 10,
    RentAction.INFORMAL_BREACHED_AFTER_LETTER: 11,
    RentAction.ADDRESS_COURT_AGREEMENT_BREACH: 12,
    RentAction.SEND_COURT_WARNING_LETTER: 13,
    RentAction.APPLY_FOR_COURT_DATE: 14,
    RentAction.CHECK_DATA: 15,
}


# Parametrized over the enum itself: a new action without a case here fails with a KeyError.
@pytest.mark.parametrize("action", list(RentAction), ids=str)
def test_rent_what_if_answers_every_action_with_its_facts(ask: Ask, action: RentAction) -> None:
    body, facts = RENT_CASES[action]
    response = ask(RENT, body)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["recommended_action"] == action.value
    if action is RentAction.NO_ACTION:
        assert (result["rule"], result["fired"]) == ("none", [])
    else:
        assert result["rule"] == f"R{RULE_NUMBERS[action]} {action.value}"
        assert result["fired"][0] == action.value
    for fact in facts:
        assert fact in result["reason"]


def leasehold(**facts: Any) -> Body:
    """A leasehold (LEA) account with £500.00 owed, no letter on record."""
    return {"as_of": AS_OF, "balance": "500.00", "tenure": "LEA", **facts}


def letter(code: str, date: str) -> dict[str, str]:
    return {"latest_letter": code, "latest_letter_date": date}


LEASEHOLD_CASES: dict[LeaseholdAction, tuple[Body, str, list[str]]] = {
    LeaseholdAction.NO_ACTION: (
        leasehold(balance="9.99"),
        "below_threshold",
        ["Arrears of £9.99 are below the £10.00 needed for letter 1."],
    ),
    LeaseholdAction.SEND_LETTER_ONE: (
        leasehold(balance="120.00", tenure="SHO", last_payment_date="2026-08-12"),
        "send_letter_one",
        ["No leasehold letter on record", "£120.00", "Send letter 1 (SO)", "12 Aug 2026"],
    ),
    LeaseholdAction.SEND_LETTER_TWO: (
        # Letter 1 on 15 Jul (a bare date): letter 2 due from 12 Aug to 14 Oct.
        leasehold(**letter("LL1", "2026-07-15")),
        "send_letter_two",
        ["Letter 1 (LL1) sent on 15 Jul 2026", "12 Aug 2026", "14 Oct 2026", "£500.00", "(LH)"],
    ),
    LeaseholdAction.SEND_LETTER_BEFORE_ACTION: (
        leasehold(balance="800.00", **letter("LF2", "2026-08-01")),
        "send_letter_before_action",
        ["Letter 2 (LF2) sent on 1 Aug 2026", "29 Aug 2026", "31 Oct 2026", "£800.00", "£350.00"],
    ),
    LeaseholdAction.REFER_FOR_LEGAL_ACTION: (
        # LBA on 1 Jul: reply by 31 Jul, referral due from 30 Aug until it lapses on 1 Jan.
        leasehold(balance="900.00", **letter("SLB", "2026-07-01")),
        "refer_for_legal_action",
        ["reply by 31 Jul 2026", "30 Aug 2026", "31 Dec 2026", "£900.00", "£350.00"],
    ),
    LeaseholdAction.REVIEW_BALANCE_DISPUTE: (
        leasehold(balance_in_dispute="120.50"),
        "balance_in_dispute",
        ["£120.50 of the £500.00 balance is in dispute"],
    ),
    LeaseholdAction.CHECK_DATA: (
        leasehold(tenure="FRE", **letter("LL1", "2026-09-30")),
        "check_data",
        ["tenure FRE has no leasehold letter variant", "dated 30 Sep 2026, after today"],
    ),
}


@pytest.mark.parametrize("action", list(LeaseholdAction), ids=str)
def test_leasehold_what_if_answers_every_action_with_its_facts(
    ask: Ask, action: LeaseholdAction
) -> None:
    body, rule, facts = LEASEHOLD_CASES[action]
    response = ask(LEASEHOLD, body)
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["recommended_action"], result["rule"]) == (action.value, rule)
    if action is LeaseholdAction.NO_ACTION:
        assert result["fired"] == []
    else:
        assert result["fired"][0] == action.value
    for fact in facts:
        assert fact in result["reason"]


@pytest.mark.parametrize(
    ("facts", "rule", "reason", "held"),
    [
        pytest.param(
            {"is_paused_until": "2026-10-12", **letter("LL1", "2026-07-15")},
            "paused",
            "Paused until 12 Oct 2026.",
            ["no_action", "send_letter_two"],
            id="a pause holds letter 2",
        ),
        pytest.param(
            {"direct_debit_status": "Live", "direct_debit_amount": "41.67"},
            "direct_debit_covers_arrears",
            "Direct debit (Live) of £41.67 a month clears arrears of £500.00 within 12 months",
            ["no_action", "send_letter_one"],
            id="a direct debit that clears the arrears holds letter 1",
        ),
        pytest.param(
            letter("LL1", "2026-09-01"),
            "next_step_not_yet_due",
            "Letter 1 (LL1) sent on 1 Sep 2026; letter 2 is due from 29 Sep 2026",
            [],
            id="letter 2 not due yet",
        ),
    ],
)
def test_leasehold_what_if_says_why_nothing_is_due(
    ask: Ask, facts: Body, rule: str, reason: str, held: list[str]
) -> None:
    result = ask(LEASEHOLD, leasehold(**facts)).json()
    assert (result["recommended_action"], result["rule"]) == ("no_action", rule)
    assert reason in result["reason"]
    assert result["fired"] == held


# A date vs a date-time (income-rules §1.3, R5) ----------------------------------------------


@pytest.mark.parametrize(
    ("sent", "action"),
    [
        pytest.param("2026-09-03", "send_letter_two", id="bare date exactly 14 days ago: due"),
        pytest.param("2026-09-03T00:00:00Z", "send_letter_two", id="00:00 that day: due"),
        pytest.param("2026-09-03T09:00:00Z", "no_action", id="09:00 that day: within 14 days"),
        pytest.param("2026-09-03T09:00:00", "no_action", id="a time with no zone is UTC"),
        pytest.param(
            "2026-09-03T00:30:00+01:00",
            "send_letter_two",
            id="00:30 BST is 23:30 UTC the day before",
        ),
        pytest.param("2026-09-04", "no_action", id="bare date 13 days ago: not yet"),
        pytest.param("2026-06-18", "send_letter_two", id="bare date just within 3 months"),
        pytest.param("2026-06-17", "send_letter_one", id="bare date 3 months ago: letter 1 again"),
    ],
)
def test_a_date_and_a_date_time_differ_at_the_letter_two_boundary(
    ask: Ask, sent: str, action: str
) -> None:
    response = ask(RENT, rent(collectable_arrears="312.50", **contact("IC1", sent)))
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["recommended_action"] == action
    if action == "no_action":
        assert "within the last 14 days" in result["reason"]


@pytest.mark.parametrize(
    ("as_of", "sent", "action", "fact"),
    [
        pytest.param(
            "2026-08-12T09:00:00Z",
            "2026-07-15",
            "send_letter_two",
            "12 Aug 2026",
            id="letter 1 on a bare date: letter 2 due 28 days later",
        ),
        pytest.param(
            "2026-08-12T09:00:00Z",
            "2026-07-15T10:00:00Z",
            "no_action",
            "13 Aug 2026",
            id="letter 1 at 10:00: letter 2 due a day later",
        ),
    ],
)
def test_leasehold_letter_dates_count_from_the_next_midnight(
    ask: Ask, as_of: str, sent: str, action: str, fact: str
) -> None:
    result = ask(LEASEHOLD, leasehold(as_of=as_of, **letter("LL1", sent))).json()
    assert result["recommended_action"] == action
    assert f"letter 2 is due from {fact}" in result["reason"]


# Requests refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field", "code"),
    [
        pytest.param(
            RENT,
            rent(colectable_arrears="7.40"),
            "colectable_arrears",
            "extra_forbidden",
            id="unknown top-level field",
        ),
        pytest.param(
            RENT,
            rent(court_case={"court_date": "2026-09-07", "judge": "HHJ Smith"}),
            "court_case.judge",
            "extra_forbidden",
            id="unknown field in the court case",
        ),
        pytest.param(
            RENT,
            rent(agreement={**agreement("informal", "live", None), "amount": "25.00"}),
            "agreement.amount",
            "extra_forbidden",
            id="unknown field in the agreement",
        ),
        pytest.param(
            RENT,
            rent(
                latest_document={
                    "status": "validation-failed",
                    "template": "letter_1",
                    "updated_at": "2026-09-15",
                }
            ),
            "latest_document.template",
            "extra_forbidden",
            id="unknown field in the document",
        ),
        pytest.param(
            LEASEHOLD,
            leasehold(nosp_served_date="2026-03-02"),
            "nosp_served_date",
            "extra_forbidden",
            id="a rent fact sent to leasehold",
        ),
        pytest.param(
            RENT, {"collectable_arrears": "7.40"}, "as_of", "missing", id="rent without as_of"
        ),
        pytest.param(
            LEASEHOLD, {"balance": "500.00"}, "as_of", "missing", id="leasehold without as_of"
        ),
        pytest.param(
            RENT,
            rent(latest_document={"status": "validation-failed", "updated_at": "2026-09-15"}),
            "latest_document.template_id",
            "missing",
            id="document without its template",
        ),
        pytest.param(
            RENT,
            rent(nosp_served_date="02/03/2026"),
            "nosp_served_date",
            None,
            id="a date not in ISO form",
        ),
        pytest.param(
            RENT,
            rent(court_case=court("2026-09-07", "XYZ")),
            "court_case.court_outcome",
            "enum",
            id="unknown court outcome code",
        ),
        pytest.param(
            RENT,
            rent(court_case=court("2026-09-07", "opd")),
            "court_case.court_outcome",
            "enum",
            id="court outcome codes are capitals",
        ),
        pytest.param(
            RENT,
            rent(agreement=agreement("verbal", "live", None)),
            "agreement.agreement_type",
            "enum",
            id="unknown agreement type",
        ),
        pytest.param(
            RENT,
            rent(collectable_arrears="£7.40"),
            "collectable_arrears",
            None,
            id="money with a pound sign",
        ),
        pytest.param(
            RENT,
            rent(collectable_arrears="1,234.50"),
            "collectable_arrears",
            None,
            id="money with a thousands comma",
        ),
        pytest.param(
            LEASEHOLD, leasehold(balance="lots"), "balance", None, id="leasehold balance not money"
        ),
        pytest.param(
            RENT,
            rent(days_since_last_payment=-1),
            "days_since_last_payment",
            "greater_than_equal",
            id="negative days since the last payment",
        ),
        pytest.param(
            RENT,
            rent(**contact("IC1X", "2026-09-03")),
            "last_communication_action",
            "string_too_long",
            id="an action code longer than 3",
        ),
    ],
)
def test_bad_requests_are_refused_naming_the_field(
    ask: Ask,
    assert_error: AssertError,
    path: str,
    body: Body,
    field: str,
    code: str | None,
) -> None:
    error = assert_error(ask(path, body), 422, "validation_failed", field=field)
    if code is not None:
        assert code in [d["code"] for d in error["details"] if d["field"] == field]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        pytest.param(RENT, rent(nosp_served_date="2026-02-30"), "nosp_served_date", id="a date"),
        pytest.param(
            RENT,
            rent(last_communication_date="2026-02-30", last_communication_action="IC1"),
            "last_communication_date",
            id="a date or date-time: 30 February",
        ),
        pytest.param(RENT, rent(as_of="yesterday"), "as_of", id="as_of in words"),
        pytest.param(
            RENT,
            rent(court_case=court("2026-13-01", "OPD")),
            "court_case.court_date",
            id="a court date in month 13",
        ),
        pytest.param(
            LEASEHOLD,
            leasehold(**letter("LL1", "15 Jul 2026")),
            "latest_letter_date",
            id="a leasehold letter date in words",
        ),
        pytest.param(
            LEASEHOLD,
            leasehold(is_paused_until="2026-10-12T25:00:00Z"),
            "is_paused_until",
            id="a pause at 25:00",
        ),
    ],
)
def test_a_bad_date_is_one_detail_naming_the_field(
    ask: Ask, assert_error: AssertError, path: str, body: Body, field: str
) -> None:
    # "One detail per field", `field` being the dotted path of the input at fault.
    error = assert_error(ask(path, body), 422, "validation_failed")
    assert [detail["field"] for detail in error["details"]] == [field]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        pytest.param(
            RENT,
            rent(as_of="0001-01-05T00:00:00Z"),
            "as_of",
            id="as_of in year 1: thresholds before the calendar",
        ),
        pytest.param(
            RENT,
            rent(nosp_served_date="9999-12-01"),
            "nosp_served_date",
            id="NOSP served in Dec 9999: expiry after the calendar",
        ),
        pytest.param(
            RENT,
            rent(court_case=court("9999-12-31", "SOT", terms=True)),
            "court_case.court_date",
            id="terms set at a hearing in 9999: six years after the calendar",
        ),
        pytest.param(
            LEASEHOLD,
            leasehold(**letter("LL1", "9999-12-31")),
            "latest_letter_date",
            id="letter 1 dated 31 Dec 9999: window after the calendar",
        ),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_refused_not_a_server_error(
    ask: Ask, assert_error: AssertError, path: str, body: Body, field: str
) -> None:
    assert_error(ask(path, body), 422, "validation_failed", field=field)


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        pytest.param("7.40", "£7.40", id="a decimal string"),
        pytest.param("7.4", "£7.40", id="a decimal string with one place"),
        pytest.param(" 7.40 ", "£7.40", id="a decimal string with spaces"),
        pytest.param("7", "£7.00", id="whole pounds"),
    ],
)
def test_money_as_a_decimal_string(ask: Ask, amount: str, shown: str) -> None:
    result = ask(RENT, rent(collectable_arrears=amount)).json()
    assert result["recommended_action"] == "send_first_SMS"
    assert f"Collectable arrears {shown} are at least £5 and under £10" in result["reason"]


# Who may ask, and nothing is written --------------------------------------------------------


@pytest.mark.parametrize("path", [RENT, LEASEHOLD], ids=["rent", "leasehold"])
@pytest.mark.parametrize(
    "token",
    ["read_only_client", "rent_caseworker", "leasehold_caseworker", "team_leader", "service"],
)
def test_any_reader_may_ask(
    request: pytest.FixtureRequest, ask: Ask, path: str, token: str
) -> None:
    body = rent() if path == RENT else leasehold()
    response = ask(path, body, headers=request.getfixturevalue(token))
    assert response.status_code == 200, response.text
    assert response.json()["recommended_action"]


@pytest.mark.parametrize("path", [RENT, LEASEHOLD], ids=["rent", "leasehold"])
@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no token"),
        pytest.param({"Authorization": "Bearer not-a-jwt"}, id="not a JWT"),
    ],
)
def test_without_a_valid_token_there_is_no_answer(
    ask: Ask, assert_error: AssertError, path: str, headers: Headers
) -> None:
    body = rent() if path == RENT else leasehold()
    assert_error(ask(path, body, headers=headers), 401, "unauthenticated")


def test_nothing_is_written(
    ask: Ask,
    make_case: Callable[..., str],
    get_cases: Callable[..., httpx2.Response],
    count_rows: Callable[[], dict[str, int]],
) -> None:
    # Every action's facts, court cases and agreements included: still nothing is stored, and
    # the stored case keeps its recommendation.
    ref = make_case(recommended_action="send_letter_one")
    before = count_rows()
    assert before["cases"] == 1
    for body, _ in RENT_CASES.values():
        assert ask(RENT, body).status_code == 200
    for body, _, _ in LEASEHOLD_CASES.values():
        assert ask(LEASEHOLD, body).status_code == 200
    assert count_rows() == before
    rows = get_cases().json()["results"]
    assert [(row["tenancy_ref"], row["recommended_action"]) for row in rows] == [
        (ref, "send_letter_one")
    ]
