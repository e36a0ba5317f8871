"""Reading a tenancy through the API: detail, search, transactions, diary, contacts, UH
agreements, letter data, patches and payment references."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from uh_gateway.gateways.uh_schema import househ
from uh_gateway.simulator.builders import (
    make_action,
    make_agreement,
    make_contact,
    make_direct_debit,
    make_tenancy,
    make_transaction,
)


def test_tenancy_detail_shows_balances_legal_dates_and_direct_debit(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(
            conn,
            balance="523.10",
            rent="95.50",
            service="12.25",
            other_charge="1.00",
            u_notice_served=dt.datetime(2026, 3, 2),
            members=[("Ms", "Ada", "Obi", True), ("Mr", "Kofi", "Obi", True)],
        )
        make_direct_debit(conn, ref, "DD1", "300", dt.datetime(2020, 1, 1), "100.00")
        make_direct_debit(conn, ref, "DD2", "100", dt.datetime(2025, 6, 1), "120.00")

    response = client.get(f"/api/v1/tenancies/{quote(ref, safe='')}", headers=rent_caseworker)

    assert response.status_code == 200
    body = response.json()
    assert body["tenancy_ref"] == ref
    assert body["service_area"] == "rent"
    assert body["tenure"] == {"code": "SEC", "name": "Secure"}
    assert body["balances"]["current_balance"] == "523.10"
    assert body["balances"]["weekly_gross_rent"] == "108.75"
    assert body["legal"]["nosp_served_date"] == "2026-03-02"
    # UH's 1900-01-01 "no date" is absent, not a date in 1900.
    assert body["legal"]["court_date"] is None
    assert body["legal"]["eviction_date"] is None
    assert [m["full_name"] for m in body["members"]] == ["Ms Ada Obi", "Mr Kofi Obi"]
    assert body["direct_debit"]["reference"] == "DD2"
    assert body["direct_debit"]["status_description"] == "Live"


def test_unknown_tenancy_is_404_with_the_error_body(
    client: TestClient, rent_caseworker: dict[str, str]
) -> None:
    response = client.get("/api/v1/tenancies/999999/99", headers=rent_caseworker)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "tenancy_not_found"
    assert response.json()["correlation_id"] == response.headers["X-Correlation-Id"]


def test_malformed_tenancy_ref_is_rejected(
    client: TestClient, rent_caseworker: dict[str, str]
) -> None:
    response = client.get("/api/v1/tenancies/12-34", headers=rent_caseworker)

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "tenancy_ref"


def test_reading_needs_a_token(client: TestClient) -> None:
    response = client.get("/api/v1/tenancies/123456/01")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_search_finds_by_ref_payment_ref_name_postcode_and_address(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn, members=[("Mrs", "Grace", "Adeyemi", True)])
        make_tenancy(conn, members=[("Mr", "Tom", "Baker", True)])
    searches = {
        ref: 1,
        "grace adeyemi": 1,
        "Adeyemi": 1,
        "e8 1d": 2,
        "mare street": 2,
        "nobody-like-this": 0,
        "%%": 0,  # typed characters, not wildcards
        "__": 0,
    }
    for query, expected in searches.items():
        response = client.get("/api/v1/tenancies", params={"q": query}, headers=rent_caseworker)
        assert response.status_code == 200, query
        assert response.json()["total"] == expected, query
    by_name = client.get("/api/v1/tenancies", params={"q": "adeyemi"}, headers=rent_caseworker)
    assert by_name.json()["results"][0]["tenant_names"] == "Mrs Grace Adeyemi"


def test_search_pages_with_a_total(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        refs = sorted(make_tenancy(conn) for _ in range(5))

    pages = [
        client.get(
            "/api/v1/tenancies",
            params={"q": "mare street", "page": page, "page_size": 2},
            headers=rent_caseworker,
        ).json()
        for page in (1, 2, 3)
    ]

    assert [p["total"] for p in pages] == [5, 5, 5]
    assert [r["tenancy_ref"] for p in pages for r in p["results"]] == refs


def test_transactions_are_newest_first_with_running_balance_and_description(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn, balance="150.00")
        make_transaction(conn, ref, "DBR", "100.00", dt.date(2026, 11, 2))
        make_transaction(conn, ref, "RHB", "-50.00", dt.date(2026, 11, 5))
        make_transaction(conn, ref, "DBR", "100.00", dt.date(2026, 11, 9))

    first = client.get(
        f"/api/v1/tenancies/{ref}/transactions", params={"limit": 2}, headers=rent_caseworker
    ).json()
    second = client.get(
        f"/api/v1/tenancies/{ref}/transactions",
        params={"limit": 2, "cursor": first["next_cursor"]},
        headers=rent_caseworker,
    ).json()

    rows = first["results"] + second["results"]
    assert [(r["type_code"], r["amount"], r["balance_after"]) for r in rows] == [
        ("DBR", "100.00", "150.00"),
        ("RHB", "-50.00", "50.00"),
        ("DBR", "100.00", "100.00"),
    ]
    assert rows[1]["type_description"] == "Housing Benefit"
    assert rows[1]["kind"] == "payment"
    assert second["next_cursor"] is None


def test_transactions_in_a_date_range_keep_the_true_balance(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn, balance="150.00")
        make_transaction(conn, ref, "DBR", "100.00", dt.date(2026, 11, 2))
        make_transaction(conn, ref, "RHB", "-50.00", dt.date(2026, 11, 5))
        make_transaction(conn, ref, "DBR", "100.00", dt.date(2026, 11, 9))

    response = client.get(
        f"/api/v1/tenancies/{ref}/transactions",
        params={"from": "2026-11-03", "to": "2026-11-06"},
        headers=rent_caseworker,
    )

    assert [(r["amount"], r["balance_after"]) for r in response.json()["results"]] == [
        ("-50.00", "50.00")
    ]


def test_bad_cursor_and_backwards_range_are_rejected(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn)
    url = f"/api/v1/tenancies/{ref}/transactions"

    bad_cursor = client.get(url, params={"cursor": "not-a-cursor"}, headers=rent_caseworker)
    backwards = client.get(
        url, params={"from": "2026-11-06", "to": "2026-11-01"}, headers=rent_caseworker
    )

    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["error"]["code"] == "invalid_cursor"
    assert backwards.status_code == 422


def test_action_diary_is_newest_first_with_action_names(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn)
        for day in (1, 2, 3):
            make_action(conn, ref, "OTC", dt.datetime(2026, 10, day, 9), comment=f"call {day}")

    first = client.get(
        f"/api/v1/tenancies/{ref}/action-diary", params={"limit": 2}, headers=rent_caseworker
    ).json()
    rest = client.get(
        f"/api/v1/tenancies/{ref}/action-diary",
        params={"cursor": first["next_cursor"]},
        headers=rent_caseworker,
    ).json()

    assert [e["comment"] for e in first["results"] + rest["results"]] == [
        "call 3",
        "call 2",
        "call 1",
    ]
    assert first["results"][0]["action_name"] == "Outgoing Telephone Call"


def test_contacts_list_responsible_members_and_phone_numbers(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn, members=[("Ms", "Ada", "Obi", True), ("", "Chidi", "Obi", False)])
        make_contact(conn, ref, con_phone1="07700 900123", email_address="")

    body = client.get(f"/api/v1/tenancies/{ref}/contacts", headers=rent_caseworker).json()

    assert [m["forename"] for m in body["responsible_members"]] == ["Ada"]
    assert [m["forename"] for m in body["other_members"]] == ["Chidi"]
    assert body["contacts"][0]["mobile_phone"] == "07700 900123"
    assert body["contacts"][0]["email_address"] is None


def test_uh_agreements_newest_first_with_schedule(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn)
        make_agreement(conn, ref, "300", dt.datetime(2024, 1, 8), "AG1")
        make_agreement(conn, ref, "200", dt.datetime(2025, 5, 5), "AG2")

    body = client.get(f"/api/v1/tenancies/{ref}/agreements", headers=rent_caseworker).json()

    assert [(a["reference"], a["status"]) for a in body] == [("AG2", "live"), ("AG1", "breached")]
    assert body[0]["schedule"][0]["frequency"] == "weekly"
    assert body[0]["schedule"][0]["amount"] == "50.20"


def test_uh_agreements_of_many_tenancies_in_one_request(
    client: TestClient, uh_engine: Engine, income_service: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        first, second, none = make_tenancy(conn), make_tenancy(conn), make_tenancy(conn)
        make_agreement(conn, first, "300", dt.datetime(2024, 1, 8), "AG1")
        make_agreement(conn, first, "200", dt.datetime(2025, 5, 5), "AG2")
        make_agreement(conn, second, "500", dt.datetime(2023, 3, 1), "AG3")

    response = client.get(
        "/api/v1/arrears-agreements",
        params=[("tenancy_ref", first), ("tenancy_ref", second), ("tenancy_ref", none)],
        headers=income_service,
    )

    assert response.status_code == 200
    found = {item["tenancy_ref"]: item["agreements"] for item in response.json()}
    assert set(found) == {first, second}, "a tenancy without agreements is left out"
    assert [a["reference"] for a in found[first]] == ["AG2", "AG1"]
    assert found[second][0]["status"] == "cancelled"
    assert found[first][0]["schedule"][0]["amount"] == "50.20"
    assert (
        found[first]
        == client.get(f"/api/v1/tenancies/{first}/agreements", headers=income_service).json()
    ), "the same answer as for one tenancy"


@pytest.mark.parametrize(
    "params",
    [
        pytest.param([], id="no tenancy"),
        pytest.param([("tenancy_ref", "nonsense")], id="malformed reference"),
        pytest.param([("tenancy_ref", f"{n:06d}/01") for n in range(501)], id="too many"),
    ],
)
def test_bulk_uh_agreements_refuse_bad_requests(
    client: TestClient,
    income_service: dict[str, str],
    params: list[tuple[str, str | int | float | bool | None]],
) -> None:
    response = client.get("/api/v1/arrears-agreements", params=params, headers=income_service)
    assert response.status_code == 422
    assert response.json()["error"]["code"] in {
        "validation_failed",
        "invalid_filter",
        "too_many_refs",
    }


def test_rent_letter_data_has_name_address_and_what_is_missing(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn, balance="410.00", members=[("Mr", "", "Smith", True)])

    body = client.get(f"/api/v1/tenancies/{ref}/rent-letter-data", headers=rent_caseworker).json()

    assert body["address"]["lines"][1:] == ["Hackney", "London"]
    assert body["address"]["postcode"] == "E8 1DY"
    assert body["total_collectable_arrears_balance"] == "410.00"
    assert body["missing_fields"] == ["forename"]


def test_leasehold_letters_go_to_the_correspondence_address(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn, tenure="LEA", rent_group="LSC", patch="SC1", balance="900")
        conn.execute(
            update(househ)
            .where(househ.c.house_desc == "Mr John Smith")
            .values(corr_preamble="12 Rue de Rivoli", corr_desig="Paris", corr_postcode="75001")
        )

    body = client.get(
        f"/api/v1/tenancies/{ref}/leasehold-letter-data", headers=rent_caseworker
    ).json()

    assert body["lessee_full_name"] == "Mr John Smith"
    assert body["lessee_short_name"] == "John Smith"
    assert body["correspondence_address"]["lines"] == ["12 Rue de Rivoli", "Paris"]
    assert body["correspondence_address"]["international"] is True
    assert body["original_lease_date"] == "1999-03-01"
    assert body["missing_fields"] == []


def test_leasehold_letter_data_gives_the_day_letter_1_was_sent(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn, tenure="LEA", rent_group="LSC", patch="SC1", balance="900")
    path = f"/api/v1/tenancies/{ref}/leasehold-letter-data"
    before = client.get(path, headers=rent_caseworker).json()

    for key, code in (("key-letter-1", "LL1"), ("key-a-call", "OTC")):
        written = client.post(
            f"/api/v1/tenancies/{ref}/action-diary",
            json={"action_code": code, "comment": "Sent by hand"},
            headers={**rent_caseworker, "Idempotency-Key": key},
        )
        assert written.status_code == 201, written.text
        if code == "LL1":
            letter_1_day = written.json()["action_date"][:10]

    assert before["arrears_letter_1_date"] is None
    assert client.get(path, headers=rent_caseworker).json()["arrears_letter_1_date"] == letter_1_day


def test_patches_count_accounts_and_arrears(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        make_tenancy(conn, patch="W03", balance="12.00")
        make_tenancy(conn, patch="W03", balance="-5.00")

    patches = client.get(
        "/api/v1/patches", params={"service_area": "rent"}, headers=rent_caseworker
    ).json()

    w03 = next(p for p in patches if p["code"] == "W03")
    assert (w03["name"], w03["accounts"], w03["accounts_in_arrears"]) == (
        "Arrears West Patch 3",
        2,
        1,
    )
    assert {p["service_area"] for p in patches} == {"rent"}


def test_payment_reference_leads_to_its_tenancy(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn, u_saff_rentacc="1938001204")

    found = client.get("/api/v1/payment-references/1938001204", headers=rent_caseworker)
    unknown = client.get("/api/v1/payment-references/1111111111", headers=rent_caseworker)
    malformed = client.get("/api/v1/payment-references/12AB", headers=rent_caseworker)

    assert found.json() == {
        "payment_ref": "1938001204",
        "tenancy_ref": ref,
        "service_area": "rent",
    }
    assert unknown.status_code == 404
    assert malformed.status_code == 422


def test_letter_data_for_many_payment_references_says_what_each_one_is(
    client: TestClient, uh_engine: Engine, leasehold_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        lessee = make_tenancy(
            conn,
            tenure="LEA",
            rent_group="LSC",
            patch="SC1",
            balance="900",
            u_saff_rentacc="1970000001",
        )
        tenant = make_tenancy(conn, balance="410.00", u_saff_rentacc="1970000002")

    response = client.post(
        "/api/v1/letter-data/search",
        json={
            "service_area": "leasehold",
            "payment_refs": ["1970000001", "1111111111", "1970000002", "1970000001"],
        },
        headers=leasehold_caseworker,
    )
    malformed = client.post(
        "/api/v1/letter-data/search",
        json={"service_area": "leasehold", "payment_refs": ["12AB"]},
        headers=leasehold_caseworker,
    )

    found, unknown, rent_account, again = response.json()["results"]
    assert found["tenancy_ref"] == lessee
    assert found["leasehold"]["lessee_full_name"] == "Mr John Smith"
    assert found["leasehold"]["total_collectable_arrears_balance"] == "900.00"
    assert unknown == {
        "payment_ref": "1111111111",
        "tenancy_ref": None,
        "service_area": None,
        "rent": None,
        "leasehold": None,
    }
    assert (rent_account["tenancy_ref"], rent_account["service_area"]) == (tenant, "rent")
    assert rent_account["leasehold"] is None
    assert rent_account["rent"] is None
    assert again == found
    assert malformed.status_code == 422
