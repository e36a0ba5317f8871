"""A letter from a case: choose it, give what UH does not hold (filled in from the case where
income-api knows it), see its pages as they will be printed or every problem with it, send it
once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fake_notify.testing import FakeNotifyAdmin
from frontend.domain.formatting import today_in_london
from frontend.testing import Page, read
from income_api.settings import Settings as IncomeSettings
from ma_shared.auth import mint_dev_token

SignIn = Callable[[str], TestClient]
WorktrayCases = Callable[[TestClient, str], list[str]]


def _letter_form(client: TestClient, case_ref: str, template_id: str) -> Page:
    page = read(client.get(f"/cases/{case_ref}/letters/new", params={"template_id": template_id}))
    assert page.status_code == 200, page.text
    return page


def _preview(client: TestClient, case_ref: str, form: Page, **changes: str) -> Page:
    action = f"/cases/{case_ref}/letters/preview"
    return read(client.post(action, data=form.form(action) | changes))


def _images(page: Page) -> list[Any]:
    return page.soup.select("img.app-letter-page")


def _case_with_a_printable_letter(
    client: TestClient, cases: list[str], template_id: str
) -> tuple[str, Page]:
    """The first case whose UH data makes this letter (some simulated addresses break
    Notify's rules, as real ones do)."""
    for case_ref in cases:
        preview = _preview(client, case_ref, _letter_form(client, case_ref, template_id))
        if preview.status_code == 200:
            return case_ref, preview
    pytest.fail(f"no case on the worktray can be sent {template_id}")


def test_only_the_case_s_own_letters_are_offered(
    signed_in: SignIn, worktray_cases: WorktrayCases
) -> None:
    client = signed_in("team-leader")
    case_ref = worktray_cases(client, "?service_area=rent")[0]
    page = read(client.get(f"/cases/{case_ref}/letters/new"))
    assert page.status_code == 200
    offered = [label.get_text(strip=True) for label in page.soup.select(".govuk-radios__label")]
    assert "Income collection letter 1" in offered
    assert "Court date letter" in offered
    assert not any("arrears fh" in name.lower() for name in offered)


def test_a_letter_is_previewed_as_its_pages_then_sent_once(
    signed_in: SignIn, worktray_cases: WorktrayCases, notify: FakeNotifyAdmin
) -> None:
    client = signed_in("rent")
    case_ref, preview = _case_with_a_printable_letter(
        client, worktray_cases(client, "")[2:], "income_collection_letter_1"
    )
    assert preview.heading.endswith("Check the letter")
    images = _images(preview)
    assert images
    assert str(images[0]["src"]).startswith("data:image/png;base64,iVBOR")
    assert images[0]["alt"] == (
        f"Page 1 of {len(images)} of the letter “Income collection letter 1”"
    )
    assert len(preview.html) < 600_000, "a letter's preview stays a reasonably light page"

    action = f"/cases/{case_ref}/letters"
    send = preview.form(action)
    first = client.post(action, data=send)
    second = client.post(action, data=send)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert len(notify.sent(type="letter")) == 1

    banner = read(client.get(first.headers["location"])).soup.select_one(
        ".govuk-notification-banner"
    )
    assert banner is not None
    assert "Letter sent" in banner.get_text(" ", strip=True)


def test_an_incomplete_agreement_letter_lists_every_problem(
    signed_in: SignIn, worktray_cases: WorktrayCases
) -> None:
    client = signed_in("rent")
    case_ref = worktray_cases(client, "?recommended_action=send_letter_one")[0]
    form = _letter_form(client, case_ref, "informal_agreement_confirmation_letter")
    asked = [label.get_text(strip=True) for label in form.soup.select("label, legend")]
    assert "Instalment towards the arrears" in asked
    assert "Date of the first instalment" in asked
    page = _preview(client, case_ref, form, amount="", agreement_frequency="")
    assert page.status_code == 400
    assert _images(page) == []
    assert "Instalment towards the arrears is missing" in page.error_summary
    assert "How often the instalments are paid is missing" in page.error_summary
    assert "Date of the first instalment is missing" in page.error_summary
    links = [a["href"] for a in page.soup.select(".govuk-error-summary__list a")]
    assert "#amount" in links


def test_what_cannot_be_read_is_said_before_asking_comms_api(
    signed_in: SignIn, worktray_cases: WorktrayCases
) -> None:
    client = signed_in("rent")
    case_ref = worktray_cases(client, "")[0]
    form = _letter_form(client, case_ref, "informal_agreement_confirmation_letter")
    page = _preview(
        client,
        case_ref,
        form,
        amount="twenty",
        **{
            "date_of_first_payment-day": "31",
            "date_of_first_payment-month": "2",
            "date_of_first_payment-year": "2026",
        },
    )
    assert page.status_code == 400
    assert page.error_summary == [
        "Instalment towards the arrears must be an amount of money, like 12.50",
        "Date of the first instalment must be a real date, for example 27 3 2026",
    ]


@pytest.fixture
def income_api(income_app: FastAPI, income_settings: IncomeSettings) -> Callable[..., Any]:
    """income-api as a caseworker calls it, to give a case an agreement."""

    def call(method: str, path: str, **kwargs: Any) -> Any:
        token = mint_dev_token("rent", income_settings)
        response = TestClient(income_app).request(
            method,
            path,
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"test-{path}"},
            **kwargs,
        )
        assert response.status_code < 300, response.text
        return response.json()

    return call


