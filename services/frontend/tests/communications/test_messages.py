"""Texts and emails from a case: choose a template, whom to and what it says, see exactly what
will be sent, send it once, and see it confirmed on the case."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fake_notify import config
from fake_notify.testing import FakeNotifyAdmin
from frontend.testing import read

SignIn = Callable[[str], TestClient]
WorktrayCases = Callable[[TestClient, str], list[str]]
GREEN_IN_ARREARS_SMS = str(config.GREEN_IN_ARREARS_SMS_ID)
CASEWORKER_SMS = str(config.CASEWORKER_SMS_ID)
CASEWORKER_EMAIL = str(config.CASEWORKER_EMAIL_ID)


def _texts(notify: FakeNotifyAdmin) -> list[dict[str, Any]]:
    return notify.sent(type="sms")


@pytest.fixture
def rent_case(signed_in: SignIn, worktray_cases: WorktrayCases) -> str:
    return worktray_cases(signed_in("rent"), "")[0]


def test_a_text_is_previewed_sent_once_and_confirmed_on_the_case(
    signed_in: SignIn, rent_case: str, notify: FakeNotifyAdmin
) -> None:
    client = signed_in("rent")
    choose = read(client.get(f"/cases/{rent_case}/sms"))
    assert choose.status_code == 200
    assert "Choose a text message template" in choose.heading
    assert {"Green in arrears", "Amber in arrears", "Caseworker text"} <= {
        label.get_text(strip=True) for label in choose.soup.select(".govuk-radios__label")
    }

    form = read(client.get(f"/cases/{rent_case}/sms", params={"template_id": GREEN_IN_ARREARS_SMS}))
    assert form.status_code == 200
    assert "Send a text message" in form.heading
    # The balance comes from the case.
    balance = form.soup.find("input", {"name": "placeholder-1"})
    assert balance is not None
    assert re.fullmatch(r"-?£[\d,]+\.\d\d", str(balance["value"]))

    posted = form.form(f"/cases/{rent_case}/sms/preview") | {
        "recipient": "other",
        "other_recipient": "07700 900321",
    }
    preview = read(client.post(f"/cases/{rent_case}/sms/preview", data=posted))
    assert preview.status_code == 200
    assert preview.heading.endswith("Check the text message")
    message = preview.soup.find(id="message-preview")
    assert message is not None
    assert message.get_text() == (
        f"Your rent account is {balance['value']} in arrears. Please pay as soon as you can. "
        "If you need help, call the income team on 020 8356 3100."
    )
    assert "+447700900321" in preview.text

    # "Send" twice (a double click): the same form, the same key, one text.
    send = preview.form(f"/cases/{rent_case}/sms")
    first = client.post(f"/cases/{rent_case}/sms", data=send)
    second = client.post(f"/cases/{rent_case}/sms", data=send)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert first.headers["location"].startswith(f"/cases/{rent_case}?sent=")
    texts = _texts(notify)
    assert len(texts) == 1
    assert texts[0]["recipient"] == "+447700900321"

    case = read(client.get(first.headers["location"]))
    banner = case.soup.select_one(".govuk-notification-banner")
    assert banner is not None
    assert "Text message sent to +447700900321" in banner.get_text(" ", strip=True)
    status_link = case.links()["See its status"]
    status = read(client.get(status_link))
    assert status.status_code == 200
    assert "Green in arrears" in status.heading
    assert "Your rent account is" in status.text


def test_a_number_that_cannot_take_a_text_is_refused_before_the_preview(
    signed_in: SignIn, rent_case: str, notify: FakeNotifyAdmin
) -> None:
    client = signed_in("rent")
    form = read(client.get(f"/cases/{rent_case}/sms", params={"template_id": CASEWORKER_SMS}))
    posted = form.form(f"/cases/{rent_case}/sms/preview") | {
        "recipient": "other",
        "other_recipient": "020 7946 0001",
        "placeholder-1": "",
    }
    page = read(client.post(f"/cases/{rent_case}/sms/preview", data=posted))
    assert page.status_code == 400
    assert page.title.startswith("Error: ")
    assert page.error_summary == [
        "Not a UK mobile number: UK mobiles start 07.",
        "Enter the message",
    ]
    links = [a["href"] for a in page.soup.select(".govuk-error-summary__list a")]
    assert links == ["#other_recipient", "#placeholder-1"]
    # What was typed stays, and the form keeps its key.
    assert page.form(f"/cases/{rent_case}/sms/preview")["other_recipient"] == "020 7946 0001"
    assert (
        page.form(f"/cases/{rent_case}/sms/preview")["idempotency_key"] == posted["idempotency_key"]
    )
    assert _texts(notify) == []


def test_a_text_refused_by_comms_api_shows_its_reason_on_the_form(
    signed_in: SignIn, rent_case: str, notify: FakeNotifyAdmin
) -> None:
    """The send checks again: a number edited into the preview's form is refused there."""
    client = signed_in("rent")
    form = read(client.get(f"/cases/{rent_case}/sms", params={"template_id": CASEWORKER_SMS}))
    posted = form.form(f"/cases/{rent_case}/sms/preview") | {
        "recipient": "other",
        "other_recipient": "07700 900432",
        "placeholder-1": "Please call us.",
    }
    preview = read(client.post(f"/cases/{rent_case}/sms/preview", data=posted))
    send = preview.form(f"/cases/{rent_case}/sms") | {"other_recipient": "12345"}
    page = read(client.post(f"/cases/{rent_case}/sms", data=send))
    assert page.status_code == 400
    assert page.error_summary == ["Not a UK mobile number."]
    assert _texts(notify) == []


