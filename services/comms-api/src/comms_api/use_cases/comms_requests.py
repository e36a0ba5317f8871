"""Comms requests from SQS: one text, email or letter to one recipient each, sent exactly once
per idempotency key however often SQS delivers the request.

A request is parsed, then accepted (stored with its idempotency key: the same key again is a
replay and stores nothing), then deleted from the queue, then sent. Whatever stops the
process after that is finished by the worker: a message still `accepted` by `retry_due`, one
left `sending` by `recover_in_flight`, which asks Notify for the key before sending again.

* A request that can never succeed as asked (unknown template, invalid phone number or email,
  missing personalisation, no such tenancy) is stored as a `failed` message with the reason,
  and a `comms.message_failed` event tells the requester; then it is deleted.
* A request that cannot be accepted now (Notify or uh-gateway unreachable, the database
  down) is left on the queue: SQS delivers it again after its visibility timeout, and moves
  it to the dead-letter queue after `maxReceiveCount` receives.
* A message that is not a comms request at all (not JSON, not the envelope, an unknown event
  type, event data not as documented) goes to the dead-letter queue at once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections import Counter
from enum import StrEnum
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import Engine, Row, select
from sqlalchemy.exc import SQLAlchemyError

from comms_api.domain.letters import LetterTemplateNotFound, get_template
from comms_api.gateways.comms_events import MESSAGE_FAILED, message_event_data, record_comms_event
from comms_api.gateways.document_store import DocumentStore
from comms_api.gateways.notify import NotifyGateway, NotifyUnavailable
from comms_api.gateways.queues import QueueMessage, QueueUnavailable, SqsQueue
from comms_api.gateways.tables import messages
from comms_api.gateways.uh_gateway import UhGateway
from comms_api.use_cases.letters import LetterRequest, accept_letter
from comms_api.use_cases.messages import (
    EMAIL,
    FAILED,
    LETTER,
    SMS,
    MessageRequest,
    accept_message,
    send_accepted,
    write_diary_entries,
)
from ma_shared.correlation import current_correlation_id, set_correlation_id
from ma_shared.errors import ApiError, Conflict, NotFound, UpstreamUnavailable, ValidationFailed
from ma_shared.events import EventEnvelope
from ma_shared.references import TENANCY_REF_PATTERN
from ma_shared.uk_time import LONDON

logger = logging.getLogger(__name__)

SMS_REQUESTED = "comms.sms_requested"
EMAIL_REQUESTED = "comms.email_requested"
LETTER_REQUESTED = "comms.letter_requested"
# Who sent a request that came without a user: automation, as the old system named it.
SYSTEM_SENDER = "MANAGE ARREARS SYSTEM"
MAX_BACKOFF_SECONDS = 60.0


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # stored now and handed to Notify (or queued for a retry)
    REPLAYED = "replayed"  # its idempotency key was stored already: nothing more done
    FAILED = "failed"  # can never succeed as asked: stored as a failed message
    DEAD_LETTERED = "dead_lettered"  # not a comms request: on the dead-letter queue
    RETRY = "retry"  # cannot be accepted now: left for SQS to deliver again


class _Requested(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    idempotency_key: str = Field(min_length=8, max_length=200, pattern=r"^[\x21-\x7e]+$")
    template_id: str = Field(min_length=1, max_length=100)


class SmsRequested(_Requested):
    phone_number: str = Field(max_length=30)
    personalisation: dict[str, Any] = Field(default_factory=dict)
    tenancy_ref: str | None = Field(default=None, pattern=TENANCY_REF_PATTERN)


class EmailRequested(_Requested):
    email_address: str = Field(max_length=320)
    personalisation: dict[str, Any] = Field(default_factory=dict)
    tenancy_ref: str | None = Field(default=None, pattern=TENANCY_REF_PATTERN)


class LetterRequested(_Requested):
    tenancy_ref: str | None = Field(default=None, pattern=TENANCY_REF_PATTERN)
    payment_ref: str | None = Field(default=None, min_length=1, max_length=20)
    fields: dict[str, Any] = Field(default_factory=dict)
    postage: Literal["first", "second", "economy"] = "second"

    @model_validator(mode="after")
    def names_the_account(self) -> Self:
        if self.tenancy_ref is None and self.payment_ref is None:
            raise ValueError("give a tenancy_ref or a payment_ref")
        return self


REQUEST_MODELS: dict[str, type[_Requested]] = {
    SMS_REQUESTED: SmsRequested,
    EMAIL_REQUESTED: EmailRequested,
    LETTER_REQUESTED: LetterRequested,
}

CommsRequest = MessageRequest | LetterRequest


class NotACommsRequest(Exception):
    """The message can never be processed: it is not a comms request as documented."""

    def __init__(self, reason: str, *, fields: list[str] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fields = fields or []


def parse_request(body: str) -> tuple[EventEnvelope, CommsRequest]:
    """The envelope and the request it carries, or `NotACommsRequest`."""
    try:
        envelope = EventEnvelope.model_validate_json(body)
    except ValidationError as error:
        raise NotACommsRequest("not_an_envelope", fields=_fields(error)) from error
    model = REQUEST_MODELS.get(envelope.event_type)
    if model is None:
        raise NotACommsRequest("unknown_event_type")
    try:
        data = model.model_validate(envelope.event_data)
    except ValidationError as error:
        raise NotACommsRequest("invalid_event_data", fields=_fields(error)) from error
    user = envelope.user
    sent_by = (user.name or user.email) if user is not None else SYSTEM_SENDER
    automated = user is None
    if isinstance(data, LetterRequested):
        return envelope, LetterRequest(
            template_id=data.template_id,
            tenancy_ref=data.tenancy_ref,
            payment_ref=data.payment_ref,
            fields=data.fields,
            sent_by=sent_by,
            idempotency_key=data.idempotency_key,
            automated=automated,
            postage=data.postage,
        )
    assert isinstance(data, SmsRequested | EmailRequested)
    return envelope, MessageRequest(
        channel=SMS if isinstance(data, SmsRequested) else EMAIL,
        template_id=data.template_id,
        recipient=data.phone_number if isinstance(data, SmsRequested) else data.email_address,
        personalisation=data.personalisation,
        tenancy_ref=data.tenancy_ref,
        sent_by=sent_by,
        idempotency_key=data.idempotency_key,
        automated=automated,
    )


def _fields(error: ValidationError) -> list[str]:
    """Which fields were wrong, never their values (they may be personal data)."""
    return [
        ".".join(str(part) for part in problem["loc"]) or "(body)"
        for problem in error.errors(include_input=False, include_url=False)
    ]


def message_for_key(engine: Engine, idempotency_key: str) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(
            select(messages).where(messages.c.idempotency_key == idempotency_key)
        ).first()


def _template_name(notify: NotifyGateway, request: CommsRequest) -> str:
    """The template's name if it has one, else its id (a template that does not exist)."""
    if isinstance(request, LetterRequest):
        try:
            return get_template(request.template_id).name
        except LetterTemplateNotFound:
            return request.template_id
    try:
        template = notify.templates().get(request.template_id)
    except NotifyUnavailable:
        return request.template_id
    return template.name if template is not None else request.template_id