def test_an_agreement_letter_is_filled_in_from_the_live_agreement(
    signed_in: SignIn, worktray_cases: WorktrayCases, income_api: Callable[..., Any]
) -> None:
    client = signed_in("rent")
    case_ref = worktray_cases(client, "")[5]
    start = today_in_london() + dt.timedelta(days=7)
    income_api(
        "POST",
        f"/api/v1/cases/{case_ref}/agreements",
        json={
            "agreement_type": "informal",
            "amount": "12.50",
            "frequency": "weekly",
            "start_date": start.isoformat(),
        },
    )
    form = _letter_form(client, case_ref, "informal_agreement_confirmation_letter")
    values = form.form(f"/cases/{case_ref}/letters/preview")
    assert values["amount"] == "12.50"
    assert values["agreement_frequency"] == "weekly"
    assert (
        values["date_of_first_payment-day"],
        values["date_of_first_payment-month"],
        values["date_of_first_payment-year"],
    ) == (str(start.day), str(start.month), str(start.year))
    assert values["rent"], "the weekly rent comes from the case"
    preview = _preview(client, case_ref, form)
    if preview.status_code == 400:
        # Only UH's own data (an address Notify would refuse) can stop it now.
        assert not preview.soup.select(".govuk-form-group--error")
    else:
        assert _images(preview)


def test_change_on_the_preview_goes_back_to_the_letter_s_form(
    signed_in: SignIn, worktray_cases: WorktrayCases
) -> None:
    client = signed_in("rent")
    case_ref, preview = _case_with_a_printable_letter(
        client, worktray_cases(client, "")[2:], "income_collection_letter_1"
    )
    action = f"/cases/{case_ref}/letters"
    page = read(client.post(action, data=preview.form(action) | {"change": "yes"}))
    assert page.status_code == 200
    assert page.heading.endswith("Send a letter")
    assert (
        page.form(f"/cases/{case_ref}/letters/preview")["idempotency_key"]
        == (preview.form(action)["idempotency_key"])
    )


def test_a_letter_that_is_not_offered_is_chosen_again(
    signed_in: SignIn, worktray_cases: WorktrayCases
) -> None:
    client = signed_in("rent")
    case_ref = worktray_cases(client, "")[0]
    page = read(
        client.get(
            f"/cases/{case_ref}/letters/new", params={"template_id": "letter_1_in_arrears_LH"}
        )
    )
    assert page.status_code == 400
    assert page.error_summary == ["Choose a letter"]
    assert "Choose a letter" in page.heading
