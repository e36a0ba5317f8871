"""Per-minute and daily limits, with Notify's 429 bodies (B.4, B.6)."""

from __future__ import annotations

from collections.abc import Callable

from notifications_python_client.notifications import NotificationsAPIClient

from fake_notify.config import CASEWORKER_EMAIL_ID, CASEWORKER_LETTER_ID, CASEWORKER_SMS_ID
from fake_notify.testing import TRIAL_LIVE_KEY, TRIAL_SMS_ID, TRIAL_TEAM_MOBILE, FakeNotifyAdmin

Fails = Callable[..., tuple[int, list[dict[str, str]]]]


def _sms(client: NotificationsAPIClient) -> None:
    client.send_sms_notification("07700900123", str(CASEWORKER_SMS_ID), {"message": "x"})


def test_rate_limit_per_key_type_per_minute(
    live: NotificationsAPIClient,
    test_key: NotificationsAPIClient,
    admin: FakeNotifyAdmin,
    fails: Fails,
) -> None:
    admin.set_limits(per_minute={"live": 2})
    _sms(live)
    _sms(live)

    assert fails(_sms, live) == (
        429,
        [
            {
                "error": "RateLimitError",
                "message": "Exceeded rate limit for key type LIVE of 2 requests per 60 seconds",
            }
        ],
    )
    _sms(test_key)  # another key type has its own bucket
    admin.advance_time(60)
    _sms(live)


def test_rate_limit_comes_before_validation(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin, fails: Fails
) -> None:
    admin.set_limits(per_minute={"live": 1})
    fails(live.send_sms_notification, "nope", str(CASEWORKER_SMS_ID))

    assert fails(live.send_sms_notification, "nope", str(CASEWORKER_SMS_ID))[0] == 429


def test_daily_limit_per_channel(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin, fails: Fails
) -> None:
    admin.set_limits(daily={"sms": 2, "letter": 1})
    _sms(live)
    _sms(live)

    assert fails(_sms, live) == (
        429,
        [{"error": "TooManyRequestsError", "message": "Exceeded send limits (sms: 2) for today"}],
    )
    live.send_email_notification(
        "a@example.com", str(CASEWORKER_EMAIL_ID), {"subject": "s", "message": "m"}
    )
    letter = {
        "address_line_1": "A",
        "address_line_2": "B",
        "address_line_3": "E8 1DY",
        "subject": "s",
        "message": "m",
    }
    live.send_letter_notification(str(CASEWORKER_LETTER_ID), letter)
    assert fails(live.send_letter_notification, str(CASEWORKER_LETTER_ID), letter)[1][0][
        "message"
    ] == ("Exceeded send limits (letter: 1) for today")
    admin.advance_time(24 * 3600)
    _sms(live)


def test_test_keys_count_in_no_daily_allowance(
    test_key: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    admin.set_limits(daily={"sms": 1})

    _sms(test_key)
    _sms(test_key)


def test_trial_mode_daily_limit(
    client_for: Callable[[str], NotificationsAPIClient], admin: FakeNotifyAdmin, fails: Fails
) -> None:
    admin.set_limits(trial_mode_daily=1)
    trial = client_for(TRIAL_LIVE_KEY)
    trial.send_sms_notification(TRIAL_TEAM_MOBILE, str(TRIAL_SMS_ID))

    assert fails(trial.send_sms_notification, TRIAL_TEAM_MOBILE, str(TRIAL_SMS_ID)) == (
        429,
        [{"error": "TooManyRequestsError", "message": "Exceeded send limits (sms: 1) for today"}],
    )
