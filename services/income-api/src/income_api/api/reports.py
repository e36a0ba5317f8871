"""Reports for team leaders (the web app's dashboard), read-only: `GET /api/v1/reports/...`
cases and arrears by patch and by recommended action, and cases whose action changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field

from income_api.api.deps import DatabaseEngine
from income_api.api.schemas import ApiModel, Instant, Money
from income_api.domain.terms import ServiceArea
from income_api.gateways import reports
from income_api.use_cases.access import ensure_service_area
from ma_shared.auth import Reader
from ma_shared.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

AreaQuery = Annotated[
    ServiceArea,
    Query(description="`rent` or `leasehold`; caseworkers may ask only for their own."),
]
TOTAL_ARREARS = "Collectable arrears of all these cases added up, in pounds (decimal string)."


class PatchArrears(ApiModel):
    patch_code: str | None = Field(description="The patch, e.g. `E01`; null for no patch.")
    case_count: int = Field(description="Cases in arrears on this patch.")
    collectable_arrears: Money = Field(
        description="The collectable arrears of this patch's cases added up, in pounds "
        "(decimal string)."
    )


class CasesByPatch(ApiModel):
    service_area: ServiceArea
    case_count: int = Field(description="Cases in arrears in the service area.")
    collectable_arrears: Money = Field(description=TOTAL_ARREARS)
    results: list[PatchArrears] = Field(
        description="One item per patch that has cases, by patch code; no patch last."
    )


class ActionCases(ApiModel):
    recommended_action: str = Field(description="A next recommended action, e.g. `send_NOSP`.")
    case_count: int = Field(description="Cases with this recommended action.")
    collectable_arrears: Money = Field(
        description="The collectable arrears of these cases added up, in pounds (decimal string)."
    )


class CasesByAction(ApiModel):
    service_area: ServiceArea
    case_count: int = Field(description="Cases in arrears in the service area.")
    collectable_arrears: Money = Field(description=TOTAL_ARREARS)
    results: list[ActionCases] = Field(
        description="One item per recommended action some case has, most urgent first (the "
        "worktray's order)."
    )


class ActionChangeCount(ApiModel):
    recommended_action: str = Field(description="The recommended action the cases changed to.")
    case_count: int = Field(description="Cases whose action changed to this one.")


class ActionChanges(ApiModel):
    service_area: ServiceArea
    since: dt.datetime = Field(description="Changes at or after this instant (UTC) are counted.")
    case_count: int = Field(description="Cases whose recommended action changed since `since`.")
    results: list[ActionChangeCount] = Field(
        description="One item per action the cases have now, most urgent first."
    )


@router.get(
    "/cases-by-patch",
    response_model=CasesByPatch,
    responses=ERROR_RESPONSES,
    summary="Cases and collectable arrears by patch",
)
def get_cases_by_patch(
    engine: DatabaseEngine, user: Reader, service_area: AreaQuery
) -> CasesByPatch:
    ensure_service_area(user, service_area)
    rows = [
        PatchArrears.model_validate(row)
        for row in reports.cases_by_patch(engine, service_area=service_area.value)
    ]
    return CasesByPatch(
        service_area=service_area,
        case_count=sum(row.case_count for row in rows),
        collectable_arrears=sum((row.collectable_arrears for row in rows), Decimal(0)),
        results=rows,
    )


@router.get(
    "/cases-by-action",
    response_model=CasesByAction,
    responses=ERROR_RESPONSES,
    summary="Cases and collectable arrears by next recommended action",
)
def get_cases_by_action(
    engine: DatabaseEngine, user: Reader, service_area: AreaQuery
) -> CasesByAction:
    ensure_service_area(user, service_area)
    rows = [
        ActionCases.model_validate(row)
        for row in reports.cases_by_action(engine, service_area=service_area.value)
    ]
    return CasesByAction(
        service_area=service_area,
        case_count=sum(row.case_count for row in rows),
        collectable_arrears=sum((row.collectable_arrears for row in rows), Decimal(0)),
        results=rows,
    )


@router.get(
    "/action-changes",
    response_model=ActionChanges,
    responses=ERROR_RESPONSES,
    summary="Cases whose recommended action changed since a moment",
    description="A case counts once, under the action it has now, if a sync or a "
    "caseworker's action changed its recommended action at or after `since`. Cases "
    "classified for the first time (new in arrears) are not changes and are left out; cases "
    "closed since are gone.",
)
def get_action_changes(
    engine: DatabaseEngine,
    user: Reader,
    service_area: AreaQuery,
    since: Annotated[
        Instant,
        Query(
            description="From this instant (ISO 8601; without a zone, UTC), e.g. the start of "
            "the week."
        ),
    ],
) -> ActionChanges:
    ensure_service_area(user, service_area)
    rows = [
        ActionChangeCount.model_validate(row)
        for row in reports.action_changes(engine, service_area=service_area.value, since=since)
    ]
    return ActionChanges(
        service_area=service_area,
        since=since,
        case_count=sum(row.case_count for row in rows),
        results=rows,
    )
