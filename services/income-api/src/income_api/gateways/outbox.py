"""The outbox: writes to UH (action diary entries, NOSPs served) and case events are recorded
in the same transaction as the change that caused them, then delivered, and retried until
delivered.

A UH write carries its outbox row's idempotency key to uh-gateway, so however often it is
retried UH gets one entry; a write the gateway rejects as invalid is marked failed and shown
on the case rather than retried for ever."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, select, update

from income_api.gateways.case_events import SqsPublisher
from income_api.gateways.tables import outbox
from income_api.gateways.uh_gateway import GatewayRejected, UhGateway
from ma_shared.errors import NotFound
from ma_shared.events import EventEnvelope

logger = logging.getLogger(__name__)

UH_DIARY = "uh_diary"
# A NOSP served: its dates on the tenancy and its `NTS` diary entry, which UH writes together.
UH_NOSP = "uh_nosp"
UH_WRITES = (UH_DIARY, UH_NOSP)
CASE_EVENT = "case_event"
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
MAX_BACKOFF = dt.timedelta(hours=1)
FIRST_BACKOFF = dt.timedelta(seconds=30)


def diary_message(
    *, tenancy_ref: str, action_code: str, comment: str, username: str, now: dt.datetime
) -> dict[str, Any]:
    return {
        "kind": UH_DIARY,
        "idempotency_key": f"income-api-diary-{uuid.uuid4()}",
        "tenancy_ref": tenancy_ref,
        "payload": {"action_code": action_code, "comment": comment, "username": username},
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def nosp_message(
    *,
    tenancy_ref: str,
    served_date: dt.date,
    expiry_date: dt.date,
    comment: str | None,
    username: str,
    now: dt.datetime,
) -> dict[str, Any]:
    return {
        "kind": UH_NOSP,
        "idempotency_key": f"income-api-nosp-{uuid.uuid4()}",
        "tenancy_ref": tenancy_ref,
        "payload": {
            "served_date": served_date.isoformat(),
            "expiry_date": expiry_date.isoformat(),
            "comment": comment,
            "username": username,
        },
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def uh_write_summary(kind: str, payload: dict[str, Any]) -> tuple[str, str]:
    """A UH write waiting in the outbox as the case shows it: its diary code and text."""
    if kind == UH_NOSP:
        served = dt.date.fromisoformat(payload["served_date"])
        note = f"NOSP served on {served:%d/%m/%Y}."
        return "NTS", f"{note} {payload['comment']}" if payload.get("comment") else note
    return payload["action_code"], payload["comment"]


def event_message(event: EventEnvelope, *, now: dt.datetime) -> dict[str, Any]:
    return {
        "kind": CASE_EVENT,
        "idempotency_key": str(event.id),
        "tenancy_ref": event.entity_id,
        "payload": event.model_dump(mode="json"),
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def backoff(attempts: int) -> dt.timedelta:
    delay: dt.timedelta = FIRST_BACKOFF * 2 ** max(attempts - 1, 0)
    return min(MAX_BACKOFF, delay)


class OutboxDispatcher:
    def __init__(
        self, *, engine: Engine, gateway: UhGateway, publisher: SqsPublisher | None
    ) -> None:
        self._engine = engine
        self._gateway = gateway
        self._publisher = publisher
        self._lock = asyncio.Lock()

    def _due(self, now: dt.datetime, ids: Sequence[int] | None, limit: int) -> list[Any]:
        query = select(outbox).where(outbox.c.status == PENDING).order_by(outbox.c.id)
        if self._publisher is None:
            # Events wait, untouched, until a queue is configured.
            query = query.where(outbox.c.kind != CASE_EVENT)
        if ids is None:
            query = query.where(outbox.c.next_attempt_at <= now).limit(limit)
        else:
            query = query.where(outbox.c.id.in_(ids))
        with self._engine.connect() as conn:
            return list(conn.execute(query))

    def _mark(self, message_id: int, values: dict[str, Any]) -> None:
        with self._engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.id == message_id).values(**values))

    async def deliver(self, ids: Sequence[int] | None = None, *, limit: int = 500) -> int:
        """Deliver the given messages, or every message due; returns how many were delivered.
        One delivery at a time per process, so a message is never sent twice concurrently."""
        delivered = 0
        async with self._lock:
            now = dt.datetime.now(tz=dt.UTC)
            for message in await asyncio.to_thread(self._due, now, ids, limit):
                if await self._deliver_one(message):
                    delivered += 1
        return delivered

    async def _deliver_one(self, message: Any) -> bool:
        attempts = message.attempts + 1
        try:
            if message.kind == UH_DIARY:
                await self._gateway.add_action_diary_entry(
                    message.tenancy_ref,
                    idempotency_key=message.idempotency_key,
                    **message.payload,
                )
            elif message.kind == UH_NOSP:
                await self._gateway.record_nosp(
                    message.tenancy_ref,
                    idempotency_key=message.idempotency_key,
                    **message.payload,
                )
            elif self._publisher is not None:
                await asyncio.to_thread(
                    self._publisher.publish,
                    json.dumps(message.payload),
                    {"event_type": message.payload["event_type"]},
                )
        except (GatewayRejected, NotFound) as exc:
            logger.error(
                "outbox message rejected",
                extra={"outbox_id": message.id, "kind": message.kind, "error": str(exc)},
            )
            await asyncio.to_thread(
                self._mark,
                message.id,
                {"status": FAILED, "attempts": attempts, "last_error": str(exc)},
            )
            return False
        except Exception as exc:  # any other failure is retried later
            retry_at = dt.datetime.now(tz=dt.UTC) + backoff(attempts)
            logger.warning(
                "outbox delivery failed, will retry",
                extra={
                    "outbox_id": message.id,
                    "kind": message.kind,
                    "attempts": attempts,
                    "error": type(exc).__name__,
                },
            )
            await asyncio.to_thread(
                self._mark,
                message.id,
                {"attempts": attempts, "next_attempt_at": retry_at, "last_error": str(exc)},
            )
            return False
        await asyncio.to_thread(
            self._mark,
            message.id,
            {
                "status": DELIVERED,
                "attempts": attempts,
                "delivered_at": dt.datetime.now(tz=dt.UTC),
                "last_error": None,
            },
        )
        return True
