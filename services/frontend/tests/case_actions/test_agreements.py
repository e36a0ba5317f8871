"""Making an agreement (the form, then a check of the instalment against the rent, then the
agreement) and cancelling one."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from frontend.domain.formatting import date, today_in_london
from frontend.testing import Page, read

from .conftest import (
    NewCase,
    banner,
    date_fields,
    field_errors,
    followed,
    open_form,
    submit,
    summary_links,
)

SignIn = Callable[[str], TestClient]
TODAY = today_in_london()
START = TODAY + dt.timedelta(days=7)
# Enough arrears for the instalments of these tests.
OWING = Decimal(200)
WEEKLY = {"agreement_type": "informal", "frequency": "weekly", "amount": "15"} | date_fields(
    "start_date", START
)


def _agreements(page: Page) -> list[str]:
    heading = page.main.find("h2", string="Agreements")
    assert heading is not None
    found = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        if sibling.name == "h3":
            found.append(" ".join(sibling.get_text(" ").split()))
    return found


def _check(client: TestClient, ref: str, data: dict[str, str]) -> Page:
    page = read(submit(client, open_form(client, f"/cases/{ref}/agreements/new"), data))
    assert page.status_code == 200, page.error_summary
    assert page.heading == f"Rent case {ref} Check the agreement"
    return page


def test_the_form_shows_the_arrears_and_the_rent(signed_in: SignIn, new_case: NewCase) -> None:
    ref = new_case()
    page = open_form(signed_in("rent"), f"/cases/{ref}/agreements/new")
    assert page.heading == f"Rent case {ref} Make an agreement"
    assert re.search(r"Arrears £[\d,]+\.\d\d in arrears Weekly rent £[\d,]+\.\d\d", page.text)
    legends = [" ".join(x.get_text().split()) for x in page.main.select("legend")]
    assert legends == [
        "What type of agreement is it?",
        "How often will they pay?",
        "Date of the first regular payment (or of the one-off payment)",
        "Date of the first payment",
    ]


def test_the_check_page_shows_the_instalment_against_the_rent(
    signed_in: SignIn, new_case: NewCase
) -> None:
    client, ref = signed_in("rent"), new_case(min_balance=OWING)
    before = _agreements(read(client.get(f"/cases/{ref}")))
    check = _check(client, ref, WEEKLY)
    sentences = [" ".join(p.get_text().split()) for p in check.main.select(".govuk-inset-text p")]
    assert re.fullmatch(
        r"£15\.00 a week is \d+% of the weekly rent of £[\d,]+\.\d\d; the arrears of "
        r"£[\d,]+\.\d\d would be cleared in \d+ weeks\.",
        sentences[0],
    ), sentences
    assert re.fullmatch(rf"\d+ weekly payments from {date(START)}, the last on .+\.", sentences[1])
    assert re.fullmatch(r"With the rent, the tenant would pay £[\d,]+\.\d\d a week\.", sentences[2])
    # Nothing is made until it is confirmed.
    assert _agreements(read(client.get(f"/cases/{ref}"))) == before


def test_an_agreement_is_made_once_after_the_check(signed_in: SignIn, new_case: NewCase) -> None:
    client, ref = signed_in("rent"), new_case(min_balance=OWING)
    before = _agreements(read(client.get(f"/cases/{ref}")))
    check = _check(client, ref, WEEKLY | {"notes": "Agreed on the phone"})

    made = submit(client, check, {"step": "confirm"})
    again = submit(client, check, {"step": "confirm"})

    case = followed(client, made, f"/cases/{ref}")
    assert again.status_code == 303
    assert banner(case) == f"Success Agreement made: £15.00 weekly from {date(START)}"
    after = _agreements(case)
    assert after[0] == f"Informal agreement from {date(START)} Live"
    assert len(after) == len(before) + 1
    diary = [row for row in case.table("by week") if "Agreed on the phone" in row["Details"]]
    assert len(diary) == 1, "the double submit made one agreement"
    assert diary[0]["Details"].startswith("Informal agreement created: Agreed on the phone")


def test_change_goes_back_to_the_form_with_what_was_entered(
    signed_in: SignIn, new_case: NewCase
) -> None:
    client, ref = signed_in("rent"), new_case(min_balance=OWING)
    form = read(submit(client, _check(client, ref, WEEKLY), {"step": "change"}))
    assert form.status_code == 200
    assert form.heading == f"Rent case {ref} Make an agreement"
    amount = form.soup.select_one("#amount")
    assert amount is not None
    assert amount["value"] == "15"
    weekly = form.soup.select_one('input[name="frequency"][value="weekly"]')
    assert weekly is not None
    assert weekly.has_attr("checked")


def test_a_one_off_payment_is_the_whole_arrears_on_one_day(
    signed_in: SignIn, new_case: NewCase
) -> None:
    client, ref = signed_in("rent"), new_case(min_balance=OWING)
    form = open_form(client, f"/cases/{ref}/agreements/new")
    arrears = form.soup.find("dt", string=re.compile("Arrears"))
    assert arrears is not None
    value = arrears.find_next("dd")
    assert value is not None
    owed = value.get_text(strip=True).split()[0]
    one_off = WEEKLY | {"frequency": "one_off", "amount": ""}

    wrong = read(submit(client, form, one_off | {"amount": "1.00"}))
    check = _check(client, ref, one_off)

    assert wrong.status_code == 400
    assert field_errors(wrong)["amount"].startswith(
        f"A one-off payment is the whole arrears of {owed}"
    )
    sentences = [" ".join(p.get_text().split()) for p in check.main.select(".govuk-inset-text p")]
    assert sentences == [f"One payment of {owed} on {date(START)} clears the arrears."]
    case = followed(client, submit(client, check, {"step": "confirm"}), f"/cases/{ref}")
    assert banner(case) == f"Success Agreement made: one-off payment of {owed} on {date(START)}"


def test_a_lump_sum_first_payment_is_part_of_the_plan(signed_in: SignIn, new_case: NewCase) -> None:
    client, ref = signed_in("rent"), new_case(min_balance=OWING)
    check = _check(
        client,
        ref,
        WEEKLY
        | {"frequency": "monthly", "amount": "60", "first_payment_amount": "100"}
        | date_fields("first_payment_date", TODAY + dt.timedelta(days=2)),
    )
    sentences = [" ".join(p.get_text().split()) for p in check.main.select(".govuk-inset-text p")]
    assert sentences[0].startswith("£60.00 a month (about £13.85 a week) is ")
    assert re.search(r"would be cleared in \d+ months?\.$", sentences[0])
    assert sentences[1].startswith(
        f"A first payment of £100.00 on {date(TODAY + dt.timedelta(days=2))}, then "
    )
    case = followed(client, submit(client, check, {"step": "confirm"}), f"/cases/{ref}")
    assert "First payment £100.00 on" in case.text


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        pytest.param(
            {"agreement_type": ""},
            {
                "agreement_type": "Select the type of agreement",
                "frequency": "Select how often they will pay",
                "amount": "Enter the instalment amount",
                "start_date": "Enter the date of the first regular payment",
            },
            id="nothing",
        ),
        pytest.param(
            WEEKLY | {"amount": "1000000"},
            {"amount": "The instalment cannot be more than the arrears of £"},
            id="more than the arrears",
        ),
        pytest.param(
            WEEKLY | {"amount": "0"} | date_fields("start_date", TODAY - dt.timedelta(days=1)),
            {
                "amount": "The instalment amount must be more than £0",
                "start_date": "The date of the first regular payment must be today or in the "
                "future",
            },
            id="nothing a week, from yesterday",
        ),
        pytest.param(
            WEEKLY | {"first_payment_amount": "50"},
            {"first_payment_date": "Enter the date of the first payment"},
            id="a first payment with no date",
        ),
        pytest.param(
            WEEKLY | {"agreement_type": "formal"},
            {
                "court_case_id": "Record the court case’s outcome and its balance on the "
                "outcome date first"
            },
            id="court ordered with no court case",
        ),
    ],
)
def test_a_bad_agreement_shows_what_to_fix(
    signed_in: SignIn, new_case: NewCase, data: dict[str, str], errors: dict[str, str]
) -> None:
    client, ref = signed_in("rent"), new_case(min_balance=OWING)
    before = _agreements(read(client.get(f"/cases/{ref}")))
    page = read(submit(client, open_form(client, f"/cases/{ref}/agreements/new"), data))
    assert page.status_code == 400
    found = field_errors(page)
    assert list(found) == list(errors)
    for name, message in errors.items():
        assert found[name].startswith(message)
    if "first_payment_date" in errors:
        assert summary_links(page) == ["#first_payment_date-day"]
    assert _agreements(read(client.get(f"/cases/{ref}"))) == before


def _court_case_with_terms(client: TestClient, ref: str) -> None:
    hearing = TODAY - dt.timedelta(days=14)
    response = submit(
        client,
        open_form(client, f"/cases/{ref}/court-cases/new"),
        date_fields("court_date", hearing)
        | {
            "court_outcome": "SOT",
            "balance_on_court_outcome_date": "5000",
            "terms": "yes",
            "disrepair_counter_claim": "no",
        },
    )
    assert response.status_code == 303


def test_a_court_ordered_agreement_starts_from_the_court_s_balance(
    signed_in: SignIn, new_case: NewCase
) -> None:
    client, ref = signed_in("rent"), new_case(min_balance=OWING)
    _court_case_with_terms(client, ref)
    form = open_form(client, f"/cases/{ref}/agreements/new")
    court_cases = [
        item.select_one('input[name="court_case_id"]')
        for item in form.soup.select(".govuk-radios__item")
        if "£5,000.00" in item.get_text()
    ]
    court_case = court_cases[0]
    assert court_case is not None

    check = _check(
        client,
        ref,
        WEEKLY | {"agreement_type": "formal", "court_case_id": str(court_case["value"])},
    )
    # More than they owe today, so the agreement is not breached from the start.
    assert "the arrears of £5,000.00 would be cleared in 334 weeks" in check.text
    assert any(link.startswith("Hearing on ") for link in check.links())

    case = followed(client, submit(client, check, {"step": "confirm"}), f"/cases/{ref}")
    assert _agreements(case)[0] == f"Court ordered agreement from {date(START)} Live"

    # While it is active, an informal agreement cannot replace it: the form says why.
    refused = read(submit(client, _check(client, ref, WEEKLY), {"step": "confirm"}))
    assert refused.status_code == 409
    assert refused.error_summary == [
        "This tenancy has a formal (court) agreement: cancel it before making an informal one."
    ]


def test_an_agreement_is_cancelled_with_a_reason(signed_in: SignIn, new_case: NewCase) -> None:
    client, ref = signed_in("rent"), new_case(min_balance=OWING)
    before = _agreements(read(client.get(f"/cases/{ref}")))
    followed(
        client, submit(client, _check(client, ref, WEEKLY), {"step": "confirm"}), f"/cases/{ref}"
    )
    cancel = read(client.get(f"/cases/{ref}")).links()[f"Cancel this agreement from {date(START)}"]
    form = open_form(client, cancel)
    assert form.heading == f"Rent case {ref} Cancel the agreement"

    refused = read(submit(client, form, {}))
    assert refused.status_code == 400
    assert field_errors(refused) == {"reason": "Enter why the agreement is cancelled"}

    case = followed(
        client, submit(client, form, {"reason": "Moved to Universal Credit"}), f"/cases/{ref}"
    )
    assert banner(case) == "Success Agreement cancelled"
    assert _agreements(case) == [f"Informal agreement from {date(START)} Cancelled", *before]
    assert "Moved to Universal Credit" in case.text
    assert read(client.get(cancel)).status_code == 404, "it is no longer active"


def test_a_leaseholder_s_agreement_has_no_rent_to_compare_and_no_court_order(
    signed_in: SignIn, new_case: NewCase
) -> None:
    client, ref = signed_in("leasehold"), new_case("leasehold", min_balance=OWING)
    form = open_form(client, f"/cases/{ref}/agreements/new")
    assert "Weekly rent" not in form.text
    assert form.soup.select_one('input[name="agreement_type"]') is None
    data = {"frequency": "monthly", "amount": "50"} | date_fields("start_date", START)
    check = read(submit(client, form, data))
    assert check.heading == f"Leasehold case {ref} Check the agreement"
    sentences = [" ".join(p.get_text().split()) for p in check.main.select(".govuk-inset-text p")]
    assert re.fullmatch(
        r"£50\.00 a month \(about £11\.54 a week\): the arrears of £[\d,]+\.\d\d would be "
        r"cleared in \d+ months?\.",
        sentences[0],
    )
    assert len(sentences) == 2, "no rent to add the instalment to"
