"""The fake Notify application: `create_app(settings)`; `python -m fake_notify.main` serves it.

Point the official client at it with `base_url="http://127.0.0.1:8004"`: the client joins
`/v2/...` to the base URL's root, so everything is served from `/`.
"""

from __future__ import annotations

import logging
from importlib.metadata import version

import uvicorn
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fake_notify.api import admin, notifications, received_texts, templates
from fake_notify.config import load_config
from fake_notify.errors import NotifyError
from fake_notify.settings import Settings, get_settings
from fake_notify.store import Store
from ma_shared.correlation import CorrelationIdMiddleware
from ma_shared.health import HEALTH_PATH, health_router
from ma_shared.structured_logging import RequestLogMiddleware, configure_logging

logger = logging.getLogger(__name__)

DESCRIPTION = """
A local stand-in for GOV.UK Notify's v2 API that the official `notifications-python-client`
talks to unchanged: the same JWT auth, key types, validation, error bodies, statuses and
limits. What is "sent" is kept in memory and can be inspected under the unauthenticated
`/_fake/` admin API. Never expose it beyond the machine: its default keys are public.
"""


# Flask's wording, which Notify passes on for a path it does not serve.
_NOT_FOUND_MESSAGE = (
    "The requested URL was not found on the server. If you entered the URL manually please "
    "check your spelling and try again."
)


async def _notify_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NotifyError)
    return JSONResponse(exc.body(), status_code=exc.status_code)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    # Notify answers an unknown path (and the admin API's own failures) with this shape.
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail
    if exc.status_code == 404 and exc.detail == "Not Found":
        message = _NOT_FOUND_MESSAGE
    return JSONResponse({"result": "error", "message": message}, status_code=exc.status_code)


async def _admin_validation_error(request: Request, exc: Exception) -> JSONResponse:
    # Only the admin API declares typed inputs; Notify's routes validate by JSON schema.
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": list(e["loc"]), "message": e["msg"]} for e in exc.errors()]
    return JSONResponse(
        {"result": "error", "message": "Invalid request", "errors": errors}, status_code=400
    )


class InternalErrorMiddleware:
    """Anything unexpected becomes Notify's 500 body rather than a bare text page."""

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
        except Exception as error:
            logger.exception("unhandled error", extra={"path": scope.get("path")})
            if started:
                raise
            body = NotifyError(500, [(type(error).__name__, "Internal server error")]).body()
            await JSONResponse(body, status_code=500)(scope, receive, send)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or get_settings()
    store = store or Store(load_config(settings.fake_notify_config))
    app_version = version("fake-notify")
    app = FastAPI(
        title="fake-notify",
        description=DESCRIPTION,
        version=app_version,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    app.add_exception_handler(NotifyError, _notify_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _admin_validation_error)
    app.include_router(health_router(settings.service_name, app_version, {}))
    for router in (notifications.router, templates.router, received_texts.router, admin.router):
        app.include_router(router)
    app.add_middleware(InternalErrorMiddleware)
    app.add_middleware(RequestLogMiddleware, quiet_paths=frozenset({HEALTH_PATH}))
    app.add_middleware(CorrelationIdMiddleware)
    return app


def main() -> None:
    settings = get_settings()
    configure_logging(settings.service_name, settings.environment, settings.log_level)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    main()
