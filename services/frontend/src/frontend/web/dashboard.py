"""The team leaders' dashboard (`/dashboard`): charts of arrears by patch, cases by next
action, this week's changes of action (one service area at a time), and messages sent and
failed, drawn on the server (`domain/charts.py`)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from frontend.domain import dashboard
from frontend.domain.roles import is_team_leader
from frontend.gateways.comms_api import CommsApi, MessagesByDay
from frontend.gateways.errors import NotAllowed, ServiceUnavailable
from frontend.web.deps import CommsApiDep, IncomeApiDep, Templates
from frontend.web.session import CurrentUser
from ma_shared.auth import User
from ma_shared.vocabulary import ServiceArea

router = APIRouter(include_in_schema=False)
logger = logging.getLogger(__name__)


async def _messages(comms_api: CommsApi, user: User) -> MessagesByDay | None:
    """The messages' report, or None while comms-api is unavailable: the case charts are
    still worth seeing."""
    try:
        return await comms_api.messages_by_day(user, days=dashboard.MESSAGE_DAYS)
    except ServiceUnavailable:
        logger.warning("dashboard without messages", extra={"upstream": comms_api.name})
        return None


@router.get("/dashboard")
async def dashboard_page(
    request: Request,
    user: CurrentUser,
    income_api: IncomeApiDep,
    comms_api: CommsApiDep,
    templates: Templates,
    service_area: Annotated[ServiceArea, Query()] = ServiceArea.RENT,
) -> Response:
    if not is_team_leader(user):
        raise NotAllowed("Only team leaders can see the dashboard.")
    since = dashboard.week_start(dt.datetime.now(tz=dt.UTC))
    by_patch, by_action, changes, patches, messages = await asyncio.gather(
        income_api.cases_by_patch(user, service_area),
        income_api.cases_by_action(user, service_area),
        income_api.action_changes(user, service_area, since=since),
        income_api.patches(user, service_area),
        _messages(comms_api, user),
    )
    cases = [
        dashboard.arrears_by_patch(by_patch, {patch.code: patch.name for patch in patches}),
        dashboard.cases_by_action(by_action),
        dashboard.action_changes(changes),
    ]
    sent_and_failed = (
        [dashboard.messages(messages, "sent"), dashboard.messages(messages, "failed")]
        if messages is not None
        else None
    )
    return templates.TemplateResponse(
        request,
        "dashboard.html",
        {
            "title": f"Dashboard: {service_area.value} cases",
            "service_area": service_area,
            "tabs": dashboard.service_area_tabs(service_area),
            "case_panels": cases,
            "message_panels": sent_and_failed,
        },
    )
