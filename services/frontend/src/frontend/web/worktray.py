"""The worktray (`/worktray`) and its CSV export (`/worktray.csv`): the signed-in person's
team's cases from income-api, in tabs, filtered, sorted and a page at a time."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from frontend.domain import export, labels
from frontend.domain.formatting import today_in_london
from frontend.domain.pagination import Pagination
from frontend.domain.roles import service_areas
from frontend.domain.worktray import (
    MY_PATCHES,
    PER_PAGE,
    SORTS,
    TAB_LABELS,
    UNASSIGNED,
    VULNERABILITY_CHOICES,
    Tab,
    WorktrayQuery,
)
from frontend.gateways.errors import NotAllowed
from frontend.gateways.income_api import IncomeApi
from frontend.web.deps import IncomeApiDep, Templates
from frontend.web.session import CurrentUser
from ma_shared.auth import User
from ma_shared.vocabulary import ServiceArea

router = APIRouter(include_in_schema=False)
logger = logging.getLogger(__name__)


def _view(request: Request, user: User) -> tuple[WorktrayQuery, tuple[ServiceArea, ...]]:
    areas = service_areas(user)
    if not areas:
        raise NotAllowed("Your account is not in the rent or the leasehold income team.")
    asked = request.query_params.get("service_area")
    if asked and asked not in {area.value for area in areas}:
        raise NotAllowed(f"Your account cannot see {asked} cases.")
    area = ServiceArea(asked) if asked else areas[0]
    return WorktrayQuery.from_query(request.query_params, area), areas


@router.get("/worktray")
async def worktray_page(
    request: Request, user: CurrentUser, income_api: IncomeApiDep, templates: Templates
) -> Response:
    query, areas = _view(request, user)
    page, patches = await asyncio.gather(
        income_api.cases(user, query.api_params()),
        income_api.patches(user, query.service_area),
    )
    several_areas = len(areas) > 1

    def url(view: WorktrayQuery, page_number: int | None = None) -> str:
        qs = view.query_string(with_service_area=several_areas, page=page_number)
        return f"/worktray?{qs}" if qs else "/worktray"

    tabs = [
        {"label": label, "href": url(query.for_tab(tab)), "current": tab is query.tab}
        for tab, label in TAB_LABELS.items()
    ]
    csv_query = query.query_string(with_service_area=True, page=1)
    return templates.TemplateResponse(
        request,
        "worktray.html",
        {
            "title": f"{labels.SERVICE_AREAS[query.service_area]} worktray: "
            f"{TAB_LABELS[query.tab].lower()}",
            "query": query,
            "tab": query.tab,
            "Tab": Tab,
            "tabs": tabs,
            "areas": [
                {
                    "label": labels.SERVICE_AREAS[area],
                    "href": f"/worktray?service_area={area.value}",
                    "current": area is query.service_area,
                }
                for area in areas
            ]
            if several_areas
            else [],
            "cases": page.results,
            "pages": Pagination(page=query.page, per_page=PER_PAGE, total=page.total_count),
            "page_url": lambda number: url(query, number),
            "patches": patches,
            "MY_PATCHES": MY_PATCHES,
            "UNASSIGNED": UNASSIGNED,
            "actions": labels.RECOMMENDED_ACTIONS[query.service_area],
            "pause_reasons": labels.PAUSE_REASONS,
            "sorts": SORTS,
            "vulnerability_choices": VULNERABILITY_CHOICES,
            "csv_url": f"/worktray.csv?{csv_query}",
            "clear_url": url(WorktrayQuery(service_area=query.service_area, tab=query.tab)),
        },
    )


async def _csv(income_api: IncomeApi, user: User, query: WorktrayQuery) -> AsyncIterator[str]:
    for line in export.lines([list(export.HEADER)]):
        yield line
    try:
        async for case in income_api.all_cases(user, query.api_params()):
            for line in export.lines([export.row(case)]):
                yield line
    except Exception:
        # Headers are sent: the download can only stop short, and the browser reports it as
        # failed rather than a partial file passing for a whole one.
        logger.exception("worktray export stopped", extra={"user": user.sub})
        raise


@router.get("/worktray.csv")
async def worktray_csv(request: Request, user: CurrentUser, income_api: IncomeApiDep) -> Response:
    query, _ = _view(request, user)
    # Asked once before the response starts, so a refusal or an outage is a page, not a
    # broken download.
    await income_api.cases(user, query.api_params(page=1, per_page=1))
    name = (
        f"worktray-{query.service_area.value}-{query.tab.value}-{today_in_london().isoformat()}.csv"
    )
    return StreamingResponse(
        _csv(income_api, user, query),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
