"""Fixtures for the API tests: a pinned "today", a builder that puts cases straight into
income-api's database, and the shared error body check.

The top-level conftest gives the app, its client, its engine and the role tokens."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, insert, select

from income_api.domain.terms import ServiceArea
from income_api.domain.worktray import action_rank
from income_api.gateways.tables import Base, cases
from income_api.settings import Settings

Headers = dict[str, str]


@pytest.fixture
def today() -> dt.date:
    """The day the app treats as today (UTC)."""
    return dt.datetime.now(tz=dt.UTC).date()


@pytest.fixture
def start_of_today(today: dt.date) -> dt.datetime:
    return dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)


@pytest.fixture
def settings(settings: Settings, today: dt.date) -> Settings:
    """The top-level settings with the app's date pinned to `today`, so a test that runs
    across midnight still compares with the day its cases were built for."""
    return settings.model_copy(update={"classification_date": today})


class MakeCase(Protocol):
    def __call__(
        self,
        tenancy_ref: str | None = None,
        *,
        service_area: str = ...,
        balance: str | Decimal = ...,
        recommended_action: str | None = ...,
        **columns: Any,
    ) -> str: ...


_MONEY_COLUMNS = frozenset(
    {
        "balance",
        "collectable_arrears",
        "weekly_gross_rent",
        "total_payment_amount_in_week",
        "weeks_of_rent_owed",
        "direct_debit_amount",
        "money_judgement",
        "charging_order",
        "balance_in_dispute",
    }
)


@pytest.fixture
def make_case(engine: Engine, start_of_today: dt.datetime) -> MakeCase:
    """Insert one worktray row and return its tenancy reference.

    Defaults: a rent case with £250.00 balance, recommended `send_letter_one` (leasehold
    cases default to `send_letter_one` too), no patch, not paused, no vulnerability. Money may
    be given as strings; any other column of `cases` may be set by name."""
    numbers = itertools.count(1)

    def make(
        tenancy_ref: str | None = None,
        *,
        service_area: str = ServiceArea.RENT.value,
        balance: str | Decimal = "250.00",
        recommended_action: str | None = None,
        **columns: Any,
    ) -> str:
        ref = tenancy_ref or f"{900000 + next(numbers):06d}/01"
        action = recommended_action or "send_letter_one"
        synced = start_of_today + dt.timedelta(hours=2)
        row: dict[str, Any] = {
            "tenancy_ref": ref,
            "service_area": service_area,
            "payment_ref": f"22{ref[:6]}01",
            "balance": balance,
            "collectable_arrears": balance if service_area == ServiceArea.RENT else None,
            "weekly_gross_rent": "100.00" if service_area == ServiceArea.RENT else None,
            "has_vulnerability": False,
            "recommended_action": action,
            "action_rank": action_rank(ServiceArea(service_area), action),
            "classification_rule": "test",
            "classification_reason": f"Built by a test: {action}",
            "classification_changed_at": synced,
            "synced_at": synced,
            "created_at": synced,
            "updated_at": synced,
            **columns,
        }
        for name in _MONEY_COLUMNS:
            if isinstance(row.get(name), str):
                row[name] = Decimal(row[name])
        with engine.begin() as conn:
            conn.execute(insert(cases).values(**row))
        return ref

    return make


# Starlette's TestClient answers with httpx2 responses.
GetCases = Callable[..., httpx2.Response]


@pytest.fixture
def get_cases(client: TestClient, rent_caseworker: Headers) -> GetCases:
    """`GET /api/v1/cases` (rent, as a rent caseworker unless `headers` or `service_area`
    say otherwise); keyword arguments are the query."""

    def get(*, headers: Headers | None = None, **params: Any) -> httpx2.Response:
        query = {"service_area": "rent", **params}
        query = {name: value for name, value in query.items() if value is not None}
        return client.get(
            "/api/v1/cases",
            params=query,
            headers=rent_caseworker if headers is None else headers,
        )

    return get


class AssertError(Protocol):
    def __call__(
        self, response: httpx2.Response, status: int, code: str, *, field: str | None = None
    ) -> dict[str, Any]: ...


@pytest.fixture
def assert_error() -> AssertError:
    """Check the error body every service returns:
    `{"error": {"code", "message", "details"}, "correlation_id"}`, with the correlation id
    also in the response header. With `field`, one of the details must name that field."""

    def check(
        response: httpx2.Response, status: int, code: str, *, field: str | None = None
    ) -> dict[str, Any]:
        assert response.status_code == status, response.text
        body: dict[str, Any] = response.json()
        assert set(body) == {"error", "correlation_id"}
        error = body["error"]
        assert set(error) == {"code", "message", "details"}
        assert error["code"] == code
        assert isinstance(error["message"], str)
        assert error["message"]
        assert isinstance(error["details"], list)
        assert body["correlation_id"]
        assert body["correlation_id"] == response.headers["X-Correlation-Id"]
        if field is not None:
            fields = [detail["field"] for detail in error["details"]]
            assert field in fields, error["details"]
        info: dict[str, Any] = error
        return info

    return check


@pytest.fixture
def count_rows(engine: Engine) -> Callable[[], dict[str, int]]:
    """Rows in each of income-api's tables, to show a request wrote nothing."""

    def count() -> dict[str, int]:
        with engine.connect() as conn:
            return {
                table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for table in Base.metadata.sorted_tables
            }

    return count
