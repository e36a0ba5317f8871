"""The simulated rent ledger (`rtrans`): compact per-day buckets, emitted in posting order.

Tenancies are simulated one at a time (each needs its whole history to work out its opening
balance), but `rtrans_sid` must grow with posting date across the whole table: the gateway's
changes feed uses the highest sid as its high-water mark. So postings go into one bucket per
day, as packed integers in `array`s (a few bytes a row, where tuples would need ~200), and
`rows()` walks the days in order, building the full tuples only as the writer consumes them.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from uh_gateway.simulator.formats import uh_char
from uh_gateway.simulator.rent_calendar import RentCalendar

DEBIT_CODES: tuple[str, ...] = (
    "DBR",
    "DTA",
    "DCB",
    "DCE",
    "DCO",
    "DGM",
    "DLL",
    "DHE",
    "DWR",
    "DTL",
    "DCI",
    "DSC",
    "DGR",
    "DSB",
    "DMC",
    "DMR",
    "DRR",
    "DCC",
)
RECEIPT_CODES: tuple[str, ...] = (
    "ROB",
    "RDD",
    "RSO",
    "RPY",
    "RBR",
    "RCP",
    "RBP",
    "RCO",
    "RQP",
    "RHB",
    "RUC",
    "RDP",
    "RDN",
    "RRC",
    "RIT",
)
TRANSACTION_CODES: tuple[str, ...] = DEBIT_CODES + RECEIPT_CODES
TYPE_INDEX: dict[str, int] = {code: index for index, code in enumerate(TRANSACTION_CODES)}
N_DEBIT_CODES = len(DEBIT_CODES)
# Packed posting: tenancy index in the high bits, transaction type in the low six.
TYPE_BITS = 6
TYPE_MASK = (1 << TYPE_BITS) - 1
assert len(TRANSACTION_CODES) <= TYPE_MASK + 1

# rtrans.trans_src: where a posting came from. UH's own values are not published (§8); debits
# come from the rent-debit run and receipts use the cash system's codes for the same receipt
# types (UHParis in the interim database). Ours otherwise.
TRANSACTION_SOURCES: dict[str, str] = {
    **dict.fromkeys(DEBIT_CODES, "DEB"),
    "ROB": "MAN",
    "RDD": "DDE",
    "RSO": "STO",
    "RPY": "PPT",
    "RBR": "GIR",
    "RCP": "CRD",
    "RBP": "BNK",
    "RCO": "CAS",
    "RQP": "CHQ",
    "RHB": "HBS",
    "RUC": "UCD",
    "RDP": "DWP",
    "RDN": "DDN",
    "RRC": "BNC",
    "RIT": "TRN",
}

RTRANS_COLUMNS: tuple[str, ...] = (
    "rtrans_sid",
    "tag_ref",
    "prop_ref",
    "house_ref",
    "rentgroup",
    "post_year",
    "post_prdno",
    "tenure",
    "trans_type",
    "trans_src",
    "real_value",
    "post_date",
    "trans_ref",
    "batchid",
    "transno",
    "line_no",
    "line_segno",
)


@dataclass(frozen=True, slots=True)
class LedgerAccount:
    """What every posting of one tenancy repeats, already padded as UH stores it."""

    tag_ref: str
    prop_ref: str
    house_ref: str
    rent_group: str
    tenure: str
    monthly: bool


@dataclass(slots=True)
class PostingSummary:
    """What the rest of the generator needs to know about one tenancy's postings."""

    total: int = 0
    week_total: int = 0
    week_payments: int = 0
    last_payment_day: int = -1
    payment_count: int = 0


