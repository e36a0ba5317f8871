"""The caseworkers' web app: `create_app(settings)`; `python -m frontend.main` serves it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from importlib.metadata import version

import httpx
import uvicorn
from fastapi import Depends, FastAPI

from frontend.gateways.comms_api import CommsApi
from frontend.gateways.income_api import IncomeApi
from frontend.settings import Settings, get_settings
from frontend.web import (
    agreements,
    bulk_letters,
    case_actions,
    cases,
    contacts,
    court_cases,
    dashboard,
    documents,
    jobs,
    letters,
    messages,
    patches,
    search,
    sign_in,
    vulnerabilities,
    worktray,
)
from frontend.web.assets import ASSETS_PATH, Assets, asset_directories
from frontend.web.errors import UnhandledErrorPage, install_error_pages
from frontend.web.flash import FlashMiddleware
from frontend.web.security import SecurityMiddleware, check_csrf
from frontend.web.templating import create_templates
from ma_shared.correlation import CorrelationIdMiddleware
from ma_shared.health import HEALTH_PATH, health_router
from ma_shared.http_client import ServiceClient
from ma_shared.structured_logging import RequestLogMiddleware, configure_logging


def create_app(
    settings: Settings | None = None,
    *,
    income_api_transport: httpx.AsyncBaseTransport | None = None,
    comms_api_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """`*_transport` put the APIs in process (tests); by default they are reached over HTTP."""
    settings = settings or get_settings()
    income_api = IncomeApi(
        ServiceClient(
            settings.income_api_url,
            name="income-api",
            timeout=settings.api_timeout_seconds,
            transport=income_api_transport,
        )
    )
    comms_api = CommsApi(
        ServiceClient(
            settings.comms_api_url,
            name="comms-api",
            timeout=settings.api_timeout_seconds,
            transport=comms_api_transport,
        )
    )
    assets = Assets(asset_directories(settings.govuk_frontend_dir))
    templates = create_templates()

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await income_api.aclose()
        await comms_api.aclose()

    app = FastAPI(
        title="Manage arrears",
        version=version("frontend"),
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(check_csrf)],
    )
    app.state.settings = settings
    app.state.income_api = income_api
    app.state.comms_api = comms_api
    app.state.assets = assets
    app.state.templates = templates
    install_error_pages(app)

    async def assets_installed() -> None:
        asset_directories(settings.govuk_frontend_dir)

    # The frontend is no use without income-api: every page reads it.
    app.include_router(
        health_router(
            settings.service_name,
            version("frontend"),
            {"income_api": income_api.ping, "assets": assets_installed},
        )
    )
    app.mount(ASSETS_PATH, assets, name="assets")
    for router in (
        sign_in.router,
        worktray.router,
        cases.router,
        search.router,
        patches.router,
        messages.router,
        letters.router,
        bulk_letters.router,
        documents.router,
        jobs.router,
        dashboard.router,
        case_actions.router,
        contacts.router,
        agreements.router,
        court_cases.router,
        vulnerabilities.router,
    ):
        app.include_router(router)

    crash_page = templates.env.get_template("errors/crash.html").render(
        stylesheet=assets.url("govuk-frontend.min.css")
    )
    # Added last runs first: the correlation id, then the request log, then the headers.
    app.add_middleware(UnhandledErrorPage, html=crash_page)
    app.add_middleware(FlashMiddleware, secure_cookies=settings.secure_cookies)
    app.add_middleware(SecurityMiddleware, secure_cookies=settings.secure_cookies)
    app.add_middleware(
        RequestLogMiddleware, quiet_paths=frozenset({HEALTH_PATH, f"{ASSETS_PATH}/"})
    )
    app.add_middleware(CorrelationIdMiddleware)
    return app


def main() -> None:
    settings = get_settings()
    configure_logging(settings.service_name, settings.environment, settings.log_level)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    main()
