"""Error pages. Whatever goes wrong, a person gets a page that says what happened and what to
do, with the right status: never a stack trace, and never a 500 for an API being down.

* not signed in, or the API refused the token → the sign-in page, then back;
* 403 → "You cannot do this"; 404 → "Page not found"; 409 → the API's reason;
* a 422 no form caught → "There is a problem" with each message;
* an API down, failing or unreadable → "Sorry, the service is unavailable" (503);
* a refused form token → "This form has expired" (403);
* anything else → "Sorry, there is a problem with the service" (500), logged with its
  correlation id, which the page shows.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from frontend.gateways.errors import (
    Conflict,
    InvalidInput,
    NotAllowed,
    NotFound,
    ServiceUnavailable,
    SignInRequired,
)
from frontend.web.security import CsrfFailed
from frontend.web.session import NotSignedIn, sign_in_redirect
from ma_shared.correlation import current_correlation_id

logger = logging.getLogger(__name__)


def error_page(request: Request, template: str, status_code: int, **context: Any) -> Response:
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request,
        f"errors/{template}.html",
        {"correlation_id": current_correlation_id(), **context},
        status_code=status_code,
    )
    return response


async def _not_signed_in(request: Request, exc: Exception) -> Response:
    return sign_in_redirect(request)


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return error_page(request, "forbidden", 403, message=str(exc))


async def _not_found(request: Request, exc: Exception) -> Response:
    return error_page(request, "not_found", 404, message=str(exc))


async def _conflict(request: Request, exc: Exception) -> Response:
    return error_page(request, "problem", 409, messages=[str(exc)])


async def _invalid_input(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InvalidInput)
    messages = [p.message for p in exc.problems] or [exc.message]
    return error_page(request, "problem", 400, messages=messages)


async def _unavailable(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceUnavailable)
    logger.warning("upstream unavailable", extra={"upstream": exc.service})
    return error_page(request, "unavailable", 503)


async def _csrf_failed(request: Request, exc: Exception) -> Response:
    return error_page(request, "form_expired", 403)


async def _bad_request(request: Request, exc: Exception) -> Response:
    # Only a hand-made URL gets here (links and forms send valid values).
    return error_page(request, "not_found", 404, message="")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return error_page(request, "not_found", 404, message="")
    if exc.status_code == 405:
        return error_page(request, "not_found", 405, message="")
    return error_page(request, "problem", exc.status_code, messages=[str(exc.detail)])


def install_error_pages(app: FastAPI) -> None:
    handlers: dict[type[Exception], Any] = {
        NotSignedIn: _not_signed_in,
        SignInRequired: _not_signed_in,
        NotAllowed: _not_allowed,
        NotFound: _not_found,
        Conflict: _conflict,
        InvalidInput: _invalid_input,
        ServiceUnavailable: _unavailable,
        CsrfFailed: _csrf_failed,
        RequestValidationError: _bad_request,
        HTTPException: _http_error,
    }
    for exception, handler in handlers.items():
        app.add_exception_handler(exception, handler)


class UnhandledErrorPage:
    """A crash becomes the "problem with the service" page inside the correlation-id
    middleware, so the page, the response header and the log line carry the same id."""

    def __init__(self, app: ASGIApp, *, html: str) -> None:
        self.app = app
        self.html = html

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
            body = self.html.replace("{correlation_id}", current_correlation_id() or "")
            response = Response(body, status_code=500, media_type="text/html")
            await response(scope, receive, send)
