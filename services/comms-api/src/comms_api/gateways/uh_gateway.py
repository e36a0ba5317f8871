"""UH through uh-gateway: the action diary (`POST /api/v1/tenancies/{ref}/action-diary` with an
Idempotency-Key, so a retried write never writes twice) and the data letters are made from."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

import httpx

from ma_shared.auth import mint_service_token

SERVICE_TOKEN_LIFETIME = dt.timedelta(minutes=10)
# Payment references per bulk letter-data call (uh-gateway takes up to 2,000).
LETTER_DATA_CHUNK = 1000


class Response(Protocol):
    @property
    def status_code(self) -> int: ...

    @property
    def text(self) -> str: ...

    def json(self) -> Any: ...


class HttpClient(Protocol):
    """An HTTP client with uh-gateway as its base URL (httpx.Client; a test client in tests)."""

    def post(self, url: str, *, json: Any, headers: dict[str, str]) -> Response: ...

    def get(self, url: str, *, headers: dict[str, str]) -> Response: ...


class UhRefused(Exception):
    """uh-gateway refused the request as invalid: retrying cannot help."""


class UhUnavailable(Exception):
    """uh-gateway could not answer now: retry later."""


class UhGateway:
    def __init__(self, client: HttpClient, *, service_name: str, service_jwt_secret: str) -> None:
        self._client = client
        self._service_name = service_name
        self._secret = service_jwt_secret

    def _authorization(self) -> dict[str, str]:
        token = mint_service_token(self._service_name, self._secret, SERVICE_TOKEN_LIFETIME)
        return {"Authorization": f"Bearer {token}"}

    def letter_data(self, service_area: str, tenancy_ref: str) -> dict[str, Any] | None:
        """UH's letter data for a tenancy (`rent` or `leasehold`); None if UH has no such
        tenancy."""
        try:
            response = self._client.get(
                f"/api/v1/tenancies/{tenancy_ref}/{service_area}-letter-data",
                headers=self._authorization(),
            )
        except httpx.TransportError as error:
            raise UhUnavailable(f"uh-gateway could not be reached: {error}") from error
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise UhUnavailable(f"uh-gateway answered {response.status_code}")
        data: dict[str, Any] = response.json()
        return data

    def letter_data_for_payment_refs(
        self, service_area: str, payment_refs: list[str]
    ) -> list[dict[str, Any]]:
        """For each payment reference, in order: its tenancy and service area (null when no
        account has it) and its `rent` or `leasehold` letter data when of `service_area`."""
        results: list[dict[str, Any]] = []
        for start in range(0, len(payment_refs), LETTER_DATA_CHUNK):
            chunk = payment_refs[start : start + LETTER_DATA_CHUNK]
            try:
                response = self._client.post(
                    "/api/v1/letter-data/search",
                    json={"service_area": service_area, "payment_refs": chunk},
                    headers=self._authorization(),
                )
            except httpx.TransportError as error:
                raise UhUnavailable(f"uh-gateway could not be reached: {error}") from error
            if response.status_code != 200:
                raise UhUnavailable(f"uh-gateway answered {response.status_code}")
            results.extend(response.json()["results"])
        return results

    def write(
        self, *, tenancy_ref: str, action_code: str, comment: str, username: str, key: str
    ) -> None:
        try:
            response = self._client.post(
                f"/api/v1/tenancies/{tenancy_ref}/action-diary",
                json={"action_code": action_code, "comment": comment, "username": username},
                headers=self._authorization() | {"Idempotency-Key": key},
            )
        except httpx.TransportError as error:
            raise UhUnavailable(f"uh-gateway could not be reached: {error}") from error
        if response.status_code in {429} or response.status_code >= 500:
            raise UhUnavailable(f"uh-gateway answered {response.status_code}")
        if response.status_code >= 400:
            raise UhRefused(response.text[:500])
