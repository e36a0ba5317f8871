"""Reads from UH for one tenancy or a search. UH column names end here: everything returned is
a model from `uh_gateway.domain.models`.

Plain SQLAlchemy Core, no T-SQL: the same statements run on SQL Server (production),
PostgreSQL and SQLite (the simulator).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Sequence
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
from sqlalchemy.engine import Row
from sqlalchemy.sql import ColumnElement

from ma_shared.action_codes import LEASEHOLD_LETTER_ONE_CODES
from ma_shared.errors import NotFound, ValidationFailed
from ma_shared.references import TENANCY_REF_PATTERN
from ma_shared.vocabulary import ServiceArea
from uh_gateway.domain.codes import (
    ACTION_CODES,
    AGREEMENT_FREQUENCIES,
    AGREEMENT_STATUSES,
    LEASEHOLD_PATCHES,
    MASTER_ACCOUNT,
    PAYMENT_TYPES,
    RENT_PATCHES,
)
from uh_gateway.domain.criteria import weekly_gross_rent
from uh_gateway.domain.letters import address_lines, is_international, join_non_blank, short_name
from uh_gateway.domain.models import (
    ActionDiaryEntry,
    AgreementScheduleLine,
    Balances,
    CodeAndName,
    Contact,
    CursorPage,
    DirectDebit,
    HouseholdMember,
    LeaseholdLetterData,
    LegalStatus,
    LetterAddress,
    LetterDataLookup,
    NumberedPage,
    Patch,
    PaymentReference,
    Property,
    RentLetterData,
    TenancyContacts,
    TenancyDetail,
    TenancySummary,
    Transaction,
    UhAgreement,
    service_area_for,
)
from uh_gateway.domain.validation import PAYMENT_REF_PATTERN
from uh_gateway.gateways.uh_schema import (
    araction,
    arag,
    aragdet,
    contacts,
    ddagacc,
    ddagree,
    debtype,
    househ,
    lookup,
    member,
    postcode,
    property_,
    raaction,
    rectype,
    rent,
    rentgrp,
    rtrans,
    tenagree,
    tenure,
)
from uh_gateway.gateways.uh_types import uh_date, uh_text

ZERO = Decimal("0.00")


def as_day(value: dt.datetime | None) -> dt.date | None:
    present = uh_date(value)
    return present.date() if present else None


def encode_cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def decode_cursor(cursor: str, shape: Sequence[type]) -> list[Any]:
    """The values packed into a cursor, or a 422 if it was not one of ours."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(values, list) or len(values) != len(shape):
            raise ValueError
        return [
            dt.datetime.fromisoformat(v) if kind is dt.datetime else kind(v)
            for v, kind in zip(values, shape, strict=True)
        ]
    except (ValueError, TypeError) as exc:
        raise ValidationFailed(
            "The cursor is not valid; use the `next_cursor` of a previous page.",
            code="invalid_cursor",
        ) from exc


def keyset_before(
    date_column: Any, id_column: Any, date: dt.datetime, row_id: int
) -> ColumnElement[bool]:
    """Rows before (date, id) in newest-first order. Spelt out rather than as a row-value
    comparison, which SQL Server (real UH) does not support."""
    at = literal(date, date_column.type)
    return or_(date_column < at, and_(date_column == at, id_column < row_id))


