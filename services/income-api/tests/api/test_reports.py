"""`GET /api/v1/reports/...`: cases and arrears by patch and by recommended action, and cases
whose action changed, for the team leaders' dashboard. Cases are put straight into the
database, except where a real sync shows what counts as a change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, or_, select

from income_api.gateways.tables import cases
from uh_gateway.simulator.builders import make_action

Headers = dict[str, str]
REPORTS = ["cases-by-patch", "cases-by-action", "action-changes"]


def _report(client: TestClient, name: str, headers: Headers, **params: str) -> Any:
    response = client.get(f"/api/v1/reports/{name}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_cases_and_arrears_by_patch_unassigned_last(
    client: TestClient, team_leader: Headers, make_case: Callable[..., str]
) -> None:
    make_case(patch_code="W02", balance="100.00")
    make_case(patch_code="E01", balance="250.50")
    make_case(patch_code="E01", balance="49.50")
    make_case(patch_code=None, balance="10.00")
    make_case(service_area="leasehold", patch_code="E01", balance="5000.00")

    report = _report(client, "cases-by-patch", team_leader, service_area="rent")

    assert report == {
        "service_area": "rent",
        "case_count": 4,
        "collectable_arrears": "410.00",
        "results": [
            {"patch_code": "E01", "case_count": 2, "collectable_arrears": "300.00"},
            {"patch_code": "W02", "case_count": 1, "collectable_arrears": "100.00"},
            {"patch_code": None, "case_count": 1, "collectable_arrears": "10.00"},
        ],
    }


def test_a_case_with_no_collectable_amount_counts_but_adds_nothing(
    client: TestClient, team_leader: Headers, make_case: Callable[..., str]
) -> None:
    make_case(service_area="leasehold", patch_code="L1", collectable_arrears="1200.00")
    make_case(service_area="leasehold", patch_code="L1", collectable_arrears=None)

    report = _report(client, "cases-by-patch", team_leader, service_area="leasehold")

    assert report["results"] == [
        {"patch_code": "L1", "case_count": 2, "collectable_arrears": "1200.00"}
    ]


def test_cases_by_action_most_urgent_first(
    client: TestClient, team_leader: Headers, make_case: Callable[..., str]
) -> None:
    make_case(recommended_action="send_letter_one", balance="100.00")
    make_case(recommended_action="send_NOSP", balance="900.00")
    make_case(recommended_action="send_NOSP", balance="1100.00")
    make_case(recommended_action="no_action", balance="20.00")

    report = _report(client, "cases-by-action", team_leader, service_area="rent")

    assert report == {
        "service_area": "rent",
        "case_count": 4,
        "collectable_arrears": "2120.00",
        "results": [
            {"recommended_action": "send_NOSP", "case_count": 2, "collectable_arrears": "2000.00"},
            {
                "recommended_action": "send_letter_one",
                "case_count": 1,
                "collectable_arrears": "100.00",
            },
            {"recommended_action": "no_action", "case_count": 1, "collectable_arrears": "20.00"},
        ],
    }


def test_action_changes_count_changed_cases_since_the_moment_not_new_ones(
    client: TestClient,
    team_leader: Headers,
    make_case: Callable[..., str],
    start_of_today: dt.datetime,
) -> None:
    monday = start_of_today - dt.timedelta(days=start_of_today.weekday())
    make_case(
        recommended_action="send_letter_two",
        previous_recommended_action="send_letter_one",
        classification_changed_at=monday,
    )
    make_case(
        recommended_action="send_letter_two",
        previous_recommended_action="send_letter_one",
        classification_changed_at=monday + dt.timedelta(days=1),
    )
    make_case(
        recommended_action="send_NOSP",
        previous_recommended_action="send_letter_two",
        classification_changed_at=monday + dt.timedelta(minutes=1),
    )
    # Changed last week; classified for the first time this week; leasehold.
    make_case(
        recommended_action="send_NOSP",
        previous_recommended_action="send_letter_two",
        classification_changed_at=monday - dt.timedelta(seconds=1),
    )
    make_case(recommended_action="send_letter_one", classification_changed_at=monday)
    make_case(
        service_area="leasehold",
        recommended_action="send_letter_two",
        previous_recommended_action="send_letter_one",
        classification_changed_at=monday,
    )

    report = _report(
        client, "action-changes", team_leader, service_area="rent", since=monday.isoformat()
    )

    assert report == {
        "service_area": "rent",
        "since": monday.isoformat().replace("+00:00", "Z"),
        "case_count": 3,
        "results": [
            {"recommended_action": "send_NOSP", "case_count": 1},
            {"recommended_action": "send_letter_two", "case_count": 2},
        ],
    }


def test_a_change_made_by_the_intraday_refresh_is_counted(
    synced: dict[str, Any],
    run_sync: Callable[..., Any],
    client: TestClient,
    team_leader: Headers,
    engine: Engine,
    uh_engine: Engine,
) -> None:
    before = dt.datetime.now(tz=dt.UTC)
    # The first sync classified every case for the first time: nothing changed yet.
    first = _report(
        client, "action-changes", team_leader, service_area="rent", since=synced["started_at"]
    )
    assert first["case_count"] == 0
    an_hour_ago = before - dt.timedelta(hours=1)
    with engine.connect() as conn:
        ref = conn.execute(
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
            .limit(1)
        ).scalar_one()
    with uh_engine.begin() as conn:
        make_action(conn, ref, "IC1", an_hour_ago.replace(tzinfo=None), comment="Letter 1 sent")

    run_sync("changes_sync")

    report = _report(
        client, "action-changes", team_leader, service_area="rent", since=before.isoformat()
    )
    assert report["case_count"] == 1
    assert report["results"] == [{"recommended_action": "no_action", "case_count": 1}]


@pytest.mark.parametrize("name", REPORTS)
def test_a_caseworker_sees_only_their_service_area(
    client: TestClient,
    rent_caseworker: Headers,
    read_only_client: Headers,
    assert_error: Callable[..., Any],
    name: str,
) -> None:
    since = {"since": "2025-03-03T00:00:00Z"} if name == "action-changes" else {}
    own = client.get(
        f"/api/v1/reports/{name}", params={"service_area": "rent", **since}, headers=rent_caseworker
    )
    assert own.status_code == 200, own.text
    other = client.get(
        f"/api/v1/reports/{name}",
        params={"service_area": "leasehold", **since},
        headers=rent_caseworker,
    )
    assert_error(other, 403, "wrong_service_area")
    read_only = client.get(
        f"/api/v1/reports/{name}",
        params={"service_area": "leasehold", **since},
        headers=read_only_client,
    )
    assert read_only.status_code == 200


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("cases-by-patch", {}, "service_area"),
        ("cases-by-action", {"service_area": "garages"}, "service_area"),
        ("action-changes", {"service_area": "rent"}, "since"),
        ("action-changes", {"service_area": "rent", "since": "last monday"}, "since"),
        ("action-changes", {"service_area": "rent", "since": "1066-10-14"}, "since"),
    ],
    ids=["no service area", "unknown service area", "no since", "unreadable since", "since 1066"],
)
def test_bad_queries_are_refused(
    client: TestClient,
    team_leader: Headers,
    assert_error: Callable[..., Any],
    name: str,
    params: dict[str, str],
    field: str,
) -> None:
    response = client.get(f"/api/v1/reports/{name}", params=params, headers=team_leader)
    assert_error(response, 422, "validation_failed", field=field)


def test_empty_reports(client: TestClient, team_leader: Headers) -> None:
    assert _report(client, "cases-by-patch", team_leader, service_area="leasehold") == {
        "service_area": "leasehold",
        "case_count": 0,
        "collectable_arrears": "0.00",
        "results": [],
    }
