"""Sending a letter: made from UH's data through the real uh-gateway, its PDF stored, posted by
the fake Notify as a precompiled letter exactly once, and its diary code written to UH; a
letter Notify rejects is failed, owes UH a VFL entry and publishes a failure event."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from comms_api.gateways.tables import comms_events, documents
from comms_api.use_cases.messages import track_deliveries, write_diary_entries
from fake_notify.testing import FakeNotifyAdmin


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def _letter_one(tenancy_ref: str) -> dict[str, Any]:
    return {"template_id": "income_collection_letter_1", "tenancy_ref": tenancy_ref}


def test_a_letter_is_stored_posted_once_and_written_to_the_diary(
    app: FastAPI,
    client: TestClient,
    notify: FakeNotifyAdmin,
    caseworker: dict[str, str],
    tenancy_ref: str,
    uh_diary: Callable[[str], list[dict[str, Any]]],
) -> None:
    key = _key()
    sent = client.post("/api/v1/letters", json=_letter_one(tenancy_ref), headers=caseworker | key)
    again = client.post("/api/v1/letters", json=_letter_one(tenancy_ref), headers=caseworker | key)

    assert sent.status_code == 201, sent.text
    letter = sent.json()
    assert (letter["channel"], letter["status"], letter["postage"]) == ("letter", "sent", "second")
    assert letter["notify_id"]
    assert letter["document_id"]
    assert letter["payment_ref"]
    assert again.status_code == 200
    assert again.json()["id"] == letter["id"]
    posted = notify.sent(type="letter")
    assert len(posted) == 1
    assert posted[0]["reference"] == key["Idempotency-Key"]
    assert posted[0]["postage"] == "second"
    with app.state.engine.connect() as conn:
        document = conn.execute(
            select(documents).where(documents.c.id == letter["document_id"])
        ).one()
    assert (document.status, document.tenancy_ref) == ("sent", tenancy_ref)
    assert app.state.documents.get(document.storage_key).startswith(b"%PDF")
    entry = uh_diary(tenancy_ref)[0]
    assert entry["action_code"] == "IC1"
    assert letter["document_id"] in entry["comment"]


def test_a_letter_that_cannot_be_made_lists_its_problems_and_sends_nothing(
    client: TestClient, notify: FakeNotifyAdmin, caseworker: dict[str, str], tenancy_ref: str
) -> None:
    incomplete = client.post(
        "/api/v1/letters",
        json={"template_id": "informal_agreement_confirmation_letter", "tenancy_ref": tenancy_ref},
        headers=caseworker | _key(),
    )
    unknown_payment_ref = client.post(
        "/api/v1/letters",
        json={"template_id": "income_collection_letter_1", "payment_ref": "1111111111"},
        headers=caseworker | _key(),
    )
    nowhere = client.post(
        "/api/v1/letters",
        json={"template_id": "income_collection_letter_1"},
        headers=caseworker | _key(),
    )

    assert incomplete.status_code == 422
    assert {"amount", "date_of_first_payment"} <= {
        d["field"] for d in incomplete.json()["error"]["details"]
    }
    assert unknown_payment_ref.status_code == 422
    assert unknown_payment_ref.json()["error"]["details"][0]["code"] == "unknown_payment_ref"
    assert nowhere.status_code == 422
    assert notify.sent() == []


def test_a_letter_notify_rejects_is_failed_with_a_vfl_entry_and_a_failure_event(
    app: FastAPI,
    client: TestClient,
    notify: FakeNotifyAdmin,
    caseworker: dict[str, str],
    tenancy_ref: str,
    uh_diary: Callable[[str], list[dict[str, Any]]],
) -> None:
    letter = client.post(
        "/api/v1/letters", json=_letter_one(tenancy_ref), headers=caseworker | _key()
    ).json()
    notify.force_status(letter["notify_id"], "validation-failed")

    engine = app.state.engine
    assert track_deliveries(engine, app.state.notify) == 1
    write_diary_entries(engine, app.state.uh_gateway)

    failed = client.get(f"/api/v1/messages/{letter['id']}", headers=caseworker).json()
    assert (failed["status"], failed["notify_status"]) == ("failed", "validation-failed")
    codes = [entry["action_code"] for entry in uh_diary(tenancy_ref)[:2]]
    assert codes == ["VFL", "IC1"]
    with engine.connect() as conn:
        document_status = conn.execute(
            select(documents.c.status).where(documents.c.id == letter["document_id"])
        ).scalar_one()
        events = conn.execute(
            select(comms_events.c.event_type, comms_events.c.envelope)
            .where(comms_events.c.entity_id == letter["id"])
            .order_by(comms_events.c.created_at)
        ).all()
    assert document_status == "failed"
    assert [e.event_type for e in events] == ["comms.message_sent", "comms.message_failed"]
    failure = events[1].envelope["event_data"]
    assert (failure["tenancy_ref"], failure["template_id"], failure["notify_status"]) == (
        tenancy_ref,
        "income_collection_letter_1",
        "validation-failed",
    )


def test_a_letter_before_action_is_stored_to_post_by_hand_not_sent(
    app: FastAPI,
    client: TestClient,
    notify: FakeNotifyAdmin,
    bearer: Callable[[str], dict[str, str]],
    leasehold_accounts: list[dict[str, str]],
) -> None:
    account = leasehold_accounts[0]
    response = client.post(
        "/api/v1/letters",
        json={
            "template_id": "letter_before_action",
            "payment_ref": account["payment_ref"],
            "fields": {
                "original_lease_date": "1999-03-01",
                "date_of_current_purchase_assignment": "2005-06-01",
                "money_judgement": "0.00",
            },
        },
        headers=bearer("leasehold") | _key(),
    )

    assert response.status_code == 201, response.text
    letter = response.json()
    assert (letter["status"], letter["tenancy_ref"]) == ("to_download", account["tenancy_ref"])
    assert notify.sent() == []
    with app.state.engine.connect() as conn:
        status = conn.execute(
            select(documents.c.status).where(documents.c.id == letter["document_id"])
        ).scalar_one()
    assert status == "to_download"


def test_caseworkers_send_only_their_own_service_areas_letters(
    client: TestClient,
    notify: FakeNotifyAdmin,
    caseworker: dict[str, str],
    leasehold_accounts: list[dict[str, str]],
) -> None:
    response = client.post(
        "/api/v1/letters",
        json={
            "template_id": "letter_1_in_arrears_LH",
            "payment_ref": leasehold_accounts[0]["payment_ref"],
        },
        headers=caseworker | _key(),
    )

    assert response.status_code == 403
    assert notify.sent() == []
