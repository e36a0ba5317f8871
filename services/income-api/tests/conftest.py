"""Fixtures: income-api in front of a real uh-gateway app over a real UH simulator database
(the `test` profile, copied fresh for each test), reached over an in-process transport that a
test can cut to simulate the gateway being down.

income-api's own database is SQLite by default; with MA_TEST_POSTGRES=1 (the integration
suite) it is a throwaway PostgreSQL server started for the session."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from income_api.main import create_app
from income_api.settings import Settings
from ma_shared.auth import mint_dev_token, mint_service_token
from ma_shared.database import create_database_engine
from ma_shared.testing import throwaway_postgres
from uh_gateway.main import create_app as create_gateway_app
from uh_gateway.settings import Settings as GatewaySettings
from uh_gateway.simulator.build import build_simulator
from uh_gateway.simulator.generator import PROFILES

TODAY = dt.datetime.now(tz=dt.UTC).date()


class GatewayNetwork(httpx.AsyncBaseTransport):
    """The wire between income-api and uh-gateway: the real gateway app, or, with `down`
    set, a connection that fails as a stopped server's would."""

    def __init__(self, gateway: FastAPI) -> None:
        self._transport = httpx.ASGITransport(app=gateway)
        self.down = False
        self.requests: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        self.requests.append((request.method, request.url.path))
        return await self._transport.handle_async_request(request)


@pytest.fixture(scope="session")
def uh_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("uh-template") / "uh.sqlite3"
    build_simulator(f"sqlite:///{path}", size=PROFILES["test"], as_of=TODAY)
    return path


@pytest.fixture
def uh_database_url(uh_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "uh.sqlite3"
    shutil.copyfile(uh_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def uh_engine(uh_database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(uh_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def gateway_app(uh_database_url: str, tmp_path: Path) -> FastAPI:
    return create_gateway_app(
        GatewaySettings(
            uh_database_url=uh_database_url,
            gateway_database_url=f"sqlite:///{tmp_path}/uh-gateway.sqlite3",
        )
    )


@pytest.fixture
def network(gateway_app: FastAPI) -> GatewayNetwork:
    return GatewayNetwork(gateway_app)


@pytest.fixture
def uh_diary(gateway_app: FastAPI, settings: Settings) -> Callable[[str], list[dict[str, Any]]]:
    """A tenancy's action diary as UH holds it (newest first), read through the gateway."""
    client = TestClient(gateway_app)
    token = mint_service_token(
        "tests", settings.service_jwt_secret.get_secret_value(), dt.timedelta(hours=1)
    )

    def read(tenancy_ref: str) -> list[dict[str, Any]]:
        response = client.get(
            f"/api/v1/tenancies/{tenancy_ref}/action-diary",
            params={"limit": 200},
            headers=bearer(token),
        )
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    return read


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    if os.environ.get("MA_TEST_POSTGRES") != "1":
        yield None
        return
    with throwaway_postgres(("income",)) as urls:
        yield urls["income"]


@pytest.fixture
def database_url(postgres_url: str | None, tmp_path: Path) -> str:
    if postgres_url is None:
        return f"sqlite:///{tmp_path}/income-api.sqlite3"
    engine = create_database_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return postgres_url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        uh_gateway_url="http://uh-gateway.test",
        scheduler_enabled=False,
        case_events_queue_name=None,
        comms_events_queue_name=None,
    )


@pytest.fixture
def app(settings: Settings, network: GatewayNetwork) -> FastAPI:
    return create_app(settings, gateway_transport=network)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def engine(app: FastAPI) -> Engine:
    db: Engine = app.state.engine
    return db


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def rent_caseworker(settings: Settings) -> dict[str, str]:
    return bearer(mint_dev_token("rent", settings))


@pytest.fixture
def leasehold_caseworker(settings: Settings) -> dict[str, str]:
    return bearer(mint_dev_token("leasehold", settings))


@pytest.fixture
def team_leader(settings: Settings) -> dict[str, str]:
    return bearer(mint_dev_token("team-leader", settings))


@pytest.fixture
def read_only_client(settings: Settings) -> dict[str, str]:
    return bearer(mint_dev_token("read-only", settings))


@pytest.fixture
def service(settings: Settings) -> dict[str, str]:
    return bearer(
        mint_service_token(
            "automation", settings.service_jwt_secret.get_secret_value(), dt.timedelta(hours=1)
        )
    )


def _run_sync(client: TestClient, headers: dict[str, str], kind: str = "full_sync") -> Any:
    started = client.post("/api/v1/sync", json={"kind": kind}, headers=headers)
    assert started.status_code == 202, started.text
    job_id = started.json()["job_run_id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] != "running":
            return job
        time.sleep(0.05)
    raise AssertionError("the sync did not finish within a minute")


RunSync = Callable[..., Any]


@pytest.fixture
def run_sync(client: TestClient, team_leader: dict[str, str]) -> RunSync:
    """Start a sync through the API (as a team leader) and wait for its job run to finish."""

    def run(kind: str = "full_sync") -> Any:
        return _run_sync(client, team_leader, kind)

    return run


@pytest.fixture
def synced(run_sync: RunSync) -> Any:
    """A full sync of the test simulator, finished. The simulator holds a live UH agreement
    with a frequency Manage Arrears cannot check: the only error expected."""
    job = run_sync()
    assert job["status"] in {"succeeded", "completed_with_errors"}, job
    assert all("UH agreement not migrated" in e["message"] for e in job["errors"]), job
    return job
