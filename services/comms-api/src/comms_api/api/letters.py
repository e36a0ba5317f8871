"""Letters: the templates a caseworker may use, and a preview of one for a tenancy (the HTML
and an image of each page of the PDF that would be posted)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from comms_api.domain.letters import (
    TEMPLATES,
    LetterHasProblems,
    LetterTemplate,
    LetterTemplateNotFound,
    get_template,
)
from comms_api.gateways.pdf import LetterPdfError
from comms_api.use_cases.letters import preview_letter
from ma_shared.auth import Reader, Role, User
from ma_shared.errors import (
    ERROR_RESPONSES,
    ErrorBody,
    ErrorDetail,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from ma_shared.references import TENANCY_REF_PATTERN
from ma_shared.vocabulary import ServiceArea

router = APIRouter(prefix="/api/v1/letters", tags=["letters"])


class LetterTemplateRead(BaseModel):
    id: str = Field(description="The template id, e.g. `income_collection_letter_1`.")
    name: str = Field(description="Its name for caseworkers.")
    service_area: str = Field(description="`rent` or `leasehold`.")
    diary_code: str | None = Field(description="UH diary code written when it is sent.")
    required_fields: list[str] = Field(description="Fields the letter cannot be made without.")


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


def _read(template: LetterTemplate) -> LetterTemplateRead:
    return LetterTemplateRead(
        id=template.id.value,
        name=template.name,
        service_area=template.service_area.value,
        diary_code=template.diary_code,
        required_fields=list(template.required_fields),
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
    try:
        template = get_template(body.template_id)
    except LetterTemplateNotFound as error:
        raise NotFound(f"There is no letter template {body.template_id!r}.") from error
    if template.service_area not in _areas(user):
        raise Forbidden(f"Your groups do not allow {template.service_area.value} letters.")
    try:
        letter = await run_in_threadpool(
            preview_letter,
            request.app.state.uh_gateway,
            template,
            tenancy_ref=body.tenancy_ref,
            fields=body.fields,
            today=dt.datetime.now(tz=dt.UTC).date(),
        )
    except LetterHasProblems as problems:
        raise ValidationFailed(
            "The letter cannot be made: fields are missing or not valid.",
            details=[
                ErrorDetail(field=p.field, code=str(p.code), message=p.message)
                for p in problems.problems
            ],
        ) from problems
    except LetterPdfError as error:
        raise ValidationFailed(str(error), code="letter_not_printable") from error
    return LetterPreviewRead(
        template_id=template.id.value,
        template_name=template.name,
        html=letter.html,
        page_count=len(letter.pages),
        pages=[
            PagePreviewRead(
                number=page.number,
                png_base64=base64.b64encode(page.png).decode(),
                width_px=page.width_px,
                height_px=page.height_px,
            )
            for page in letter.pages
        ],
    )