def record_failed_request(
    engine: Engine, notify: NotifyGateway, request: CommsRequest, error: ApiError
) -> Row[Any]:
    """Store a request that can never succeed as a `failed` message with the reason, and its
    `comms.message_failed` event, in one transaction. The same key again stores nothing more
    (its unique constraint stops a second row even from a concurrent consumer)."""
    existing = message_for_key(engine, request.idempotency_key)
    if existing is not None:
        return existing
    if isinstance(request, LetterRequest):
        # Nothing was rendered, so a letter's address is not known.
        channel, recipient, details = LETTER, "", request.fields
        payment_ref, postage = request.payment_ref, request.postage
    else:
        channel, recipient, details = request.channel, request.recipient, request.personalisation
        payment_ref, postage = None, None
    template_name = _template_name(notify, request)
    now = dt.datetime.now(tz=dt.UTC)
    message_id = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(
            messages.insert().values(
                id=message_id,
                idempotency_key=request.idempotency_key,
                request_fingerprint=request.fingerprint(),
                channel=channel,
                tenancy_ref=request.tenancy_ref,
                payment_ref=payment_ref,
                template_id=request.template_id,
                template_name=template_name,
                recipient=recipient,
                personalisation=details,
                body="",
                status=FAILED,
                error=error.message,
                attempts=0,
                next_attempt_at=None,
                sent_by=request.sent_by,
                automated=request.automated,
                postage=postage,
                created_at=now,
                updated_at=now,
                completed_at=now,
            )
        )
        failed = conn.execute(select(messages).where(messages.c.id == message_id)).one()
        record_comms_event(conn, MESSAGE_FAILED, message_id, message_event_data(failed._mapping))
    return failed


