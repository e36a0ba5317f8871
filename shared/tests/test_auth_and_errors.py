"""The shared pieces every service relies on: tokens and roles, the error body, correlation
ids, and the health check."""

from __future__ import annotations

import datetime as dt
import json
import logging

import jwt
import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from ma_shared.app import create_service_app
from ma_shared.auth import (
    Reader,
    Role,
    Writer,
    mint_dev_token,
    mint_service_token,
    mint_user_token,
    roles_for_groups,
)
from ma_shared.errors import NotFound
from ma_shared.settings import DEV_JWT_SECRET, AuthMode, ServiceSettings
from ma_shared.structured_logging import JsonFormatter

SETTINGS = ServiceSettings(service_name="test-service")


class Payment(BaseModel):
    amount: int


def make_client(healthy: bool = True) -> TestClient:
    async def database() -> None:
        if not healthy:
            raise ConnectionError("down")

    app = create_service_app(
        title="test",
        description="test",
        version="1.0",
        settings=SETTINGS,
        health_checks={"database": database},
    )

    @app.get("/api/v1/things/{thing_id}")
    def read_thing(thing_id: int, user: Reader) -> dict[str, str]:
        if thing_id == 404:
            raise NotFound("No such thing.")
        if thing_id == 500:
            raise RuntimeError("secret internal detail")
        return {"sub": user.sub}

    @app.post("/api/v1/payments")
    def pay(payment: Payment, user: Writer) -> dict[str, int]:
        return {"amount": payment.amount}

    return TestClient(app, raise_server_exceptions=False)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("groups", "roles"),
    [
        pytest.param(["income-collection-officers"], {Role.RENT_CASEWORKER}, id="income group"),
        pytest.param(["leasehold-services"], {Role.LEASEHOLD_CASEWORKER}, id="leasehold group"),
        pytest.param(
            ["manage-arrears-team-leaders"],
            {Role.TEAM_LEADER, Role.RENT_CASEWORKER, Role.LEASEHOLD_CASEWORKER},
            id="team leaders can do both caseworkers' work",
        ),
        pytest.param(["manage-arrears-api-read-only"], {Role.READ_ONLY}, id="read-only client"),
        pytest.param(["finance"], set(), id="other groups give nothing"),
    ],
)
def test_groups_map_to_roles(groups: list[str], roles: set[Role]) -> None:
    assert roles_for_groups(groups, SETTINGS) == roles


def test_a_valid_user_token_reaches_the_route() -> None:
    response = make_client().get(
        "/api/v1/things/1", headers=bearer(mint_dev_token("read-only", SETTINGS))
    )

    assert response.status_code == 200
    assert response.json() == {"sub": "dev-read-only"}


@pytest.mark.parametrize(
    ("token", "message"),
    [
        pytest.param("not-a-jwt", "not a valid JWT", id="garbage"),
        pytest.param(
            mint_user_token(
                sub="1",
                email="a@b.c",
                name="A",
                groups=["income"],
                secret="a-different-secret-of-32-bytes-or-more",
            ),
            "signature",
            id="signed with another secret",
        ),
        pytest.param(
            mint_user_token(
                sub="1",
                email="a@b.c",
                name="A",
                groups=["income"],
                secret=DEV_JWT_SECRET,
                expires_in=dt.timedelta(seconds=-60),
            ),
            "expired",
            id="expired",
        ),
        pytest.param(
            jwt.encode({"sub": "1", "email": "a@b.c"}, DEV_JWT_SECRET, algorithm="HS256"),
            "groups",
            id="no groups claim",
        ),
        pytest.param(
            jwt.encode({"sub": "1", "groups": []}, "", algorithm="none"),
            "signature",
            id="unsigned",
        ),
    ],
)
def test_bad_tokens_are_401_with_the_error_body(token: str, message: str) -> None:
    response = make_client().get("/api/v1/things/1", headers=bearer(token))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert message in response.json()["error"]["message"]


