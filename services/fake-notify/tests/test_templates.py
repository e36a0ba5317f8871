"""Templates: read, versions, previews and the list (B.3, B.7)."""

from __future__ import annotations

from collections.abc import Callable

from notifications_python_client.notifications import NotificationsAPIClient

from fake_notify.config import (
    CASEWORKER_EMAIL_ID,
    CASEWORKER_LETTER_ID,
    GREEN_IN_ARREARS_EMAIL_ID,
    GREEN_IN_ARREARS_SMS_ID,
)
from fake_notify.testing import TRIAL_SMS_ID, FakeNotifyAdmin

Fails = Callable[..., tuple[int, list[dict[str, str]]]]
NOT_FOUND = (404, [{"error": "NoResultFound", "message": "No result found"}])


def test_get_template(live: NotificationsAPIClient) -> None:
    template = live.get_template(str(GREEN_IN_ARREARS_EMAIL_ID))

    assert template == {
        "id": str(GREEN_IN_ARREARS_EMAIL_ID),
        "name": "Green in arrears",
        "type": "email",
        "created_at": "2024-01-01T00:00:00.000000Z",
        "updated_at": None,
        "created_by": "fake-notify@example.gov.uk",
        "version": 1,
        "body": template["body"],
        "subject": "Your rent account is in arrears",
        "personalisation": {"balance": {"required": True}},
        "postage": None,
        "letter_contact_block": None,
    }
    assert "((balance))" in template["body"]


def test_letter_template_has_postage_and_contact_block(live: NotificationsAPIClient) -> None:
    template = live.get_template(str(CASEWORKER_LETTER_ID))

    assert template["postage"] == "second"
    assert template["letter_contact_block"]
    assert template["personalisation"] == {
        "subject": {"required": True},
        "message": {"required": True},
    }


def test_versions_kept_when_a_template_changes(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    saved = admin.put_template(
        str(GREEN_IN_ARREARS_SMS_ID), type="sms", name="Green in arrears", body="Owe ((Balance))"
    )

    assert saved["version"] == 2
    assert saved["updated_at"] is not None
    assert live.get_template(str(GREEN_IN_ARREARS_SMS_ID))["body"] == "Owe ((Balance))"
    assert "((balance))" in live.get_template_version(str(GREEN_IN_ARREARS_SMS_ID), 1)["body"]
    assert live.get_template_version(str(GREEN_IN_ARREARS_SMS_ID), 2)["version"] == 2
    sent = live.send_sms_notification(
        "07700900123", str(GREEN_IN_ARREARS_SMS_ID), {"balance": "£3"}
    )
    assert (sent["template"]["version"], sent["content"]["body"]) == (2, "Owe £3")


def test_template_not_found(live: NotificationsAPIClient, fails: Fails) -> None:
    assert fails(live.get_template, str(TRIAL_SMS_ID)) == NOT_FOUND
    assert fails(live.get_template_version, str(GREEN_IN_ARREARS_SMS_ID), 9) == NOT_FOUND
    assert fails(live.get_template, "nope") == (
        400,
        [{"error": "ValidationError", "message": "id is not a valid UUID"}],
    )


def test_preview(live: NotificationsAPIClient, fails: Fails) -> None:
    preview = live.post_template_preview(
        str(CASEWORKER_EMAIL_ID), {"Subject": "Rent", "message": "Pay\n\nNow"}
    )

    assert preview == {
        "id": str(CASEWORKER_EMAIL_ID),
        "type": "email",
        "version": 1,
        "body": "Pay\n\nNow",
        "html": preview["html"],
        "subject": "Rent",
        "postage": None,
    }
    assert "<p" in preview["html"]
    sms = live.post_template_preview(str(GREEN_IN_ARREARS_SMS_ID), {"balance": "£1"})
    assert (sms["html"], sms["subject"]) == (None, None)
    assert fails(live.post_template_preview, str(CASEWORKER_EMAIL_ID), {"subject": "x"}) == (
        400,
        [{"error": "BadRequestError", "message": "Missing personalisation: message"}],
    )


def test_list_templates_by_type(live: NotificationsAPIClient, fails: Fails) -> None:
    everything = live.get_all_templates()["templates"]
    texts = live.get_all_templates("sms")["templates"]

    assert len(everything) == 6
    assert {t["name"] for t in texts} == {"Green in arrears", "Amber in arrears", "Caseworker text"}
    assert fails(live.get_all_templates, "fax")[1] == [
        {"error": "ValidationError", "message": "type fax is not one of [sms, email, letter]"}
    ]


def test_archived_templates_are_not_listed(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    admin.put_template(
        str(CASEWORKER_EMAIL_ID), type="email", name="x", subject="s", body="b", archived=True
    )

    assert str(CASEWORKER_EMAIL_ID) not in {t["id"] for t in live.get_all_templates()["templates"]}
