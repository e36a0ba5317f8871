"""The frontend in front of the real income-api, itself in front of the real uh-gateway over a
fresh copy of the UH simulator (the `test` profile), all in process. income-api has run a
full sync, so its worktray holds the simulator's accounts in arrears.

The wires between the apps are in-process transports a test can cut (`income_network.down`)
to see what a person sees when income-api cannot be reached."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from frontend.main import create_app
from frontend.settings import Settings
from frontend.testing import Network
from income_api.main import create_app as create_income_app
from income_api.settings import Settings as IncomeSettings
from ma_shared.auth import TOKEN_COOKIE, mint_dev_token
from uh_gateway.main import create_app as create_gateway_app
from uh_gateway.settings import Settings as GatewaySettings
from uh_gateway.simulator.build import build_simulator
from uh_gateway.simulator.generator import PROFILES

TODAY = dt.datetime.now(tz=dt.UTC).date()


@pytest.fixture(scope="session")
def uh_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("uh-template") / "uh.sqlite3"
    build_simulator(f"sqlite:///{path}", size=PROFILES["test"], as_of=TODAY)
    return path


@pytest.fixture(scope="module")
def data_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


# The apps behind the frontend are shared by a module's tests (a sync per test would cost more
# than the tests): pages only read them, and the one test that writes (my patches) writes
# only its own user's choice.
@pytest.fixture(scope="module")
def gateway_app(uh_template: Path, data_folder: Path) -> FastAPI:
    shutil.copyfile(uh_template, data_folder / "uh.sqlite3")
    return create_gateway_app(
        GatewaySettings(
            uh_database_url=f"sqlite:///{data_folder}/uh.sqlite3",
            gateway_database_url=f"sqlite:///{data_folder}/uh-gateway.sqlite3",
        )
    )


@pytest.fixture(scope="module")
def income_settings(data_folder: Path) -> IncomeSettings:
    return IncomeSettings(
        database_url=f"sqlite:///{data_folder}/income-api.sqlite3",
        uh_gateway_url="http://uh-gateway.test",
        scheduler_enabled=False,
        case_events_queue_name=None,
        comms_events_queue_name=None,
    )


@pytest.fixture(scope="module")
def income_app(income_settings: IncomeSettings, gateway_app: FastAPI) -> Iterator[FastAPI]:
    """income-api, started (its lifespan runs) and synced from the simulator."""
    app = create_income_app(income_settings, gateway_transport=Network(gateway_app))
    with TestClient(app) as client:
        token = mint_dev_token("team-leader", income_settings)
        headers = {"Authorization": f"Bearer {token}"}
        started = client.post("/api/v1/sync", json={}, headers=headers)
        assert started.status_code == 202, started.text
        status_url = started.json()["status_url"]
        deadline = time.monotonic() + 60
        while client.get(status_url, headers=headers).json()["status"] == "running":
            assert time.monotonic() < deadline, "the sync did not finish within a minute"
            time.sleep(0.05)
        yield app


@pytest.fixture
def income_network(income_app: FastAPI) -> Network:
    return Network(income_app)


@pytest.fixture
def settings() -> Settings:
    return Settings(income_api_url="http://income-api.test", comms_api_url="http://comms-api.test")


@pytest.fixture
def app(settings: Settings, income_network: Network) -> FastAPI:
    return create_app(settings, income_api_transport=income_network)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A browser that is not signed in (it does not follow redirects, so tests see them)."""
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


SignIn = Callable[[str], TestClient]


@pytest.fixture
def signed_in(client: TestClient, settings: Settings) -> SignIn:
    """The browser, signed in as a dev role (`rent`, `leasehold`, `team-leader`)."""

    def sign_in(role: str) -> TestClient:
        # The domain the test client's own cookies get, so a response can replace it.
        client.cookies.set(TOKEN_COOKIE, mint_dev_token(role, settings), domain="testserver.local")
        return client

    return sign_in
