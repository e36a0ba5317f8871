"""Sending a text or an email exactly once.

1. `accept_message`: validate everything (template, recipient, personalisation), then store
   the message with its idempotency key. The same key again returns the same message; the same
   key with a different request is a conflict.
2. `send_accepted`: claim the message (`accepted` → `sending`, so two workers never both send
   it), send it to Notify with the idempotency key as the `reference`, and store Notify's id.
   A refusal is recorded as `failed`; Notify being unavailable puts it back for a retry.
3. `recover_in_flight`: a message left `sending` by a crash is looked up at Notify by its
   reference before anything is sent again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, select, update

from comms_api.domain.delivery import FAILURE_REASONS, Delivery, delivery_for
from comms_api.domain.diary import (
    LETTER_REJECTED_CODE,
    diary_code,
    diary_comment,
    letter_rejected_comment,
    letter_sent_comment,
)
from comms_api.domain.letters import get_template
from comms_api.gateways.comms_events import (
    MESSAGE_DELIVERED,
    MESSAGE_FAILED,
    MESSAGE_SENT,
    message_event_data,
    record_comms_event,
)
from comms_api.gateways.document_store import (
    DocumentMissing,
    DocumentStore,
    DocumentStoreUnavailable,
)
from comms_api.gateways.notify import (
    NotifyGateway,
    NotifyRejected,
    NotifyTemplate,
    NotifyUnavailable,
)
from comms_api.gateways.tables import diary_entries, documents, messages
from comms_api.gateways.uh_gateway import UhGateway, UhRefused, UhUnavailable
from ma_shared.database import serialized_writes
from ma_shared.errors import Conflict, ErrorDetail, NotFound, UpstreamUnavailable, ValidationFailed
from ma_shared.personalisation import missing, placeholders, render
from ma_shared.recipients import InvalidRecipient, email_address, uk_mobile_e164

logger = logging.getLogger(__name__)

ACCEPTED, SENDING, SENT, DELIVERED, FAILED = "accepted", "sending", "sent", "delivered", "failed"
SMS, EMAIL, LETTER = "sms", "email", "letter"
VALIDATION_FAILED = "validation-failed"
PENDING, WRITTEN = "pending", "written"
FIRST_RETRY = dt.timedelta(seconds=30)
LAST_RETRY = dt.timedelta(hours=1)


@dataclass(frozen=True)
class MessageRequest:
    channel: str  # "sms" or "email"
    template_id: str
    recipient: str
    personalisation: dict[str, Any]
    tenancy_ref: str | None
    sent_by: str
    idempotency_key: str
    automated: bool = False

    def fingerprint(self) -> str:
        payload = json.dumps(
            [
                self.channel,
                self.template_id,
                self.recipient,
                self.personalisation,
                self.tenancy_ref,
            ],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(tz=dt.UTC)


def _invalid(field: str, code: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details=[ErrorDetail(field=field, code=code, message=message)])


def _by_key(engine: Engine, key: str) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(select(messages).where(messages.c.idempotency_key == key)).first()


def get_message(engine: Engine, message_id: str) -> Row[Any]:
    with engine.connect() as conn:
        row = conn.execute(select(messages).where(messages.c.id == message_id)).first()
    if row is None:
        raise NotFound(f"There is no message {message_id}.")
    return row


@dataclass(frozen=True)
class CheckedMessage:
    """A text or email as it would be sent: its template, its recipient in the form Notify
    takes (E.164 for a phone), and its subject and body with the placeholders filled."""

    template: NotifyTemplate
    recipient: str
    subject: str | None
    body: str


def check_message(
    notify: NotifyGateway,
    *,
    channel: str,
    template_id: str,
    recipient: str,
    personalisation: dict[str, Any],
) -> CheckedMessage:
    """Every check a send makes (template, recipient, personalisation), and the message as
    the recipient would read it; `ValidationFailed` listing the problems otherwise. A preview
    is this without the send."""
    try:
        template = notify.templates().get(template_id)
    except NotifyUnavailable as error:
        raise UpstreamUnavailable(
            "GOV.UK Notify cannot be reached to check the template."
        ) from error
    if template is None or template.type != channel:
        raise _invalid(
            "template_id",
            "unknown_template",
            f"There is no {channel} template with this id.",
        )
    try:
        to = uk_mobile_e164(recipient) if channel == "sms" else email_address(recipient)
    except InvalidRecipient as error:
        field = "phone_number" if channel == "sms" else "email_address"
        raise _invalid(field, "invalid_recipient", str(error)) from error
    absent = missing(placeholders(template.subject, template.body), personalisation)
    if absent:
        raise ValidationFailed(
            f"Missing personalisation: {', '.join(absent)}.",
            details=[
                ErrorDetail(
                    field=f"personalisation.{name}", code="required", message="Give a value."
                )
                for name in absent
            ],
        )
    return CheckedMessage(
        template=template,
        recipient=to,
        subject=render(template.subject, personalisation) if template.subject else None,
        body=render(template.body, personalisation),
    )


def accept_message(
    engine: Engine, notify: NotifyGateway, request: MessageRequest
) -> tuple[Row[Any], bool]:
    """The stored message and whether it was already there (a retried request)."""
    existing = _by_key(engine, request.idempotency_key)
    if existing is not None:
        if existing.request_fingerprint != request.fingerprint():
            raise Conflict(
                "This Idempotency-Key was used for a different message.",
                code="idempotency_key_reused",
            )
        return existing, True
    checked = check_message(
        notify,
        channel=request.channel,
        template_id=request.template_id,
        recipient=request.recipient,
        personalisation=request.personalisation,
    )
    now = _now()
    message_id = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(
            messages.insert().values(
                id=message_id,
                idempotency_key=request.idempotency_key,
                request_fingerprint=request.fingerprint(),
                channel=request.channel,
                tenancy_ref=request.tenancy_ref,
                template_id=checked.template.id,
                template_name=checked.template.name,
                recipient=checked.recipient,
                personalisation=request.personalisation,
                body=checked.body,
                status=ACCEPTED,
                attempts=0,
                next_attempt_at=now,
                sent_by=request.sent_by,
                automated=request.automated,
                created_at=now,
                updated_at=now,
            )
        )
    return get_message(engine, message_id), False


def _claim(engine: Engine, message_id: str) -> Row[Any] | None:
    now = _now()
    with engine.begin() as conn:
        claimed = conn.execute(
            update(messages)
            .where(messages.c.id == message_id, messages.c.status == ACCEPTED)
            .values(status=SENDING, attempts=messages.c.attempts + 1, updated_at=now)
        )
    return get_message(engine, message_id) if claimed.rowcount == 1 else None


EVENT_FOR_STATUS = {SENT: MESSAGE_SENT, DELIVERED: MESSAGE_DELIVERED, FAILED: MESSAGE_FAILED}


def _apply(conn: Connection, message_id: str, values: dict[str, Any]) -> Row[Any]:
    """Change a message; when its status changes, its letter's document follows and a comms
    event is queued in the same transaction."""
    before = conn.execute(select(messages.c.status).where(messages.c.id == message_id)).scalar_one()
    now = _now()
    conn.execute(
        update(messages).where(messages.c.id == message_id).values(updated_at=now, **values)
    )
    after = conn.execute(select(messages).where(messages.c.id == message_id)).one()
    if after.status != before:
        if after.document_id is not None:
            conn.execute(
                update(documents)
                .where(documents.c.id == after.document_id)
                .values(status=after.status, updated_at=now)
            )
        event_type = EVENT_FOR_STATUS.get(after.status)
        if event_type is not None:
            record_comms_event(conn, event_type, after.id, message_event_data(after._mapping))
    return after


def _finish(engine: Engine, message_id: str, values: dict[str, Any]) -> None:
    # _apply reads then writes: on SQLite only BEGIN IMMEDIATE waits for other writers
    # rather than failing at once with "database is locked".
    with serialized_writes(engine).begin() as conn:
        failed = _apply(conn, message_id, values)
        if failed.status == FAILED and failed.channel == LETTER:
            _owe_diary_entry(conn, failed, rejected=True)


def send_accepted(
    engine: Engine, notify: NotifyGateway, store: DocumentStore, message_id: str
) -> Row[Any]:
    message = _claim(engine, message_id)
    if message is None:
        return get_message(engine, message_id)  # already sent, failed, or being sent
    try:
        notify_id = _send(engine, notify, store, message)
    except NotifyRejected as error:
        values: dict[str, Any] = {"status": FAILED, "error": error.message, "completed_at": _now()}
        if message.channel == LETTER:
            values["notify_status"] = VALIDATION_FAILED  # Notify refused the PDF itself
        _finish(engine, message_id, values)
    except DocumentMissing:
        _finish(
            engine,
            message_id,
            {
                "status": FAILED,
                "error": "The letter's PDF is missing from the document store.",
                "completed_at": _now(),
            },
        )
    except (NotifyUnavailable, DocumentStoreUnavailable) as error:
        delay = min(LAST_RETRY, FIRST_RETRY * 2 ** max(message.attempts - 1, 0))
        _finish(
            engine,
            message_id,
            {"status": ACCEPTED, "error": str(error), "next_attempt_at": _now() + delay},
        )
    else:
        _mark_sent(engine, message, notify_id)
    return get_message(engine, message_id)


def _send(engine: Engine, notify: NotifyGateway, store: DocumentStore, message: Row[Any]) -> str:
    """Hand the message to Notify with its idempotency key as the reference; Notify's id."""
    if message.channel == SMS:
        return notify.send_sms(
            phone_number=message.recipient,
            template_id=message.template_id,
            personalisation=message.personalisation,
            reference=message.idempotency_key,
        )
    if message.channel == EMAIL:
        return notify.send_email(
            email_address=message.recipient,
            template_id=message.template_id,
            personalisation=message.personalisation,
            reference=message.idempotency_key,
        )
    with engine.connect() as conn:
        storage_key = conn.execute(
            select(documents.c.storage_key).where(documents.c.id == message.document_id)
        ).scalar_one()
    return notify.send_precompiled_letter(
        pdf=store.get(storage_key),
        reference=message.idempotency_key,
        postage=message.postage or "second",
    )


