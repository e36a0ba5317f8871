"""The part of every API client that forwards the user's token and maps the shared error body
(`{"error": {"code", "message", "details"}}`) to `gateways.errors`."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from frontend.gateways.errors import (
    ApiProblem,
    Conflict,
    FieldProblem,
    InvalidInput,
    NotAllowed,
    NotFound,
    ServiceUnavailable,
    SignInRequired,
)
from ma_shared.auth import User
from ma_shared.errors import UpstreamUnavailable
from ma_shared.http_client import IDEMPOTENCY_HEADER, ServiceClient

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
Params = Mapping[str, str | int]


def _error(response: httpx.Response) -> tuple[str, list[FieldProblem]]:
    try:
        error = response.json().get("error", {})
    except ValueError:
        return "", []
    details = error.get("details") or []
    problems = [
        FieldProblem(field=d.get("field"), message=str(d.get("message", "")), code=d.get("code"))
        for d in details
        if isinstance(d, dict)
    ]
    return str(error.get("message") or ""), problems


class ApiClient:
    """One per upstream API and process. Methods take the `User` whose token they forward."""

    def __init__(self, client: ServiceClient) -> None:
        self._client = client
        self.name = client.name

    async def aclose(self) -> None:
        await self._client.aclose()

    async def ping(self) -> None:
        """For the health check: raises unless the API answers its own health check."""
        response = await self._client.request("GET", "/api/v1/healthcheck/ping")
        response.raise_for_status()

    async def get(self, path: str, *, user: User, params: Params | None = None) -> Any:
        return await self._call("GET", path, user=user, params=params)

    async def send(
        self,
        method: str,
        path: str,
        *,
        user: User,
        json: Any = None,
        idempotency_key: str | None = None,
    ) -> Any:
        """A write. With `idempotency_key` the upstream does it once however often it is
        retried (a double-clicked button, a retry after a timeout)."""
        headers = {IDEMPOTENCY_HEADER: idempotency_key} if idempotency_key else None
        return await self._call(method, path, user=user, json=json, headers=headers)

    async def get_model(
        self, model: type[M], path: str, *, user: User, params: Params | None = None
    ) -> M:
        return self.read(model, await self.get(path, user=user, params=params))

    def read(self, model: type[M], body: Any) -> M:
        try:
            return model.model_validate(body)
        except ValidationError as exc:
            # The API answered something this version of the app cannot read: a deployment
            # out of step. The person can only wait; the log says what differed.
            logger.error(
                "unexpected response", extra={"upstream": self.name, "errors": exc.errors()[:5]}
            )
            raise ServiceUnavailable(self.name) from exc

    async def respond(
        self,
        method: str,
        path: str,
        *,
        user: User,
        params: Params | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
    ) -> httpx.Response:
        """The API's answer as it is, for a caller that reads more than JSON (a file, or a
        refusal whose body is not an error); only no answer at all is raised here, and
        `problem` says what any other failure means."""
        try:
            return await self._client.request(
                method,
                path,
                token=user.token,
                params=params,
                json=json,
                headers=headers,
                stream=stream,
            )
        except UpstreamUnavailable as exc:
            raise ServiceUnavailable(self.name) from exc

    def problem(self, response: httpx.Response) -> ApiProblem:
        """What an answer of 300 or more means to a page (its body read)."""
        status = response.status_code
        message, problems = _error(response)
        if status == 401:
            return SignInRequired(message or "Sign in again.")
        if status == 403:
            return NotAllowed(message or "You are not allowed to do this.")
        if status == 404:
            return NotFound(message or "Not found.")
        if status == 409:
            return Conflict(message or "This clashes with the case as it is now.")
        if status in {400, 422}:
            return InvalidInput(message or "Check what you entered.", problems)
        logger.warning("upstream error", extra={"upstream": self.name, "status": status})
        return ServiceUnavailable(self.name)

    async def _call(
        self,
        method: str,
        path: str,
        *,
        user: User,
        params: Params | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        response = await self.respond(
            method, path, user=user, params=params, json=json, headers=headers
        )
        status = response.status_code
        if status >= 300:
            raise self.problem(response)
        if status == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise ServiceUnavailable(self.name) from exc
