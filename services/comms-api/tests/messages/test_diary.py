"""Each message sent about a tenancy earns one entry in UH's action diary (income-rules §8.2),
written through the real uh-gateway; kept and retried when it is down, never written twice."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from comms_api.gateways.tables import diary_entries
from comms_api.gateways.uh_gateway import UhGateway
from comms_api.use_cases.messages import write_diary_entries
from fake_notify.config import (
    AMBER_IN_ARREARS_SMS_ID,
    CASEWORKER_EMAIL_ID,
    GREEN_IN_ARREARS_SMS_ID,
)

Diary = Callable[[str], list[dict[str, Any]]]


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


@pytest.mark.parametrize(
    ("template_id", "role", "code"),
    [
        pytest.param(GREEN_IN_ARREARS_SMS_ID, "caseworker", "GMS", id="a caseworker's green text"),
        pytest.param(AMBER_IN_ARREARS_SMS_ID, "caseworker", "AMS", id="a caseworker's amber text"),
        pytest.param(GREEN_IN_ARREARS_SMS_ID, "automation", "GAT", id="an automated text"),
    ],
)
def test_a_text_about_a_tenancy_is_written_to_its_diary(
    client: TestClient,
    request: pytest.FixtureRequest,
    tenancy_ref: str,
    uh_diary: Diary,
    template_id: uuid.UUID,
    role: str,
    code: str,
) -> None:
    headers: dict[str, str] = request.getfixturevalue(role)
    sent = client.post(
        "/api/v1/messages/sms",
        json={
            "template_id": str(template_id),
            "phone_number": "07700 900123",
            "personalisation": {"balance": "£40.00"},
            "tenancy_ref": tenancy_ref,
        },
        headers=headers | _key(),
    )
    assert sent.status_code == 201, sent.text
    entry = uh_diary(tenancy_ref)[0]
    assert entry["action_code"] == code
    assert "sent to '+447700900123'" in entry["comment"]
    assert "£40.00" in entry["comment"]
    if role == "caseworker":
        assert entry["username"] == "Rita Rent"


def test_an_email_is_written_as_gme(
    client: TestClient, caseworker: dict[str, str], tenancy_ref: str, uh_diary: Diary
) -> None:
    client.post(
        "/api/v1/messages/email",
        json={
            "template_id": str(CASEWORKER_EMAIL_ID),
            "email_address": "tenant@example.com",
            "personalisation": {"subject": "Rent", "message": "Please call."},
            "tenancy_ref": tenancy_ref,
        },
        headers=caseworker | _key(),
    )
    assert uh_diary(tenancy_ref)[0]["action_code"] == "GME"


def test_while_uh_is_down_the_entry_waits_and_is_written_once_when_it_is_back(
    app: FastAPI,
    client: TestClient,
    caseworker: dict[str, str],
    tenancy_ref: str,
    uh_diary: Diary,
) -> None:
    before = len(uh_diary(tenancy_ref))
    working = app.state.uh_gateway
    app.state.uh_gateway = UhGateway(
        httpx.Client(base_url="http://127.0.0.1:9", timeout=1),
        service_name="comms-api",
        service_jwt_secret=app.state.settings.service_jwt_secret.get_secret_value(),
    )
    sent = client.post(
        "/api/v1/messages/sms",
        json={
            "template_id": str(GREEN_IN_ARREARS_SMS_ID),
            "phone_number": "07700 900123",
            "personalisation": {"balance": "£40.00"},
            "tenancy_ref": tenancy_ref,
        },
        headers=caseworker | _key(),
    )
    assert sent.status_code == 201, "the text went; only the diary entry waits"
    assert len(uh_diary(tenancy_ref)) == before
    engine = app.state.engine
    with engine.connect() as conn:
        waiting = conn.execute(select(diary_entries)).one()
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert "could not be reached" in waiting.last_error

    app.state.uh_gateway = working
    with engine.begin() as conn:
        conn.execute(update(diary_entries).values(next_attempt_at=dt.datetime.now(tz=dt.UTC)))
    assert write_diary_entries(engine, working) == 1
    assert write_diary_entries(engine, working) == 0
    assert len(uh_diary(tenancy_ref)) == before + 1
