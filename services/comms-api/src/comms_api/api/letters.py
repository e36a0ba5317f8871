"""Letters: the templates a caseworker may use, a preview of one for a tenancy (the HTML and
an image of each page of the PDF that would be posted), and sending one exactly once."""

from __future__ import annotations

import base64
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from comms_api.api.messages import (
    SEND_RESPONSES,
    IdempotencyKey,
    MessageRead,
    message_response,
    notify_gateway,
)
from comms_api.domain.letters import (
    TEMPLATES,
    LetterTemplate,
    LetterTemplateNotFound,
    get_template,
)
from comms_api.gateways.pdf import PagePreview
from comms_api.use_cases import messages as message_use_cases
from comms_api.use_cases.letters import LetterRequest, accept_letter, london_today, preview_letter
from ma_shared.auth import Reader, Role, User, Writer
from ma_shared.errors import ERROR_RESPONSES, ErrorBody, Forbidden, NotFound
from ma_shared.references import TENANCY_REF_PATTERN
from ma_shared.vocabulary import ServiceArea

router = APIRouter(prefix="/api/v1/letters", tags=["letters"])


class LetterTemplateRead(BaseModel):
    id: str = Field(description="The template id, e.g. `income_collection_letter_1`.")
    name: str = Field(description="Its name for caseworkers.")
    service_area: str = Field(description="`rent` or `leasehold`.")
    diary_code: str | None = Field(description="UH diary code written when it is sent.")
    required_fields: list[str] = Field(description="Fields the letter cannot be made without.")
    optional_fields: list[str] = Field(
        description="Fields the letter shows when given (the court outcome letter's terms or "
        "eviction date, an agreement's first payment): all of a group once one is given."
    )
    field_kinds: dict[str, str] = Field(
        description="Each required and optional field's kind, for a form: `text`, `money`, "
        "`date`, `date_time` (a date with the time of day), `frequency`, `court_outcome` or "
        "`flag`."
    )


class LetterPreviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    template_id: str = Field(description="A letter template id (`GET /api/v1/letters/templates`).")
    tenancy_ref: Annotated[str, Field(pattern=TENANCY_REF_PATTERN)] = Field(
        description="The tenancy the letter is about; its name, address and balance come from UH."
    )
    fields: dict[str, Any] = Field(
        default_factory=dict,
        description="Fields UH does not hold (agreement, court or breach details), or "
        "corrections to UH's; money as decimal strings, dates ISO 8601.",
    )


class PagePreviewRead(BaseModel):
    number: int = Field(description="Page number, from 1.")
    png_base64: str = Field(description="The page as a PNG image, base64.")
    width_px: int = Field(description="Image width in pixels (96 dpi).")
    height_px: int = Field(description="Image height in pixels (96 dpi).")


class LetterPreviewRead(BaseModel):
    template_id: str = Field(description="The template used.")
    template_name: str = Field(description="Its name for caseworkers.")
    html: str = Field(description="The letter as HTML.")
    page_count: int = Field(description="Pages in the PDF (at most 10).")
    pages: list[PagePreviewRead] = Field(description="Each page of the PDF as an image.")


def _areas(user: User) -> set[ServiceArea]:
    if user.roles & {Role.TEAM_LEADER, Role.SERVICE, Role.READ_ONLY}:
        return set(ServiceArea)
    areas = set()
    if Role.RENT_CASEWORKER in user.roles:
        areas.add(ServiceArea.RENT)
    if Role.LEASEHOLD_CASEWORKER in user.roles:
        areas.add(ServiceArea.LEASEHOLD)
    return areas


def template_for(user: User, template_id: str) -> LetterTemplate:
    """The letter template, if this user's groups allow its service area."""
    try:
        template = get_template(template_id)
    except LetterTemplateNotFound as error:
        raise NotFound(f"There is no letter template {template_id!r}.") from error
    if template.service_area not in _areas(user):
        raise Forbidden(f"Your groups do not allow {template.service_area.value} letters.")
    return template


