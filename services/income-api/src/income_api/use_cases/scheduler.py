"""The in-process scheduler: the nightly full sync, the intraday refresh from the changes
feed every few minutes, and outbox retries. In production each task can equally be run by an
external scheduler calling `POST /api/v1/sync` or the `income-api-sync` command."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass

from income_api.gateways.outbox import OutboxDispatcher
from income_api.use_cases.sync import CHANGES, FULL, CaseSync
from ma_shared.errors import Conflict

logger = logging.getLogger(__name__)

TICK_SECONDS = 5.0
SCHEDULER = "scheduler"


@dataclass
class Schedule:
    nightly_hour_utc: int
    changes_every: dt.timedelta
    outbox_every: dt.timedelta


async def run_scheduler(sync: CaseSync, dispatcher: OutboxDispatcher, schedule: Schedule) -> None:
    last_nightly: dt.date | None = None
    last_changes = dt.datetime.now(tz=dt.UTC)
    last_outbox = dt.datetime.min.replace(tzinfo=dt.UTC)
    while True:
        now = dt.datetime.now(tz=dt.UTC)
        try:
            if now.hour == schedule.nightly_hour_utc and last_nightly != now.date():
                # Only a run that started counts: if another sync holds the lock, try again
                # next tick, still within the hour.
                if await _run(sync, FULL):
                    last_nightly = now.date()
            elif now - last_changes >= schedule.changes_every:
                last_changes = now
                await _run(sync, CHANGES)
            if now - last_outbox >= schedule.outbox_every:
                last_outbox = now
                await dispatcher.deliver()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("scheduled task failed")
        await asyncio.sleep(TICK_SECONDS)


async def _run(sync: CaseSync, kind: str) -> bool:
    try:
        await sync.run_now(kind, triggered_by=SCHEDULER)
    except Conflict:
        logger.info("scheduled sync skipped: another is running", extra={"kind": kind})
        return False
    return True
