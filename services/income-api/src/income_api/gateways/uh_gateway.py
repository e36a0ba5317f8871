"""uh-gateway over HTTP: bulk arrears criteria, the changes feed, a tenancy's UH records, and
writes (diary entries, NOSPs, contact details), each with an Idempotency-Key, so a retry
never writes twice."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx

from income_api.domain.terms import ServiceArea
from ma_shared.auth import mint_service_token
from ma_shared.errors import ErrorDetail, NotFound, UpstreamUnavailable, ValidationFailed
from ma_shared.http_client import IDEMPOTENCY_HEADER, ServiceClient

# The gateway accepts at most this many tenancy refs in one criteria request.
MAX_REFS_PER_REQUEST = 500
SERVICE_TOKEN_LIFETIME = dt.timedelta(minutes=30)
ACTION_CODES_CACHE_SECONDS = 3600.0

Json = dict[str, Any]


class GatewayRejected(ValidationFailed):
    """uh-gateway refused a request as invalid (4xx): retrying will not help. Shown to the
    caller as a validation error naming what UH refused."""

    def __init__(self, status_code: int, body: Json) -> None:
        error = body.get("error", {}) if isinstance(body, dict) else {}
        details = [
            ErrorDetail(
                field=detail.get("field"),
                code=detail.get("code", "invalid"),
                message=detail.get("message", ""),
            )
            for detail in error.get("details", [])
            if isinstance(detail, dict)
        ]
        reason = error.get("message") or f"uh-gateway answered {status_code}"
        super().__init__(f"UH refused the change: {reason}", details=details)
        self.upstream_status = status_code


class UhGateway:
    """One client per process; calls carry a service token, so writes name the acting user
    explicitly and queued writes still work after the user's own token has expired."""

    def __init__(
        self,
        client: ServiceClient,
        *,
        service_name: str,
        service_jwt_secret: str,
    ) -> None:
        self._client = client
        self._service_name = service_name
        self._secret = service_jwt_secret
        self._token = ""
        self._token_expires = 0.0
        self._action_codes: dict[str, str] = {}
        self._action_codes_fetched = 0.0

    @classmethod
    def connect(
        cls,
        base_url: str,
        *,
        service_name: str,
        service_jwt_secret: str,
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> UhGateway:
        client = ServiceClient(base_url, name="uh-gateway", timeout=timeout, transport=transport)
        return cls(client, service_name=service_name, service_jwt_secret=service_jwt_secret)

    async def aclose(self) -> None:
        await self._client.aclose()

    def _service_token(self) -> str:
        now = time.monotonic()
        if now >= self._token_expires:
            self._token = mint_service_token(
                self._service_name, self._secret, SERVICE_TOKEN_LIFETIME
            )
            # Renew well before expiry so a token never lapses mid-sync.
            self._token_expires = now + SERVICE_TOKEN_LIFETIME.total_seconds() / 2
        return self._token

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        response = await self._client.request(
            method, path, token=self._service_token(), params=params, json=json, headers=headers
        )
        if response.status_code >= 500:
            raise UpstreamUnavailable(f"uh-gateway failed ({response.status_code}).")
        try:
            body = response.json()
        except ValueError as exc:
            raise UpstreamUnavailable("uh-gateway sent a response that is not JSON.") from exc
        if response.status_code == 404:
            raise NotFound(body.get("error", {}).get("message") or "Not found in UH.")
        if response.status_code >= 400:
            raise GatewayRejected(response.status_code, body)
        return body

    async def criteria_pages(
        self, service_area: ServiceArea, *, as_of: dt.date, page_size: int
    ) -> AsyncIterator[list[Json]]:
        """Every account in arrears, a page at a time."""
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": page_size, "as_of": as_of.isoformat()}
            if cursor:
                params["cursor"] = cursor
            page = await self._call(
                "GET", f"/api/v1/arrears-criteria/{service_area.value}", params=params
            )
            yield page["results"]
            cursor = page.get("next_cursor")
            if not cursor:
                return

    async def criteria_for(
        self, service_area: ServiceArea, tenancy_refs: Sequence[str], *, as_of: dt.date
    ) -> list[Json]:
        """The criteria of these tenancies; a tenancy no longer in arrears is simply absent."""
        results: list[Json] = []
        for start in range(0, len(tenancy_refs), MAX_REFS_PER_REQUEST):
            chunk = tenancy_refs[start : start + MAX_REFS_PER_REQUEST]
            params = [("tenancy_ref", ref) for ref in chunk]
            params += [("limit", str(len(chunk))), ("as_of", as_of.isoformat())]
            page = await self._call(
                "GET", f"/api/v1/arrears-criteria/{service_area.value}", params=params
            )
            results.extend(page["results"])
        return results

    async def changes(self, since: str | None, *, limit: int = 5000) -> Json:
        params: dict[str, Any] = {"limit": limit}
        if since:
            params["since"] = since
        body: Json = await self._call("GET", "/api/v1/changes", params=params)
        return body

    async def uh_agreements_of(self, tenancy_refs: Sequence[str]) -> dict[str, list[Json]]:
        """UH's arrears agreements of these tenancies (absent: none), 500 per request."""
        found: dict[str, list[Json]] = {}
        for start in range(0, len(tenancy_refs), MAX_REFS_PER_REQUEST):
            chunk = tenancy_refs[start : start + MAX_REFS_PER_REQUEST]
            items = await self._call(
                "GET", "/api/v1/arrears-agreements", params=[("tenancy_ref", ref) for ref in chunk]
            )
            found.update((item["tenancy_ref"], item["agreements"]) for item in items)
        return found

    async def tenancy(self, tenancy_ref: str) -> Json:
        body: Json = await self._call("GET", f"/api/v1/tenancies/{tenancy_ref}")
        return body

    async def transactions(
        self,
        tenancy_ref: str,
        *,
        limit: int,
        cursor: str | None,
        posted_from: dt.date | None = None,
        posted_to: dt.date | None = None,
    ) -> Json:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        if posted_from:
            params["from"] = posted_from.isoformat()
        if posted_to:
            params["to"] = posted_to.isoformat()
        body: Json = await self._call(
            "GET", f"/api/v1/tenancies/{tenancy_ref}/transactions", params=params
        )
        return body

    async def action_diary(self, tenancy_ref: str, *, limit: int, cursor: str | None) -> Json:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        body: Json = await self._call(
            "GET", f"/api/v1/tenancies/{tenancy_ref}/action-diary", params=params
        )
        return body

    async def contacts(self, tenancy_ref: str) -> Json:
        body: Json = await self._call("GET", f"/api/v1/tenancies/{tenancy_ref}/contacts")
        return body

    async def search_tenancies(self, q: str, *, page: int, page_size: int) -> Json:
        body: Json = await self._call(
            "GET", "/api/v1/tenancies", params={"q": q, "page": page, "page_size": page_size}
        )
        return body

    async def patches(self, service_area: ServiceArea) -> list[Json]:
        body: list[Json] = await self._call(
            "GET", "/api/v1/patches", params={"service_area": service_area.value}
        )
        return body

    async def action_codes(self) -> dict[str, str]:
        """UH's action codes and names, cached: they change a few times a year."""
        if time.monotonic() - self._action_codes_fetched > ACTION_CODES_CACHE_SECONDS:
            items = await self._call("GET", "/api/v1/action-codes")
            self._action_codes = {item["code"]: item["name"] for item in items}
            self._action_codes_fetched = time.monotonic()
        return self._action_codes

    async def add_action_diary_entry(
        self,
        tenancy_ref: str,
        *,
        action_code: str,
        comment: str,
        username: str,
        idempotency_key: str,
    ) -> Json:
        body: Json = await self._call(
            "POST",
            f"/api/v1/tenancies/{tenancy_ref}/action-diary",
            json={"action_code": action_code, "comment": comment, "username": username},
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        return body

    async def record_nosp(
        self,
        tenancy_ref: str,
        *,
        served_date: str,
        expiry_date: str,
        comment: str | None,
        username: str,
        idempotency_key: str,
    ) -> Json:
        body: Json = await self._call(
            "POST",
            f"/api/v1/tenancies/{tenancy_ref}/nosp",
            json={
                "served_date": served_date,
                "expiry_date": expiry_date,
                "comment": comment,
                "username": username,
            },
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        return body

    async def update_contact(
        self, tenancy_ref: str, contact_id: int, *, changes: Json, idempotency_key: str
    ) -> Json:
        body: Json = await self._call(
            "PATCH",
            f"/api/v1/tenancies/{tenancy_ref}/contacts/{contact_id}",
            json=changes,
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        return body