def _mark_sent(engine: Engine, message: Row[Any], notify_id: str) -> None:
    """Notify has it: record its id and, in the same transaction, the diary entry owed to UH,
    so neither can be recorded without the other."""
    with serialized_writes(engine).begin() as conn:
        sent = _apply(
            conn,
            message.id,
            {"status": SENT, "notify_id": notify_id, "sent_at": _now(), "error": None},
        )
        _owe_diary_entry(conn, sent, rejected=False)


def _owe_diary_entry(conn: Connection, message: Row[Any], *, rejected: bool) -> None:
    """The diary entry UH is owed for a message sent, or (`rejected`) VFL for a letter Notify
    refused; written by `write_diary_entries`, exactly once each by its idempotency key."""
    if not message.tenancy_ref:
        return
    code: str | None
    if message.channel == LETTER and rejected:
        code = LETTER_REJECTED_CODE
        comment = letter_rejected_comment(
            template_name=message.template_name,
            document_id=message.document_id,
            payment_ref=message.payment_ref,
            reason=message.error,
        )
    elif message.channel == LETTER:
        code = get_template(message.template_id).diary_code
        comment = letter_sent_comment(
            template_name=message.template_name,
            document_id=message.document_id,
            payment_ref=message.payment_ref,
        )
    else:
        code = diary_code(
            channel=message.channel,
            template_name=message.template_name,
            automated=message.automated,
        )
        comment = diary_comment(
            channel=message.channel,
            template_name=message.template_name,
            recipient=message.recipient,
            body=message.body,
        )
    if code is None:
        return
    now = _now()
    conn.execute(
        diary_entries.insert().values(
            message_id=message.id,
            tenancy_ref=message.tenancy_ref,
            action_code=code,
            comment=comment,
            username=message.sent_by,
            idempotency_key=f"comms-api-diary-{message.id}" + ("-VFL" if rejected else ""),
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )


def write_diary_entries(
    engine: Engine, uh_gateway: UhGateway, *, message_id: str | None = None, limit: int = 500
) -> int:
    """Write the diary entries due (or just this message's); returns how many UH now has."""
    query = select(diary_entries).where(diary_entries.c.status == PENDING)
    if message_id is None:
        query = query.where(diary_entries.c.next_attempt_at <= _now()).limit(limit)
    else:
        query = query.where(diary_entries.c.message_id == message_id)
    with engine.connect() as conn:
        due = conn.execute(query.order_by(diary_entries.c.id)).all()
    written = 0
    for entry in due:
        values: dict[str, Any] = {"attempts": entry.attempts + 1}
        try:
            uh_gateway.write(
                tenancy_ref=entry.tenancy_ref,
                action_code=entry.action_code,
                comment=entry.comment,
                username=entry.username,
                key=entry.idempotency_key,
            )
        except UhRefused as error:
            values |= {"status": FAILED, "last_error": str(error)}
        except UhUnavailable as error:
            delay = min(LAST_RETRY, FIRST_RETRY * 2**entry.attempts)
            values |= {"last_error": str(error), "next_attempt_at": _now() + delay}
        else:
            values |= {"status": WRITTEN, "written_at": _now(), "last_error": None}
            written += 1
        with engine.begin() as conn:
            conn.execute(
                update(diary_entries).where(diary_entries.c.id == entry.id).values(**values)
            )
    return written


def retry_due(
    engine: Engine,
    notify: NotifyGateway,
    store: DocumentStore,
    *,
    limit: int = 500,
    concurrency: int = 1,
) -> int:
    """Send the accepted messages whose time has come, oldest first, at most `limit`, and
    `concurrency` at a time; returns how many were tried. Nobody is waiting on these sends, so
    each waits for its turn at Notify's rate limit rather than being put off again."""
    with engine.connect() as conn:
        due = (
            conn.execute(
                select(messages.c.id)
                .where(messages.c.status == ACCEPTED, messages.c.next_attempt_at <= _now())
                .order_by(messages.c.created_at)
                .limit(limit)
            )
            .scalars()
            .all()
        )
    patient = notify.waiting_for_rate_limit()
    # Concurrent senders never send a message twice: `send_accepted` claims it first.
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="comms-send") as pool:
        list(pool.map(lambda message_id: send_accepted(engine, patient, store, message_id), due))
    return len(due)


