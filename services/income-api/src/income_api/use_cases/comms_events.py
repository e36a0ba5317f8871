"""Comms events from comms-api: a letter's progress becomes its case's latest document, and
the case is re-classified, so an income letter Notify rejected puts the case on the worktray
as `review_failed_letter` (income-rules R2) and marking the failure reviewed takes it off.

Each event is acted on once, by its envelope id: the id is stored in the same transaction as
the case change, so a redelivered or republished event changes nothing. The event is then
deleted from the queue; a crash before that only means it is seen again, as a duplicate. An
event about a tenancy with no case (not in arrears) is acknowledged and logged. A message
that cannot be read is left on the queue, which SQS delivers again and then moves to the
dead-letter queue."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import Connection, Engine, Row, insert, select, update

from income_api.gateways.comms_events import ReceivedEvent, SqsReceiver
from income_api.gateways.tables import cases, processed_events
from income_api.use_cases.sync import CaseSync
from ma_shared.database import serialized_writes
from ma_shared.errors import ApiError
from ma_shared.events import EventEnvelope

logger = logging.getLogger(__name__)

MESSAGE_EVENTS = frozenset(
    {"comms.message_sent", "comms.message_delivered", "comms.message_failed"}
)
LETTER_FAILURE_REVIEWED = "comms.letter_failure_reviewed"
FAILURE_REVIEWED = "failure_reviewed"
MAX_BACKOFF_SECONDS = 60.0


class Outcome(StrEnum):
    APPLIED = "applied"  # the case's latest document changed
    IGNORED = "ignored"  # not about a letter
    DUPLICATE = "duplicate"  # this envelope id was acted on before
    OLDER = "older"  # the case already has news of a later moment
    NO_CASE = "no_case"  # about a tenancy with no case
    UNREADABLE = "unreadable"  # left on the queue


class UnreadableEvent(Exception):
    pass


class LetterEventData(BaseModel):
    """What comms-api's letter events say (the rest of their event data is not needed)."""

    model_config = ConfigDict(extra="ignore")

    channel: str | None = None
    tenancy_ref: str | None = None
    payment_ref: str | None = None
    template_id: str
    status: str | None = None
    notify_status: str | None = None
    document_id: str | None = None


@dataclass(frozen=True)
class DocumentChange:
    """A case's latest letter document, as of `updated_at`."""

    tenancy_ref: str | None
    payment_ref: str | None
    status: str
    template_id: str
    updated_at: dt.datetime


def document_change(envelope: EventEnvelope) -> DocumentChange | None:
    """What the event says about a letter document, or None when it is not about one."""
    reviewed = envelope.event_type == LETTER_FAILURE_REVIEWED
    if not reviewed and (
        envelope.event_type not in MESSAGE_EVENTS or envelope.event_data.get("channel") != "letter"
    ):
        return None
    try:
        data = LetterEventData.model_validate(envelope.event_data)
    except ValidationError as error:
        fields = [".".join(map(str, e["loc"])) for e in error.errors(include_input=False)]
        raise UnreadableEvent(f"letter event data not as documented: {fields}") from error
    if reviewed:
        status = FAILURE_REVIEWED
    elif data.document_id is None:
        return None  # a letter that could not be made: there is no document
    elif data.status == "failed" and data.notify_status:
        status = data.notify_status  # e.g. validation-failed: Notify rejected the PDF
    elif data.status:
        status = data.status
    else:
        raise UnreadableEvent("letter event without a status")
    if data.tenancy_ref is None and data.payment_ref is None:
        raise UnreadableEvent("letter event without a tenancy_ref or payment_ref")
    return DocumentChange(
        tenancy_ref=data.tenancy_ref,
        payment_ref=data.payment_ref,
        status=status,
        template_id=data.template_id,
        updated_at=envelope.occurred_at,
    )


def _case_for(conn: Connection, change: DocumentChange) -> Row[Any] | None:
    query = select(cases)
    if change.tenancy_ref is not None:
        query = query.where(cases.c.tenancy_ref == change.tenancy_ref)
    else:
        query = query.where(cases.c.payment_ref == change.payment_ref).order_by(cases.c.id)
    return conn.execute(query).first()


