"""Bulk letters (`/letters/bulk`, "Send letters" in the menu): one letter to many accounts.

1. `GET /letters/bulk`: choose a letter and paste payment references.
2. `POST /letters/bulk`: comms-api checks every reference; the batch page shows each row.
3. `GET /letters/batches/{id}`: every row (its problems in words, or a link to preview its
   letter), "Send all N valid letters", and once sent each letter's status.
4. `POST /letters/batches/{id}/send`: every valid row once; a second submit sends nothing
   more (comms-api keeps the batch's send request).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from frontend.domain import labels
from frontend.domain import letters as letter_fields
from frontend.domain.letters import problem_words
from frontend.gateways.comms_api import BatchRow, LetterBatch, LetterTemplate
from frontend.gateways.errors import InvalidInput
from frontend.web.communications import CommsId, ensure_can_send
from frontend.web.deps import CommsApiDep, Templates
from frontend.web.forms import FormErrors
from frontend.web.session import CurrentUser

router = APIRouter(include_in_schema=False)
PATH = "/letters/bulk"


def bulk_letters(offered: list[LetterTemplate]) -> list[LetterTemplate]:
    """Letters made from UH's data alone: one whose own details (an agreement's, a court
    case's) differ for every account is sent from each case."""
    return [
        template
        for template in offered
        if not any(
            field.required and not field.words.from_uh
            for field in letter_fields.form_fields(template)
        )
    ]


def _form_page(
    request: Request,
    templates: Templates,
    offered: list[LetterTemplate],
    template_id: str,
    payment_refs: str,
    errors: FormErrors,
) -> Response:
    both_areas = len({t.service_area for t in offered}) > 1
    items = [
        {
            "value": t.id,
            "text": f"{t.name} ({labels.SERVICE_AREAS[t.service_area].lower()})"
            if both_areas
            else t.name,
            "hint": {"text": "Stored to download and post by hand."} if t.posted_by_hand else None,
            "checked": t.id == template_id,
        }
        for t in offered
    ]
    return templates.TemplateResponse(
        request,
        "letters/bulk.html",
        {
            "title": "Send letters",
            "items": items,
            "payment_refs": payment_refs,
            "errors": errors,
        },
        status_code=400 if errors else 200,
    )


@router.get(PATH)
async def bulk_letters_form(
    request: Request, user: CurrentUser, comms_api: CommsApiDep, templates: Templates
) -> Response:
    ensure_can_send(user)
    offered = bulk_letters(await comms_api.letter_templates(user))
    return _form_page(request, templates, offered, "", "", FormErrors())


@router.post(PATH)
async def check_bulk_letters(
    request: Request,
    user: CurrentUser,
    comms_api: CommsApiDep,
    templates: Templates,
    template_id: Annotated[str, Form(max_length=100)] = "",
    payment_refs: Annotated[str, Form()] = "",
) -> Response:
    ensure_can_send(user)
    offered = bulk_letters(await comms_api.letter_templates(user))
    errors = FormErrors()
    if template_id not in {t.id for t in offered}:
        errors.add("template_id", "Choose a letter")
    if not payment_refs.strip():
        errors.add("payment_refs", "Enter the payment references")
    if not errors:
        try:
            batch = await comms_api.create_letter_batch(
                user, template_id=template_id, payment_refs=payment_refs
            )
        except InvalidInput as problem:
            # Too many references, or none once split: about the list as a whole.
            errors.add("payment_refs", problem.message)
        else:
            return RedirectResponse(f"/letters/batches/{batch.id}", 303)
    return _form_page(request, templates, offered, template_id, payment_refs, errors)


def _row(row: BatchRow) -> dict[str, Any]:
    """A row as the table shows it: what happened to it, in words."""
    if row.message_status:
        status = labels.label(labels.LETTER_STATUSES, row.message_status)
    else:
        status = labels.label(labels.BATCH_ROW_STATUSES, row.status)
    details = [problem_words(p.field, p.code, p.message) for p in row.problems]
    if row.message_error:
        details.append(row.message_error)
    return {
        "row": row,
        "status": status,
        "details": details,
        "can_preview": row.status in {"valid", "queued", "accepted"},
        "failed": row.status in {"invalid", "not_sent"} or row.message_status == "failed",
    }


@router.get("/letters/batches/{batch_id}")
async def batch_page(
    request: Request,
    batch_id: CommsId,
    user: CurrentUser,
    comms_api: CommsApiDep,
    templates: Templates,
) -> Response:
    batch, offered = await asyncio.gather(
        comms_api.letter_batch(user, batch_id), comms_api.letter_templates(user)
    )
    template = next((t for t in offered if t.id == batch.template_id), None)
    return templates.TemplateResponse(
        request,
        "letters/batch.html",
        {
            "title": f"Bulk letters: {batch.template_name}",
            "batch": batch,
            "posted_by_hand": bool(template and template.posted_by_hand),
            "rows": [_row(row) for row in batch.rows],
            "sending": _still_sending(batch),
        },
    )


def _still_sending(batch: LetterBatch) -> bool:
    """Sent, and some letters not yet made or with Notify: worth refreshing."""
    return batch.send_requested_at is not None and any(
        row.status == "queued" or row.message_status in {"accepted", "sending"}
        for row in batch.rows
    )


@router.post("/letters/batches/{batch_id}/send")
async def send_batch(batch_id: CommsId, user: CurrentUser, comms_api: CommsApiDep) -> Response:
    ensure_can_send(user)
    await comms_api.send_letter_batch(user, batch_id)
    return RedirectResponse(f"/letters/batches/{batch_id}", 303)


@router.get("/letters/batches/{batch_id}/rows/{position}")
async def batch_row_preview(
    request: Request,
    batch_id: CommsId,
    position: Annotated[int, Path(ge=1, le=10_000)],
    user: CurrentUser,
    comms_api: CommsApiDep,
    templates: Templates,
) -> Response:
    batch, preview = await asyncio.gather(
        comms_api.letter_batch(user, batch_id),
        comms_api.preview_batch_row(user, batch_id, position),
    )
    row = next(row for row in batch.rows if row.position == position)
    return templates.TemplateResponse(
        request,
        "letters/batch_row.html",
        {
            "title": f"Letter for payment reference {row.payment_ref}",
            "batch": batch,
            "row": row,
            "preview": preview,
        },
    )
