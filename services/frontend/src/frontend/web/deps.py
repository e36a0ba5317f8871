"""Dependencies the routers share: the API clients and the templates, from app.state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from frontend.gateways.comms_api import CommsApi
from frontend.gateways.income_api import IncomeApi


def _income_api(request: Request) -> IncomeApi:
    client: IncomeApi = request.app.state.income_api
    return client


def _comms_api(request: Request) -> CommsApi:
    client: CommsApi = request.app.state.comms_api
    return client


def _templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


IncomeApiDep = Annotated[IncomeApi, Depends(_income_api)]
CommsApiDep = Annotated[CommsApi, Depends(_comms_api)]
Templates = Annotated[Jinja2Templates, Depends(_templates)]
