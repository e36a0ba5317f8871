"""Bulk letters by payment reference: every row checked against UH through the real
uh-gateway with its own problem, the valid ones sent once as a batch (a double submit sends
nothing more), each row's letter status visible."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, select, update

from comms_api.use_cases.letter_batches import request_send, send_queued_rows
from comms_api.use_cases.messages import write_diary_entries
from fake_notify.testing import FakeNotifyAdmin
from ma_shared.uk_time import LONDON
from uh_gateway.gateways.uh_schema import araction, househ, tenagree

LETTER_ONE = "letter_1_in_arrears_LH"


def _house_of(uh_engine: Engine, tenancy_ref: str) -> str:
    with uh_engine.connect() as conn:
        house_ref: str = conn.execute(
            select(tenagree.c.house_ref).where(tenagree.c.tag_ref == tenancy_ref)
        ).scalar_one()
    return house_ref


@pytest.fixture
def mixed_refs(
    uh_engine: Engine,
    leasehold_accounts: list[dict[str, str]],
    client: TestClient,
    bearer: Callable[[str], dict[str, str]],
    tenancy_ref: str,
) -> list[str]:
    """Two good leasehold accounts, one abroad, one without a lessee name, a rent account,
    an unknown reference and a malformed one."""
    good, other_good, abroad, nameless = leasehold_accounts[:4]
    with uh_engine.begin() as conn:
        conn.execute(
            update(househ)
            .where(househ.c.house_ref == _house_of(uh_engine, abroad["tenancy_ref"]))
            .values(corr_preamble="12 Rue de Rivoli", corr_desig="Paris", corr_postcode="75001")
        )
        conn.execute(
            update(househ)
            .where(househ.c.house_ref == _house_of(uh_engine, nameless["tenancy_ref"]))
            .values(house_desc="")
        )
        rent_payment_ref: str = conn.execute(
            select(tenagree.c.u_saff_rentacc).where(tenagree.c.tag_ref == tenancy_ref)
        ).scalar_one()
    return [
        good["payment_ref"],
        abroad["payment_ref"],
        nameless["payment_ref"],
        rent_payment_ref.strip(),
        "1111111111",
        "12AB",
        other_good["payment_ref"],
    ]


def _create(client: TestClient, headers: dict[str, str], refs: Any) -> dict[str, Any]:
    response = client.post(
        "/api/v1/letter-batches",
        json={"template_id": LETTER_ONE, "payment_refs": refs},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    batch: dict[str, Any] = response.json()
    return batch


def test_each_payment_reference_gets_its_own_problem_or_preview(
    client: TestClient,
    notify: FakeNotifyAdmin,
    bearer: Callable[[str], dict[str, str]],
    mixed_refs: list[str],
) -> None:
    leasehold = bearer("leasehold")
    pasted = ",\n".join(mixed_refs)

    batch = _create(client, leasehold, pasted)

    assert (batch["row_count"], batch["valid_count"]) == (7, 2)
    statuses = [row["status"] for row in batch["rows"]]
    assert statuses == ["valid", "invalid", "invalid", "invalid", "invalid", "invalid", "valid"]
    codes = [{p["code"] for p in row["problems"]} for row in batch["rows"]]
    assert "international_address" in codes[1]
    assert "missing" in codes[2]
    assert codes[3:6] == [{"wrong_service_area"}, {"unknown_payment_ref"}, {"invalid_format"}]
    preview = client.get(f"/api/v1/letter-batches/{batch['id']}/rows/1/preview", headers=leasehold)
    assert preview.status_code == 200, preview.text
    assert mixed_refs[0] in preview.json()["html"]
    assert preview.json()["page_count"] >= 1
    invalid = client.get(f"/api/v1/letter-batches/{batch['id']}/rows/2/preview", headers=leasehold)
    assert invalid.status_code == 422
    assert notify.sent() == []


def test_send_all_valid_sends_each_letter_once_even_when_submitted_twice(
    app: FastAPI,
    client: TestClient,
    notify: FakeNotifyAdmin,
    bearer: Callable[[str], dict[str, str]],
    mixed_refs: list[str],
    leasehold_accounts: list[dict[str, str]],
    uh_diary: Callable[[str], list[dict[str, Any]]],
) -> None:
    leasehold = bearer("leasehold")
    batch = _create(client, leasehold, mixed_refs)

    first = client.post(f"/api/v1/letter-batches/{batch['id']}/send", headers=leasehold)
    second = client.post(f"/api/v1/letter-batches/{batch['id']}/send", headers=leasehold)

    assert first.status_code == 202, first.text
    assert second.status_code == 200
    shown = client.get(f"/api/v1/letter-batches/{batch['id']}", headers=leasehold).json()
    sent_rows = [row for row in shown["rows"] if row["message_id"]]
    assert [row["position"] for row in sent_rows] == [1, 7]
    assert {row["status"] for row in sent_rows} == {"accepted"}
    assert {row["message_status"] for row in sent_rows} == {"sent"}
    assert {row["status"] for row in shown["rows"] if not row["message_id"]} == {"invalid"}
    assert shown["send_requested_by"]
    posted = notify.sent(type="letter")
    assert len(posted) == 2
    assert {p["reference"] for p in posted} == {
        f"letter-batch-{batch['id']}-1",
        f"letter-batch-{batch['id']}-7",
    }
    write_diary_entries(app.state.engine, app.state.uh_gateway)
    assert uh_diary(leasehold_accounts[0]["tenancy_ref"])[0]["action_code"] == "LL1"


def test_letter_2_in_bulk_refers_to_the_day_letter_1_was_sent_and_needs_one(
    app: FastAPI,
    client: TestClient,
    bearer: Callable[[str], dict[str, str]],
    leasehold_accounts: list[dict[str, str]],
    uh_engine: Engine,
) -> None:
    leasehold = bearer("leasehold")
    followed_up, never_written_to = leasehold_accounts[:2]
    with uh_engine.begin() as conn:
        conn.execute(
            delete(araction).where(
                araction.c.tag_ref.in_([a["tenancy_ref"] for a in leasehold_accounts[:2]]),
                araction.c.action_code.in_(["LF1", "LL1", "LS1"]),
            )
        )
    letter_1 = _create(client, leasehold, [followed_up["payment_ref"]])
    client.post(f"/api/v1/letter-batches/{letter_1['id']}/send", headers=leasehold)
    write_diary_entries(app.state.engine, app.state.uh_gateway)

    response = client.post(
        "/api/v1/letter-batches",
        json={
            "template_id": "letter_2_in_arrears_LH",
            "payment_refs": [followed_up["payment_ref"], never_written_to["payment_ref"]],
        },
        headers=leasehold,
    )

    assert response.status_code == 201, response.text
    follow_up, first_contact = response.json()["rows"]
    assert follow_up["status"] == "valid"
    preview = client.get(
        f"/api/v1/letter-batches/{response.json()['id']}/rows/1/preview", headers=leasehold
    ).json()
    today = dt.datetime.now(tz=LONDON).date()
    assert f"We wrote to you on {today.day} {today:%B %Y}" in " ".join(preview["html"].split())
    assert first_contact["status"] == "invalid"
    assert [p["field"] for p in first_contact["problems"]] == ["arrears_letter_1_date"]


def test_batches_refuse_what_cannot_be_a_batch(
    client: TestClient, bearer: Callable[[str], dict[str, str]], mixed_refs: list[str]
) -> None:
    leasehold = bearer("leasehold")
    empty = client.post(
        "/api/v1/letter-batches",
        json={"template_id": LETTER_ONE, "payment_refs": " , "},
        headers=leasehold,
    )
    too_many = client.post(
        "/api/v1/letter-batches",
        json={"template_id": LETTER_ONE, "payment_refs": ["1111111111"] * 1001},
        headers=leasehold,
    )
    rent_template = client.post(
        "/api/v1/letter-batches",
        json={"template_id": "income_collection_letter_1", "payment_refs": mixed_refs},
        headers=leasehold,
    )
    nothing_valid = _create(client, leasehold, ["1111111111"])
    send_nothing = client.post(
        f"/api/v1/letter-batches/{nothing_valid['id']}/send", headers=leasehold
    )
    unknown = client.get("/api/v1/letter-batches/no-such-batch", headers=leasehold)

    assert empty.status_code == 422
    assert too_many.status_code == 422
    assert rent_template.status_code == 403
    assert send_nothing.status_code == 422
    assert send_nothing.json()["error"]["code"] == "nothing_to_send"
    assert unknown.status_code == 404


def test_the_worker_finishes_a_batch_whose_sender_stopped_and_leaves_fresh_ones_alone(
    app: FastAPI,
    client: TestClient,
    notify: FakeNotifyAdmin,
    bearer: Callable[[str], dict[str, str]],
    mixed_refs: list[str],
) -> None:
    batch = _create(client, bearer("leasehold"), mixed_refs)
    engine, store = app.state.engine, app.state.documents
    # "Send all" was asked for, then the process stopped before its background task ran.
    assert request_send(engine, batch["id"], requested_by="A Caseworker")
    just_now = dt.datetime.now(tz=dt.UTC) - dt.timedelta(minutes=15)
    later = dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=1)

    fresh = send_queued_rows(
        engine, app.state.notify, store, today=dt.date(2026, 11, 23), requested_before=just_now
    )
    abandoned = send_queued_rows(
        engine, app.state.notify, store, today=dt.date(2026, 11, 23), requested_before=later
    )

    assert fresh == 0
    assert abandoned == 2
    assert len(notify.sent(type="letter")) == 2
