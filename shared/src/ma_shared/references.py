"""The references every service takes in its paths: one rule for what a tenancy ref is."""

from __future__ import annotations

import re
from typing import Annotated, Final

from fastapi import Depends, Path

from ma_shared.errors import ErrorDetail, ValidationFailed

# UH's `tag_ref`: 6 or 7 digits, a slash, 2 digits (e.g. 012345/01).
TENANCY_REF_PATTERN: Final = r"^[0-9]{6,7}/[0-9]{2}$"
_TENANCY_REF = re.compile(TENANCY_REF_PATTERN)


def tenancy_ref_in_path(
    tenancy_ref: Annotated[
        str,
        Path(
            description="Tenancy agreement reference, e.g. `012345/01` (send `/` as `%2F` or "
            "as it is).",
            examples=["012345/01"],
        ),
    ],
) -> str:
    ref = tenancy_ref.strip()
    if not _TENANCY_REF.match(ref):
        raise ValidationFailed(
            "The tenancy reference is not valid.",
            details=[
                ErrorDetail(
                    field="tenancy_ref",
                    code="invalid_tenancy_ref",
                    message="A tenancy reference is 6 or 7 digits, '/', 2 digits, e.g. 012345/01.",
                )
            ],
        )
    return ref


TenancyRef = Annotated[str, Depends(tenancy_ref_in_path)]
