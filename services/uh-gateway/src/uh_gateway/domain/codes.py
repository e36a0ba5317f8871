"""UH code catalogues (`universal-housing.md` §3): the facts the gateway validates against and
the simulator seeds into UH's lookup tables."""

from __future__ import annotations

from typing import Final

from ma_shared.action_codes import ACTION_CODE_NAMES

# Debit (charge) types: code -> (description, category, link, group).
DEBIT_TYPES: Final[dict[str, tuple[str, str, str, int]]] = {
    "DBR": ("Basic Rent (No VAT)", "A", "P", 0),
    "DTA": ("Basic Rent Temp Acc", "A", "P", 0),
    "DSO": ("Shared Owners Rent", "A", "P", 0),
    "DCP": ("Car Port", "A", "P", 0),
    "DGA": ("Garage (Attached)", "A", "P", 0),
    "DSC": ("Service Charges", "S", "P", 8),
    "DSB": ("SC Balancing Charge", "S", "P", 8),
    "DSA": ("SC Adjustment", "S", "P", 0),
    "DGR": ("Ground Rent", "S", "P", 8),
    "DCB": ("Cleaning (Block)", "S", "P", 6),
    "DCE": ("Cleaning (Estate)", "S", "P", 6),
    "DCO": ("Concierge", "S", "P", 6),
    "DGM": ("Grounds Maintenance", "S", "P", 6),
    "DLL": ("Landlord Lighting", "S", "P", 6),
    "DHE": ("Heating", "S", "P", 4),
    "DHW": ("Hot Water", "S", "P", 4),
    "DWR": ("Water Rates", "S", "P", 3),
    "DMC": ("Major Works Capital", "S", "P", 1),
    "DMR": ("Major Works Revenue", "S", "P", 1),
    "DCC": ("Court Costs", "N", "T", 7),
    "DCI": ("Contents Insurance", "N", "T", 3),
    "DTL": ("Tenants Levy", "N", "P", 5),
    "DRR": ("Rechargeable Repairs", "N", "T", 7),
}

# Receipt types: code -> (description, counted as a payment by the criteria).
RECEIPT_TYPES: Final[dict[str, tuple[str, bool]]] = {
    "RBA": ("Bailiff Payment", True),
    "RBP": ("Bank Payment", True),
    "RBR": ("Post Office Payment", True),
    "RCI": ("Rep. Cash Incentive", True),
    "RCO": ("Cash Office Payments", True),
    "RCP": ("Debit / Credit Card", True),
    "RDD": ("Direct Debit", True),
    "RDN": ("Direct Debit Unpaid", True),
    "RDP": ("Deduction (DWP)", True),
    "RDR": ("BACS Refund", True),
    "RDS": ("Deduction (Salary)", True),
    "RDT": ("DSS Transfer", True),
    "REF": ("Tenant Refund", True),
    "RHA": ("HB Adjustment", True),
    "RHB": ("Housing Benefit", True),
    "RIT": ("Internal Transfer", True),
    "RML": ("MW Loan Payment", True),
    "RPD": ("Prompt Pay. Discount", True),
    "RPO": ("Postal Order", True),
    "RPY": ("PayPoint", True),
    "RQP": ("Cheque Payments", True),
    "RRC": ("Returned Cheque", True),
    "RRP": ("Recharge Rep. Credit", True),
    "RSO": ("Standing Order", True),
    "RTM": ("TMO Reversal", True),
    "RUC": ("Universal Credit", True),
    "RWA": ("Rent waiver", True),
    "RSJ": ("SC Judgement Trans", False),
    "ROB": ("Opening Balance", False),
    "WOF": ("Write Off", False),
    "WON": ("Write On", False),
}

# income-rules.md §2.2: receipt types that count as a payment (last payment date, this week's
# payments). Housing benefit, refunds and reversals are included, as the old criteria did.
PAYMENT_TYPES: Final[frozenset[str]] = frozenset(
    code for code, (_, is_payment) in RECEIPT_TYPES.items() if is_payment
)

# income-rules.md §2.3: diary codes that count as a communication with the tenant.
COMMUNICATION_CODES: Final[frozenset[str]] = frozenset(
    [
        "IC1",
        "S01",
        "IC2",
        "ZR2",
        "ZL2",
        "ZT2",
        "IC3",
        "IC4",
        "LF1",
        "LF2",
        "LL1",
        "LL2",
        "LS1",
        "LS2",
        "GAT",
        "GAE",
        "GMS",
        "GME",
        "AMS",
        "C",
        "MML",
        "S0A",
        "REF",
        "ZW1",
        "ZW2",
        "ZW3",
        "MW1",
        "MW2",
        "MW3",
        "SMS",
        "ZR1",
        "ZR3",
        "CBL",
        "VIM",
        "BLI",
        "CVB",
    ]
)
# S02 counts only when UH's policy engine generated it (comment contains this, any case).
POLICY_GENERATED_CODE: Final = "S02"
POLICY_GENERATED_MARKER: Final = "policy generated"

