"""Two years of charges and payments for each simulated account, posted to the ledger.

Charges follow the account's rent or service charge (rising each April, nothing in rent-free
weeks); payments follow its benefit and payment method, falling short or stopping from the
day its arrears began. The opening balance (`ROB`) then makes the account end exactly on the
balance its scenario asked for.
"""

from __future__ import annotations

import math
import random
from array import array
from collections.abc import Callable

from uh_gateway.simulator.ledger import TYPE_INDEX, Ledger
from uh_gateway.simulator.model import (
    SUB_ACCOUNT_TYPE,
    Account,
    AccountKind,
    BalanceClass,
    Benefit,
    TargetKind,
    round_to,
    to_pence,
)
from uh_gateway.simulator.rent_calendar import RentCalendar
from uh_gateway.simulator.scenarios import ARREARS_BANDS, RENT_METHODS

# Rents and service charges in earlier rent years: today's divided by this per year back.
RENT_INCREASE = 1.05
SERVICE_CHARGE_INCREASE = 1.04
# Paid over a counter: whole pounds, and not in rent-free weeks.
CASH_METHODS = frozenset({"RPY", "RBR", "RCO"})
# ddagree_status values (lookup DDS; the codes are ours, see codes.DIRECT_DEBIT_STATUSES).
DD_STATUS_LIVE, DD_STATUS_PENDING, DD_STATUS_CANCELLED, DD_STATUS_SUSPENDED = (
    "100",
    "200",
    "300",
    "399",
)


