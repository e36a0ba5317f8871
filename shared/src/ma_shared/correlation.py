"""`X-Correlation-Id`: accepted from the caller or generated, kept in a context variable for
logs and outgoing calls, and returned on every response (including errors)."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CORRELATION_HEADER = "X-Correlation-Id"
# Callers' ids are echoed into logs and headers: accept only a safe, bounded shape.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def current_correlation_id() -> str | None:
    return _correlation_id.get()


def new_correlation_id() -> str:
    return str(uuid.uuid4())


def set_correlation_id(value: str | None) -> None:
    _correlation_id.set(value)


def acceptable_correlation_id(value: str | None) -> str:
    if value and _ACCEPTABLE_ID.match(value):
        return value
    return new_correlation_id()


class CorrelationIdMiddleware:
    """Pure ASGI middleware, so the id is set before any other middleware or handler runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = None
        for name, value in scope["headers"]:
            if name.decode("latin-1").lower() == CORRELATION_HEADER.lower():
                incoming = value.decode("latin-1")
                break
        correlation_id = acceptable_correlation_id(incoming)
        token = _correlation_id.set(correlation_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[CORRELATION_HEADER] = correlation_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _correlation_id.reset(token)