def _read(template: LetterTemplate) -> LetterTemplateRead:
    return LetterTemplateRead(
        id=template.id.value,
        name=template.name,
        service_area=template.service_area.value,
        diary_code=template.diary_code,
        required_fields=list(template.required_fields),
        optional_fields=list(template.optional_fields),
        field_kinds={
            name: template.kind_of(name).value
            for name in (*template.required_fields, *template.optional_fields)
        },
    )


@router.get(
    "/templates",
    response_model=list[LetterTemplateRead],
    responses=ERROR_RESPONSES,
    summary="The letter templates you may use (rent, leasehold, or both)",
)
def list_letter_templates(user: Reader) -> list[LetterTemplateRead]:
    areas = _areas(user)
    return [
        _read(t)
        for t in sorted(TEMPLATES.values(), key=lambda t: t.id.value)
        if t.service_area in areas
    ]


@router.post(
    "/preview",
    response_model=LetterPreviewRead,
    responses={
        **ERROR_RESPONSES,
        404: {"model": ErrorBody, "description": "No such template or tenancy."},
        503: {"model": ErrorBody, "description": "UH cannot be reached."},
    },
    summary="Preview a letter for a tenancy: every problem listed, or the letter and its pages",
)
async def preview(request: Request, user: Reader, body: LetterPreviewCreate) -> LetterPreviewRead:
    template = template_for(user, body.template_id)
    letter = await run_in_threadpool(
        preview_letter,
        request.app.state.uh_gateway,
        template,
        tenancy_ref=body.tenancy_ref,
        fields=body.fields,
        today=london_today(),
    )
    return preview_read(template, letter.html, letter.pages)


def preview_read(
    template: LetterTemplate, html: str, pages: list[PagePreview]
) -> LetterPreviewRead:
    return LetterPreviewRead(
        template_id=template.id.value,
        template_name=template.name,
        html=html,
        page_count=len(pages),
        pages=[
            PagePreviewRead(
                number=page.number,
                png_base64=base64.b64encode(page.png).decode(),
                width_px=page.width_px,
                height_px=page.height_px,
            )
            for page in pages
        ],
    )


class LetterCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    template_id: str = Field(description="A letter template id (`GET /api/v1/letters/templates`).")
    tenancy_ref: Annotated[str | None, Field(pattern=TENANCY_REF_PATTERN)] = Field(
        default=None, description="The tenancy the letter is about (or give `payment_ref`)."
    )
    payment_ref: Annotated[str | None, Field(pattern=r"^\d{10}$")] = Field(
        default=None, description="The account's payment reference, instead of `tenancy_ref`."
    )
    fields: dict[str, Any] = Field(
        default_factory=dict,
        description="Fields UH does not hold, or corrections to UH's (as for the preview).",
    )
    postage: Literal["second", "first", "economy"] = Field(
        default="second", description="Postage class; second class unless there is a reason."
    )


@router.post(
    "",
    status_code=201,
    response_model=MessageRead,
    responses={
        **SEND_RESPONSES,
        404: {"model": ErrorBody, "description": "No such template or tenancy."},
    },
    summary="Send a letter (a PDF posted by Notify), exactly once per Idempotency-Key",
)
async def send_letter(
    request: Request, user: Writer, body: LetterCreate, idempotency_key: IdempotencyKey
) -> JSONResponse:
    template = template_for(user, body.template_id)
    engine = request.app.state.engine
    message, replay = await run_in_threadpool(
        accept_letter,
        engine,
        request.app.state.uh_gateway,
        request.app.state.documents,
        LetterRequest(
            template_id=template.id.value,
            tenancy_ref=body.tenancy_ref,
            payment_ref=body.payment_ref,
            fields=body.fields,
            sent_by=user.name or user.email,
            idempotency_key=idempotency_key,
            automated=user.is_service,
            postage=body.postage,
        ),
        today=london_today(),
    )
    if not replay and message.status == message_use_cases.ACCEPTED:
        message = await run_in_threadpool(
            message_use_cases.send_accepted,
            engine,
            notify_gateway(request),
            request.app.state.documents,
            message.id,
        )
        await run_in_threadpool(
            message_use_cases.write_diary_entries,
            engine,
            request.app.state.uh_gateway,
            message_id=message.id,
        )
    return message_response(message, replay=replay)
