"""The worktray's order: which cases a caseworker should open first.

Cases are ranked first by how urgent their recommended action is (legal deadlines and
broken court orders before letters, letters before a text), then, within one action, by
balance (largest first), weeks of rent owed (most first) and days since the last payment
(longest first). docs/income-api.md explains the choice.
"""

from __future__ import annotations

from income_api.domain.terms import LeaseholdAction, RentAction, ServiceArea

RENT_URGENCY: tuple[RentAction, ...] = (
    RentAction.APPLY_FOR_OUTRIGHT_POSSESSION_WARRANT,
    RentAction.COURT_BREACH_NO_PAYMENT,
    RentAction.COURT_BREACH_VISIT,
    RentAction.ADDRESS_COURT_AGREEMENT_BREACH,
    RentAction.UPDATE_COURT_OUTCOME_ACTION,
    RentAction.APPLY_FOR_COURT_DATE,
    RentAction.SEND_COURT_WARNING_LETTER,
    RentAction.SEND_NOSP,
    RentAction.INFORMAL_BREACHED_AFTER_LETTER,
    RentAction.SEND_INFORMAL_AGREEMENT_BREACH_LETTER,
    RentAction.REVIEW_FAILED_LETTER,
    RentAction.CHECK_DATA,
    RentAction.SEND_LETTER_TWO,
    RentAction.SEND_LETTER_ONE,
    RentAction.SEND_FIRST_SMS,
    RentAction.NO_ACTION,
)

LEASEHOLD_URGENCY: tuple[LeaseholdAction, ...] = (
    LeaseholdAction.REFER_FOR_LEGAL_ACTION,
    LeaseholdAction.SEND_LETTER_BEFORE_ACTION,
    LeaseholdAction.REVIEW_BALANCE_DISPUTE,
    LeaseholdAction.CHECK_DATA,
    LeaseholdAction.SEND_LETTER_TWO,
    LeaseholdAction.SEND_LETTER_ONE,
    LeaseholdAction.NO_ACTION,
)

_RANKS: dict[ServiceArea, dict[str, int]] = {
    ServiceArea.RENT: {action.value: rank for rank, action in enumerate(RENT_URGENCY)},
    ServiceArea.LEASEHOLD: {action.value: rank for rank, action in enumerate(LEASEHOLD_URGENCY)},
}
NO_ACTION_RANK: dict[ServiceArea, int] = {
    ServiceArea.RENT: len(RENT_URGENCY) - 1,
    ServiceArea.LEASEHOLD: len(LEASEHOLD_URGENCY) - 1,
}


def action_rank(service_area: ServiceArea, recommended_action: str) -> int:
    """0 is most urgent; `no_action` ranks last."""
    return _RANKS[service_area][recommended_action]


def actions_for(service_area: ServiceArea) -> tuple[str, ...]:
    return tuple(_RANKS[service_area])
