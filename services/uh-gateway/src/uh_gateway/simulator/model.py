"""The simulator's in-memory picture of UH: households, properties and accounts.

Plain mutable records: the generator fills them in phases (places and people, then account
scenarios, then the ledger, then the action diary) and turns them into canonical rows.
"""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import accumulate

from uh_gateway.simulator.ledger import PostingSummary

# tenagree.agr_type of a rechargeable-repairs sub-account; UH's value is not published (ours).
SUB_ACCOUNT_TYPE = "S"


def to_pence(pounds: float) -> int:
    return round(pounds * 100)


def round_to(amount: float, step: int) -> int:
    """Pence rounded to a multiple of `step` (at least one step): how people pay by card."""
    return max(step, round(amount / step) * step)


class AccountKind(StrEnum):
    RENT = "rent"
    LEASEHOLD = "leasehold"


class BalanceClass(StrEnum):
    """The balance band an account is generated to end in (universal-housing.md §7)."""

    CREDIT = "credit"  # below zero
    ZERO = "zero"  # exactly zero
    PENNIES = "pennies"  # £0.01-£10
    LIGHT = "light"  # £10 to 4 weeks' rent (leasehold: up to a month's charges)
    MEDIUM = "medium"  # 4-12 weeks' rent (leasehold: 1-6 months)
    HEAVY = "heavy"  # above 12 weeks' rent (leasehold: above 6 months, major works)
    SPECIAL = "special"  # a hand-placed value next to a classification threshold
    EMERGENT = "emergent"  # whatever the simulated postings add up to (no opening balance)


class TargetKind(StrEnum):
    BALANCE = "balance"  # cur_bal itself
    COLLECTABLE = "collectable"  # cur_bal - |sum of this week's postings|
    AFTER_GRACE = "after_grace"  # collectable arrears minus one week's grace


class Benefit(StrEnum):
    NONE = "none"
    HOUSING_BENEFIT = "hb"
    UNIVERSAL_CREDIT = "uc"  # paid to the tenant, who pays the rent
    UC_MANAGED = "uc_managed"  # housing element paid to the council (RUC)


@dataclass(slots=True, eq=False)
class Member:
    person_no: int
    title: str
    forename: str
    surname: str
    gender: str
    dob: dt.date
    relationship: str
    responsible: bool
    ni_no: str

    @property
    def full_name(self) -> str:
        return f"{self.title} {self.forename} {self.surname}".strip()


@dataclass(slots=True, eq=False)
class Place:
    """An address: a flat on an estate (preamble) or a house on a street (door number)."""

    short_address: str
    address1: str
    post_code: str
    preamble: str
    desig: str
    street: str
    estate: bool
    major_ref: str
    rent_patch: str
    leasehold_patch: str


@dataclass(slots=True, eq=False)
class Property:
    prop_ref: str
    place: Place
    bedrooms: int
    patch: str
    uprn: str
    house_ref: str = ""


@dataclass(slots=True, eq=False)
class Household:
    house_ref: str
    members: list[Member]
    house_desc: str
    joint: bool
    mobile: str  # as stored in contacts.con_phone1 (any format, may be invalid or blank)
    mobile_e164: str  # for SMS comments in the diary; blank when the number is not valid
    landline: str
    work_phone: str
    email: str
    second_mobile: str = ""
    correspondence: tuple[str, str, str] | None = None  # preamble, desig, postcode
    prop_ref: str = ""
    payment_method: str = ""


@dataclass(slots=True, eq=False)
class Account:
    index: int
    kind: AccountKind
    tag_ref: str
    household: Household
    prop: Property
    tenure: str
    rent_group: str
    agr_type: str
    master_tag_ref: str
    terminated: bool
    cot: dt.date
    eot: dt.date | None
    first_day: int
    last_day: int
    payment_ref: str
    # Current charge elements: weekly for rent groups, monthly for leasehold: (code, pence).
    charges: list[tuple[str, int]]
    balance_class: BalanceClass = BalanceClass.CREDIT
    target_kind: TargetKind = TargetKind.BALANCE
    target: int = 0
    special: str = ""
    benefit: Benefit = Benefit.NONE
    own_method: str = ""
    never_paid: bool = False
    new_tenancy: bool = False
    # The day payments started falling short (None: they never did); may precede the history.
    arrears_from: int | None = None
    stopped_paying: bool = False
    uc_start: int = 0
    managed_from: int = 0
    direct_debits: list[tuple[int, int, int, str]] = field(default_factory=list)
    # Legal position (tenagree columns); None means UH's "no date".
    nosp_served: dt.date | None = None
    court_date: dt.datetime | None = None
    court_outcome: str = ""
    eviction_date: dt.datetime | None = None
    wants_agreement: bool = False
    # A hand-placed last communication (code, when) for the threshold scenarios.
    last_communication: tuple[str, dt.datetime] | None = None
    major_works: int = 0
    lease_date: dt.date | None = None
    money_judgement: int = 0
    charging_order: int = 0
    balance_dispute: int = 0
    # Filled in by the ledger.
    summary: PostingSummary = field(default_factory=PostingSummary)
    weekly_net: array[int] = field(default_factory=lambda: array("q"))
    weekly_balance: array[int] = field(default_factory=lambda: array("q"))
    opening_balance: int = 0
    balance: int = 0
    high_action: str = "111"  # UH's "no stage reached" (the fixtures' default)
    high_action_date: dt.datetime | None = None

    @property
    def weekly_gross(self) -> int:
        """rent + service + other_charge (per week for rent groups, per month for LSC)."""
        return sum(pence for _, pence in self.charges)

    @property
    def arrears_start(self) -> int:
        """The first day of the history the arrears story belongs to."""
        return max(self.arrears_from or 0, self.first_day, 0)

    @property
    def is_rent(self) -> bool:
        return self.kind is AccountKind.RENT

    @property
    def is_live_secure_master(self) -> bool:
        return (
            self.tenure == "SEC"
            and self.agr_type == "M"
            and not self.terminated
            and self.kind is AccountKind.RENT
        )

    def close_ledger(self, opening_balance: int) -> None:
        self.opening_balance = opening_balance
        self.balance = self.summary.total + opening_balance
        self.weekly_balance = array("q", accumulate(self.weekly_net, initial=opening_balance))
        del self.weekly_balance[0]

    def balance_at_day(self, day: int) -> int:
        """Balance at the end of the week containing `day` (good enough for diary rows)."""
        week = min(max(day, 0) // 7, len(self.weekly_balance) - 1)
        return self.weekly_balance[week]
