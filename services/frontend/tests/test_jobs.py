"""Sync job runs for team leaders (`/jobs`, `/jobs/{id}`, "Sync now") against the real
income-api, which ran a full sync of the test simulator when the module started. Counts are
checked against the job runs income-api recorded."""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert, select, update

from frontend.testing import Network, Page, read
from income_api.gateways.tables import job_runs

SignIn = Callable[[str], TestClient]
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# A run income-api has never recorded (fixed: xdist workers must collect the same tests).
NO_SUCH_RUN = "/jobs/0f6c1a52-8b0e-4a8c-9f1e-2d3c4b5a6978"


def _runs(income_app: FastAPI) -> list[Any]:
    """The job runs income-api recorded, newest first."""
    with income_app.state.engine.connect() as conn:
        return list(conn.execute(select(job_runs).order_by(job_runs.c.started_at.desc())))


def _counts(page: Page) -> dict[str, str]:
    return {row["What"]: row["Number"] for row in page.table("Counts")}


def _sync_now(client: TestClient) -> Any:
    token = read(client.get("/jobs")).form_token
    return client.post("/jobs/sync", data={"csrf_token": token})


@pytest.fixture
def running_job(income_app: FastAPI) -> Iterator[str]:
    """A sync recorded as running (its process alive: a fresh heartbeat); finished after."""
    job_id = str(uuid.uuid4())
    now = dt.datetime.now(tz=dt.UTC)
    engine = income_app.state.engine
    with engine.begin() as conn:
        conn.execute(
            insert(job_runs).values(
                id=job_id,
                kind="full_sync",
                status="running",
                triggered_by="Tess Leader",
                started_at=now,
                heartbeat_at=now,
                accounts_seen=2000,
                by_recommended_action={},
                errors={"items": []},
                timings={},
            )
        )
    yield job_id
    with engine.begin() as conn:
        conn.execute(
            update(job_runs)
            .where(job_runs.c.id == job_id)
            .values(status="abandoned", finished_at=dt.datetime.now(tz=dt.UTC))
        )


def test_a_team_leader_sees_the_job_runs_newest_first(
    signed_in: SignIn, income_app: FastAPI
) -> None:
    page = read(signed_in("team-leader").get("/jobs"))

    assert page.status_code == 200
    assert page.title == "Sync job runs – Manage arrears"
    assert "Sync jobs" in page.navigation
    rows = page.table("Job runs")
    recorded = _runs(income_app)
    assert len(rows) == min(len(recorded), 20)
    first, newest = rows[-1], recorded[-1]
    # The module's first sync, which found one UH agreement it could not migrate.
    assert first["Kind"] == "Full sync"
    assert first["Status"] == "Finished with errors"
    assert first["Accounts"] == f"{newest.accounts_seen:,}"
    assert first["New cases"] == f"{newest.cases_created:,}"
    assert first["Errors"] == f"{newest.error_count:,}"
    assert re.search(r"\d+(\.\d)? seconds|minute", first["Took"])
    assert "Sync now" in page.text


def test_a_job_page_shows_its_counts_time_split_and_errors(
    signed_in: SignIn, income_app: FastAPI
) -> None:
    client = signed_in("team-leader")
    first = _runs(income_app)[-1]
    listing = read(client.get("/jobs"))
    link = next(href for href in listing.links().values() if href == f"/jobs/{first.id}")

    page = read(client.get(link))

    assert page.status_code == 200
    assert page.title == "Full sync: job run – Manage arrears"
    assert page.heading.startswith("Full sync Job run started")
    assert _counts(page) == {
        "Accounts in arrears read from UH": f"{first.accounts_seen:,}",
        "Cases created": f"{first.cases_created:,}",
        "Cases changed": f"{first.cases_changed:,}",
        "Cases closed (no longer in arrears)": f"{first.cases_deleted:,}",
        "Next recommended action changed (new cases included)": (
            f"{first.classification_changes:,}"
        ),
        "Agreements checked": f"{first.agreements_checked:,}",
        "Agreements breached": f"{first.agreements_breached:,}",
        "Accounts that failed": f"{first.error_count:,}",
    }
    parts = {row["Part"]: row for row in page.table("Where the time went")}
    assert list(parts) == [
        "Reading accounts from UH",
        "Classifying (with migrations and breach checks)",
        "Writing cases",
    ]
    assert parts["Writing cases"]["Seconds"] == f"{first.timings['database_seconds']:,.1f}"
    by_action = {row["Next recommended action"]: row["Accounts"] for row in page.table("by next")}
    assert sum(int(n.replace(",", "")) for n in by_action.values()) == first.accounts_seen
    assert by_action["Send letter 1"] == f"{first.by_recommended_action['send_letter_one']:,}"
    errors = page.table("Accounts that failed")
    assert len(errors) == first.error_count == 1
    assert errors[0]["Tenancy"] == first.errors["items"][0]["tenancy_ref"]
    assert "UH agreement not migrated" in errors[0]["What went wrong"]
    assert "Refresh this page" not in page.text


