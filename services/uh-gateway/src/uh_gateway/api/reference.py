"""Reference data: patches, action codes, payment references."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from ma_shared.auth import Reader
from ma_shared.errors import ERROR_RESPONSES, ErrorBody
from ma_shared.vocabulary import ServiceArea
from uh_gateway.api.deps import Reads
from uh_gateway.domain.codes import ACTION_CODES
from uh_gateway.domain.models import CodeAndName, LetterDataLookup, Patch, PaymentReference
from uh_gateway.domain.validation import PAYMENT_REF_PATTERN

router = APIRouter(prefix="/api/v1", tags=["reference"], responses=ERROR_RESPONSES)


@router.get("/patches", response_model=list[Patch], summary="Arrears patches with account counts")
def list_patches(
    reads: Reads,
    _: Reader,
    service_area: Annotated[
        ServiceArea | None, Query(description="Rent or leasehold only.")
    ] = None,
) -> list[Patch]:
    return reads.patches(service_area)


@router.get(
    "/action-codes",
    response_model=list[CodeAndName],
    summary="Action diary codes the gateway accepts",
)
def list_action_codes(_: Reader) -> list[CodeAndName]:
    return [CodeAndName(code=code, name=name) for code, name in sorted(ACTION_CODES.items())]


@router.get(
    "/payment-references/{payment_ref}",
    response_model=PaymentReference,
    responses={404: {"model": ErrorBody, "description": "No account has this reference."}},
    summary="Which tenancy a payment reference belongs to",
)
def find_payment_reference(
    reads: Reads,
    _: Reader,
    payment_ref: Annotated[str, Path(pattern=PAYMENT_REF_PATTERN, description="10 digits.")],
) -> PaymentReference:
    return reads.payment_reference(payment_ref)


class LetterDataSearch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service_area: ServiceArea = Field(description="The letters' service area.")
    payment_refs: list[Annotated[str, Field(pattern=PAYMENT_REF_PATTERN)]] = Field(
        min_length=1, max_length=2000, description="Payment references (10 digits each)."
    )


class LetterDataResults(BaseModel):
    results: list[LetterDataLookup] = Field(description="One per payment reference, in order.")


@router.post(
    "/letter-data/search",
    response_model=LetterDataResults,
    summary="Letter data for many payment references at once (bulk letters)",
)
def search_letter_data(reads: Reads, _: Reader, body: LetterDataSearch) -> LetterDataResults:
    return LetterDataResults(
        results=reads.letter_data_for_payment_refs(body.service_area, body.payment_refs)
    )
