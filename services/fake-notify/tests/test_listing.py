"""`GET /v2/notifications` and received texts: filters, order, pages and links (B.3, B.11.7)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from notifications_python_client.notifications import NotificationsAPIClient

from fake_notify.config import (
    CASEWORKER_EMAIL_ID,
    CASEWORKER_LETTER_ID,
    CASEWORKER_SMS_ID,
    DEFAULT_SERVICE_ID,
)
from fake_notify.domain.statuses import LIST_FILTER_STATUSES
from fake_notify.testing import TRIAL_SERVICE_ID, FakeNotifyAdmin

Fails = Callable[..., tuple[int, list[dict[str, str]]]]


def _sms(client: NotificationsAPIClient, reference: str | None = None) -> str:
    sent_id: str = client.send_sms_notification(
        "07700900123", str(CASEWORKER_SMS_ID), {"message": "x"}, reference=reference
    )["id"]
    return sent_id


def _email(client: NotificationsAPIClient) -> str:
    sent_id: str = client.send_email_notification(
        "a@example.com", str(CASEWORKER_EMAIL_ID), {"subject": "s", "message": "m"}
    )["id"]
    return sent_id


def _ids(page: dict[str, list[dict[str, str]]]) -> list[str]:
    return [n["id"] for n in page["notifications"]]


def test_newest_first_and_only_the_callers_key_type(
    live: NotificationsAPIClient, test_key: NotificationsAPIClient, team: NotificationsAPIClient
) -> None:
    first, second = _sms(live), _sms(live)
    test_id = _sms(test_key)

    assert _ids(live.get_all_notifications()) == [second, first]
    assert _ids(test_key.get_all_notifications()) == [test_id]
    assert _ids(team.get_all_notifications()) == []
    # By id, key type does not matter.
    assert test_key.get_notification_by_id(first)["id"] == first


def test_filters(live: NotificationsAPIClient, admin: FakeNotifyAdmin) -> None:
    sms = _sms(live, reference="tenancy-1")
    email = _email(live)
    letter = live.send_letter_notification(
        str(CASEWORKER_LETTER_ID),
        {
            "address_line_1": "A",
            "address_line_2": "B",
            "address_line_3": "E8 1DY",
            "subject": "s",
            "message": "m",
        },
    )["id"]
    failed_sms = _sms(live)
    admin.progress(sms)
    admin.force_status(failed_sms, "technical-failure")

    assert _ids(live.get_all_notifications(template_type="email")) == [email]
    assert _ids(live.get_all_notifications(reference="tenancy-1")) == [sms]
    assert _ids(live.get_all_notifications(status="delivered")) == [sms]
    assert _ids(live.get_all_notifications(status="failed")) == [failed_sms]
    # Notify expands the letter words for every type: "accepted" is created or sending.
    assert _ids(live.get_all_notifications(status="accepted")) == [letter, email]
    assert _ids(live.get_all_notifications(status="created")) == [letter, email]
    admin.progress(letter)
    assert _ids(live.get_all_notifications(status="received")) == [letter, sms]


def test_links_and_pages(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin, base_url: str
) -> None:
    admin.set_limits(page_size=2)
    ids = [_sms(live, reference="r") for _ in range(3)]

    page = live.get_all_notifications(reference="r")
    assert _ids(page) == [ids[2], ids[1]]
    assert page["links"]["current"] == f"{base_url}/v2/notifications?reference=r"
    assert page["links"]["next"] == f"{base_url}/v2/notifications?reference=r&older_than={ids[1]}"
    rest = live.get_all_notifications(reference="r", older_than=ids[1])
    assert _ids(rest) == [ids[0]]
    assert (
        rest["links"]["current"] == f"{base_url}/v2/notifications?reference=r&older_than={ids[1]}"
    )
    last = live.get_all_notifications(reference="r", older_than=ids[0])
    assert last["notifications"] == []
    assert "next" not in last["links"]


def test_iterator_walks_every_page_and_stops(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    admin.set_limits(page_size=2)
    ids = [_sms(live) for _ in range(5)]

    assert [n["id"] for n in live.get_all_notifications_iterator()] == ids[::-1]
    assert list(live.get_all_notifications_iterator(template_type="letter")) == []


def test_unknown_older_than_matches_nothing(live: NotificationsAPIClient) -> None:
    _sms(live)

    assert (
        live.get_all_notifications(older_than="00000000-0000-4000-8000-000000000000")[
            "notifications"
        ]
        == []
    )


def test_invalid_filters(live: NotificationsAPIClient, fails: Fails) -> None:
    assert fails(live.get_all_notifications, status="lost") == (
        400,
        [
            {
                "error": "ValidationError",
                "message": f"status lost is not one of [{', '.join(LIST_FILTER_STATUSES)}]",
            }
        ],
    )
    assert fails(live.get_all_notifications, template_type="fax")[1] == [
        {
            "error": "ValidationError",
            "message": "template_type fax is not one of [sms, email, letter]",
        }
    ]
    assert fails(live.get_all_notifications, older_than="nope")[1] == [
        {"error": "ValidationError", "message": "older_than is not a valid UUID"}
    ]
    assert fails(live.get, "/v2/notifications", params={"colour": "red"})[1] == [
        {
            "error": "ValidationError",
            "message": "Additional properties are not allowed (colour was unexpected)",
        }
    ]


def test_get_by_id_errors(
    live: NotificationsAPIClient, client_for: Callable[[str], NotificationsAPIClient], fails: Fails
) -> None:
    assert fails(live.get_notification_by_id, "nope") == (
        400,
        [{"error": "ValidationError", "message": "notification_id is not a valid UUID"}],
    )
    assert fails(live.get_notification_by_id, "00000000-0000-4000-8000-000000000000") == (
        404,
        [{"error": "NoResultFound", "message": "No result found"}],
    )


@pytest.mark.parametrize("page_size", [250, 2])
def test_received_texts(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin, page_size: int
) -> None:
    admin.set_limits(page_size=page_size)
    seeded = [
        admin.seed_received_text(
            service_id=str(DEFAULT_SERVICE_ID), user_number="447700900123", content=f"text {n}"
        )
        for n in range(3)
    ]
    admin.seed_received_text(
        service_id=str(TRIAL_SERVICE_ID), user_number="447700900123", content="other"
    )

    texts = list(live.get_received_texts_iterator())

    assert [t["content"] for t in texts] == ["text 2", "text 1", "text 0"]
    assert texts[0] == seeded[2]
    assert set(texts[0]) == {
        "id",
        "user_number",
        "notify_number",
        "created_at",
        "service_id",
        "content",
    }
    assert live.get_received_texts()["links"]["next"].endswith(
        f"older_than={seeded[max(0, 3 - page_size)]['id']}"
    )
