"""Bulk letters: one template for many payment references.

1. `create_batch`: every reference is looked up in UH (one call per thousand) and its letter
   checked; each row is `valid` (with the data its letter is made from, so what is sent is
   what was previewed) or `invalid` with its problems. Nothing is stored in the document
   store yet.
2. `request_send`: "send all valid" sets the batch's send request once and queues its valid
   rows; a second request finds it set and changes nothing.
3. `send_queued_rows` (the worker): each queued row becomes a letter with the idempotency key
   `letter-batch-<batch>-<row>`, so a row is never posted twice even if the worker stops
   half-way and runs the row again.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Row, select, update

from comms_api.domain.letters import LetterHasProblems, LetterTemplate, render_letter
from comms_api.domain.letters.working_days import ENGLAND_AND_WALES_BANK_HOLIDAYS
from comms_api.gateways.document_store import DocumentStore
from comms_api.gateways.notify import NotifyGateway
from comms_api.gateways.pdf import PagePreview, preview_pages
from comms_api.gateways.tables import letter_batch_rows, letter_batches, messages
from comms_api.gateways.uh_gateway import UhGateway, UhUnavailable
from comms_api.use_cases.letters import (
    LetterAddressee,
    LetterRequest,
    letter_template,
    lookup_letter_data,
    make_letter,
    merge_fields,
    store_letter,
)
from comms_api.use_cases.messages import send_accepted
from ma_shared.errors import NotFound, UpstreamUnavailable, ValidationFailed

VALID, INVALID, QUEUED, ACCEPTED, NOT_SENT = "valid", "invalid", "queued", "accepted", "not_sent"
MAX_BATCH_ROWS = 1000
PAYMENT_REF = re.compile(r"^\d{10}$")
SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class BatchRow:
    position: int
    payment_ref: str
    tenancy_ref: str | None
    status: str
    problems: list[dict[str, Any]]
    message_id: str | None
    message_status: str | None
    message_error: str | None


@dataclass(frozen=True)
class Batch:
    id: str
    template_id: str
    template_name: str
    service_area: str
    row_count: int
    valid_count: int
    created_by: str
    created_at: dt.datetime
    send_requested_by: str | None
    send_requested_at: dt.datetime | None
    rows: list[BatchRow]


@dataclass(frozen=True)
class RowPreview:
    html: str
    pages: list[PagePreview]


def payment_refs_from(text_or_list: str | list[str]) -> list[str]:
    """The references as typed or pasted: separated by commas, spaces or new lines."""
    items = text_or_list if isinstance(text_or_list, list) else [text_or_list]
    return [ref for item in items for ref in SEPARATORS.split(item.strip()) if ref]


def _problem(field: str | None, code: str, message: str) -> list[dict[str, Any]]:
    return [{"field": field, "code": code, "message": message}]


def _problems_of(error: ValidationFailed) -> list[dict[str, Any]]:
    if not error.details:
        return _problem(None, error.code, error.message)
    return [detail.model_dump() for detail in error.details]


def _check_row(
    template: LetterTemplate,
    payment_ref: str,
    found: dict[str, Any] | None,
    fields: dict[str, Any],
    today: dt.date,
) -> tuple[str | None, list[dict[str, Any]], dict[str, Any]]:
    """The row's tenancy, its problems, and (when none) the data its letter is made from."""
    if found is None:
        return (
            None,
            _problem("payment_ref", "invalid_format", "A payment reference is 10 digits."),
            {},
        )
    try:
        data = lookup_letter_data(found, template.service_area)
    except ValidationFailed as error:
        return found["tenancy_ref"], _problems_of(error), {}
    merged = merge_fields(template, data, fields)
    try:
        # The HTML is cheap and finds every problem; the PDF is made when the row is sent.
        render_letter(
            template.id, merged, today=today, bank_holidays=ENGLAND_AND_WALES_BANK_HOLIDAYS
        )
    except LetterHasProblems as problems:
        return (
            data["tenancy_ref"],
            [
                {"field": p.field, "code": str(p.code), "message": p.message}
                for p in problems.problems
            ],
            {},
        )
    return data["tenancy_ref"], [], merged


