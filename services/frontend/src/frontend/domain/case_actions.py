"""The choices a caseworker makes on a case's action pages: the UH diary code a pause is recorded
under, and the action codes offered for a diary entry (frontend-and-notify.md A.5.5, A.5.6).
Pure lists and lookups; the words come from `labels`."""

from __future__ import annotations

from typing import Final

from ma_shared.action_codes import ACTION_CODE_NAMES

# Each pause reason's diary code, as the old app recorded them (Court date set → CDS, Promise
# of payment → POP, …), extended to income-api's longer list; `GEN` general note otherwise.
PAUSE_DIARY_CODES: Final[dict[str, str]] = {
    "Court date set": "CDS",
    "Eviction date set": "EDS",
    "Delayed benefit": "MBH",
    "Awaiting Universal Credit": "UCC",
    "Debt advice": "DEB",
    "Death of tenant": "DEC",
    "Hospital": "GEN",
    "Housing Benefit claim": "MHB",
    "Payment promised": "POP",
    "Vulnerability": "VUN",
    "Missing Data": "RMD",
    "Other": "GEN",
}

# The codes a caseworker may write by hand (A.5.6): the rest are written by the system (letters,
# texts, agreements, court cases) or only shown.
_DIARY_ENTRY_CODES: Final = (
    "ADG",
    "ADT",
    "BLI",
    "CAP",
    "CAW",
    "CBL",
    "CBV",
    "CDL",
    "CDS",
    "CVB",
    "CVD",
    "DDC",
    "DEB",
    "DEC",
    "DPQ",
    "EDS",
    "EVI",
    "FIC",
    "FIO",
    "FIV",
    "HBO",
    "IC4",
    "IC5",
    "IC6",
    "INC",
    "MBH",
    "MHB",
    "MJA",
    "NTS",
    "OFI",
    "OOC",
    "OTC",
    "POP",
    "PPO",
    "SPO",
    "UCC",
    "VIM",
    "VIU",
    "WPA",
)
DIARY_ENTRY_CODES: Final[dict[str, str]] = dict(
    sorted(
        ((code, ACTION_CODE_NAMES[code]) for code in _DIARY_ENTRY_CODES),
        key=lambda item: item[1].lower(),
    )
)


def pause_diary_code(reason: str) -> str:
    return PAUSE_DIARY_CODES.get(reason, "GEN")
