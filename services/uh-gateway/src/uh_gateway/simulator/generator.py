"""Deterministic synthetic Universal Housing data (universal-housing.md §7).

`UHSimulation(size, as_of, seed)` builds the whole picture in memory (except the ledger rows,
which stay packed until written) and exposes one iterator of canonical rows per UH table
(`formats.py` describes the canonical form). Everything is drawn from `random.Random`s seeded
from `seed`, and every date is relative to `as_of`, so the same seed, date and sizes give the
same database byte for byte.

How balances are made exact: each account is given a target first (a balance band, or a
hand-placed value next to a classification threshold), its charges and payments are simulated
for two years, and an opening-balance row (`ROB`) at the start of the history makes
`tenagree.cur_bal` equal the sum of its `rtrans` rows to the penny.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from dataclasses import dataclass

from uh_gateway.domain import codes
from uh_gateway.simulator.agreements import Agreement, agreements_for
from uh_gateway.simulator.diary import DiaryEntry, DiaryWriter
from uh_gateway.simulator.formats import uh_char
from uh_gateway.simulator.ledger import (
    Ledger,
    LedgerAccount,
)
from uh_gateway.simulator.model import (
    SUB_ACCOUNT_TYPE,
    Account,
    AccountKind,
    BalanceClass,
    Household,
    Property,
    round_to,
    to_pence,
)
from uh_gateway.simulator.payments import PaymentSimulator
from uh_gateway.simulator.population import PopulationBuilder
from uh_gateway.simulator.rent_calendar import RentCalendar
from uh_gateway.simulator.scenarios import ScenarioPlanner

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SimulatorSize:
    rent_accounts: int
    leasehold_accounts: int


PROFILES: dict[str, SimulatorSize] = {
    "test": SimulatorSize(rent_accounts=300, leasehold_accounts=100),
    "run": SimulatorSize(rent_accounts=5_000, leasehold_accounts=1_500),
    "bench": SimulatorSize(rent_accounts=30_000, leasehold_accounts=10_000),
}

# Weekly gross rent by bedrooms (§7 assumption: £90-£160).
GROSS_RENT_BY_BEDROOMS = {1: (90, 110), 2: (105, 125), 3: (120, 140), 4: (135, 152), 5: (145, 160)}
TEMPORARY_GROSS_RENT = (150, 220)
# Weekly service elements on estates and other charges: (code, probability, £ low, £ high).
SERVICE_ELEMENTS: tuple[tuple[str, float, float, float], ...] = (
    ("DCB", 0.60, 2, 6),
    ("DCE", 0.40, 1, 4),
    ("DGM", 0.25, 1, 3),
    ("DLL", 0.35, 1, 3),
    ("DHE", 0.12, 5, 20),
    ("DCO", 0.04, 5, 12),
)
OTHER_ELEMENTS: tuple[tuple[str, float, float, float], ...] = (
    ("DWR", 0.40, 5, 9),
    ("DTL", 0.25, 0.2, 0.6),
    ("DCI", 0.04, 1, 3),
)
SERVICE_CODES = frozenset(code for code, *_ in SERVICE_ELEMENTS) | {"DSC"}
OTHER_CODES = frozenset(code for code, *_ in OTHER_ELEMENTS) | {"DGR"}
# contacts.con_type for a household's contact record; UH's values are not published (ours).
HOUSEHOLD_CONTACT_TYPE = "H"


def _allocate(total: int, shares: tuple[tuple[str, float, int], ...]) -> dict[str, int]:
    """Counts per kind: the first kind takes what the others leave. Minimums (so the small
    profiles still contain every kind) apply from 100 accounts up."""
    counts = {}
    for name, share, minimum in shares[1:]:
        counts[name] = max(round(share * total), minimum if total >= 100 else 0)
    counts[shares[0][0]] = total - sum(counts.values())
    if counts[shares[0][0]] < 0:
        raise ValueError(f"{total} accounts are too few for this mix")
    return counts


class UHSimulation:
    def __init__(self, size: SimulatorSize, as_of: dt.date, seed: int) -> None:
        self.size = size
        self.as_of = as_of
        self.seed = seed
        self.calendar = RentCalendar(as_of)
        self.ledger = Ledger(self.calendar)
        self.accounts: list[Account] = []
        self.households: list[Household] = []
        self.properties: list[Property] = []
        self.agreements: list[Agreement] = []
        self.diary: list[tuple[Account, DiaryEntry]] = []
        self._people = PopulationBuilder(self._rng("people"), as_of)
        self._create_accounts()
        ScenarioPlanner(self.calendar).assign(self.accounts, self._rng("scenarios"))
        self._run_ledger()
        self._write_agreements_and_diary()
        logger.info(
            "simulated UH",
            extra={
                "accounts": len(self.accounts),
                "rtrans_rows": self.ledger.row_count,
                "araction_rows": len(self.diary),
            },
        )

    def _rng(self, stage: str) -> random.Random:
        # A separate stream per phase keeps one phase's changes from reshuffling the others.
        return random.Random(f"uh-simulator/{self.seed}/{stage}")

    # Accounts, households and properties -------------------------------------------------------

    def _create_accounts(self) -> None:
        rng = self._rng("accounts")
        calendar = self.calendar
        n_rent, n_leasehold = self.size.rent_accounts, self.size.leasehold_accounts
        rent_mix = _allocate(
            n_rent,
            (
                ("SEC", 0.0, 0),
                ("TERM", 0.025, 3),
                ("SUB", 0.015, 2),
                ("INT", 0.02, 2),
                ("NON", 0.01, 1),
                ("TLA", 0.007, 1),
                ("TBB", 0.003, 1),
            ),
        )
        leasehold_mix = _allocate(
            n_leasehold,
            (
                ("LEA", 0.0, 0),
                ("SHO", 0.10, 2),
                ("FRS", 0.07, 2),
                ("FRE", 0.04, 2),
                ("TERM", 0.01, 1),
            ),
        )
        movers = min(round(rent_mix["TERM"] * 0.4), rent_mix["SEC"])
        rent_homes = n_rent - rent_mix["SUB"]
        household_count = n_rent - rent_mix["SUB"] - movers + n_leasehold
        places = self._people.places(rent_homes, n_leasehold)
        self.postcodes = places.postcodes
        house_numbers = rng.sample(range(100_000, 1_000_000), household_count)
        prop_numbers = rng.sample(range(1, 100_000_000), rent_homes + n_leasehold)
        uprns = rng.sample(range(10_000_000, 100_000_000), rent_homes + n_leasehold)
        payment_refs = rng.sample(range(1_000_000_000, 10_000_000_000), n_rent + n_leasehold)
        places_rent = iter(places.rent)
        places_leasehold = iter(places.leasehold)
        property_serial = iter(range(rent_homes + n_leasehold))
        household_serial = iter(house_numbers)
        payment_serial = iter(payment_refs)

        def new_property(leasehold: bool) -> Property:
            place = next(places_leasehold if leasehold else places_rent)
            serial = next(property_serial)
            if place.estate:
                bedrooms = rng.choices((1, 2, 3, 4), (30, 40, 25, 5))[0]
            else:
                bedrooms = rng.choices((2, 3, 4, 5), (25, 40, 25, 10))[0]
            patch = place.leasehold_patch if leasehold else place.rent_patch
            # A few properties have no arrears patch ("unassigned" in the worktray).
            if rng.random() < (0.02 if leasehold else 0.03):
                patch = ""
            prop = Property(
                prop_ref=f"{prop_numbers[serial]:08d}",
                place=place,
                bedrooms=bedrooms,
                patch=patch,
                uprn=f"1000{uprns[serial]:08d}",
            )
            self.properties.append(prop)
            return prop

        def new_household(leasehold: bool) -> Household:
            household = self._people.household(f"{next(household_serial):06d}", leasehold=leasehold)
            self.households.append(household)
            return household

        def old_cot() -> dt.date:
            # Tenancies that began before the history: Mondays 0-40 years earlier.
            weeks_before = rng.randint(1, 40 * 52)
            return calendar.start - dt.timedelta(weeks=weeks_before)

        def add(
            kind: AccountKind,
            household: Household,
            prop: Property,
            tenure: str,
            rent_group: str,
            tenancy_number: int,
            charges: list[tuple[str, int]],
            cot: dt.date,
            eot: dt.date | None = None,
            agr_type: str = codes.MASTER_ACCOUNT,
            master: str = "",
        ) -> Account:
            tag_ref = f"{household.house_ref}/{tenancy_number:02d}"
            first_day = max(0, calendar.day_of(cot))
            last_day = calendar.n_days - 1 if eot is None else calendar.day_of(eot)
            account = Account(
                index=len(self.accounts),
                kind=kind,
                tag_ref=tag_ref,
                household=household,
                prop=prop,
                tenure=tenure,
                rent_group=rent_group,
                agr_type=agr_type,
                master_tag_ref=master or tag_ref,
                terminated=eot is not None,
                cot=cot,
                eot=eot,
                first_day=first_day,
                last_day=last_day,
                payment_ref=str(next(payment_serial)),
                charges=charges,
                new_tenancy=calendar.day_of(cot) > 0,
            )
            self.accounts.append(account)
            if not household.prop_ref:
                household.prop_ref = prop.prop_ref
            if not prop.house_ref:
                prop.house_ref = household.house_ref
            return account

        # Secure tenancies: most began years ago; some during the history (new tenancies).
        secure: list[Account] = []
        for _ in range(rent_mix["SEC"]):
            household = new_household(False)
            prop = new_property(False)
            if rng.random() < 0.07:
                cot = calendar.start + dt.timedelta(weeks=rng.randint(1, calendar.this_week - 1))
            else:
                cot = old_cot()
            secure.append(
                add(
                    AccountKind.RENT,
                    household,
                    prop,
                    "SEC",
                    "HRA",
                    1,
                    self._rent_charges(rng, prop, False),
                    cot,
                )
            )
        # Former tenancies: some households moved within the borough (their old tenancy /01 is
        # terminated and the current one is /02), the rest left.
        for index in range(rent_mix["TERM"]):
            end_week = rng.randint(4, calendar.this_week - 2)
            eot = calendar.start + dt.timedelta(weeks=end_week, days=6)
            prop = new_property(False)
            if index < movers:
                current = secure[index]
                household = current.household
                current.tag_ref = f"{household.house_ref}/02"
                current.master_tag_ref = current.tag_ref
                current.cot = eot + dt.timedelta(days=1)
                current.first_day = calendar.day_of(current.cot)
                current.new_tenancy = True
                number = 1
            else:
                household = new_household(False)
                number = 1
            add(
                AccountKind.RENT,
                household,
                prop,
                "SEC",
                "HRA",
                number,
                self._rent_charges(rng, prop, False),
                old_cot(),
                eot,
            )
        for tenure, rent_group in (("INT", "HRA"), ("NON", "HRA"), ("TLA", "TAH"), ("TBB", "TAH")):
            for _ in range(rent_mix[tenure]):
                household = new_household(False)
                prop = new_property(False)
                if tenure == "INT":
                    # Introductory tenancies are, by definition, in their first year.
                    cot = calendar.this_monday - dt.timedelta(weeks=rng.randint(2, 50))
                elif tenure in ("TLA", "TBB"):
                    cot = calendar.this_monday - dt.timedelta(weeks=rng.randint(2, 150))
                else:
                    cot = old_cot()
                temporary = rent_group == "TAH"
                add(
                    AccountKind.RENT,
                    household,
                    prop,
                    tenure,
                    rent_group,
                    1,
                    self._rent_charges(rng, prop, temporary),
                    cot,
                )
        # Rechargeable-repairs sub-accounts of secure tenancies: same household and property.
        for master in rng.sample(secure, rent_mix["SUB"]):
            number = 3 if master.tag_ref.endswith("/02") else 2
            start = calendar.start + dt.timedelta(weeks=rng.randint(0, calendar.this_week - 4))
            add(
                AccountKind.RENT,
                master.household,
                master.prop,
                "SEC",
                "HRA",
                number,
                [],
                max(start, master.cot),
                agr_type=SUB_ACCOUNT_TYPE,
                master=master.tag_ref,
            )
        # Leasehold accounts: service charges billed monthly.
        for tenure in ("LEA", "SHO", "FRS", "FRE", "TERM"):
            for _ in range(leasehold_mix[tenure]):
                household = new_household(True)
                prop = new_property(True)
                if rng.random() < 0.05:
                    cot = calendar.start + dt.timedelta(
                        weeks=rng.randint(1, calendar.this_week - 2)
                    )
                else:
                    cot = calendar.start - dt.timedelta(weeks=rng.randint(1, 35 * 52))
                ended: dt.date | None = None
                if tenure == "TERM":
                    ended = calendar.start + dt.timedelta(
                        weeks=rng.randint(8, calendar.this_week - 4), days=6
                    )
                charges = [
                    ("DSC", to_pence(rng.uniform(70, 230))),
                    ("DGR", to_pence(rng.uniform(1, 20))),
                ]
                account = add(
                    AccountKind.LEASEHOLD,
                    household,
                    prop,
                    "LEA" if tenure == "TERM" else tenure,
                    codes.LEASEHOLD_RENT_GROUP,
                    1,
                    charges,
                    cot,
                    ended,
                )
                # The original lease: this lessee's purchase, or an earlier right-to-buy sale.
                resold = rng.random() < 0.4
                account.lease_date = (
                    cot - dt.timedelta(days=rng.randint(365, 30 * 365)) if resold else cot
                )
                if rng.random() < 0.1:
                    hackney = rng.choice(places.rent) if places.rent else None
                    household.correspondence = self._people.correspondence_address(hackney)

    @staticmethod
    def _rent_charges(rng: random.Random, prop: Property, temporary: bool) -> list[tuple[str, int]]:
        low, high = TEMPORARY_GROSS_RENT if temporary else GROSS_RENT_BY_BEDROOMS[prop.bedrooms]
        gross = to_pence(rng.uniform(low, high))
        elements: list[tuple[str, int]] = []
        if prop.place.estate:
            for code, chance, low_pounds, high_pounds in SERVICE_ELEMENTS:
                if rng.random() < chance:
                    elements.append((code, to_pence(rng.uniform(low_pounds, high_pounds))))
        for code, chance, low_pounds, high_pounds in OTHER_ELEMENTS:
            if code == "DTL" and not prop.place.estate:
                continue
            if rng.random() < chance:
                elements.append((code, to_pence(rng.uniform(low_pounds, high_pounds))))
        rent = gross - sum(pence for _, pence in elements)
        return [("DTA" if temporary else "DBR", rent), *elements]

    # Ledger ----------------------------------------------------------------------------------

    def _run_ledger(self) -> None:
        rng = self._rng("ledger")
        for account in self.accounts:
            self.ledger.add_account(
                LedgerAccount(
                    tag_ref=uh_char(account.tag_ref, 11),
                    prop_ref=uh_char(account.prop.prop_ref, 12),
                    house_ref=uh_char(account.household.house_ref, 10),
                    rent_group=uh_char(account.rent_group, 3),
                    tenure=uh_char(account.tenure, 3),
                    monthly=account.kind is AccountKind.LEASEHOLD,
                )
            )
        payments = PaymentSimulator(self.calendar, self.ledger)
        for account in self.accounts:
            payments.simulate(account, rng)
        logger.info("simulated ledger", extra={"rtrans_rows": self.ledger.row_count})

    # Agreements, direct debits, diary ----------------------------------------------------------

    def _write_agreements_and_diary(self) -> None:
        rng = self._rng("diary")
        writer = DiaryWriter(self.calendar, rng)
        for account in self.accounts:
            agreements = (
                agreements_for(account, self.calendar, rng) if account.wants_agreement else []
            )
            self.agreements.extend(agreements)
            self._legal_columns(rng, account)
            for entry in writer.for_account(account, agreements):
                self.diary.append((account, entry))
        # Surrogate ids grow with time, as UH's MAX+1 numbering would have made them.
        self.diary.sort(key=lambda item: (item[1].when, item[0].index))
        self.agreements.sort(key=lambda agreement: (agreement.start, agreement.account.index))
        for sid, agreement in enumerate(self.agreements, start=1):
            agreement.sid = sid
            agreement.ref = f"AR{sid:07d}"
        lines = [
            (line.start, agreement.sid, position, line)
            for agreement in self.agreements
            for position, line in enumerate(agreement.lines)
        ]
        lines.sort(key=lambda item: item[:3])
        for sid, (*_, line) in enumerate(lines, start=1):
            line.sid = sid

    def _legal_columns(self, rng: random.Random, account: Account) -> None:
        """high_action (the furthest arrears stage reached) and leasehold legal amounts."""
        if account.kind is AccountKind.LEASEHOLD and account.balance_class is BalanceClass.HEAVY:
            draw = rng.random()
            if draw < 0.15:
                account.money_judgement = round(account.balance * rng.uniform(0.5, 1.0))
            elif draw < 0.25:
                account.charging_order = round(account.balance * rng.uniform(0.5, 1.0))
            elif draw < 0.35:
                account.balance_dispute = round_to(account.balance * rng.uniform(0.05, 0.5), 100)
        when: dt.datetime
        if account.eviction_date is not None:
            account.high_action, when = "7RE", account.eviction_date - dt.timedelta(days=35)
        elif account.court_date is not None:
            outcome_breached = (
                account.court_outcome in ("SUP", "ADT")
                and account.balance > 0
                and rng.random() < 0.4
            )
            account.high_action = "6RO" if outcome_breached else "6RC"
            when = account.court_date - dt.timedelta(days=42)
        elif account.nosp_served is not None:
            account.high_action = "5RP" if rng.random() < 0.3 else "4RS"
            when = dt.datetime.combine(account.nosp_served, dt.time())
        elif account.balance_class in (BalanceClass.MEDIUM, BalanceClass.HEAVY) and account.is_rent:
            account.high_action = rng.choice(("1RS", "2RS", "3RS"))
            when = dt.datetime.combine(self.calendar.date_of(account.arrears_start + 14), dt.time())
        else:
            return
        account.high_action_date = min(when, dt.datetime.combine(self.as_of, dt.time()))
