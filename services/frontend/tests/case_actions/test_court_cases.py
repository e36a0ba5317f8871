"""Adding a court case and updating it with the court's outcome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

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
HEARING = TODAY + dt.timedelta(days=28)


def _court_cases(page: Page) -> list[dict[str, str]]:
    if "There are no court cases." in page.text:
        return []
    return page.table("Court cases, latest first")


def _add(client: TestClient, ref: str, **data: str) -> Page:
    """Add a hearing on HEARING at 10:30am; the case page after."""
    response = submit(
        client,
        open_form(client, f"/cases/{ref}/court-cases/new"),
        date_fields("court_date", HEARING) | {"court_time": "10:30am"} | data,
    )
    return followed(client, response, f"/cases/{ref}")


def test_the_form_offers_every_outcome_in_words(signed_in: SignIn, new_case: NewCase) -> None:
    page = open_form(signed_in("rent"), f"/cases/{new_case()}/court-cases/new")
    labels = [" ".join(x.get_text().split()) for x in page.soup.select(".govuk-radios__label")]
    assert labels[0] == "Not known yet"
    assert "Suspension on terms" in labels
    assert "Outright possession with date" in labels
    assert len([x for x in labels if x not in {"Yes", "No"}]) == 12


def test_a_court_case_is_added_once_and_shown(signed_in: SignIn, new_case: NewCase) -> None:
    client, ref = signed_in("rent"), new_case()
    before = _court_cases(read(client.get(f"/cases/{ref}")))
    form = open_form(client, f"/cases/{ref}/court-cases/new")
    data = date_fields("court_date", HEARING) | {"court_time": "2:15pm"}

    first = submit(client, form, data)
    again = submit(client, form, data)

    case = followed(client, first, f"/cases/{ref}")
    assert again.status_code == 303
    assert banner(case) == f"Success Court case added: hearing on {date(HEARING)} at 2:15pm"
    after = _court_cases(case)
    assert len(after) == len(before) + 1, "the double submit added one"
    assert after[0]["Court date"] == f"{date(HEARING)} at 2:15pm"
    assert after[0]["Outcome"] == "Not recorded"
    assert any(row["What"] == "Court Date Set (CDS)" for row in case.table("by week"))


def test_the_court_s_outcome_is_recorded_on_the_court_case(
    signed_in: SignIn, new_case: NewCase
) -> None:
    client, ref = signed_in("rent"), new_case()
    case = _add(client, ref)
    update = case.links()[f"Update the court case of {date(HEARING)} at 10:30am"]
    form = open_form(client, update)
    assert form.heading == f"Rent case {ref} Update the court case"
    time = form.soup.select_one("#court_time")
    assert time is not None
    assert time["value"] == "10:30", "the form shows the court case as it is"

    response = submit(
        client,
        form,
        {
            "court_outcome": "SOT",
            "balance_on_court_outcome_date": "612.40",
            "terms": "yes",
            "disrepair_counter_claim": "no",
        }
        | date_fields("strike_out_date", HEARING + dt.timedelta(days=6 * 365)),
    )

    court_case_id = update.rsplit("/", 1)[1]
    agreement = followed(
        client, response, f"/cases/{ref}/agreements/new?court_case_id={court_case_id}"
    )
    assert banner(agreement) == (
        f"Success Court case updated Hearing on {date(HEARING)} at 10:30am: suspension on terms."
        " The court set terms: make the court-ordered agreement."
    )
    chosen = agreement.soup.select("input[type=radio][checked]")
    assert {(r["name"], r["value"]) for r in chosen} == {
        ("agreement_type", "formal"),
        ("court_case_id", court_case_id),
    }
    case = read(client.get(f"/cases/{ref}"))
    row = _court_cases(case)[0]
    assert row["Outcome"] == "Suspension on terms"
    assert row["Balance on outcome date"] == "£612.40"
    assert row["Terms"] == "Yes"
    outcomes = [row for row in case.table("by week") if row["What"] == "Court Outcome Added (IC6)"]
    assert [row["Details"].split(" – ")[0] for row in outcomes] == [
        "Court outcome added: Suspension on terms"
    ]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        pytest.param(
            {"court_time": "half ten"},
            {
                "court_date": "Enter the hearing date",
                "court_time": "Enter the hearing time as a time, like 10:30am or 14:00",
            },
            id="no date and a time that is not one",
        ),
        pytest.param(
            date_fields("court_date", HEARING) | {"court_outcome": "ADT"},
            {
                "terms": "Say whether the court set terms for this outcome.",
                "disrepair_counter_claim": "Say whether there is a disrepair counter claim "
                "for this outcome.",
            },
            id="income-api: an outcome that can have terms needs the answers",
        ),
        pytest.param(
            date_fields("court_date", HEARING)
            | date_fields("strike_out_date", HEARING - dt.timedelta(days=1)),
            {"strike_out_date": "The strike-out date cannot be before the court date."},
            id="income-api: struck out before the hearing",
        ),
        pytest.param(
            date_fields("court_date", HEARING) | {"balance_on_court_outcome_date": "lots"},
            {
                "balance_on_court_outcome_date": "The balance on the outcome date must be an "
                "amount in pounds and pence, like 15.50"
            },
            id="a balance that is not money",
        ),
    ],
)
def test_a_bad_court_case_shows_what_to_fix_and_adds_nothing(
    signed_in: SignIn, new_case: NewCase, data: dict[str, str], errors: dict[str, str]
) -> None:
    client, ref = signed_in("rent"), new_case()
    before = _court_cases(read(client.get(f"/cases/{ref}")))
    page = read(submit(client, open_form(client, f"/cases/{ref}/court-cases/new"), data))
    assert page.status_code == 400
    assert field_errors(page) == errors
    assert page.error_summary == list(errors.values())
    if "strike_out_date" in errors:
        assert summary_links(page) == ["#strike_out_date-day"]
    assert _court_cases(read(client.get(f"/cases/{ref}"))) == before


def test_an_unknown_court_case_is_not_found(signed_in: SignIn, new_case: NewCase) -> None:
    page = read(signed_in("rent").get(f"/cases/{new_case()}/court-cases/999999"))
    assert page.status_code == 404
