"""comms-api in front of the project's fake GOV.UK Notify, served for real on a free port:
the official client talks to it over HTTP as it would to Notify."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import text

from comms_api.main import create_app
from comms_api.settings import Settings
from fake_notify.config import LIVE_API_KEY
from fake_notify.testing import FakeNotifyAdmin, running_fake_notify
from ma_shared.auth import mint_dev_token
from ma_shared.database import create_database_engine
from ma_shared.testing import throwaway_postgres


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
def settings(notify_url: str, database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
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
