"""Calling another service: timeouts always, retries with backoff only where a retry cannot
do the same thing twice, and the correlation id and caller's token passed on."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from ma_shared.correlation import CORRELATION_HEADER, current_correlation_id
from ma_shared.errors import UpstreamUnavailable

logger = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
IDEMPOTENCY_HEADER = "Idempotency-Key"
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    base_delay: float = 0.2
    max_delay: float = 2.0

    def delay(self, attempt: int) -> float:
        # Full jitter, so callers retrying together do not stampede the service again.
        return float(random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt)))


class ServiceClient:
    """A thin async client for one upstream service.

    POSTs and PATCHes are retried only when they carry an `Idempotency-Key`, because the
    upstream then guarantees a retry does not write twice.
    """

    def __init__(
        self,
        base_url: str,
        *,
        name: str,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.name = name
        self.retry = retry or RetryPolicy()
        self._client = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
    ) -> httpx.Response:
        """With `stream` the body is left unread, to pass on a piece at a time (a file): the
        caller reads it and must `aclose()` the response."""
        method = method.upper()
        sent_headers = dict(headers or {})
        correlation_id = current_correlation_id()
        if correlation_id:
            sent_headers[CORRELATION_HEADER] = correlation_id
        if token:
            sent_headers["Authorization"] = f"Bearer {token}"
        retryable = method in IDEMPOTENT_METHODS or IDEMPOTENCY_HEADER in sent_headers
        attempts = self.retry.attempts if retryable else 1
        for attempt in range(attempts):
            last_attempt = attempt == attempts - 1
            try:
                response = await self._client.send(
                    self._client.build_request(
                        method, path, params=params, json=json, headers=sent_headers
                    ),
                    stream=stream,
                )
            except httpx.TransportError as exc:
                if last_attempt:
                    raise UpstreamUnavailable(f"{self.name} could not be reached.") from exc
                logger.warning(
                    "upstream call failed, retrying",
                    extra={
                        "upstream": self.name,
                        "attempt": attempt + 1,
                        "error": type(exc).__name__,
                    },
                )
            else:
                if response.status_code not in RETRYABLE_STATUSES or last_attempt:
                    return response
                await response.aclose()
                logger.warning(
                    "upstream busy, retrying",
                    extra={
                        "upstream": self.name,
                        "attempt": attempt + 1,
                        "status": response.status_code,
                    },
                )
            await asyncio.sleep(self.retry.delay(attempt))
        raise AssertionError("unreachable: the last attempt returns or raises")
