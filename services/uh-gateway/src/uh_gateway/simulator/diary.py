"""The arrears action diary (`araction`) of simulated accounts.

Each account gets a history consistent with its balance band and legal position: letters and
SMS for arrears, notices, court and eviction steps, Universal Credit milestones, agreement
entries, and the calls, visits and notes officers add. The threshold scenarios get exactly the
last communication they were built around (income-rules.md §1.3: "newer than N days" is
measured from 00:00 of the day N days ago, so some sit exactly at midnight and some later the
same day).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass

from uh_gateway.domain.codes import (
    COMMUNICATION_CODES,
    POLICY_GENERATED_CODE,
    POLICY_GENERATED_MARKER,
)
from uh_gateway.simulator.agreements import Agreement
from uh_gateway.simulator.model import Account, BalanceClass, Benefit
from uh_gateway.simulator.names import OFFICER_CODES
from uh_gateway.simulator.rent_calendar import RentCalendar

MANAGE_ARREARS_USER = "MANAGE ARREARS SYSTEM"
MAX_ENTRIES = 40
# UH's policy engine stamps its steps with this in the comment; income-api matched it
# case-insensitively, so the simulator varies the case.
POLICY_MARKERS = ("Policy generated", "POLICY GENERATED", "policy generated", "Policy Generated")
COURT_OUTCOME_NAMES = {
    "OPD": "Outright possession (with date)",
    "OPF": "Outright possession (forthwith)",
    "ADT": "Adjourned on terms",
    "SUP": "Suspended possession",
    "AGE": "Adjourned generally",
    "PPO": "Postponed possession",
}
# Codes an officer or the policy engine records as a step of UH's arrears policy rather than
# a comment (comm_only 0). MA's own writes and officers' notes are comment-only.
POLICY_STEP_CODES = frozenset({"S01", "S02", "ZR1", "ZR2", "ZR3", "NTS", "1RS", "2RS", "4RS"})

CALL_NOTES = (
    "Called tenant, no answer, left voicemail",
    "Spoke to tenant about the arrears, will pay on Friday",
    "Called tenant, number not recognised",
    "Spoke to tenant, waiting for wages to clear",
    "Tenant says payment was made at the post office last week",
    "Called tenant, asked for a callback",
)
INCOMING_NOTES = (
    "Tenant called to discuss the arrears",
    "Tenant called asking for a rent statement",
    "Tenant called to say they have lost their job",
    "Tenant called about a missed direct debit",
    "Support worker called on behalf of the tenant",
)
GENERAL_NOTES = (
    "Rent statement posted",
    "Tenant in hospital, next of kin informed",
    "Checked HB entitlement, no change",
    "Case reviewed by team leader",
    "Address confirmed with tenant",
    "Tenant asked for paper statements only",
)
VISIT_NOTES = (
    "Home visit made, discussed arrears with tenant",
    "Home visit made, tenant agreed to contact the office",
)
MISSED_VISIT_NOTES = ("Home visit, no answer, card left", "Visited, neighbour says tenant away")


@dataclass(frozen=True, slots=True)
class DiaryEntry:
    when: dt.datetime
    code: str
    comment: str
    username: str
    policy_step: bool


class DiaryWriter:
    def __init__(self, calendar: RentCalendar, rng: random.Random) -> None:
        self._calendar = calendar
        self._rng = rng
        self._today = calendar.n_days - 1

    # Times ----------------------------------------------------------------------------------

    def _office(self, day: int) -> dt.datetime:
        """A minute during office hours on `day` (weekends move to the Friday before). Today's
        office hours may still be ahead of the clock when the simulator is built, so entries
        for today are dated the day before."""
        date = self._calendar.date_of(min(day, self._today - 1))
        if date.weekday() >= 5:
            date -= dt.timedelta(days=date.weekday() - 4)
        minute = self._rng.randrange(8 * 60 + 30, 17 * 60 + 30)
        return dt.datetime.combine(date, dt.time(minute // 60, minute % 60))

    def _overnight(self, day: int) -> dt.datetime:
        """UH's policy run and MA's automation stamp their entries in the small hours; some at
        midnight exactly."""
        date = self._calendar.date_of(day)
        if self._rng.random() < 0.4:
            return dt.datetime.combine(date, dt.time())
        return dt.datetime.combine(date, dt.time(self._rng.randint(1, 5), self._rng.randrange(60)))

    def _day_between(self, first: int, last: int) -> int:
        last = min(last, self._today)
        return first if last <= first else self._rng.randint(first, last)

    def _officer(self, account: Account) -> str:
        # Each patch has its officer; colleagues cover a fifth of the time.
        if self._rng.random() < 0.8 and account.prop.patch:
            return OFFICER_CODES[sum(map(ord, account.prop.patch)) % len(OFFICER_CODES)]
        return self._rng.choice(OFFICER_CODES)

    def _letter_id(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    # Entries --------------------------------------------------------------------------------

    def _entry(
        self, account: Account, when: dt.datetime, code: str, comment: str, user: str = ""
    ) -> DiaryEntry:
        return DiaryEntry(
            when=when,
            code=code,
            comment=comment,
            username=user or self._officer(account),
            policy_step=code in POLICY_STEP_CODES,
        )

    def _letter(
        self, account: Account, when: dt.datetime, code: str, name: str, automated: bool
    ) -> DiaryEntry:
        comment = (
            f"Letter '{name}' sent: {self._letter_id()}. "
            f"Documents: /documents?payment_ref={account.payment_ref}"
        )
        return self._entry(account, when, code, comment, MANAGE_ARREARS_USER if automated else "")

    def _sms(self, account: Account, when: dt.datetime, code: str) -> DiaryEntry:
        number = account.household.mobile_e164 or "+447700900000"
        if code == "GAT":
            template, user = "Green in arrears", MANAGE_ARREARS_USER
        elif code == "AMS":
            template, user = "Amber in arrears", ""
        elif code == "GMS":
            template, user = "Green in arrears (manual)", ""
        else:
            return self._entry(account, when, code, "Text message sent")
        body = (
            f"Your rent account {account.payment_ref} is in arrears. Please pay now or call us "
            "on 020 7946 0000 if you need help."
        )
        return self._entry(account, when, code, f"{template}: {number}: {body}", user)

    def _uh_stage_letter(
        self, account: Account, when: dt.datetime, code: str, generated: bool
    ) -> DiaryEntry:
        stage = "Stage One" if code == "S01" else "Stage Two"
        if generated:
            comment = f"{self._rng.choice(POLICY_MARKERS)} - {stage} letter"
        else:
            comment = f"{stage} letter suggested by policy, not sent"
        return self._entry(account, when, code, comment)

    def _background(self, account: Account, first: int, count: int) -> list[DiaryEntry]:
        """Calls, visits and notes: none of these counts as a communication (§2.3) except VIM,
        which only the arrears stories add."""
        rng = self._rng
        entries = []
        for _ in range(count):
            day = self._day_between(first, self._today)
            code = rng.choices(
                ("OTC", "INC", "GEN", "VIU", "POP", "FIC", "DEB", "OFI"),
                (26, 24, 14, 10, 12, 5, 5, 4),
            )[0]
            if code == "OTC":
                comment = rng.choice(CALL_NOTES)
            elif code == "INC":
                comment = rng.choice(INCOMING_NOTES)
            elif code == "GEN":
                comment = rng.choice(GENERAL_NOTES)
            elif code == "VIU":
                comment = rng.choice(MISSED_VISIT_NOTES)
            elif code == "POP":
                promised = self._calendar.date_of(day) + dt.timedelta(days=rng.randint(1, 14))
                comment = f"Promise to pay £{rng.randint(2, 40) * 5}.00 by {promised:%d/%m/%Y}"
            elif code == "FIC":
                comment = "Referred to financial inclusion officer"
            elif code == "DEB":
                comment = "Referred for independent debt advice"
            else:
                comment = "Office interview about the arrears"
            entries.append(self._entry(account, self._office(day), code, comment))
        return entries

    # Stories --------------------------------------------------------------------------------

    def for_account(self, account: Account, agreements: list[Agreement]) -> list[DiaryEntry]:
        entries = self._rent(account) if account.is_rent else self._leasehold(account)
        for agreement in agreements:
            entries.extend(self._agreement(account, agreement))
        entries.extend(self._direct_debit(account))
        entries.sort(key=lambda entry: entry.when)
        if account.last_communication is not None:
            # Nothing else may count as a later communication than the one placed on purpose.
            _, placed = account.last_communication
            entries = [e for e in entries if e.when <= placed or not _counts_as_communication(e)]
        return entries[-MAX_ENTRIES:]

    def _rent(self, account: Account) -> list[DiaryEntry]:
        rng = self._rng
        entries: list[DiaryEntry] = []
        band = account.balance_class
        arrears_from = account.arrears_start
        if account.last_communication is not None:
            entries.extend(self._placed_communication(account))
            entries.extend(self._background(account, account.first_day, rng.randint(0, 3)))
        elif band in (BalanceClass.CREDIT, BalanceClass.ZERO, BalanceClass.EMERGENT):
            if rng.random() < 0.45:
                entries.extend(self._background(account, account.first_day, rng.randint(1, 3)))
            if rng.random() < 0.1:
                # Arrears in the past, since cleared.
                day = self._day_between(account.first_day, self._today - 100)
                entries.append(
                    self._letter(
                        account, self._overnight(day), "IC1", "Income collection letter 1", True
                    )
                )
                entries.append(
                    self._entry(
                        account, self._office(day + rng.randint(20, 90)), "Z00", "Arrears cleared"
                    )
                )
        elif band is BalanceClass.PENNIES:
            entries.extend(self._background(account, account.first_day, rng.randint(0, 3)))
            if rng.random() < 0.25:
                day = self._day_between(self._today - 60, self._today)
                entries.append(
                    self._sms(
                        account, self._overnight(day), rng.choice(("GAT", "GAT", "GMS", "SMS"))
                    )
                )
        else:
            entries.extend(self._arrears_story(account, arrears_from))
        entries.extend(self._legal(account))
        entries.extend(self._benefits(account))
        return entries

    def _arrears_story(self, account: Account, arrears_from: int) -> list[DiaryEntry]:
        """Escalation for LIGHT/MEDIUM/HEAVY accounts: SMS, letter one, letter two, calls and
        visits, repeated in cycles for long-running arrears."""
        rng = self._rng
        band = account.balance_class
        background = {BalanceClass.LIGHT: (1, 6), BalanceClass.MEDIUM: (4, 14)}.get(band, (8, 24))
        entries = self._background(account, arrears_from, rng.randint(*background))
        cycles = {BalanceClass.LIGHT: 1, BalanceClass.MEDIUM: rng.randint(1, 2)}.get(
            band, rng.randint(1, 4)
        )
        day = self._day_between(arrears_from + 7, self._today)
        for _ in range(cycles):
            if day > self._today:
                break
            if rng.random() < 0.35:
                entries.append(
                    self._sms(
                        account,
                        self._overnight(day),
                        rng.choice(("GAT", "GAT", "AMS", "GMS", "SMS")),
                    )
                )
                day += rng.randint(7, 21)
            if day > self._today or rng.random() < 0.2:
                break
            uh_letters = rng.random() < 0.3
            if uh_letters:
                entries.append(self._uh_stage_letter(account, self._overnight(day), "S01", True))
            else:
                entries.append(
                    self._letter(
                        account,
                        self._overnight(day),
                        "IC1",
                        "Income collection letter 1",
                        rng.random() < 0.6,
                    )
                )
            day += rng.randint(14, 70)
            if day > self._today or (band is BalanceClass.LIGHT and rng.random() < 0.6):
                break
            if uh_letters:
                entries.append(
                    self._uh_stage_letter(account, self._overnight(day), "S02", rng.random() < 0.7)
                )
            else:
                entries.append(
                    self._letter(
                        account,
                        self._overnight(day),
                        "IC2",
                        "Income collection letter 2",
                        rng.random() < 0.6,
                    )
                )
            if rng.random() < 0.3 and day + 7 <= self._today:
                entries.append(
                    self._entry(
                        account,
                        self._office(day + rng.randint(3, 20)),
                        "VIM",
                        rng.choice(VISIT_NOTES),
                    )
                )
            day += rng.randint(60, 200)
        return entries

    def _placed_communication(self, account: Account) -> list[DiaryEntry]:
        """The threshold scenario's last communication, and the letters that led to it."""
        assert account.last_communication is not None
        code, when = account.last_communication
        today = self._calendar.date_of(self._today)
        when_day = self._today - (today - when.date()).days
        entries: list[DiaryEntry] = []
        if code in ("GAT", "GMS", "AMS", "SMS"):
            entries.append(self._sms(account, when, code))
        elif code == "IC1":
            entries.append(self._letter(account, when, code, "Income collection letter 1", True))
        elif code == "IC2":
            letter_one = self._office(when_day - self._rng.randint(15, 60))
            entries.append(
                self._letter(account, letter_one, "IC1", "Income collection letter 1", True)
            )
            entries.append(self._letter(account, when, code, "Income collection letter 2", True))
        elif code == "IC4":
            entries.append(self._letter(account, when, code, "Court warning letter", False))
        return entries

    def _legal(self, account: Account) -> list[DiaryEntry]:
        """NOSP, court and eviction entries matching the tenagree columns."""
        rng = self._rng
        entries: list[DiaryEntry] = []
        calendar = self._calendar
        if account.nosp_served is None:
            return entries
        served_day = calendar.day_of(account.nosp_served)
        served_at = dt.datetime.combine(
            account.nosp_served, dt.time(rng.randint(10, 15), rng.randrange(60))
        )
        letter_two = served_day - rng.randint(10, 60)
        letter_one = letter_two - rng.randint(15, 50)
        entries.append(
            self._letter(
                account, self._overnight(letter_one), "IC1", "Income collection letter 1", True
            )
        )
        entries.append(
            self._letter(
                account, self._overnight(letter_two), "IC2", "Income collection letter 2", True
            )
        )
        entries.append(
            self._entry(account, served_at, "NTS", "Notice of seeking possession served by hand")
        )
        if account.court_date is None and not account.special:
            cooling_off_over = served_day + 95
            if cooling_off_over < self._today and rng.random() < 0.5:
                day = self._day_between(cooling_off_over, self._today - 1)
                entries.append(
                    self._letter(account, self._office(day), "IC4", "Court warning letter", False)
                )
        if account.court_date is not None:
            court_day = calendar.day_of(account.court_date.date())
            applied = self._day_between(
                court_day - rng.randint(35, 70), min(court_day - 28, self._today)
            )
            entries.append(self._entry(account, self._office(applied), "CDS", "Court case created"))
            if applied + 3 <= self._today:
                entries.append(
                    self._letter(
                        account, self._office(applied + 3), "CDL", "Court date letter", False
                    )
                )
            if account.court_date.date() < calendar.as_of and account.court_outcome:
                outcome_day = min(court_day + rng.randint(1, 7), self._today)
                name = COURT_OUTCOME_NAMES.get(account.court_outcome, account.court_outcome)
                entries.append(
                    self._entry(
                        account, self._office(outcome_day), "IC6", f"Court outcome added: {name}"
                    )
                )
                entries.append(
                    self._letter(
                        account, self._office(outcome_day), "IC5", "Court outcome letter", False
                    )
                )
        if account.eviction_date is not None:
            set_day = self._day_between(
                calendar.day_of(account.eviction_date.date()) - 42, self._today
            )
            entries.append(
                self._entry(
                    account,
                    self._office(set_day),
                    "EDS",
                    f"Eviction date set to {account.eviction_date:%d/%m/%Y}",
                )
            )
        return entries

    def _benefits(self, account: Account) -> list[DiaryEntry]:
        rng = self._rng
        entries: list[DiaryEntry] = []
        if account.benefit in (Benefit.UNIVERSAL_CREDIT, Benefit.UC_MANAGED):
            start = account.uc_start
            entries.append(
                self._entry(
                    account, self._office(start), "UCC", "Tenant has moved to Universal Credit"
                )
            )
            if rng.random() < 0.7 and start + 14 <= self._today:
                entries.append(
                    self._entry(
                        account,
                        self._office(self._day_between(start + 14, start + 42)),
                        "UC1",
                        "UC rent verification completed",
                    )
                )
            if account.benefit is Benefit.UC_MANAGED:
                requested = self._day_between(start + 7, account.managed_from - 7)
                entries.append(
                    self._entry(
                        account,
                        self._office(requested),
                        "UC2",
                        "Managed payment (APA) requested from DWP",
                    )
                )
                entries.append(
                    self._entry(
                        account,
                        self._office(min(account.managed_from, self._today)),
                        "UC3",
                        "First managed payment received from DWP",
                    )
                )
        elif (
            account.benefit is Benefit.HOUSING_BENEFIT
            and account.balance > 0
            and rng.random() < 0.3
        ):
            day = self._day_between(account.arrears_start, self._today)
            code = rng.choice(("HBO", "MHB", "MBH"))
            comment = {
                "HBO": "HB claim outstanding",
                "MHB": "HB investigation pending",
                "MBH": "Benefit payment delayed",
            }[code]
            entries.append(self._entry(account, self._office(day), code, comment))
        return entries

    def _agreement(self, account: Account, agreement: Agreement) -> list[DiaryEntry]:
        rng = self._rng
        entries = [
            self._entry(
                account,
                agreement.start.replace(hour=rng.randint(9, 16), minute=rng.randrange(60)),
                "AGR",
                agreement.comment,
                agreement.status_user,
            )
        ]
        if rng.random() < 0.4:
            entries.append(
                self._letter(
                    account,
                    agreement.start + dt.timedelta(days=1, hours=10),
                    "IAC",
                    "Informal agreement confirmation",
                    False,
                )
            )
        if agreement.status == "300" and rng.random() < 0.6:
            when = min(
                agreement.status_date + dt.timedelta(days=rng.randint(1, 10)), self._latest()
            )
            entries.append(
                self._letter(account, when, "BLI", "Informal agreement breach letter", False)
            )
        return entries

    def _direct_debit(self, account: Account) -> list[DiaryEntry]:
        entries = []
        for first, last, _, status in account.direct_debits:
            if first >= 0 and self._rng.random() < 0.6:
                entries.append(
                    self._entry(account, self._office(first), "DDR", "Direct debit set up")
                )
            if last >= 0 and status == "300" and last <= self._today:
                entries.append(
                    self._entry(account, self._office(last), "DDC", "Direct debit cancelled")
                )
        return entries

    def _latest(self) -> dt.datetime:
        return dt.datetime.combine(self._calendar.as_of - dt.timedelta(days=1), dt.time(17, 0))

    def _leasehold(self, account: Account) -> list[DiaryEntry]:
        rng = self._rng
        entries: list[DiaryEntry] = []
        letter_prefix = {"LEA": "LL", "SHO": "LS"}.get(account.tenure, "LF")
        variant = {"LL": "LH", "LS": "SO", "LF": "FH"}[letter_prefix]
        if account.balance <= 0:
            if rng.random() < 0.15:
                entries.extend(self._background(account, account.first_day, rng.randint(1, 2)))
            return entries
        arrears_from = account.arrears_start
        entries.extend(self._background(account, arrears_from, rng.randint(0, 5)))
        if rng.random() < 0.6:
            day = self._day_between(max(arrears_from + 30, self._today - 200), self._today)
            entries.append(
                self._letter(
                    account,
                    self._office(day),
                    f"{letter_prefix}1",
                    f"Letter 1 in arrears {variant}",
                    False,
                )
            )
            second = day + rng.randint(28, 90)
            if rng.random() < 0.5 and second <= self._today:
                entries.append(
                    self._letter(
                        account,
                        self._office(second),
                        f"{letter_prefix}2",
                        f"Letter 2 in arrears {variant}",
                        False,
                    )
                )
                before_action = second + rng.randint(28, 60)
                if rng.random() < 0.2 and before_action <= self._today:
                    entries.append(
                        self._entry(account, self._office(before_action), "SLB", "LBA sent (SC)")
                    )
        if account.major_works and rng.random() < 0.7:
            day = self._day_between(arrears_from, self._today)
            entries.append(
                self._letter(account, self._office(day), "MW1", "Major works letter 1", False)
            )
        return entries


def _counts_as_communication(entry: DiaryEntry) -> bool:
    if entry.code == POLICY_GENERATED_CODE:
        return POLICY_GENERATED_MARKER in entry.comment.lower()
    return entry.code in COMMUNICATION_CODES