def escape_like(value: str) -> str:
    """`value` for a LIKE pattern, matched literally: what a caller types is not a wildcard."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def full_name(*parts: str | None) -> str:
    return " ".join(p for p in (uh_text(part) for part in parts) if p)


def _member(row: Row[Any], relationships: dict[str, str]) -> HouseholdMember:
    return HouseholdMember(
        person_number=int(row.person_no),
        title=uh_text(row.title),
        forename=uh_text(row.forename),
        surname=uh_text(row.surname),
        full_name=full_name(row.title, row.forename, row.surname),
        responsible=bool(row.responsible),
        relationship=relationships.get(row.relationship or ""),
        date_of_birth=as_day(row.dob),
    )


def _code(code: str | None, name: str | None) -> CodeAndName | None:
    present = uh_text(code)
    return CodeAndName(code=present, name=uh_text(name)) if present else None


def transaction_kind(type_code: str) -> str:
    if type_code.startswith("D"):
        return "charge"
    if type_code in PAYMENT_TYPES:
        return "payment"
    return "adjustment"


class UhReads:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _tenancy_row(self, conn: Connection, tenancy_ref: str) -> Row[Any]:
        row = conn.execute(select(tenagree).where(tenagree.c.tag_ref == tenancy_ref)).one_or_none()
        if row is None:
            raise NotFound(f"No tenancy {tenancy_ref} in UH.", code="tenancy_not_found")
        return row

    def _relationships(self, conn: Connection) -> dict[str, str]:
        rows = conn.execute(
            select(lookup.c.lu_ref, lookup.c.lu_desc).where(lookup.c.lu_type == "CRE")
        )
        return {row.lu_ref: row.lu_desc for row in rows}

    def _members(self, conn: Connection, household_ref: str | None) -> list[HouseholdMember]:
        if not household_ref:
            return []
        relationships = self._relationships(conn)
        rows = conn.execute(
            select(member)
            .where(member.c.house_ref == household_ref)
            .order_by(member.c.responsible.desc(), member.c.person_no)
        )
        return [_member(row, relationships) for row in rows]

    def tenancy(self, tenancy_ref: str) -> TenancyDetail:
        with self.engine.connect() as conn:
            t = self._tenancy_row(conn, tenancy_ref)
            extra = conn.execute(
                select(
                    property_,
                    tenure.c.ten_desc,
                    rentgrp.c.rentgrp_desc,
                    househ.c.house_desc,
                    raaction.c.act_name.label("high_action_name"),
                )
                .select_from(tenagree)
                .outerjoin(property_, property_.c.prop_ref == tenagree.c.prop_ref)
                .outerjoin(tenure, tenure.c.ten_type == tenagree.c.tenure)
                .outerjoin(rentgrp, rentgrp.c.rentgrp_ref == tenagree.c.rentgrp_ref)
                .outerjoin(househ, househ.c.house_ref == tenagree.c.house_ref)
                .outerjoin(raaction, raaction.c.act_code == tenagree.c.high_action)
                .where(tenagree.c.tag_ref == tenancy_ref)
            ).one()
            members = self._members(conn, uh_text(t.house_ref))
            direct_debit = self._latest_direct_debit(conn, tenancy_ref)
        prop = None
        if uh_text(extra.prop_ref):
            prop = Property(
                property_ref=extra.prop_ref,
                address_lines=[
                    line for line in (uh_text(extra.address1), uh_text(extra.post_code)) if line
                ],
                short_address=uh_text(extra.short_address),
                postcode=uh_text(extra.post_code),
                bedrooms=extra.num_bedrooms,
                patch_code=uh_text(extra.arr_patch),
                uprn=uh_text(extra.u_llpg_ref),
            )
        rent, service, other = (t.rent or ZERO, t.service or ZERO, t.other_charge or ZERO)
        return TenancyDetail(
            tenancy_ref=t.tag_ref,
            payment_ref=uh_text(t.u_saff_rentacc),
            service_area=service_area_for(uh_text(t.rentgrp_ref)),
            tenure=_code(t.tenure, extra.ten_desc),
            rent_group=_code(t.rentgrp_ref, extra.rentgrp_desc),
            start_date=as_day(t.cot),
            end_date=as_day(t.eot),
            terminated=bool(t.terminated),
            master_account=uh_text(t.agr_type) == MASTER_ACCOUNT,
            property=prop,
            household_ref=uh_text(t.house_ref),
            household_name=uh_text(extra.house_desc),
            members=members,
            balances=Balances(
                current_balance=t.cur_bal or ZERO,
                weekly_rent=rent,
                weekly_service=service,
                weekly_other_charge=other,
                weekly_gross_rent=weekly_gross_rent(rent, service, other),
                money_judgement=t.u_money_judgement,
                charging_order=t.u_charging_order,
                balance_in_dispute=t.u_bal_dispute,
            ),
            legal=LegalStatus(
                nosp_served_date=as_day(t.u_notice_served),
                nosp_expiry_date=as_day(t.u_notice_expiry),
                court_date=uh_date(t.courtdate),
                court_outcome=uh_text(t.u_court_outcome),
                eviction_date=uh_date(t.evictdate),
                highest_action=_code(t.high_action, extra.high_action_name),
            ),
            direct_debit=direct_debit,
        )

    def _latest_direct_debit(self, conn: Connection, tenancy_ref: str) -> DirectDebit | None:
        row = conn.execute(
            select(ddagree, ddagacc.c.due_per_period, lookup.c.lu_desc)
            .select_from(ddagacc)
            .join(ddagree, ddagree.c.ddagree_ref == ddagacc.c.ddagree_ref)
            .outerjoin(
                lookup,
                and_(lookup.c.lu_type == "DDS", lookup.c.lu_ref == ddagree.c.ddagree_status),
            )
            .where(ddagacc.c.tag_ref == tenancy_ref)
            .order_by(ddagree.c.ddstart.desc())
            .limit(1)
        ).one_or_none()
        if row is None:
            return None
        return DirectDebit(
            reference=row.ddagree_ref,
            status=uh_text(row.ddagree_status),
            status_description=uh_text(row.lu_desc),
            start_date=as_day(row.ddstart),
            end_date=as_day(row.ddend),
            amount=row.due_per_period,
        )

    def search(self, query: str, page: int, page_size: int) -> NumberedPage[TenancySummary]:
        """Tenancies matching `query` as a tenancy ref or payment ref (exact), a responsible
        tenant's name, a postcode (prefix, spaces ignored) or an address (substring)."""
        plain = " ".join(query.split()).lower()
        compact = plain.replace(" ", "")
        name = func.lower(func.rtrim(member.c.forename) + " " + func.rtrim(member.c.surname))
        postcode = func.replace(func.lower(property_.c.post_code), " ", "")
        contains = literal(f"%{escape_like(plain)}%", String)
        reference_matches = []
        if re.match(TENANCY_REF_PATTERN, query.strip()):
            reference_matches.append(tenagree.c.tag_ref == query.strip())
        if re.match(PAYMENT_REF_PATTERN, compact):
            reference_matches.append(tenagree.c.u_saff_rentacc == compact)

        matches = (
            select(tenagree.c.tag_ref)
            .select_from(tenagree)
            .outerjoin(property_, property_.c.prop_ref == tenagree.c.prop_ref)
            .outerjoin(
                member,
                and_(member.c.house_ref == tenagree.c.house_ref, member.c.responsible.is_(True)),
            )
            .where(
                or_(
                    *reference_matches,
                    name.like(contains, escape="\\"),
                    func.lower(func.rtrim(member.c.surname)) == literal(plain, String),
                    postcode.like(literal(f"{escape_like(compact)}%", String), escape="\\"),
                    func.lower(property_.c.short_address).like(contains, escape="\\"),
                )
            )
            .distinct()
        ).subquery()
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(matches)).scalar_one()
            refs = [
                row.tag_ref
                for row in conn.execute(
                    select(matches.c.tag_ref)
                    .order_by(matches.c.tag_ref)
                    .limit(page_size)
                    .offset((page - 1) * page_size)
                )
            ]
            summaries = self.summaries(conn, refs)
        return NumberedPage(results=summaries, page=page, page_size=page_size, total=total)

    def summaries(self, conn: Connection, refs: Sequence[str]) -> list[TenancySummary]:
        if not refs:
            return []
        rows = conn.execute(
            select(
                tenagree.c.tag_ref,
                tenagree.c.u_saff_rentacc,
                tenagree.c.rentgrp_ref,
                tenagree.c.tenure,
                tenagree.c.cur_bal,
                tenagree.c.terminated,
                tenagree.c.house_ref,
                tenure.c.ten_desc,
                property_.c.short_address,
                property_.c.post_code,
                property_.c.arr_patch,
            )
            .select_from(tenagree)
            .outerjoin(property_, property_.c.prop_ref == tenagree.c.prop_ref)
            .outerjoin(tenure, tenure.c.ten_type == tenagree.c.tenure)
            .where(tenagree.c.tag_ref.in_(refs))
            .order_by(tenagree.c.tag_ref)
        ).all()
        households = {row.house_ref for row in rows if uh_text(row.house_ref)}
        names: dict[str, list[str]] = {}
        if households:
            for m in conn.execute(
                select(member.c.house_ref, member.c.title, member.c.forename, member.c.surname)
                .where(member.c.house_ref.in_(households), member.c.responsible.is_(True))
                .order_by(member.c.house_ref, member.c.person_no)
            ):
                names.setdefault(m.house_ref, []).append(full_name(m.title, m.forename, m.surname))
        return [
            TenancySummary(
                tenancy_ref=row.tag_ref,
                payment_ref=uh_text(row.u_saff_rentacc),
                service_area=service_area_for(uh_text(row.rentgrp_ref)),
                tenure=_code(row.tenure, row.ten_desc),
                tenant_names=" & ".join(names.get(row.house_ref, [])) or None,
                short_address=uh_text(row.short_address),
                postcode=uh_text(row.post_code),
                patch_code=uh_text(row.arr_patch),
                current_balance=row.cur_bal or ZERO,
                terminated=bool(row.terminated),
            )
            for row in rows
        ]

    def transactions(
        self,
        tenancy_ref: str,
        *,
        limit: int,
        cursor: str | None,
        posted_from: dt.date | None,
        posted_to: dt.date | None,
    ) -> CursorPage[Transaction]:
        """Newest first, each with the balance once it was posted.

        The running balance is worked back from the current balance: a transaction's
        `balance_after` is the current balance less everything posted after it.
        """
        with self.engine.connect() as conn:
            current_balance = self._tenancy_row(conn, tenancy_ref).cur_bal or ZERO
            conditions = [rtrans.c.tag_ref == tenancy_ref]
            if cursor is not None:
                after_date, after_id = decode_cursor(cursor, (dt.datetime, int))
                start = keyset_before(rtrans.c.post_date, rtrans.c.rtrans_sid, after_date, after_id)
                newer = ~start
            elif posted_to is not None:
                end = dt.datetime.combine(posted_to + dt.timedelta(days=1), dt.time())
                start = rtrans.c.post_date < end
                newer = rtrans.c.post_date >= end
            else:
                start = None
                newer = None
            if start is not None:
                conditions.append(start)
            if posted_from is not None:
                conditions.append(rtrans.c.post_date >= dt.datetime.combine(posted_from, dt.time()))
            posted_after = ZERO
            if newer is not None:
                posted_after = conn.execute(
                    select(func.coalesce(func.sum(rtrans.c.real_value), 0)).where(
                        rtrans.c.tag_ref == tenancy_ref, newer
                    )
                ).scalar_one()
                posted_after = Decimal(posted_after)
            description = func.coalesce(debtype.c.deb_desc, rectype.c.rec_desc)
            rows = conn.execute(
                select(rtrans, description.label("description"))
                .outerjoin(debtype, debtype.c.deb_code == rtrans.c.trans_type)
                .outerjoin(rectype, rectype.c.rec_code == rtrans.c.trans_type)
                .where(*conditions)
                .order_by(rtrans.c.post_date.desc(), rtrans.c.rtrans_sid.desc())
                .limit(limit + 1)
            ).all()
        results = []
        for row in rows[:limit]:
            results.append(
                Transaction(
                    id=row.rtrans_sid,
                    transaction_ref=uh_text(row.trans_ref),
                    posted_at=row.post_date,
                    type_code=row.trans_type,
                    type_description=uh_text(row.description),
                    kind=transaction_kind(row.trans_type),
                    amount=row.real_value,
                    balance_after=current_balance - posted_after,
                    rent_year=row.post_year,
                    period_number=int(row.post_prdno) if row.post_prdno is not None else None,
                )
            )
            posted_after += row.real_value
        next_cursor = None
        if len(rows) > limit:
            last = rows[limit - 1]
            next_cursor = encode_cursor(last.post_date.isoformat(), last.rtrans_sid)
        return CursorPage(results=results, next_cursor=next_cursor)

    def action_diary(
        self, tenancy_ref: str, *, limit: int, cursor: str | None
    ) -> CursorPage[ActionDiaryEntry]:
        conditions = [araction.c.tag_ref == tenancy_ref]
        if cursor is not None:
            before_date, before_id = decode_cursor(cursor, (dt.datetime, int))
            conditions.append(
                keyset_before(
                    araction.c.action_date, araction.c.araction_sid, before_date, before_id
                )
            )
        with self.engine.connect() as conn:
            self._tenancy_row(conn, tenancy_ref)
            rows = conn.execute(
                select(araction, raaction.c.act_name)
                .outerjoin(raaction, raaction.c.act_code == araction.c.action_code)
                .where(*conditions)
                .order_by(araction.c.action_date.desc(), araction.c.araction_sid.desc())
                .limit(limit + 1)
            ).all()
        results = [diary_entry(row) for row in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = rows[limit - 1]
            next_cursor = encode_cursor(last.action_date.isoformat(), last.araction_sid)
        return CursorPage(results=results, next_cursor=next_cursor)

    def contacts(self, tenancy_ref: str) -> TenancyContacts:
        with self.engine.connect() as conn:
            t = self._tenancy_row(conn, tenancy_ref)
            household_ref = uh_text(t.house_ref)
            members = self._members(conn, household_ref)
            owners = [contacts.c.tag_ref == tenancy_ref]
            if household_ref:
                owners.append(contacts.c.con_ref == household_ref)
            rows = conn.execute(
                select(contacts).where(or_(*owners)).order_by(contacts.c.con_key)
            ).all()
        return TenancyContacts(
            tenancy_ref=tenancy_ref,
            household_ref=household_ref,
            responsible_members=[m for m in members if m.responsible],
            other_members=[m for m in members if not m.responsible],
            contacts=[contact(row) for row in rows],
        )

    def agreements(self, tenancy_ref: str) -> list[UhAgreement]:
        with self.engine.connect() as conn:
            self._tenancy_row(conn, tenancy_ref)
            return _agreements_of(conn, [tenancy_ref]).get(tenancy_ref, [])

    def agreements_of(self, tenancy_refs: Sequence[str]) -> dict[str, list[UhAgreement]]:
        """Many tenancies' agreements in two statements (tenancies without any are absent)."""
        with self.engine.connect() as conn:
            return _agreements_of(conn, tenancy_refs)

    def patches(self, service_area: ServiceArea | None) -> list[Patch]:
        known = [(code, name, ServiceArea.RENT) for code, name in RENT_PATCHES.items()] + [
            (code, name, ServiceArea.LEASEHOLD) for code, name in LEASEHOLD_PATCHES.items()
        ]
        with self.engine.connect() as conn:
            counts = {
                row.arr_patch: (row.accounts, row.in_arrears or 0)
                for row in conn.execute(
                    select(
                        property_.c.arr_patch,
                        func.count().label("accounts"),
                        func.sum(case((tenagree.c.cur_bal > 0, 1), else_=0)).label("in_arrears"),
                    )
                    .select_from(tenagree)
                    .join(property_, property_.c.prop_ref == tenagree.c.prop_ref)
                    .where(
                        tenagree.c.terminated.is_(False),
                        tenagree.c.agr_type == MASTER_ACCOUNT,
                    )
                    .group_by(property_.c.arr_patch)
                )
            }
        return [
            Patch(
                code=code,
                name=name,
                service_area=area,
                accounts=counts.get(code, (0, 0))[0],
                accounts_in_arrears=counts.get(code, (0, 0))[1],
            )
            for code, name, area in known
            if service_area is None or area is service_area
        ]

    def rent_letter_data(self, tenancy_ref: str) -> RentLetterData:
        with self.engine.connect() as conn:
            return self._rent_letter_data(conn, tenancy_ref)

    def _rent_letter_data(self, conn: Connection, tenancy_ref: str) -> RentLetterData:
        t = self._tenancy_row(conn, tenancy_ref)
        place = conn.execute(
            select(property_, postcode)
            .select_from(property_)
            .outerjoin(postcode, postcode.c.post_code == property_.c.post_code)
            .where(property_.c.prop_ref == t.prop_ref)
        ).one_or_none()
        # Responsible tenants first: the letter is addressed to the liable tenant, not
        # to whichever household member happens to be first.
        addressee = conn.execute(
            select(member)
            .where(member.c.house_ref == t.house_ref)
            .order_by(member.c.responsible.desc(), member.c.person_no)
            .limit(1)
        ).one_or_none()
        lines: list[str] = []
        post_code = None
        if place is not None:
            post_code = uh_text(place.post_code)
            lines = address_lines(
                uh_text(place.post_preamble),
                uh_text(place.post_desig),
                [
                    uh_text(place.aline1),
                    uh_text(place.aline2),
                    uh_text(place.aline3),
                    uh_text(place.aline4),
                ],
            )
        data = {
            "payment_ref": uh_text(t.u_saff_rentacc),
            "forename": uh_text(addressee.forename) if addressee else None,
            "surname": uh_text(addressee.surname) if addressee else None,
            "address_line_1": lines[0] if lines else None,
            "address_line_2": lines[1] if len(lines) > 1 else None,
            "postcode": post_code,
        }
        return RentLetterData(
            tenancy_ref=tenancy_ref,
            payment_ref=data["payment_ref"],
            title=uh_text(addressee.title) if addressee else None,
            forename=data["forename"],
            surname=data["surname"],
            address=LetterAddress(
                lines=lines, postcode=post_code, international=is_international(post_code)
            ),
            total_collectable_arrears_balance=t.cur_bal or ZERO,
            property_ref=uh_text(t.prop_ref),
            missing_fields=[name for name, value in data.items() if not value],
        )

    def leasehold_letter_data(self, tenancy_ref: str) -> LeaseholdLetterData:
        with self.engine.connect() as conn:
            return self._leasehold_letter_data(conn, tenancy_ref)

    def _leasehold_letter_data(self, conn: Connection, tenancy_ref: str) -> LeaseholdLetterData:
        t = self._tenancy_row(conn, tenancy_ref)
        row = conn.execute(
            select(
                househ.c.house_desc,
                househ.c.corr_preamble,
                househ.c.corr_desig,
                househ.c.corr_postcode,
                property_.c.address1,
                property_.c.post_code,
                property_.c.post_preamble,
                property_.c.post_desig,
                rent.c.sc_leasedate,
                tenure.c.ten_desc,
            )
            .select_from(tenagree)
            .outerjoin(househ, househ.c.house_ref == tenagree.c.house_ref)
            .outerjoin(property_, property_.c.prop_ref == tenagree.c.prop_ref)
            .outerjoin(rent, rent.c.prop_ref == tenagree.c.prop_ref)
            .outerjoin(tenure, tenure.c.ten_type == tenagree.c.tenure)
            .where(tenagree.c.tag_ref == tenancy_ref)
        ).one()
        # Letters go to the correspondence address when the lessee gave one (many
        # leaseholders do not live in the flat), else to the property.
        if uh_text(row.corr_postcode):
            post_code = uh_text(row.corr_postcode)
            preamble, designation = uh_text(row.corr_preamble), uh_text(row.corr_desig)
        else:
            post_code = uh_text(row.post_code)
            preamble, designation = uh_text(row.post_preamble), uh_text(row.post_desig)
        streets = (
            conn.execute(select(postcode).where(postcode.c.post_code == post_code)).one_or_none()
            if post_code
            else None
        )
        street_lines = (
            [
                uh_text(streets.aline1),
                uh_text(streets.aline2),
                uh_text(streets.aline3),
                uh_text(streets.aline4),
            ]
            if streets
            else []
        )
        lines = address_lines(preamble, designation, street_lines)
        lessee = uh_text(row.house_desc)
        property_address = join_non_blank(
            uh_text(row.address1), uh_text(row.post_code), separator=", "
        )
        letter_1_sent = conn.execute(
            select(func.max(araction.c.action_date)).where(
                araction.c.tag_ref == tenancy_ref,
                araction.c.action_code.in_(LEASEHOLD_LETTER_ONE_CODES),
            )
        ).scalar()
        data = {
            "payment_ref": uh_text(t.u_saff_rentacc),
            "lessee_full_name": lessee,
            "correspondence_address_line_1": lines[0] if lines else None,
            "correspondence_address_line_2": lines[1] if len(lines) > 1 else None,
            "correspondence_postcode": post_code,
            "property_address": property_address,
        }
        return LeaseholdLetterData(
            tenancy_ref=tenancy_ref,
            payment_ref=data["payment_ref"],
            lessee_full_name=lessee,
            lessee_short_name=short_name(lessee),
            correspondence_address=LetterAddress(
                lines=lines, postcode=post_code, international=is_international(post_code)
            ),
            property_address=property_address or None,
            total_collectable_arrears_balance=t.cur_bal or ZERO,
            original_lease_date=as_day(row.sc_leasedate),
            date_of_current_purchase_assignment=as_day(t.cot),
            tenure_type=uh_text(row.ten_desc),
            money_judgement=t.u_money_judgement,
            charging_order=t.u_charging_order,
            balance_in_dispute=t.u_bal_dispute,
            arrears_letter_1_date=as_day(letter_1_sent),
            missing_fields=[name for name, value in data.items() if not value],
        )

    def letter_data_for_payment_refs(
        self, service_area: ServiceArea, payment_refs: list[str]
    ) -> list[LetterDataLookup]:
        """Each payment reference's account and, when it is of this service area, its letter
        data: one connection and one lookup query for the lot (bulk letters)."""
        with self.engine.connect() as conn:
            accounts: dict[str, Any] = {}
            for row in conn.execute(
                select(tenagree.c.u_saff_rentacc, tenagree.c.tag_ref, tenagree.c.rentgrp_ref)
                .where(tenagree.c.u_saff_rentacc.in_(set(payment_refs)))
                .order_by(tenagree.c.terminated, tenagree.c.tag_ref)
            ):
                # An account's live tenancy first, as `payment_reference` chooses.
                accounts.setdefault(uh_text(row.u_saff_rentacc) or "", row)
            found: list[LetterDataLookup] = []
            for payment_ref in payment_refs:
                account = accounts.get(payment_ref)
                if account is None:
                    found.append(LetterDataLookup(payment_ref=payment_ref))
                    continue
                area = service_area_for(uh_text(account.rentgrp_ref))
                # Of the other service area: no data; the caller says why no letter can go.
                wanted = area is service_area
                found.append(
                    LetterDataLookup(
                        payment_ref=payment_ref,
                        tenancy_ref=account.tag_ref,
                        service_area=area,
                        rent=self._rent_letter_data(conn, account.tag_ref)
                        if wanted and area is ServiceArea.RENT
                        else None,
                        leasehold=self._leasehold_letter_data(conn, account.tag_ref)
                        if wanted and area is ServiceArea.LEASEHOLD
                        else None,
                    )
                )
        return found

    def payment_reference(self, payment_ref: str) -> PaymentReference:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(tenagree.c.tag_ref, tenagree.c.rentgrp_ref)
                .where(tenagree.c.u_saff_rentacc == payment_ref)
                .order_by(tenagree.c.terminated, tenagree.c.tag_ref)
                .limit(1)
            ).one_or_none()
        if row is None:
            raise NotFound(
                f"No account has payment reference {payment_ref}.", code="payment_ref_not_found"
            )
        return PaymentReference(
            payment_ref=payment_ref,
            tenancy_ref=row.tag_ref,
            service_area=service_area_for(uh_text(row.rentgrp_ref)),
        )


