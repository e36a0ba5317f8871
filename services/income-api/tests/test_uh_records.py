"""UH records read through income-api for the caseworkers' app: tenancy search, patches, and a
case's transactions and action diary page by page, through the real gateway."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from income_api.gateways.tables import cases

Headers = dict[str, str]


def _ref(engine: Engine, service_area: str) -> str:
    with engine.connect() as conn:
        ref = conn.execute(
            select(cases.c.tenancy_ref).where(cases.c.service_area == service_area).limit(1)
        ).scalar_one()
    return str(ref)


@pytest.fixture
def rent_ref(synced: dict[str, Any], engine: Engine) -> str:
    return _ref(engine, "rent")


@pytest.fixture
def leasehold_ref(synced: dict[str, Any], engine: Engine) -> str:
    return _ref(engine, "leasehold")


def test_search_finds_a_tenancy_and_says_whether_the_caller_may_open_its_case(
    client: TestClient, rent_caseworker: Headers, leasehold_caseworker: Headers, rent_ref: str
) -> None:
    found = client.get("/api/v1/tenancies", params={"q": rent_ref}, headers=rent_caseworker)
    assert found.status_code == 200, found.text
    page = found.json()
    assert page["total"] >= 1
    first = page["results"][0]
    assert first["tenancy_ref"] == rent_ref
    assert first["service_area"] == "rent"
    assert first["has_case"] is True
    assert isinstance(first["current_balance"], str)

    other = client.get("/api/v1/tenancies", params={"q": rent_ref}, headers=leasehold_caseworker)
    assert other.json()["results"][0]["has_case"] is False


def test_search_needs_two_characters_and_a_token(
    client: TestClient, rent_caseworker: Headers
) -> None:
    short = client.get("/api/v1/tenancies", params={"q": "a"}, headers=rent_caseworker)
    assert short.status_code == 422
    assert short.json()["error"]["details"][0]["field"] == "q"
    assert client.get("/api/v1/tenancies", params={"q": "mare"}).status_code == 401


def test_patches_of_a_service_area_and_only_for_its_caseworkers(
    client: TestClient, rent_caseworker: Headers, leasehold_caseworker: Headers
) -> None:
    patches = client.get(
        "/api/v1/patches", params={"service_area": "rent"}, headers=rent_caseworker
    )
    assert patches.status_code == 200, patches.text
    codes = [patch["code"] for patch in patches.json()]
    assert codes
    assert all(patch["service_area"] == "rent" for patch in patches.json())
    refused = client.get(
        "/api/v1/patches", params={"service_area": "rent"}, headers=leasehold_caseworker
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "wrong_service_area"


def test_a_cases_transactions_page_by_page_and_by_date(
    client: TestClient, rent_caseworker: Headers, rent_ref: str
) -> None:
    path = f"/api/v1/cases/{rent_ref}/transactions"
    first = client.get(path, params={"limit": 5}, headers=rent_caseworker).json()
    assert len(first["results"]) == 5
    assert first["next_cursor"]
    second = client.get(
        path, params={"limit": 5, "cursor": first["next_cursor"]}, headers=rent_caseworker
    ).json()
    assert second["results"][0]["posted_at"] <= first["results"][-1]["posted_at"]
    assert {t["id"] for t in first["results"]}.isdisjoint(t["id"] for t in second["results"])

    newest = dt.datetime.fromisoformat(first["results"][0]["posted_at"]).date()
    same_day = client.get(
        path, params={"from": newest.isoformat(), "to": newest.isoformat()}, headers=rent_caseworker
    ).json()
    assert same_day["results"]
    assert all(t["posted_at"].startswith(newest.isoformat()) for t in same_day["results"])
    backwards = client.get(
        path, params={"from": "2025-02-01", "to": "2025-01-01"}, headers=rent_caseworker
    )
    assert backwards.status_code == 422


def test_a_cases_action_diary_page_by_page(
    client: TestClient, rent_caseworker: Headers, rent_ref: str
) -> None:
    diary = client.get(
        f"/api/v1/cases/{rent_ref}/action-diary", params={"limit": 2}, headers=rent_caseworker
    )
    assert diary.status_code == 200, diary.text
    body = diary.json()
    assert set(body) == {"results", "next_cursor"}
    for entry in body["results"]:
        assert entry["action_code"]
        assert "action_date" in entry


def test_a_cases_records_follow_the_case_access_rules(
    client: TestClient,
    rent_caseworker: Headers,
    leasehold_caseworker: Headers,
    rent_ref: str,
    network: Any,
) -> None:
    for kind in ("transactions", "action-diary"):
        assert (
            client.get(f"/api/v1/cases/{rent_ref}/{kind}", headers=leasehold_caseworker).status_code
            == 403
        )
        missing = client.get(f"/api/v1/cases/999999/99/{kind}", headers=rent_caseworker)
        assert missing.status_code == 404
    network.down = True
    down = client.get(f"/api/v1/cases/{rent_ref}/transactions", headers=rent_caseworker)
    assert down.status_code == 503
    assert down.json()["error"]["code"] == "upstream_unavailable"
    search = client.get("/api/v1/tenancies", params={"q": "mare"}, headers=rent_caseworker)
    assert search.status_code == 503
