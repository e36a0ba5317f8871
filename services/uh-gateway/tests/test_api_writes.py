"""Writing to UH: action diary entries, NOSP served, contact details; idempotency, roles and
bad input (nothing written)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from uh_gateway.gateways.uh_schema import araction, contacts, tenagree
from uh_gateway.simulator.builders import make_contact, make_tenancy


def diary_rows(engine: Engine, ref: str) -> list[Any]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(araction).where(araction.c.tag_ref == ref).order_by(araction.c.araction_sid)
            )
        )


def post_entry(client: TestClient, ref: str, headers: dict[str, str], key: str, **body: Any) -> Any:
    return client.post(
        f"/api/v1/tenancies/{ref}/action-diary",
        json={"action_code": "OTC", "comment": "Rang about the arrears", **body},
        headers={**headers, "Idempotency-Key": key},
    )


def test_diary_entry_is_written_as_uh_writes_it(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn, balance="123.45")

    response = post_entry(client, ref, rent_caseworker, "key-00000001", action_code="otc")

    assert response.status_code == 201
    assert response.json()["action_code"] == "OTC"
    assert response.json()["username"] == "Rita Rent"
    (row,) = diary_rows(uh_engine, ref)
    assert row.action_comment == "Rang about the arrears"
    assert str(row.action_balance) == response.json()["balance"] == "123.45"
    assert (row.action_set, row.action_no, row.comm_only) == (0, 1, True)
    assert (row.action_type, row.action_cat, row.act_status) == ("9", "8", "001")
    assert row.deferred_until == dt.datetime(1900, 1, 1)


def test_retry_with_the_same_key_writes_once(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn)

    first = post_entry(client, ref, rent_caseworker, "key-00000002")
    retry = post_entry(client, ref, rent_caseworker, "key-00000002")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert len(diary_rows(uh_engine, ref)) == 1


def test_key_lost_by_the_gateway_still_does_not_write_twice(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str], settings: Any
) -> None:
    """If the gateway crashed after UH committed, the key's record is missing but UH has the
    row with the key's reference: the retry finds it."""
    from sqlalchemy import create_engine, delete

    from uh_gateway.gateways.idempotency import idempotency_records

    with uh_engine.begin() as conn:
        ref = make_tenancy(conn)
    first = post_entry(client, ref, rent_caseworker, "key-00000003")
    with create_engine(settings.gateway_database_url).begin() as conn:
        conn.execute(delete(idempotency_records))

    retry = post_entry(client, ref, rent_caseworker, "key-00000003")

    assert retry.status_code == 200
    assert retry.json()["id"] == first.json()["id"]
    assert len(diary_rows(uh_engine, ref)) == 1


def test_same_key_for_a_different_entry_is_a_conflict(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn)
    post_entry(client, ref, rent_caseworker, "key-00000004")

    clash = post_entry(client, ref, rent_caseworker, "key-00000004", comment="something else")

    assert clash.status_code == 409
    assert clash.json()["error"]["code"] == "idempotency_key_reused"
    assert len(diary_rows(uh_engine, ref)) == 1


def test_entries_are_numbered_after_the_tenancys_last_step(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn)

    for n in range(3):
        post_entry(client, ref, rent_caseworker, f"key-0000001{n}", comment=f"call {n}")

    rows = diary_rows(uh_engine, ref)
    assert [r.action_no for r in rows] == [1, 2, 3]
    assert len({r.araction_sid for r in rows}) == 3


def test_bad_diary_input_is_rejected_and_nothing_written(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn)
    cases = {
        "unknown code": {"action_code": "XYZ"},
        "empty comment": {"comment": "   "},
        "oversized comment": {"comment": "x" * 2001},
        "unknown field": {"priority": "high"},
    }
    for case, body in cases.items():
        key = f"key-bad-{case.replace(' ', '-')}"
        response = post_entry(client, ref, rent_caseworker, key, **body)
        assert response.status_code == 422, case
        assert response.json()["error"]["code"] == "validation_failed", case
    missing_key = client.post(
        f"/api/v1/tenancies/{ref}/action-diary",
        json={"action_code": "OTC", "comment": "no key"},
        headers=rent_caseworker,
    )
    assert missing_key.status_code == 422
    assert missing_key.json()["error"]["details"][0]["field"] == "Idempotency-Key"
    assert diary_rows(uh_engine, ref) == []


def test_diary_entry_for_an_unknown_tenancy_is_404(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    response = post_entry(client, "999999/99", rent_caseworker, "key-00000020")

    assert response.status_code == 404
    with uh_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(araction)).scalar_one() == 0


