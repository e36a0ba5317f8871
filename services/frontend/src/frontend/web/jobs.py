"""Sync job runs for team leaders: the list (`/jobs`), one run (`/jobs/{id}`) and "Sync now"
(`POST /jobs/sync`), all read from and started through income-api."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from frontend.domain import jobs, labels
from frontend.domain.pagination import Pagination
from frontend.domain.roles import is_team_leader
from frontend.gateways.errors import Conflict, NotAllowed
from frontend.gateways.income_api import JOB_RUNS_PER_PAGE, IncomeApi
from frontend.web.deps import IncomeApiDep, Templates
from frontend.web.session import CurrentUser
from ma_shared.auth import User

router = APIRouter(include_in_schema=False)

MAX_PAGE = 10_000


class JobKind(StrEnum):
    FULL = "full_sync"
    CHANGES = "changes_sync"


def _only_team_leaders(user: User) -> None:
    if not is_team_leader(user):
        raise NotAllowed("Only team leaders can see and start syncs.")


def _list_url(kind: JobKind | None, page: int = 1) -> str:
    params: dict[str, str | int] = {}
    if kind:
        params["kind"] = kind.value
    if page > 1:
        params["page"] = page
    return f"/jobs?{urlencode(params)}" if params else "/jobs"


async def _list_page(
    request: Request,
    templates: Templates,
    income_api: IncomeApi,
    user: User,
    *,
    kind: JobKind | None,
    page: int,
    already_running: bool = False,
) -> Response:
    runs = await income_api.job_runs(user, page=page, kind=kind.value if kind else None)
    tabs = [
        {"label": text, "href": _list_url(value), "current": value == kind}
        for value, text in (
            (None, "All runs"),
            (JobKind.FULL, "Full syncs"),
            (JobKind.CHANGES, "Intraday refreshes"),
        )
    ]
    return templates.TemplateResponse(
        request,
        "jobs.html",
        {
            "title": "Sync job runs",
            "runs": runs.results,
            "pages": Pagination(page=page, per_page=JOB_RUNS_PER_PAGE, total=runs.total_count),
            "page_url": lambda number: _list_url(kind, number),
            "tabs": tabs,
            "already_running": already_running,
            "running": next((run for run in runs.results if run.is_running), None),
            "jobs": jobs,
        },
        # The page still shows the runs; the status says the sync asked for did not start.
        status_code=409 if already_running else 200,
    )


@router.get("/jobs")
async def jobs_page(
    request: Request,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
    kind: Annotated[JobKind | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    _only_team_leaders(user)
    return await _list_page(request, templates, income_api, user, kind=kind, page=page)


@router.post("/jobs/sync")
async def sync_now(
    request: Request, user: CurrentUser, income_api: IncomeApiDep, templates: Templates
) -> Response:
    _only_team_leaders(user)
    try:
        job_run_id = await income_api.start_sync(user)
    except Conflict:
        # Only one sync runs at a time: show the runs, the running one first.
        return await _list_page(
            request, templates, income_api, user, kind=None, page=1, already_running=True
        )
    return RedirectResponse(f"/jobs/{job_run_id}", 303)


@router.get("/jobs/{job_run_id}")
async def job_page(
    request: Request,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
    job_run_id: uuid.UUID,
) -> Response:
    _only_team_leaders(user)
    run = await income_api.job_run(user, str(job_run_id))
    return templates.TemplateResponse(
        request,
        "job.html",
        {
            "title": f"{labels.label(labels.JOB_KINDS, run.kind)}: job run",
            "run": run,
            "timings": jobs.timing_split(run.timings),
            "by_action": jobs.by_action(run.by_recommended_action),
            "jobs": jobs,
        },
    )
