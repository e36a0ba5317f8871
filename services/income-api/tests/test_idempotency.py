"""Writes sent with an `Idempotency-Key` happen once: a double-clicked button or a retry after a
timeout gets the first answer back and writes nothing more."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, insert, select

from income_api.api import idempotency as idempotency_api
from income_api.gateways import idempotency
from income_api.gateways.tables import cases, idempotent_requests

TODAY = dt.datetime.now(tz=dt.UTC).date()
Diary = Callable[[str], list[dict[str, Any]]]


@pytest.fixture
def rent_ref(synced: Any, engine: Engine) -> str:
    with engine.connect() as conn:
        return str(
            conn.execute(
                select(cases.c.tenancy_ref)
                .where(cases.c.service_area == "rent", cases.c.agreement_state.is_(None))
                .limit(1)
            ).scalar_one()
        )


def _with_key(headers: dict[str, str], key: str) -> dict[str, str]:
    return headers | {"Idempotency-Key": key}


def _agreement(client: TestClient, ref: str, headers: dict[str, str], **body: Any) -> Any:
    payload = {
        "agreement_type": "informal",
        "amount": "20.00",
        "frequency": "weekly",
        "start_date": TODAY.isoformat(),
    } | body
    return client.post(f"/api/v1/cases/{ref}/agreements", json=payload, headers=headers)


def _agreements(client: TestClient, ref: str, headers: dict[str, str]) -> list[Any]:
    response = client.get(f"/api/v1/cases/{ref}/agreements", headers=headers)
    agreements: list[Any] = response.json()["agreements"]
    return agreements


def test_a_repeated_agreement_is_made_once_and_answered_as_the_first(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str, uh_diary: Diary
) -> None:
    headers = _with_key(rent_caseworker, str(uuid.uuid4()))

    first = _agreement(client, rent_ref, headers)
    again = _agreement(client, rent_ref, headers)

    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert [a["id"] for a in _agreements(client, rent_ref, rent_caseworker)] == [first.json()["id"]]
    assert [e["action_code"] for e in uh_diary(rent_ref)].count("AGR") == 1


def test_a_repeated_diary_entry_reaches_uh_once(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str, uh_diary: Diary
) -> None:
    headers = _with_key(rent_caseworker, str(uuid.uuid4()))
    body = {"action_code": "OTC", "comment": "Called about the arrears"}
    for _ in range(3):
        response = client.post(f"/api/v1/cases/{rent_ref}/action-diary", json=body, headers=headers)
        assert response.status_code == 202, response.text
    comments = [e["comment"] for e in uh_diary(rent_ref)]
    assert comments.count("Called about the arrears") == 1


def test_ending_a_pause_twice_with_one_key_is_not_a_conflict(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str
) -> None:
    until = (TODAY + dt.timedelta(days=7)).isoformat()
    paused = client.put(
        f"/api/v1/cases/{rent_ref}/pause",
        json={"until": until, "reason": "Payment promised", "comment": "Pays Friday"},
        headers=rent_caseworker,
    )
    assert paused.status_code == 200, paused.text
    headers = _with_key(rent_caseworker, str(uuid.uuid4()))
    first = client.delete(f"/api/v1/cases/{rent_ref}/pause", headers=headers)
    again = client.delete(f"/api/v1/cases/{rent_ref}/pause", headers=headers)
    assert first.status_code == again.status_code == 200
    without_key = client.delete(f"/api/v1/cases/{rent_ref}/pause", headers=rent_caseworker)
    assert without_key.status_code == 409, "a new request finds the pause already ended"


def test_the_same_key_for_a_different_request_is_refused(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str
) -> None:
    headers = _with_key(rent_caseworker, str(uuid.uuid4()))
    assert _agreement(client, rent_ref, headers).status_code == 201
    other = _agreement(client, rent_ref, headers, amount="30.00")
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert len(_agreements(client, rent_ref, rent_caseworker)) == 1


def test_a_refused_write_leaves_its_key_free_for_the_corrected_one(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str
) -> None:
    headers = _with_key(rent_caseworker, str(uuid.uuid4()))
    refused = _agreement(client, rent_ref, headers, amount="-1")
    assert refused.status_code == 422
    assert _agreement(client, rent_ref, headers).status_code == 201


def test_keys_are_each_callers_own(
    client: TestClient,
    rent_caseworker: dict[str, str],
    team_leader: dict[str, str],
    rent_ref: str,
) -> None:
    key = str(uuid.uuid4())
    mine = _agreement(client, rent_ref, _with_key(rent_caseworker, key))
    theirs = _agreement(client, rent_ref, _with_key(team_leader, key), amount="25.00")
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_malformed_key_is_refused(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str
) -> None:
    response = _agreement(client, rent_ref, _with_key(rent_caseworker, "short"))
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "Idempotency-Key"


def test_a_repeat_racing_the_first_is_answered_as_the_first(
    client: TestClient,
    rent_caseworker: dict[str, str],
    rent_ref: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = str(uuid.uuid4())
    headers = _with_key(rent_caseworker, key)
    first = _agreement(client, rent_ref, headers)
    # As if the first had not committed when the repeat looked: its claim then collides.
    real_find = idempotency.find
    calls: list[int] = []

    def late_find(engine: Engine, *, caller: str, key: str) -> idempotency.Remembered | None:
        calls.append(1)
        return None if len(calls) == 1 else real_find(engine, caller=caller, key=key)

    monkeypatch.setattr(idempotency, "find", late_find)

    again = _agreement(client, rent_ref, headers)

    assert again.status_code == 201, again.text
    assert again.json() == first.json()
    assert len(_agreements(client, rent_ref, rent_caseworker)) == 1


def test_a_repeat_of_a_request_still_unanswered_says_so(
    client: TestClient,
    rent_caseworker: dict[str, str],
    rent_ref: str,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(idempotency_api, "WAIT_FOR_FIRST_SECONDS", 0.2)
    key = str(uuid.uuid4())
    path = f"/api/v1/cases/{rent_ref}/action-diary"
    body = {"action_code": "OTC", "comment": "Called"}
    with engine.begin() as conn:
        conn.execute(
            insert(idempotent_requests).values(
                caller="dev-rent",
                idempotency_key=key,
                request_fingerprint=idempotency.request_fingerprint("POST", path, body),
                created_at=dt.datetime.now(tz=dt.UTC),
            )
        )
    response = client.post(path, json=body, headers=_with_key(rent_caseworker, key))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotent_request_in_progress"


def test_keys_are_forgotten_after_the_retention_period(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str, engine: Engine
) -> None:
    old = dt.datetime.now(tz=dt.UTC) - idempotency.RETENTION - dt.timedelta(minutes=1)
    with engine.begin() as conn:
        conn.execute(
            insert(idempotent_requests).values(
                caller="someone",
                idempotency_key="an-old-key",
                request_fingerprint="x",
                status_code=201,
                response_body={},
                created_at=old,
            )
        )
    assert _agreement(client, rent_ref, _with_key(rent_caseworker, str(uuid.uuid4()))).is_success
    with engine.connect() as conn:
        keys = conn.execute(select(idempotent_requests.c.idempotency_key)).scalars().all()
        count = conn.execute(select(func.count()).select_from(idempotent_requests)).scalar_one()
    assert "an-old-key" not in keys
    assert count == 1
