"""Every row of Notify's token check (the domain notes, B.1), through the client where it can
make the request and by hand where it cannot (no header, another scheme, a forged token)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import httpx
import jwt
import pytest
from notifications_python_client.notifications import NotificationsAPIClient

from fake_notify.config import (
    DEFAULT_SERVICE_ID,
    LIVE_API_KEY,
    LIVE_KEY_SECRET,
    TEAM_API_KEY,
    TEST_API_KEY,
)
from fake_notify.testing import ARCHIVED_KEY, KEYLESS_KEY, REVOKED_KEY

ClientFor = Callable[[str], NotificationsAPIClient]
GENERIC = (
    "Invalid token: make sure your API token matches the example at "
    "https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header"
)


def _token(
    claims: dict[str, object], secret: str = LIVE_KEY_SECRET, algorithm: str = "HS256"
) -> str:
    return jwt.encode(claims, secret, algorithm=algorithm, headers={"typ": "JWT"})


def _valid_claims(**overrides: object) -> dict[str, object]:
    return {"iss": str(DEFAULT_SERVICE_ID), "iat": int(time.time()), **overrides}


def _get(base_url: str, authorization: str | None) -> httpx.Response:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return httpx.get(f"{base_url}/v2/templates", headers=headers)


@pytest.mark.parametrize(
    ("authorization", "status", "message"),
    [
        pytest.param(
            None, 401, "Unauthorized: authentication token must be provided", id="no header"
        ),
        pytest.param(
            "Basic abc",
            401,
            "Unauthorized: authentication bearer scheme must be used",
            id="not bearer",
        ),
        pytest.param("Bearer not-a-jwt", 403, GENERIC, id="token not decodable"),
        pytest.param(
            f"Bearer {_token({'iat': 1})}",
            403,
            "Invalid token: iss field not provided",
            id="no iss",
        ),
        pytest.param(
            f"Bearer {_token({'iss': 'council', 'iat': 1})}",
            403,
            "Invalid token: service id is not the right data type",
            id="iss not a uuid",
        ),
    ],
)
def test_token_problems_before_the_service_is_known(
    base_url: str, authorization: str | None, status: int, message: str
) -> None:
    response = _get(base_url, authorization)

    assert response.status_code == status
    assert response.json() == {
        "status_code": status,
        "errors": [{"error": "AuthError", "message": message}],
    }


@pytest.mark.parametrize(
    ("api_key", "message"),
    [
        pytest.param(
            f"key-{uuid.UUID(int=99)}-{LIVE_KEY_SECRET}",
            "Invalid token: service not found",
            id="unknown service",
        ),
        pytest.param(ARCHIVED_KEY, "Invalid token: service is archived", id="archived service"),
        pytest.param(
            KEYLESS_KEY, "Invalid token: service has no API keys", id="service without keys"
        ),
        pytest.param(
            f"key-{DEFAULT_SERVICE_ID}-{uuid.UUID(int=5)}",
            "Invalid token: API key not found",
            id="secret of no key",
        ),
        pytest.param(REVOKED_KEY, "Invalid token: API key revoked", id="revoked key"),
    ],
)
def test_keys_the_service_does_not_accept(
    client_for: ClientFor,
    fails: Callable[..., tuple[int, list[dict[str, str]]]],
    api_key: str,
    message: str,
) -> None:
    status, errors = fails(client_for(api_key).get_all_templates)

    assert status == 403
    assert errors == [{"error": "AuthError", "message": message}]


@pytest.mark.parametrize("skew", [-31, 31, -300, 300], ids=lambda s: f"iat {s:+d}s")
def test_clock_must_be_within_30_seconds(base_url: str, skew: int) -> None:
    token = _token(_valid_claims(iat=int(time.time()) + skew))

    response = _get(base_url, f"Bearer {token}")

    assert response.status_code == 403
    assert response.json()["errors"] == [
        {
            "error": "AuthError",
            "message": "Error: Your system clock must be accurate to within 30 seconds",
        }
    ]


@pytest.mark.parametrize("skew", [-25, 0, 25], ids=lambda s: f"iat {s:+d}s")
def test_clock_within_the_window_is_accepted(base_url: str, skew: int) -> None:
    token = _token(_valid_claims(iat=int(time.time()) + skew))

    assert _get(base_url, f"Bearer {token}").status_code == 200


# Notify's secrets are 36-character UUIDs: too short for HS512, which is the point here.
@pytest.mark.filterwarnings("ignore:The HMAC key is")
def test_algorithm_must_be_hs256(base_url: str) -> None:
    token = _token(_valid_claims(), algorithm="HS512")

    response = _get(base_url, f"Bearer {token}")

    assert response.status_code == 403
    assert response.json()["errors"] == [
        {"error": "AuthError", "message": "Invalid token: algorithm used is not HS256"}
    ]


def test_scheme_is_case_insensitive_as_in_notify(base_url: str) -> None:
    assert _get(base_url, f"bearer {_token(_valid_claims())}").status_code == 200


@pytest.mark.parametrize(
    "api_key", [TEST_API_KEY, TEAM_API_KEY, LIVE_API_KEY], ids=["test", "team", "live"]
)
def test_each_default_key_authenticates(client_for: ClientFor, api_key: str) -> None:
    assert "templates" in client_for(api_key).get_all_templates()
