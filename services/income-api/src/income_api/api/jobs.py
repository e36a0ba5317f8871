"""Syncs and their job runs: `POST /api/v1/sync`, `GET /api/v1/jobs`, `GET /api/v1/jobs/{id}`."""

from __future__ import annotations

import datetime as dt
import math
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status
from pydantic import Field

from income_api.api.deps import DatabaseEngine, Sync
from income_api.api.schemas import ApiModel, Page, RequestModel
from income_api.gateways import job_runs
from income_api.use_cases.access import acting_name
from income_api.use_cases.sync import CHANGES, FULL
from ma_shared.auth import Reader, Role, Writer
from ma_shared.errors import ERROR_RESPONSES, ErrorBody, Forbidden, NotFound

router = APIRouter(prefix="/api/v1", tags=["sync and job runs"])


class SyncKind(StrEnum):
    FULL = FULL
    CHANGES = CHANGES


class SyncRequest(RequestModel):
    kind: SyncKind = Field(
        default=SyncKind.FULL,
        description="`full_sync`: every account in arrears (nightly). `changes_sync`: only "
        "tenancies with new UH transactions or diary entries since the last run.",
    )


class SyncStarted(ApiModel):
    job_run_id: str
    status_url: str


class JobRunError(ApiModel):
    tenancy_ref: str
    message: str = Field(description="What went wrong with this account.")


class JobRunRead(ApiModel):
    id: str = Field(description="The run's id (a UUID).")
    kind: str
    status: str = Field(
        description="`running`, `succeeded`, `completed_with_errors` (some accounts failed), "
        "`failed` (the run stopped) or `abandoned` (its process stopped)."
    )
    triggered_by: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    seconds: float | None
    accounts_seen: int
    cases_created: int
    cases_changed: int
    cases_deleted: int
    classification_changes: int
    agreements_checked: int
    agreements_breached: int
    by_recommended_action: dict[str, int]
    error_count: int
    errors: list[JobRunError] = Field(description="The first 200 errors.")
    timings: dict[str, float]
    changes_since: str | None
    changes_until: str | None
    message: str | None = Field(
        description="Why the run failed or was abandoned; null when it ran to the end."
    )


def _read(row: Any) -> JobRunRead:
    seconds = (row.finished_at - row.started_at).total_seconds() if row.finished_at else None
    return JobRunRead.model_validate(
        {
            **row._mapping,
            "errors": row.errors.get("items", []),
            "seconds": seconds,
        }
    )


@router.post(
    "/sync",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=SyncStarted,
    responses={
        **ERROR_RESPONSES,
        409: {"model": ErrorBody, "description": "A sync is already running."},
    },
    summary="Start a sync now; follow it at the returned job run",
)
async def start_sync(sync: Sync, user: Writer, body: SyncRequest | None = None) -> SyncStarted:
    if not user.roles & {Role.TEAM_LEADER, Role.SERVICE}:
        raise Forbidden("Only team leaders and services can start a sync.")
    kind = (body or SyncRequest()).kind
    job_id = await sync.start(kind.value, triggered_by=acting_name(user))
    return SyncStarted(job_run_id=job_id, status_url=f"/api/v1/jobs/{job_id}")


@router.get(
    "/jobs",
    response_model=Page[JobRunRead],
    responses=ERROR_RESPONSES,
    summary="Job runs, newest first",
)
def list_jobs(
    engine: DatabaseEngine,
    _: Reader,
    kind: Annotated[SyncKind | None, Query(description="Only runs of this kind.")] = None,
    page: Annotated[int, Query(ge=1, description="The page to return, from 1.")] = 1,
    per_page: Annotated[int, Query(ge=1, le=100, description="Runs per page (at most 100).")] = 20,
) -> Page[JobRunRead]:
    rows, total = job_runs.list_job_runs(
        engine,
        kind=kind.value if kind else None,
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    return Page[JobRunRead](
        results=[_read(row) for row in rows],
        page=page,
        per_page=per_page,
        total_count=total,
        number_of_pages=math.ceil(total / per_page),
    )


@router.get(
    "/jobs/{job_run_id}",
    response_model=JobRunRead,
    responses={**ERROR_RESPONSES, 404: {"model": ErrorBody, "description": "No such run."}},
    summary="One job run with its counts, timings and errors",
)
def get_job(
    engine: DatabaseEngine,
    _: Reader,
    job_run_id: Annotated[
        str,
        Path(max_length=36, description="The run's id (`job_run_id` from `POST /api/v1/sync`)."),
    ],
) -> JobRunRead:
    row = job_runs.get_job_run(engine, job_run_id)
    if row is None:
        raise NotFound(f"There is no job run {job_run_id}.")
    return _read(row)
