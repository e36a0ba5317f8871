"""Bulk arrears criteria (rent) and attributes (leasehold), and the changes feed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import APIRouter, Query

from ma_shared.auth import Reader
from ma_shared.errors import ERROR_RESPONSES, ErrorBody, NotFound, ValidationFailed
from ma_shared.references import TENANCY_REF_PATTERN, TenancyRef
from ma_shared.uk_time import london_date
from uh_gateway.api.deps import Criteria, Reads
from uh_gateway.domain.models import (
    ChangesPage,
    CriteriaPage,
    LeaseholdArrearsAttributes,
    RentArrearsCriteria,
    TenancyAgreements,
)
from uh_gateway.domain.validation import PATCH_CODE_PATTERN
from uh_gateway.gateways.uh_criteria import AccountFilter

router = APIRouter(prefix="/api/v1", tags=["arrears"], responses=ERROR_RESPONSES)

MAX_REFS = 500
PageSize = Annotated[int, Query(ge=1, le=5000, description="Accounts per page.")]
Cursor = Annotated[str | None, Query(description="`next_cursor` from the previous page.")]
AsOf = Annotated[
    dt.date | None,
    Query(description="The day to count 'this week' and 'days since' from; default today (UTC)."),
]
TenancyRefs = Annotated[
    list[str] | None,
    Query(
        alias="tenancy_ref",
        description=f"Only these tenancies (repeat the parameter, at most {MAX_REFS}); "
        "tenancies not in arrears are left out of the answer.",
    ),
]
Patches = Annotated[
    list[str] | None, Query(alias="patch", description="Only these arrears patches (repeat).")
]


def _account_filter(tenancy_refs: list[str] | None, patches: list[str] | None) -> AccountFilter:
    refs = tenancy_refs or []
    codes = [p.upper() for p in patches or []]
    if len(refs) > MAX_REFS:
        raise ValidationFailed(f"At most {MAX_REFS} tenancy refs at a time.", code="too_many_refs")
    bad = [r for r in refs if not re.match(TENANCY_REF_PATTERN, r)]
    bad += [p for p in codes if not re.match(PATCH_CODE_PATTERN, p)]
    if bad:
        raise ValidationFailed(f"Not valid: {', '.join(bad[:5])}.", code="invalid_filter")
    return AccountFilter(tenancy_refs=refs, patches=codes)


def _today() -> dt.date:
    """Today in London, the council's business day."""
    return london_date(dt.datetime.now(tz=dt.UTC))


@router.get(
    "/arrears-criteria/rent",
    response_model=CriteriaPage[RentArrearsCriteria],
    summary="Prioritisation criteria for every rent account in arrears",
    description="Secure, open master accounts with a positive balance, ordered by tenancy ref. "
    "Page through with `cursor`; each page is computed in five queries whatever its size.",
)
def rent_arrears_criteria(
    criteria: Criteria,
    _: Reader,
    cursor: Cursor = None,
    limit: PageSize = 1000,
    as_of: AsOf = None,
    tenancy_refs: TenancyRefs = None,
    patches: Patches = None,
) -> CriteriaPage[RentArrearsCriteria]:
    return criteria.rent(
        as_of=as_of or _today(),
        account_filter=_account_filter(tenancy_refs, patches),
        cursor=cursor,
        limit=limit,
    )


@router.get(
    "/arrears-criteria/leasehold",
    response_model=CriteriaPage[LeaseholdArrearsAttributes],
    summary="Worktray attributes for every leasehold account in arrears",
    description="Open leasehold service-charge (LSC) master accounts with a positive balance, "
    "freehold (FRE) excluded, ordered by tenancy ref.",
)
def leasehold_arrears_attributes(
    criteria: Criteria,
    _: Reader,
    cursor: Cursor = None,
    limit: PageSize = 1000,
    as_of: AsOf = None,
    tenancy_refs: TenancyRefs = None,
    patches: Patches = None,
) -> CriteriaPage[LeaseholdArrearsAttributes]:
    return criteria.leasehold(
        as_of=as_of or _today(),
        account_filter=_account_filter(tenancy_refs, patches),
        cursor=cursor,
        limit=limit,
    )


@router.get(
    "/tenancies/{tenancy_ref:path}/arrears-criteria",
    response_model=RentArrearsCriteria,
    responses={404: {"model": ErrorBody, "description": "Not a rent account in arrears."}},
    tags=["tenancies"],
    summary="Prioritisation criteria for one rent account in arrears",
)
def one_tenancy_criteria(
    criteria: Criteria, _: Reader, tenancy_ref: TenancyRef, as_of: AsOf = None
) -> RentArrearsCriteria:
    page = criteria.rent(
        as_of=as_of or _today(),
        account_filter=AccountFilter(tenancy_refs=[tenancy_ref]),
        cursor=None,
        limit=1,
    )
    if not page.results:
        raise NotFound(f"{tenancy_ref} is not a rent account in arrears.", code="not_in_arrears")
    return page.results[0]


@router.get(
    "/changes",
    response_model=ChangesPage,
    summary="Tenancies with new transactions or diary entries since a high-water mark",
    description="Call without `since` to get the current mark, then with the `next_since` "
    "of each answer. Keep calling at once while `has_more` is true.",
)
def changes(
    criteria: Criteria,
    _: Reader,
    since: Annotated[str | None, Query(description="`next_since` from the last call.")] = None,
    limit: Annotated[
        int, Query(ge=1, le=10000, description="At most this many new rows of each kind.")
    ] = 5000,
) -> ChangesPage:
    return criteria.changes(since, limit)


@router.get(
    "/arrears-agreements",
    response_model=list[TenancyAgreements],
    summary="UH arrears agreements of many tenancies at once",
    description=f"For migrating or auditing agreements in bulk: up to {MAX_REFS} tenancies per "
    "request, two queries whatever their number. Tenancies with no UH agreement are left out.",
)
def arrears_agreements(
    reads: Reads,
    _: Reader,
    tenancy_refs: Annotated[
        list[str],
        Query(
            alias="tenancy_ref",
            min_length=1,
            description=f"The tenancies (repeat the parameter, 1 to {MAX_REFS}).",
        ),
    ],
) -> list[TenancyAgreements]:
    refs = _account_filter(tenancy_refs, None).tenancy_refs
    return [
        TenancyAgreements(tenancy_ref=ref, agreements=agreements)
        for ref, agreements in sorted(reads.agreements_of(refs).items())
    ]
