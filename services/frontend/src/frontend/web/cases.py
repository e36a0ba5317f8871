"""The case page (`/cases/{tenancy_ref}`): the case from income-api with its UH records, and a
timeline of transactions and diary entries by week, ten weeks a page (`?page=`)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from frontend.domain import timeline
from frontend.domain.formatting import to_decimal, today_in_london
from frontend.domain.roles import can_act
from frontend.gateways.income_api import IncomeApi, UhPage
from frontend.web.communications import sent_message
from frontend.web.deps import CommsApiDep, IncomeApiDep, Templates
from frontend.web.session import CurrentUser
from frontend.web.urls import case_url
from ma_shared.auth import User

router = APIRouter(include_in_schema=False)

# Reading further back than this many requests a page is a sign of a very busy account: the
# page shows what it has and says so.
MAX_REQUESTS: Final = 5
TRANSACTIONS_PER_REQUEST: Final = 500
DIARY_PER_REQUEST: Final = 200


async def _transactions(
    income_api: IncomeApi, user: User, ref: str, span: timeline.TimelineWindow
) -> tuple[list[dict[str, Any]], bool]:
    """The window's transactions, and whether there were more than could be read."""
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(MAX_REQUESTS):
        page = await income_api.transactions(
            user,
            ref,
            limit=TRANSACTIONS_PER_REQUEST,
            cursor=cursor,
            posted_from=span.start,
            posted_to=span.end,
        )
        found += page.results
        cursor = page.next_cursor
        if not cursor:
            return found, False
    return found, True


async def _diary(
    income_api: IncomeApi, user: User, ref: str, span: timeline.TimelineWindow
) -> tuple[list[dict[str, Any]], bool, bool]:
    """The window's diary entries (the diary has no date filter: read newest first until past
    the window), whether older ones exist, and whether reading stopped short."""
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(MAX_REQUESTS):
        page: UhPage = await income_api.action_diary(
            user, ref, limit=DIARY_PER_REQUEST, cursor=cursor
        )
        for entry in page.results:
            day = timeline.uh_time(entry["action_date"]).date()
            if day < span.start:
                return found, True, False
            if day <= span.end:
                found.append(entry)
        cursor = page.next_cursor
        if not cursor:
            return found, False, False
    return found, True, True


@router.get("/cases/{tenancy_ref:tenancy_ref}")
async def case_page(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    comms_api: CommsApiDep,
    templates: Templates,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    sent: Annotated[str | None, Query(max_length=36)] = None,
) -> Response:
    span = timeline.window(page, today_in_london())
    (
        case,
        (transactions, too_many),
        before,
        (diary, older_diary, diary_cut),
        message,
    ) = await asyncio.gather(
        income_api.case(user, tenancy_ref),
        _transactions(income_api, user, tenancy_ref, span),
        income_api.transactions(
            user, tenancy_ref, limit=1, posted_to=span.start - dt.timedelta(days=1)
        ),
        _diary(income_api, user, tenancy_ref, span),
        # What was just sent from the case (`?sent=<message id>`), confirmed at the top.
        sent_message(comms_api, user, sent, tenancy_ref=tenancy_ref),
    )
    opening = to_decimal(before.results[0]["balance_after"]) if before.results else None
    weeks = timeline.weeks(
        transactions=transactions, diary=diary, span=span, opening_balance=opening
    )
    uh = case.uh
    return templates.TemplateResponse(
        request,
        "case.html",
        {
            "title": f"Case {case.tenancy_ref}",
            "case": case,
            "tenancy": uh.tenancy if uh else {},
            "contacts": uh.contacts if uh else {},
            "actions_allowed": can_act(user),
            "weeks": weeks,
            "span": span,
            "timeline_incomplete": too_many or diary_cut,
            "newer_url": f"{case_url(tenancy_ref)}?page={page - 1}#timeline" if page > 1 else None,
            "older_url": f"{case_url(tenancy_ref)}?page={page + 1}#timeline"
            if before.results or older_diary
            else None,
            "active_agreement": next((a for a in reversed(case.agreements) if a.is_active), None),
            "sent_message": message,
        },
    )
