"""Words every service uses for the same things: which arrears an account is in, and what a
court decided (income-rules §3.4). One definition, so a code means the same everywhere."""

from __future__ import annotations

from enum import StrEnum


class ServiceArea(StrEnum):
    RENT = "rent"
    LEASEHOLD = "leasehold"


class CourtOutcome(StrEnum):
    """Court outcome codes caseworkers record (income-rules §3.4)."""

    ADJOURNED_GENERALLY_WITH_PERMISSION_TO_RESTORE = "AGP"
    ADJOURNED_TO_NEXT_OPEN_DATE = "AND"
    ADJOURNED_TO_ANOTHER_HEARING_DATE = "AAH"
    ADJOURNED_FOR_DIRECTIONS_HEARING = "ADH"
    ADJOURNED_ON_TERMS = "ADT"
    OUTRIGHT_POSSESSION_FORTHWITH = "OPF"
    OUTRIGHT_POSSESSION_WITH_DATE = "OPD"
    SUSPENSION_ON_TERMS = "SOT"
    STRUCK_OUT = "STO"
    WITHDRAWN_ON_THE_DAY = "WIT"
    STAY_OF_EXECUTION = "SOE"


COURT_OUTCOME_DESCRIPTIONS: dict[CourtOutcome, str] = {
    CourtOutcome.ADJOURNED_GENERALLY_WITH_PERMISSION_TO_RESTORE: (
        "Adjourned generally with permission to restore"
    ),
    CourtOutcome.ADJOURNED_TO_NEXT_OPEN_DATE: "Adjourned to the next open date",
    CourtOutcome.ADJOURNED_TO_ANOTHER_HEARING_DATE: "Adjourned to another hearing date",
    CourtOutcome.ADJOURNED_FOR_DIRECTIONS_HEARING: "Adjourned for directions hearing",
    CourtOutcome.ADJOURNED_ON_TERMS: "Adjourned on terms",
    CourtOutcome.OUTRIGHT_POSSESSION_FORTHWITH: "Outright possession forthwith",
    CourtOutcome.OUTRIGHT_POSSESSION_WITH_DATE: "Outright possession with date",
    CourtOutcome.SUSPENSION_ON_TERMS: "Suspension on terms",
    CourtOutcome.STRUCK_OUT: "Struck out",
    CourtOutcome.WITHDRAWN_ON_THE_DAY: "Withdrawn on the day",
    CourtOutcome.STAY_OF_EXECUTION: "Stay of execution",
}
