"""The communications pages in front of the real comms-api as well, in process: its own
SQLite database and document folder, sending through the project's fake GOV.UK Notify (served
on a free port, since the official client speaks real HTTP) and reading UH through the same
uh-gateway as income-api. `comms_network.down` cuts the frontend's wire to comms-api.

comms-api writes each message's diary entry to UH: a test sends only to a case no other test
of its module reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from comms_api.main import create_app as create_comms_app
from comms_api.settings import Settings as CommsSettings
from fake_notify.config import LIVE_API_KEY
from fake_notify.testing import FakeNotifyAdmin, running_fake_notify
from frontend.main import create_app
from frontend.settings import Settings
from frontend.testing import Network, read
from ma_shared.auth import mint_service_token


@pytest.fixture(scope="session")
def notify_url() -> Iterator[str]:
    with running_fake_notify() as base_url:
        yield base_url


@pytest.fixture
def notify(notify_url: str) -> FakeNotifyAdmin:
    """The fake Notify's admin API, with nothing sent yet."""
    admin = FakeNotifyAdmin(notify_url)
    admin.reset()
    return admin


@pytest.fixture(scope="module")
def comms_settings(notify_url: str, data_folder: Path) -> CommsSettings:
    return CommsSettings(
        database_url=f"sqlite:///{data_folder}/comms-api.sqlite3",
        notify_base_url=notify_url,
        notify_api_key=SecretStr(LIVE_API_KEY),
        worker_enabled=False,
        document_store="folder",
        documents_folder=data_folder / "documents",
    )


@pytest.fixture(scope="module")
def comms_app(comms_settings: CommsSettings, gateway_app: FastAPI) -> Iterator[FastAPI]:
    with TestClient(gateway_app, base_url="http://uh-gateway.test") as uh_gateway:
        yield create_comms_app(comms_settings, uh_gateway_client=uh_gateway)


@pytest.fixture
def comms_network(comms_app: FastAPI) -> Network:
    return Network(comms_app)


@pytest.fixture
def app(settings: Settings, income_network: Network, comms_network: Network) -> FastAPI:
    return create_app(
        settings, income_api_transport=income_network, comms_api_transport=comms_network
    )


@pytest.fixture(scope="module")
def uh_accounts(gateway_app: FastAPI, comms_settings: CommsSettings) -> Callable[[str], list[str]]:
    """The payment references of UH's accounts in arrears of a service area."""
    token = mint_service_token(
        "tests", comms_settings.service_jwt_secret.get_secret_value(), dt.timedelta(hours=1)
    )

    def payment_refs(service_area: str) -> list[str]:
        with TestClient(gateway_app) as gateway:
            page = gateway.get(
                f"/api/v1/arrears-criteria/{service_area}",
                params={"limit": 20},
                headers={"Authorization": f"Bearer {token}"},
            ).json()
        return [row["payment_ref"] for row in page["results"] if row["payment_ref"]]

    return payment_refs


@pytest.fixture
def worktray_cases() -> Callable[[TestClient, str], list[str]]:
    """The case references on a worktray's first page, as a caseworker sees them."""

    def refs(client: TestClient, query: str = "") -> list[str]:
        page = read(client.get(f"/worktray{query}"))
        return [str(a["href"]).removeprefix("/cases/") for a in page.main.select("table a")]

    return refs
