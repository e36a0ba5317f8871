"""From uh-gateway criteria (JSON) and Manage Arrears' records to classifier facts and the
stored case row. Pure functions: the sync and the single-case refresh share them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from income_api.domain.leasehold_classifier import LeaseholdFacts
from income_api.domain.rent_classifier import (
    AgreementFacts,
    CourtCaseFacts,
    DocumentFacts,
    RentCaseFacts,
)
from income_api.domain.terms import AgreementState, AgreementType, ServiceArea
from income_api.domain.worktray import action_rank
from income_api.gateways.case_store import TenancyRecords

Json = dict[str, Any]
PENCE = Decimal("0.01")


def money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def day(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value[:10])


def instant(value: Any) -> dt.datetime | None:
    """UH times carry no zone; the rules treat them as UTC (income-rules §1.3)."""
    if value is None:
        return None
    parsed = dt.datetime.fromisoformat(value)
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _court_case_facts(records: TenancyRecords) -> CourtCaseFacts | None:
    court_case = records.latest_court_case
    if court_case is None:
        return None
    return CourtCaseFacts(
        court_date=court_case.court_date,
        court_outcome=court_case.court_outcome,
        terms=court_case.terms,
        disrepair_counter_claim=court_case.disrepair_counter_claim,
        strike_out_date=court_case.strike_out_date,
    )


def _agreement_facts(records: TenancyRecords) -> AgreementFacts | None:
    agreement = records.latest_agreement
    if agreement is None:
        return None
    return AgreementFacts(
        agreement_type=AgreementType(agreement.agreement_type),
        current_state=AgreementState(agreement.current_state),
        start_date=dt.datetime.combine(agreement.start_date, dt.time(), tzinfo=dt.UTC),
    )


def _document_facts(case: Any) -> DocumentFacts | None:
    if case is None or case.latest_document_status is None:
        return None
    return DocumentFacts(
        status=case.latest_document_status,
        template_id=case.latest_document_template_id or "",
        updated_at=case.latest_document_updated_at,
    )


def rent_facts(criteria: Json, records: TenancyRecords) -> RentCaseFacts:
    eviction = records.latest_eviction
    return RentCaseFacts(
        collectable_arrears=money(criteria["collectable_arrears"]),
        weekly_gross_rent=money(criteria["weekly_gross_rent"]),
        total_payment_amount_in_week=money(criteria["total_payment_amount_in_week"]),
        days_since_last_payment=criteria["days_since_last_payment"],
        nosp_served_date=day(criteria["nosp_served_date"]),
        last_communication_action=criteria["last_communication_action"],
        last_communication_date=instant(criteria["last_communication_date"]),
        is_paused_until=records.case.is_paused_until if records.case is not None else None,
        eviction_date=eviction.date if eviction is not None else None,
        court_case=_court_case_facts(records),
        agreement=_agreement_facts(records),
        latest_document=_document_facts(records.case),
    )


def leasehold_facts(criteria: Json, records: TenancyRecords) -> LeaseholdFacts:
    return LeaseholdFacts(
        balance=money(criteria["balance"]),
        tenure=criteria["tenure"],
        latest_letter=criteria["latest_letter"],
        latest_letter_date=instant(criteria["latest_letter_date"]),
        last_payment_date=day(criteria["last_payment_date"]),
        direct_debit_status=criteria["direct_debit_status"],
        direct_debit_amount=money(criteria["direct_debit_amount"]),
        balance_in_dispute=money(criteria["balance_in_dispute"]),
        money_judgement=money(criteria["money_judgement"]),
        is_paused_until=records.case.is_paused_until if records.case is not None else None,
    )


def _weeks_owed(arrears: Decimal | None, weekly_rent: Decimal | None) -> Decimal | None:
    if arrears is None or not weekly_rent:
        return None
    return (arrears / weekly_rent).quantize(PENCE)


def synced_values(
    service_area: ServiceArea,
    criteria: Json,
    records: TenancyRecords,
    *,
    recommended_action: str,
    rule: str,
    reason: str,
    today: dt.date,
) -> Json:
    """The case columns a sync owns, for one account."""
    court_case = records.latest_court_case
    eviction = records.latest_eviction
    agreement = records.latest_agreement
    values: Json = {
        "service_area": service_area.value,
        "payment_ref": criteria["payment_ref"],
        "patch_code": criteria["patch_code"],
        "balance": Decimal(criteria["balance"]),
        "last_payment_date": day(criteria["last_payment_date"]),
        "court_date": court_case.court_date if court_case is not None else None,
        "court_outcome": court_case.court_outcome if court_case is not None else None,
        "eviction_date": eviction.date if eviction is not None else None,
        "agreement_state": agreement.current_state if agreement is not None else None,
        "recommended_action": recommended_action,
        "action_rank": action_rank(service_area, recommended_action),
        "classification_rule": rule,
        "classification_reason": reason,
    }
    if service_area is ServiceArea.RENT:
        arrears = money(criteria["collectable_arrears"])
        weekly_rent = money(criteria["weekly_gross_rent"])
        values |= {
            "collectable_arrears": arrears,
            "weekly_gross_rent": weekly_rent,
            "total_payment_amount_in_week": money(criteria["total_payment_amount_in_week"]),
            "weeks_of_rent_owed": _weeks_owed(arrears, weekly_rent),
            "days_since_last_payment": criteria["days_since_last_payment"],
            "last_communication_action": criteria["last_communication_action"],
            "last_communication_date": instant(criteria["last_communication_date"]),
            "nosp_served_date": day(criteria["nosp_served_date"]),
            "universal_credit": instant(criteria["universal_credit"]),
            "uc_rent_verification": instant(criteria["uc_rent_verification"]),
            "uc_direct_payment_requested": instant(criteria["uc_direct_payment_requested"]),
            "uc_direct_payment_received": instant(criteria["uc_direct_payment_received"]),
        }
    else:
        last_payment = day(criteria["last_payment_date"])
        values |= {
            "collectable_arrears": Decimal(criteria["balance"]),
            "days_since_last_payment": (today - last_payment).days if last_payment else None,
            "tenure": criteria["tenure"],
            "tenure_type": criteria["tenure_type"],
            "lessee": criteria["lessee"],
            "property_address": criteria["property_address"],
            "direct_debit_status": criteria["direct_debit_status"],
            "direct_debit_amount": money(criteria["direct_debit_amount"]),
            "latest_letter": criteria["latest_letter"],
            "latest_letter_date": instant(criteria["latest_letter_date"]),
            "money_judgement": money(criteria["money_judgement"]),
            "charging_order": money(criteria["charging_order"]),
            "balance_in_dispute": money(criteria["balance_in_dispute"]),
        }
    return values
