"""Publishing the comms events outbox to SQS.

Each due event (not yet published, its next attempt due) is leased, sent, then marked
published. A failure to send backs the event off (attempts, last error, next attempt later);
it is never dropped. The lease keeps two workers from sending the same event at once; a
crash between the send and the mark sends it again once the lease runs out, so delivery is
at least once and consumers ignore an envelope `id` they have seen (as every consumer of our
events must)."""

from __future__ import annotations

import datetime as dt
import json
import logging

from sqlalchemy import Engine, select, update

from comms_api.gateways.queues import QueueUnavailable, SqsQueue
from comms_api.gateways.tables import comms_events

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=2)
FIRST_RETRY = dt.timedelta(seconds=30)
LAST_RETRY = dt.timedelta(hours=1)


def _now() -> dt.datetime:
    return dt.datetime.now(tz=dt.UTC)


def _lease(engine: Engine, event_id: str, now: dt.datetime) -> bool:
    with engine.begin() as conn:
        leased = conn.execute(
            update(comms_events)
            .where(
                comms_events.c.id == event_id,
                comms_events.c.published_at.is_(None),
                comms_events.c.next_attempt_at <= now,
            )
            .values(next_attempt_at=now + LEASE)
        )
    return leased.rowcount == 1


def publish_due_events(engine: Engine, queue: SqsQueue, *, limit: int = 500) -> int:
    """Publish the events due, oldest first; returns how many were published. Stops at the
    first failure to send: the queue is down for the rest too."""
    now = _now()
    with engine.connect() as conn:
        due = conn.execute(
            select(comms_events)
            .where(comms_events.c.published_at.is_(None), comms_events.c.next_attempt_at <= now)
            .order_by(comms_events.c.created_at, comms_events.c.id)
            .limit(limit)
        ).all()
    published = 0
    for event in due:
        if not _lease(engine, event.id, now):
            continue  # another worker has it
        attempts = event.attempts + 1
        try:
            queue.send(
                json.dumps(event.envelope),
                {
                    "event_type": event.event_type,
                    "correlation_id": event.envelope.get("correlation_id", ""),
                },
            )
        except QueueUnavailable as error:
            delay = min(LAST_RETRY, FIRST_RETRY * 2 ** (attempts - 1))
            logger.warning(
                "comms event not published: will retry",
                extra={"event_id": event.id, "attempts": attempts, "error": str(error)},
            )
            _mark(engine, event.id, attempts=attempts, last_error=str(error), retry_in=delay)
            break
        _mark(engine, event.id, attempts=attempts, published_at=_now())
        published += 1
    return published


def _mark(
    engine: Engine,
    event_id: str,
    *,
    attempts: int,
    published_at: dt.datetime | None = None,
    last_error: str | None = None,
    retry_in: dt.timedelta | None = None,
) -> None:
    values: dict[str, object] = {
        "attempts": attempts,
        "published_at": published_at,
        "last_error": last_error,
    }
    if retry_in is not None:
        values["next_attempt_at"] = _now() + retry_in
    with engine.begin() as conn:
        conn.execute(update(comms_events).where(comms_events.c.id == event_id).values(**values))