def apply_comms_event(engine: Engine, envelope: EventEnvelope) -> tuple[Outcome, str | None]:
    """Act on one event once; the outcome, and the tenancy whose case changed."""
    change = document_change(envelope)
    if change is None:
        return Outcome.IGNORED, None
    event_id = str(envelope.id)
    now = dt.datetime.now(tz=dt.UTC)
    with serialized_writes(engine).begin() as conn:
        seen = conn.execute(
            select(processed_events.c.id).where(processed_events.c.id == event_id)
        ).first()
        if seen is not None:
            return Outcome.DUPLICATE, None
        conn.execute(
            insert(processed_events).values(
                id=event_id, event_type=envelope.event_type, processed_at=now
            )
        )
        case = _case_for(conn, change)
        if case is None:
            logger.info(
                "comms event about a tenancy with no case",
                extra={
                    "event_id": event_id,
                    "tenancy_ref": change.tenancy_ref,
                    "payment_ref": change.payment_ref,
                },
            )
            return Outcome.NO_CASE, None
        # SQS does not keep order: news of an earlier moment never overwrites a later one.
        latest = case.latest_document_updated_at
        if latest is not None and change.updated_at < latest:
            return Outcome.OLDER, None
        conn.execute(
            update(cases)
            .where(cases.c.id == case.id)
            .values(
                latest_document_status=change.status,
                latest_document_template_id=change.template_id,
                latest_document_updated_at=change.updated_at,
                updated_at=now,
            )
        )
    tenancy_ref: str = case.tenancy_ref
    return Outcome.APPLIED, tenancy_ref


class CommsEventsConsumer:
    """`consume_once` for one receive (tests); `run` for the scheduler's endless polling."""

    def __init__(self, *, engine: Engine, receiver: SqsReceiver, sync: CaseSync) -> None:
        self._engine = engine
        self._receiver = receiver
        self._sync = sync

    async def consume_once(self, *, wait_seconds: int = 0) -> Counter[Outcome]:
        received = await asyncio.to_thread(self._receiver.receive, wait_seconds=wait_seconds)
        outcomes: Counter[Outcome] = Counter()
        changed: set[str] = set()
        for event in received:
            outcome, tenancy_ref = await asyncio.to_thread(self._apply, event)
            outcomes[outcome] += 1
            if outcome is not Outcome.UNREADABLE:
                await asyncio.to_thread(self._receiver.delete, event)
            if tenancy_ref is not None:
                changed.add(tenancy_ref)
        if changed:
            await self._reclassify(sorted(changed))
        return outcomes

    def _apply(self, event: ReceivedEvent) -> tuple[Outcome, str | None]:
        try:
            envelope = EventEnvelope.model_validate_json(event.body)
            return apply_comms_event(self._engine, envelope)
        except (ValidationError, UnreadableEvent) as error:
            reason = "not an envelope" if isinstance(error, ValidationError) else str(error)
            logger.warning(
                "comms event unreadable: left for the dead-letter queue",
                extra={"sqs_message_id": event.sqs_message_id, "reason": reason},
            )
            return Outcome.UNREADABLE, None

    async def _reclassify(self, refs: list[str]) -> None:
        try:
            await self._sync.refresh(refs)
        except ApiError as exc:
            # The document is stored: the next sync re-classifies these cases.
            logger.warning(
                "cases not re-classified after comms events",
                extra={"tenancy_refs": refs, "error": exc.code},
            )

    async def run(self, *, wait_seconds: int) -> None:
        """Consume for ever; while SQS or the database cannot be reached, log and wait longer
        each time."""
        backoff = 0.0
        while True:
            try:
                await self.consume_once(wait_seconds=wait_seconds)
                backoff = 0.0
            except Exception:
                backoff = min(MAX_BACKOFF_SECONDS, max(1.0, backoff * 2))
                logger.exception("comms events round failed", extra={"retry_in_seconds": backoff})
            if backoff:
                await asyncio.sleep(backoff)
