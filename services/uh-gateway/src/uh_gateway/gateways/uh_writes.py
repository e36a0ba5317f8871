"""Writes to UH: action diary entries, NOSP served dates, contact details.

Only plain UPDATE and INSERT on UH's existing tables (no procedures, triggers or new
objects: UH's schema belongs to its supplier). Each write is one transaction. Diary rows are
numbered the way UH numbers them (`MAX + 1`), which races under concurrent writers, so the
tenancy row is locked first (PostgreSQL/SQL Server) or the database write-locked (SQLite),
and a clash on the id is retried.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ma_shared.errors import Conflict, NotFound
from uh_gateway.domain.codes import ACTION_CODES, NOSP_SERVED_CODE
from uh_gateway.domain.models import ActionDiaryEntry, Contact
from uh_gateway.domain.validation import MAX_ACTION_BALANCE
from uh_gateway.gateways.uh_reads import contact, diary_entry
from uh_gateway.gateways.uh_schema import araction, contacts, raaction, tenagree
from uh_gateway.gateways.uh_types import NO_DATE

T = TypeVar("T")
ID_CLASH_RETRIES = 5


@dataclass(frozen=True)
class NewDiaryEntry:
    tenancy_ref: str
    action_code: str
    comment: str
    username: str
    uh_reference: str = ""


@dataclass(frozen=True)
class DiaryWrite:
    entry: ActionDiaryEntry
    created: bool


@dataclass(frozen=True)
class ContactChanges:
    """Only the fields given are changed; an empty string clears a value."""

    mobile_phone: str | None = None
    home_phone: str | None = None
    work_phone: str | None = None
    email_address: str | None = None


def uh_now() -> dt.datetime:
    """UH's clock: naive, to the minute. We store UTC (documented in the gateway README)."""
    return dt.datetime.now(tz=dt.UTC).replace(tzinfo=None, second=0, microsecond=0)


def clamp_action_balance(balance: Decimal | None) -> Decimal | None:
    """`action_balance` is numeric(7,2); large leasehold major-works balances would overflow
    it, so they are recorded at the column's limit (the real figure is on the account)."""
    if balance is None:
        return None
    limit = Decimal(str(MAX_ACTION_BALANCE))
    return max(-limit, min(limit, balance))


