"""Status progression: deterministic, driven by the fake's clock or on demand (B.5, B.6)."""

from __future__ import annotations

import io

import pytest
from notifications_python_client.notifications import NotificationsAPIClient
from pypdf import PdfWriter

from fake_notify.config import CASEWORKER_EMAIL_ID, CASEWORKER_LETTER_ID, CASEWORKER_SMS_ID
from fake_notify.testing import FakeNotifyAdmin

LETTER_ADDRESS = {
    "address_line_1": "Flat 1",
    "address_line_2": "1 Hillman Street",
    "address_line_3": "E8 1DY",
    "subject": "s",
    "message": "m",
}


def _sms(client: NotificationsAPIClient, number: str = "07700900123") -> str:
    sent_id: str = client.send_sms_notification(number, str(CASEWORKER_SMS_ID), {"message": "x"})[
        "id"
    ]
    return sent_id


def _email(client: NotificationsAPIClient, address: str) -> str:
    sent_id: str = client.send_email_notification(
        address, str(CASEWORKER_EMAIL_ID), {"subject": "s", "message": "m"}
    )["id"]
    return sent_id


def test_sms_moves_created_sending_delivered_with_the_clock(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    sent_id = _sms(live)

    first = live.get_notification_by_id(sent_id)
    assert (first["status"], first["sent_at"], first["completed_at"]) == ("created", None, None)
    admin.advance_time(1)
    sending = live.get_notification_by_id(sent_id)
    assert sending["status"] == "sending"
    assert sending["sent_at"] is not None
    assert sending["completed_at"] is None
    admin.advance_time(4)
    delivered = live.get_notification_by_id(sent_id)
    assert delivered["status"] == "delivered"
    assert delivered["completed_at"] is not None
    assert delivered["is_cost_data_ready"] is True


def test_configured_delays(live: NotificationsAPIClient, admin: FakeNotifyAdmin) -> None:
    admin.set_progression(sending_after_seconds=10, final_after_seconds=20)
    sent_id = _sms(live)

    admin.advance_time(9)
    assert live.get_notification_by_id(sent_id)["status"] == "created"
    admin.advance_time(1)
    assert live.get_notification_by_id(sent_id)["status"] == "sending"
    admin.advance_time(10)
    assert live.get_notification_by_id(sent_id)["status"] == "delivered"


def test_progress_on_demand(live: NotificationsAPIClient, admin: FakeNotifyAdmin) -> None:
    first, second = _sms(live), _sms(live)

    assert admin.progress(first) == 1
    assert live.get_notification_by_id(first)["status"] == "delivered"
    assert live.get_notification_by_id(second)["status"] == "created"
    assert admin.progress() == 1
    assert live.get_notification_by_id(second)["status"] == "delivered"


@pytest.mark.parametrize(
    ("recipient", "outcome"),
    [
        ("07700900003", "temporary-failure"),
        ("07700900002", "permanent-failure"),
        ("07700900123", "delivered"),
        ("temp-fail@simulator.notify", "temporary-failure"),
        ("perm-fail@simulator.notify", "permanent-failure"),
        ("tenant@example.com", "delivered"),
    ],
)
def test_test_key_failure_recipients(
    test_key: NotificationsAPIClient, admin: FakeNotifyAdmin, recipient: str, outcome: str
) -> None:
    sent_id = _email(test_key, recipient) if "@" in recipient else _sms(test_key, recipient)

    admin.progress()

    read = test_key.get_notification_by_id(sent_id)
    assert read["status"] == outcome
    assert read["completed_at"] is not None


def test_failure_numbers_are_only_for_test_keys(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    sent_id = _sms(live, "07700900003")
    admin.progress()

    assert live.get_notification_by_id(sent_id)["status"] == "delivered"


def test_letter_reads_accepted_then_received(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    sent_id = live.send_letter_notification(str(CASEWORKER_LETTER_ID), LETTER_ADDRESS)["id"]

    assert live.get_notification_by_id(sent_id)["status"] == "accepted"
    admin.advance_time(1)
    assert live.get_notification_by_id(sent_id)["status"] == "accepted"
    assert admin.notification(sent_id)["status"] == "sending"
    admin.advance_time(4)
    assert live.get_notification_by_id(sent_id)["status"] == "received"


def test_test_key_letter_goes_straight_to_received(
    test_key: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    sent_id = test_key.send_letter_notification(str(CASEWORKER_LETTER_ID), LETTER_ADDRESS)["id"]

    admin.advance_time(1)

    assert test_key.get_notification_by_id(sent_id)["status"] == "received"


def test_precompiled_letter_from_pending_to_received(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    pdf = io.BytesIO()
    writer.write(pdf)
    sent_id = live.send_precompiled_letter_notification("doc", io.BytesIO(pdf.getvalue()))["id"]

    seen = [live.get_notification_by_id(sent_id)["status"]]
    for _ in range(2):
        admin.advance_time(2.5)
        seen.append(live.get_notification_by_id(sent_id)["status"])

    assert seen == ["pending-virus-check", "accepted", "received"]


@pytest.mark.parametrize(
    "status",
    [
        "technical-failure",
        "permanent-failure",
        "temporary-failure",
        "cancelled",
        "virus-scan-failed",
        "validation-failed",
    ],
)
def test_forced_status_is_final_and_stays(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin, status: str
) -> None:
    sent_id = _sms(live)

    admin.force_status(sent_id, status)
    admin.progress()
    admin.advance_time(60)

    read = live.get_notification_by_id(sent_id)
    assert read["status"] == status
    assert read["completed_at"] is not None


def test_forcing_a_non_final_status_clears_completed_at(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    sent_id = _sms(live)
    admin.progress()

    admin.force_status(sent_id, "sending")

    read = live.get_notification_by_id(sent_id)
    assert (read["status"], read["completed_at"]) == ("sending", None)


def test_retention_drops_notifications_after_seven_days(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    sent_id = _sms(live)

    admin.advance_time(7 * 24 * 3600 + 1)

    assert live.get_all_notifications()["notifications"] == []
    assert admin.sent() == []
    assert sent_id
