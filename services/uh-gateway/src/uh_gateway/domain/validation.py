"""Input rules for what the gateway accepts and writes to UH (universal-housing.md §1, §5.4);
contact phone numbers and emails follow `ma_shared.contact_details`."""

from __future__ import annotations

import re
from typing import Final

PAYMENT_REF_PATTERN: Final = r"^[0-9]{10}$"
ACTION_CODE_PATTERN: Final = r"^[A-Z0-9]{1,3}$"
PATCH_CODE_PATTERN: Final = r"^[A-Z0-9]{3}$"

UH_USERNAME_LENGTH: Final = 40
# araction.action_comment is `text` in UH; bounded here so one request cannot write megabytes
# into the diary the caseworkers read.
MAX_DIARY_COMMENT_LENGTH: Final = 2000
# araction.action_balance is numeric(7,2).
MAX_ACTION_BALANCE: Final = 99999.99


def uh_username(name: str) -> str:
    """A name that fits UH's username column (varchar(40)).

    Names of 40 characters or more become initials plus surname, as Manage Arrears always
    wrote them: "Hubert Wolfeschlegelsteinhausenbergerdorff" becomes
    "H. Wolfeschlegelsteinhausenbergerdorff".
    """
    cleaned = " ".join(name.split())
    if len(cleaned) < UH_USERNAME_LENGTH:
        return cleaned
    *given, surname = cleaned.split(" ")
    short = ". ".join([*(part[0].upper() for part in given), surname.capitalize()])
    return short[:UH_USERNAME_LENGTH]


_UK_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2})$", re.IGNORECASE
)


def is_uk_postcode(postcode: str | None) -> bool:
    return bool(postcode) and bool(_UK_POSTCODE.match(postcode.strip()))  # type: ignore[union-attr]
