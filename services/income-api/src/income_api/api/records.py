"""Agreements, court cases, evictions and vulnerabilities of a case."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from income_api.api.deps import Clock, DbSession, Dispatcher, Sync
from income_api.api.idempotency import OncePerKey
from income_api.api.schemas import (
    AgreementCancel,
    AgreementCreate,
    AgreementRead,
    ApiModel,
    CourtCaseRead,
    CourtCaseWrite,
    EvictionCreate,
    EvictionRead,
    VulnerabilityCreate,
    VulnerabilityRead,
    VulnerabilityReview,
)
from income_api.use_cases import case_actions, case_read
from ma_shared.auth import Reader, Writer
from ma_shared.errors import ERROR_RESPONSES, ErrorBody
from ma_shared.references import TenancyRef
from ma_shared.uk_time import london_date

router = APIRouter(prefix="/api/v1", tags=["agreements, court cases, evictions, vulnerabilities"])

RESPONSES: dict[int | str, dict[str, object]] = {
    **ERROR_RESPONSES,
    404: {"model": ErrorBody, "description": "No such case or record."},
    409: {"model": ErrorBody, "description": "The change conflicts with the case's state."},
}
AgreementId = Annotated[
    int, Path(ge=1, description="The agreement's `id` (from the case's `agreements`).")
]
CourtCaseId = Annotated[
    int, Path(ge=1, description="The court case's `id` (from the case's `court_cases`).")
]
VulnerabilityId = Annotated[
    int,
    Path(ge=1, description="The vulnerability's `id` (from the case's `vulnerabilities`)."),
]


class Agreements(ApiModel):
    agreements: list[AgreementRead]


class CourtCases(ApiModel):
    court_cases: list[CourtCaseRead]


class Evictions(ApiModel):
    evictions: list[EvictionRead]


class Vulnerabilities(ApiModel):
    vulnerabilities: list[VulnerabilityRead]


def _agreements(session: DbSession, tenancy_ref: str, user: Reader) -> Agreements:
    case_actions.load_case(session, tenancy_ref, user)
    return Agreements(agreements=case_read.agreements_of(session, tenancy_ref))


@router.get(
    "/cases/{tenancy_ref:path}/agreements",
    response_model=Agreements,
    responses=RESPONSES,
    summary="A case's agreements with their state history",
)
def list_agreements(session: DbSession, user: Reader, tenancy_ref: TenancyRef) -> Agreements:
    return _agreements(session, tenancy_ref, user)


@router.post(
    "/cases/{tenancy_ref:path}/agreements",
    status_code=status.HTTP_201_CREATED,
    response_model=AgreementRead,
    responses=RESPONSES,
    summary="Make an agreement (informal, or formal under a court case); other active "
    "agreements are cancelled; `AGR` is written to UH's diary",
)
async def create_agreement(
    session: DbSession,
    dispatcher: Dispatcher,
    sync: Sync,
    once: OncePerKey,
    user: Writer,
    tenancy_ref: TenancyRef,
    body: AgreementCreate,
) -> JSONResponse:
    async def write() -> tuple[int, BaseModel]:
        agreement, diary_id = await asyncio.to_thread(
            case_actions.create_agreement, session, tenancy_ref=tenancy_ref, body=body, user=user
        )
        await case_actions.deliver_and_refresh(
            dispatcher=dispatcher, sync=sync, tenancy_ref=tenancy_ref, diary_ids=[diary_id]
        )
        return status.HTTP_201_CREATED, await asyncio.to_thread(
            _one_agreement, session, tenancy_ref, agreement.id
        )

    return await once.run(user, body, write)


def _one_agreement(session: DbSession, tenancy_ref: str, agreement_id: int) -> AgreementRead:
    session.expire_all()
    return next(a for a in case_read.agreements_of(session, tenancy_ref) if a.id == agreement_id)


@router.post(
    "/agreements/{agreement_id}/cancel",
    response_model=AgreementRead,
    responses=RESPONSES,
    summary="Cancel an agreement, with a reason (an inactive one is returned unchanged)",
)
async def cancel_agreement(
    session: DbSession,
    dispatcher: Dispatcher,
    sync: Sync,
    once: OncePerKey,
    user: Writer,
    agreement_id: AgreementId,
    body: AgreementCancel,
) -> JSONResponse:
    async def write() -> tuple[int, BaseModel]:
        agreement = await asyncio.to_thread(
            case_actions.cancel_agreement,
            session,
            agreement_id=agreement_id,
            reason=body.reason,
            user=user,
        )
        await case_actions.deliver_and_refresh(
            dispatcher=dispatcher, sync=sync, tenancy_ref=agreement.tenancy_ref, diary_ids=[]
        )
        return status.HTTP_200_OK, await asyncio.to_thread(
            _one_agreement, session, agreement.tenancy_ref, agreement.id
        )

    return await once.run(user, body, write)


@router.post(
    "/cases/{tenancy_ref:path}/agreements/check",
    response_model=Agreements,
    responses=RESPONSES,
    summary="Check the case's agreement for breach now (the nightly sync does it for all)",
)
async def check_agreements(
    session: DbSession, sync: Sync, user: Writer, tenancy_ref: TenancyRef
) -> Agreements:
    await asyncio.to_thread(case_actions.load_case, session, tenancy_ref, user)
    await sync.refresh([tenancy_ref])
    session.expire_all()
    return await asyncio.to_thread(_agreements, session, tenancy_ref, user)


@router.get(
    "/cases/{tenancy_ref:path}/court-cases",
    response_model=CourtCases,
    responses=RESPONSES,
    summary="A case's court cases",
)
def list_court_cases(session: DbSession, user: Reader, tenancy_ref: TenancyRef) -> CourtCases:
    case_actions.load_case(session, tenancy_ref, user)
    return CourtCases(court_cases=case_read.court_cases_of(session, tenancy_ref))


@router.post(
    "/cases/{tenancy_ref:path}/court-cases",
    status_code=status.HTTP_201_CREATED,
    response_model=CourtCaseRead,
    responses=RESPONSES,
    summary="Record a court case; `CDS` is written to UH's diary",
)
async def create_court_case(
    session: DbSession,
    dispatcher: Dispatcher,
    sync: Sync,
    once: OncePerKey,
    user: Writer,
    tenancy_ref: TenancyRef,
    body: CourtCaseWrite,
) -> JSONResponse:
    async def write() -> tuple[int, BaseModel]:
        court_case, diary_id = await asyncio.to_thread(
            case_actions.create_court_case, session, tenancy_ref=tenancy_ref, body=body, user=user
        )
        await case_actions.deliver_and_refresh(
            dispatcher=dispatcher, sync=sync, tenancy_ref=tenancy_ref, diary_ids=[diary_id]
        )
        return status.HTTP_201_CREATED, case_read.court_case_read(court_case)

    return await once.run(user, body, write)


@router.patch(
    "/court-cases/{court_case_id}",
    response_model=CourtCaseRead,
    responses=RESPONSES,
    summary="Update a court case (only the fields sent); an outcome writes `IC6` to UH's diary",
)
async def update_court_case(
    session: DbSession,
    dispatcher: Dispatcher,
    sync: Sync,
    once: OncePerKey,
    user: Writer,
    court_case_id: CourtCaseId,
    body: CourtCaseWrite,
) -> JSONResponse:
    async def write() -> tuple[int, BaseModel]:
        court_case, diary_ids = await asyncio.to_thread(
            case_actions.update_court_case,
            session,
            court_case_id=court_case_id,
            body=body,
            user=user,
        )
        await case_actions.deliver_and_refresh(
            dispatcher=dispatcher,
            sync=sync,
            tenancy_ref=court_case.tenancy_ref,
            diary_ids=diary_ids,
        )
        return status.HTTP_200_OK, case_read.court_case_read(court_case)

    return await once.run(user, body, write)


@router.get(
    "/cases/{tenancy_ref:path}/evictions",
    response_model=Evictions,
    responses=RESPONSES,
    summary="A case's eviction dates",
)
def list_evictions(session: DbSession, user: Reader, tenancy_ref: TenancyRef) -> Evictions:
    case_actions.load_case(session, tenancy_ref, user)
    return Evictions(evictions=case_read.evictions_of(session, tenancy_ref))


@router.post(
    "/cases/{tenancy_ref:path}/evictions",
    status_code=status.HTTP_201_CREATED,
    response_model=EvictionRead,
    responses=RESPONSES,
    summary="Record an eviction date; `EDS` is written to UH's diary",
)
async def create_eviction(
    session: DbSession,
    dispatcher: Dispatcher,
    sync: Sync,
    once: OncePerKey,
    user: Writer,
    tenancy_ref: TenancyRef,
    body: EvictionCreate,
) -> JSONResponse:
    async def write() -> tuple[int, BaseModel]:
        eviction, diary_id = await asyncio.to_thread(
            case_actions.create_eviction, session, tenancy_ref=tenancy_ref, body=body, user=user
        )
        await case_actions.deliver_and_refresh(
            dispatcher=dispatcher, sync=sync, tenancy_ref=tenancy_ref, diary_ids=[diary_id]
        )
        return status.HTTP_201_CREATED, EvictionRead.model_validate(eviction)

    return await once.run(user, body, write)


@router.get(
    "/cases/{tenancy_ref:path}/vulnerabilities",
    response_model=Vulnerabilities,
    responses=RESPONSES,
    summary="A resident's recorded vulnerabilities (current and ended)",
)
def list_vulnerabilities(
    session: DbSession, clock: Clock, user: Reader, tenancy_ref: TenancyRef
) -> Vulnerabilities:
    case_actions.load_case(session, tenancy_ref, user)
    return Vulnerabilities(
        vulnerabilities=case_read.vulnerabilities_of(session, tenancy_ref, london_date(clock.now()))
    )


@router.post(
    "/cases/{tenancy_ref:path}/vulnerabilities",
    status_code=status.HTTP_201_CREATED,
    response_model=VulnerabilityRead,
    responses=RESPONSES,
    summary="Record a vulnerability (category, note, review date)",
)
async def record_vulnerability(
    session: DbSession,
    clock: Clock,
    once: OncePerKey,
    user: Writer,
    tenancy_ref: TenancyRef,
    body: VulnerabilityCreate,
) -> JSONResponse:
    async def write() -> tuple[int, BaseModel]:
        vulnerability = await asyncio.to_thread(
            case_actions.record_vulnerability,
            session,
            tenancy_ref=tenancy_ref,
            body=body,
            user=user,
        )
        return status.HTTP_201_CREATED, case_read.vulnerability_read(
            vulnerability, london_date(clock.now())
        )

    return await once.run(user, body, write)


@router.patch(
    "/vulnerabilities/{vulnerability_id}",
    response_model=VulnerabilityRead,
    responses=RESPONSES,
    summary="Review a vulnerability: set the next review date, update the note, or end it",
)
async def review_vulnerability(
    session: DbSession,
    clock: Clock,
    once: OncePerKey,
    user: Writer,
    vulnerability_id: VulnerabilityId,
    body: VulnerabilityReview,
) -> JSONResponse:
    async def write() -> tuple[int, BaseModel]:
        vulnerability = await asyncio.to_thread(
            case_actions.review_vulnerability,
            session,
            vulnerability_id=vulnerability_id,
            body=body,
            user=user,
        )
        return status.HTTP_200_OK, case_read.vulnerability_read(
            vulnerability, london_date(clock.now())
        )

    return await once.run(user, body, write)