def create_batch(
    engine: Engine,
    uh: UhGateway,
    *,
    template_id: str,
    payment_refs: list[str],
    fields: dict[str, Any],
    created_by: str,
    today: dt.date,
) -> str:
    template = letter_template(template_id)
    if not payment_refs:
        raise ValidationFailed("Give at least one payment reference.", code="no_payment_refs")
    if len(payment_refs) > MAX_BATCH_ROWS:
        raise ValidationFailed(
            f"At most {MAX_BATCH_ROWS} payment references in one batch "
            f"({len(payment_refs)} given).",
            code="too_many_payment_refs",
        )
    well_formed = sorted({ref for ref in payment_refs if PAYMENT_REF.match(ref)})
    try:
        looked_up = (
            uh.letter_data_for_payment_refs(template.service_area.value, well_formed)
            if well_formed
            else []
        )
    except UhUnavailable as error:
        raise UpstreamUnavailable("UH cannot be reached for the letters' data.") from error
    by_ref = {found["payment_ref"]: found for found in looked_up}
    batch_id = str(uuid.uuid4())
    rows = []
    for position, payment_ref in enumerate(payment_refs, start=1):
        tenancy_ref, problems, letter_fields = _check_row(
            template, payment_ref, by_ref.get(payment_ref), fields, today
        )
        rows.append(
            {
                "batch_id": batch_id,
                "position": position,
                "payment_ref": payment_ref[:40],
                "tenancy_ref": tenancy_ref,
                "status": INVALID if problems else VALID,
                "problems": problems,
                "letter_fields": letter_fields,
                "message_id": None,
            }
        )
    with engine.begin() as conn:
        conn.execute(
            letter_batches.insert().values(
                id=batch_id,
                template_id=template.id.value,
                template_name=template.name,
                service_area=template.service_area.value,
                fields=fields,
                row_count=len(rows),
                valid_count=sum(1 for row in rows if row["status"] == VALID),
                created_by=created_by,
                created_at=dt.datetime.now(tz=dt.UTC),
            )
        )
        conn.execute(letter_batch_rows.insert(), rows)
    return batch_id


def _batch_row(engine: Engine, batch_id: str) -> Row[Any]:
    with engine.connect() as conn:
        batch = conn.execute(select(letter_batches).where(letter_batches.c.id == batch_id)).first()
    if batch is None:
        raise NotFound(f"There is no letter batch {batch_id}.")
    return batch


def get_batch(engine: Engine, batch_id: str) -> Batch:
    batch = _batch_row(engine, batch_id)
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                letter_batch_rows,
                messages.c.status.label("message_status"),
                messages.c.error.label("message_error"),
            )
            .outerjoin(messages, messages.c.id == letter_batch_rows.c.message_id)
            .where(letter_batch_rows.c.batch_id == batch_id)
            .order_by(letter_batch_rows.c.position)
        ).all()
    return Batch(
        id=batch.id,
        template_id=batch.template_id,
        template_name=batch.template_name,
        service_area=batch.service_area,
        row_count=batch.row_count,
        valid_count=batch.valid_count,
        created_by=batch.created_by,
        created_at=batch.created_at,
        send_requested_by=batch.send_requested_by,
        send_requested_at=batch.send_requested_at,
        rows=[
            BatchRow(
                position=row.position,
                payment_ref=row.payment_ref,
                tenancy_ref=row.tenancy_ref,
                status=row.status,
                problems=row.problems,
                message_id=row.message_id,
                message_status=row.message_status,
                message_error=row.message_error,
            )
            for row in rows
        ],
    )


