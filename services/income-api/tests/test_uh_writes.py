"""Changes to what UH holds, made through income-api: a NOSP served (through the outbox, so it
reaches UH exactly once even when uh-gateway is down) and a contact's phone numbers and email
(passed on to uh-gateway, checked first)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from income_api.domain.nosp import add_calendar_months
from income_api.gateways.tables import cases, outbox
from income_api.use_cases import case_actions

NOW = dt.datetime.now(tz=dt.UTC)
TODAY = NOW.date()
Diary = Callable[[str], list[dict[str, Any]]]


def _refs(engine: Engine, service_area: str) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(cases.c.tenancy_ref)
                .where(cases.c.service_area == service_area)
                .order_by(cases.c.tenancy_ref)
            ).scalars()
        )


@pytest.fixture
def rent_ref(synced: Any, engine: Engine) -> str:
    return _refs(engine, "rent")[0]


@pytest.fixture
def leasehold_ref(synced: Any, engine: Engine) -> str:
    return _refs(engine, "leasehold")[0]


def _case(client: TestClient, ref: str, headers: dict[str, str], include_uh: bool = False) -> Any:
    response = client.get(
        f"/api/v1/cases/{ref}", params={"include_uh": include_uh}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


def _nosp(client: TestClient, ref: str, headers: dict[str, str], **body: Any) -> Any:
    payload = {"served_date": (TODAY - dt.timedelta(days=10)).isoformat()} | body
    return client.post(f"/api/v1/cases/{ref}/nosp", json=payload, headers=headers)


def test_a_nosp_is_recorded_in_uh_with_its_diary_entry_and_shown_on_the_case(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str, uh_diary: Diary
) -> None:
    served = TODAY - dt.timedelta(days=10)
    expires = add_calendar_months(served, 3)

    response = _nosp(client, rent_ref, rent_caseworker, comment="Served by hand")

    assert response.status_code == 202, response.text
    assert response.json() == {"status": "written"}
    entry = uh_diary(rent_ref)[0]
    assert entry["action_code"] == "NTS"
    assert entry["comment"] == (
        f"NOSP served on {served:%d/%m/%Y}, expires {expires:%d/%m/%Y}. Served by hand"
    )
    assert entry["username"] == "Rita Rent"
    nosp = _case(client, rent_ref, rent_caseworker)["nosp"]
    assert nosp["served_date"] == served.isoformat()
    assert nosp["expires_date"] == expires.isoformat(), "UH and the case agree on the expiry"
    assert nosp["in_cool_off_period"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param(
            {"served_date": (TODAY + dt.timedelta(days=1)).isoformat()},
            "served_date",
            id="served tomorrow",
        ),
        pytest.param({"served_date": "1999-12-31"}, "served_date", id="last century"),
        pytest.param({"served_date": "31/12/2025"}, "served_date", id="not a date"),
        pytest.param({"comment": "x" * 501}, "comment", id="comment too long"),
    ],
)
def test_an_impossible_nosp_is_refused_and_nothing_reaches_uh(
    client: TestClient,
    rent_caseworker: dict[str, str],
    rent_ref: str,
    uh_diary: Diary,
    body: dict[str, Any],
    field: str,
) -> None:
    before = uh_diary(rent_ref)
    response = _nosp(client, rent_ref, rent_caseworker, **body)
    assert response.status_code == 422, response.text
    assert field in {d["field"] for d in response.json()["error"]["details"]}
    assert uh_diary(rent_ref) == before
    assert _case(client, rent_ref, rent_caseworker)["nosp"]["served_date"] is None


# 00:30 on 2 July in London is 23:30 on 1 July in UTC (British Summer Time); the latest such
# night that has passed, so that uh-gateway (on the real clock) takes the date as past too.
_SUMMER_YEAR = TODAY.year if dt.date(TODAY.year, 7, 3) < TODAY else TODAY.year - 1
HALF_PAST_MIDNIGHT_IN_LONDON = dt.datetime(_SUMMER_YEAR, 7, 1, 23, 30, tzinfo=dt.UTC)
LONDON_TODAY = dt.date(_SUMMER_YEAR, 7, 2)


@pytest.fixture
def half_past_midnight_in_london(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(case_actions, "_now", lambda: HALF_PAST_MIDNIGHT_IN_LONDON)


@pytest.mark.usefixtures("half_past_midnight_in_london")
def test_a_nosp_served_today_in_london_is_accepted_while_utc_is_still_on_yesterday(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str, uh_diary: Diary
) -> None:
    response = _nosp(client, rent_ref, rent_caseworker, served_date=LONDON_TODAY.isoformat())

    assert response.status_code == 202, response.text
    entry = uh_diary(rent_ref)[0]
    assert entry["action_code"] == "NTS"
    assert entry["comment"].startswith(f"NOSP served on {LONDON_TODAY:%d/%m/%Y}")


@pytest.mark.usefixtures("half_past_midnight_in_london")
def test_a_nosp_served_after_today_in_london_is_refused(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str, uh_diary: Diary
) -> None:
    before = uh_diary(rent_ref)
    tomorrow = LONDON_TODAY + dt.timedelta(days=1)

    response = _nosp(client, rent_ref, rent_caseworker, served_date=tomorrow.isoformat())

    assert response.status_code == 422, response.text
    assert {d["field"] for d in response.json()["error"]["details"]} == {"served_date"}
    assert uh_diary(rent_ref) == before


def test_a_leasehold_account_has_no_nosp(
    client: TestClient, team_leader: dict[str, str], leasehold_ref: str
) -> None:
    response = _nosp(client, leasehold_ref, team_leader)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_a_rent_case"


def test_a_nosp_made_while_uh_is_down_is_shown_waiting_then_written_once(
    app: FastAPI,
    client: TestClient,
    rent_caseworker: dict[str, str],
    rent_ref: str,
    uh_diary: Diary,
    network: Any,
    engine: Engine,
) -> None:
    served = TODAY - dt.timedelta(days=3)
    network.down = True

    queued = _nosp(client, rent_ref, rent_caseworker, served_date=served.isoformat())

    assert queued.status_code == 202, queued.text
    assert queued.json() == {"status": "queued"}
    pending = _case(client, rent_ref, rent_caseworker)["pending_diary_writes"]
    assert [(p["action_code"], p["comment"], p["status"]) for p in pending] == [
        ("NTS", f"NOSP served on {served:%d/%m/%Y}.", "pending")
    ]
    network.down = False
    with engine.begin() as conn:
        conn.execute(outbox.update().values(next_attempt_at=NOW - dt.timedelta(seconds=1)))
    assert client.portal is not None
    assert client.portal.call(app.state.dispatcher.deliver) >= 1
    assert client.portal.call(app.state.dispatcher.deliver) == 0
    assert [e["action_code"] for e in uh_diary(rent_ref)].count("NTS") == 1
    assert _case(client, rent_ref, rent_caseworker)["pending_diary_writes"] == []


def _contact(client: TestClient, engine: Engine, headers: dict[str, str]) -> tuple[str, Any]:
    """A rent case whose tenancy has a contact in UH, and that contact."""
    for ref in _refs(engine, "rent")[:20]:
        contacts = _case(client, ref, headers, include_uh=True)["uh"]["contacts"]["contacts"]
        if contacts:
            return ref, contacts[0]
    raise AssertionError("no rent case in the simulator has a contact")


def _change(
    client: TestClient,
    ref: str,
    contact_id: int,
    headers: dict[str, str],
    body: dict[str, Any],
    key: str | None = None,
) -> Any:
    if key:
        headers = headers | {"Idempotency-Key": key}
    return client.patch(f"/api/v1/cases/{ref}/contacts/{contact_id}", json=body, headers=headers)


def test_a_contacts_numbers_and_email_are_changed_in_uh(
    client: TestClient, rent_caseworker: dict[str, str], synced: Any, engine: Engine
) -> None:
    ref, contact = _contact(client, engine, rent_caseworker)

    response = _change(
        client,
        ref,
        contact["id"],
        rent_caseworker,
        {"mobile_phone": "+44 7700 900 982", "work_phone": "", "email_address": "a@example.com"},
    )

    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["mobile_phone"] == "07700900982", "kept in national form"
    assert changed["email_address"] == "a@example.com"
    assert changed["home_phone"] == contact["home_phone"], "left out, so kept"
    after = _case(client, ref, rent_caseworker, include_uh=True)["uh"]["contacts"]["contacts"]
    mine = next(c for c in after if c["id"] == contact["id"])
    assert (mine["mobile_phone"], mine["work_phone"], mine["email_address"]) == (
        "07700900982",
        None,
        "a@example.com",
    )


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        pytest.param({"mobile_phone": "12345"}, "mobile_phone", "UK phone number", id="short"),
        pytest.param(
            {"home_phone": "+1 212 555 0100"}, "home_phone", "UK phone number", id="not UK"
        ),
        pytest.param({"email_address": "nobody"}, "email_address", "email address", id="email"),
        pytest.param(
            {"email_address": f"{'a' * 40}@example.com"},
            "email_address",
            "at most 50",
            id="too long for UH",
        ),
        pytest.param({}, "body", "give at least one", id="nothing to change"),
    ],
)
def test_a_bad_contact_change_is_refused_with_the_field_named(
    client: TestClient,
    rent_caseworker: dict[str, str],
    synced: Any,
    engine: Engine,
    body: dict[str, Any],
    field: str,
    message: str,
) -> None:
    ref, contact = _contact(client, engine, rent_caseworker)
    response = _change(client, ref, contact["id"], rent_caseworker, body)
    assert response.status_code == 422, response.text
    details = response.json()["error"]["details"]
    assert [d["field"] for d in details] == [field]
    assert message in details[0]["message"]


def test_a_contact_change_is_refused_for_another_tenancys_contact_or_the_wrong_team(
    client: TestClient,
    rent_caseworker: dict[str, str],
    leasehold_caseworker: dict[str, str],
    read_only_client: dict[str, str],
    synced: Any,
    engine: Engine,
) -> None:
    ref, contact = _contact(client, engine, rent_caseworker)
    body = {"mobile_phone": "07700900982"}
    assert _change(client, ref, 99_999_999, rent_caseworker, body).status_code == 404
    assert _change(client, ref, contact["id"], leasehold_caseworker, body).status_code == 403
    assert _change(client, ref, contact["id"], read_only_client, body).status_code == 403


def test_a_repeated_contact_change_is_answered_once_and_a_reused_key_refused(
    client: TestClient, rent_caseworker: dict[str, str], synced: Any, engine: Engine
) -> None:
    ref, contact = _contact(client, engine, rent_caseworker)
    key = str(uuid.uuid4())
    body = {"email_address": "first@example.com"}

    first = _change(client, ref, contact["id"], rent_caseworker, body, key)
    again = _change(client, ref, contact["id"], rent_caseworker, body, key)
    other = _change(
        client, ref, contact["id"], rent_caseworker, {"email_address": "x@example.com"}, key
    )

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
