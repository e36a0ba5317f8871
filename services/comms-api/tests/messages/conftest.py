"""comms-api in front of the project's fake GOV.UK Notify, served for real on a free port:
the official client talks to it over HTTP as it would to Notify."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from comms_api.main import create_app
from comms_api.settings import Settings
from fake_notify.config import LIVE_API_KEY
from fake_notify.testing import FakeNotifyAdmin, running_fake_notify
from ma_shared.auth import mint_dev_token


@pytest.fixture(scope="session")
def notify_url() -> Iterator[str]:
    with running_fake_notify() as base_url:
        yield base_url


@pytest.fixture
def notify(notify_url: str) -> FakeNotifyAdmin:
    admin = FakeNotifyAdmin(notify_url)
    admin.reset()
    return admin


@pytest.fixture
def settings(notify_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path}/comms-api.sqlite3",
        notify_base_url=notify_url,
        notify_api_key=SecretStr(LIVE_API_KEY),
        worker_enabled=False,
    )


@pytest.fixture
def app(settings: Settings, notify: FakeNotifyAdmin) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def caseworker(settings: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token('rent', settings)}"}


@pytest.fixture
def read_only(settings: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token('read-only', settings)}"}
