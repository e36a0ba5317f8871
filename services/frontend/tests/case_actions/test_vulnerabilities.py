"""Recording a resident's vulnerability, reviewing it and ending it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from frontend.domain.formatting import date, today_in_london
from frontend.testing import read

from .conftest import NewCase, banner, date_fields, field_errors, followed, open_form, submit

SignIn = Callable[[str], TestClient]
TODAY = today_in_london()
IN_SIX_MONTHS = TODAY + dt.timedelta(days=182)


def _record(client: TestClient, ref: str) -> str:
    """Record a mental health vulnerability; the address of its review page."""
    response = submit(
        client,
        open_form(client, f"/cases/{ref}/vulnerabilities/new"),
        {"category": "mental_health", "note": "Anxious about letters"}
        | date_fields("review_date", IN_SIX_MONTHS),
    )
    case = followed(client, response, f"/cases/{ref}")
    review = case.links().get("Review the vulnerability: Mental health")
    assert review, case.links()
    return review


def test_a_vulnerability_is_recorded_and_shown_on_the_case(
    signed_in: SignIn, new_case: NewCase
) -> None:
    client, ref = signed_in("rent"), new_case()
    form = open_form(client, f"/cases/{ref}/vulnerabilities/new")
    assert form.heading == f"Rent case {ref} Record a vulnerability"

    response = submit(
        client,
        form,
        {"category": "bereavement", "note": "Partner died in May"}
        | date_fields("review_date", IN_SIX_MONTHS),
    )
    again = submit(
        client,
        form,
        {"category": "bereavement", "note": "Partner died in May"}
        | date_fields("review_date", IN_SIX_MONTHS),
    )

    case = followed(client, response, f"/cases/{ref}")
    assert again.status_code == 303
    assert banner(case) == "Success Vulnerability recorded: bereavement"
    rows = case.table("Vulnerabilities recorded")
    assert len(rows) == 1, "the double submit recorded one"
    assert rows[0]["Vulnerability"] == "Bereavement"
    assert rows[0]["Note"] == "Partner died in May"
    assert rows[0]["Review by"].startswith(date(IN_SIX_MONTHS))


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        pytest.param(
            {},
            {
                "category": "Select the kind of vulnerability",
                "note": "Enter a note about the vulnerability",
                "review_date": "Enter the date to review it",
            },
            id="nothing",
        ),
        pytest.param(
            {"category": "other", "note": "x"} | date_fields("review_date", TODAY),
            {"review_date": "The date to review it must be in the future"},
            id="review today",
        ),
    ],
)
def test_a_bad_vulnerability_shows_what_to_fix(
    signed_in: SignIn, new_case: NewCase, data: dict[str, str], errors: dict[str, str]
) -> None:
    client, ref = signed_in("rent"), new_case()
    page = read(submit(client, open_form(client, f"/cases/{ref}/vulnerabilities/new"), data))
    assert page.status_code == 400
    assert field_errors(page) == errors
    assert "None recorded." in read(client.get(f"/cases/{ref}")).text


def test_a_vulnerability_is_reviewed_then_ended(signed_in: SignIn, new_case: NewCase) -> None:
    client, ref = signed_in("rent"), new_case()
    review = _record(client, ref)
    next_review = TODAY + dt.timedelta(days=90)

    reviewed = submit(
        client,
        open_form(client, review),
        {"outcome": "review", "note": "Seeing a counsellor"}
        | date_fields("review_date", next_review),
    )

    case = followed(client, reviewed, f"/cases/{ref}")
    assert banner(case) == (
        f"Success Vulnerability reviewed: mental health, next review on {date(next_review)}"
    )
    row = case.table("Vulnerabilities recorded")[0]
    assert row["Note"] == "Seeing a counsellor"
    assert row["Review by"].startswith(date(next_review))

    ended = submit(client, open_form(client, review), {"outcome": "ended"})

    case = followed(client, ended, f"/cases/{ref}")
    assert banner(case) == "Success Vulnerability ended: mental health"
    assert "(ended" in case.table("Vulnerabilities recorded")[0]["Vulnerability"]
    assert read(client.get(review)).status_code == 404, "an ended one is not reviewed"


def test_a_review_needs_a_choice_and_a_next_date(signed_in: SignIn, new_case: NewCase) -> None:
    client, ref = signed_in("rent"), new_case()
    review = _record(client, ref)
    nothing = read(submit(client, open_form(client, review), {}))
    assert nothing.status_code == 400
    assert field_errors(nothing) == {"outcome": "Select whether it still applies"}
    no_date = read(submit(client, open_form(client, review), {"outcome": "review"}))
    assert field_errors(no_date) == {"review_date": "Enter the date of the next review"}
