"""One error body for every 4xx and 5xx of every service (ARCHITECTURE.md, Conventions):

    {"error": {"code": "...", "message": "...", "details": [...]}, "correlation_id": "..."}

Request validation errors are 422 with one detail per field. A 500 never carries the
exception text, only a generic message and the correlation id to find it in the logs.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ma_shared.correlation import current_correlation_id

logger = logging.getLogger(__name__)


class ErrorDetail(BaseModel):
    field: str | None = Field(default=None, description="Dotted path of the input at fault.")
    code: str = Field(description="Machine-readable rule that failed.")
    message: str = Field(description="What is wrong, in words a caller can act on.")


class ErrorInfo(BaseModel):
    code: str = Field(description="Stable machine-readable error code, e.g. `not_found`.")
    message: str = Field(description="Human-readable summary.")
    details: list[ErrorDetail] = Field(
        default_factory=list, description="One item per input at fault; may be empty."
    )


class ErrorBody(BaseModel):
    """The error body every service returns."""

    error: ErrorInfo = Field(description="What went wrong.")
    correlation_id: str | None = Field(description="Quote this when reporting a problem.")


class ApiError(Exception):
    """An error a caller can act on. Domain code raises subclasses; the handler renders them."""

    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: list[ErrorDetail] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details or []


class NotFound(ApiError):
    status_code = 404
    code = "not_found"


class ValidationFailed(ApiError):
    status_code = 422
    code = "validation_failed"


class Conflict(ApiError):
    status_code = 409
    code = "conflict"


class Unauthenticated(ApiError):
    status_code = 401
    code = "unauthenticated"


class Forbidden(ApiError):
    status_code = 403
    code = "forbidden"


class UpstreamUnavailable(ApiError):
    status_code = 503
    code = "upstream_unavailable"


_CODES_BY_STATUS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in {
        401: "Missing, invalid or expired token.",
        403: "The token's groups do not allow this.",
        422: "The request is not valid; `details` has one item per field.",
    }.items()
}


def error_response(
    status_code: int, code: str, message: str, details: list[ErrorDetail] | None = None
) -> JSONResponse:
    body = ErrorBody(
        error=ErrorInfo(code=code, message=message, details=details or []),
        correlation_id=current_correlation_id(),
    )
    headers = {"WWW-Authenticate": "Bearer"} if status_code == 401 else None
    return JSONResponse(body.model_dump(mode="json"), status_code=status_code, headers=headers)


def _field_path(location: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:] or parts
    return ".".join(parts)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status_code, exc.code, exc.message, exc.details)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [
        ErrorDetail(field=_field_path(err.get("loc", ())), code=err["type"], message=err["msg"])
        for err in exc.errors()
    ]
    return error_response(422, "validation_failed", "The request is not valid.", details)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _CODES_BY_STATUS.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return error_response(exc.status_code, code, message)


class UnhandledErrorMiddleware:
    """Turns an unexpected exception into the error body (500) inside the correlation-id
    middleware, so the body, the response header and the log line all carry the id.
    (Starlette's own handler for `Exception` runs outside every middleware.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def track(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, track)
        except Exception:
            logger.exception("unhandled error", extra={"path": scope.get("path")})
            if started:
                raise
            response = error_response(
                500, "internal_error", "Something went wrong on our side; quote the correlation id."
            )
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
