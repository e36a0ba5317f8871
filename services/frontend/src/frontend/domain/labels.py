"""What codes from the APIs are called on a page: recommended actions, pause reasons,
vulnerabilities, agreement states, court outcomes and UH's action diary codes. A code with no
label is shown as it is, so a new code never breaks a page."""

from __future__ import annotations

from typing import Final

from ma_shared.action_codes import ACTION_CODE_NAMES
from ma_shared.vocabulary import COURT_OUTCOME_DESCRIPTIONS, ServiceArea

# income-api's recommended actions (rent, then leasehold), in the words of the old app where
# they were clear (frontend-and-notify.md A.6).
RECOMMENDED_ACTIONS: Final[dict[ServiceArea, dict[str, str]]] = {
    ServiceArea.RENT: {
        "apply_for_outright_possession_warrant": "Apply for outright possession warrant",
        "court_breach_no_payment": "Court breach: no payment",
        "court_breach_visit": "Court breach visit",
        "address_court_agreement_breach": "Address court agreement breach",
        "update_court_outcome_action": "Update court outcome",
        "apply_for_court_date": "Apply for court date (PCOL)",
        "send_court_warning_letter": "Send court warning letter",
        "send_NOSP": "Send NOSP",
        "informal_breached_after_letter": "Informal agreement still breached after letter",
        "send_informal_agreement_breach_letter": "Send informal agreement breach letter",
        "review_failed_letter": "Review failed letter",
        "check_data": "Check case data",
        "send_letter_two": "Send letter 2",
        "send_letter_one": "Send letter 1",
        "send_first_SMS": "Send first SMS",
        "no_action": "No action",
    },
    ServiceArea.LEASEHOLD: {
        "refer_for_legal_action": "Refer for legal action",
        "send_letter_before_action": "Send letter before action",
        "review_balance_dispute": "Review balance dispute",
        "check_data": "Check case data",
        "send_letter_two": "Send letter 2",
        "send_letter_one": "Send letter 1",
        "no_action": "No action",
    },
}

# income-api's pause reasons: the value is the label.
PAUSE_REASONS: Final[tuple[str, ...]] = (
    "Court date set",
    "Eviction date set",
    "Delayed benefit",
    "Awaiting Universal Credit",
    "Debt advice",
    "Death of tenant",
    "Hospital",
    "Housing Benefit claim",
    "Payment promised",
    "Vulnerability",
    "Missing Data",
    "Other",
)

VULNERABILITY_CATEGORIES: Final[dict[str, str]] = {
    "mental_health": "Mental health",
    "physical_health": "Physical health",
    "disability": "Disability",
    "bereavement": "Bereavement",
    "domestic_abuse": "Domestic abuse",
    "financial_hardship": "Financial hardship",
    "language_or_literacy": "Language or literacy",
    "age": "Age",
    "substance_misuse": "Substance misuse",
    "other": "Other",
}

AGREEMENT_STATES: Final[dict[str, str]] = {
    "live": "Live",
    "breached": "Breached",
    "cancelled": "Cancelled",
    "completed": "Completed",
}

AGREEMENT_TYPES: Final[dict[str, str]] = {
    "informal": "Informal",
    "formal": "Court ordered",
}

AGREEMENT_FREQUENCIES: Final[dict[str, str]] = {
    "weekly": "Weekly",
    "fortnightly": "Fortnightly",
    "4 weekly": "Every 4 weeks",
    "monthly": "Monthly",
    "one_off": "One-off payment",
    "unsupported_legacy_frequency": "Other (from UH)",
}

COURT_OUTCOMES: Final[dict[str, str]] = {
    outcome.value: description for outcome, description in COURT_OUTCOME_DESCRIPTIONS.items()
}

SERVICE_AREAS: Final[dict[ServiceArea, str]] = {
    ServiceArea.RENT: "Rent",
    ServiceArea.LEASEHOLD: "Leasehold",
}


# comms-api's statuses of a text, an email or a letter (docs/comms-api.md).
MESSAGE_STATUSES: Final[dict[str, str]] = {
    "accepted": "Waiting to be sent",
    "sending": "Sending",
    "sent": "Sent",
    "delivered": "Delivered",
    "failed": "Failed",
    "to_download": "To download and post by hand",
    "downloaded": "Downloaded to post by hand",
    "failure_reviewed": "Failure reviewed",
    "imported": "From the old system",
}

# A letter is "sent" when Notify has it and "delivered" when printed and posted.
LETTER_STATUSES: Final[dict[str, str]] = MESSAGE_STATUSES | {
    "sent": "Sent to be printed",
    "delivered": "Printed and posted",
}

# A bulk letter batch's rows, before their letters are made.
BATCH_ROW_STATUSES: Final[dict[str, str]] = {
    "valid": "Ready to send",
    "invalid": "Cannot be sent",
    "queued": "Waiting to be made",
    "accepted": "Letter made",
    "not_sent": "Not sent",
}

DOCUMENT_KINDS: Final[dict[str, str]] = {
    "letter": "Letter",
    "legacy": "From the old system",
}

# income-api's sync job runs (docs/income-api.md "Job runs").
JOB_KINDS: Final[dict[str, str]] = {
    "full_sync": "Full sync",
    "changes_sync": "Intraday refresh",
}

JOB_STATUSES: Final[dict[str, str]] = {
    "running": "Running",
    "succeeded": "Succeeded",
    "completed_with_errors": "Finished with errors",
    "failed": "Failed",
    "abandoned": "Abandoned",
}

JOB_TIMINGS: Final[dict[str, str]] = {
    "gateway_reads_seconds": "Reading accounts from UH",
    "classification_seconds": "Classifying (with migrations and breach checks)",
    "database_seconds": "Writing cases",
}


def recommended_action(service_area: ServiceArea | str, code: str) -> str:
    labels = RECOMMENDED_ACTIONS.get(ServiceArea(service_area), {})
    return labels.get(code) or code.replace("_", " ").capitalize()


def action_code(code: str | None) -> str:
    """`IC1 Income Collection Letter 1`; unknown codes as they are."""
    if not code:
        return ""
    name = ACTION_CODE_NAMES.get(code.strip().upper())
    return f"{name} ({code})" if name else code


def label(labels: dict[str, str], code: str | None) -> str:
    if not code:
        return ""
    return labels.get(code, code)
