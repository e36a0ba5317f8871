"""Action-diary codes the rent classifier looks for (income-rules §1.6), and the income letter
templates (§6.1) whose failure to send puts a case on the worktray.

Codes are UH's three-letter action codes, trimmed. Only the latest "communication" in the
action diary reaches the classifier (§2.3), so these groups say what *that* code means.
"""

from __future__ import annotations

# Text messages: an SMS in the last 7 days blocks another one (R3).
SMS_CODES = frozenset({"GAT", "GMS", "AMS", "SMS"})

# Letter 1 and everything after it on the ladder: any of these in the last 3 months blocks
# letter 1 (R4).
LETTER_ONE_OR_LATER_CODES = frozenset(
    {"IC1", "S01", "IC2", "S02", "ZR2", "ZL2", "ZT2", "S0A", "IC4"}
)

# Letter 1 (ours, or UH's stage letter): 14 days to 3 months later, letter 2 is due (R5).
LETTER_ONE_CODES = frozenset({"IC1", "S01"})

# Letter 2 and UH's stage variants: 1 week to 3 months later, a first NOSP is due (R8).
LETTER_TWO_CODES = frozenset({"IC2", "S02", "ZR2", "ZL2", "ZT2"})

COURT_WARNING_LETTER = "IC4"
COURT_BREACH_LETTER = "CBL"
COURT_BREACH_VISIT = "CBV"
INFORMAL_BREACH_LETTER = "BLI"
WARRANT_OF_POSSESSION_APPLIED = "WPA"

# A breach letter or visit already under way: another breach letter is not due (R10, R12).
BREACH_FOLLOW_UP_CODES = frozenset(
    {INFORMAL_BREACH_LETTER, COURT_BREACH_LETTER, COURT_BREACH_VISIT}
)
COURT_BREACH_FOLLOW_UP_CODES = frozenset({COURT_BREACH_LETTER, COURT_BREACH_VISIT})

# Rent letters (template id = file name). A leasehold letter that fails to send is not a rent
# caseworker's problem, so only these make a case `review_failed_letter` (R2).
INCOME_LETTER_TEMPLATE_IDS = frozenset(
    {
        "income_collection_letter_1",
        "income_collection_letter_2",
        "informal_agreement_confirmation_letter",
        "informal_agreement_breach_letter",
        "formal_agreement_breach_letter",
        "court_date_letter",
        "court_outcome_letter",
    }
)
