"""The worktray and the case: `GET /api/v1/cases`, `GET /api/v1/cases/{tenancy_ref}`, pausing
and the action diary."""

from __future__ import annotations

import asyncio
import math
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator
from sqlalchemy.orm import Session

from income_api.api.deps import (
    Clock,
    DatabaseEngine,
    DbSession,
    Dispatcher,
    Gateway,
    Sync,
)
from income_api.api.idempotency import OncePerKey
from income_api.api.schemas import (
    ActionDiaryEntryCreate,
    CaseRead,
    CaseSummary,
    DiaryWriteResult,
    Page,
    PauseCreate,
)
from income_api.domain.terms import PauseReason, ServiceArea
from income_api.domain.worktray import actions_for
from income_api.gateways.worktray import UNASSIGNED, WorktrayFilters, WorktraySort, worktray
from income_api.use_cases import case_actions, case_read
from income_api.use_cases.access import ensure_service_area
from ma_shared.auth import Reader, User, Writer
from ma_shared.errors import ERROR_RESPONSES, ErrorBody, ErrorDetail, ValidationFailed
from ma_shared.references import TenancyRef

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])

MAX_PAGE = 100_000


def _blank_is_absent(value: object) -> object:
    return None if value == "" else value


# A yes/no query parameter; left empty it is absent, as the old API parsed them (§7.3).
Flag = Annotated[bool | None, BeforeValidator(_blank_is_absent)]

CASE_RESPONSES: dict[int | str, dict[str, object]] = {
    **ERROR_RESPONSES,
    404: {"model": ErrorBody, "description": "No arrears case for this tenancy."},
    503: {"model": ErrorBody, "description": "uh-gateway (UH) cannot be reached."},
}


@router.get(
    "",
    response_model=Page[CaseSummary],
    responses=ERROR_RESPONSES,
    summary="The worktray: cases in arrears, most urgent first",
    description="Without a view filter (`recommended_action`, `paused`, `pause_reason`, "
    "`upcoming_court_dates`, `upcoming_evictions`) it shows **immediate actions**: cases whose "
    "recommended action is not `no_action` and that are not paused. Sorted by the urgency of "
    "the action, then balance, weeks of rent owed and days since the last payment.",
)
def list_cases(
    engine: DatabaseEngine,
    clock: Clock,
    user: Reader,
    service_area: Annotated[ServiceArea, Query(description="`rent` or `leasehold`.")],
    patch: Annotated[
        list[str] | None,
        Query(description="Patch code(s), e.g. `W02`; `unassigned` for cases with no patch."),
    ] = None,
    my_patches: Annotated[
        Flag, Query(description="Only the patches assigned to the signed-in user.")
    ] = None,
    recommended_action: Annotated[
        list[str] | None, Query(description="Only these recommended actions.")
    ] = None,
    paused: Annotated[
        Flag, Query(description="Only paused (true) or not paused (false) cases.")
    ] = None,
    pause_reason: Annotated[
        PauseReason | None, Query(description="Paused for this reason.")
    ] = None,
    upcoming_court_dates: Annotated[
        Flag, Query(description="Hearings from today on, soonest first.")
    ] = None,
    upcoming_evictions: Annotated[
        Flag, Query(description="Evictions from today on, soonest first.")
    ] = None,
    vulnerable: Annotated[
        Flag,
        Query(description="Only cases with (true) or without (false) a recorded vulnerability."),
    ] = None,
    min_balance: Annotated[
        Decimal | None,
        Query(ge=0, max_digits=12, decimal_places=2, description="Balance at least, in pounds."),
    ] = None,
    max_balance: Annotated[
        Decimal | None,
        Query(ge=0, max_digits=12, decimal_places=2, description="Balance at most, in pounds."),
    ] = None,
    immediate_actions: Annotated[
        Flag,
        Query(description="Force the immediate-actions view on or off (`false` shows all)."),
    ] = None,
    sort: Annotated[WorktraySort | None, Query(description="Order; default `priority`.")] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="The page to return, from 1.")] = 1,
    per_page: Annotated[int, Query(ge=1, le=500, description="Cases per page (at most 500).")] = 20,
) -> Page[CaseSummary]:
    ensure_service_area(user, service_area)
    valid_actions = set(actions_for(service_area))
    # An empty value (`?patch=` from a form left blank) means no filter, as it did before.
    actions = [a.strip() for a in recommended_action or [] if a.strip()]
    patches = [p.strip() for p in patch or [] if p.strip()]
    if my_patches and not user.email:
        raise ValidationFailed(
            "'My patches' needs a signed-in person; this token names no one.",
            details=[
                ErrorDetail(
                    field="my_patches", code="no_user", message="Filter by `patch` instead."
                )
            ],
        )
    unknown = [a for a in actions if a not in valid_actions]
    if unknown:
        raise ValidationFailed(
            f"Not a {service_area.value} recommended action: {', '.join(unknown)}.",
            details=[
                ErrorDetail(
                    field="recommended_action",
                    code="unknown_recommended_action",
                    message=f"Use one of: {', '.join(sorted(valid_actions))}.",
                )
            ],
        )
    filters = WorktrayFilters(
        service_area=service_area,
        patches=tuple(p.upper() if p.lower() != UNASSIGNED else UNASSIGNED for p in patches),
        patches_of_user=user.email if my_patches else None,
        recommended_actions=tuple(actions),
        paused=paused,
        pause_reason=pause_reason.value if pause_reason else None,
        upcoming_court_dates=bool(upcoming_court_dates),
        upcoming_evictions=bool(upcoming_evictions),
        vulnerable=vulnerable,
        min_balance=min_balance,
        max_balance=max_balance,
        immediate_actions=immediate_actions,
        sort=sort,
    )
    now = clock.now()
    rows, total = worktray(engine, filters, now=now, page=page, per_page=per_page)
    return Page[CaseSummary](
        results=[case_read.case_summary(row, now) for row in rows],
        page=page,
        per_page=per_page,
        total_count=total,
        number_of_pages=math.ceil(total / per_page),
    )