def recover_in_flight(engine: Engine, notify: NotifyGateway, older_than: dt.timedelta) -> int:
    """Messages left `sending` (the process stopped mid-send): adopt Notify's notification if
    it has one with our reference, else make the message due again. Returns how many."""
    cutoff = _now() - older_than
    with engine.connect() as conn:
        stuck = conn.execute(
            select(messages).where(messages.c.status == SENDING, messages.c.updated_at < cutoff)
        ).all()
    for message in stuck:
        try:
            notify_id = notify.find_by_reference(message.idempotency_key)
        except NotifyUnavailable:
            continue
        if notify_id is not None:
            _mark_sent(engine, message, notify_id)
        else:
            _finish(engine, message.id, {"status": ACCEPTED, "next_attempt_at": _now()})
    return len(stuck)


def track_deliveries(engine: Engine, notify: NotifyGateway, *, limit: int = 500) -> int:
    """Ask Notify how each message still in progress is doing; returns how many reached a
    final status. Messages already delivered or failed are never asked about again."""
    with engine.connect() as conn:
        in_progress = conn.execute(
            select(messages.c.id, messages.c.notify_id, messages.c.notify_status)
            .where(messages.c.status == SENT, messages.c.notify_id.is_not(None))
            .order_by(messages.c.sent_at)
            .limit(limit)
        ).all()
    finished = 0
    for message in in_progress:
        try:
            notify_status = notify.status_of(message.notify_id)
        except NotifyUnavailable:
            break  # try the rest next round
        except NotifyRejected as error:
            logger.warning(
                "delivery status not readable",
                extra={"message_id": message.id, "error": str(error)},
            )
            continue
        delivery = delivery_for(notify_status)
        if delivery is None:
            logger.warning(
                "unknown Notify status", extra={"message_id": message.id, "status": notify_status}
            )
            _finish(engine, message.id, {"notify_status": notify_status})
            continue
        values: dict[str, Any] = {"notify_status": notify_status, "status": delivery.value}
        if delivery is not Delivery.IN_PROGRESS:
            values["completed_at"] = _now()
            finished += 1
        if delivery is Delivery.FAILED:
            values["error"] = FAILURE_REASONS[notify_status]
        if delivery is not Delivery.IN_PROGRESS or notify_status != message.notify_status:
            _finish(engine, message.id, values)
    return finished
