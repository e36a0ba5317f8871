"""Texts and emails: `POST /api/v1/messages/sms`, `/email`, `GET /api/v1/messages/{id}`,
and Notify's templates at `GET /api/v1/templates`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, Row

from comms_api.domain.documents import DocumentStatus
from comms_api.gateways.notify import NotifyGateway, NotifyUnavailable
from comms_api.use_cases import messages as use_cases
from comms_api.use_cases.comms_requests import message_for_key
from ma_shared.auth import Reader, Writer
from ma_shared.errors import ERROR_RESPONSES, ErrorBody, UpstreamUnavailable
from ma_shared.references import TENANCY_REF_PATTERN

router = APIRouter(prefix="/api/v1", tags=["messages"])

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="A unique key per intended message (e.g. a UUID). Sending again with the "
        "same key never sends twice: the first message is returned.",
    ),
]


class SmsCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    template_id: str = Field(description="A Notify SMS template id (`GET /api/v1/templates`).")
    phone_number: str = Field(max_length=30, description="A UK mobile number, e.g. 07700 900123.")
    personalisation: dict[str, Any] = Field(
        default_factory=dict, description="A value for each of the template's placeholders."
    )
    tenancy_ref: str | None = Field(
        default=None, pattern=TENANCY_REF_PATTERN, description="The tenancy it is about."
    )


class EmailCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    template_id: str = Field(description="A Notify email template id (`GET /api/v1/templates`).")
    email_address: str = Field(max_length=320, description="Where to send it.")
    personalisation: dict[str, Any] = Field(
        default_factory=dict, description="A value for each of the template's placeholders."
    )
    tenancy_ref: str | None = Field(
        default=None, pattern=TENANCY_REF_PATTERN, description="The tenancy it is about."
    )


class MessageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(description="This service's id for the message.")
    channel: str = Field(description="`sms`, `email` or `letter`.")
    tenancy_ref: str | None = Field(description="The tenancy it is about.")
    template_id: str = Field(description="The Notify template used.")
    template_name: str = Field(description="The template's name in Notify.")
    recipient: str = Field(
        description="The phone number (E.164), email address, or a letter's name and address."
    )
    body: str = Field(description="The message as the recipient reads it (a letter's HTML).")
    status: str = Field(
        description="`accepted` (waiting to be sent, or to be retried), `sending`, `sent` "
        "(Notify has it), `delivered`, or `failed` (Notify refused it or could not deliver "
        "it: see `error`); a letter before action is `to_download` (posted by hand)."
    )
    notify_id: str | None = Field(description="Notify's notification id, once sent.")
    notify_status: str | None = Field(description="Notify's own status, as last read.")
    completed_at: dt.datetime | None = Field(description="When it was delivered or failed.")
    error: str | None = Field(description="Why the last attempt did not succeed.")
    attempts: int = Field(description="Sends attempted.")
    sent_by: str = Field(description="Who asked for it.")
    created_at: dt.datetime = Field(description="When it was accepted (UTC).")
    sent_at: dt.datetime | None = Field(description="When Notify accepted it (UTC).")
    payment_ref: str | None = Field(default=None, description="A letter's payment reference.")
    document_id: str | None = Field(
        default=None, description="A letter's PDF in the document store (`/api/v1/documents`)."
    )
    postage: str | None = Field(default=None, description="A letter's postage class.")


class TemplateRead(BaseModel):
    id: str = Field(description="Notify's template id.")
    type: str = Field(description="`sms` or `email`.")
    name: str = Field(description="The template's name.")
    subject: str | None = Field(description="The email subject; null for SMS.")
    body: str = Field(description="The text, with `((placeholders))`.")


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def notify_gateway(request: Request) -> NotifyGateway:
    notify: NotifyGateway | None = request.app.state.notify
    if notify is None:
        raise UpstreamUnavailable("GOV.UK Notify is not configured (NOTIFY_API_KEY).")
    return notify


def _send(request: Request, body: use_cases.MessageRequest) -> JSONResponse:
    engine, notify = _engine(request), notify_gateway(request)
    message, replay = use_cases.accept_message(engine, notify, body)
    if not replay:
        message = use_cases.send_accepted(engine, notify, request.app.state.documents, message.id)
        # The diary entry now if uh-gateway is up; otherwise the worker retries it.
        use_cases.write_diary_entries(engine, request.app.state.uh_gateway, message_id=message.id)
    return message_response(message, replay=replay)


def message_response(message: Row[Any], *, replay: bool) -> JSONResponse:
    """201 sent (or made, for a letter to post by hand), 202 kept to retry, 422 refused, 200
    for a replayed Idempotency-Key."""
    status_code = {use_cases.SENT: 201, use_cases.FAILED: 422, DocumentStatus.TO_DOWNLOAD: 201}.get(
        message.status, 202
    )
    return JSONResponse(
        MessageRead.model_validate(message).model_dump(mode="json"),
        status_code=200 if replay else status_code,
        headers={"Idempotent-Replayed": "true"} if replay else None,
    )


SEND_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    200: {"model": MessageRead, "description": "The same Idempotency-Key again: the message."},
    202: {"model": MessageRead, "description": "Accepted; Notify is unavailable, retrying."},
    409: {"model": ErrorBody, "description": "The key was used for a different message."},
    503: {"model": ErrorBody, "description": "Notify cannot be reached to check the template."},
}


@router.post(
    "/messages/sms",
    status_code=201,
    response_model=MessageRead,
    responses=SEND_RESPONSES,
    summary="Send a text message from a Notify template, exactly once per Idempotency-Key",
)
def send_sms(
    request: Request, user: Writer, body: SmsCreate, idempotency_key: IdempotencyKey
) -> JSONResponse:
    return _send(
        request,
        use_cases.MessageRequest(
            channel="sms",
            template_id=body.template_id,
            recipient=body.phone_number,
            personalisation=body.personalisation,
            tenancy_ref=body.tenancy_ref,
            sent_by=user.name or user.email,
            idempotency_key=idempotency_key,
            automated=user.is_service,
        ),
    )


@router.post(
    "/messages/email",
    status_code=201,
    response_model=MessageRead,
    responses=SEND_RESPONSES,
    summary="Send an email from a Notify template, exactly once per Idempotency-Key",
)
def send_email(
    request: Request, user: Writer, body: EmailCreate, idempotency_key: IdempotencyKey
) -> JSONResponse:
    return _send(
        request,
        use_cases.MessageRequest(
            channel="email",
            template_id=body.template_id,
            recipient=body.email_address,
            personalisation=body.personalisation,
            tenancy_ref=body.tenancy_ref,
            sent_by=user.name or user.email,
            idempotency_key=idempotency_key,
            automated=user.is_service,
        ),
    )


@router.get(
    "/messages",
    response_model=list[MessageRead],
    responses=ERROR_RESPONSES,
    summary="The message sent for an idempotency key (e.g. one asked for on the queue)",
)
def find_messages(
    request: Request,
    _: Reader,
    idempotency_key: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="The Idempotency-Key (or a queued request's `idempotency_key`).",
        ),
    ],
) -> list[MessageRead]:
    message = message_for_key(_engine(request), idempotency_key)
    return [] if message is None else [MessageRead.model_validate(message)]


class MessagePreviewRead(BaseModel):
    template_id: str = Field(description="The Notify template used.")
    template_name: str = Field(description="The template's name in Notify.")
    recipient: str = Field(description="The phone number (E.164) or email address.")
    subject: str | None = Field(description="The email's subject as it will read; null for SMS.")
    body: str = Field(description="The message exactly as the recipient will read it.")


def _preview(request: Request, channel: str, body: SmsCreate | EmailCreate) -> MessagePreviewRead:
    checked = use_cases.check_message(
        notify_gateway(request),
        channel=channel,
        template_id=body.template_id,
        recipient=body.phone_number if isinstance(body, SmsCreate) else body.email_address,
        personalisation=body.personalisation,
    )
    return MessagePreviewRead(
        template_id=checked.template.id,
        template_name=checked.template.name,
        recipient=checked.recipient,
        subject=checked.subject,
        body=checked.body,
    )


PREVIEW_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    503: {"model": ErrorBody, "description": "Notify cannot be reached to check the template."},
}


@router.post(
    "/messages/sms/preview",
    response_model=MessagePreviewRead,
    responses=PREVIEW_RESPONSES,
    summary="A text as it would be sent (every check a send makes), without sending it",
)
def preview_sms(request: Request, _: Reader, body: SmsCreate) -> MessagePreviewRead:
    return _preview(request, "sms", body)


@router.post(
    "/messages/email/preview",
    response_model=MessagePreviewRead,
    responses=PREVIEW_RESPONSES,
    summary="An email as it would be sent (every check a send makes), without sending it",
)
def preview_email(request: Request, _: Reader, body: EmailCreate) -> MessagePreviewRead:
    return _preview(request, "email", body)


@router.get(
    "/messages/{message_id}",
    response_model=MessageRead,
    responses={**ERROR_RESPONSES, 404: {"model": ErrorBody, "description": "No such message."}},
    summary="One message and its status",
)
def get_message(
    request: Request,
    _: Reader,
    message_id: Annotated[str, Path(max_length=36, description="The message id.")],
) -> MessageRead:
    return MessageRead.model_validate(use_cases.get_message(_engine(request), message_id))


@router.get(
    "/templates",
    response_model=list[TemplateRead],
    responses=ERROR_RESPONSES,
    summary="Notify's SMS and email templates",
)
async def list_templates(
    request: Request,
    _: Reader,
    type: Annotated[Literal["sms", "email"] | None, Query(description="Only this kind.")] = None,
    refresh: Annotated[bool, Query(description="Read them from Notify now.")] = False,
) -> list[TemplateRead]:
    notify = notify_gateway(request)
    try:
        templates = await run_in_threadpool(notify.templates, refresh=refresh)
    except NotifyUnavailable as error:
        raise UpstreamUnavailable("GOV.UK Notify cannot be reached.") from error
    return [
        TemplateRead(id=t.id, type=t.type, name=t.name, subject=t.subject, body=t.body)
        for t in sorted(templates.values(), key=lambda t: t.name)
        if t.type in {"sms", "email"} and (type is None or t.type == type)
    ]
