"""The client services use to call each other, against a real ASGI app in process."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI, Request

from ma_shared.correlation import set_correlation_id
from ma_shared.errors import UpstreamUnavailable
from ma_shared.http_client import RetryPolicy, ServiceClient

NO_WAIT = RetryPolicy(attempts=3, base_delay=0, max_delay=0)


def flaky_app(failures: int) -> tuple[FastAPI, list[dict[str, str]]]:
    app = FastAPI()
    seen: list[dict[str, str]] = []

    @app.api_route("/thing", methods=["GET", "POST"])
    def thing(request: Request) -> dict[str, int]:
        seen.append(dict(request.headers))
        if len(seen) <= failures:
            from fastapi.responses import JSONResponse

            return JSONResponse({"busy": True}, status_code=503)  # type: ignore[return-value]
        return {"calls": len(seen)}

    return app, seen


def client_for(app: FastAPI) -> ServiceClient:
    return ServiceClient(
        "http://upstream", name="upstream", retry=NO_WAIT, transport=httpx.ASGITransport(app)
    )


def test_reads_are_retried_until_the_service_answers() -> None:
    app, seen = flaky_app(failures=2)

    response = asyncio.run(client_for(app).request("GET", "/thing"))

    assert response.status_code == 200
    assert len(seen) == 3


def test_a_post_without_an_idempotency_key_is_never_retried() -> None:
    app, seen = flaky_app(failures=1)

    response = asyncio.run(client_for(app).request("POST", "/thing", json={}))

    assert response.status_code == 503
    assert len(seen) == 1


def test_a_post_with_an_idempotency_key_is_retried() -> None:
    app, seen = flaky_app(failures=1)

    response = asyncio.run(
        client_for(app).request("POST", "/thing", json={}, headers={"Idempotency-Key": "k-1"})
    )

    assert response.status_code == 200
    assert len(seen) == 2


def test_correlation_id_and_token_are_passed_on() -> None:
    app, seen = flaky_app(failures=0)
    set_correlation_id("corr-42")
    try:
        asyncio.run(client_for(app).request("GET", "/thing", token="user-token"))
    finally:
        set_correlation_id(None)

    assert seen[0]["x-correlation-id"] == "corr-42"
    assert seen[0]["authorization"] == "Bearer user-token"


def test_an_unreachable_service_is_reported_after_retries() -> None:
    client = ServiceClient("http://127.0.0.1:9", name="nowhere", retry=NO_WAIT, timeout=0.5)

    with pytest.raises(UpstreamUnavailable, match="nowhere could not be reached"):
        asyncio.run(client.request("GET", "/thing"))


def test_a_streamed_read_is_retried_and_its_body_left_to_the_caller() -> None:
    app, seen = flaky_app(failures=1)

    async def read_streamed() -> bytes:
        response = await client_for(app).request("GET", "/thing", stream=True)
        try:
            assert response.status_code == 200
            return b"".join([chunk async for chunk in response.aiter_bytes()])
        finally:
            await response.aclose()

    assert asyncio.run(read_streamed()) == b'{"calls":2}'
    assert len(seen) == 2
