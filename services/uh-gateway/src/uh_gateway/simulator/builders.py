"""Builders that put realistic UH rows in the simulator for one test, for this service's tests
and those of services that read UH through it: `make_tenancy(...)` and friends. Unspecified
columns get the values UH would hold (padding, sentinel dates)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, insert, select

from uh_gateway.gateways.uh_schema import (
    araction,
    arag,
    aragdet,
    contacts,
    ddagacc,
    ddagree,
    househ,
    member,
    postcode,
    property_,
    rtrans,
    tenagree,
)
from uh_gateway.gateways.uh_schema import (
    rent as rent_table,
)
from uh_gateway.gateways.uh_types import NO_DATE

_numbers = itertools.count(100000)


def _next_id(conn: Connection, column: Any) -> int:
    return int(conn.execute(select(func.coalesce(func.max(column), 0) + 1)).scalar_one())


def make_property(conn: Connection, **overrides: Any) -> str:
    number = next(_numbers)
    values: dict[str, Any] = {
        "prop_ref": f"{number:08d}",
        "short_address": f"{number % 90 + 1} Mare Street",
        "address1": f"{number % 90 + 1} Mare Street",
        "post_code": "E8 1DY",
        "post_preamble": "",
        "post_desig": str(number % 90 + 1),
        "num_bedrooms": 2,
        "arr_patch": "E01",
        "u_llpg_ref": f"1000{number:08d}",
        "ownership": "LBH",
    }
    values.update(overrides)
    conn.execute(insert(property_).values(**values))
    if (
        conn.execute(select(postcode).where(postcode.c.post_code == values["post_code"])).first()
        is None
    ):
        conn.execute(
            insert(postcode).values(
                post_code=values["post_code"],
                aline1="Mare Street",
                aline2="Hackney",
                aline3="London",
                aline4="",
            )
        )
    return str(values["prop_ref"])


def make_tenancy(
    conn: Connection,
    *,
    tenancy_ref: str | None = None,
    balance: str = "0",
    rent: str = "100.00",
    service: str = "10.00",
    other_charge: str = "0.00",
    tenure: str = "SEC",
    rent_group: str = "HRA",
    patch: str = "E01",
    members: list[tuple[str, str, str, bool]] | None = None,
    **overrides: Any,
) -> str:
    number = next(_numbers)
    ref = tenancy_ref or f"{number:06d}/01"
    prop_ref = make_property(conn, arr_patch=patch)
    house_ref = f"{number}"
    values: dict[str, Any] = {
        "tag_ref": ref,
        "prop_ref": prop_ref,
        "house_ref": house_ref,
        "u_saff_rentacc": f"19{number:08d}",
        "cur_bal": Decimal(balance),
        "rent": Decimal(rent),
        "service": Decimal(service),
        "other_charge": Decimal(other_charge),
        "tenure": tenure,
        "rentgrp_ref": rent_group,
        "prd_code": "01" if rent_group == "LSC" else "WK",
        "agr_type": "M",
        "cot": dt.datetime(2015, 4, 6),
        "eot": NO_DATE,
        "high_action": "111",
        "u_notice_served": NO_DATE,
        "u_notice_expiry": NO_DATE,
        "courtdate": NO_DATE,
        "evictdate": NO_DATE,
        "u_court_outcome": "",
        "u_money_judgement": Decimal("0"),
        "u_charging_order": Decimal("0"),
        "u_bal_dispute": Decimal("0"),
    }
    values.update(overrides)
    conn.execute(insert(tenagree).values(**values))
    conn.execute(
        insert(househ).values(
            house_ref=house_ref,
            prop_ref=prop_ref,
            house_desc="Mr John Smith",
            corr_preamble="",
            corr_desig="",
            corr_postcode="",
        )
    )
    for person_no, (title, forename, surname, responsible) in enumerate(
        members or [("Mr", "John", "Smith", True)], start=1
    ):
        conn.execute(
            insert(member).values(
                house_ref=house_ref,
                person_no=person_no,
                title=title,
                forename=forename,
                surname=surname,
                responsible=responsible,
                relationship="A",
                dob=NO_DATE,
            )
        )
    conn.execute(
        insert(rent_table).values(
            prop_ref=prop_ref,
            rentgrp_ref=rent_group,
            tenure=tenure,
            sc_leasedate=dt.datetime(1999, 3, 1),
        )
    )
    return ref


def make_transaction(
    conn: Connection, tenancy_ref: str, trans_type: str, amount: str, posted: dt.datetime | dt.date
) -> int:
    sid = _next_id(conn, rtrans.c.rtrans_sid)
    when = posted if isinstance(posted, dt.datetime) else dt.datetime.combine(posted, dt.time())
    conn.execute(
        insert(rtrans).values(
            rtrans_sid=sid,
            tag_ref=tenancy_ref,
            trans_type=trans_type,
            real_value=Decimal(amount),
            post_date=when,
            trans_ref=f"T{sid}",
            batchid=sid,
            transno=1,
            line_no=1,
            line_segno=1,
            post_year=when.year,
            post_prdno=1,
        )
    )
    return sid


def make_action(
    conn: Connection,
    tenancy_ref: str,
    code: str,
    when: dt.datetime,
    comment: str = "",
    username: str = "ABC",
) -> int:
    sid = _next_id(conn, araction.c.araction_sid)
    conn.execute(
        insert(araction).values(
            araction_sid=sid,
            tag_ref=tenancy_ref,
            action_set=1,
            action_no=sid,
            action_code=code,
            action_date=when,
            action_comment=comment,
            username=username,
            action_balance=Decimal("0"),
            comm_only=True,
            deferred_until=NO_DATE,
        )
    )
    return sid


def make_agreement(
    conn: Connection, tenancy_ref: str, status: str, start: dt.datetime, reference: str
) -> None:
    sid = _next_id(conn, arag.c.arag_sid)
    conn.execute(
        insert(arag).values(
            arag_sid=sid,
            arag_ref=reference,
            tag_ref=tenancy_ref,
            arag_status=status,
            arag_startdate=start,
            arag_startbal=Decimal("500.00"),
            arag_breached=status == "300",
        )
    )
    conn.execute(
        insert(aragdet).values(
            aragdet_sid=_next_id(conn, aragdet.c.aragdet_sid),
            arag_sid=sid,
            aragdet_amount=Decimal("50.20"),
            aragdet_frequency="1",
            aragdet_startdate=start,
            aragdet_enddate=NO_DATE,
            aragdet_comment="",
        )
    )


def make_contact(conn: Connection, tenancy_ref: str, **overrides: Any) -> int:
    key = _next_id(conn, contacts.c.con_key)
    household = conn.execute(
        select(tenagree.c.house_ref).where(tenagree.c.tag_ref == tenancy_ref)
    ).scalar_one()
    values: dict[str, Any] = {
        "con_key": key,
        "con_ref": household,
        "con_type": "H",
        "tag_ref": tenancy_ref,
        "con_name": "John Smith",
        "con_phone1": "07700 900123",
        "con_phone2": "020 7946 0001",
        "con_phone3": "",
        "email_address": "john@example.com",
    }
    values.update(overrides)
    conn.execute(insert(contacts).values(**values))
    return key


def make_direct_debit(
    conn: Connection,
    tenancy_ref: str,
    reference: str,
    status: str,
    start: dt.datetime,
    amount: str,
) -> None:
    conn.execute(
        insert(ddagree).values(
            ddagree_ref=reference, ddagree_status=status, ddstart=start, ddend=NO_DATE
        )
    )
    conn.execute(
        insert(ddagacc).values(
            ddagree_ref=reference, tag_ref=tenancy_ref, due_per_period=Decimal(amount)
        )
    )