def diary_entry(row: Row[Any]) -> ActionDiaryEntry:
    return ActionDiaryEntry(
        id=row.araction_sid,
        tenancy_ref=row.tag_ref,
        action_code=row.action_code,
        action_name=uh_text(row.act_name) or ACTION_CODES.get(row.action_code),
        action_date=row.action_date,
        comment=row.action_comment,
        username=uh_text(row.username),
        balance=row.action_balance,
    )


def contact(row: Row[Any]) -> Contact:
    return Contact(
        id=row.con_key,
        name=uh_text(row.con_name),
        mobile_phone=uh_text(row.con_phone1),
        home_phone=uh_text(row.con_phone2),
        work_phone=uh_text(row.con_phone3),
        email_address=uh_text(row.email_address),
        address=uh_text(row.con_address),
        postcode=uh_text(row.con_postcode),
    )


def _agreements_of(conn: Connection, tenancy_refs: Sequence[str]) -> dict[str, list[UhAgreement]]:
    headers = conn.execute(
        select(arag)
        .where(arag.c.tag_ref.in_(list(tenancy_refs)))
        .order_by(arag.c.tag_ref, arag.c.arag_startdate.desc(), arag.c.arag_sid.desc())
    ).all()
    lines: dict[int, list[AgreementScheduleLine]] = {}
    if headers:
        for line in conn.execute(
            select(aragdet)
            .where(aragdet.c.arag_sid.in_([h.arag_sid for h in headers]))
            .order_by(aragdet.c.aragdet_sid)
        ):
            lines.setdefault(line.arag_sid, []).append(
                AgreementScheduleLine(
                    id=line.aragdet_sid,
                    amount=line.aragdet_amount,
                    frequency_code=line.aragdet_frequency,
                    frequency=AGREEMENT_FREQUENCIES.get(line.aragdet_frequency),
                    start_date=as_day(line.aragdet_startdate),
                    end_date=as_day(line.aragdet_enddate),
                    comment=uh_text(line.aragdet_comment),
                )
            )
    found: dict[str, list[UhAgreement]] = {}
    for h in headers:
        found.setdefault(uh_text(h.tag_ref) or h.tag_ref, []).append(
            UhAgreement(
                reference=h.arag_ref,
                status_code=uh_text(h.arag_status),
                status=AGREEMENT_STATUSES.get(h.arag_status or ""),
                status_date=as_day(h.arag_statusdate),
                start_date=as_day(h.arag_startdate),
                start_balance=h.arag_startbal,
                breached=bool(h.arag_breached),
                clear_by=as_day(h.arag_clearby),
                last_check_date=as_day(h.arag_lastcheckdate),
                last_check_balance=h.arag_lastcheckbal,
                last_expected_balance=h.arag_lastexpectedbal,
                comment=uh_text(h.arag_comment),
                schedule=lines.get(h.arag_sid, []),
            )
        )
    return found
