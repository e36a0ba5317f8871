"""The `/_fake/` admin API, and the server as `make run` starts it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from fake_notify.config import (
    CASEWORKER_SMS_ID,
    DEFAULT_SERVICE_ID,
    LIVE_API_KEY,
    TEAM_API_KEY,
    TEST_API_KEY,
    default_config,
)
from fake_notify.testing import FakeNotifyAdmin


def _sms(client: NotificationsAPIClient, reference: str | None = None) -> str:
    sent_id: str = client.send_sms_notification(
        "07700900123", str(CASEWORKER_SMS_ID), {"Message": "hello"}, reference=reference
    )["id"]
    return sent_id


def test_list_filter_and_inspect(
    live: NotificationsAPIClient, test_key: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    live_id = _sms(live, reference="a")
    test_id = _sms(test_key, reference="b")

    assert [n["id"] for n in admin.sent()] == [test_id, live_id]
    assert [n["id"] for n in admin.sent(key_type="live")] == [live_id]
    assert [n["id"] for n in admin.sent(reference="b")] == [test_id]
    assert admin.sent(type="email") == []
    inspected = admin.notification(live_id)
    assert inspected["personalisation"] == {"Message": "hello"}
    assert inspected["body"] == "hello"
    assert inspected["api_key_name"] == "manage-arrears-local-live"
    assert inspected["template_id"] == str(CASEWORKER_SMS_ID)


def test_reset_forgets_everything_and_restores_the_config(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    _sms(live)
    admin.put_template(str(CASEWORKER_SMS_ID), type="sms", name="Changed", body="x")
    admin.set_limits(page_size=1)

    admin.reset()

    assert admin.sent() == []
    assert live.get_template(str(CASEWORKER_SMS_ID))["version"] == 1
    assert admin.config()["page_size"] == 250


def test_unknown_notification_and_bad_bodies(base_url: str, admin: FakeNotifyAdmin) -> None:
    unknown = httpx.get(f"{base_url}/_fake/notifications/00000000-0000-4000-8000-000000000000")
    bad_status = httpx.post(
        f"{base_url}/_fake/notifications/00000000-0000-4000-8000-000000000000/status",
        json={"status": "lost"},
    )

    assert unknown.status_code == 404
    assert unknown.json()["result"] == "error"
    assert bad_status.status_code == 400


def test_added_keys_work_and_revoked_ones_do_not(
    client_for: Callable[[str], NotificationsAPIClient], admin: FakeNotifyAdmin
) -> None:
    key = admin.add_key(str(DEFAULT_SERVICE_ID), name="extra", type="team")
    revoked = admin.add_key(str(DEFAULT_SERVICE_ID), name="old", type="live", revoked=True)

    assert client_for(key).get_all_templates()["templates"]
    with pytest.raises(HTTPError, match="API key revoked"):
        client_for(revoked).get_all_templates()


def test_config_shows_ready_made_keys(admin: FakeNotifyAdmin) -> None:
    [service] = [s for s in admin.config()["services"] if s["id"] == str(DEFAULT_SERVICE_ID)]

    assert set(service["api_keys"].values()) == {TEST_API_KEY, TEAM_API_KEY, LIVE_API_KEY}
    assert len(service["templates"]) == 6


def test_unknown_paths_are_json_404s(base_url: str) -> None:
    response = httpx.get(f"{base_url}/v2/nothing-here")

    assert response.status_code == 404
    assert response.json()["result"] == "error"


def test_served_by_python_dash_m_with_a_config_file(tmp_path: Path) -> None:
    config = default_config()
    config.page_size = 1
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config.model_dump(mode="json")), encoding="utf-8")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PORT": str(port), "FAKE_NOTIFY_CONFIG": str(path), "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [sys.executable, "-m", "fake_notify.main"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base_url}/api/v1/healthcheck/ping").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "fake-notify did not start"
            time.sleep(0.1)
        client = NotificationsAPIClient(LIVE_API_KEY, base_url=base_url)
        _sms(client)
        _sms(client)
        assert len(client.get_all_notifications()["notifications"]) == 1
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_put_service_adds_a_working_service(
    client_for: Callable[[str], NotificationsAPIClient], base_url: str
) -> None:
    service_id = "66666666-6666-4666-8666-666666666666"
    response = httpx.put(
        f"{base_url}/_fake/services/{service_id}",
        json={
            "id": service_id,
            "name": "Added",
            "keys": [
                {"name": "added", "secret": "ffffffff-0000-4000-8000-000000000001", "type": "live"}
            ],
            "templates": [
                {
                    "id": "ffffffff-1111-4111-8111-000000000001",
                    "type": "sms",
                    "name": "T",
                    "body": "Hi",
                }
            ],
        },
    )
    client = client_for(response.json()["added"])

    sent = client.send_sms_notification("07700900123", "ffffffff-1111-4111-8111-000000000001")

    assert sent["content"]["body"] == "Hi"