class CommsRequestConsumer:
    """Takes comms requests off the queue: `consume_once` for one receive (tests, a
    scheduler), `run` for the worker's endless long polling."""

    def __init__(
        self,
        *,
        engine: Engine,
        notify: NotifyGateway,
        uh_gateway: UhGateway,
        store: DocumentStore,
        queue: SqsQueue,
    ) -> None:
        self._engine = engine
        self._notify = notify
        self._uh_gateway = uh_gateway
        self._store = store
        self._queue = queue

    def consume_once(self, *, wait_seconds: int = 0, max_messages: int = 10) -> Counter[Outcome]:
        """Receive once (waiting up to `wait_seconds`) and handle what came; raises
        `QueueUnavailable` when SQS cannot be reached."""
        outcomes: Counter[Outcome] = Counter()
        for message in self._queue.receive(max_messages=max_messages, wait_seconds=wait_seconds):
            outcomes[self.handle(message)] += 1
        return outcomes

    async def run(self, *, wait_seconds: int) -> None:
        """Consume for ever; while SQS cannot be reached, log and wait longer each time."""
        backoff = 0.0
        while True:
            try:
                await asyncio.to_thread(self.consume_once, wait_seconds=wait_seconds)
                backoff = 0.0
            except QueueUnavailable as error:
                backoff = min(MAX_BACKOFF_SECONDS, max(1.0, backoff * 2))
                logger.warning(
                    "comms requests queue unreachable",
                    extra={"error": str(error), "retry_in_seconds": backoff},
                )
            except Exception:
                backoff = min(MAX_BACKOFF_SECONDS, max(1.0, backoff * 2))
                logger.exception("comms requests round failed", extra={"retry_in_seconds": backoff})
            if backoff:
                await asyncio.sleep(backoff)

    def handle(self, message: QueueMessage) -> Outcome:
        try:
            envelope, request = parse_request(message.body)
        except NotACommsRequest as error:
            self._dead_letter(message, error.reason, fields=error.fields)
            return Outcome.DEAD_LETTERED
        previous = current_correlation_id()
        # The requester's correlation id follows the request into logs, Notify calls and the
        # comms events it leads to.
        set_correlation_id(envelope.correlation_id)
        try:
            return self._handle(message, envelope, request)
        finally:
            set_correlation_id(previous)

    def _handle(
        self, message: QueueMessage, envelope: EventEnvelope, request: CommsRequest
    ) -> Outcome:
        ids = {"sqs_message_id": message.message_id, "event_id": str(envelope.id)}
        try:
            stored, replay = self._accept(request)
        except (ValidationFailed, NotFound) as error:
            failed = record_failed_request(self._engine, self._notify, request, error)
            self._queue.delete(message)
            logger.info(
                "comms request cannot be sent: stored as failed",
                extra=ids | {"message_id": failed.id, "error_code": error.code},
            )
            return Outcome.FAILED
        except Conflict as error:
            self._dead_letter(message, error.code, event_id=str(envelope.id))
            return Outcome.DEAD_LETTERED
        except (UpstreamUnavailable, SQLAlchemyError) as error:
            logger.warning(
                "comms request not accepted now: SQS will deliver it again",
                extra=ids | {"receive_count": message.receive_count, "error": type(error).__name__},
            )
            return Outcome.RETRY
        self._queue.delete(message)
        if replay:
            # Stored before: the worker finishes it if it was not sent.
            return Outcome.REPLAYED
        self._send(stored.id)
        return Outcome.ACCEPTED

    def _accept(self, request: CommsRequest) -> tuple[Row[Any], bool]:
        if isinstance(request, LetterRequest):
            today = dt.datetime.now(tz=LONDON).date()  # the date printed on the letter
            return accept_letter(self._engine, self._uh_gateway, self._store, request, today=today)
        return accept_message(self._engine, self._notify, request)

    def _send(self, message_id: str) -> None:
        """Send now, waiting for a turn at Notify's rate limit (nobody is waiting on a queued
        request). The request is off the queue: whatever goes wrong here, the worker's
        retries finish it, so it is logged rather than raised."""
        try:
            patient = self._notify.waiting_for_rate_limit()
            send_accepted(self._engine, patient, self._store, message_id)
            write_diary_entries(self._engine, self._uh_gateway, message_id=message_id)
        except Exception:
            logger.exception(
                "comms request accepted but not sent yet: the worker retries it",
                extra={"message_id": message_id},
            )

    def _dead_letter(
        self,
        message: QueueMessage,
        reason: str,
        *,
        fields: list[str] | None = None,
        event_id: str | None = None,
    ) -> None:
        logger.warning(
            "comms request sent to the dead-letter queue",
            extra={
                "sqs_message_id": message.message_id,
                "event_id": event_id,
                "reason": reason,
                "fields": fields or [],
            },
        )
        self._queue.dead_letter(message, reason)
