"""comms-api in front of the project's fake GOV.UK Notify, served for real on a free port:
the official client talks to it over HTTP as it would to Notify; the real uh-gateway over a
copy of the UH simulator. Shared by the message, queue and document tests."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, text

from comms_api.main import create_app
from comms_api.settings import Settings
from fake_notify.config import LIVE_API_KEY
from fake_notify.testing import FakeNotifyAdmin, running_fake_notify
from ma_shared.auth import mint_dev_token, mint_service_token
from ma_shared.database import create_database_engine
from ma_shared.testing import throwaway_postgres
from uh_gateway.main import create_app as create_gateway_app
from uh_gateway.settings import Settings as GatewaySettings
from uh_gateway.simulator.build import build_simulator
from uh_gateway.simulator.generator import PROFILES

HOUR = dt.timedelta(hours=1)


@pytest.fixture(scope="session")
def notify_url() -> Iterator[str]:
    with running_fake_notify() as base_url:
        yield base_url


@pytest.fixture
def notify(notify_url: str) -> FakeNotifyAdmin:
    admin = FakeNotifyAdmin(notify_url)
    admin.reset()
    return admin


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    if os.environ.get("MA_TEST_POSTGRES") != "1":
        yield None
        return
    with throwaway_postgres(("comms",)) as urls:
        yield urls["comms"]


@pytest.fixture
def database_url(postgres_url: str | None, tmp_path: Path) -> str:
    """SQLite by default; with MA_TEST_POSTGRES=1 (the integration suite), PostgreSQL."""
    if postgres_url is None:
        return f"sqlite:///{tmp_path}/comms-api.sqlite3"
    engine = create_database_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return postgres_url


@pytest.fixture
def settings(notify_url: str, database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        notify_base_url=notify_url,
        notify_api_key=SecretStr(LIVE_API_KEY),
        worker_enabled=False,
        document_store="folder",
        documents_folder=tmp_path / "documents",
    )


@pytest.fixture(scope="session")
def uh_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("uh") / "uh.sqlite3"
    build_simulator(f"sqlite:///{path}", size=PROFILES["test"])
    return path


@pytest.fixture
def uh_gateway(uh_template: Path, tmp_path: Path) -> Iterator[TestClient]:
    """The real uh-gateway over a fresh copy of the UH simulator, in process."""
    shutil.copyfile(uh_template, tmp_path / "uh.sqlite3")
    gateway = create_gateway_app(
        GatewaySettings(
            uh_database_url=f"sqlite:///{tmp_path}/uh.sqlite3",
            gateway_database_url=f"sqlite:///{tmp_path}/uh-gateway.sqlite3",
        )
    )
    with TestClient(gateway, base_url="http://uh-gateway.test") as client:
        yield client


@pytest.fixture
def tenancy_ref(uh_gateway: TestClient, settings: Settings) -> str:
    """A tenancy that UH has."""
    token = mint_service_token("tests", settings.service_jwt_secret.get_secret_value(), HOUR)
    page = uh_gateway.get(
        "/api/v1/arrears-criteria/rent",
        params={"limit": 1},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    ref: str = page["results"][0]["tenancy_ref"]
    return ref


@pytest.fixture
def uh_engine(uh_gateway: TestClient, tmp_path: Path) -> Iterator[Engine]:
    """The UH simulator's database behind `uh_gateway`, to shape an account for a test."""
    engine = create_database_engine(f"sqlite:///{tmp_path}/uh.sqlite3")
    yield engine
    engine.dispose()


@pytest.fixture
def leasehold_accounts(uh_gateway: TestClient, settings: Settings) -> list[dict[str, str]]:
    """Five leasehold accounts in arrears that UH has: tenancy and payment references."""
    token = mint_service_token("tests", settings.service_jwt_secret.get_secret_value(), HOUR)
    page = uh_gateway.get(
        "/api/v1/arrears-criteria/leasehold",
        params={"limit": 5},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    return [
        {"tenancy_ref": row["tenancy_ref"], "payment_ref": row["payment_ref"]}
        for row in page["results"]
    ]


@pytest.fixture
def bearer(settings: Settings) -> Callable[[str], dict[str, str]]:
    """Headers for a signed-in user of a role: rent, leasehold, team-leader, read-only."""
    return lambda role: {"Authorization": f"Bearer {mint_dev_token(role, settings)}"}


@pytest.fixture
def uh_diary(uh_gateway: TestClient, settings: Settings) -> Callable[[str], list[dict[str, Any]]]:
    """A tenancy's action diary as UH holds it, newest first."""
    token = mint_service_token("tests", settings.service_jwt_secret.get_secret_value(), HOUR)

    def read(ref: str) -> list[dict[str, Any]]:
        response = uh_gateway.get(
            f"/api/v1/tenancies/{ref}/action-diary",
            params={"limit": 50},
            headers={"Authorization": f"Bearer {token}"},
        )
        entries: list[dict[str, Any]] = response.json()["results"]
        return entries

    return read


@pytest.fixture
def app(settings: Settings, notify: FakeNotifyAdmin, uh_gateway: TestClient) -> FastAPI:
    return create_app(settings, uh_gateway_client=uh_gateway)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def caseworker(settings: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token('rent', settings)}"}


@pytest.fixture
def automation(settings: Settings) -> dict[str, str]:
    token = mint_service_token("automation", settings.service_jwt_secret.get_secret_value(), HOUR)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def read_only(settings: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token('read-only', settings)}"}
