"""The meaning of each field name the income API uses, for the council developers who call it.

One glossary rather than the same description repeated on every model that has a
`tenancy_ref`: the API's base models fill any field they did not describe themselves from here
(`ma_shared.glossary.describe_from`), so the OpenAPI document describes every field (a test
checks that it does). A name that means something different in one model (a pause's `reason`
and a cancellation's, a job run's `status` and a diary write's) is not in the glossary: each
model describes it with `Field(description=...)`.

Conventions the descriptions rely on: money is in pounds, sent and returned as a decimal string
(`"1234.56"`; requests may also send a number), and a positive balance is arrears; instants
(date-times) are UTC; dates are ISO 8601 (`YYYY-MM-DD`).
"""

from __future__ import annotations

from typing import Final

from income_api.domain.terms import COURT_OUTCOME_DESCRIPTIONS
from ma_shared.glossary import describe_from

COURT_OUTCOME_CODES: Final = "; ".join(
    f"`{outcome.value}` {meaning[0].lower()}{meaning[1:]}"
    for outcome, meaning in COURT_OUTCOME_DESCRIPTIONS.items()
)

GLOSSARY: Final[dict[str, str]] = {
    # ---- The account ----------------------------------------------------------------------
    "tenancy_ref": "UH tenancy agreement reference (`tag_ref`), e.g. `012345/01`: identifies "
    "the account, and the case in this API.",
    "payment_ref": "The 10-digit payment (rent account) reference printed on letters; null if "
    "UH has none.",
    "patch_code": "Arrears patch of the property, e.g. `E01`; null when unassigned.",
    "service_area": "`rent` (tenancies) or `leasehold` (leaseholders' service charges).",
    "balance": "Current UH balance in pounds, as a decimal string; positive means arrears.",
    "collectable_arrears": "What the rules count as arrears, in pounds (decimal string): the "
    "balance less this week's movements (rent debit and payments since Monday) for rent; the "
    "balance itself for leasehold.",
    "weekly_gross_rent": "Rent plus service and other charges due each week, in pounds "
    "(decimal string); rent cases only.",
    "weeks_of_rent_owed": "Collectable arrears divided by the weekly gross rent, to 2 decimal "
    "places (e.g. `3.50` weeks); null for leasehold or when there is no weekly rent.",
    "days_since_last_payment": "Whole days since the latest payment; null if none is on record.",
    "last_payment_date": "Day of the latest payment (ISO 8601 date); null if none is on record.",
    "last_communication_action": "UH action diary code of the latest communication with the "
    "tenant (letter, SMS, email, visit…), e.g. `IC1` letter 1; null if none; rent cases only.",
    "last_communication_date": "When that communication was recorded in UH's action diary (UTC).",
    "universal_credit": "When UH's diary last recorded a Universal Credit claim (`UCC`), UTC; "
    "rent cases only.",
    "uc_rent_verification": "When UH's diary last recorded UC rent verification (`UC1`), UTC.",
    "uc_direct_payment_requested": "When UH's diary last recorded a UC direct payment "
    "(managed payment to the landlord) being requested (`UC2`), UTC.",
    "uc_direct_payment_received": "When UH's diary last recorded a UC direct payment being "
    "received (`UC3`), UTC.",
    "has_vulnerability": "The resident has at least one recorded vulnerability that has not "
    "ended (details under `vulnerabilities`; filter the worktray with `vulnerable`).",
    "synced_at": "When a sync (or the refresh after a caseworker's action) last changed this "
    "case from UH (UTC); one that finds nothing new leaves it unchanged.",
    # ---- Leasehold (service charges); null on rent cases ------------------------------------
    "tenure": "UH tenure code: `LEA` leasehold, `FRS` freehold (service charge) or `SHO` "
    "shared ownership; it chooses the letter variant.",
    "tenure_type": "UH's tenure description, e.g. `Leasehold (RTB)`; leasehold only.",
    "lessee": "The lessee as UH names the household, e.g. `Mr John Smith`; leasehold only.",
    "property_address": "The leased property's address on one line; leasehold only.",
    "direct_debit_status": "Status of the latest direct debit as UH describes it, e.g. `Live` "
    "or `First Payment Pending`; null if there is none. Leasehold only.",
    "direct_debit_amount": "What the latest direct debit collects each period, in pounds "
    "(decimal string); the leasehold rules take it as monthly. Leasehold only.",
    "latest_letter": "UH diary code of the latest leasehold letter: `LL1`/`LL2` (leasehold), "
    "`LF1`/`LF2` (freehold), `LS1`/`LS2` (shared ownership) or `SLB` letter before action.",
    "latest_letter_date": "When the latest leasehold letter was recorded in UH's diary (UTC).",
    "money_judgement": "Amount under a money judgement, in pounds (decimal string); it is not "
    "counted as arrears by the leasehold rules. Leasehold only.",
    "charging_order": "Amount secured by a charging order, in pounds (decimal string); "
    "leasehold only.",
    "balance_in_dispute": "Amount the lessee disputes, in pounds (decimal string); any amount "
    "over £0 recommends `review_balance_dispute`. Leasehold only.",
    # ---- The recommendation ---------------------------------------------------------------
    "recommended_action": "The next recommended action, e.g. `send_letter_one`, `send_NOSP`; "
    "`no_action` when nothing is due. Rent and leasehold each have their own list.",
    "classification_reason": "Why that action, in words a caseworker reads: the rule and the "
    "facts behind it.",
    "classification_changed_at": "When the recommended action last changed, or the case was "
    "first classified (UTC).",
    "classification": "The recommended action with the rule and reason behind it.",
    "changed_at": "When the recommended action last changed, or the case was first classified "
    "(UTC).",
    "previous_recommended_action": "The recommended action before the latest change; null if "
    "the case has had only one.",
    "fired": "Every rule that applied, in precedence order; the first one wins.",
    # ---- Pause ----------------------------------------------------------------------------
    "pause": "The case's pause; null when it is not paused (a pause ends at its `until`).",
    "paused_by": "Who paused the case.",
    "is_paused_until": "The case is paused until this instant (UTC); it counts as paused only "
    "while this is later than now. Null or omitted: not paused.",
    # ---- NOSP -----------------------------------------------------------------------------
    "nosp": "The Notice of Seeking Possession (NOSP) derived from its served date.",
    "nosp_served_date": "Day a Notice of Seeking Possession was served, from UH; null if none; "
    "rent cases only.",
    "in_cool_off_period": "The NOSP's 3-month notice (cooling-off) period has not ended: no "
    "court action yet.",
    # ---- Agreements -----------------------------------------------------------------------
    "agreement_type": "`informal` (made with the tenant) or `formal` (ordered by the court, "
    "under one of the tenancy's court cases).",
    "starting_balance": "The balance the agreement started from, in pounds (decimal string): "
    "the case's balance when it was made (informal), or the court case's "
    "`balance_on_court_outcome_date` (formal).",
    "amount": "The instalment: what the tenant pays each `frequency` period, in pounds "
    "(decimal string).",
    "frequency": "How often an instalment is due: `weekly`, `fortnightly`, `4 weekly`, "
    "`monthly` or `one_off`. `unsupported_legacy_frequency` marks an agreement migrated from "
    "UH with a frequency Manage Arrears cannot check for breach; new agreements cannot use it.",
    "start_date": "The day the first instalment is due (ISO 8601 date).",
    "initial_payment_amount": "The variable first payment: an optional one-off lump sum, in "
    "pounds (decimal string), due on `initial_payment_date` on top of the instalments; null if "
    "none. It may not be negative or more than the starting balance.",
    "initial_payment_date": "The day the lump sum is due (ISO 8601 date); given exactly when "
    "`initial_payment_amount` is.",
    "current_state": "`live` (on track), `breached` (the balance is above what the agreement "
    "expects by now), `cancelled` or `completed` (paid off, or the court order ended). `live` "
    "and `breached` are active.",
    "court_case_id": "The court case a formal agreement belongs to; null for informal ones.",
    "notes": "The caseworker's notes on the agreement; also written to UH's diary in the `AGR` "
    "entry.",
    "cancelled_by": "Who cancelled the agreement; null unless cancelled.",
    "cancellation_reason": "Why it was cancelled, e.g. `New agreement created`; null unless "
    "cancelled.",
    "last_checked_at": "When breach detection last checked the agreement against UH's balance "
    "(UTC); null if never. Every sync checks the latest active agreement.",
    "history": "The agreement's state changes, oldest first.",
    "expected_balance": "What the balance should have been at this check had every "
    "instalment (and lump sum) due been paid, in pounds (decimal string); null when not "
    "checked (a cancellation, or a court order that ran its course).",
    "checked_balance": "UH's current balance at this check, in pounds (decimal string); null "
    "when not checked.",
    "agreements": "The case's agreements, oldest first, each with its state history.",
    "agreement": "The case's latest agreement (any state); null if it has none.",
    # ---- Court cases and evictions --------------------------------------------------------
    "court_date": "Date and time of the court hearing (UTC); null if not set.",
    "court_outcome": f"Court outcome code; null until recorded: {COURT_OUTCOME_CODES}.",
    "court_outcome_description": "What the outcome code means, e.g. `Outright possession with "
    "date`; null without an outcome.",
    "balance_on_court_outcome_date": "The arrears balance on the day of the court outcome, in "
    "pounds (decimal string); a formal agreement under this court case starts from it.",
    "strike_out_date": "The day the court case is (or was) struck out: from then a formal "
    "agreement under it becomes informal. ISO 8601 date; not before the court date.",
    "terms": "The court set terms (e.g. payments) with its outcome. Must be stated (true or "
    "false) with an outcome that can have terms (`AGP`, `AND`, `AAH`, `ADH`, `ADT`, `SOT`, "
    "`SOE`), and may only be true with one.",
    "disrepair_counter_claim": "The tenant made a disrepair counter claim. Must be stated (true "
    "or false) with an outcome that can have terms (`AGP`, `AND`, `AAH`, `ADH`, `ADT`, `SOT`, "
    "`SOE`).",
    "court_cases": "The case's court cases, oldest first.",
    "court_case": "The case's latest court case; null if it has none.",
    "eviction_date": "Date of the latest eviction recorded for the tenancy (ISO 8601); while "
    "any eviction is recorded, past or future, the rules recommend no letters or legal steps.",
    "evictions": "The case's eviction dates, oldest first.",
    # ---- Vulnerabilities ------------------------------------------------------------------
    "vulnerabilities": "The resident's recorded vulnerabilities, current and ended, oldest "
    "first. Kept in Manage Arrears only, never written to UH.",
    "category": "Kind of vulnerability, e.g. `mental_health`, `bereavement`, `financial_hardship`.",
    "note": "What the caseworker recorded about the resident's circumstances (kept in Manage "
    "Arrears only, never written to UH).",
    "review_date": "When the vulnerability is next to be reviewed (ISO 8601 date).",
    "recorded_by": "Who recorded the vulnerability.",
    "recorded_at": "When the vulnerability was recorded (UTC).",
    "reviewed_by": "Who last reviewed it; null if never reviewed.",
    "reviewed_at": "When it was last reviewed (UTC); null if never reviewed.",
    "ended_at": "When it was marked as no longer applying (UTC); null while it applies.",
    "ended_by": "Who marked it as no longer applying; null while it applies.",
    # ---- UH's diary -----------------------------------------------------------------------
    "action_code": "UH action diary code, e.g. `GEN` general note (see uh-gateway's "
    "`GET /api/v1/action-codes`).",
    "pending_diary_writes": "Entries for UH's action diary not yet delivered: `pending` ones "
    "are being retried, `failed` ones UH refused.",
    "attempts": "How many times delivery to UH has been tried.",
    "last_error": "Why the latest delivery attempt failed; null if none has.",
    # ---- Who and when ---------------------------------------------------------------------
    "created_by": "Who recorded it (the acting user's name).",
    "created_at": "When it was recorded (UTC).",
    "updated_by": "Who last changed it.",
    "updated_at": "When it was last changed (UTC).",
    # ---- Patches --------------------------------------------------------------------------
    "user_email": "The signed-in user whose patches these are.",
    "patch_codes": "Patch codes the user looks after, e.g. `E01`: the worktray's "
    "`my_patches=true` shows their cases.",
    # ---- Sync job runs --------------------------------------------------------------------
    "job_run_id": "The sync's job run id (a UUID).",
    "status_url": "Where to follow the run: `GET` it for its status, counts and errors.",
    "kind": "`full_sync` (every account in arrears) or `changes_sync` (only tenancies UH "
    "changed since the last run).",
    "triggered_by": "Who started the run: a user's name, `scheduler`, or the "
    "`income-api-sync` command.",
    "started_at": "When the run started (UTC).",
    "finished_at": "When the run ended (UTC); null while running.",
    "seconds": "How long the run took, in seconds; null while running.",
    "accounts_seen": "Accounts in arrears read from UH.",
    "cases_created": "Cases created for accounts newly in arrears.",
    "cases_changed": "Existing cases whose synced data or recommendation changed.",
    "cases_deleted": "Cases closed because their account is no longer in arrears.",
    "classification_changes": "Cases whose recommended action changed, new cases included.",
    "agreements_checked": "Active agreements checked for breach.",
    "agreements_breached": "Agreements that became breached in this run.",
    "by_recommended_action": "How many of the accounts seen got each recommended action.",
    "error_count": "Accounts that failed and were skipped, in all (`errors` lists the first 200).",
    "timings": "Seconds spent, by part: `gateway_reads_seconds` (reading from uh-gateway), "
    "`classification_seconds` (including UH migration and breach detection) and "
    "`database_seconds` (writes).",
    "changes_since": "Position in uh-gateway's changes feed the run read from (opaque); null "
    "for a `full_sync`, and for a `changes_sync` with no earlier position to start from.",
    "changes_until": "Position in uh-gateway's changes feed the run read to (opaque): the next "
    "`changes_sync` starts from here.",
    # ---- Pagination -----------------------------------------------------------------------
    "results": "This page's items.",
    "page": "This page's number, from 1.",
    "per_page": "Items per page, as asked.",
    "total_count": "Matching items on all pages.",
    "number_of_pages": "How many pages there are at this `per_page`; 0 when nothing matches.",
}

describe_from_glossary: Final = describe_from(GLOSSARY)
"""The `json_schema_extra` hook of the API's models."""
