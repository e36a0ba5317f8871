"""Bulk letters: `POST /api/v1/letter-batches` checks many payment references against one
template (each row valid, or its own problems); `GET .../{id}` shows every row and, once sent,
its letter's status; `GET .../{id}/rows/{n}/preview` shows one letter; `POST .../{id}/send`
sends every valid row once (a second submit sends nothing)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from comms_api.api.letters import LetterPreviewRead, preview_read, template_for
from comms_api.api.messages import notify_gateway
from comms_api.gateways.document_store import DocumentStore
from comms_api.gateways.notify import NotifyGateway
from comms_api.use_cases import letter_batches as use_cases
from comms_api.use_cases.letters import london_today
from ma_shared.auth import Reader, User, Writer
from ma_shared.errors import ERROR_RESPONSES, ErrorBody, ErrorDetail

router = APIRouter(prefix="/api/v1/letter-batches", tags=["letter batches"])

BatchId = Annotated[str, Path(max_length=36, description="The batch id.")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such batch (or row)."}
}


class LetterBatchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template_id: str = Field(description="A letter template id (`GET /api/v1/letters/templates`).")
    payment_refs: list[str] | str = Field(
        description="Payment references: a list, or text as pasted (separated by commas, "
        f"spaces or new lines); at most {use_cases.MAX_BATCH_ROWS}."
    )
    fields: dict[str, Any] = Field(
        default_factory=dict, description="Fields for every letter of the batch (rarely needed)."
    )


class BatchRowRead(BaseModel):
    position: int = Field(description="The row's place in the batch, from 1.")
    payment_ref: str = Field(description="As given.")
    tenancy_ref: str | None = Field(description="The account's tenancy, when found.")
    status: str = Field(
        description="`valid`, `invalid` (see `problems`), `queued` (send asked for), "
        "`accepted` (its letter is made: see `message_status`) or `not_sent` (its letter "
        "could not be made when sending: see `problems`)."
    )
    problems: list[ErrorDetail] = Field(description="Why this row's letter cannot be made.")
    message_id: str | None = Field(description="The letter's message (`/api/v1/messages/{id}`).")
    message_status: str | None = Field(
        description="The letter's status: accepted, sending, sent, delivered or failed."
    )
    message_error: str | None = Field(description="Why the letter failed, when it did.")


class LetterBatchRead(BaseModel):
    id: str = Field(description="The batch id.")
    template_id: str = Field(description="The letter template.")
    template_name: str = Field(description="Its name for caseworkers.")
    service_area: str = Field(description="`rent` or `leasehold`.")
    row_count: int = Field(description="Payment references given.")
    valid_count: int = Field(description="Rows whose letter can be sent.")
    created_by: str = Field(description="Who made the batch.")
    created_at: dt.datetime = Field(description="When (UTC).")
    send_requested_by: str | None = Field(description="Who asked for it to be sent.")
    send_requested_at: dt.datetime | None = Field(description="When (UTC); null until sent.")
    rows: list[BatchRowRead] = Field(description="Every row, in the order given.")


def _read(batch: use_cases.Batch) -> LetterBatchRead:
    return LetterBatchRead.model_validate(batch, from_attributes=True)


def _areas_allow(user: User, batch: use_cases.Batch) -> None:
    template_for(user, batch.template_id)


def _send_rows(engine: Engine, notify: NotifyGateway, store: DocumentStore, batch_id: str) -> None:
    """Send the batch now rather than at the worker's next round."""
    while use_cases.send_queued_rows(
        engine, notify, store, today=london_today(), batch_id=batch_id
    ):
        pass


@router.post(
    "",
    status_code=201,
    response_model=LetterBatchRead,
    responses={**ERROR_RESPONSES, **NOT_FOUND},
    summary="Check many payment references against a letter template, row by row",
)
async def create_batch(request: Request, user: Writer, body: LetterBatchCreate) -> LetterBatchRead:
    template = template_for(user, body.template_id)
    engine = request.app.state.engine
    batch_id = await run_in_threadpool(
        use_cases.create_batch,
        engine,
        request.app.state.uh_gateway,
        template_id=template.id.value,
        payment_refs=use_cases.payment_refs_from(body.payment_refs),
        fields=body.fields,
        created_by=user.name or user.email,
        today=london_today(),
    )
    return _read(await run_in_threadpool(use_cases.get_batch, engine, batch_id))


@router.get(
    "/{batch_id}",
    response_model=LetterBatchRead,
    responses={**ERROR_RESPONSES, **NOT_FOUND},
    summary="A batch with every row's problems or letter status",
)
async def get_batch(request: Request, user: Reader, batch_id: BatchId) -> LetterBatchRead:
    batch = await run_in_threadpool(use_cases.get_batch, request.app.state.engine, batch_id)
    _areas_allow(user, batch)
    return _read(batch)


@router.get(
    "/{batch_id}/rows/{position}/preview",
    response_model=LetterPreviewRead,
    responses={**ERROR_RESPONSES, **NOT_FOUND},
    summary="One row's letter as it will be posted: HTML and an image of each page",
)
async def preview_row(
    request: Request,
    user: Reader,
    batch_id: BatchId,
    position: Annotated[int, Path(ge=1, description="The row, from 1.")],
) -> LetterPreviewRead:
    engine = request.app.state.engine
    batch = await run_in_threadpool(use_cases.get_batch, engine, batch_id)
    template = template_for(user, batch.template_id)
    preview = await run_in_threadpool(
        use_cases.preview_row, engine, batch_id, position, today=london_today()
    )
    return preview_read(template, preview.html, preview.pages)


@router.post(
    "/{batch_id}/send",
    status_code=202,
    response_model=LetterBatchRead,
    responses={
        **ERROR_RESPONSES,
        **NOT_FOUND,
        200: {"model": LetterBatchRead, "description": "Sent already: nothing sent again."},
    },
    summary="Send every valid row's letter, once",
)
async def send_batch(
    request: Request, user: Writer, batch_id: BatchId, background: BackgroundTasks
) -> JSONResponse:
    engine = request.app.state.engine
    batch = await run_in_threadpool(use_cases.get_batch, engine, batch_id)
    _areas_allow(user, batch)
    queued = await run_in_threadpool(
        use_cases.request_send, engine, batch_id, requested_by=user.name or user.email
    )
    if queued:
        background.add_task(
            _send_rows,
            engine,
            notify_gateway(request).waiting_for_rate_limit(),  # a background task: it can wait
            request.app.state.documents,
            batch_id,
        )
    batch = await run_in_threadpool(use_cases.get_batch, engine, batch_id)
    return JSONResponse(
        _read(batch).model_dump(mode="json"),
        status_code=202 if queued else 200,
        headers=None if queued else {"Idempotent-Replayed": "true"},
        background=background,
    )
