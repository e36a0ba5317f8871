"""A caseworker's case: reading it with its UH records, and every action on it, each written
to UH's action diary through the real gateway (or kept and retried when it is down)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from income_api.gateways.tables import cases, outbox

NOW = dt.datetime.now(tz=dt.UTC)
TODAY = NOW.date()
Diary = Callable[[str], list[dict[str, Any]]]


def _ref_with(engine: Engine, *where: Any) -> str:
    with engine.connect() as conn:
        ref = conn.execute(select(cases.c.tenancy_ref).where(*where).limit(1)).scalar_one()
    return str(ref)


@pytest.fixture
def rent_ref(synced: dict[str, Any], engine: Engine) -> str:
    """A rent case due letter one, with no agreement or court case."""
    return _ref_with(
        engine,
        cases.c.service_area == "rent",
        cases.c.recommended_action == "send_letter_one",
        cases.c.agreement_state.is_(None),
        cases.c.court_date.is_(None),
    )


@pytest.fixture
def leasehold_ref(synced: dict[str, Any], engine: Engine) -> str:
    return _ref_with(engine, cases.c.service_area == "leasehold")


def _case(client: TestClient, ref: str, headers: dict[str, str], **params: Any) -> Any:
    response = client.get(f"/api/v1/cases/{ref}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_case_page_has_the_classification_reason_and_uh_records(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str
) -> None:
    case = _case(client, rent_ref, rent_caseworker)
    assert case["recommended_action"] == "send_letter_one"
    assert case["classification"]["rule"].startswith("R4")
    assert "£" in case["classification"]["reason"]
    assert set(case["nosp"]) == {
        "served_date",
        "expires_date",
        "valid_until_date",
        "in_cool_off_period",
        "valid",
        "active",
    }
    uh = case["uh"]
    assert uh["tenancy"]["tenancy_ref"] == rent_ref
    assert uh["transactions"]["results"], "a case in arrears has transactions"
    assert len(uh["transactions"]["results"]) <= 20
    assert "results" in uh["action_diary"]
    assert "contacts" in uh["contacts"] or uh["contacts"]
    assert case["agreements"] == []
    assert case["pending_diary_writes"] == []


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        pytest.param("/api/v1/cases/999999/99", 404, "not_found", id="unknown tenancy"),
        pytest.param("/api/v1/cases/12345", 422, "validation_failed", id="malformed reference"),
    ],
)
def test_a_case_that_is_not_there_gets_a_clear_error(
    client: TestClient, rent_caseworker: dict[str, str], path: str, status: int, code: str
) -> None:
    response = client.get(path, headers=rent_caseworker)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["correlation_id"]


def test_caseworkers_see_only_their_service_area(
    client: TestClient,
    rent_caseworker: dict[str, str],
    leasehold_caseworker: dict[str, str],
    team_leader: dict[str, str],
    rent_ref: str,
    leasehold_ref: str,
) -> None:
    assert client.get(f"/api/v1/cases/{leasehold_ref}", headers=rent_caseworker).status_code == 403
    assert client.get(f"/api/v1/cases/{rent_ref}", headers=leasehold_caseworker).status_code == 403
    forbidden = client.put(
        f"/api/v1/cases/{rent_ref}/pause",
        json={"until": str(TODAY + dt.timedelta(days=7)), "reason": "Other", "comment": "x"},
        headers=leasehold_caseworker,
    )
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "wrong_service_area"
    leasehold = _case(client, leasehold_ref, team_leader)
    assert leasehold["service_area"] == "leasehold"
    assert leasehold["classification"]["reason"]


def test_the_case_page_says_when_uh_cannot_be_reached(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str, network: Any
) -> None:
    network.down = True
    response = client.get(f"/api/v1/cases/{rent_ref}", headers=rent_caseworker)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "upstream_unavailable"
    without_uh = _case(client, rent_ref, rent_caseworker, include_uh=False)
    assert without_uh["uh"] is None
    assert without_uh["recommended_action"] == "send_letter_one"


def test_pausing_a_case_writes_the_diary_and_takes_it_off_immediate_actions(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str, uh_diary: Diary
) -> None:
    until = TODAY + dt.timedelta(days=14)
    paused = client.put(
        f"/api/v1/cases/{rent_ref}/pause",
        json={
            "until": until.isoformat(),
            "reason": "Delayed benefit",
            "comment": "Waiting for HB",
            "action_code": "MHB",
        },
        headers=rent_caseworker,
    )
    assert paused.status_code == 200, paused.text
    assert paused.json() == {"status": "written"}
    entry = uh_diary(rent_ref)[0]
    assert entry["action_code"] == "MHB"
    assert entry["comment"] == f"Delayed benefit: Paused to {until}. Waiting for HB"
    case = _case(client, rent_ref, rent_caseworker, include_uh=False)
    assert case["pause"]["reason"] == "Delayed benefit"
    assert case["pause"]["until"].startswith(until.isoformat())
    assert case["recommended_action"] == "no_action", "a pause holds letter one"
    immediate = client.get(
        "/api/v1/cases", params={"service_area": "rent", "per_page": 500}, headers=rent_caseworker
    ).json()
    assert rent_ref not in {c["tenancy_ref"] for c in immediate["results"]}
    paused_tab = client.get(
        "/api/v1/cases",
        params={"service_area": "rent", "paused": True, "per_page": 500},
        headers=rent_caseworker,
    ).json()
    assert rent_ref in {c["tenancy_ref"] for c in paused_tab["results"]}

    ended = client.delete(f"/api/v1/cases/{rent_ref}/pause", headers=rent_caseworker)
    assert ended.status_code == 200
    assert _case(client, rent_ref, rent_caseworker, include_uh=False)["pause"] is None
    assert uh_diary(rent_ref)[0]["comment"] == "Pause ended."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param(
            {"until": "2001-01-01", "reason": "Other", "comment": "x"}, "until", id="past"
        ),
        pytest.param(
            {"until": "not a date", "reason": "Other", "comment": "x"}, "until", id="bad date"
        ),
        pytest.param(
            {"until": "2099-01-01", "reason": "Bored", "comment": "x"}, "reason", id="reason"
        ),
        pytest.param(
            {"until": "2099-01-01", "reason": "Other", "comment": ""}, "comment", id="no comment"
        ),
        pytest.param(
            {"until": "2099-01-01", "reason": "Other", "comment": "x", "action_code": "ZZZ"},
            "action_code",
            id="unknown diary code",
        ),
        pytest.param(
            {"until": "2099-01-01", "reason": "Other", "comment": "x", "colour": "red"},
            "colour",
            id="unknown field",
        ),
    ],
)
def test_a_bad_pause_is_refused_and_nothing_is_written(
    client: TestClient,
    rent_caseworker: dict[str, str],
    rent_ref: str,
    uh_diary: Diary,
    body: dict[str, Any],
    field: str,
) -> None:
    diary_before = uh_diary(rent_ref)
    response = client.put(f"/api/v1/cases/{rent_ref}/pause", json=body, headers=rent_caseworker)
    assert response.status_code == 422
    assert field in response.text
    assert uh_diary(rent_ref) == diary_before
    assert _case(client, rent_ref, rent_caseworker, include_uh=False)["pause"] is None


def test_a_diary_entry_is_written_to_uh_and_the_case_reclassified(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str, uh_diary: Diary
) -> None:
    response = client.post(
        f"/api/v1/cases/{rent_ref}/action-diary",
        json={"action_code": "ic1", "comment": "Letter one posted by hand"},
        headers=rent_caseworker,
    )
    assert response.status_code == 202, response.text
    assert response.json() == {"status": "written"}
    entry = uh_diary(rent_ref)[0]
    assert (entry["action_code"], entry["comment"]) == ("IC1", "Letter one posted by hand")
    assert entry["username"] == "Rita Rent"
    case = _case(client, rent_ref, rent_caseworker, include_uh=False)
    assert case["recommended_action"] == "no_action", "letter one was just sent"
    assert case["classification"]["previous_recommended_action"] == "send_letter_one"


def test_a_diary_entry_while_uh_is_down_is_kept_and_written_once_when_it_is_back(
    app: FastAPI,
    client: TestClient,
    rent_caseworker: dict[str, str],
    rent_ref: str,
    uh_diary: Diary,
    network: Any,
    engine: Engine,
) -> None:
    # An earlier entry, as in a running service: UH's action codes are now cached.
    codes_loaded = client.post(
        f"/api/v1/cases/{rent_ref}/action-diary",
        json={"action_code": "OTC", "comment": "Called, no answer"},
        headers=rent_caseworker,
    )
    assert codes_loaded.json() == {"status": "written"}
    network.down = True

    queued = client.post(
        f"/api/v1/cases/{rent_ref}/action-diary",
        json={"action_code": "OTC", "comment": "Called again"},
        headers=rent_caseworker,
    )

    assert queued.status_code == 202, queued.text
    assert queued.json() == {"status": "queued"}
    pending = _case(client, rent_ref, rent_caseworker, include_uh=False)["pending_diary_writes"]
    assert [(p["action_code"], p["comment"], p["status"]) for p in pending] == [
        ("OTC", "Called again", "pending")
    ]
    network.down = False
    with engine.begin() as conn:
        conn.execute(outbox.update().values(next_attempt_at=NOW - dt.timedelta(seconds=1)))
    dispatcher = app.state.dispatcher
    assert client.portal is not None
    delivered = client.portal.call(dispatcher.deliver)
    again = client.portal.call(dispatcher.deliver)
    assert delivered >= 1
    assert again == 0
    comments = [e["comment"] for e in uh_diary(rent_ref)]
    assert comments.count("Called again") == 1
    assert _case(client, rent_ref, rent_caseworker, include_uh=False)["pending_diary_writes"] == []


def test_a_diary_entry_with_an_unknown_code_is_refused(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str
) -> None:
    response = client.post(
        f"/api/v1/cases/{rent_ref}/action-diary",
        json={"action_code": "ZZZ", "comment": "x"},
        headers=rent_caseworker,
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "action_code"


def test_read_only_clients_cannot_act(
    client: TestClient, read_only_client: dict[str, str], rent_ref: str
) -> None:
    response = client.post(
        f"/api/v1/cases/{rent_ref}/action-diary",
        json={"action_code": "OTC", "comment": "x"},
        headers=read_only_client,
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def _agreement(client: TestClient, ref: str, headers: dict[str, str], **body: Any) -> Any:
    payload = {
        "agreement_type": "informal",
        "amount": "25.00",
        "frequency": "weekly",
        "start_date": TODAY.isoformat(),
        "notes": "£25 a week",
    } | body
    return client.post(f"/api/v1/cases/{ref}/agreements", json=payload, headers=headers)


def test_an_informal_agreement_is_made_written_to_uh_and_holds_letters(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str, uh_diary: Diary
) -> None:
    case = _case(client, rent_ref, rent_caseworker, include_uh=False)
    made = _agreement(
        client,
        rent_ref,
        rent_caseworker,
        initial_payment_amount="5.00",
        initial_payment_date=(TODAY + dt.timedelta(days=3)).isoformat(),
    )
    assert made.status_code == 201, made.text
    agreement = made.json()
    assert agreement["current_state"] == "live"
    assert agreement["starting_balance"] == case["balance"]
    assert agreement["initial_payment_amount"] == "5.00"
    assert [h["description"] for h in agreement["history"]] == ["Agreement created"]
    assert uh_diary(rent_ref)[0]["action_code"] == "AGR"
    assert uh_diary(rent_ref)[0]["comment"] == "Informal agreement created: £25 a week"
    after = _case(client, rent_ref, rent_caseworker, include_uh=False)
    assert after["recommended_action"] == "no_action", "a live agreement holds letter one"
    assert after["agreement_state"] == "live"


def test_a_new_agreement_cancels_the_active_one_and_cancelling_keeps_history(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str
) -> None:
    first = _agreement(client, rent_ref, rent_caseworker).json()
    second = _agreement(client, rent_ref, rent_caseworker, amount="30.00").json()
    agreements = client.get(f"/api/v1/cases/{rent_ref}/agreements", headers=rent_caseworker).json()[
        "agreements"
    ]
    assert [(a["id"], a["current_state"]) for a in agreements] == [
        (first["id"], "cancelled"),
        (second["id"], "live"),
    ]
    assert agreements[0]["history"][-1]["description"] == (
        "Cancelled by Rita Rent, reason: New agreement created"
    )
    cancelled = client.post(
        f"/api/v1/agreements/{second['id']}/cancel",
        json={"reason": "Tenant moved to Universal Credit"},
        headers=rent_caseworker,
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["current_state"] == "cancelled"
    assert cancelled.json()["cancellation_reason"] == "Tenant moved to Universal Credit"
    assert len(cancelled.json()["history"]) == 2
    unknown = client.post(
        "/api/v1/agreements/999999/cancel", json={"reason": "x"}, headers=rent_caseworker
    )
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"amount": "-5.00"}, "amount", id="negative instalment"),
        pytest.param({"amount": "0"}, "amount", id="zero instalment"),
        pytest.param({"agreement_type": "formal"}, "court_case_id", id="formal without court case"),
        pytest.param({"frequency": "fortnightlyish"}, "frequency", id="unknown frequency"),
        pytest.param({"start_date": "31/12/2026"}, "start_date", id="bad date"),
        pytest.param(
            {"initial_payment_amount": "50.00"}, "initial_payment_date", id="lump sum without date"
        ),
        pytest.param({"court_case_id": 999999}, "court_case_id", id="someone else's court case"),
    ],
)
def test_a_bad_agreement_is_refused(
    client: TestClient,
    rent_caseworker: dict[str, str],
    rent_ref: str,
    uh_diary: Diary,
    body: dict[str, Any],
    field: str,
) -> None:
    diary_before = uh_diary(rent_ref)
    response = _agreement(client, rent_ref, rent_caseworker, **body)
    assert response.status_code == 422, response.text
    assert field in {d["field"] for d in response.json()["error"]["details"]} or field in (
        response.text
    )
    assert uh_diary(rent_ref) == diary_before
    assert client.get(f"/api/v1/cases/{rent_ref}/agreements", headers=rent_caseworker).json() == {
        "agreements": []
    }


def test_court_case_then_formal_agreement_then_no_informal_over_it(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str, uh_diary: Diary
) -> None:
    hearing = NOW - dt.timedelta(days=10)
    created = client.post(
        f"/api/v1/cases/{rent_ref}/court-cases",
        json={"court_date": hearing.isoformat()},
        headers=rent_caseworker,
    )
    assert created.status_code == 201, created.text
    court_case = created.json()
    assert (uh_diary(rent_ref)[0]["action_code"], uh_diary(rent_ref)[0]["comment"]) == (
        "CDS",
        "Court case created",
    )
    needs_outcome = _case(client, rent_ref, rent_caseworker, include_uh=False)
    assert needs_outcome["recommended_action"] == "update_court_outcome_action"

    missing_terms = client.patch(
        f"/api/v1/court-cases/{court_case['id']}",
        json={"court_outcome": "SOT"},
        headers=rent_caseworker,
    )
    assert missing_terms.status_code == 422
    assert {d["field"] for d in missing_terms.json()["error"]["details"]} == {
        "terms",
        "disrepair_counter_claim",
    }
    updated = client.patch(
        f"/api/v1/court-cases/{court_case['id']}",
        json={
            "court_outcome": "SOT",
            "terms": True,
            "disrepair_counter_claim": False,
            "balance_on_court_outcome_date": "1234.56",
        },
        headers=rent_caseworker,
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["court_outcome_description"] == "Suspension on terms"
    assert uh_diary(rent_ref)[0]["action_code"] == "IC6"
    assert uh_diary(rent_ref)[0]["comment"] == "Court outcome added: Suspension on terms"
    assert (
        _case(client, rent_ref, rent_caseworker, include_uh=False)["recommended_action"]
        == "check_data"
    ), "terms were set but no court agreement is recorded"

    formal = _agreement(
        client,
        rent_ref,
        rent_caseworker,
        agreement_type="formal",
        court_case_id=court_case["id"],
        start_date=TODAY.isoformat(),
    )
    assert formal.status_code == 201, formal.text
    assert formal.json()["starting_balance"] == "1234.56"
    assert uh_diary(rent_ref)[0]["comment"].startswith("Formal agreement created")
    informal = _agreement(client, rent_ref, rent_caseworker)
    assert informal.status_code == 409
    assert informal.json()["error"]["code"] == "existing_formal_agreement"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"court_outcome": "XYZ"}, "court_outcome", id="unknown outcome"),
        pytest.param(
            {"court_outcome": "OPD", "terms": True}, "terms", id="terms on outright order"
        ),
        pytest.param(
            {"court_date": "2026-03-01", "strike_out_date": "2026-02-01"},
            "strike_out_date",
            id="struck out before the hearing",
        ),
    ],
)
def test_a_bad_court_case_is_refused(
    client: TestClient,
    rent_caseworker: dict[str, str],
    rent_ref: str,
    body: dict[str, Any],
    field: str,
) -> None:
    response = client.post(
        f"/api/v1/cases/{rent_ref}/court-cases", json=body, headers=rent_caseworker
    )
    assert response.status_code == 422
    assert field in response.text
    assert client.get(f"/api/v1/cases/{rent_ref}/court-cases", headers=rent_caseworker).json() == {
        "court_cases": []
    }


def test_an_eviction_date_is_written_to_uh_and_holds_every_action(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str, uh_diary: Diary
) -> None:
    date = TODAY + dt.timedelta(days=21)
    created = client.post(
        f"/api/v1/cases/{rent_ref}/evictions",
        json={"date": date.isoformat()},
        headers=rent_caseworker,
    )
    assert created.status_code == 201
    assert uh_diary(rent_ref)[0]["action_code"] == "EDS"
    assert uh_diary(rent_ref)[0]["comment"] == f"Eviction date set to {date:%d/%m/%Y}"
    case = _case(client, rent_ref, rent_caseworker, include_uh=False)
    assert case["recommended_action"] == "no_action"
    assert case["eviction_date"] == date.isoformat()
    upcoming = client.get(
        "/api/v1/cases",
        params={"service_area": "rent", "upcoming_evictions": True},
        headers=rent_caseworker,
    ).json()
    assert rent_ref in {c["tenancy_ref"] for c in upcoming["results"]}


def test_vulnerabilities_are_recorded_reviewed_and_shown_on_the_worktray(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str, uh_diary: Diary
) -> None:
    diary_before = uh_diary(rent_ref)
    recorded = client.post(
        f"/api/v1/cases/{rent_ref}/vulnerabilities",
        json={
            "category": "mental_health",
            "note": "Anxiety; prefers letters to calls",
            "review_date": str(TODAY),
        },
        headers=rent_caseworker,
    )
    assert recorded.status_code == 201, recorded.text
    vulnerability = recorded.json()
    assert vulnerability["review_due"] is True
    assert vulnerability["recorded_by"]
    assert uh_diary(rent_ref) == diary_before, "personal circumstances stay out of UH's diary"
    vulnerable = client.get(
        "/api/v1/cases",
        params={"service_area": "rent", "vulnerable": True, "immediate_actions": False},
        headers=rent_caseworker,
    ).json()
    assert [c["tenancy_ref"] for c in vulnerable["results"]] == [rent_ref]

    reviewed = client.patch(
        f"/api/v1/vulnerabilities/{vulnerability['id']}",
        json={"review_date": str(TODAY + dt.timedelta(days=90))},
        headers=rent_caseworker,
    )
    assert reviewed.status_code == 200
    assert reviewed.json()["review_due"] is False
    assert reviewed.json()["reviewed_by"]
    no_date = client.patch(
        f"/api/v1/vulnerabilities/{vulnerability['id']}", json={}, headers=rent_caseworker
    )
    assert no_date.status_code == 422
    ended = client.patch(
        f"/api/v1/vulnerabilities/{vulnerability['id']}",
        json={"ended": True},
        headers=rent_caseworker,
    )
    assert ended.json()["ended_at"] is not None
    assert _case(client, rent_ref, rent_caseworker, include_uh=False)["has_vulnerability"] is False
    bad = client.post(
        f"/api/v1/cases/{rent_ref}/vulnerabilities",
        json={"category": "grumpy", "note": "x", "review_date": str(TODAY)},
        headers=rent_caseworker,
    )
    assert bad.status_code == 422


def test_checking_an_agreement_on_demand_runs_breach_detection(
    client: TestClient, rent_caseworker: dict[str, str], rent_ref: str
) -> None:
    _agreement(
        client,
        rent_ref,
        rent_caseworker,
        amount="5.00",
        start_date=(TODAY - dt.timedelta(days=40)).isoformat(),
    )
    checked = client.post(f"/api/v1/cases/{rent_ref}/agreements/check", headers=rent_caseworker)
    assert checked.status_code == 200
    latest = checked.json()["agreements"][-1]
    assert latest["current_state"] in {"live", "breached"}
    assert len(latest["history"]) >= 1
    assert latest["last_checked_at"] is not None
    assert Decimal(latest["history"][-1]["checked_balance"] or "0") >= 0
