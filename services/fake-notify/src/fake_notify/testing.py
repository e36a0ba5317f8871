"""For other test suites: run the fake on a free port, and drive its `/_fake/` admin API.

    with running_fake_notify() as base_url:
        client = NotificationsAPIClient(LIVE_API_KEY, base_url=base_url)
        admin = FakeNotifyAdmin(base_url)

The server runs in a thread of the test process; the official client reaches it over real
HTTP, as it would reach Notify.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import httpx
import uvicorn

from fake_notify.config import (
    ApiKeyConfig,
    EmailReplyTo,
    FakeNotifyConfig,
    ServiceConfig,
    SmsSender,
    TeamMember,
    TemplateConfig,
    default_config,
)
from fake_notify.main import create_app
from fake_notify.settings import Settings
from fake_notify.store import Store
from ma_shared.testing import free_port

TRIAL_SERVICE_ID = UUID("11111111-1111-4111-8111-111111111111")
EMAIL_ONLY_SERVICE_ID = UUID("22222222-2222-4222-8222-222222222222")
WORLDWIDE_SERVICE_ID = UUID("33333333-3333-4333-8333-333333333333")
ARCHIVED_SERVICE_ID = UUID("44444444-4444-4444-8444-444444444444")
KEYLESS_SERVICE_ID = UUID("55555555-5555-4555-8555-555555555555")
TRIAL_TEAM_MOBILE = "07700900789"
TRIAL_GUEST_EMAIL = "guest@example.com"
SMS_SENDER_ID = UUID("cccccccc-1111-4111-8111-000000000001")
REPLY_TO_ID = UUID("cccccccc-1111-4111-8111-000000000002")
TRIAL_SMS_ID = UUID("aaaaaaaa-2222-4222-8222-000000000001")
TRIAL_EMAIL_ID = UUID("aaaaaaaa-2222-4222-8222-000000000002")
TRIAL_LETTER_ID = UUID("aaaaaaaa-2222-4222-8222-000000000003")
WORLDWIDE_SMS_ID = UUID("cccccccc-2222-4222-8222-000000000001")
WORLDWIDE_LETTER_ID = UUID("cccccccc-2222-4222-8222-000000000002")

_SECRETS = {
    "trial-live": "aaaaaaaa-0000-4000-8000-000000000001",
    "trial-test": "aaaaaaaa-0000-4000-8000-000000000002",
    "trial-old": "aaaaaaaa-0000-4000-8000-000000000003",
    "email-only": "bbbbbbbb-0000-4000-8000-000000000001",
    "worldwide": "cccccccc-0000-4000-8000-000000000001",
    "archived": "dddddddd-0000-4000-8000-000000000001",
    "no-keys": "eeeeeeee-0000-4000-8000-000000000001",
}
TRIAL_LIVE_KEY = f"trial-live-{TRIAL_SERVICE_ID}-{_SECRETS['trial-live']}"
TRIAL_TEST_KEY = f"trial-test-{TRIAL_SERVICE_ID}-{_SECRETS['trial-test']}"
REVOKED_KEY = f"trial-old-{TRIAL_SERVICE_ID}-{_SECRETS['trial-old']}"
EMAIL_ONLY_KEY = f"email-only-{EMAIL_ONLY_SERVICE_ID}-{_SECRETS['email-only']}"
WORLDWIDE_KEY = f"worldwide-{WORLDWIDE_SERVICE_ID}-{_SECRETS['worldwide']}"
ARCHIVED_KEY = f"archived-{ARCHIVED_SERVICE_ID}-{_SECRETS['archived']}"
KEYLESS_KEY = f"no-keys-{KEYLESS_SERVICE_ID}-{_SECRETS['no-keys']}"


def _live_key(name: str, revoked: bool = False) -> ApiKeyConfig:
    return ApiKeyConfig(name=name, secret=_SECRETS[name], type="live", revoked=revoked)


def rules_config() -> FakeNotifyConfig:
    """The default config plus a service for each rule that needs one: trial mode, a single
    channel, every permission, archived, and no keys."""
    config = default_config()
    config.services += [
        ServiceConfig(
            id=TRIAL_SERVICE_ID,
            name="Trial service",
            restricted=True,
            team_members=[TeamMember(mobile_number=TRIAL_TEAM_MOBILE)],
            guest_list=[TRIAL_GUEST_EMAIL],
            keys=[
                _live_key("trial-live"),
                ApiKeyConfig(name="trial-test", secret=_SECRETS["trial-test"], type="test"),
                _live_key("trial-old", revoked=True),
            ],
            templates=[
                TemplateConfig(id=TRIAL_SMS_ID, type="sms", name="Text", body="Hello"),
                TemplateConfig(
                    id=TRIAL_EMAIL_ID, type="email", name="Email", subject="Hi", body="Hello"
                ),
                TemplateConfig(
                    id=TRIAL_LETTER_ID, type="letter", name="Letter", subject="Hi", body="Hello"
                ),
            ],
        ),
        ServiceConfig(
            id=EMAIL_ONLY_SERVICE_ID,
            name="Email only",
            permissions=["email"],
            keys=[_live_key("email-only")],
        ),
        ServiceConfig(
            id=WORLDWIDE_SERVICE_ID,
            name="Worldwide",
            permissions=[
                "sms",
                "email",
                "letter",
                "international_sms",
                "sms_to_uk_landlines",
                "international_letters",
            ],
            sms_senders=[SmsSender(id=SMS_SENDER_ID, sms_sender="Hackney")],
            email_reply_to=[EmailReplyTo(id=REPLY_TO_ID, email_address="income@example.gov.uk")],
            keys=[_live_key("worldwide")],
            templates=[
                TemplateConfig(id=WORLDWIDE_SMS_ID, type="sms", name="Text", body="((message))"),
                TemplateConfig(
                    id=WORLDWIDE_LETTER_ID, type="letter", name="Letter", subject="Hi", body="Hi"
                ),
            ],
        ),
        ServiceConfig(
            id=ARCHIVED_SERVICE_ID, name="Archived", active=False, keys=[_live_key("archived")]
        ),
        ServiceConfig(id=KEYLESS_SERVICE_ID, name="No keys"),
    ]
    return config


@contextmanager
def running_fake_notify(config: FakeNotifyConfig | None = None) -> Iterator[str]:
    """Serve the fake (the default config unless given one); yield its base URL; stop it."""
    port = free_port()
    app = create_app(Settings(), Store(config or default_config()))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, name="fake-notify", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fake Notify server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class FakeNotifyAdmin:
    """The `/_fake/` admin API; every call raises on a non-2xx answer."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=f"{base_url}/_fake", timeout=10)

    def _call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        response = self.http.request(method, path, json=body, params=params or None)
        response.raise_for_status()
        return response.json() if response.content else None

    def reset(self) -> None:
        self._call("POST", "/reset")

    def sent(self, **filters: Any) -> list[dict[str, Any]]:
        """Stored notifications, newest first: filter by type, reference, key_type, service_id."""
        notifications: list[dict[str, Any]] = self._call("GET", "/notifications", **filters)[
            "notifications"
        ]
        return notifications

    def notification(self, notification_id: str) -> dict[str, Any]:
        notification: dict[str, Any] = self._call("GET", f"/notifications/{notification_id}")
        return notification

    def pdf(self, notification_id: str) -> bytes:
        response = self.http.get(f"/notifications/{notification_id}/pdf")
        response.raise_for_status()
        return response.content

    def force_status(self, notification_id: str, status: str) -> dict[str, Any]:
        notification: dict[str, Any] = self._call(
            "POST", f"/notifications/{notification_id}/status", {"status": status}
        )
        return notification

    def progress(self, notification_id: str | None = None) -> int:
        body = {"notification_id": notification_id} if notification_id else None
        moved: int = self._call("POST", "/progress", body)["progressed"]
        return moved

    def advance_time(self, seconds: float) -> None:
        self._call("POST", "/advance-time", {"seconds": seconds})

    def set_limits(self, **limits: Any) -> dict[str, Any]:
        result: dict[str, Any] = self._call("PUT", "/limits", limits)
        return result

    def set_progression(self, sending_after_seconds: float, final_after_seconds: float) -> None:
        self._call(
            "PUT",
            "/progression",
            {
                "sending_after_seconds": sending_after_seconds,
                "final_after_seconds": final_after_seconds,
            },
        )

    def put_template(self, template_id: str, **template: Any) -> dict[str, Any]:
        saved: dict[str, Any] = self._call("PUT", f"/templates/{template_id}", template)
        return saved

    def add_key(self, service_id: str, **key: Any) -> str:
        api_key: str = self._call("POST", f"/services/{service_id}/keys", key)["api_key"]
        return api_key

    def seed_received_text(self, **text: Any) -> dict[str, Any]:
        seeded: dict[str, Any] = self._call("POST", "/received-texts", text)
        return seeded

    def config(self) -> dict[str, Any]:
        config: dict[str, Any] = self._call("GET", "/config")
        return config
