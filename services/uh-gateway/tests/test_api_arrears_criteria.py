"""Bulk arrears criteria for rent, leasehold attributes, and the changes feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from uh_gateway.simulator.builders import (
    make_action,
    make_agreement,
    make_direct_debit,
    make_tenancy,
    make_transaction,
)

AS_OF = dt.date(2026, 11, 19)  # a Thursday
MONDAY = dt.date(2026, 11, 16)
LAST_WEEK = dt.date(2026, 11, 10)


def rent_criteria(client: TestClient, headers: dict[str, str], **params: Any) -> list[Any]:
    response = client.get(
        "/api/v1/arrears-criteria/rent",
        params={"as_of": AS_OF.isoformat(), **params},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    results: list[Any] = response.json()["results"]
    return results


def test_collectable_arrears_worked_examples_through_uh(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        never_paid = make_tenancy(conn, balance="1000")
        paid_this_week = make_tenancy(conn, balance="1000")
        make_transaction(conn, paid_this_week, "DBR", "400", MONDAY)
        make_transaction(conn, paid_this_week, "RPY", "-200", MONDAY + dt.timedelta(days=1))
        paid_30 = make_tenancy(conn, balance="1000")
        make_transaction(conn, paid_30, "DBR", "400", LAST_WEEK)
        make_transaction(conn, paid_30, "RCP", "-30", MONDAY + dt.timedelta(days=2))
        rent_this_week = make_tenancy(conn, balance="1000")
        make_transaction(conn, rent_this_week, "RDD", "-100", LAST_WEEK)
        make_transaction(conn, rent_this_week, "DBR", "500", MONDAY)

    by_ref = {c["tenancy_ref"]: c for c in rent_criteria(client, rent_caseworker)}

    assert by_ref[never_paid]["collectable_arrears"] == "1000.00"
    assert by_ref[never_paid]["days_since_last_payment"] is None
    assert by_ref[paid_this_week]["collectable_arrears"] == "800.00"
    assert by_ref[paid_this_week]["total_payment_amount_in_week"] == "-200.00"
    assert by_ref[paid_30]["collectable_arrears"] == "970.00"
    assert by_ref[paid_30]["days_since_last_payment"] == 1
    assert by_ref[rent_this_week]["collectable_arrears"] == "500.00"
    assert by_ref[rent_this_week]["last_payment_date"] == LAST_WEEK.isoformat()
    assert by_ref[rent_this_week]["days_since_last_payment"] == 9


def test_only_open_secure_master_accounts_in_arrears_are_included(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        included = make_tenancy(conn, balance="0.01")
        make_tenancy(conn, balance="0.00")
        make_tenancy(conn, balance="-20.00")
        make_tenancy(conn, balance="50.00", terminated=True)
        make_tenancy(conn, balance="50.00", tenure="NON")
        make_tenancy(conn, balance="50.00", agr_type="S")
        make_tenancy(conn, balance="50.00", tenure="LEA", rent_group="LSC")

    assert [c["tenancy_ref"] for c in rent_criteria(client, rent_caseworker)] == [included]


def test_last_communication_counts_only_contact_codes_and_sent_s02(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn, balance="300")
        make_action(conn, ref, "IC1", dt.datetime(2026, 9, 1, 10))
        make_action(conn, ref, "S02", dt.datetime(2026, 10, 1, 10), comment="suggested")
        make_action(conn, ref, "OTC", dt.datetime(2026, 11, 1, 10))
        make_action(conn, ref, "UCC", dt.datetime(2026, 6, 1, 9))
        sent = make_tenancy(conn, balance="300")
        make_action(conn, sent, "IC1", dt.datetime(2026, 9, 1, 10))
        make_action(conn, sent, "S02", dt.datetime(2026, 10, 1, 10), comment="POLICY GENERATED")

    by_ref = {c["tenancy_ref"]: c for c in rent_criteria(client, rent_caseworker)}

    assert by_ref[ref]["last_communication_action"] == "IC1"
    assert by_ref[ref]["last_communication_date"] == "2026-09-01T10:00:00"
    assert by_ref[ref]["universal_credit"] == "2026-06-01T09:00:00"
    assert by_ref[sent]["last_communication_action"] == "S02"


def test_latest_uh_agreement_and_broken_agreements(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn, balance="300")
        make_agreement(conn, ref, "300", dt.datetime(2023, 1, 2), "A1")
        make_agreement(conn, ref, "300", dt.datetime(2024, 1, 2), "A2")
        make_agreement(conn, ref, "200", dt.datetime(2025, 1, 2), "A3")

    (criteria,) = rent_criteria(client, rent_caseworker)

    assert criteria["most_recent_agreement"] == {
        "reference": "A3",
        "start_date": "2025-01-02",
        "status_code": "200",
        "status": "live",
    }
    assert criteria["broken_agreements_count"] == 2


def test_pages_cover_every_account_once(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        refs = sorted(make_tenancy(conn, balance="20") for _ in range(7))
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 3, "as_of": AS_OF.isoformat()}
        if cursor:
            params["cursor"] = cursor
        body = client.get(
            "/api/v1/arrears-criteria/rent", params=params, headers=rent_caseworker
        ).json()
        seen += [c["tenancy_ref"] for c in body["results"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert seen == refs
    assert pages == 3


def test_filter_by_tenancy_refs_and_patch(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        east = make_tenancy(conn, balance="20", patch="E02")
        west = make_tenancy(conn, balance="20", patch="W01")
        paid_up = make_tenancy(conn, balance="0", patch="W01")

    only_west = rent_criteria(client, rent_caseworker, patch="w01")
    named = rent_criteria(client, rent_caseworker, tenancy_ref=[east, paid_up])

    assert [c["tenancy_ref"] for c in only_west] == [west]
    assert [c["tenancy_ref"] for c in named] == [east]


def test_one_tenancy_criteria_and_not_in_arrears(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        owing = make_tenancy(conn, balance="20")
        clear = make_tenancy(conn, balance="0")

    found = client.get(f"/api/v1/tenancies/{owing}/arrears-criteria", headers=rent_caseworker)
    missing = client.get(f"/api/v1/tenancies/{clear}/arrears-criteria", headers=rent_caseworker)

    assert found.json()["balance"] == "20.00"
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_in_arrears"


def test_leasehold_attributes_with_latest_letter_and_direct_debit(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn, tenure="LEA", rent_group="LSC", patch="SC2", balance="1250")
        make_action(conn, ref, "LL1", dt.datetime(2026, 8, 1, 12))
        make_action(conn, ref, "LL2", dt.datetime(2026, 10, 1, 12))
        make_direct_debit(conn, ref, "DDL1", "300", dt.datetime(2019, 1, 1), "90.00")
        make_direct_debit(conn, ref, "DDL2", "100", dt.datetime(2024, 1, 1), "150.00")
        make_tenancy(conn, tenure="FRE", rent_group="LSC", balance="300")
        make_tenancy(conn, tenure="SEC", balance="300")

    body = client.get("/api/v1/arrears-criteria/leasehold", headers=rent_caseworker).json()

    (account,) = body["results"]
    assert account["tenancy_ref"] == ref
    assert account["patch_code"] == "SC2"
    assert account["tenure_type"] == "Leasehold (RTB)"
    assert account["lessee"] == "Mr John Smith"
    assert account["latest_letter"] == "LL2"
    assert account["direct_debit_status"] == "Live"
    assert account["direct_debit_amount"] == "150.00"
    assert account["property_address"].endswith(", London, E8 1DY")


def test_changes_feed_reports_new_transactions_and_diary_entries_once(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        quiet = make_tenancy(conn, balance="20")
        busy = make_tenancy(conn, balance="20")
        make_transaction(conn, quiet, "DBR", "100", LAST_WEEK)
    start = client.get("/api/v1/changes", headers=rent_caseworker).json()
    with uh_engine.begin() as conn:
        make_transaction(conn, busy, "RPY", "-20", AS_OF)
        make_transaction(conn, busy, "RHB", "-5", AS_OF)
        make_action(conn, busy, "OTC", dt.datetime(2026, 11, 19, 11))

    first = client.get(
        "/api/v1/changes", params={"since": start["next_since"]}, headers=rent_caseworker
    ).json()
    again = client.get(
        "/api/v1/changes", params={"since": first["next_since"]}, headers=rent_caseworker
    ).json()

    assert start["changes"] == []
    assert first["changes"] == [
        {"tenancy_ref": busy, "new_transactions": 2, "new_action_diary_entries": 1}
    ]
    assert first["has_more"] is False
    assert again["changes"] == []


def test_changes_feed_pages_when_there_is_more(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn, balance="20")
    start = client.get("/api/v1/changes", headers=rent_caseworker).json()
    with uh_engine.begin() as conn:
        for day in range(3):
            make_transaction(conn, ref, "RPY", "-1", LAST_WEEK + dt.timedelta(days=day))

    first = client.get(
        "/api/v1/changes",
        params={"since": start["next_since"], "limit": 2},
        headers=rent_caseworker,
    ).json()
    second = client.get(
        "/api/v1/changes",
        params={"since": first["next_since"], "limit": 2},
        headers=rent_caseworker,
    ).json()

    assert first["has_more"] is True
    assert first["changes"][0]["new_transactions"] == 2
    assert second["changes"][0]["new_transactions"] == 1
    assert second["has_more"] is False
