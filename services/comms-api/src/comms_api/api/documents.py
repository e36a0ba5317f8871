"""Documents: `GET /api/v1/documents` (the Documents page), one document, its file, and
marking a failed letter reviewed."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, BeforeValidator, Field, StringConstraints
from sqlalchemy import Engine, Row

from comms_api.domain.documents import DocumentKind, DocumentStatus
from comms_api.gateways.document_store import DocumentStore
from comms_api.use_cases import documents as use_cases
from ma_shared.auth import WRITER_ROLES, Reader, Writer
from ma_shared.errors import ERROR_RESPONSES, ErrorBody, Forbidden
from ma_shared.references import TENANCY_REF_PATTERN

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

MAX_PAGE = 100_000

WHO_SEES_WHAT = (
    "Any reader sees every document, rent and leasehold alike; the Documents page narrows "
    "them by payment or tenancy reference."
)


def _blank_is_absent(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


# A filter left empty in a form (`?status=`) means no filter.
BlankIsAbsent = BeforeValidator(_blank_is_absent)

DocumentId = Annotated[str, Path(max_length=36, description="The document id.")]


class DocumentRead(BaseModel):
    id: str = Field(description="This service's id for the document.")
    kind: str = Field(
        description="`letter` (sent by this service) or `legacy` (imported from the old system)."
    )
    status: str = Field(
        description="A letter's follows its message: `accepted`, `sending`, `sent`, "
        "`delivered` or `failed`, then `failure_reviewed` once a caseworker has dealt with "
        "the failure. A letter before action is `to_download` until downloaded to post by "
        "hand, then `downloaded`. A legacy document is `imported`."
    )
    payment_ref: str | None = Field(description="The payment reference it is about.")
    tenancy_ref: str | None = Field(description="The tenancy it is about.")
    template_id: str | None = Field(
        description="The letter template, e.g. `income_collection_letter_1`; null for a "
        "legacy document."
    )
    template_name: str = Field(
        description="The letter's name for caseworkers, or the old system's document type."
    )
    description: str | None = Field(description="The old system's description, if any.")
    filename: str = Field(description="The file's name when downloaded.")
    content_type: str = Field(description="The file's media type, e.g. `application/pdf`.")
    size_bytes: int = Field(description="The file's size in bytes.")
    created_by: str = Field(description="Who sent the letter (or `legacy import`).")
    document_date: dt.date = Field(
        description="When it was written: the day sent for a letter, the old system's date "
        "for a legacy document."
    )
    message_id: str | None = Field(description="The letter's message (`GET /api/v1/messages`).")
    failure_reviewed_by: str | None = Field(description="Who marked the failure reviewed.")
    failure_reviewed_at: dt.datetime | None = Field(
        description="When the failure was marked reviewed (UTC)."
    )
    created_at: dt.datetime = Field(description="When it was stored here (UTC).")
    updated_at: dt.datetime = Field(description="When its status last changed (UTC).")
    content_url: str = Field(description="Where to download the file.")


class DocumentPage(BaseModel):
    results: list[DocumentRead] = Field(description="The documents on this page.")
    page: int = Field(description="This page's number, from 1.")
    per_page: int = Field(description="Documents per page.")
    total_count: int = Field(description="Matching documents on all pages.")
    number_of_pages: int = Field(description="Pages of matching documents.")


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _read(row: Row[Any]) -> DocumentRead:
    return DocumentRead.model_validate(
        {**row._mapping, "content_url": f"{router.prefix}/{row.id}/content"}
    )


NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such document."}
}


@router.get(
    "",
    response_model=DocumentPage,
    responses=ERROR_RESPONSES,
    summary="Find documents: letters sent and legacy documents, most recently written first",
    description=f"{WHO_SEES_WHAT} Sorted by the date each was written (a legacy document by "
    "the old system's date, not when it was imported), then when it was stored.",
)
def list_documents(
    request: Request,
    _: Reader,
    payment_ref: Annotated[
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] | None,
        BlankIsAbsent,
        Query(description="Only documents about this payment reference."),
    ] = None,
    tenancy_ref: Annotated[
        Annotated[str, StringConstraints(pattern=TENANCY_REF_PATTERN)] | None,
        BlankIsAbsent,
        Query(description="Only documents about this tenancy, e.g. `012345/01`."),
    ] = None,
    status: Annotated[
        DocumentStatus | None, BlankIsAbsent, Query(description="Only documents in this status.")
    ] = None,
    template_id: Annotated[
        Annotated[str, StringConstraints(max_length=100)] | None,
        BlankIsAbsent,
        Query(description="Only letters from this template, e.g. `letter_before_action`."),
    ] = None,
    kind: Annotated[
        DocumentKind | None,
        BlankIsAbsent,
        Query(description="Only letters (`letter`) or only legacy documents (`legacy`)."),
    ] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="The page to return, from 1.")] = 1,
    per_page: Annotated[
        int, Query(ge=1, le=100, description="Documents per page (at most 100).")
    ] = 20,
) -> DocumentPage:
    filters = use_cases.DocumentFilters(
        payment_ref=payment_ref,
        tenancy_ref=tenancy_ref,
        status=status.value if status else None,
        template_id=template_id,
        kind=kind.value if kind else None,
    )
    rows, total = use_cases.list_documents(_engine(request), filters, page=page, per_page=per_page)
    return DocumentPage(
        results=[_read(row) for row in rows],
        page=page,
        per_page=per_page,
        total_count=total,
        number_of_pages=math.ceil(total / per_page),
    )


@router.get(
    "/{document_id}",
    response_model=DocumentRead,
    responses={**ERROR_RESPONSES, **NOT_FOUND},
    summary="One document",
    description=WHO_SEES_WHAT,
)
def get_document(request: Request, _: Reader, document_id: DocumentId) -> DocumentRead:
    return _read(use_cases.get_document(_engine(request), document_id))


# Anything but printable ASCII, or what would end the quoted filename, in the plain fallback.
_UNSAFE_IN_FILENAME = re.compile(r'[^\x20-\x7e]|["\\]')


def _content_disposition(filename: str, *, inline: bool) -> str:
    """RFC 6266: a plain ASCII name for old clients and the exact UTF-8 one for the rest."""
    fallback = _UNSAFE_IN_FILENAME.sub("_", filename)
    return (
        f'{"inline" if inline else "attachment"}; filename="{fallback}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


@router.get(
    "/{document_id}/content",
    response_class=Response,
    responses={
        **ERROR_RESPONSES,
        200: {
            "description": "The file, with its media type and name (Content-Disposition).",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        },
        403: {
            "model": ErrorBody,
            "description": "`purpose=post` needs a caseworker, team leader or service token.",
        },
        404: {"model": ErrorBody, "description": "No such document, or its file is missing."},
        503: {"model": ErrorBody, "description": "The document store cannot be reached."},
    },
    summary="Download a document's file",
    description=f"{WHO_SEES_WHAT} Downloading a letter before action that is `to_download` "
    "with `purpose=post` is how it is sent: the first such download marks it `downloaded` "
    "and writes SLB to the tenancy's UH action diary (once, however often it is downloaded). "
    "Downloading it to look at it (`purpose=view`, the default) changes nothing.",
)
def download_document(
    request: Request,
    user: Reader,
    document_id: DocumentId,
    inline: Annotated[
        bool, Query(description="Show it in the browser rather than save it.")
    ] = False,
    purpose: Annotated[
        Literal["view", "post"],
        Query(
            description="`view` to look at it; `post` when downloading a letter before "
            "action to print and post it by hand."
        ),
    ] = "view",
) -> Response:
    if purpose == "post" and not user.roles & WRITER_ROLES:
        raise Forbidden("Your groups do not allow you to send letters.")
    store: DocumentStore = request.app.state.documents
    downloaded = use_cases.download_document(
        _engine(request),
        store,
        document_id,
        posted_by=(user.name or user.email) if purpose == "post" else None,
    )
    document = downloaded.document
    return Response(
        downloaded.content,
        media_type=document.content_type,
        headers={
            "Content-Disposition": _content_disposition(document.filename, inline=inline),
            # Shown inline, a file is only ever what its stored media type says it is.
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.post(
    "/{document_id}/failure-review",
    response_model=DocumentRead,
    responses={
        **ERROR_RESPONSES,
        **NOT_FOUND,
        409: {"model": ErrorBody, "description": "The document is not a failed letter."},
    },
    summary="Mark a failed letter reviewed (the caseworker has dealt with the failure)",
    description="Sets `failure_reviewed` with who and when, and tells income-api "
    "(`comms.letter_failure_reviewed`) so the case no longer asks for the failed letter to "
    "be reviewed.",
)
def review_failure(request: Request, user: Writer, document_id: DocumentId) -> DocumentRead:
    return _read(
        use_cases.mark_failure_reviewed(
            _engine(request), document_id, reviewed_by=user.name or user.email
        )
    )
