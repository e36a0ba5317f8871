"""Fixtures: a real UH simulator database per test, and the gateway app in front of it.

SQLite by default; with MA_TEST_POSTGRES=1 (the integration suite) the same tests run on a
throwaway PostgreSQL server started for the session."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete

from ma_shared.auth import mint_dev_token, mint_service_token
from ma_shared.database import create_database_engine
from ma_shared.testing import throwaway_postgres
from uh_gateway.gateways.idempotency import idempotency_records
from uh_gateway.gateways.uh_schema import metadata
from uh_gateway.main import create_app
from uh_gateway.migrations import upgrade
from uh_gateway.settings import Settings
from uh_gateway.simulator.reference_data import seed_reference_data


@pytest.fixture(scope="session")
def postgres_urls() -> Iterator[dict[str, str] | None]:
    if os.environ.get("MA_TEST_POSTGRES") != "1":
        yield None
        return
    with throwaway_postgres(("uh", "gateway")) as urls:
        yield urls


@pytest.fixture(scope="session")
def uh_database_url(
    postgres_urls: dict[str, str] | None, tmp_path_factory: pytest.TempPathFactory
) -> str:
    if postgres_urls:
        return postgres_urls["uh"]
    return f"sqlite:///{tmp_path_factory.mktemp('uh')}/uh.sqlite3"


@pytest.fixture
def uh_engine(uh_database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(uh_database_url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with engine.begin() as conn:
        seed_reference_data(conn)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(
    uh_database_url: str,
    uh_engine: Engine,
    postgres_urls: dict[str, str] | None,
    tmp_path: Path,
) -> Settings:
    gateway_url = f"sqlite:///{tmp_path}/gateway.sqlite3"
    if postgres_urls:
        gateway_url = postgres_urls["gateway"]
        upgrade(gateway_url)
        engine = create_database_engine(gateway_url)
        with engine.begin() as conn:
            conn.execute(delete(idempotency_records))
        engine.dispose()
    return Settings(uh_database_url=uh_database_url, gateway_database_url=gateway_url)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def rent_caseworker(settings: Settings) -> dict[str, str]:
    return _bearer(mint_dev_token("rent", settings))


@pytest.fixture
def leasehold_caseworker(settings: Settings) -> dict[str, str]:
    return _bearer(mint_dev_token("leasehold", settings))


@pytest.fixture
def read_only_client(settings: Settings) -> dict[str, str]:
    return _bearer(mint_dev_token("read-only", settings))


@pytest.fixture
def income_service(settings: Settings) -> dict[str, str]:
    return _bearer(
        mint_service_token(
            "income-api", settings.service_jwt_secret.get_secret_value(), dt.timedelta(hours=1)
        )
    )
