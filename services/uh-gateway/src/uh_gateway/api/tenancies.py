"""Tenancies: search, detail, transactions, action diary, contacts, UH agreements, letter data,
and the writes (diary entries, NOSP served, contact details)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ma_shared.auth import Reader, Writer
from ma_shared.contact_details import is_valid_email, normalise_uk_phone
from ma_shared.errors import ERROR_RESPONSES, ErrorBody, ValidationFailed
from ma_shared.glossary import describe_from
from ma_shared.references import TenancyRef
from ma_shared.uk_time import london_date
from uh_gateway.api.deps import (
    Idempotency,
    IdempotencyKey,
    Reads,
    Writes,
    run_idempotently,
)
from uh_gateway.domain.codes import ACTION_CODES
from uh_gateway.domain.glossary import GLOSSARY
from uh_gateway.domain.models import (
    ActionDiaryEntry,
    ApiModel,
    Contact,
    CursorPage,
    LeaseholdLetterData,
    NumberedPage,
    RentLetterData,
    TenancyContacts,
    TenancyDetail,
    TenancySummary,
    Transaction,
    UhAgreement,
)
from uh_gateway.domain.validation import MAX_DIARY_COMMENT_LENGTH
from uh_gateway.gateways.uh_writes import ContactChanges
from uh_gateway.use_cases import writes as writes_use_cases

router = APIRouter(prefix="/api/v1/tenancies", tags=["tenancies"], responses=ERROR_RESPONSES)

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such tenancy in UH."}
}
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    409: {"model": ErrorBody, "description": "Idempotency-Key reused for another request."},
}

Limit = Annotated[int, Query(ge=1, le=500, description="Results per page.")]
Cursor = Annotated[str | None, Query(description="`next_cursor` from the previous page.")]


class StrictModel(BaseModel):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra=describe_from(GLOSSARY)
    )


class ActionDiaryEntryCreate(StrictModel):
    action_code: str = Field(
        description="A UH action code, e.g. `OTC` outgoing call; see `GET /api/v1/action-codes`."
    )
    comment: str = Field(min_length=1, max_length=MAX_DIARY_COMMENT_LENGTH)
    username: str | None = Field(
        default=None,
        max_length=200,
        description="Who did it. Only a service token may name someone; a caseworker's own "
        "token always writes their name. Names of 40+ characters are shortened for UH.",
    )

    @field_validator("action_code")
    @classmethod
    def known_action_code(cls, value: str) -> str:
        code = value.upper()
        if code not in ACTION_CODES:
            raise ValueError(f"{value!r} is not a UH action code")
        return code


class NospCreate(StrictModel):
    served_date: dt.date = Field(description="When the NOSP was served.")
    expiry_date: dt.date | None = Field(
        default=None, description="When its notice period ends; default served date + 28 days."
    )
    comment: str | None = Field(default=None, max_length=MAX_DIARY_COMMENT_LENGTH)
    username: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def dates_make_sense(self) -> NospCreate:
        today = london_date(dt.datetime.now(tz=dt.UTC))  # served today in London is allowed
        if self.served_date > today:
            raise ValueError("served_date cannot be in the future")
        if self.served_date.year < 2000:
            raise ValueError("served_date is too far in the past")
        if self.expiry_date is not None and self.expiry_date <= self.served_date:
            raise ValueError("expiry_date must be after served_date")
        return self


class ContactUpdate(StrictModel):
    mobile_phone: str | None = Field(default=None, description='UK number; "" clears it.')
    home_phone: str | None = None
    work_phone: str | None = None
    email_address: str | None = Field(default=None, description='"" clears it.')

    @field_validator("mobile_phone", "home_phone", "work_phone")
    @classmethod
    def uk_phone(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return value
        normalised = normalise_uk_phone(value)
        if normalised is None:
            raise ValueError("not a UK phone number")
        return normalised

    @field_validator("email_address")
    @classmethod
    def email(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return value
        if not is_valid_email(value):
            raise ValueError("not a valid email address (at most 50 characters)")
        return value

    @model_validator(mode="after")
    def something_to_change(self) -> ContactUpdate:
        if all(v is None for v in self.model_dump().values()):
            raise ValueError(
                "give at least one of mobile_phone, home_phone, work_phone, email_address"
            )
        return self


class NospRecorded(ApiModel):
    tenancy_ref: str
    served_date: dt.date
    expiry_date: dt.date
    diary_entry: ActionDiaryEntry


@router.get("", response_model=NumberedPage[TenancySummary], summary="Search tenancies")
def search_tenancies(
    reads: Reads,
    _: Reader,
    q: Annotated[
        str,
        Query(
            min_length=2,
            max_length=100,
            description="Tenancy ref, payment ref, tenant's name, postcode or part of an address.",
        ),
    ],
    page: Annotated[int, Query(ge=1, description="Page number, from 1.")] = 1,
    page_size: Annotated[int, Query(ge=1, le=100, description="Results per page.")] = 20,
) -> NumberedPage[TenancySummary]:
    return reads.search(q, page, page_size)


@router.get(
    "/{tenancy_ref:path}/transactions",
    response_model=CursorPage[Transaction],
    responses=NOT_FOUND,
    summary="A tenancy's transactions, newest first, with the running balance",
)
def list_transactions(
    reads: Reads,
    _: Reader,
    tenancy_ref: TenancyRef,
    limit: Limit = 100,
    cursor: Cursor = None,
    posted_from: Annotated[dt.date | None, Query(alias="from", description="First day.")] = None,
    posted_to: Annotated[dt.date | None, Query(alias="to", description="Last day.")] = None,
) -> CursorPage[Transaction]:
    if posted_from and posted_to and posted_from > posted_to:
        raise ValidationFailed("`from` must not be after `to`.", code="invalid_date_range")
    return reads.transactions(
        tenancy_ref, limit=limit, cursor=cursor, posted_from=posted_from, posted_to=posted_to
    )


@router.get(
    "/{tenancy_ref:path}/action-diary",
    response_model=CursorPage[ActionDiaryEntry],
    responses=NOT_FOUND,
    summary="A tenancy's arrears action diary, newest first",
)
def list_action_diary(
    reads: Reads, _: Reader, tenancy_ref: TenancyRef, limit: Limit = 50, cursor: Cursor = None
) -> CursorPage[ActionDiaryEntry]:
    return reads.action_diary(tenancy_ref, limit=limit, cursor=cursor)


@router.post(
    "/{tenancy_ref:path}/action-diary",
    status_code=status.HTTP_201_CREATED,
    response_model=ActionDiaryEntry,
    responses=WRITE_RESPONSES,
    summary="Add an action diary entry in UH",
)
def add_action_diary_entry(
    request: Request,
    writes: Writes,
    idempotency: Idempotency,
    user: Writer,
    tenancy_ref: TenancyRef,
    body: ActionDiaryEntryCreate,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    def write() -> tuple[int, BaseModel]:
        written = writes_use_cases.add_action_diary_entry(
            writes=writes,
            user=user,
            tenancy_ref=tenancy_ref,
            action_code=body.action_code,
            comment=body.comment,
            username=body.username,
            idempotency_key=idempotency_key,
        )
        return (201 if written.created else 200), written.entry

    return run_idempotently(
        store=idempotency, key=idempotency_key, request=request, body=body, write=write
    )


@router.post(
    "/{tenancy_ref:path}/nosp",
    status_code=status.HTTP_201_CREATED,
    response_model=NospRecorded,
    responses=WRITE_RESPONSES,
    summary="Record that a Notice of Seeking Possession was served",
)
def record_nosp(
    request: Request,
    writes: Writes,
    idempotency: Idempotency,
    user: Writer,
    tenancy_ref: TenancyRef,
    body: NospCreate,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    def write() -> tuple[int, BaseModel]:
        expiry, written = writes_use_cases.record_nosp(
            writes=writes,
            user=user,
            tenancy_ref=tenancy_ref,
            served_date=body.served_date,
            expiry_date=body.expiry_date,
            comment=body.comment,
            username=body.username,
            idempotency_key=idempotency_key,
        )
        recorded = NospRecorded(
            tenancy_ref=tenancy_ref,
            served_date=body.served_date,
            expiry_date=expiry,
            diary_entry=written.entry,
        )
        return (201 if written.created else 200), recorded

    return run_idempotently(
        store=idempotency, key=idempotency_key, request=request, body=body, write=write
    )


@router.get(
    "/{tenancy_ref:path}/contacts",
    response_model=TenancyContacts,
    responses=NOT_FOUND,
    summary="Household members and their phone numbers and email addresses",
)
def get_contacts(reads: Reads, _: Reader, tenancy_ref: TenancyRef) -> TenancyContacts:
    return reads.contacts(tenancy_ref)


@router.patch(
    "/{tenancy_ref:path}/contacts/{contact_id}",
    response_model=Contact,
    responses=WRITE_RESPONSES,
    summary="Change a contact's phone numbers or email address",
)
def update_contact(
    request: Request,
    writes: Writes,
    idempotency: Idempotency,
    _: Writer,
    tenancy_ref: TenancyRef,
    contact_id: Annotated[int, Path(description="The contact's `id` from GET …/contacts.")],
    body: ContactUpdate,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    changes = ContactChanges(**body.model_dump())
    return run_idempotently(
        store=idempotency,
        key=idempotency_key,
        request=request,
        body=body,
        write=lambda: (
            200,
            writes_use_cases.update_contact(
                writes=writes, tenancy_ref=tenancy_ref, contact_id=contact_id, changes=changes
            ),
        ),
    )


@router.get(
    "/{tenancy_ref:path}/agreements",
    response_model=list[UhAgreement],
    responses=NOT_FOUND,
    summary="Arrears agreements recorded in UH, newest first",
)
def list_agreements(reads: Reads, _: Reader, tenancy_ref: TenancyRef) -> list[UhAgreement]:
    return reads.agreements(tenancy_ref)


@router.get(
    "/{tenancy_ref:path}/rent-letter-data",
    response_model=RentLetterData,
    responses=NOT_FOUND,
    summary="Tenant name, address and balance for a rent letter",
)
def rent_letter_data(reads: Reads, _: Reader, tenancy_ref: TenancyRef) -> RentLetterData:
    return reads.rent_letter_data(tenancy_ref)


@router.get(
    "/{tenancy_ref:path}/leasehold-letter-data",
    response_model=LeaseholdLetterData,
    responses=NOT_FOUND,
    summary="Lessee, correspondence address and balances for a leasehold letter",
)
def leasehold_letter_data(reads: Reads, _: Reader, tenancy_ref: TenancyRef) -> LeaseholdLetterData:
    return reads.leasehold_letter_data(tenancy_ref)


@router.get(
    "/{tenancy_ref:path}",
    response_model=TenancyDetail,
    responses=NOT_FOUND,
    summary="A tenancy with its property, household, balances, NOSP, court and eviction",
)
def get_tenancy(reads: Reads, _: Reader, tenancy_ref: TenancyRef) -> TenancyDetail:
    return reads.tenancy(tenancy_ref)