class Ledger:
    def __init__(self, calendar: RentCalendar) -> None:
        self.calendar = calendar
        self.accounts: list[LedgerAccount] = []
        self._postings: list[array[int]] = [array("q") for _ in range(calendar.n_days)]
        self._values: list[array[int]] = [array("q") for _ in range(calendar.n_days)]
        self._openings: list[list[tuple[int, int]]] = [[] for _ in range(calendar.n_days)]
        self.row_count = 0

    def add_account(self, account: LedgerAccount) -> int:
        self.accounts.append(account)
        return len(self.accounts) - 1

    def post_weekly_debits(
        self,
        tenancy: int,
        charges_by_years_back: dict[int, list[tuple[int, int]]],
        first_week: int,
        last_week: int,
        weekly_net: array[int],
        summary: PostingSummary,
    ) -> None:
        """Monday debits (one row per charge element) for every chargeable week."""
        calendar = self.calendar
        free_week = calendar.free_week
        years_back = calendar.years_back
        base = tenancy << TYPE_BITS
        # Each week repeats the same rows for its rent year: build them once per year.
        packed = {
            back: (
                array("q", [base | code_index for code_index, _ in charges]),
                array("q", [pence for _, pence in charges]),
                sum(pence for _, pence in charges),
            )
            for back, charges in charges_by_years_back.items()
        }
        rows = 0
        for week in range(first_week, last_week + 1):
            if free_week[week]:
                continue
            day = week * 7
            week_postings, week_values, week_total = packed[years_back[week]]
            self._postings[day].extend(week_postings)
            self._values[day].extend(week_values)
            rows += len(week_values)
            weekly_net[week] += week_total
            summary.total += week_total
            if week == calendar.this_week:
                summary.week_total += week_total
        self.row_count += rows

    def post(
        self,
        tenancy: int,
        postings: Sequence[tuple[int, int, int]],
        weekly_net: array[int],
        summary: PostingSummary,
    ) -> None:
        """Any other postings: (day, type index, signed pence)."""
        this_monday = self.calendar.this_monday_day
        first_receipt = N_DEBIT_CODES
        rob = TYPE_INDEX["ROB"]
        base = tenancy << TYPE_BITS
        for day, code_index, pence in postings:
            self._postings[day].append(base | code_index)
            self._values[day].append(pence)
            weekly_net[day // 7] += pence
            summary.total += pence
            is_payment = code_index >= first_receipt and code_index != rob
            if day >= this_monday:
                summary.week_total += pence
                if is_payment:
                    summary.week_payments += pence
            if is_payment:
                summary.payment_count += 1
                summary.last_payment_day = max(summary.last_payment_day, day)
        self.row_count += len(postings)

    def post_opening_balance(self, tenancy: int, day: int, pence: int) -> None:
        """UH's opening balance (ROB), posted before anything else on its day."""
        self._openings[day].append((tenancy, pence))
        self.row_count += 1

    def rows(self) -> Iterator[tuple[object, ...]]:
        """Canonical `rtrans` rows (`RTRANS_COLUMNS`) in posting order; frees each day as it
        goes, so the buckets are gone once the table is written."""
        calendar = self.calendar
        accounts = self.accounts
        types = [
            (uh_char(code, 3), uh_char(TRANSACTION_SOURCES[code], 3)) for code in TRANSACTION_CODES
        ]
        rob = TYPE_INDEX["ROB"]
        opening_ref = uh_char("B/FWD", 12)
        sid = 0
        for day in range(calendar.n_days):
            date_text = calendar.day_text[day]
            week_year, week_number = calendar.week_period[day // 7]
            month_year, month_number = calendar.month_period[day]
            periods = ((week_year, week_number), (month_year, month_number))
            debit_refs = (
                uh_char(f"WK{week_number:02d} {week_year}", 12),
                uh_char(f"MTH{month_number:02d} {month_year}", 12),
            )
            # One batch a day for the debit run and one per receipt type; batch ids grow with
            # the day, like rtrans_sid.
            batch_base = (day + 1) * 100
            receipt_counts = [0] * len(TRANSACTION_CODES)
            for tenancy, pence in self._openings[day]:
                account = accounts[tenancy]
                year, number = periods[account.monthly]
                sid += 1
                receipt_counts[rob] += 1
                transno = receipt_counts[rob]
                yield (
                    sid,
                    account.tag_ref,
                    account.prop_ref,
                    account.house_ref,
                    account.rent_group,
                    year,
                    number,
                    account.tenure,
                    types[rob][0],
                    types[rob][1],
                    pence,
                    date_text,
                    opening_ref,
                    batch_base + rob,
                    transno,
                    1,
                    1,
                )
            last_tenancy = -1
            debit_transno = 0
            line_no = 0
            for packed, pence in zip(self._postings[day], self._values[day], strict=True):
                tenancy = packed >> TYPE_BITS
                code_index = packed & TYPE_MASK
                account = accounts[tenancy]
                year, number = periods[account.monthly]
                if code_index < N_DEBIT_CODES:
                    # A tenancy's debits for the day are one transaction, one line per element.
                    if tenancy != last_tenancy:
                        debit_transno += 1
                        line_no = 0
                        last_tenancy = tenancy
                    line_no += 1
                    batch = batch_base
                    transno = debit_transno
                    line = line_no
                    trans_ref = debit_refs[account.monthly]
                else:
                    last_tenancy = -1
                    receipt_counts[code_index] += 1
                    batch = batch_base + code_index
                    transno = receipt_counts[code_index]
                    line = 1
                    trans_ref = f"{batch:07d}{transno:05d}"
                sid += 1
                yield (
                    sid,
                    account.tag_ref,
                    account.prop_ref,
                    account.house_ref,
                    account.rent_group,
                    year,
                    number,
                    account.tenure,
                    types[code_index][0],
                    types[code_index][1],
                    pence,
                    date_text,
                    trans_ref,
                    batch,
                    transno,
                    line,
                    1,
                )
            self._postings[day] = array("q")
            self._values[day] = array("q")
            self._openings[day] = []