def test_a_token_without_a_permitted_group_is_403() -> None:
    token = mint_user_token(
        sub="9", email="x@hackney.gov.uk", name="X", groups=["finance"], secret=DEV_JWT_SECRET
    )

    response = make_client().get("/api/v1/things/1", headers=bearer(token))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_read_only_clients_cannot_write_but_services_can() -> None:
    client = make_client()
    service_token = mint_service_token(
        "income-api", SETTINGS.service_jwt_secret.get_secret_value(), dt.timedelta(minutes=5)
    )

    read_only = client.post(
        "/api/v1/payments",
        json={"amount": 1},
        headers=bearer(mint_dev_token("read-only", SETTINGS)),
    )
    service = client.post("/api/v1/payments", json={"amount": 1}, headers=bearer(service_token))

    assert read_only.status_code == 403
    assert service.status_code == 200


def test_a_service_token_signed_with_the_user_secret_is_refused() -> None:
    forged = mint_service_token("income-api", DEV_JWT_SECRET, dt.timedelta(minutes=5))

    response = make_client().get("/api/v1/things/1", headers=bearer(forged))

    assert response.status_code == 401


def test_validation_errors_have_one_detail_per_field() -> None:
    response = make_client().post(
        "/api/v1/payments",
        json={"amount": "lots"},
        headers=bearer(mint_dev_token("rent", SETTINGS)),
    )

    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "validation_failed"
    assert body["error"]["details"][0]["field"] == "amount"


def test_not_found_and_unknown_routes_use_the_error_body() -> None:
    client = make_client()
    headers = bearer(mint_dev_token("rent", SETTINGS))

    assert client.get("/api/v1/things/404", headers=headers).json()["error"]["code"] == (
        "not_found"
    )
    assert client.get("/api/v1/nowhere").json()["error"]["code"] == "not_found"


def test_a_crash_is_500_without_internals_and_with_the_correlation_id() -> None:
    response = make_client().get(
        "/api/v1/things/500",
        headers={**bearer(mint_dev_token("rent", SETTINGS)), "X-Correlation-Id": "abc-123"},
    )

    assert response.status_code == 500
    assert "secret" not in response.text
    assert response.json()["correlation_id"] == "abc-123"
    assert response.headers["X-Correlation-Id"] == "abc-123"


def test_a_correlation_id_is_made_when_absent_or_unsafe() -> None:
    client = make_client()

    made = client.get("/api/v1/healthcheck/ping")
    unsafe = client.get("/api/v1/healthcheck/ping", headers={"X-Correlation-Id": "a b\nc"})

    assert len(made.headers["X-Correlation-Id"]) == 36
    assert unsafe.headers["X-Correlation-Id"] != "a b\nc"


def test_health_needs_no_token_and_reports_a_failed_dependency() -> None:
    healthy = make_client().get("/api/v1/healthcheck/ping")
    unhealthy = make_client(healthy=False).get("/api/v1/healthcheck/ping")

    assert healthy.status_code == 200
    assert healthy.json()["status"] == "healthy"
    assert unhealthy.status_code == 503
    assert unhealthy.json()["checks"]["database"] == {
        "status": "unhealthy",
        "duration_ms": unhealthy.json()["checks"]["database"]["duration_ms"],
        "error": "ConnectionError",
    }


def test_production_refuses_the_public_dev_secrets() -> None:
    with pytest.raises(ValueError, match="must be set"):
        ServiceSettings(auth_mode=AuthMode.PRODUCTION)
    ServiceSettings(
        auth_mode=AuthMode.PRODUCTION,
        hackney_jwt_secret="a-real-secret-from-secrets-manager",
        service_jwt_secret="another-real-secret",
    )


def test_dev_tokens_cannot_be_minted_in_production() -> None:
    production = ServiceSettings(
        auth_mode=AuthMode.PRODUCTION, hackney_jwt_secret="s1" * 20, service_jwt_secret="s2" * 20
    )
    with pytest.raises(RuntimeError):
        mint_dev_token("rent", production)


def test_json_log_lines_carry_the_service_and_extra_ids() -> None:
    record = logging.LogRecord("x", logging.INFO, "f.py", 1, "diary written", None, None)
    record.tenancy_ref = "012345/01"

    line = json.loads(JsonFormatter("uh-gateway", "test").format(record))

    assert line["message"] == "diary written"
    assert line["service"] == "uh-gateway"
    assert line["tenancy_ref"] == "012345/01"
