"""UH records the caseworkers' app reads through income-api, which is the only API it calls
besides comms-api: tenancy search, the arrears patches, and a case's transactions and action
diary a page at a time (the case page's timeline)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field
from sqlalchemy import select

from income_api.api.deps import DbSession, Gateway
from income_api.api.schemas import ApiModel, Money
from income_api.domain.terms import ServiceArea
from income_api.gateways.tables import Case
from income_api.use_cases.access import ensure_service_area, service_areas_for
from income_api.use_cases.case_actions import load_case
from ma_shared.auth import Reader, User
from ma_shared.errors import ERROR_RESPONSES, ErrorBody, ValidationFailed
from ma_shared.references import TenancyRef

router = APIRouter(prefix="/api/v1", tags=["UH records"])

RESPONSES: dict[int | str, dict[str, object]] = {
    **ERROR_RESPONSES,
    503: {"model": ErrorBody, "description": "uh-gateway (UH) cannot be reached."},
}
CASE_RESPONSES: dict[int | str, dict[str, object]] = {
    **RESPONSES,
    404: {"model": ErrorBody, "description": "No arrears case for this tenancy."},
}
Cursor = Annotated[
    str | None, Query(description="`next_cursor` from the previous page; absent for the first.")
]


class TenancySearchResult(ApiModel):
    tenancy_ref: str
    payment_ref: str | None
    service_area: ServiceArea
    tenure: str | None = Field(description="UH's tenure description, e.g. `Secure`.")
    tenant_names: str | None = Field(
        description="The responsible household members' names, joined by ` & `."
    )
    short_address: str | None = Field(description="The property's address on one line.")
    postcode: str | None = Field(description="The property's postcode.")
    patch_code: str | None
    current_balance: Money = Field(
        description="UH current balance in pounds (decimal string); positive is arrears."
    )
    terminated: bool = Field(description="The tenancy has ended.")
    has_case: bool = Field(
        description="Manage Arrears has an arrears case for it (`GET /api/v1/cases/{ref}`) "
        "that the caller may open."
    )


class TenancySearchPage(ApiModel):
    results: list[TenancySearchResult]
    page: int = Field(description="This page's number, from 1.")
    page_size: int = Field(description="Results per page.")
    total: int = Field(description="How many tenancies match in all.")


class PatchRead(ApiModel):
    code: str = Field(description="The patch code, e.g. `E01`.")
    name: str = Field(description="UH's name for the patch, e.g. `Arrears East Patch 1`.")
    service_area: ServiceArea
    accounts_in_arrears: int = Field(description="Open accounts on the patch in arrears.")


class UhRecordsPage(ApiModel):
    results: list[dict[str, Any]] = Field(
        description="Newest first, as uh-gateway returns them (transactions: `posted_at`, "
        "`type_code`, `type_description`, `kind`, `amount`, `balance_after`; diary entries: "
        "`action_date`, `action_code`, `action_name`, `comment`, `username`, `balance`)."
    )
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


def _with_cases(user: User, found: dict[str, Any], cases: dict[str, str]) -> TenancySearchPage:
    allowed = service_areas_for(user)
    results = [
        TenancySearchResult.model_validate(
            {
                **item,
                "tenure": (item.get("tenure") or {}).get("name"),
                "has_case": item["tenancy_ref"] in cases
                and ServiceArea(cases[item["tenancy_ref"]]) in allowed,
            }
        )
        for item in found["results"]
    ]
    return TenancySearchPage(
        results=results, page=found["page"], page_size=found["page_size"], total=found["total"]
    )


def _service_areas_of(session: DbSession, refs: list[str]) -> dict[str, str]:
    rows = session.execute(
        select(Case.tenancy_ref, Case.service_area).where(Case.tenancy_ref.in_(refs))
    )
    return {str(ref): str(area) for ref, area in rows}


@router.get(
    "/tenancies",
    response_model=TenancySearchPage,
    responses=RESPONSES,
    summary="Search UH's tenancies by reference, name, postcode or address",
    description="Forwards to uh-gateway's search; `has_case` says which results have an "
    "arrears case the caller may open.",
)
async def search_tenancies(
    session: DbSession,
    gateway: Gateway,
    user: Reader,
    q: Annotated[
        str,
        Query(
            min_length=2,
            max_length=100,
            description="Tenancy ref, payment ref, tenant's name, postcode or part of an address.",
        ),
    ],
    page: Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1.")] = 1,
    page_size: Annotated[int, Query(ge=1, le=100, description="Results per page.")] = 20,
) -> TenancySearchPage:
    found = await gateway.search_tenancies(q.strip(), page=page, page_size=page_size)
    refs = [item["tenancy_ref"] for item in found["results"]]
    cases = await asyncio.to_thread(_service_areas_of, session, refs)
    return _with_cases(user, found, cases)


@router.get(
    "/patches",
    response_model=list[PatchRead],
    responses=RESPONSES,
    summary="The arrears patches of a service area (UH's list)",
)
async def list_patches(
    gateway: Gateway,
    user: Reader,
    service_area: Annotated[ServiceArea, Query(description="`rent` or `leasehold`.")],
) -> list[PatchRead]:
    ensure_service_area(user, service_area)
    patches = await gateway.patches(service_area)
    return [PatchRead.model_validate(patch) for patch in patches]


@router.get(
    "/cases/{tenancy_ref:path}/transactions",
    response_model=UhRecordsPage,
    responses=CASE_RESPONSES,
    summary="A case's UH transactions, newest first, a page at a time",
)
async def list_transactions(
    session: DbSession,
    gateway: Gateway,
    user: Reader,
    tenancy_ref: TenancyRef,
    limit: Annotated[int, Query(ge=1, le=500, description="Transactions per page.")] = 100,
    cursor: Cursor = None,
    posted_from: Annotated[
        dt.date | None, Query(alias="from", description="Posted on or after this day.")
    ] = None,
    posted_to: Annotated[
        dt.date | None, Query(alias="to", description="Posted on or before this day.")
    ] = None,
) -> UhRecordsPage:
    if posted_from and posted_to and posted_from > posted_to:
        raise ValidationFailed("`from` must not be after `to`.", code="invalid_date_range")
    await asyncio.to_thread(load_case, session, tenancy_ref, user)
    page = await gateway.transactions(
        tenancy_ref, limit=limit, cursor=cursor, posted_from=posted_from, posted_to=posted_to
    )
    return UhRecordsPage.model_validate(page)


@router.get(
    "/cases/{tenancy_ref:path}/action-diary",
    response_model=UhRecordsPage,
    responses=CASE_RESPONSES,
    summary="A case's UH action diary, newest first, a page at a time",
)
async def list_action_diary(
    session: DbSession,
    gateway: Gateway,
    user: Reader,
    tenancy_ref: TenancyRef,
    limit: Annotated[int, Query(ge=1, le=500, description="Entries per page.")] = 50,
    cursor: Cursor = None,
) -> UhRecordsPage:
    await asyncio.to_thread(load_case, session, tenancy_ref, user)
    page = await gateway.action_diary(tenancy_ref, limit=limit, cursor=cursor)
    return UhRecordsPage.model_validate(page)
