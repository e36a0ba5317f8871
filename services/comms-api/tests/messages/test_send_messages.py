"""Sending texts and emails through the fake Notify with the official client: validated
before anything goes out, exactly once per Idempotency-Key, kept and retried while Notify is
unavailable, and never sent twice after a crash mid-send."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, update

from comms_api.gateways.tables import diary_entries, messages
from comms_api.use_cases.messages import recover_in_flight, retry_due, track_deliveries
from fake_notify.config import (
    CASEWORKER_EMAIL_ID,
    CASEWORKER_SMS_ID,
    GREEN_IN_ARREARS_EMAIL_ID,
    GREEN_IN_ARREARS_SMS_ID,
)
from fake_notify.testing import FakeNotifyAdmin


def _sms(**body: Any) -> dict[str, Any]:
    return {
        "template_id": str(GREEN_IN_ARREARS_SMS_ID),
        "phone_number": "07700 900123",
        "personalisation": {"balance": "£312.50"},
        "tenancy_ref": "012345/01",
    } | body


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_a_text_is_sent_with_its_reference_and_recorded(
    client: TestClient, caseworker: dict[str, str], notify: FakeNotifyAdmin
) -> None:
    key = _key()
    response = client.post("/api/v1/messages/sms", json=_sms(), headers=caseworker | key)

    assert response.status_code == 201, response.text
    message = response.json()
    assert message["status"] == "sent"
    assert message["recipient"] == "+447700900123"
    assert "£312.50" in message["body"]
    assert message["sent_by"] == "Rita Rent"
    sent = notify.sent()
    assert len(sent) == 1
    assert sent[0]["id"] == message["notify_id"]
    assert sent[0]["reference"] == key["Idempotency-Key"]
    assert client.get(f"/api/v1/messages/{message['id']}", headers=caseworker).json() == message


def test_the_same_key_again_sends_nothing_more(
    client: TestClient, caseworker: dict[str, str], notify: FakeNotifyAdmin
) -> None:
    key = _key()
    first = client.post("/api/v1/messages/sms", json=_sms(), headers=caseworker | key)
    again = client.post("/api/v1/messages/sms", json=_sms(), headers=caseworker | key)

    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert len(notify.sent()) == 1
    reused = client.post(
        "/api/v1/messages/sms", json=_sms(phone_number="07700 900999"), headers=caseworker | key
    )
    assert reused.status_code == 409
    assert reused.json()["error"]["code"] == "idempotency_key_reused"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"phone_number": "020 7946 0001"}, "phone_number", id="a landline"),
        pytest.param({"phone_number": "07700 9001"}, "phone_number", id="too short"),
        pytest.param({"template_id": str(uuid.uuid4())}, "template_id", id="unknown template"),
        pytest.param(
            {"template_id": str(GREEN_IN_ARREARS_EMAIL_ID)}, "template_id", id="an email template"
        ),
        pytest.param({"personalisation": {}}, "personalisation.balance", id="missing balance"),
        pytest.param({"tenancy_ref": "12345"}, "tenancy_ref", id="bad tenancy ref"),
        pytest.param({"colour": "red"}, "colour", id="unknown field"),
    ],
)
def test_a_bad_text_is_refused_and_nothing_is_sent(
    client: TestClient,
    caseworker: dict[str, str],
    notify: FakeNotifyAdmin,
    body: dict[str, Any],
    field: str,
) -> None:
    response = client.post("/api/v1/messages/sms", json=_sms(**body), headers=caseworker | _key())
    assert response.status_code == 422, response.text
    assert field in {d["field"] for d in response.json()["error"]["details"]} or field in (
        response.text
    )
    assert notify.sent() == []


def test_an_email_is_sent_with_personalisation(
    client: TestClient, caseworker: dict[str, str], notify: FakeNotifyAdmin
) -> None:
    response = client.post(
        "/api/v1/messages/email",
        json={
            "template_id": str(CASEWORKER_EMAIL_ID),
            "email_address": "tenant@example.com",
            "personalisation": {"subject": "Your rent account", "message": "Please call us."},
        },
        headers=caseworker | _key(),
    )
    assert response.status_code == 201, response.text
    sent = notify.sent()
    assert [(s["recipient"], s["subject"]) for s in sent] == [
        ("tenant@example.com", "Your rent account")
    ]
    bad = client.post(
        "/api/v1/messages/email",
        json={"template_id": str(CASEWORKER_EMAIL_ID), "email_address": "not-an-address"},
        headers=caseworker | _key(),
    )
    assert bad.status_code == 422


def test_while_notify_is_down_the_text_is_kept_and_sent_once_when_it_is_back(
    app: FastAPI, client: TestClient, caseworker: dict[str, str], notify: FakeNotifyAdmin
) -> None:
    client.get("/api/v1/templates", headers=caseworker)  # templates cached, as in service
    # Notify turning requests away (its per-minute limit spent) is one way of being down.
    notify.set_limits(per_minute={"live": 0, "team": 0, "test": 0})
    queued = client.post("/api/v1/messages/sms", json=_sms(), headers=caseworker | _key())
    notify.reset()

    assert queued.status_code == 202, queued.text
    assert queued.json()["status"] == "accepted"
    assert queued.json()["error"]
    assert notify.sent() == []
    engine, gateway = app.state.engine, app.state.notify
    with engine.begin() as conn:
        conn.execute(update(messages).values(next_attempt_at=dt.datetime.now(tz=dt.UTC)))
    assert retry_due(engine, gateway, app.state.documents) == 1
    assert retry_due(engine, gateway, app.state.documents) == 0
    assert len(notify.sent()) == 1
    assert (
        client.get(f"/api/v1/messages/{queued.json()['id']}", headers=caseworker).json()["status"]
        == "sent"
    )


def test_after_a_crash_mid_send_notify_is_asked_before_sending_again(
    app: FastAPI, client: TestClient, caseworker: dict[str, str], notify: FakeNotifyAdmin
) -> None:
    sent = client.post("/api/v1/messages/sms", json=_sms(), headers=caseworker | _key()).json()
    lost = client.post(
        "/api/v1/messages/sms", json=_sms(phone_number="07700 900777"), headers=caseworker | _key()
    ).json()
    engine = app.state.engine
    an_hour_ago = dt.datetime.now(tz=dt.UTC) - dt.timedelta(hours=1)
    with engine.begin() as conn:
        # The process stopped after both reached Notify and before either was recorded: no
        # Notify id stored, no diary entry owed yet.
        conn.execute(delete(diary_entries))
        conn.execute(
            update(messages)
            .where(messages.c.id == sent["id"])
            .values(status="sending", notify_id=None, updated_at=an_hour_ago)
        )
        conn.execute(
            update(messages)
            .where(messages.c.id == lost["id"])
            .values(status="sending", notify_id=None, updated_at=an_hour_ago)
        )
    notify_ids_before = {s["id"] for s in notify.sent()}

    assert recover_in_flight(engine, app.state.notify, dt.timedelta(minutes=2)) == 2
    retry_due(engine, app.state.notify, app.state.documents)

    after = {s["id"] for s in notify.sent()}
    recovered = client.get(f"/api/v1/messages/{sent['id']}", headers=caseworker).json()
    assert recovered["status"] == "sent"
    assert recovered["notify_id"] == sent["notify_id"], "found at Notify, not sent again"
    assert len(after - notify_ids_before) == 0, "both had reached Notify before the crash"


def test_notify_refusing_a_message_is_recorded_as_failed(
    client: TestClient, caseworker: dict[str, str], notify: FakeNotifyAdmin
) -> None:
    notify.put_template(
        str(CASEWORKER_SMS_ID),
        type="sms",
        name="Caseworker text",
        body="((message))",
    )
    too_long = client.post(
        "/api/v1/messages/sms",
        json=_sms(template_id=str(CASEWORKER_SMS_ID), personalisation={"message": "x" * 1000}),
        headers=caseworker | _key(),
    )
    assert too_long.status_code == 422, too_long.text
    assert too_long.json()["status"] == "failed"
    assert "too long" in too_long.json()["error"]


def test_templates_are_listed_by_kind_and_roles_apply(
    client: TestClient, caseworker: dict[str, str], read_only: dict[str, str]
) -> None:
    sms = client.get("/api/v1/templates", params={"type": "sms"}, headers=read_only).json()
    assert {t["id"] for t in sms} >= {str(GREEN_IN_ARREARS_SMS_ID), str(CASEWORKER_SMS_ID)}
    assert all(t["type"] == "sms" for t in sms)
    assert client.get("/api/v1/templates").status_code == 401
    forbidden = client.post("/api/v1/messages/sms", json=_sms(), headers=read_only | _key())
    assert forbidden.status_code == 403


@pytest.mark.parametrize(
    ("notify_status", "status", "error"),
    [
        pytest.param("delivered", "delivered", None, id="delivered"),
        pytest.param("permanent-failure", "failed", "wrong", id="permanent failure"),
        pytest.param("temporary-failure", "failed", "phone off", id="temporary failure"),
        pytest.param("technical-failure", "failed", "technical", id="technical failure"),
        pytest.param("sending", "sent", None, id="still sending"),
        pytest.param("pending", "sent", None, id="pending at the provider"),
    ],
)
def test_delivery_is_tracked_for_every_notify_status(
    app: FastAPI,
    client: TestClient,
    caseworker: dict[str, str],
    notify: FakeNotifyAdmin,
    notify_status: str,
    status: str,
    error: str | None,
) -> None:
    sent = client.post("/api/v1/messages/sms", json=_sms(), headers=caseworker | _key()).json()
    notify.force_status(sent["notify_id"], notify_status)

    track_deliveries(app.state.engine, app.state.notify)

    tracked = client.get(f"/api/v1/messages/{sent['id']}", headers=caseworker).json()
    assert (tracked["status"], tracked["notify_status"]) == (status, notify_status)
    assert (tracked["completed_at"] is not None) == (status != "sent")
    if error is None:
        assert tracked["error"] is None
    else:
        assert error in tracked["error"]


def test_a_final_status_is_never_read_again(
    app: FastAPI, client: TestClient, caseworker: dict[str, str], notify: FakeNotifyAdmin
) -> None:
    sent = client.post("/api/v1/messages/sms", json=_sms(), headers=caseworker | _key()).json()
    notify.progress(sent["notify_id"])
    assert track_deliveries(app.state.engine, app.state.notify) == 1
    notify.force_status(sent["notify_id"], "technical-failure")

    assert track_deliveries(app.state.engine, app.state.notify) == 0
    tracked = client.get(f"/api/v1/messages/{sent['id']}", headers=caseworker).json()
    assert tracked["status"] == "delivered"


def test_a_text_and_an_email_are_previewed_exactly_as_they_would_be_sent_without_sending(
    client: TestClient, notify: FakeNotifyAdmin, caseworker: dict[str, str]
) -> None:
    text = client.post("/api/v1/messages/sms/preview", json=_sms(), headers=caseworker)
    email = client.post(
        "/api/v1/messages/email/preview",
        json={
            "template_id": str(CASEWORKER_EMAIL_ID),
            "email_address": "tenant@example.com",
            "personalisation": {"subject": "Your rent", "message": "Please call us."},
        },
        headers=caseworker,
    )
    bad_number = client.post(
        "/api/v1/messages/sms/preview", json=_sms(phone_number="0123"), headers=caseworker
    )

    assert text.status_code == 200, text.text
    assert text.json()["recipient"] == "+447700900123"
    assert "£312.50" in text.json()["body"]
    assert "((" not in text.json()["body"]
    assert email.status_code == 200, email.text
    assert email.json()["subject"] == "Your rent"
    assert "Please call us." in email.json()["body"]
    assert bad_number.status_code == 422
    assert notify.sent() == []
