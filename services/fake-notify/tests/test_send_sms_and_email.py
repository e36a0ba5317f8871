"""Sending texts and emails: response shapes, rendering, and each refusal in Notify's wording."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import httpx
import pytest
from notifications_python_client.authentication import create_jwt_token
from notifications_python_client.notifications import NotificationsAPIClient

from fake_notify.config import (
    AMBER_IN_ARREARS_SMS_ID,
    CASEWORKER_EMAIL_ID,
    CASEWORKER_LETTER_ID,
    CASEWORKER_SMS_ID,
    GREEN_IN_ARREARS_EMAIL_ID,
    GREEN_IN_ARREARS_SMS_ID,
    LIVE_API_KEY,
    TEAM_MEMBER_EMAIL,
    TEAM_MEMBER_MOBILE,
)
from fake_notify.testing import (
    EMAIL_ONLY_KEY,
    REPLY_TO_ID,
    SMS_SENDER_ID,
    TRIAL_EMAIL_ID,
    TRIAL_GUEST_EMAIL,
    TRIAL_LIVE_KEY,
    TRIAL_SMS_ID,
    TRIAL_TEAM_MOBILE,
    WORLDWIDE_KEY,
    WORLDWIDE_SMS_ID,
    FakeNotifyAdmin,
)

Fails = Callable[..., tuple[int, list[dict[str, str]]]]
ClientFor = Callable[[str], NotificationsAPIClient]
MOBILE = "07700 900123"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def bad_request(message: str) -> list[dict[str, str]]:
    return [{"error": "BadRequestError", "message": message}]


def validation(*messages: str) -> list[dict[str, str]]:
    return [{"error": "ValidationError", "message": m} for m in messages]


def test_sms_is_rendered_answered_and_recorded(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin, base_url: str
) -> None:
    sent = live.send_sms_notification(
        MOBILE, str(GREEN_IN_ARREARS_SMS_ID), {"balance": "£120.50"}, reference="tenancy-1"
    )

    assert sent["reference"] == "tenancy-1"
    assert sent["content"]["body"].startswith("Your rent account is £120.50 in arrears.")
    assert sent["content"]["from_number"] == "GOVUK"
    assert sent["uri"] == f"{base_url}/v2/notifications/{sent['id']}"
    assert sent["template"]["id"] == str(GREEN_IN_ARREARS_SMS_ID)
    assert sent["template"]["version"] == 1
    assert sent["scheduled_for"] is None
    [stored] = admin.sent()
    assert stored["id"] == sent["id"]
    assert stored["key_type"] == "live"
    assert stored["recipient"] == MOBILE
    assert stored["normalised_recipient"] == "447700900123"
    assert stored["personalisation"] == {"balance": "£120.50"}
    assert stored["body"] == sent["content"]["body"]


def test_email_response_has_subject_sender_and_sanitised_content(
    live: NotificationsAPIClient,
) -> None:
    sent = live.send_email_notification(
        "Tenant@Example.com",
        str(GREEN_IN_ARREARS_EMAIL_ID),
        {"balance": "£9.99"},
        one_click_unsubscribe_url="https://example.com/unsubscribe",
    )

    assert sent["content"]["subject"] == "Your rent account is in arrears"
    assert sent["content"]["body"].startswith("Your rent account is £9.99 in arrears.")
    assert sent["content"]["from_email"] == "manage.arrears.local@notifications.service.gov.uk"
    assert sent["content"]["one_click_unsubscribe_url"] == "https://example.com/unsubscribe"
    assert sent["sanitised_content"] == {}


def test_sanitise_content_for_escapes_markdown_and_drops_links(
    live: NotificationsAPIClient,
) -> None:
    sent = live.send_email_notification(
        "tenant@example.com",
        str(CASEWORKER_EMAIL_ID),
        {"subject": "Rent", "message": "# pay at https://evil.example now"},
        sanitise_content_for=["message"],
    )

    assert sent["content"]["body"] == "\\# pay at  now"
    assert sent["sanitised_content"] == {
        "message": {
            "unsanitised": "# pay at https://evil.example now",
            "sanitised": "\\# pay at  now",
        }
    }


@pytest.mark.parametrize(
    "key", ["balance", "BALANCE", "Bal ance", "bal_ance", "bal-ance", " balance "]
)
def test_personalisation_keys_ignore_case_spaces_underscores_and_hyphens(
    live: NotificationsAPIClient, key: str
) -> None:
    sent = live.send_sms_notification(MOBILE, str(AMBER_IN_ARREARS_SMS_ID), {key: "£1"})

    assert "£1 in arrears" in sent["content"]["body"]


def test_extra_personalisation_is_ignored_and_numbers_and_lists_render(
    live: NotificationsAPIClient,
) -> None:
    sms = live.send_sms_notification(MOBILE, str(CASEWORKER_SMS_ID), {"message": 42, "extra": "x"})
    listed = live.send_sms_notification(
        MOBILE, str(CASEWORKER_SMS_ID), {"message": ["a", "b", "c"]}
    )
    email = live.send_email_notification(
        "t@example.com", str(CASEWORKER_EMAIL_ID), {"subject": "S", "message": ["a", "b"]}
    )

    assert sms["content"]["body"] == "42"
    assert listed["content"]["body"] == "a, b and c"
    assert email["content"]["body"] == "* a\n* b"


def test_conditional_placeholder_shows_its_text_for_yes(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    admin.put_template(
        "9b0c1d2e-0000-4000-8000-000000000001",
        type="sms",
        name="Conditional",
        body="Hello((late??, you are late)).",
    )

    shown = live.send_sms_notification(
        MOBILE, "9b0c1d2e-0000-4000-8000-000000000001", {"late": "yes"}
    )
    hidden = live.send_sms_notification(
        MOBILE, "9b0c1d2e-0000-4000-8000-000000000001", {"late": "no"}
    )

    assert shown["content"]["body"] == "Hello, you are late."
    assert hidden["content"]["body"] == "Hello."


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        pytest.param(
            {"phone_number": MOBILE},
            validation("template_id is a required property"),
            id="missing template_id",
        ),
        pytest.param(
            {"phone_number": MOBILE, "template_id": str(CASEWORKER_SMS_ID), "colour": "red"},
            validation("Additional properties are not allowed (colour was unexpected)"),
            id="unknown field",
        ),
        pytest.param(
            {"phone_number": MOBILE, "template_id": "nope"},
            validation("template_id is not a valid UUID"),
            id="template_id not a uuid",
        ),
        pytest.param(
            {"phone_number": MOBILE, "template_id": str(CASEWORKER_SMS_ID), "personalisation": 1},
            validation("personalisation 1 is not of type object"),
            id="personalisation not an object",
        ),
        pytest.param(
            {"phone_number": MOBILE, "template_id": str(CASEWORKER_SMS_ID), "sms_sender_id": "x"},
            validation("sms_sender_id is not a valid UUID"),
            id="sms_sender_id not a uuid",
        ),
        pytest.param(
            {"template_id": "nope"},
            validation("template_id is not a valid UUID", "phone_number is a required property"),
            id="every problem listed",
        ),
    ],
)
def test_sms_schema_violations(
    base_url: str, body: dict[str, object], errors: list[dict[str, str]]
) -> None:
    client = NotificationsAPIClient(LIVE_API_KEY, base_url=base_url)

    response = httpx.post(
        f"{base_url}/v2/notifications/sms",
        json=body,
        headers=client.generate_headers(_token(client)),
    )

    assert response.status_code == 400
    assert response.json() == {"status_code": 400, "errors": errors}


def _token(client: NotificationsAPIClient) -> str:
    token: str = create_jwt_token(client.api_key, client.service_id)
    return token


def test_body_that_is_not_json(base_url: str, live: NotificationsAPIClient) -> None:
    response = httpx.post(
        f"{base_url}/v2/notifications/sms",
        content=b"{nope",
        headers=live.generate_headers(_token(live)),
    )

    assert response.json() == {
        "status_code": 400,
        "errors": bad_request("Invalid JSON supplied in POST data"),
    }


def test_reference_over_1000_characters(live: NotificationsAPIClient, fails: Fails) -> None:
    status, errors = fails(
        live.send_sms_notification, MOBILE, str(CASEWORKER_SMS_ID), {"message": "x"}, "r" * 1001
    )

    assert status == 400
    assert errors == validation(f"reference {'r' * 1001} is too long")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("07700 9001234", "phone_number Too many digits"),
        ("07700 9001", "phone_number Not enough digits"),
        ("07700 90012a", "phone_number Must not contain letters or symbols"),
        ("0770*900123", "phone_number Must not contain letters or symbols"),
        ("000 7700 900123", "phone_number Not a valid country prefix"),
        (
            "05700 900123",
            "phone_number Number is not valid – double check the phone number you entered",  # noqa: RUF001
        ),
    ],
)
def test_bad_phone_numbers(
    live: NotificationsAPIClient, fails: Fails, number: str, message: str
) -> None:
    status, errors = fails(
        live.send_sms_notification, number, str(CASEWORKER_SMS_ID), {"message": "x"}
    )

    assert status == 400
    assert errors == validation(message)


@pytest.mark.parametrize(
    "number",
    [
        "07700900123",
        "+447700900123",
        "447700900123",
        "0044 7700 900123",
        "7700900123",
        "+44 (0)7700 900-123",
    ],
)
def test_uk_mobile_written_any_usual_way(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin, number: str
) -> None:
    live.send_sms_notification(number, str(CASEWORKER_SMS_ID), {"message": "x"})

    assert admin.sent()[0]["normalised_recipient"] == "447700900123"


def test_landline_needs_the_permission(
    live: NotificationsAPIClient, client_for: ClientFor, fails: Fails
) -> None:
    status, errors = fails(
        live.send_sms_notification, "020 8356 3100", str(CASEWORKER_SMS_ID), {"message": "x"}
    )

    assert (status, errors) == (
        400,
        [{"error": "InvalidPhoneError", "message": "Not a UK mobile number"}],
    )
    client_for(WORLDWIDE_KEY).send_sms_notification(
        "020 8356 3100", str(WORLDWIDE_SMS_ID), {"message": "x"}
    )


def test_international_number_needs_the_permission(
    live: NotificationsAPIClient, client_for: ClientFor, fails: Fails
) -> None:
    status, errors = fails(
        live.send_sms_notification, "+1 202 555 0123", str(CASEWORKER_SMS_ID), {"message": "x"}
    )

    assert (status, errors) == (400, bad_request("Cannot send to international mobile numbers"))
    client_for(WORLDWIDE_KEY).send_sms_notification(
        "+1 202 555 0123", str(WORLDWIDE_SMS_ID), {"message": "x"}
    )


@pytest.mark.parametrize(
    "address",
    ["not-an-email", "a@b", "a..b@example.com", "a@example.c", "a b@example.com", "a@-example.com"],
)
def test_bad_email_addresses(live: NotificationsAPIClient, fails: Fails, address: str) -> None:
    status, errors = fails(
        live.send_email_notification,
        address,
        str(CASEWORKER_EMAIL_ID),
        {"subject": "s", "message": "m"},
    )

    assert (status, errors) == (400, validation("email_address Not a valid email address"))


def test_template_errors(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin, fails: Fails
) -> None:
    admin.put_template(
        str(CASEWORKER_SMS_ID), type="sms", name="Old", body="((message))", archived=True
    )

    assert fails(live.send_sms_notification, MOBILE, str(TRIAL_SMS_ID)) == (
        400,
        bad_request("Template not found"),
    )
    assert fails(live.send_sms_notification, MOBILE, str(CASEWORKER_EMAIL_ID)) == (
        400,
        bad_request("email template is not suitable for sms notification"),
    )
    assert fails(live.send_email_notification, "a@example.com", str(CASEWORKER_LETTER_ID)) == (
        400,
        bad_request("letter template is not suitable for email notification"),
    )
    assert fails(live.send_sms_notification, MOBILE, str(CASEWORKER_SMS_ID), {"message": "x"}) == (
        400,
        bad_request("Template has been deleted"),
    )


def test_missing_personalisation_lists_every_placeholder(
    live: NotificationsAPIClient, fails: Fails
) -> None:
    assert fails(
        live.send_email_notification, "a@example.com", str(CASEWORKER_EMAIL_ID), {"message": None}
    ) == (
        400,
        bad_request("Missing personalisation: subject, message"),
    )


def test_sms_too_long_and_empty(live: NotificationsAPIClient, fails: Fails) -> None:
    assert fails(
        live.send_sms_notification, MOBILE, str(CASEWORKER_SMS_ID), {"message": "x" * 919}
    ) == (
        400,
        bad_request(
            "Your message is too long. Text messages cannot be longer than 918 characters. "
            "Your message is 919 characters long."
        ),
    )
    assert fails(live.send_sms_notification, MOBILE, str(CASEWORKER_SMS_ID), {"message": "  "}) == (
        400,
        bad_request("Your message is empty."),
    )
    live.send_sms_notification(MOBILE, str(CASEWORKER_SMS_ID), {"message": "x" * 918})


def test_service_without_the_channel(client_for: ClientFor, fails: Fails) -> None:
    client = client_for(EMAIL_ONLY_KEY)

    assert fails(client.send_sms_notification, MOBILE, str(CASEWORKER_SMS_ID)) == (
        400,
        bad_request("Service is not allowed to send text messages"),
    )


def test_team_key_sends_only_to_the_team_and_guest_list(
    team: NotificationsAPIClient, fails: Fails
) -> None:
    team.send_sms_notification(TEAM_MEMBER_MOBILE, str(CASEWORKER_SMS_ID), {"message": "x"})
    team.send_email_notification(
        TEAM_MEMBER_EMAIL.upper(), str(CASEWORKER_EMAIL_ID), {"subject": "s", "message": "m"}
    )

    assert fails(team.send_sms_notification, MOBILE, str(CASEWORKER_SMS_ID), {"message": "x"}) == (
        400,
        bad_request("Can’t send to this recipient using a team-only API key"),  # noqa: RUF001
    )


def test_trial_mode_live_key_sends_only_to_the_team_and_guest_list(
    client_for: ClientFor, fails: Fails
) -> None:
    trial = client_for(TRIAL_LIVE_KEY)
    trial.send_sms_notification(TRIAL_TEAM_MOBILE, str(TRIAL_SMS_ID))
    trial.send_email_notification(TRIAL_GUEST_EMAIL, str(TRIAL_EMAIL_ID))

    assert fails(trial.send_sms_notification, MOBILE, str(TRIAL_SMS_ID)) == (
        400,
        bad_request(
            "Can’t send to this recipient when service is in trial mode – see "  # noqa: RUF001
            "https://www.notifications.service.gov.uk/trial-mode"
        ),
    )


def test_test_key_sends_to_anyone(test_key: NotificationsAPIClient, admin: FakeNotifyAdmin) -> None:
    test_key.send_sms_notification(MOBILE, str(CASEWORKER_SMS_ID), {"message": "x"})

    assert admin.sent()[0]["key_type"] == "test"


def test_sender_ids(client_for: ClientFor, live: NotificationsAPIClient, fails: Fails) -> None:
    worldwide = client_for(WORLDWIDE_KEY)
    sent = worldwide.send_sms_notification(
        MOBILE, str(WORLDWIDE_SMS_ID), {"message": "x"}, sms_sender_id=str(SMS_SENDER_ID)
    )
    unknown = "00000000-0000-4000-8000-000000000000"

    assert sent["content"]["from_number"] == "Hackney"
    _, errors = fails(
        live.send_sms_notification,
        MOBILE,
        str(CASEWORKER_SMS_ID),
        {"message": "x"},
        sms_sender_id=unknown,
    )
    assert errors == bad_request(
        f"sms_sender_id {unknown} does not exist in database for service id {live.service_id}"
    )
    _, errors = fails(
        live.send_email_notification,
        "a@example.com",
        str(CASEWORKER_EMAIL_ID),
        {"subject": "s", "message": "m"},
        email_reply_to_id=str(REPLY_TO_ID),
    )
    assert errors == bad_request(
        f"email_reply_to_id {REPLY_TO_ID} does not exist in database for service id "
        f"{live.service_id}"
    )


@pytest.mark.parametrize(
    ("send", "recipient"),
    [
        ("sms", "07700900000"),
        ("sms", "+447700900111"),
        ("sms", "07700 900222"),
        ("email", "simulate-delivered@notifications.service.gov.uk"),
        ("email", "simulate-delivered-2@notifications.service.gov.uk"),
        ("email", "simulate-delivered-3@notifications.service.gov.uk"),
    ],
)
def test_smoke_test_recipients_are_answered_but_never_stored(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin, fails: Fails, send: str, recipient: str
) -> None:
    if send == "sms":
        sent = live.send_sms_notification(recipient, str(CASEWORKER_SMS_ID), {"message": "x"})
    else:
        sent = live.send_email_notification(
            recipient, str(CASEWORKER_EMAIL_ID), {"subject": "s", "message": "m"}
        )

    assert sent["id"]
    assert admin.sent() == []
    assert live.get_all_notifications()["notifications"] == []
    assert fails(live.get_notification_by_id, sent["id"]) == (
        404,
        [{"error": "NoResultFound", "message": "No result found"}],
    )


def test_scheduled_for_is_echoed(live: NotificationsAPIClient, base_url: str) -> None:
    when = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).replace(microsecond=0)
    response = httpx.post(
        f"{base_url}/v2/notifications/sms",
        json={
            "phone_number": MOBILE,
            "template_id": str(CASEWORKER_SMS_ID),
            "personalisation": {"message": "x"},
            "scheduled_for": when.isoformat(),
        },
        headers=live.generate_headers(_token(live)),
    )

    assert response.status_code == 201
    assert response.json()["scheduled_for"] == when.strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def test_timestamps_use_notifys_format(live: NotificationsAPIClient) -> None:
    sent = live.send_sms_notification(MOBILE, str(CASEWORKER_SMS_ID), {"message": "x"})

    assert TIMESTAMP.match(live.get_notification_by_id(sent["id"])["created_at"])
