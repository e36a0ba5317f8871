"""Changes to what UH itself holds about a case: a NOSP served (through the outbox, like a
diary entry) and a contact's phone numbers and email (passed straight on to uh-gateway)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from income_api.api.cases import CASE_RESPONSES
from income_api.api.deps import DbSession, Dispatcher, Gateway, Sync
from income_api.api.idempotency import IdempotencyKey, OncePerKey
from income_api.api.schemas import ContactRead, ContactUpdate, DiaryWriteResult, NospCreate
from income_api.use_cases import case_actions
from ma_shared.auth import Writer
from ma_shared.errors import ErrorBody
from ma_shared.references import TenancyRef

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])

ContactId = Annotated[
    int, Path(ge=1, description="The contact's `id` from the case's UH contacts.")
]


@router.post(
    "/{tenancy_ref:path}/nosp",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DiaryWriteResult,
    responses={
        **CASE_RESPONSES,
        409: {"model": ErrorBody, "description": "A leasehold account has no NOSP."},
    },
    summary="Record that a Notice of Seeking Possession was served; UH keeps it",
    description="UH records the served date, the end of the cooling-off period (3 calendar "
    "months later) and an `NTS` diary entry, together; the case is then re-classified. "
    "`status` is `queued` when uh-gateway cannot be reached now: the NOSP is kept and retried "
    "until UH has it, exactly once.",
)
async def record_nosp(
    session: DbSession,
    dispatcher: Dispatcher,
    sync: Sync,
    once: OncePerKey,
    user: Writer,
    tenancy_ref: TenancyRef,
    body: NospCreate,
) -> JSONResponse:
    async def write() -> tuple[int, BaseModel]:
        message_id = await asyncio.to_thread(
            case_actions.record_nosp, session, tenancy_ref=tenancy_ref, body=body, user=user
        )
        result = await case_actions.deliver_and_refresh(
            dispatcher=dispatcher, sync=sync, tenancy_ref=tenancy_ref, diary_ids=[message_id]
        )
        return status.HTTP_202_ACCEPTED, DiaryWriteResult(status=result)

    return await once.run(user, body, write)


@router.patch(
    "/{tenancy_ref:path}/contacts/{contact_id}",
    response_model=ContactRead,
    responses={
        **CASE_RESPONSES,
        404: {"model": ErrorBody, "description": "No such case, or no such contact on it."},
    },
    summary="Change a contact's phone numbers or email address in UH",
    description='Phone numbers must be UK numbers (kept in national form); `""` clears a '
    "field and a field left out keeps its value. With an `Idempotency-Key` a repeat is "
    "answered as the first was.",
)
async def update_contact(
    session: DbSession,
    gateway: Gateway,
    user: Writer,
    tenancy_ref: TenancyRef,
    contact_id: ContactId,
    body: ContactUpdate,
    idempotency_key: IdempotencyKey = None,
) -> ContactRead:
    await asyncio.to_thread(case_actions.load_case, session, tenancy_ref, user)
    contact = await case_actions.update_contact(
        gateway,
        tenancy_ref=tenancy_ref,
        contact_id=contact_id,
        body=body,
        caller=user.sub,
        idempotency_key=idempotency_key,
    )
    return ContactRead.model_validate(contact)
