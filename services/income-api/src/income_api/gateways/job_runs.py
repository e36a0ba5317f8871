"""Job runs: every sync is recorded with its counts, timings and per-account errors."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Engine, Row, and_, func, insert, select, update

from income_api.gateways.tables import job_runs
from ma_shared.database import serialized_writes
from ma_shared.errors import Conflict

RUNNING, SUCCEEDED, COMPLETED_WITH_ERRORS, FAILED, ABANDONED = (
    "running",
    "succeeded",
    "completed_with_errors",
    "failed",
    "abandoned",
)
# Kept on the run for operators; the total is always in error_count.
MAX_RECORDED_ERRORS = 200


def start_job_run(
    engine: Engine, *, kind: str, triggered_by: str, stale_after: dt.timedelta
) -> str:
    """Record a new run, refusing if another sync is still running. A run whose heartbeat
    stopped long ago belonged to a process that died: it is marked abandoned."""
    now = dt.datetime.now(tz=dt.UTC)
    job_id = str(uuid.uuid4())
    with serialized_writes(engine).begin() as conn:
        conn.execute(
            update(job_runs)
            .where(and_(job_runs.c.status == RUNNING, job_runs.c.heartbeat_at < now - stale_after))
            .values(status=ABANDONED, finished_at=now, message="The process running it stopped.")
        )
        running = conn.execute(select(job_runs.c.id).where(job_runs.c.status == RUNNING)).first()
        if running is not None:
            raise Conflict(
                f"A sync is already running (job run {running.id}).", code="sync_already_running"
            )
        conn.execute(
            insert(job_runs).values(
                id=job_id,
                kind=kind,
                status=RUNNING,
                triggered_by=triggered_by,
                started_at=now,
                heartbeat_at=now,
                by_recommended_action={},
                errors={"items": []},
                timings={},
            )
        )
    return job_id


def update_job_run(engine: Engine, job_id: str, values: dict[str, Any]) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(job_runs)
            .where(job_runs.c.id == job_id)
            .values(heartbeat_at=dt.datetime.now(tz=dt.UTC), **values)
        )


def get_job_run(engine: Engine, job_id: str) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(select(job_runs).where(job_runs.c.id == job_id)).first()


def list_job_runs(
    engine: Engine, *, kind: str | None, limit: int, offset: int
) -> tuple[list[Row[Any]], int]:
    query = select(job_runs)
    count = select(func.count()).select_from(job_runs)
    if kind:
        query = query.where(job_runs.c.kind == kind)
        count = count.where(job_runs.c.kind == kind)
    with engine.connect() as conn:
        rows = list(
            conn.execute(query.order_by(job_runs.c.started_at.desc()).limit(limit).offset(offset))
        )
        total = int(conn.execute(count).scalar_one())
    return rows, total


def latest_changes_mark(engine: Engine) -> str | None:
    """Where the last finished run left the changes feed."""
    with engine.connect() as conn:
        return conn.execute(
            select(job_runs.c.changes_until)
            .where(
                job_runs.c.status.in_((SUCCEEDED, COMPLETED_WITH_ERRORS)),
                job_runs.c.changes_until.is_not(None),
            )
            .order_by(job_runs.c.started_at.desc())
            .limit(1)
        ).scalar_one_or_none()