def preview_row(engine: Engine, batch_id: str, position: int, *, today: dt.date) -> RowPreview:
    batch = _batch_row(engine, batch_id)
    with engine.connect() as conn:
        row = conn.execute(
            select(letter_batch_rows).where(
                letter_batch_rows.c.batch_id == batch_id,
                letter_batch_rows.c.position == position,
            )
        ).first()
    if row is None:
        raise NotFound(f"Letter batch {batch_id} has no row {position}.")
    if row.status == INVALID:
        raise ValidationFailed(
            f"Row {position} ({row.payment_ref}) cannot be made into a letter.",
            code="row_not_valid",
        )
    html, pdf = make_letter(letter_template(batch.template_id), row.letter_fields, today=today)
    return RowPreview(html=html, pages=preview_pages(pdf))


def request_send(engine: Engine, batch_id: str, *, requested_by: str) -> bool:
    """Queue the batch's valid rows, once. True when this request queued them; False when
    the batch had been sent already (a double submit)."""
    batch = _batch_row(engine, batch_id)
    if batch.valid_count == 0:
        raise ValidationFailed("No row of this batch can be sent.", code="nothing_to_send")
    with engine.begin() as conn:
        claimed = conn.execute(
            update(letter_batches)
            .where(letter_batches.c.id == batch_id, letter_batches.c.send_requested_at.is_(None))
            .values(send_requested_by=requested_by, send_requested_at=dt.datetime.now(tz=dt.UTC))
        )
        if claimed.rowcount != 1:
            return False
        conn.execute(
            update(letter_batch_rows)
            .where(letter_batch_rows.c.batch_id == batch_id, letter_batch_rows.c.status == VALID)
            .values(status=QUEUED)
        )
    return True


def send_queued_rows(
    engine: Engine,
    notify: NotifyGateway,
    store: DocumentStore,
    *,
    today: dt.date,
    batch_id: str | None = None,
    requested_before: dt.datetime | None = None,
    limit: int = 200,
) -> int:
    """Make, store and send the letters of queued rows; returns how many rows were done.
    `requested_before` leaves alone batches whose send was asked for since (their request's
    own background task is sending them): two senders would make each letter twice, though
    its idempotency key would still post it once."""
    query = (
        select(letter_batch_rows, letter_batches.c.template_id, letter_batches.c.send_requested_by)
        .join(letter_batches, letter_batches.c.id == letter_batch_rows.c.batch_id)
        .where(letter_batch_rows.c.status == QUEUED)
        .order_by(letter_batch_rows.c.id)
        .limit(limit)
    )
    if batch_id is not None:
        query = query.where(letter_batch_rows.c.batch_id == batch_id)
    if requested_before is not None:
        query = query.where(letter_batches.c.send_requested_at < requested_before)
    with engine.connect() as conn:
        queued = conn.execute(query).all()
    for row in queued:
        request = LetterRequest(
            template_id=row.template_id,
            tenancy_ref=row.tenancy_ref,
            payment_ref=row.payment_ref,
            fields=row.letter_fields,
            sent_by=row.send_requested_by,
            idempotency_key=f"letter-batch-{row.batch_id}-{row.position}",
        )
        addressee = LetterAddressee(
            tenancy_ref=row.tenancy_ref, payment_ref=row.payment_ref, fields=row.letter_fields
        )
        values: dict[str, Any]
        try:
            message, _ = store_letter(
                engine, store, letter_template(row.template_id), addressee, request, today=today
            )
        except ValidationFailed as error:
            values = {"status": NOT_SENT, "problems": _problems_of(error)}
        except UpstreamUnavailable:
            break  # the document store is down: the rest wait for the next round
        else:
            values = {"status": ACCEPTED, "message_id": message.id}
        with engine.begin() as conn:
            conn.execute(
                update(letter_batch_rows).where(letter_batch_rows.c.id == row.id).values(**values)
            )
        if values["status"] == ACCEPTED:
            send_accepted(engine, notify, store, values["message_id"])
    return len(queued)