def test_change_goes_back_to_the_form_as_it_was_filled_in(
    signed_in: SignIn, rent_case: str
) -> None:
    client = signed_in("rent")
    form = read(client.get(f"/cases/{rent_case}/sms", params={"template_id": CASEWORKER_SMS}))
    posted = form.form(f"/cases/{rent_case}/sms/preview") | {
        "recipient": "other",
        "other_recipient": "07700 900654",
        "placeholder-1": "Please call the income team.",
    }
    preview = read(client.post(f"/cases/{rent_case}/sms/preview", data=posted))
    again = read(
        client.post(
            f"/cases/{rent_case}/sms",
            data=preview.form(f"/cases/{rent_case}/sms") | {"change": "yes"},
        )
    )
    assert again.status_code == 200
    assert "Send a text message" in again.heading
    values = again.form(f"/cases/{rent_case}/sms/preview")
    assert values["other_recipient"] == "07700 900654"
    assert values["placeholder-1"] == "Please call the income team."
    assert values["idempotency_key"] == posted["idempotency_key"]


def test_an_email_is_previewed_with_its_subject_and_sent_once(
    signed_in: SignIn, worktray_cases: WorktrayCases, notify: FakeNotifyAdmin
) -> None:
    client = signed_in("rent")
    case_ref = worktray_cases(client, "")[1]
    form = read(client.get(f"/cases/{case_ref}/email", params={"template_id": CASEWORKER_EMAIL}))
    assert "Send an email" in form.heading
    posted = form.form(f"/cases/{case_ref}/email/preview") | {
        "recipient": "other",
        "other_recipient": "tenant@example.com",
        "placeholder-1": "Your rent account",
        "placeholder-2": "Please call us about your rent.\nThank you.",
    }
    preview = read(client.post(f"/cases/{case_ref}/email/preview", data=posted))
    assert preview.status_code == 200
    assert "Subject Your rent account" in preview.text
    message = preview.soup.find(id="message-preview")
    assert message is not None
    assert message.get_text() == "Please call us about your rent.\nThank you."

    send = preview.form(f"/cases/{case_ref}/email")
    response = client.post(f"/cases/{case_ref}/email", data=send)
    assert response.status_code == 303
    client.post(f"/cases/{case_ref}/email", data=send)
    emails = notify.sent(type="email")
    assert [(e["recipient"], e["subject"]) for e in emails] == [
        ("tenant@example.com", "Your rent account")
    ]
    banner = read(client.get(response.headers["location"])).soup.select_one(
        ".govuk-notification-banner"
    )
    assert banner is not None
    assert "Email sent to tenant@example.com" in banner.get_text(" ", strip=True)


def test_a_case_s_own_numbers_are_offered(signed_in: SignIn, worktray_cases: WorktrayCases) -> None:
    """UH's mobile numbers for the case, as UH holds them; a landline cannot take a text."""
    client = signed_in("rent")
    for case_ref in worktray_cases(client, ""):
        page = read(client.get(f"/cases/{case_ref}/sms", params={"template_id": CASEWORKER_SMS}))
        offered = [str(radio["value"]) for radio in page.soup.select('input[name="recipient"]')]
        if len(offered) > 1:
            break
    else:
        pytest.fail("no case on the worktray has a mobile number")
    assert offered[-1] == "other"
    assert all(value.startswith("+447") for value in offered[:-1])
    # The first is chosen for you.
    assert page.soup.select('input[name="recipient"]')[0].has_attr("checked")


def test_a_read_only_person_is_not_offered_the_form(signed_in: SignIn, rent_case: str) -> None:
    page = read(signed_in("read-only").get(f"/cases/{rent_case}/sms"))
    assert page.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/cases/{ref}/sms",
        "/cases/{ref}/email",
        "/cases/{ref}/letters/new",
        "/documents",
        "/letters/bulk",
    ],
)
def test_comms_api_down_is_a_clear_503(
    signed_in: SignIn, rent_case: str, comms_network: Any, path: str
) -> None:
    client = signed_in("rent")
    comms_network.down = True
    page = read(client.get(path.format(ref=rent_case)))
    assert page.status_code == 503
    assert page.heading == "Sorry, the service is unavailable"


def test_the_case_page_does_not_need_comms_api(
    signed_in: SignIn, rent_case: str, comms_network: Any
) -> None:
    comms_network.down = True
    page = read(
        signed_in("rent").get(f"/cases/{rent_case}?sent=0b4f1c7e-0000-4000-8000-000000000000")
    )
    assert page.status_code == 200
    assert page.soup.select_one(".govuk-notification-banner") is None