UNIVERSAL_CREDIT_CODES: Final[dict[str, str]] = {
    "UCC": "universal_credit",
    "UC1": "uc_rent_verification",
    "UC2": "uc_direct_payment_requested",
    "UC3": "uc_direct_payment_received",
}

# Service charge letters 1 and 2 (FH/LH/SO variants) and SLB, the letter before action: the
# steps of the leasehold arrears ladder.
LEASEHOLD_LETTER_CODES: Final[frozenset[str]] = frozenset(
    {"LL1", "LL2", "LF1", "LF2", "LS1", "LS2", "SLB"}
)

NOSP_SERVED_CODE: Final = "NTS"

# Action diary codes with their names (universal-housing.md §3.4). Writes must use one of these.
ACTION_CODES: Final[dict[str, str]] = ACTION_CODE_NAMES

# Rent groups: code -> (description, period code, periods a year).
RENT_GROUPS: Final[dict[str, tuple[str, str, int]]] = {
    "HRA": ("Housing Revenue", "WK", 52),
    "HGF": ("Housing Gen Fund", "WK", 52),
    "GPS": ("Gar & Park HRA", "WK", 52),
    "TAH": ("Temp Accom HRA", "WK", 52),
    "LSC": ("LH Serv Charges", "01", 12),
    "LMW": ("LH Major Works", "01", 12),
}

# Tenure types: code -> (description, is leasehold, is secure). Codes other than SEC, LEA,
# SHO, FRE/FRS, NON, TLA, TBB are not published; these are the ones the simulator uses.
TENURES: Final[dict[str, tuple[str, bool, bool]]] = {
    "SEC": ("Secure", False, True),
    "INT": ("Introductory", False, False),
    "NON": ("Non-Secure", False, False),
    "TLA": ("Temp Annex", False, False),
    "TBB": ("Temp B&B", False, False),
    "LEA": ("Leasehold (RTB)", True, False),
    "SHO": ("Shared Owners", True, False),
    "FRS": ("Freehold (Serv)", True, False),
    "FRE": ("Freehold", True, False),
}

PERIODS: Final[dict[str, tuple[str, str]]] = {"WK": ("Weekly", "W"), "01": ("Monthly", "M")}

# Direct debit statuses (lookup type DDS). UH's real codes are not published: ours.
DIRECT_DEBIT_STATUSES: Final[dict[str, str]] = {
    "100": "Live",
    "200": "First Payment Pending",
    "300": "Cancelled",
    "399": "Suspended",
}
# Member relationships (lookup type CRE). Ours, as above.
RELATIONSHIPS: Final[dict[str, str]] = {
    "A": "Tenant",
    "B": "Joint Tenant",
    "C": "Spouse/Partner",
    "D": "Child",
    "E": "Other Relative",
}

# Arrears agreement statuses (arag.arag_status, universal-housing.md §3.6).
AGREEMENT_STATUSES: Final[dict[str, str]] = {
    "100": "first_check",
    "200": "live",
    "299": "suspect",
    "300": "breached",
    "400": "suspended",
    "500": "cancelled",
    "600": "complete",
}
AGREEMENT_FREQUENCIES: Final[dict[str, str]] = {
    "0": "monthly",
    "1": "weekly",
    "2": "fortnightly",
    "4": "four_weekly",
    "5": "three_monthly",
    "6": "six_monthly",
    "7": "annually",
    "8": "daily",
    "9": "irregular",
    "Q": "quarterly",
}

# Arrears patches (property.arr_patch). There is no patch table in UH; the names are the
# income teams' own.
RENT_PATCHES: Final[dict[str, str]] = {
    **{f"E0{n}": f"Arrears East Patch {n}" for n in range(1, 9)},
    **{f"W0{n}": f"Arrears West Patch {n}" for n in range(1, 8)},
}
LEASEHOLD_PATCHES: Final[dict[str, str]] = {
    f"SC{n}": f"Service Charge Patch {n}" for n in range(1, 8)
}

SECURE_TENURE: Final = "SEC"
LEASEHOLD_RENT_GROUP: Final = "LSC"
FREEHOLD_TENURE_EXCLUDED_FROM_LEASEHOLD: Final = "FRE"
MASTER_ACCOUNT: Final = "M"
