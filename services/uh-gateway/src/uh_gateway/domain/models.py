"""What the gateway tells its callers about UH, in the housing team's words rather than UH's
column names. Pydantic models (no I/O): the gateways fill them, the API returns them, and
their descriptions are the API documentation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ma_shared.glossary import describe_from
from ma_shared.vocabulary import ServiceArea
from uh_gateway.domain.codes import LEASEHOLD_RENT_GROUP
from uh_gateway.domain.glossary import GLOSSARY

T = TypeVar("T")


LEASEHOLD_RENT_GROUPS = frozenset({LEASEHOLD_RENT_GROUP, "LMW"})


def service_area_for(rent_group: str | None) -> ServiceArea:
    return ServiceArea.LEASEHOLD if rent_group in LEASEHOLD_RENT_GROUPS else ServiceArea.RENT


class ApiModel(BaseModel):
    model_config = ConfigDict(frozen=True, json_schema_extra=describe_from(GLOSSARY))


class CursorPage(ApiModel, Generic[T]):
    results: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )


class NumberedPage(ApiModel, Generic[T]):
    results: list[T]
    page: int = Field(description="This page's number, from 1.")
    page_size: int
    total: int = Field(description="How many results match in all.")


class CodeAndName(ApiModel):
    code: str
    name: str | None = Field(description="UH's description of the code, when it has one.")


class Property(ApiModel):
    property_ref: str = Field(description="UH property reference (`prop_ref`).")
    address_lines: list[str] = Field(description="Postal address, line by line.")
    short_address: str | None = Field(description="One-line address used in lists.")
    postcode: str | None
    bedrooms: int | None
    patch_code: str | None = Field(description="Arrears patch, e.g. `E01`; null if unassigned.")
    uprn: str | None = Field(description="Unique Property Reference Number.")


class HouseholdMember(ApiModel):
    person_number: int
    title: str | None
    forename: str | None
    surname: str | None
    full_name: str = Field(description="Title, forename and surname as one string.")
    responsible: bool = Field(description="A liable tenant (joint tenancies have several).")
    relationship: str | None = Field(description="Relationship to the tenant, from UH's lookup.")
    date_of_birth: dt.date | None


class Balances(ApiModel):
    current_balance: Decimal = Field(
        description="Positive: the tenant owes this much (arrears). Negative: in credit."
    )
    weekly_rent: Decimal = Field(description="Net weekly rent (per rent period).")
    weekly_service: Decimal
    weekly_other_charge: Decimal
    weekly_gross_rent: Decimal = Field(description="Rent + service + other charges a week.")
    money_judgement: Decimal | None = Field(
        description="Leasehold: amount under a money judgement."
    )
    charging_order: Decimal | None = Field(description="Leasehold: amount under a charging order.")
    balance_in_dispute: Decimal | None = Field(description="Leasehold: disputed balance.")


class LegalStatus(ApiModel):
    nosp_served_date: dt.date | None = Field(
        description="When a Notice of Seeking Possession was served."
    )
    nosp_expiry_date: dt.date | None
    court_date: dt.datetime | None = Field(description="Court hearing date and time.")
    court_outcome: str | None = Field(description="UH court outcome code, e.g. `OPD`.")
    eviction_date: dt.datetime | None
    highest_action: CodeAndName | None = Field(
        description="Highest arrears stage UH recorded, e.g. `4RS` (legal stage four)."
    )


class DirectDebit(ApiModel):
    reference: str
    status: str | None = Field(description="UH direct debit status code.")
    status_description: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    amount: Decimal | None = Field(description="Amount collected each period.")


class TenancySummary(ApiModel):
    tenancy_ref: str = Field(description="UH tenancy agreement reference, e.g. `012345/01`.")
    payment_ref: str | None = Field(description="10-digit payment (rent account) reference.")
    service_area: ServiceArea
    tenure: CodeAndName | None
    tenant_names: str | None = Field(description="Responsible members' names, joined by ' & '.")
    short_address: str | None
    postcode: str | None
    patch_code: str | None
    current_balance: Decimal
    terminated: bool


class TenancyDetail(ApiModel):
    tenancy_ref: str
    payment_ref: str | None
    service_area: ServiceArea
    tenure: CodeAndName | None
    rent_group: CodeAndName | None
    start_date: dt.date | None = Field(
        description="Commencement of tenancy (leasehold: date of current purchase/assignment)."
    )
    end_date: dt.date | None
    terminated: bool
    master_account: bool = Field(description="Only master accounts are worked for arrears.")
    property: Property | None
    household_ref: str | None
    household_name: str | None = Field(description="UH's household (lessee) description.")
    members: list[HouseholdMember]
    balances: Balances
    legal: LegalStatus
    direct_debit: DirectDebit | None = Field(description="The most recent direct debit.")


class Transaction(ApiModel):
    id: int = Field(description="UH transaction surrogate id.")
    transaction_ref: str | None
    posted_at: dt.datetime
    type_code: str = Field(description="UH transaction type, e.g. `DBR` rent, `RHB` HB.")
    type_description: str | None
    kind: str = Field(description="`charge`, `payment` or `adjustment`.")
    amount: Decimal = Field(description="Charges positive, payments and credits negative.")
    balance_after: Decimal = Field(description="Account balance once this was posted.")
    rent_year: int | None
    period_number: int | None = Field(description="Week (or month) number in the rent year.")


class ActionDiaryEntry(ApiModel):
    id: int = Field(description="UH action diary surrogate id.")
    tenancy_ref: str
    action_code: str
    action_name: str | None
    action_date: dt.datetime = Field(description="When the action happened (UH local time).")
    comment: str | None
    username: str | None
    balance: Decimal | None = Field(description="Account balance when the entry was written.")


class Contact(ApiModel):
    id: int = Field(description="UH contact key; use it to update the contact.")
    name: str | None
    mobile_phone: str | None
    home_phone: str | None
    work_phone: str | None
    email_address: str | None
    address: str | None
    postcode: str | None


class TenancyContacts(ApiModel):
    tenancy_ref: str
    household_ref: str | None
    responsible_members: list[HouseholdMember]
    other_members: list[HouseholdMember]
    contacts: list[Contact]


class AgreementScheduleLine(ApiModel):
    id: int
    amount: Decimal
    frequency_code: str
    frequency: str | None = Field(description="e.g. `weekly`, `monthly`.")
    start_date: dt.date | None
    end_date: dt.date | None
    comment: str | None


class UhAgreement(ApiModel):
    reference: str
    status_code: str | None = Field(description="UH status: 100 first check … 600 complete.")
    status: str | None = Field(description="e.g. `live`, `breached`, `cancelled`.")
    status_date: dt.date | None
    start_date: dt.date | None
    start_balance: Decimal | None
    breached: bool
    clear_by: dt.date | None
    last_check_date: dt.date | None
    last_check_balance: Decimal | None
    last_expected_balance: Decimal | None
    comment: str | None
    schedule: list[AgreementScheduleLine] = Field(
        description="Payment schedule lines, oldest first; the last is the current one."
    )


class TenancyAgreements(ApiModel):
    tenancy_ref: str
    agreements: list[UhAgreement] = Field(description="Newest first.")


class Patch(ApiModel):
    code: str
    name: str
    service_area: ServiceArea
    accounts: int = Field(description="Open master accounts on this patch.")
    accounts_in_arrears: int


class LetterAddress(ApiModel):
    lines: list[str] = Field(description="Address lines without blanks, up to five.")
    postcode: str | None
    international: bool = Field(description="The postcode is not a UK postcode.")


class RentLetterData(ApiModel):
    tenancy_ref: str
    payment_ref: str | None
    title: str | None
    forename: str | None
    surname: str | None
    address: LetterAddress
    total_collectable_arrears_balance: Decimal
    property_ref: str | None
    missing_fields: list[str] = Field(
        description="Fields a rent letter needs that UH does not have for this tenancy."
    )


class LeaseholdLetterData(ApiModel):
    tenancy_ref: str
    payment_ref: str | None
    lessee_full_name: str | None
    lessee_short_name: str | None
    correspondence_address: LetterAddress
    property_address: str | None
    total_collectable_arrears_balance: Decimal
    original_lease_date: dt.date | None
    date_of_current_purchase_assignment: dt.date | None
    tenure_type: str | None
    money_judgement: Decimal | None
    charging_order: Decimal | None
    balance_in_dispute: Decimal | None
    arrears_letter_1_date: dt.date | None = Field(
        description="The day of the latest leasehold letter 1 (`LF1`, `LL1` or `LS1`) in the "
        "action diary, which letter 2 refers to; null when none was sent."
    )
    missing_fields: list[str]


class LetterDataLookup(ApiModel):
    payment_ref: str = Field(description="As asked for.")
    tenancy_ref: str | None = Field(
        default=None, description="The account's tenancy; null when no account has it."
    )
    service_area: ServiceArea | None = Field(
        default=None, description="The account's service area; null when not found."
    )
    rent: RentLetterData | None = Field(
        default=None, description="Rent letter data, when rent letters were asked for."
    )
    leasehold: LeaseholdLetterData | None = Field(
        default=None, description="Leasehold letter data, when leasehold letters were asked for."
    )


class PaymentReference(ApiModel):
    payment_ref: str
    tenancy_ref: str
    service_area: ServiceArea


class AgreementSnapshot(ApiModel):
    reference: str
    start_date: dt.date | None
    status_code: str | None
    status: str | None


class RentArrearsCriteria(ApiModel):
    """What the rent classifier needs about one account in arrears (income-rules.md §2.2)."""

    tenancy_ref: str
    payment_ref: str | None
    patch_code: str | None
    balance: Decimal = Field(description="Current balance (UH `cur_bal`).")
    weekly_rent: Decimal
    weekly_service: Decimal
    weekly_other_charge: Decimal
    weekly_gross_rent: Decimal
    collectable_arrears: Decimal = Field(
        description="Balance less the absolute value of this week's movements."
    )
    total_payment_amount_in_week: Decimal = Field(
        description="Payments posted since Monday (negative, or 0)."
    )
    sum_of_transactions_in_week: Decimal = Field(description="All movements posted since Monday.")
    last_payment_date: dt.date | None
    days_since_last_payment: int | None = Field(description="Null if never paid.")
    last_communication_action: str | None = Field(
        description="Latest diary code that counts as contact with the tenant."
    )
    last_communication_date: dt.datetime | None
    nosp_served_date: dt.date | None
    nosp_expiry_date: dt.date | None
    court_date: dt.datetime | None
    court_outcome: str | None
    eviction_date: dt.datetime | None
    highest_action: str | None = Field(description="UH `high_action` stage code.")
    universal_credit: dt.datetime | None = Field(description="Latest `UCC` diary entry.")
    uc_rent_verification: dt.datetime | None = Field(description="Latest `UC1`.")
    uc_direct_payment_requested: dt.datetime | None = Field(description="Latest `UC2`.")
    uc_direct_payment_received: dt.datetime | None = Field(description="Latest `UC3`.")
    most_recent_agreement: AgreementSnapshot | None = Field(
        description="UH agreement with the latest start date."
    )
    broken_agreements_count: int = Field(description="UH agreements with status 300.")


class LeaseholdArrearsAttributes(ApiModel):
    """What the leasehold worktray needs about one account in arrears (income-rules.md §5)."""

    tenancy_ref: str
    payment_ref: str | None
    patch_code: str | None
    balance: Decimal
    tenure: str | None = Field(description="Tenure code: LEA, SHO, FRS …")
    tenure_type: str | None = Field(description="Tenure description.")
    lessee: str | None = Field(description="UH household description (lessee's name).")
    property_address: str | None = Field(description="'<address1>, London, <postcode>'.")
    direct_debit_status: str | None = Field(description="Latest direct debit's status.")
    direct_debit_amount: Decimal | None
    latest_letter: str | None = Field(
        description="Latest leasehold letter code (LL1 … LS2, or SLB letter before action)."
    )
    latest_letter_date: dt.datetime | None
    last_payment_date: dt.date | None
    money_judgement: Decimal | None
    charging_order: Decimal | None
    balance_in_dispute: Decimal | None


class CriteriaPage(ApiModel, Generic[T]):
    as_of: dt.date = Field(description="The day 'this week' and 'days since' are counted from.")
    results: list[T]
    next_cursor: str | None


class TenancyChange(ApiModel):
    tenancy_ref: str
    new_transactions: int
    new_action_diary_entries: int


class ChangesPage(ApiModel):
    changes: list[TenancyChange] = Field(description="Tenancies with something new, by ref.")
    next_since: str = Field(description="Pass as `since` next time to get only newer changes.")
    has_more: bool = Field(description="More changes are waiting: call again at once.")