def test_sync_now_starts_a_sync_and_shows_its_page(signed_in: SignIn, income_app: FastAPI) -> None:
    client = signed_in("team-leader")

    response = _sync_now(client)

    assert response.status_code == 303
    location = response.headers["location"]
    assert re.fullmatch(f"/jobs/{UUID}", location)
    job_id = location.removeprefix("/jobs/")
    page = read(client.get(location))
    assert page.status_code == 200
    assert "Full sync" in page.heading
    # Wait for it here: the run lives on this test's event loop.
    deadline = time.monotonic() + 60
    while page.links().get("Refresh this page to see how far the run has got"):
        assert "This full sync is running" in page.text
        assert time.monotonic() < deadline, "the sync did not finish within a minute"
        time.sleep(0.1)
        page = read(client.get(location))
    (run,) = (run for run in _runs(income_app) if run.id == job_id)
    assert run.triggered_by == "Tess Leader"
    status = page.soup.select_one(".govuk-summary-list .govuk-tag")
    assert status is not None
    assert status.get_text(strip=True) == "Finished with errors"
    # Nothing changed in UH since the first sync: every case is read and none written.
    assert _counts(page)["Accounts in arrears read from UH"] == f"{run.accounts_seen:,}"
    assert _counts(page)["Cases changed"] == "0"


def test_a_second_sync_now_while_one_runs_says_so(signed_in: SignIn, running_job: str) -> None:
    client = signed_in("team-leader")

    page = read(_sync_now(client))

    assert page.status_code == 409
    assert page.title == "Sync job runs – Manage arrears"
    banner = page.soup.select_one(".govuk-notification-banner")
    assert banner is not None
    assert banner.get("role") == "alert"
    assert "A sync is already running" in banner.get_text()
    assert "a new one was not started" in banner.get_text()
    follow = banner.find("a")
    assert follow is not None
    assert follow["href"] == f"/jobs/{running_job}"

    running = read(client.get(f"/jobs/{running_job}"))
    assert running.status_code == 200
    assert "This full sync is running" in running.text
    assert running.links()["Refresh this page to see how far the run has got"] == (
        f"/jobs/{running_job}"
    )
    assert _counts(running)["Accounts in arrears read from UH"] == "2,000"
    assert "No account failed so far" in running.text


def test_runs_can_be_narrowed_to_a_kind(signed_in: SignIn) -> None:
    client = signed_in("team-leader")
    page = read(client.get("/jobs"))
    assert page.links()["Intraday refreshes"] == "/jobs?kind=changes_sync"

    refreshes = read(client.get("/jobs?kind=changes_sync"))

    assert refreshes.status_code == 200
    current = refreshes.soup.select_one('.app-tabs a[aria-current="page"]')
    assert current is not None
    assert current.get_text(strip=True) == "Intraday refreshes"
    assert "No runs yet." in refreshes.text
    full = read(client.get("/jobs?kind=full_sync"))
    assert {row["Kind"] for row in full.table("Job runs")} == {"Full sync"}


@pytest.mark.parametrize("role", ["rent", "leasehold"])
@pytest.mark.parametrize("path", ["/jobs", NO_SUCH_RUN, "/dashboard"])
def test_caseworkers_get_the_not_allowed_page(signed_in: SignIn, role: str, path: str) -> None:
    client = signed_in(role)
    page = read(client.get(path))
    assert page.status_code == 403
    assert page.heading == "You cannot do this"
    assert "Sync jobs" not in page.navigation
    assert "Dashboard" not in page.navigation


def test_a_caseworker_cannot_start_a_sync(signed_in: SignIn, income_app: FastAPI) -> None:
    client = signed_in("rent")
    before = len(_runs(income_app))
    token = read(client.get("/search")).form_token

    page = read(client.post("/jobs/sync", data={"csrf_token": token}))

    assert page.status_code == 403
    assert len(_runs(income_app)) == before


@pytest.mark.parametrize("path", ["/jobs/not-a-run", NO_SUCH_RUN], ids=["not an id", "no such run"])
def test_an_unknown_run_is_the_not_found_page(signed_in: SignIn, path: str) -> None:
    page = read(signed_in("team-leader").get(path))
    assert page.status_code == 404
    assert page.heading == "Page not found"


@pytest.mark.parametrize("path", ["/jobs", NO_SUCH_RUN])
def test_income_api_down_is_the_unavailable_page(
    signed_in: SignIn, income_network: Network, path: str
) -> None:
    client = signed_in("team-leader")
    income_network.down = True
    page = read(client.get(path))
    assert page.status_code == 503
    assert page.heading == "Sorry, the service is unavailable"
