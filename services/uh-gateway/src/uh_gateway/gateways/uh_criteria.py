"""Bulk arrears criteria and the changes feed: set-based reads over every account in arrears.

The system this replaces ran a dozen sub-queries per tenancy, one tenancy at a time, and took
hours. Here a page of accounts costs five statements whatever its size: the accounts
themselves (walking the primary key in tag_ref order), their last payments and this week's
movements (both along UH's `(tag_ref, post_date)` index), their action diary, and their
agreements (or direct debits, for leasehold). Each is keyed on `tag_ref IN (page)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    String,
    and_,
    case,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.sql import ColumnElement, Select

from uh_gateway.domain.codes import (
    AGREEMENT_STATUSES,
    COMMUNICATION_CODES,
    FREEHOLD_TENURE_EXCLUDED_FROM_LEASEHOLD,
    LEASEHOLD_LETTER_CODES,
    LEASEHOLD_RENT_GROUP,
    MASTER_ACCOUNT,
    PAYMENT_TYPES,
    POLICY_GENERATED_CODE,
    POLICY_GENERATED_MARKER,
    SECURE_TENURE,
    UNIVERSAL_CREDIT_CODES,
)
from uh_gateway.domain.criteria import (
    collectable_arrears,
    days_since,
    week_start,
    weekly_gross_rent,
)
from uh_gateway.domain.models import (
    AgreementSnapshot,
    ChangesPage,
    CriteriaPage,
    LeaseholdArrearsAttributes,
    RentArrearsCriteria,
    TenancyChange,
)
from uh_gateway.gateways.uh_reads import as_day, decode_cursor, encode_cursor
from uh_gateway.gateways.uh_schema import (
    araction,
    arag,
    ddagacc,
    ddagree,
    househ,
    lookup,
    property_,
    rtrans,
    tenagree,
    tenure,
)
from uh_gateway.gateways.uh_types import NO_DATE, uh_date, uh_text

ZERO = Decimal("0.00")
BROKEN_AGREEMENT_STATUS = "300"


@dataclass(frozen=True)
class AccountFilter:
    """Which accounts a criteria page covers: all in arrears, or just the ones named (for
    re-classifying what the changes feed reported), optionally only some patches."""

    tenancy_refs: Sequence[str] = ()
    patches: Sequence[str] = ()


def _rent_accounts() -> list[ColumnElement[bool]]:
    # income-rules.md §2.4: secure, open, master accounts in arrears.
    return [
        tenagree.c.cur_bal > 0,
        tenagree.c.tenure == SECURE_TENURE,
        tenagree.c.terminated.is_(False),
        tenagree.c.agr_type == MASTER_ACCOUNT,
    ]


def _leasehold_accounts() -> list[ColumnElement[bool]]:
    # income-rules.md §5: leasehold service-charge master accounts in arrears, not freehold.
    return [
        tenagree.c.cur_bal > 0,
        tenagree.c.rentgrp_ref == LEASEHOLD_RENT_GROUP,
        tenagree.c.tenure != FREEHOLD_TENURE_EXCLUDED_FROM_LEASEHOLD,
        tenagree.c.terminated.is_(False),
        tenagree.c.agr_type == MASTER_ACCOUNT,
    ]


def _page_of_accounts(
    columns: Sequence[Any],
    conditions: list[ColumnElement[bool]],
    account_filter: AccountFilter,
    cursor: str | None,
    limit: int,
) -> Select[Any]:
    query = (
        select(*columns)
        .select_from(tenagree)
        .outerjoin(property_, property_.c.prop_ref == tenagree.c.prop_ref)
        .where(*conditions)
    )
    if account_filter.tenancy_refs:
        query = query.where(tenagree.c.tag_ref.in_(account_filter.tenancy_refs))
    if account_filter.patches:
        query = query.where(property_.c.arr_patch.in_(account_filter.patches))
    if cursor is not None:
        (after,) = decode_cursor(cursor, (str,))
        query = query.where(tenagree.c.tag_ref > after)
    return query.order_by(tenagree.c.tag_ref).limit(limit + 1)


def _next_cursor(rows: Sequence[Any], limit: int) -> str | None:
    return encode_cursor(rows[limit - 1].tag_ref) if len(rows) > limit else None


@dataclass(frozen=True)
class LedgerFigures:
    last_payment: dt.datetime | None
    payments_in_week: Decimal
    transactions_in_week: Decimal


def _ledger_figures(
    conn: Connection, refs: Sequence[str], since: dt.datetime
) -> dict[str, LedgerFigures]:
    """Per tenancy: last payment date, payments since `since`, all movements since `since`.

    Both statements walk the `(tag_ref, post_date)` index rather than an account's whole
    history: the newest payment is a few rows back from its newest posting, and this week's
    postings are a short range at the end.
    """
    is_payment = rtrans.c.trans_type.in_(sorted(PAYMENT_TYPES))
    latest = rtrans.alias("latest")
    last_payment = (
        select(latest.c.post_date)
        .where(
            latest.c.tag_ref == tenagree.c.tag_ref,
            latest.c.trans_type.in_(sorted(PAYMENT_TYPES)),
        )
        .order_by(latest.c.post_date.desc())
        .limit(1)
        .scalar_subquery()
    )
    last_payments = {
        row.tag_ref: row.last_payment
        for row in conn.execute(
            select(tenagree.c.tag_ref, last_payment.label("last_payment")).where(
                tenagree.c.tag_ref.in_(refs)
            )
        )
    }
    this_week = {
        row.tag_ref: row
        for row in conn.execute(
            select(
                rtrans.c.tag_ref,
                func.sum(case((is_payment, rtrans.c.real_value), else_=0)).label("payments"),
                func.sum(rtrans.c.real_value).label("movements"),
            )
            .where(
                rtrans.c.tag_ref.in_(refs),
                rtrans.c.post_date >= literal(since, rtrans.c.post_date.type),
            )
            .group_by(rtrans.c.tag_ref)
        )
    }
    figures = {}
    for ref in refs:
        week = this_week.get(ref)
        figures[ref] = LedgerFigures(
            last_payment=last_payments.get(ref),
            payments_in_week=week.payments if week else ZERO,
            transactions_in_week=week.movements if week else ZERO,
        )
    return figures


def _latest_actions(
    conn: Connection, refs: Sequence[str], codes: Sequence[str], include_policy_s02: bool
) -> dict[str, dict[str, dt.datetime]]:
    """Per tenancy, the latest date of each of `codes` in the action diary."""
    wanted: ColumnElement[bool] = araction.c.action_code.in_(codes)
    if include_policy_s02:
        # Only an S02 that UH's policy engine generated was actually sent (case-insensitive,
        # as UH's collation made the old LIKE).
        wanted = or_(
            wanted,
            and_(
                araction.c.action_code == POLICY_GENERATED_CODE,
                func.lower(araction.c.action_comment).like(
                    literal(f"%{POLICY_GENERATED_MARKER}%", String)
                ),
            ),
        )
    latest: dict[str, dict[str, dt.datetime]] = {}
    for row in conn.execute(
        select(
            araction.c.tag_ref,
            araction.c.action_code,
            func.max(araction.c.action_date).label("latest"),
        )
        .where(araction.c.tag_ref.in_(refs), wanted)
        .group_by(araction.c.tag_ref, araction.c.action_code)
    ):
        latest.setdefault(row.tag_ref, {})[row.action_code] = row.latest
    return latest


def _latest_of(
    dates: dict[str, dt.datetime], codes: frozenset[str]
) -> tuple[str, dt.datetime] | None:
    candidates = [(date, code) for code, date in dates.items() if code in codes]
    if not candidates:
        return None
    date, code = max(candidates)
    return code, date


class UhCriteria:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def rent(
        self, *, as_of: dt.date, account_filter: AccountFilter, cursor: str | None, limit: int
    ) -> CriteriaPage[RentArrearsCriteria]:
        monday = dt.datetime.combine(week_start(as_of), dt.time())
        communication_codes = COMMUNICATION_CODES | {POLICY_GENERATED_CODE}
        diary_codes = sorted(COMMUNICATION_CODES | set(UNIVERSAL_CREDIT_CODES))
        with self.engine.connect() as conn:
            accounts = conn.execute(
                _page_of_accounts(
                    [
                        tenagree.c.tag_ref,
                        tenagree.c.u_saff_rentacc,
                        tenagree.c.cur_bal,
                        tenagree.c.rent,
                        tenagree.c.service,
                        tenagree.c.other_charge,
                        tenagree.c.u_notice_served,
                        tenagree.c.u_notice_expiry,
                        tenagree.c.courtdate,
                        tenagree.c.u_court_outcome,
                        tenagree.c.evictdate,
                        tenagree.c.high_action,
                        property_.c.arr_patch,
                    ],
                    _rent_accounts(),
                    account_filter,
                    cursor,
                    limit,
                )
            ).all()
            page = accounts[:limit]
            refs = [row.tag_ref for row in page]
            if not refs:
                return CriteriaPage(as_of=as_of, results=[], next_cursor=None)
            ledger = _ledger_figures(conn, refs, monday)
            diary = _latest_actions(conn, refs, diary_codes, include_policy_s02=True)
            agreements: dict[str, list[Any]] = {}
            for row in conn.execute(
                select(
                    arag.c.tag_ref, arag.c.arag_ref, arag.c.arag_status, arag.c.arag_startdate
                ).where(arag.c.tag_ref.in_(refs))
            ):
                agreements.setdefault(row.tag_ref, []).append(row)

        results = []
        for t in page:
            movements = ledger[t.tag_ref]
            last_payment = as_day(movements.last_payment)
            in_week = movements.transactions_in_week
            actions = diary.get(t.tag_ref, {})
            communication = _latest_of(actions, communication_codes)
            rows = agreements.get(t.tag_ref, [])
            latest_agreement = max(
                rows, key=lambda a: (a.arag_startdate or NO_DATE, a.arag_ref), default=None
            )
            rent, service, other = t.rent or ZERO, t.service or ZERO, t.other_charge or ZERO
            balance = t.cur_bal or ZERO
            results.append(
                RentArrearsCriteria(
                    tenancy_ref=t.tag_ref,
                    payment_ref=uh_text(t.u_saff_rentacc),
                    patch_code=uh_text(t.arr_patch),
                    balance=balance,
                    weekly_rent=rent,
                    weekly_service=service,
                    weekly_other_charge=other,
                    weekly_gross_rent=weekly_gross_rent(rent, service, other),
                    collectable_arrears=collectable_arrears(balance, in_week),
                    total_payment_amount_in_week=movements.payments_in_week,
                    sum_of_transactions_in_week=in_week,
                    last_payment_date=last_payment,
                    days_since_last_payment=days_since(as_of, last_payment),
                    last_communication_action=communication[0] if communication else None,
                    last_communication_date=communication[1] if communication else None,
                    nosp_served_date=as_day(t.u_notice_served),
                    nosp_expiry_date=as_day(t.u_notice_expiry),
                    court_date=uh_date(t.courtdate),
                    court_outcome=uh_text(t.u_court_outcome),
                    eviction_date=uh_date(t.evictdate),
                    highest_action=uh_text(t.high_action),
                    **{field: actions.get(code) for code, field in UNIVERSAL_CREDIT_CODES.items()},
                    most_recent_agreement=AgreementSnapshot(
                        reference=latest_agreement.arag_ref,
                        start_date=as_day(latest_agreement.arag_startdate),
                        status_code=uh_text(latest_agreement.arag_status),
                        status=AGREEMENT_STATUSES.get(latest_agreement.arag_status or ""),
                    )
                    if latest_agreement
                    else None,
                    broken_agreements_count=sum(
                        1 for a in rows if a.arag_status == BROKEN_AGREEMENT_STATUS
                    ),
                )
            )
        return CriteriaPage(as_of=as_of, results=results, next_cursor=_next_cursor(accounts, limit))

    def leasehold(
        self, *, as_of: dt.date, account_filter: AccountFilter, cursor: str | None, limit: int
    ) -> CriteriaPage[LeaseholdArrearsAttributes]:
        with self.engine.connect() as conn:
            accounts = conn.execute(
                _page_of_accounts(
                    [
                        tenagree.c.tag_ref,
                        tenagree.c.u_saff_rentacc,
                        tenagree.c.cur_bal,
                        tenagree.c.tenure,
                        tenagree.c.u_money_judgement,
                        tenagree.c.u_charging_order,
                        tenagree.c.u_bal_dispute,
                        property_.c.arr_patch,
                        property_.c.address1,
                        property_.c.post_code,
                        househ.c.house_desc,
                        tenure.c.ten_desc,
                    ],
                    _leasehold_accounts(),
                    account_filter,
                    cursor,
                    limit,
                )
                .outerjoin(househ, househ.c.house_ref == tenagree.c.house_ref)
                .outerjoin(tenure, tenure.c.ten_type == tenagree.c.tenure)
            ).all()
            page = accounts[:limit]
            refs = [row.tag_ref for row in page]
            if not refs:
                return CriteriaPage(as_of=as_of, results=[], next_cursor=None)
            monday = dt.datetime.combine(week_start(as_of), dt.time())
            ledger = _ledger_figures(conn, refs, monday)
            letters = _latest_actions(
                conn, refs, sorted(LEASEHOLD_LETTER_CODES), include_policy_s02=False
            )
            direct_debits: dict[str, Any] = {}
            for row in conn.execute(
                select(
                    ddagacc.c.tag_ref,
                    ddagacc.c.due_per_period,
                    ddagree.c.ddstart,
                    lookup.c.lu_desc,
                )
                .select_from(ddagacc)
                .join(ddagree, ddagree.c.ddagree_ref == ddagacc.c.ddagree_ref)
                .outerjoin(
                    lookup,
                    and_(lookup.c.lu_type == "DDS", lookup.c.lu_ref == ddagree.c.ddagree_status),
                )
                .where(ddagacc.c.tag_ref.in_(refs))
            ):
                current = direct_debits.get(row.tag_ref)
                if current is None or (row.ddstart or NO_DATE) > (current.ddstart or NO_DATE):
                    direct_debits[row.tag_ref] = row

        results = []
        for t in page:
            latest_letter = _latest_of(letters.get(t.tag_ref, {}), LEASEHOLD_LETTER_CODES)
            dd = direct_debits.get(t.tag_ref)
            address = ", ".join(
                part for part in (uh_text(t.address1), "London", uh_text(t.post_code)) if part
            )
            results.append(
                LeaseholdArrearsAttributes(
                    tenancy_ref=t.tag_ref,
                    payment_ref=uh_text(t.u_saff_rentacc),
                    patch_code=uh_text(t.arr_patch),
                    balance=t.cur_bal or ZERO,
                    tenure=uh_text(t.tenure),
                    tenure_type=uh_text(t.ten_desc),
                    lessee=uh_text(t.house_desc),
                    property_address=address if uh_text(t.address1) else None,
                    direct_debit_status=uh_text(dd.lu_desc) if dd else None,
                    direct_debit_amount=dd.due_per_period if dd else None,
                    latest_letter=latest_letter[0] if latest_letter else None,
                    latest_letter_date=latest_letter[1] if latest_letter else None,
                    last_payment_date=as_day(ledger[t.tag_ref].last_payment),
                    money_judgement=t.u_money_judgement,
                    charging_order=t.u_charging_order,
                    balance_in_dispute=t.u_bal_dispute,
                )
            )
        return CriteriaPage(as_of=as_of, results=results, next_cursor=_next_cursor(accounts, limit))

    def changes(self, since: str | None, limit: int) -> ChangesPage:
        """Tenancies with transactions or diary entries newer than the high-water mark.

        The mark is the highest transaction and diary ids seen: UH numbers both by
        `MAX(sid) + 1`, so anything posted later has a higher id. Without `since`, the answer
        is just the current mark, for a caller starting to follow the feed.
        """
        with self.engine.connect() as conn:
            if since is None:
                last_transaction = conn.execute(select(func.max(rtrans.c.rtrans_sid))).scalar()
                last_entry = conn.execute(select(func.max(araction.c.araction_sid))).scalar()
                return ChangesPage(
                    changes=[],
                    next_since=encode_cursor(last_transaction or 0, last_entry or 0),
                    has_more=False,
                )
            after_transaction, after_entry = decode_cursor(since, (int, int))
            transactions = conn.execute(
                select(rtrans.c.rtrans_sid, rtrans.c.tag_ref)
                .where(rtrans.c.rtrans_sid > after_transaction)
                .order_by(rtrans.c.rtrans_sid)
                .limit(limit)
            ).all()
            entries = conn.execute(
                select(araction.c.araction_sid, araction.c.tag_ref)
                .where(araction.c.araction_sid > after_entry)
                .order_by(araction.c.araction_sid)
                .limit(limit)
            ).all()
        counts: dict[str, list[int]] = {}
        for row in transactions:
            counts.setdefault(row.tag_ref, [0, 0])[0] += 1
        for row in entries:
            counts.setdefault(row.tag_ref, [0, 0])[1] += 1
        return ChangesPage(
            changes=[
                TenancyChange(
                    tenancy_ref=ref, new_transactions=n_trans, new_action_diary_entries=n_diary
                )
                for ref, (n_trans, n_diary) in sorted(counts.items())
            ],
            next_since=encode_cursor(
                transactions[-1].rtrans_sid if transactions else after_transaction,
                entries[-1].araction_sid if entries else after_entry,
            ),
            has_more=len(transactions) == limit or len(entries) == limit,
        )