class PaymentSimulator:
    def __init__(self, calendar: RentCalendar, ledger: Ledger) -> None:
        self.calendar = calendar
        self.ledger = ledger

    def simulate(self, account: Account, rng: random.Random) -> None:
        """Post the account's history and its opening balance; fills its ledger fields."""
        account.weekly_net = array("q", bytes(8 * self.calendar.n_weeks))
        if account.agr_type == SUB_ACCOUNT_TYPE:
            postings = self._recharges(rng, account)
        elif account.kind is AccountKind.LEASEHOLD:
            postings = self._leasehold_postings(rng, account)
        else:
            self._post_rent_debits(account)
            postings = self._rent_receipts(rng, account)
        self.ledger.post(account.index, postings, account.weekly_net, account.summary)
        self._close(account)

    def _close(self, account: Account) -> None:
        """Work out cur_bal from the account's target and post the opening balance."""
        summary = account.summary
        gross = account.weekly_gross
        if account.balance_class is BalanceClass.EMERGENT or account.never_paid:
            target = summary.total
        elif account.target_kind is TargetKind.COLLECTABLE:
            target = account.target + abs(summary.week_total)
        elif account.target_kind is TargetKind.AFTER_GRACE:
            grace = max(gross + summary.week_payments, 0)
            target = account.target + grace + abs(summary.week_total)
        else:
            target = account.target
        opening = target - summary.total
        if opening:
            self.ledger.post_opening_balance(account.index, account.first_day, opening)
        account.close_ledger(opening)

    def _charges_by_years_back(
        self, account: Account, increase: float
    ) -> dict[int, list[tuple[int, int]]]:
        years = max(self.calendar.years_back) + 1
        return {
            back: [
                (TYPE_INDEX[code], round(pence / increase**back)) for code, pence in account.charges
            ]
            for back in range(years)
        }

    def _post_rent_debits(self, account: Account) -> None:
        charges = self._charges_by_years_back(account, RENT_INCREASE)
        first_week = -(-account.first_day // 7)
        last_week = min(account.last_day // 7, self.calendar.this_week)
        self.ledger.post_weekly_debits(
            account.index, charges, first_week, last_week, account.weekly_net, account.summary
        )

    def _weekly_gross_by_day(self, account: Account) -> Callable[[int], int]:
        """The weekly gross rent in force on a day (rents rise every April)."""
        gross = account.weekly_gross
        by_years_back: list[int] = [
            round(gross / RENT_INCREASE**back) for back in range(max(self.calendar.years_back) + 1)
        ]
        years_back = self.calendar.years_back
        this_week = self.calendar.this_week

        def gross_on(day: int) -> int:
            return by_years_back[years_back[min(day // 7, this_week)]]

        return gross_on

    def _rent_receipts(self, rng: random.Random, account: Account) -> list[tuple[int, int, int]]:
        calendar = self.calendar
        if account.never_paid:
            return []
        today = calendar.n_days - 1
        first = account.first_day
        last = account.last_day
        postings: list[tuple[int, int, int]] = []
        free_week = calendar.free_week
        # Benefit-paid part of each week's rent.
        hb_share = 1.0 if rng.random() < 0.45 else rng.uniform(0.5, 0.95)
        hb_from = first + (7 * rng.randint(2, 8) if account.new_tenancy else 0)
        hb_to = last
        if account.benefit in (Benefit.UNIVERSAL_CREDIT, Benefit.UC_MANAGED):
            # Tenants moving to UC came off housing benefit; the five-week wait is a classic
            # cause of arrears.
            hb_to = account.uc_start - 1 if rng.random() < 0.6 else -1
        elif account.benefit is not Benefit.HOUSING_BENEFIT:
            hb_to = -1
        elif (
            account.balance_class in (BalanceClass.MEDIUM, BalanceClass.HEAVY)
            and rng.random() < 0.35
        ):
            # Housing benefit suspended (change of circumstances) while arrears built up.
            hb_to = max(account.arrears_start, hb_from)
        four_weekly_hb = rng.random() < 0.2
        uc_share = 1.0 if rng.random() < 0.5 else rng.uniform(0.75, 0.95)
        gross_on = self._weekly_gross_by_day(account)

        def covered(day: int) -> int:
            gross = gross_on(day)
            if hb_from <= day <= hb_to:
                return round(gross * hb_share)
            if account.benefit is Benefit.UC_MANAGED and day >= account.managed_from:
                return round(gross * uc_share)
            return 0

        hb_week_due = 0
        for week in range(-(-hb_from // 7), min(hb_to, today) // 7 + 1):
            day = week * 7
            if free_week[week] or day > last:
                continue
            amount = round(gross_on(day) * hb_share)
            if four_weekly_hb:
                hb_week_due += amount
                if week % 4 == 0:
                    postings.append((day, TYPE_INDEX["RHB"], -hb_week_due))
                    hb_week_due = 0
            else:
                postings.append((day, TYPE_INDEX["RHB"], -amount))
        if account.benefit is Benefit.UC_MANAGED:
            uc_day = rng.randint(1, 28)
            for day in calendar.monthly_days(uc_day, max(account.managed_from, first), last):
                back = calendar.years_back[day // 7]
                monthly = round(gross_on(day) * uc_share * calendar.chargeable_weeks[back] / 12)
                postings.append((day, TYPE_INDEX["RUC"], -monthly))
            if account.balance_class in ARREARS_BANDS and rng.random() < 0.5:
                # DWP deductions from UC towards the arrears, every four weeks.
                deduction = to_pence(rng.uniform(15, 25))
                start = max(account.managed_from + 56, first)
                for week in range(-(-start // 7), min(last, today) // 7 + 1, 4):
                    # Paid on Wednesdays, so never later than today.
                    if week * 7 + 2 <= min(last, today):
                        postings.append((week * 7 + 2, TYPE_INDEX["RDP"], -deduction))

        def own_weekly(day: int) -> int:
            return max(0, gross_on(day) - covered(day))

        own = self._own_payments(rng, account, own_weekly, first, min(last, today))
        postings.extend(own)
        if account.stopped_paying and account.arrears_from is not None:
            stopped = account.arrears_from
            postings = [posting for posting in postings if posting[0] < stopped]
        if (
            account.terminated
            and account.balance_class is BalanceClass.HEAVY
            and rng.random() < 0.3
        ):
            # A former tenant paying off arrears by card each month.
            amount = to_pence(rng.choice((10, 15, 20, 25, 40)))
            for day in calendar.monthly_days(rng.randint(1, 28), last + 1, today):
                postings.append((day, TYPE_INDEX["RCP"], -amount))
        return postings

    def _own_payments(
        self,
        rng: random.Random,
        account: Account,
        own_weekly: Callable[[int], int],
        first: int,
        last: int,
    ) -> list[tuple[int, int, int]]:
        """The tenant's own payments: full at first, then (for arrears) short from
        `arrears_from` by a factor chosen to land near the target balance."""
        method = account.own_method
        if not method:
            return []
        start = first + (7 * rng.randint(0, 2) if account.new_tenancy else 0)
        # Some tenants changed how they pay during the history.
        streams = [(method, start, last)]
        if rng.random() < 0.12 and last - start > 120:
            switch = rng.randint(start + 60, last - 30)
            other = rng.choices([m for m, _ in RENT_METHODS], [w for _, w in RENT_METHODS])[0]
            if other != method:
                streams = [(other, start, switch - 1), (method, switch, last)]
        events: list[tuple[int, int, int]] = []
        for code, stream_first, stream_last in streams:
            events.extend(
                self._stream_events(rng, account, code, own_weekly, stream_first, stream_last)
            )
        events.sort()
        if account.arrears_from is not None:
            events = self._fall_short(rng, account, events, account.arrears_from)
        events.extend(self._reversals(rng, events, last))
        self._record_direct_debits(rng, account, streams, events)
        return events

    @staticmethod
    def _reversals(
        rng: random.Random, events: list[tuple[int, int, int]], last: int
    ) -> list[tuple[int, int, int]]:
        """A bounced direct debit (RDN) or returned cheque (RRC) now and then: the payment is
        reversed a few days later with a positive amount."""
        reversals = []
        for code, bounced, chance, delay in (("RDD", "RDN", 0.05, 3), ("RQP", "RRC", 0.2, 5)):
            paid = [event for event in events if event[1] == TYPE_INDEX[code]]
            if paid and rng.random() < chance:
                day, _, pence = rng.choice(paid)
                if day + delay <= last:
                    reversals.append((day + delay, TYPE_INDEX[bounced], -pence))
        return reversals

    def _stream_events(
        self,
        rng: random.Random,
        account: Account,
        code: str,
        own_weekly: Callable[[int], int],
        first: int,
        last: int,
    ) -> list[tuple[int, int, int]]:
        calendar = self.calendar
        code_index = TYPE_INDEX[code]
        if code in ("RDD", "RQP") or (code == "RSO" and rng.random() < 0.5):
            cadence = "monthly"
        elif code in CASH_METHODS or code == "RSO":
            cadence = "weekly"
        else:
            cadence = rng.choice(("weekly", "fortnightly", "fortnightly", "monthly", "four_weekly"))
        days: list[int]
        if cadence == "monthly":
            days = calendar.monthly_days(rng.choice((1, 1, 5, 8, 15, 20, 25, 28)), first, last)
        else:
            step = {"weekly": 1, "fortnightly": 2, "four_weekly": 4}[cadence]
            weekday = 0 if rng.random() < 0.2 else rng.randint(0, 6)
            days = [w * 7 + weekday for w in range(-(-first // 7), last // 7 + 1, step)]
            days = [d for d in days if first <= d <= last]
        events = []
        fixed = 0
        carried = 0
        for day in days:
            weekly = own_weekly(day)
            if cadence == "monthly":
                back = calendar.years_back[min(day // 7, calendar.this_week)]
                due = round(weekly * calendar.chargeable_weeks[back] / 12)
            else:
                due = weekly * {"weekly": 1, "fortnightly": 2, "four_weekly": 4}[cadence]
                if code in CASH_METHODS and calendar.free_week[min(day // 7, calendar.this_week)]:
                    continue
            if code == "RSO":
                # Tenants rarely update a standing order for the yearly rent rise (so it
                # drifts), but do when their benefit starts or stops.
                if not fixed or abs(due - fixed) > fixed // 5:
                    fixed = due
                due = fixed
            elif code in CASH_METHODS:
                due = math.ceil(due / 100) * 100
            elif code in ("RCP", "RBP"):
                due = round_to(due, 500)
            if due <= 0:
                continue
            if code not in ("RDD", "RSO", "RUC") and rng.random() < 0.06:
                carried += due
                continue
            events.append((day, code_index, -(due + carried)))
            carried = 0
        return events

    def _fall_short(
        self,
        rng: random.Random,
        account: Account,
        events: list[tuple[int, int, int]],
        start: int,
    ) -> list[tuple[int, int, int]]:
        """From `start`, pay a fraction of what is due (or nothing), so the account ends near
        its target balance; the opening balance absorbs the rest."""
        due_after = -sum(pence for day, _, pence in events if day >= start)
        wanted = (
            account.target
            if account.target_kind is TargetKind.BALANCE
            else account.target + account.weekly_gross
        )
        if due_after <= 0:
            return events
        factor = 1 - wanted / due_after
        factor = 0.0 if factor < 0.2 or account.stopped_paying else min(factor, 0.95)
        result = []
        for day, code_index, pence in events:
            if day < start:
                result.append((day, code_index, pence))
                continue
            if factor == 0.0 or rng.random() < 0.15:
                continue
            reduced = round(pence * factor / 100) * 100
            if reduced:
                result.append((day, code_index, reduced))
        return result

    def _record_direct_debits(
        self,
        rng: random.Random,
        account: Account,
        streams: list[tuple[str, int, int]],
        events: list[tuple[int, int, int]],
    ) -> None:
        """ddagree rows for direct-debit payers (§2.9): the mandate behind each RDD stream, an
        older cancelled one for some, a suspended one where payments stopped."""
        rdd = TYPE_INDEX["RDD"]
        today = self.calendar.n_days - 1
        for code, first, last in streams:
            if code != "RDD":
                continue
            amounts = [
                -pence
                for day, code_index, pence in events
                if code_index == rdd and first <= day <= last
            ]
            amount = amounts[-1] if amounts else 0
            mandate_start = first if first > 0 else -rng.randint(30, 2_000)
            if rng.random() < 0.15:
                older_end = mandate_start - rng.randint(30, 400)
                account.direct_debits.append(
                    (older_end - rng.randint(200, 1500), older_end, amount, DD_STATUS_CANCELLED)
                )
            if last < today:
                status = DD_STATUS_CANCELLED
            elif not amounts or (account.arrears_from is not None and rng.random() < 0.3):
                status = DD_STATUS_SUSPENDED
            elif first > today - 30:
                status = DD_STATUS_PENDING
            else:
                status = DD_STATUS_LIVE
            account.direct_debits.append(
                (mandate_start, last if last < today else -1, amount, status)
            )

    def _leasehold_postings(
        self, rng: random.Random, account: Account
    ) -> list[tuple[int, int, int]]:
        calendar = self.calendar
        today = calendar.n_days - 1
        first, last = account.first_day, account.last_day
        postings: list[tuple[int, int, int]] = []
        current_year = calendar.month_period[today][0]
        charge_days = calendar.monthly_days(1, first, last)
        for day in charge_days:
            back = current_year - calendar.month_period[day][0]
            for code, pence in account.charges:
                postings.append(
                    (day, TYPE_INDEX[code], round(pence / SERVICE_CHARGE_INCREASE**back))
                )
        balancing: list[tuple[int, int]] = []
        if rng.random() < 0.35:
            # The year-end balancing charge, billed in September.
            for day in charge_days:
                if calendar.date_of(day).month == 9:
                    balancing.append((day, to_pence(rng.uniform(30, 600))))
                    postings.append((day, TYPE_INDEX["DSB"], balancing[-1][1]))
        instalments = rng.choice((1, 6, 12))
        pays_works = account.balance_class is not BalanceClass.HEAVY and bool(account.own_method)
        bill_day = first
        if account.major_works and charge_days:
            # A bill the lessee pays off is old enough for every instalment to have fallen due.
            latest = today - 30 * (instalments + 1) if pays_works else today
            bill_day = rng.choice([day for day in charge_days if day <= latest] or charge_days[:1])
            instalments = min(instalments, max(1, (today - bill_day) // 30 - 1))
            works_code = TYPE_INDEX[rng.choice(("DMC", "DMC", "DMR"))]
            postings.append((bill_day, works_code, account.major_works))
        monthly = account.weekly_gross
        method = account.own_method
        if method and not account.never_paid:
            dd_day = rng.randint(1, 28)
            pay_days = calendar.monthly_days(dd_day, first, min(last, today))
            if method == "RQP":
                pay_days = pay_days[::3]
            fixed_amount = round(monthly / SERVICE_CHARGE_INCREASE ** (len(pay_days) // 12))
            events = []
            for day in pay_days:
                back = current_year - calendar.month_period[day][0]
                due = round(monthly / SERVICE_CHARGE_INCREASE**back)
                if method == "RSO":
                    due = fixed_amount
                elif method == "RQP":
                    due *= 3
                elif method in ("RCP", "RBP"):
                    due = round_to(due, 500)
                    if rng.random() < 0.1:
                        continue
                events.append((day, TYPE_INDEX[method], -due))
            for day, pence in balancing:
                # Balancing charges are paid separately, by card.
                paid_day = day + rng.randint(14, 45)
                if paid_day <= today:
                    events.append((paid_day, TYPE_INDEX["RCP"], -pence))
            if account.major_works and pays_works:
                # Paid off in instalments over a year or in one go.
                share = -(-account.major_works // instalments)
                for number in range(instalments):
                    day = bill_day + 30 * (number + 1)
                    if day <= today:
                        events.append((day, TYPE_INDEX["RBP"], -share))
            if account.arrears_from is not None:
                events = self._fall_short(rng, account, events, account.arrears_from)
            self._record_direct_debits(rng, account, [(method, first, min(last, today))], events)
            postings.extend(events)
        return postings

    def _recharges(self, rng: random.Random, account: Account) -> list[tuple[int, int, int]]:
        """A sub-account's rechargeable repairs and what the tenant paid towards them."""
        today = self.calendar.n_days - 1
        postings: list[tuple[int, int, int]] = []
        for _ in range(rng.randint(1, 3)):
            day = rng.randint(account.first_day, today)
            amount = to_pence(rng.uniform(50, 800))
            postings.append((day, TYPE_INDEX["DRR"], amount))
            behaviour = rng.random()
            paid_day = day + rng.randint(7, 40)
            if behaviour < 0.5 and paid_day <= today:
                postings.append((paid_day, TYPE_INDEX["RCP"], -amount))
            elif behaviour < 0.8 and paid_day <= today:
                postings.append((paid_day, TYPE_INDEX["RCP"], -round_to(amount / 2, 100)))
        account.first_day = min(day for day, _, _ in postings)
        account.cot = self.calendar.date_of(account.first_day)
        return postings