def test_read_only_clients_cannot_write(
    client: TestClient, uh_engine: Engine, read_only_client: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn)

    response = post_entry(client, ref, read_only_client, "key-00000030")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert diary_rows(uh_engine, ref) == []


def test_a_service_writes_in_the_caseworkers_name_shortened_for_uh(
    client: TestClient,
    uh_engine: Engine,
    income_service: dict[str, str],
    rent_caseworker: dict[str, str],
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn)

    by_service = post_entry(
        client,
        ref,
        income_service,
        "key-00000040",
        username="Hubert Wolfeschlegelsteinhausenbergerdorff",
    )
    impersonating = post_entry(
        client, ref, rent_caseworker, "key-00000041", username="Someone Else"
    )
    automated = post_entry(client, ref, income_service, "key-00000042", action_code="GAT")

    assert by_service.json()["username"] == "H. Wolfeschlegelsteinhausenbergerdorff"
    assert impersonating.status_code == 422
    assert automated.json()["username"] == "MANAGE ARREARS SYSTEM"


def test_recording_a_nosp_sets_the_dates_and_notes_it_in_the_diary(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn)
    headers = {**rent_caseworker, "Idempotency-Key": "nosp-0000001"}

    response = client.post(
        f"/api/v1/tenancies/{ref}/nosp", json={"served_date": "2026-11-02"}, headers=headers
    )
    retry = client.post(
        f"/api/v1/tenancies/{ref}/nosp", json={"served_date": "2026-11-02"}, headers=headers
    )

    assert response.status_code == 201
    assert response.json()["expiry_date"] == "2026-11-30"
    assert retry.json() == response.json()
    detail = client.get(f"/api/v1/tenancies/{ref}", headers=rent_caseworker).json()
    assert detail["legal"]["nosp_served_date"] == "2026-11-02"
    assert detail["legal"]["nosp_expiry_date"] == "2026-11-30"
    assert [r.action_code for r in diary_rows(uh_engine, ref)] == ["NTS"]


def test_nosp_in_the_future_is_rejected(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn)
    tomorrow = dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=1)

    response = client.post(
        f"/api/v1/tenancies/{ref}/nosp",
        json={"served_date": tomorrow.isoformat()},
        headers={**rent_caseworker, "Idempotency-Key": "nosp-0000002"},
    )

    assert response.status_code == 422
    with uh_engine.connect() as conn:
        served = conn.execute(
            select(tenagree.c.u_notice_served).where(tenagree.c.tag_ref == ref)
        ).scalar_one()
    assert served == dt.datetime(1900, 1, 1)


def test_contact_numbers_and_email_are_validated_and_stored(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn)
        key = make_contact(conn, ref)
    url = f"/api/v1/tenancies/{ref}/contacts/{key}"

    updated = client.patch(
        url,
        json={"mobile_phone": "+44 7700 900999", "email_address": ""},
        headers={**rent_caseworker, "Idempotency-Key": "contact-0001"},
    )
    invalid = client.patch(
        url,
        json={"mobile_phone": "12345", "email_address": "not-an-email"},
        headers={**rent_caseworker, "Idempotency-Key": "contact-0002"},
    )
    nothing = client.patch(
        url, json={}, headers={**rent_caseworker, "Idempotency-Key": "contact-0003"}
    )

    assert updated.status_code == 200
    assert updated.json()["mobile_phone"] == "07700900999"
    assert updated.json()["email_address"] is None
    assert updated.json()["home_phone"] == "020 7946 0001"
    assert invalid.status_code == 422
    assert {d["field"] for d in invalid.json()["error"]["details"]} == {
        "mobile_phone",
        "email_address",
    }
    assert nothing.status_code == 422
    with uh_engine.connect() as conn:
        stored = conn.execute(select(contacts).where(contacts.c.con_key == key)).one()
    assert stored.con_phone1 == "07700900999"


def test_contact_of_another_tenancy_is_not_found(
    client: TestClient, uh_engine: Engine, rent_caseworker: dict[str, str]
) -> None:
    with uh_engine.begin() as conn:
        mine = make_tenancy(conn)
        theirs = make_tenancy(conn)
        key = make_contact(conn, theirs)

    response = client.patch(
        f"/api/v1/tenancies/{mine}/contacts/{key}",
        json={"mobile_phone": "07700900111"},
        headers={**rent_caseworker, "Idempotency-Key": "contact-0004"},
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "contact_not_found"
