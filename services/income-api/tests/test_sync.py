"""The sync against a real uh-gateway over the `test` simulator profile: every account in
arrears becomes one case, re-runs change nothing, the intraday refresh follows payments,
UH's legal records are migrated once, agreements are checked for breach, and every run is
recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, insert, or_, select, update

from income_api.gateways.tables import (
    agreement_states,
    agreements,
    cases,
    court_cases,
    evictions,
    job_runs,
    outbox,
)
from uh_gateway.gateways.uh_schema import tenagree
from uh_gateway.simulator.builders import (
    make_action,
    make_agreement,
    make_tenancy,
    make_transaction,
)

NOW = dt.datetime.now(tz=dt.UTC)
TODAY = NOW.date()


def _uh(dt_value: dt.datetime | dt.date) -> dt.datetime:
    """UH keeps naive local times."""
    if isinstance(dt_value, dt.datetime):
        return dt_value.replace(tzinfo=None)
    return dt.datetime.combine(dt_value, dt.time())


def _case(engine: Engine, ref: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(cases).where(cases.c.tenancy_ref == ref)).first()


def _count(engine: Engine, table: Any, *where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def _events(engine: Engine, event_type: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(outbox.c.payload).where(outbox.c.kind == "case_event"))
        return [row.payload for row in rows if row.payload["event_type"] == event_type]


def test_full_sync_makes_one_case_per_account_in_arrears(
    synced: dict[str, Any], engine: Engine, uh_engine: Engine
) -> None:
    with uh_engine.connect() as conn:
        rent_in_arrears = conn.execute(
            select(func.count())
            .select_from(tenagree)
            .where(
                tenagree.c.cur_bal > 0,
                tenagree.c.tenure == "SEC",
                tenagree.c.terminated.is_(False),
                tenagree.c.agr_type == "M",
            )
        ).scalar_one()
    rent_cases = _count(engine, cases, cases.c.service_area == "rent")
    leasehold_cases = _count(engine, cases, cases.c.service_area == "leasehold")
    assert rent_cases == rent_in_arrears
    assert leasehold_cases > 0
    assert synced["accounts_seen"] == rent_cases + leasehold_cases
    assert synced["cases_created"] == rent_cases + leasehold_cases
    assert sum(synced["by_recommended_action"].values()) == synced["accounts_seen"]
    assert set(synced["timings"]) == {
        "gateway_reads_seconds",
        "classification_seconds",
        "database_seconds",
    }
    assert synced["finished_at"] is not None
    with engine.connect() as conn:
        reasons = conn.execute(select(cases.c.classification_reason)).scalars().all()
    assert all(reasons), "every case says why"


def test_a_rerun_with_nothing_changed_writes_nothing(
    synced: dict[str, Any], run_sync: Callable[..., Any], engine: Engine
) -> None:
    states_before = _count(engine, agreement_states)
    again = run_sync()
    assert again["status"] == synced["status"]
    assert again["cases_created"] == 0
    assert again["cases_changed"] == 0
    assert again["cases_deleted"] == 0
    assert again["classification_changes"] == 0
    assert again["by_recommended_action"] == synced["by_recommended_action"]
    assert _count(engine, agreement_states) == states_before


def test_a_case_whose_account_is_cleared_is_closed_by_the_full_sync(
    synced: dict[str, Any], run_sync: Callable[..., Any], engine: Engine, uh_engine: Engine
) -> None:
    with engine.connect() as conn:
        ref = conn.execute(
            select(cases.c.tenancy_ref).where(cases.c.service_area == "rent").limit(1)
        ).scalar_one()
    with uh_engine.begin() as conn:
        conn.execute(update(tenagree).where(tenagree.c.tag_ref == ref).values(cur_bal=Decimal(0)))
    job = run_sync()
    assert job["cases_deleted"] == 1
    assert _case(engine, ref) is None
    assert [e["entity_id"] for e in _events(engine, "income.case_closed")] == [ref]


def test_a_payment_this_morning_takes_the_case_off_this_afternoons_worktray(
    synced: dict[str, Any],
    run_sync: Callable[..., Any],
    client: TestClient,
    rent_caseworker: dict[str, str],
    engine: Engine,
    uh_engine: Engine,
) -> None:
    with engine.connect() as conn:
        letter_one = conn.execute(
            select(cases.c.tenancy_ref, cases.c.balance).where(
                cases.c.service_area == "rent", cases.c.recommended_action == "send_letter_one"
            )
        ).first()
    assert letter_one is not None
    ref, balance = letter_one
    with uh_engine.begin() as conn:
        make_transaction(conn, ref, "RPY", str(-balance), _uh(NOW - dt.timedelta(minutes=5)))
        conn.execute(update(tenagree).where(tenagree.c.tag_ref == ref).values(cur_bal=Decimal(0)))

    job = run_sync("changes_sync")

    assert job["status"] == "succeeded", job
    assert job["changes_since"] == synced["changes_until"]
    assert job["accounts_seen"] == 0
    assert job["cases_deleted"] == 1
    worktray = client.get(
        "/api/v1/cases",
        params={"service_area": "rent", "per_page": 500},
        headers=rent_caseworker,
    ).json()
    assert ref not in {row["tenancy_ref"] for row in worktray["results"]}


def test_the_intraday_refresh_reclassifies_a_case_with_a_new_diary_entry(
    synced: dict[str, Any], run_sync: Callable[..., Any], engine: Engine, uh_engine: Engine
) -> None:
    an_hour_ago = NOW - dt.timedelta(hours=1)
    with engine.connect() as conn:
        # The simulator writes diary entries at any time today: take a case whose latest
        # contact is older than the letter we record.
        ref = str(
            conn.execute(
                select(cases.c.tenancy_ref)
                .where(
                    cases.c.service_area == "rent",
                    cases.c.recommended_action == "send_letter_one",
                    or_(
                        cases.c.last_communication_date.is_(None),
                        cases.c.last_communication_date < an_hour_ago,
                    ),
                )
                .order_by(cases.c.tenancy_ref)
            )
            .scalars()
            .first()
        )
    with uh_engine.begin() as conn:
        make_action(conn, ref, "IC1", _uh(an_hour_ago), comment="Letter 1 sent")

    job = run_sync("changes_sync")

    assert job["accounts_seen"] == 1
    case = _case(engine, ref)
    assert case.recommended_action == "no_action"
    assert case.previous_recommended_action == "send_letter_one"
    assert case.last_communication_action == "IC1"
    changed = _events(engine, "income.case_classification_changed")
    assert {
        "previous_recommended_action": "send_letter_one",
        "recommended_action": "no_action",
    }.items() <= [e["event_data"] for e in changed if e["entity_id"] == ref][-1].items()


def test_the_first_intraday_refresh_only_marks_where_the_feed_stands(
    run_sync: Callable[..., Any], engine: Engine
) -> None:
    job = run_sync("changes_sync")
    assert job["status"] == "succeeded"
    assert job["changes_since"] is None
    assert job["changes_until"]
    assert _count(engine, cases) == 0


def test_uh_court_case_eviction_and_agreements_are_migrated_once(
    run_sync: Callable[..., Any], engine: Engine, uh_engine: Engine
) -> None:
    hearing = dt.datetime.combine(TODAY - dt.timedelta(days=60), dt.time(10))
    with uh_engine.begin() as conn:
        ref = make_tenancy(
            conn,
            balance="900.00",
            courtdate=hearing,
            u_court_outcome="SUP",
            evictdate=_uh(TODAY + dt.timedelta(days=30)),
            u_notice_served=_uh(TODAY - dt.timedelta(days=200)),
        )
        make_agreement(conn, ref, "200", _uh(TODAY - dt.timedelta(days=50)), "AR9000001")

    first = run_sync()
    second = run_sync()

    with engine.connect() as conn:
        court = conn.execute(select(court_cases).where(court_cases.c.tenancy_ref == ref)).one()
        eviction = conn.execute(select(evictions).where(evictions.c.tenancy_ref == ref)).one()
        migrated = conn.execute(select(agreements).where(agreements.c.tenancy_ref == ref)).one()
    assert court.court_outcome == "SOT", "UH's SUP is a suspension on terms"
    assert court.court_date == hearing.replace(tzinfo=dt.UTC)
    assert court.terms is False
    assert eviction.date == TODAY + dt.timedelta(days=30)
    assert migrated.agreement_type == "formal", "the last UH agreement follows the court case"
    assert migrated.court_case_id == court.id
    assert migrated.amount == Decimal("50.20")
    assert migrated.created_by == "Managed Arrears migration from UH"
    assert migrated.legacy_uh_id is not None
    assert first["cases_created"] >= 1
    assert second["cases_created"] == 0
    case = _case(engine, ref)
    assert case.recommended_action == "no_action", "an eviction date holds every action"
    assert case.eviction_date == TODAY + dt.timedelta(days=30)


def test_a_uh_agreement_that_cannot_be_migrated_is_recorded_and_the_run_goes_on(
    run_sync: Callable[..., Any], engine: Engine, uh_engine: Engine
) -> None:
    from uh_gateway.gateways.uh_schema import aragdet

    with uh_engine.begin() as conn:
        ref = make_tenancy(conn, balance="400.00")
        make_agreement(conn, ref, "200", _uh(TODAY - dt.timedelta(days=20)), "AR9000002")
        conn.execute(
            update(aragdet)
            .where(
                aragdet.c.aragdet_sid == select(func.max(aragdet.c.aragdet_sid)).scalar_subquery()
            )
            .values(aragdet_frequency="7")
        )

    job = run_sync()

    assert job["status"] == "completed_with_errors"
    assert any(e["tenancy_ref"] == ref and "not migrated" in e["message"] for e in job["errors"])
    assert job["error_count"] == len(job["errors"])
    assert _case(engine, ref) is not None, "the account is still classified"


def test_breach_detection_marks_a_missed_instalment_and_publishes_it(
    synced: dict[str, Any],
    run_sync: Callable[..., Any],
    client: TestClient,
    rent_caseworker: dict[str, str],
    engine: Engine,
) -> None:
    with engine.connect() as conn:
        case = conn.execute(
            select(cases)
            .where(
                cases.c.service_area == "rent",
                cases.c.recommended_action == "send_letter_one",
                cases.c.agreement_state.is_(None),
            )
            .limit(1)
        ).one()
    made = client.post(
        f"/api/v1/cases/{case.tenancy_ref}/agreements",
        json={
            "agreement_type": "informal",
            "amount": "10.00",
            "frequency": "weekly",
            "start_date": (TODAY - dt.timedelta(days=30)).isoformat(),
            "notes": "Ten pounds a week",
        },
        headers=rent_caseworker,
    )
    assert made.status_code == 201, made.text

    run_sync()

    agreement = client.get(
        f"/api/v1/cases/{case.tenancy_ref}/agreements", headers=rent_caseworker
    ).json()["agreements"][-1]
    assert agreement["current_state"] == "breached"
    latest = agreement["history"][-1]
    assert latest["description"].startswith("Breached by £")
    assert Decimal(latest["checked_balance"]) == case.balance
    assert Decimal(latest["expected_balance"]) < case.balance
    breached = _events(engine, "income.agreement_breached")
    assert [e["entity_id"] for e in breached].count(case.tenancy_ref) == 1
    after = _case(engine, case.tenancy_ref)
    assert after.recommended_action == "send_informal_agreement_breach_letter"
    assert after.agreement_state == "breached"


def test_only_one_sync_runs_at_a_time(
    client: TestClient, team_leader: dict[str, str], engine: Engine
) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(job_runs).values(
                id="11111111-1111-1111-1111-111111111111",
                kind="full_sync",
                status="running",
                triggered_by="someone",
                started_at=NOW,
                heartbeat_at=NOW,
                by_recommended_action={},
                errors={"items": []},
                timings={},
            )
        )
    refused = client.post("/api/v1/sync", json={}, headers=team_leader)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "sync_already_running"
    assert "11111111-1111-1111-1111-111111111111" in refused.json()["error"]["message"]


def test_a_run_whose_process_died_is_marked_abandoned(
    run_sync: Callable[..., Any], client: TestClient, team_leader: dict[str, str], engine: Engine
) -> None:
    long_ago = NOW - dt.timedelta(hours=5)
    with engine.begin() as conn:
        conn.execute(
            insert(job_runs).values(
                id="22222222-2222-2222-2222-222222222222",
                kind="full_sync",
                status="running",
                triggered_by="someone",
                started_at=long_ago,
                heartbeat_at=long_ago,
                by_recommended_action={},
                errors={"items": []},
                timings={},
            )
        )
    assert run_sync()["status"] in {"succeeded", "completed_with_errors"}
    dead = client.get(
        "/api/v1/jobs/22222222-2222-2222-2222-222222222222", headers=team_leader
    ).json()
    assert dead["status"] == "abandoned"


def test_a_sync_that_cannot_reach_the_gateway_fails_visibly_and_deletes_nothing(
    synced: dict[str, Any], run_sync: Callable[..., Any], network: Any, engine: Engine
) -> None:
    before = _count(engine, cases)
    network.down = True
    job = run_sync()
    assert job["status"] == "failed"
    assert "uh-gateway could not be reached" in job["message"]
    assert _count(engine, cases) == before


def test_job_runs_are_listed_newest_first(
    run_sync: Callable[..., Any], client: TestClient, read_only_client: dict[str, str]
) -> None:
    first = run_sync()
    second = run_sync("changes_sync")
    listed = client.get("/api/v1/jobs", headers=read_only_client).json()
    assert [job["id"] for job in listed["results"]] == [second["id"], first["id"]]
    assert listed["total_count"] == 2
    only_full = client.get(
        "/api/v1/jobs", params={"kind": "full_sync"}, headers=read_only_client
    ).json()
    assert [job["id"] for job in only_full["results"]] == [first["id"]]
    missing = client.get("/api/v1/jobs/not-a-run", headers=read_only_client)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_only_team_leaders_and_services_start_a_sync(
    client: TestClient,
    rent_caseworker: dict[str, str],
    read_only_client: dict[str, str],
    service: dict[str, str],
) -> None:
    assert client.post("/api/v1/sync", headers=rent_caseworker).status_code == 403
    assert client.post("/api/v1/sync", headers=read_only_client).status_code == 403
    assert client.post("/api/v1/sync").status_code == 401
    started = client.post("/api/v1/sync", json={"kind": "changes_sync"}, headers=service)
    assert started.status_code == 202
    assert started.json()["status_url"] == f"/api/v1/jobs/{started.json()['job_run_id']}"
