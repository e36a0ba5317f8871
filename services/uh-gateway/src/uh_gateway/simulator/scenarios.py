"""What each simulated account's history is made to show.

Every live secure account gets a balance band in the proportions of universal-housing.md §7,
or one of the hand-placed threshold scenarios (`Special`) that sit a penny either side of the
classifier's limits (income-rules.md §1.5-§1.7); then a benefit, a way of paying, when (if
ever) its payments fell short, and for the deepest arrears a notice, court date or eviction.
The other accounts (other tenures, former tenancies, sub-accounts, leaseholders) get simpler
stories of the same kind.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from uh_gateway.simulator.model import (
    SUB_ACCOUNT_TYPE,
    Account,
    AccountKind,
    BalanceClass,
    Benefit,
    TargetKind,
    to_pence,
)
from uh_gateway.simulator.rent_calendar import RentCalendar, months_after, months_before

# Own payment methods of rent accounts (§7 receipt methods) with their weights.
RENT_METHODS = (
    ("RDD", 22),
    ("RSO", 7),
    ("RPY", 15),
    ("RBR", 5),
    ("RCP", 28),
    ("RBP", 12),
    ("RCO", 3),
    ("RQP", 2),
)
LEASEHOLD_METHODS = (("RDD", 50), ("RSO", 17), ("RCP", 17), ("RBP", 11), ("RQP", 5))
# Balance bands of live secure accounts (§7: 60-70 % at or below zero, ~15 % £0.01-£10,
# ~10 % £10 to four weeks' rent, ~7 % four to twelve weeks, ~3 % more).
RENT_BANDS = (
    (BalanceClass.CREDIT, 0.55),
    (BalanceClass.ZERO, 0.08),
    (BalanceClass.PENNIES, 0.15),
    (BalanceClass.LIGHT, 0.10),
    (BalanceClass.MEDIUM, 0.085),
    (BalanceClass.HEAVY, 0.035),
)
# Leaseholders in months of service charge instead of weeks of rent (our choice).
LEASEHOLD_BANDS = (
    (BalanceClass.CREDIT, 0.50),
    (BalanceClass.ZERO, 0.10),
    (BalanceClass.PENNIES, 0.05),
    (BalanceClass.LIGHT, 0.15),
    (BalanceClass.MEDIUM, 0.12),
    (BalanceClass.HEAVY, 0.08),
)
ARREARS_BANDS = (BalanceClass.LIGHT, BalanceClass.MEDIUM, BalanceClass.HEAVY)

# Share of each arrears band that stopped paying altogether (the rest pay short).
STOPPED_PAYING_CHANCE = {
    BalanceClass.LIGHT: 0.15,
    BalanceClass.MEDIUM: 0.35,
    BalanceClass.HEAVY: 0.45,
}
# Legacy UH court outcomes (§3.7); blank = hearing held, outcome not yet recorded.
LEGAL_COURT_OUTCOMES = ("OPD", "OPF", "ADT", "SUP", "AGE", "PPO", "")


@dataclass(frozen=True, slots=True)
class Special:
    """A secure account placed next to a classification threshold (income-rules.md §1.5-§1.7)."""

    name: str
    target_kind: TargetKind
    pence: int = 0
    weeks: int = 0
    communication: tuple[str, dt.datetime] | None = None
    nosp_served: dt.date | None = None
    court: tuple[dt.datetime, str] | None = None
    eviction: dt.datetime | None = None


def _rent_band(balance: int, gross: int) -> BalanceClass:
    if balance < 0:
        return BalanceClass.CREDIT
    if balance == 0:
        return BalanceClass.ZERO
    if balance <= 1000:
        return BalanceClass.PENNIES
    if balance < 4 * gross:
        return BalanceClass.LIGHT
    if balance <= 12 * gross:
        return BalanceClass.MEDIUM
    return BalanceClass.HEAVY


def _nosp_served_for_valid_until(valid_until: dt.date) -> dt.date:
    """The served date whose NOSP stops being valid on `valid_until` (income-rules.md §1.4:
    valid until served + 3 calendar months + 52 weeks)."""
    guess = months_before(valid_until - dt.timedelta(weeks=52), 3)
    for offset in range(-4, 5):
        served = guess + dt.timedelta(days=offset)
        if months_after(served, 3) + dt.timedelta(weeks=52) == valid_until:
            return served
    return guess


class ScenarioPlanner:
    def __init__(self, calendar: RentCalendar) -> None:
        self.calendar = calendar
        self.as_of = calendar.as_of

    def assign(self, accounts: list[Account], rng: random.Random) -> None:
        self._assign_rent_scenarios(accounts, rng)
        self._assign_other_scenarios(accounts, rng)

    def _specials(self) -> list[Special]:
        as_of = self.as_of

        def midnight(days_ago: int) -> dt.datetime:
            return dt.datetime.combine(as_of - dt.timedelta(days=days_ago), dt.time())

        def later(days_ago: int, hour: int, minute: int) -> dt.datetime:
            return dt.datetime.combine(as_of - dt.timedelta(days=days_ago), dt.time(hour, minute))

        three_months = months_before(as_of, 3)
        three_months_midnight = dt.datetime.combine(three_months, dt.time())
        after = TargetKind.AFTER_GRACE
        collectable = TargetKind.COLLECTABLE
        balance = TargetKind.BALANCE
        specials = [
            *(
                Special(f"collectable arrears £{p / 100:.2f}", collectable, p)
                for p in (499, 500, 501, 999, 1000, 1001)
            ),
            *(Special(f"arrears after grace £{p / 100:.2f}", after, p) for p in (999, 1000, 1001)),
            *(
                Special(
                    f"arrears after grace 4 weeks {p:+d}p",
                    after,
                    p,
                    weeks=4,
                    communication=("IC2", later(30, 10, 0)),
                )
                for p in (-1, 0, 1)
            ),
            *(
                Special(f"balance £{p / 100:.2f}", balance, p)
                for p in (34_999, 35_000, 35_001, 104_899, 104_900, 104_901)
            ),
            Special(
                "SMS 7 days ago at midnight", collectable, 750, communication=("GAT", midnight(7))
            ),
            Special(
                "SMS 7 days ago, later that day",
                collectable,
                750,
                communication=("GAT", later(7, 10, 30)),
            ),
            Special(
                "letter one 3 months ago at midnight",
                after,
                2500,
                communication=("IC1", three_months_midnight),
            ),
            Special(
                "letter one 3 months ago, later that day",
                after,
                2500,
                communication=("IC1", three_months_midnight.replace(hour=13, minute=15)),
            ),
            Special(
                "letter one 14 days ago at midnight",
                after,
                2500,
                communication=("IC1", midnight(14)),
            ),
            Special(
                "letter one 14 days ago, later that day",
                after,
                2500,
                communication=("IC1", later(14, 16, 40)),
            ),
            Special(
                "letter two 7 days ago at midnight",
                after,
                0,
                weeks=5,
                communication=("IC2", midnight(7)),
            ),
            Special(
                "letter two 7 days ago, later that day",
                after,
                0,
                weeks=5,
                communication=("IC2", later(7, 9, 5)),
            ),
            Special(
                "letter two 3 months ago at midnight",
                after,
                0,
                weeks=5,
                communication=("IC2", three_months_midnight),
            ),
            Special(
                "letter two 3 months ago, later that day",
                after,
                0,
                weeks=5,
                communication=("IC2", three_months_midnight.replace(hour=11)),
            ),
            Special(
                "court warning 14 days ago at midnight",
                after,
                0,
                weeks=5,
                communication=("IC4", midnight(14)),
                nosp_served=months_before(as_of, 6),
            ),
            Special(
                "court warning 14 days ago, later that day",
                after,
                0,
                weeks=5,
                communication=("IC4", later(14, 14, 20)),
                nosp_served=months_before(as_of, 6),
            ),
            Special("NOSP expiring today", after, 0, weeks=6, nosp_served=three_months),
            Special(
                "NOSP in its last day of cooling off",
                after,
                0,
                weeks=6,
                nosp_served=three_months + dt.timedelta(days=1),
            ),
            Special(
                "NOSP valid until tomorrow",
                after,
                0,
                weeks=6,
                nosp_served=_nosp_served_for_valid_until(as_of + dt.timedelta(days=1)),
            ),
            Special(
                "NOSP valid until today",
                after,
                0,
                weeks=6,
                nosp_served=_nosp_served_for_valid_until(as_of),
            ),
            Special(
                "court date in the future",
                after,
                0,
                weeks=8,
                nosp_served=months_before(as_of, 9),
                court=(later(-21, 10, 0), ""),
            ),
            Special(
                "court date passed, no outcome",
                after,
                0,
                weeks=8,
                nosp_served=months_before(as_of, 9),
                court=(later(14, 10, 0), ""),
            ),
            Special(
                "outright possession last month",
                after,
                0,
                weeks=8,
                nosp_served=months_before(as_of, 10),
                court=(later(30, 10, 0), "OPD"),
            ),
            Special(
                "outright possession forthwith, eviction booked",
                after,
                0,
                weeks=8,
                nosp_served=months_before(as_of, 12),
                court=(later(70, 14, 0), "OPF"),
                eviction=later(-20, 9, 30),
            ),
        ]
        return specials

    def _assign_rent_scenarios(self, accounts: list[Account], rng: random.Random) -> None:
        pool = [a for a in accounts if a.is_live_secure_master]
        band_counts = {band: round(share * len(pool)) for band, share in RENT_BANDS}
        band_counts[BalanceClass.CREDIT] += len(pool) - sum(band_counts.values())
        # New tenancies end wherever their postings take them (no opening balance).
        new = [a for a in pool if a.new_tenancy]
        old = [a for a in pool if not a.new_tenancy]
        rng.shuffle(old)
        for account in new:
            account.balance_class = BalanceClass.EMERGENT
        repeats = max(1, round(len(pool) / 4000))
        specials = [special for special in self._specials() for _ in range(repeats)]
        specials = specials[: max(0, len(old) - 10)]
        for account, special in zip(old, specials, strict=False):
            gross = account.weekly_gross
            account.balance_class = BalanceClass.SPECIAL
            account.special = special.name
            account.target_kind = special.target_kind
            account.target = special.pence + special.weeks * gross
            account.last_communication = special.communication
            account.nosp_served = special.nosp_served
            if special.court is not None:
                account.court_date, account.court_outcome = special.court
            account.eviction_date = special.eviction
            estimate = account.target + (
                2 * gross if special.target_kind is not TargetKind.BALANCE else 0
            )
            band = _rent_band(estimate, gross)
            for candidate in (
                band,
                BalanceClass.MEDIUM,
                BalanceClass.LIGHT,
                BalanceClass.HEAVY,
                BalanceClass.PENNIES,
                BalanceClass.CREDIT,
            ):
                if band_counts[candidate] > 0:
                    band_counts[candidate] -= 1
                    break
        regular = old[len(specials) :]
        # New tenancies take slots from the bands in proportion.
        for _ in new:
            band = rng.choices(
                list(band_counts), [max(count, 0) for count in band_counts.values()]
            )[0]
            band_counts[band] -= 1
        bands = [band for band, count in band_counts.items() for _ in range(max(count, 0))]
        bands += [BalanceClass.CREDIT] * (len(regular) - len(bands))
        rng.shuffle(bands)
        for account, band in zip(regular, bands, strict=False):
            account.balance_class = band
            account.target = self._rent_target(rng, band, account.weekly_gross)
        for account in pool:
            self._plan_rent_payer(rng, account)
        self._assign_legal(rng, pool)
        # Agreements: 5-10 % of accounts, mostly those in arrears; a few long since cleared.
        arrears = [a for a in regular if a.balance_class in ARREARS_BANDS]
        others = [a for a in regular if a.balance_class not in ARREARS_BANDS]
        wanted = round(len(pool) * 0.075)
        for account in rng.sample(arrears, min(len(arrears), round(wanted * 0.8))):
            account.wants_agreement = True
        for account in rng.sample(others, min(len(others), round(wanted * 0.2))):
            account.wants_agreement = True

    @staticmethod
    def _rent_target(rng: random.Random, band: BalanceClass, gross: int) -> int:
        if band is BalanceClass.CREDIT:
            weeks = rng.uniform(4, 20) if rng.random() < 0.06 else rng.uniform(0.05, 4)
            return -round(weeks * gross)
        if band is BalanceClass.ZERO:
            return 0
        if band is BalanceClass.PENNIES:
            return rng.randint(1, 1000)
        if band is BalanceClass.LIGHT:
            return rng.randint(1001, max(1002, 4 * gross - 1))
        if band is BalanceClass.MEDIUM:
            return rng.randint(4 * gross, 12 * gross)
        return rng.randint(12 * gross + 1, 40 * gross)

    def _plan_rent_payer(self, rng: random.Random, account: Account) -> None:
        """Benefit, own payment method and, for arrears, when payments started falling short."""
        calendar = self.calendar
        band = account.balance_class
        today = calendar.n_days - 1
        if account.special:
            account.benefit = Benefit.HOUSING_BENEFIT if rng.random() < 0.25 else Benefit.NONE
        elif band is BalanceClass.ZERO and rng.random() < 0.6:
            account.benefit = Benefit.HOUSING_BENEFIT
        else:
            # §7: 20-30 % on housing benefit, 10-25 % on Universal Credit.
            draw = rng.random()
            if draw < 0.25:
                account.benefit = Benefit.HOUSING_BENEFIT
            elif draw < 0.33:
                account.benefit = Benefit.UNIVERSAL_CREDIT
            elif draw < 0.47:
                account.benefit = Benefit.UC_MANAGED
        if account.benefit in (Benefit.UNIVERSAL_CREDIT, Benefit.UC_MANAGED):
            account.uc_start = rng.randint(max(account.first_day, 0) - 300, today - 42)
            if account.benefit is Benefit.UC_MANAGED:
                account.managed_from = max(
                    account.uc_start + rng.randint(35, 90), account.first_day
                )
                if account.managed_from > today - 7:
                    account.benefit = Benefit.UNIVERSAL_CREDIT
        account.own_method = rng.choices(
            [m for m, _ in RENT_METHODS], [w for _, w in RENT_METHODS]
        )[0]
        if band is BalanceClass.EMERGENT and rng.random() < 0.2:
            account.never_paid = True
            account.benefit = Benefit.NONE
        gross = account.weekly_gross
        stop_chance = STOPPED_PAYING_CHANCE
        if rng.random() < stop_chance.get(band, 0.0):
            # Stopped paying altogether (benefits too) about as many weeks ago as the arrears
            # are weeks of rent: the last payment is anything from days to months ago.
            account.stopped_paying = True
            weeks = account.target / gross * rng.uniform(0.8, 1.0)
            account.arrears_from = today - max(7, round(7 * weeks))
        elif band is BalanceClass.LIGHT:
            account.arrears_from = today - rng.randint(7, 90)
        elif band is BalanceClass.MEDIUM or (
            band is BalanceClass.SPECIAL and account.target > 4 * account.weekly_gross
        ):
            account.arrears_from = today - rng.randint(28, 280)
        elif band is BalanceClass.HEAVY:
            account.arrears_from = today - rng.randint(56, 700)
        elif band is BalanceClass.SPECIAL:
            account.arrears_from = today - rng.randint(7, 120)
        if account.nosp_served is not None:
            # The arrears came before the notice.
            served_day = calendar.day_of(account.nosp_served)
            account.arrears_from = min(
                account.arrears_from or served_day, served_day - rng.randint(56, 200)
            )

    def _assign_legal(self, rng: random.Random, pool: list[Account]) -> None:
        """NOSPs (1-3 % of accounts), court dates and evictions (<1 %) on the deepest arrears."""
        calendar = self.calendar
        as_of = self.as_of
        candidates = [
            a for a in pool if a.balance_class in (BalanceClass.MEDIUM, BalanceClass.HEAVY)
        ]
        candidates.sort(key=lambda a: (a.balance_class is not BalanceClass.HEAVY, a.index))
        already = sum(1 for a in pool if a.nosp_served is not None)
        nosp_count = max(0, round(len(pool) * 0.018) - already)
        shortlist = candidates[: nosp_count * 2]
        chosen = rng.sample(shortlist, min(nosp_count, len(shortlist)))
        courts = round(len(pool) * 0.005)
        evictions = round(len(pool) * 0.002)
        for position, account in enumerate(chosen):
            served_days_ago = rng.randint(30, 730)
            account.nosp_served = as_of - dt.timedelta(days=served_days_ago)
            served_day = calendar.day_of(account.nosp_served)
            account.arrears_from = min(
                account.arrears_from or served_day, served_day - rng.randint(56, 200)
            )
            # Arrears this old were paid down in part since; the notice came from not paying.
            account.stopped_paying = False
            if position < courts and served_days_ago > 120:
                if position % 4 == 0:
                    account.court_date = dt.datetime.combine(
                        as_of + dt.timedelta(days=rng.randint(3, 56)), dt.time(10, 0)
                    )
                    account.court_outcome = ""
                else:
                    court_days_ago = rng.randint(7, served_days_ago - 90)
                    account.court_date = dt.datetime.combine(
                        as_of - dt.timedelta(days=court_days_ago),
                        dt.time(rng.choice((10, 11, 14)), 0),
                    )
                    account.court_outcome = rng.choice(LEGAL_COURT_OUTCOMES)
                    if position < evictions * 2 and account.court_outcome in ("OPD", "OPF", "SUP"):
                        eviction = as_of + dt.timedelta(days=rng.randint(-60, 45))
                        account.eviction_date = dt.datetime.combine(eviction, dt.time(9, 30))

    def _assign_other_scenarios(self, accounts: list[Account], rng: random.Random) -> None:
        """Non-secure tenures, former tenancies, sub-accounts and leasehold accounts."""
        today = self.calendar.n_days - 1
        for account in accounts:
            if account.is_live_secure_master:
                continue
            gross = account.weekly_gross
            if account.agr_type == SUB_ACCOUNT_TYPE:
                account.balance_class = BalanceClass.EMERGENT
            elif account.kind is AccountKind.RENT and account.terminated:
                # Former tenant arrears, cleared accounts and credits waiting for a refund.
                band = rng.choices(
                    (BalanceClass.HEAVY, BalanceClass.ZERO, BalanceClass.CREDIT), (50, 30, 20)
                )[0]
                account.balance_class = band
                account.target = {
                    BalanceClass.HEAVY: rng.randint(5_000, 300_000),
                    BalanceClass.ZERO: 0,
                    BalanceClass.CREDIT: -rng.randint(1_000, 30_000),
                }[band]
                account.own_method = rng.choice(("RCP", "RPY", "RDD", "RBP"))
                account.arrears_from = (
                    account.last_day - rng.randint(30, 200) if band is BalanceClass.HEAVY else None
                )
            elif account.kind is AccountKind.RENT:
                if account.new_tenancy:
                    account.balance_class = BalanceClass.EMERGENT
                else:
                    band = rng.choices([b for b, _ in RENT_BANDS], [w for _, w in RENT_BANDS])[0]
                    account.balance_class = band
                    account.target = self._rent_target(rng, band, gross)
                self._plan_rent_payer(rng, account)
            else:
                self._plan_leaseholder(rng, account, today)

    def _plan_leaseholder(self, rng: random.Random, account: Account, today: int) -> None:
        monthly = account.weekly_gross
        if account.new_tenancy:
            account.balance_class = BalanceClass.EMERGENT
        else:
            band = rng.choices([b for b, _ in LEASEHOLD_BANDS], [w for _, w in LEASEHOLD_BANDS])[0]
            account.balance_class = band
            if band is BalanceClass.CREDIT:
                account.target = -round(rng.uniform(0.05, 3) * monthly)
            elif band is BalanceClass.PENNIES:
                account.target = rng.randint(1, 1000)
            elif band is BalanceClass.LIGHT:
                account.target = rng.randint(1001, max(1002, monthly))
            elif band is BalanceClass.MEDIUM:
                account.target = rng.randint(monthly, 6 * monthly)
            elif band is BalanceClass.HEAVY:
                account.target = rng.randint(6 * monthly, 24 * monthly)
        # Major works bills: mostly on accounts that end up owing.
        major_works_chance = 0.35 if account.balance_class is BalanceClass.HEAVY else 0.05
        if rng.random() < major_works_chance:
            account.major_works = to_pence(rng.uniform(1_000, 20_000))
            if account.balance_class is BalanceClass.HEAVY:
                # Owing accounts have not paid the bill.
                account.target += account.major_works
        account.own_method = rng.choices(
            [m for m, _ in LEASEHOLD_METHODS], [w for _, w in LEASEHOLD_METHODS]
        )[0]
        if account.balance_class in ARREARS_BANDS:
            account.arrears_from = today - rng.randint(30, 600)
            # Some of the deepest arrears: nothing paid for the whole history, so the balance
            # is simply what was charged (no opening balance).
            if account.balance_class is BalanceClass.HEAVY and rng.random() < 0.3:
                account.never_paid = True
