"""Documents (`/documents`, in the menu): the letters sent and the old system's documents,
found by payment or tenancy reference, status, letter and kind; each downloaded through this
app (`/documents/{id}/download`); a letter before action downloaded to post by hand (which
sends it); a failed letter marked reviewed."""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from frontend.domain import labels
from frontend.domain.pagination import Pagination
from frontend.gateways.comms_api import CommsApi, Document, DocumentPage
from frontend.gateways.errors import Conflict, NotFound
from frontend.web.communications import COMMS_ID_PATTERN, CommsId, ensure_can_send
from frontend.web.deps import CommsApiDep, Templates
from frontend.web.forms import FormErrors
from frontend.web.session import CurrentUser
from ma_shared.auth import User
from ma_shared.references import TENANCY_REF_PATTERN

router = APIRouter(include_in_schema=False)
PATH = "/documents"
PER_PAGE = 20
FILTERS = ("payment_ref", "tenancy_ref", "status", "template_id", "kind")
PAYMENT_REF = re.compile(r"^\d{1,20}$")
TENANCY_REF = re.compile(TENANCY_REF_PATTERN)
LETTER_BEFORE_ACTION = "letter_before_action"

Filter = Annotated[str, Query(max_length=100)]


def _checked(filters: dict[str, str]) -> FormErrors:
    errors = FormErrors()
    if filters["payment_ref"] and not PAYMENT_REF.match(filters["payment_ref"]):
        errors.add("payment_ref", "Enter a payment reference in digits, like 1234567890")
    if filters["tenancy_ref"] and not TENANCY_REF.match(filters["tenancy_ref"]):
        errors.add("tenancy_ref", "Enter a tenancy reference like 012345/01")
    return errors


def documents_url(filters: dict[str, str], **extra: str | int) -> str:
    given = {name: value for name, value in filters.items() if value}
    query = urlencode({**given, **{k: str(v) for k, v in extra.items()}})
    return f"{PATH}?{query}" if query else PATH


async def _find(
    comms_api: CommsApi, user: User, filters: dict[str, str], *, page: int, errors: FormErrors
) -> DocumentPage | None:
    if errors:
        return None
    return await comms_api.documents(user, filters, page=page, per_page=PER_PAGE)


async def _reviewed(comms_api: CommsApi, user: User, document_id: str) -> Document | None:
    """The letter just marked reviewed (`?reviewed=<id>`), which the page confirms."""
    if not re.match(COMMS_ID_PATTERN, document_id):
        return None
    try:
        document = await comms_api.document(user, document_id)
    except NotFound:
        return None
    return document if document.status == "failure_reviewed" else None


@router.get(PATH)
async def documents_page(
    request: Request,
    user: CurrentUser,
    comms_api: CommsApiDep,
    templates: Templates,
    payment_ref: Filter = "",
    tenancy_ref: Filter = "",
    status: Filter = "",
    template_id: Filter = "",
    kind: Filter = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    reviewed: Filter = "",
) -> Response:
    filters = {
        "payment_ref": payment_ref.strip(),
        "tenancy_ref": tenancy_ref.strip(),
        # A hand-made value is no filter, as a blank one is.
        "status": status if status in labels.LETTER_STATUSES else "",
        "template_id": template_id,
        "kind": kind if kind in labels.DOCUMENT_KINDS else "",
    }
    errors = _checked(filters)
    offered, results, just_reviewed = await asyncio.gather(
        comms_api.letter_templates(user),
        _find(comms_api, user, filters, page=page, errors=errors),
        _reviewed(comms_api, user, reviewed),
    )
    return templates.TemplateResponse(
        request,
        "documents/documents.html",
        {
            "title": "Documents",
            "filters": filters,
            "filtered": any(filters.values()),
            "letter_templates": offered,
            "results": results,
            "pages": Pagination(page, PER_PAGE, results.total_count) if results else None,
            "page_url": lambda number: documents_url(filters, page=number),
            "back": urlencode({k: v for k, v in filters.items() if v} | {"page": page}),
            "reviewed": just_reviewed,
            "LETTER_BEFORE_ACTION": LETTER_BEFORE_ACTION,
            "errors": errors,
        },
        status_code=400 if errors else 200,
    )


async def _download(
    comms_api: CommsApi, user: User, document_id: str, *, to_post: bool
) -> Response:
    """The file from comms-api, passed on as it arrives, with its type and name."""
    download = await comms_api.download(user, document_id, to_post=to_post)
    return StreamingResponse(download.chunks, headers=download.headers)


@router.get("/documents/{document_id}/download")
async def download_document(
    document_id: CommsId, user: CurrentUser, comms_api: CommsApiDep
) -> Response:
    return await _download(comms_api, user, document_id, to_post=False)


@router.post("/documents/{document_id}/download-to-post")
async def download_to_post(
    document_id: CommsId, user: CurrentUser, comms_api: CommsApiDep
) -> Response:
    """A post (with the form's token), as it changes something: the first such download is
    what sends a letter before action, and writes it to the case's diary."""
    ensure_can_send(user)
    return await _download(comms_api, user, document_id, to_post=True)


@router.post("/documents/{document_id}/failure-review")
async def mark_failure_reviewed(
    document_id: CommsId,
    user: CurrentUser,
    comms_api: CommsApiDep,
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    ensure_can_send(user)
    # Reviewed already (a double click) is a 409: the list shows it is.
    with contextlib.suppress(Conflict):
        await comms_api.mark_failure_reviewed(user, document_id)
    # Back to the same list, rebuilt from its filters only.
    kept = {k: v for k, v in parse_qsl(back) if k in {*FILTERS, "page"}}
    return RedirectResponse(documents_url(kept, reviewed=document_id), 303)