@router.get(
    "/{tenancy_ref:path}",
    response_model=CaseRead,
    responses=CASE_RESPONSES,
    summary="A case: classification and reason, agreements, court cases, evictions, "
    "vulnerabilities, and its UH records",
)
async def get_case(
    session: DbSession,
    gateway: Gateway,
    clock: Clock,
    user: Reader,
    tenancy_ref: TenancyRef,
    include_uh: Annotated[
        bool, Query(description="Also read balance, transactions, diary and contacts from UH.")
    ] = True,
    transactions: Annotated[
        int, Query(ge=1, le=200, description="UH transactions to include.")
    ] = 20,
    diary_entries: Annotated[
        int, Query(ge=1, le=200, description="Diary entries to include.")
    ] = 20,
) -> CaseRead:
    now = clock.now()
    records = await asyncio.to_thread(
        case_read.read_case_records, session, tenancy_ref=tenancy_ref, user=user, now=now
    )
    uh = (
        await case_read.read_uh_records(
            gateway, tenancy_ref, transactions=transactions, diary_entries=diary_entries
        )
        if include_uh
        else None
    )
    return case_read.case_read(records, uh)


async def _after_write(
    dispatcher: Dispatcher, sync: Sync, tenancy_ref: str, diary_ids: list[int]
) -> DiaryWriteResult:
    result = await case_actions.deliver_and_refresh(
        dispatcher=dispatcher, sync=sync, tenancy_ref=tenancy_ref, diary_ids=diary_ids
    )
    return DiaryWriteResult(status=result)


def _pause(session: Session, tenancy_ref: str, body: PauseCreate, user: User, code: str) -> int:
    return case_actions.pause_case(
        session, tenancy_ref=tenancy_ref, body=body, user=user, action_code=code
    )


@router.put(
    "/{tenancy_ref:path}/pause",
    response_model=DiaryWriteResult,
    responses=CASE_RESPONSES,
    summary="Pause a case until a date, with a reason; the pause is written to UH's diary",
)
async def pause_case(
    session: DbSession,
    gateway: Gateway,
    dispatcher: Dispatcher,
    sync: Sync,
    once: OncePerKey,
    user: Writer,
    tenancy_ref: TenancyRef,
    body: PauseCreate,
) -> JSONResponse:
    async def write() -> tuple[int, BaseModel]:
        code = await case_actions.check_action_code(gateway, body.action_code)
        diary_id = await asyncio.to_thread(_pause, session, tenancy_ref, body, user, code)
        return 200, await _after_write(dispatcher, sync, tenancy_ref, [diary_id])

    return await once.run(user, body, write)


@router.delete(
    "/{tenancy_ref:path}/pause",
    response_model=DiaryWriteResult,
    responses=CASE_RESPONSES,
    summary="End a case's pause now",
)
async def end_pause(
    session: DbSession,
    dispatcher: Dispatcher,
    sync: Sync,
    once: OncePerKey,
    user: Writer,
    tenancy_ref: TenancyRef,
) -> JSONResponse:
    async def write() -> tuple[int, BaseModel]:
        diary_id = await asyncio.to_thread(
            case_actions.end_pause, session, tenancy_ref=tenancy_ref, user=user
        )
        return 200, await _after_write(dispatcher, sync, tenancy_ref, [diary_id])

    return await once.run(user, None, write)


@router.post(
    "/{tenancy_ref:path}/action-diary",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DiaryWriteResult,
    responses=CASE_RESPONSES,
    summary="Add an entry to UH's action diary, then re-classify the case",
    description="`status` is `written` when UH has the entry, `queued` when uh-gateway could "
    "not be reached: the entry is kept and retried until UH has it, exactly once.",
)
async def add_action_diary_entry(
    session: DbSession,
    gateway: Gateway,
    dispatcher: Dispatcher,
    sync: Sync,
    once: OncePerKey,
    user: Writer,
    tenancy_ref: TenancyRef,
    body: ActionDiaryEntryCreate,
) -> JSONResponse:
    async def write() -> tuple[int, BaseModel]:
        code = await case_actions.check_action_code(gateway, body.action_code)
        diary_id = await asyncio.to_thread(
            case_actions.add_diary_entry,
            session,
            tenancy_ref=tenancy_ref,
            body=body,
            code=code,
            user=user,
        )
        return status.HTTP_202_ACCEPTED, await _after_write(
            dispatcher, sync, tenancy_ref, [diary_id]
        )

    return await once.run(user, body, write)
