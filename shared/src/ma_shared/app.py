"""`create_service_app`: the parts every service's FastAPI app shares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI

from ma_shared.correlation import CorrelationIdMiddleware
from ma_shared.errors import UnhandledErrorMiddleware, install_error_handlers
from ma_shared.health import HEALTH_PATH, HealthCheck, health_router
from ma_shared.settings import ServiceSettings
from ma_shared.structured_logging import RequestLogMiddleware

OPENAPI_URL = "/api/v1/openapi.json"
DOCS_URL = "/api/v1/docs"


def create_service_app(
    *,
    title: str,
    description: str,
    version: str,
    settings: ServiceSettings,
    health_checks: Mapping[str, HealthCheck],
    **fastapi_kwargs: Any,
) -> FastAPI:
    app = FastAPI(
        title=title,
        description=description,
        version=version,
        openapi_url=OPENAPI_URL,
        docs_url=DOCS_URL,
        redoc_url=None,
        **fastapi_kwargs,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(health_router(settings.service_name, version, health_checks))
    # Middleware added last runs first: the correlation id is set before anything else, the
    # request log sees the final status, and a crash becomes the error body innermost.
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(RequestLogMiddleware, quiet_paths=frozenset({HEALTH_PATH}))
    app.add_middleware(CorrelationIdMiddleware)
    return app