class UhWrites:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _in_transaction(self, work: Callable[[Connection], T]) -> T:
        for attempt in range(ID_CLASH_RETRIES):
            try:
                # On SQLite, take the write lock at BEGIN so MAX+1 is read and used atomically
                # (see ma_shared.database); elsewhere the tenancy row lock does that.
                with (
                    self.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn,
                    conn.begin(),
                ):
                    return work(conn)
            except IntegrityError:
                if attempt == ID_CLASH_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _lock_tenancy(self, conn: Connection, tenancy_ref: str) -> Any:
        query = select(tenagree.c.tag_ref, tenagree.c.cur_bal, tenagree.c.house_ref).where(
            tenagree.c.tag_ref == tenancy_ref
        )
        if conn.dialect.name != "sqlite":
            query = query.with_for_update()
        row = conn.execute(query).one_or_none()
        if row is None:
            raise NotFound(f"No tenancy {tenancy_ref} in UH.", code="tenancy_not_found")
        return row

    def _existing_entry(self, conn: Connection, entry: NewDiaryEntry) -> ActionDiaryEntry | None:
        if not entry.uh_reference:
            return None
        row = conn.execute(
            select(araction, raaction.c.act_name)
            .outerjoin(raaction, raaction.c.act_code == araction.c.action_code)
            .where(araction.c.u_saff_araction_ref == entry.uh_reference)
        ).one_or_none()
        if row is None:
            return None
        if (row.tag_ref, row.action_code, row.action_comment) != (
            entry.tenancy_ref,
            entry.action_code,
            entry.comment,
        ):
            raise Conflict(
                "This Idempotency-Key was already used for a different diary entry.",
                code="idempotency_key_reused",
            )
        return diary_entry(row)

    def _insert_entry(self, conn: Connection, entry: NewDiaryEntry) -> DiaryWrite:
        # Lock first, then look for the key: a concurrent retry of the same write waits for
        # the lock and then finds the first one's row.
        tenancy = self._lock_tenancy(conn, entry.tenancy_ref)
        existing = self._existing_entry(conn, entry)
        if existing is not None:
            return DiaryWrite(existing, created=False)
        # The new entry joins the tenancy's latest action set, numbered after its last step,
        # exactly as UH's own writer numbers them.
        latest = conn.execute(
            select(araction.c.action_set, araction.c.action_no)
            .where(araction.c.tag_ref == entry.tenancy_ref)
            .order_by(araction.c.action_set.desc(), araction.c.action_no.desc())
            .limit(1)
        ).one_or_none()
        action_set = latest.action_set if latest else 0
        action_no = latest.action_no + 1 if latest else 1
        next_sid = conn.execute(
            select(func.coalesce(func.max(araction.c.araction_sid), 0) + 1)
        ).scalar_one()
        values = {
            "araction_sid": next_sid,
            "tag_ref": entry.tenancy_ref,
            "action_set": action_set,
            "action_no": action_no,
            "action_code": entry.action_code,
            "action_date": uh_now(),
            "action_balance": clamp_action_balance(tenancy.cur_bal),
            "action_comment": entry.comment,
            "username": entry.username,
            "comm_only": True,
            "action_type": "9",
            "action_cat": "8",
            "act_status": "001",
            "action_subno": 1,
            "action_subcode": "",
            "action_process_no": 0,
            "action_deferred": False,
            "deferred_until": NO_DATE,
            "deferral_reason": "",
            "severity_level": 1,
            "action_nr_balance": Decimal("0"),
            "notice_sid": 0,
            "courtord_sid": 0,
            "warrant_sid": 0,
            "action_doc_no": 0,
            "u_saff_araction_ref": entry.uh_reference,
            "comp_avail": "",
            "comp_display": "",
        }
        conn.execute(insert(araction).values(**values))
        return DiaryWrite(
            ActionDiaryEntry(
                id=next_sid,
                tenancy_ref=entry.tenancy_ref,
                action_code=entry.action_code,
                action_name=ACTION_CODES.get(entry.action_code),
                action_date=values["action_date"],
                comment=entry.comment,
                username=entry.username,
                balance=values["action_balance"],
            ),
            created=True,
        )

    def add_diary_entry(self, entry: NewDiaryEntry) -> DiaryWrite:
        return self._in_transaction(lambda conn: self._insert_entry(conn, entry))

    def record_nosp(
        self,
        *,
        tenancy_ref: str,
        served_date: dt.date,
        expiry_date: dt.date,
        diary: NewDiaryEntry,
    ) -> DiaryWrite:
        """Set the NOSP served and expiry dates on the tenancy and note it (`NTS`) in the
        diary, together: caseworkers see the dates and the diary agree."""

        def work(conn: Connection) -> DiaryWrite:
            written = self._insert_entry(conn, diary)
            if written.created:
                conn.execute(
                    update(tenagree)
                    .where(tenagree.c.tag_ref == tenancy_ref)
                    .values(u_notice_served=served_date, u_notice_expiry=expiry_date, nosp=True)
                )
            return written

        assert diary.action_code == NOSP_SERVED_CODE
        return self._in_transaction(work)

    def update_contact(self, tenancy_ref: str, contact_id: int, changes: ContactChanges) -> Contact:
        columns = {
            "con_phone1": changes.mobile_phone,
            "con_phone2": changes.home_phone,
            "con_phone3": changes.work_phone,
            "email_address": changes.email_address,
        }
        values = {column: value for column, value in columns.items() if value is not None}

        def work(conn: Connection) -> Contact:
            household_ref = self._lock_tenancy(conn, tenancy_ref).house_ref
            row = conn.execute(
                select(contacts.c.tag_ref, contacts.c.con_ref).where(
                    contacts.c.con_key == contact_id
                )
            ).one_or_none()
            belongs = row is not None and (
                row.tag_ref == tenancy_ref or (bool(household_ref) and row.con_ref == household_ref)
            )
            if not belongs:
                raise NotFound(
                    f"Tenancy {tenancy_ref} has no contact {contact_id}.", code="contact_not_found"
                )
            if values:
                conn.execute(
                    update(contacts).where(contacts.c.con_key == contact_id).values(**values)
                )
            return contact(
                conn.execute(select(contacts).where(contacts.c.con_key == contact_id)).one()
            )

        return self._in_transaction(work)
