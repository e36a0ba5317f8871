"""Canonical rows (see `formats.py`) for every generated UH table, in load order (the lookup
tables come from `reference_data.seed_reference_data`).

`tenagree` comes last: a build that stops part-way leaves no populated `tenagree`, which is
what `uh-gateway-seed --if-absent` checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from sqlalchemy import Table

from uh_gateway.domain import codes
from uh_gateway.gateways import uh_schema
from uh_gateway.simulator.diary import MANAGE_ARREARS_USER
from uh_gateway.simulator.formats import bit, smalldatetime, uh_char
from uh_gateway.simulator.generator import (
    HOUSEHOLD_CONTACT_TYPE,
    OTHER_CODES,
    SERVICE_CODES,
    UHSimulation,
)
from uh_gateway.simulator.ledger import RTRANS_COLUMNS
from uh_gateway.simulator.model import Account, AccountKind

Row = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class TableLoad:
    table: Table
    columns: tuple[str, ...]
    rows: Callable[[], Iterable[Row]]


def _date(value: dt.date | dt.datetime | None) -> str:
    return smalldatetime(value)


def table_loads(simulation: UHSimulation) -> list[TableLoad]:
    load = TableLoad
    s = simulation
    return [
        load(uh_schema.postcode, POSTCODE_COLUMNS, partial(_postcodes, s)),
        load(uh_schema.property_, PROPERTY_COLUMNS, partial(_properties, s)),
        load(uh_schema.rent, RENT_COLUMNS, partial(_rents, s)),
        load(uh_schema.househ, HOUSEH_COLUMNS, partial(_households, s)),
        load(uh_schema.member, MEMBER_COLUMNS, partial(_members, s)),
        load(uh_schema.contacts, CONTACTS_COLUMNS, partial(_contacts, s)),
        load(uh_schema.ddagree, DDAGREE_COLUMNS, partial(_ddagree, s)),
        load(uh_schema.ddagacc, ("ddagree_ref", "tag_ref", "due_per_period"), partial(_ddagacc, s)),
        load(uh_schema.arag, ARAG_COLUMNS, partial(_arag, s)),
        load(uh_schema.aragdet, ARAGDET_COLUMNS, partial(_aragdet, s)),
        load(uh_schema.araction, ARACTION_COLUMNS, partial(_araction, s)),
        load(uh_schema.rtrans, RTRANS_COLUMNS, s.ledger.rows),
        load(uh_schema.tenagree, TENAGREE_COLUMNS, partial(_tenagree, s)),
    ]


# Places and people -----------------------------------------------------------------------------


POSTCODE_COLUMNS = ("post_code", "aline1", "aline2", "aline3", "aline4", "address")


def _postcodes(simulation: UHSimulation) -> Iterator[Row]:
    for postcode, lines in sorted(simulation.postcodes.items()):
        address = ", ".join(
            line for line in (lines.aline1, lines.aline2, lines.aline3, lines.aline4) if line
        )
        yield (
            uh_char(postcode, 10),
            uh_char(lines.aline1, 50),
            uh_char(lines.aline2, 50),
            uh_char(lines.aline3, 50),
            uh_char(lines.aline4, 50),
            address,
        )


PROPERTY_COLUMNS = (
    "prop_ref",
    "short_address",
    "address1",
    "post_code",
    "post_preamble",
    "post_desig",
    "num_bedrooms",
    "arr_patch",
    "area_office",
    "major_ref",
    "u_llpg_ref",
    "occ_stat",
    "house_ref",
    "letable",
    "ownership",
)


def _properties(simulation: UHSimulation) -> Iterator[Row]:
    for prop in simulation.properties:
        place = prop.place
        # area_office: which area team the patch belongs to (ours; UH's codes are not published).
        area = {"E": "EST", "W": "WST", "S": "LSC"}.get(prop.patch[:1], "")
        yield (
            uh_char(prop.prop_ref, 12),
            uh_char(place.short_address, 200),
            uh_char(place.address1, 255),
            uh_char(place.post_code, 10),
            uh_char(place.preamble, 60),
            uh_char(place.desig, 60),
            prop.bedrooms,
            uh_char(prop.patch, 3),
            uh_char(area, 3),
            uh_char(place.major_ref, 12),
            uh_char(prop.uprn, 12),
            uh_char("OCC", 3),
            uh_char(prop.house_ref, 10),
            1,
            uh_char("LBH", 10),
        )


def _charge_columns(account: Account) -> tuple[int, int, int]:
    """(rent, service, other_charge): weekly for rent groups; for leasehold the monthly
    service charge and ground rent (rent itself is nil)."""
    rent = sum(pence for code, pence in account.charges if code in ("DBR", "DTA"))
    service = sum(pence for code, pence in account.charges if code in SERVICE_CODES)
    other = sum(pence for code, pence in account.charges if code in OTHER_CODES)
    return rent, service, other


RENT_COLUMNS = (
    "prop_ref",
    "rentgrp_ref",
    "rent",
    "service",
    "other_charge",
    "tenure",
    "house_ref",
    "short_address",
    "sc_leasedate",
)


def _rents(simulation: UHSimulation) -> Iterator[Row]:
    """One rent row per property, from the account living (or last living) there."""
    seen: set[str] = set()
    for account in simulation.accounts:
        prop = account.prop
        if prop.prop_ref in seen or account.agr_type != codes.MASTER_ACCOUNT:
            continue
        seen.add(prop.prop_ref)
        rent, service, other = _charge_columns(account)
        yield (
            uh_char(prop.prop_ref, 12),
            uh_char(account.rent_group, 3),
            rent,
            service,
            other,
            uh_char(account.tenure, 3),
            uh_char(prop.house_ref, 10),
            uh_char(prop.place.short_address, 200),
            _date(account.lease_date),
        )


def _main_accounts(simulation: UHSimulation) -> dict[str, Account]:
    """Each household's current master account (the former one if it has none)."""
    main: dict[str, Account] = {}
    for account in simulation.accounts:
        if account.agr_type != codes.MASTER_ACCOUNT:
            continue
        current = main.get(account.household.house_ref)
        if current is None or (current.terminated and not account.terminated):
            main[account.household.house_ref] = account
    return main


HOUSEH_COLUMNS = (
    "house_ref",
    "prop_ref",
    "house_desc",
    "corr_preamble",
    "corr_desig",
    "corr_postcode",
    "post_code",
    "telephone",
    "email_address",
    "joint_ten",
    "house_size",
    "payment_method",
    "househ_sid",
    "vulnerable",
)


def _households(simulation: UHSimulation) -> Iterator[Row]:
    main = _main_accounts(simulation)
    for sid, household in enumerate(simulation.households, start=1):
        account = main[household.house_ref]
        preamble, desig, postcode = household.correspondence or ("", "", "")
        yield (
            uh_char(household.house_ref, 10),
            uh_char(account.prop.prop_ref, 12),
            uh_char(household.house_desc, 73),
            uh_char(preamble, 60),
            uh_char(desig, 60),
            uh_char(postcode, 10),
            uh_char(account.prop.place.post_code, 10),
            uh_char(household.landline or household.mobile, 21),
            household.email,
            bit(household.joint),
            len(household.members),
            uh_char(account.own_method, 3),
            sid,
            bit(sid % 41 == 0),
        )


MEMBER_COLUMNS = (
    "house_ref",
    "person_no",
    "member_sid",
    "title",
    "forename",
    "surname",
    "initials",
    "gender",
    "dob",
    "age",
    "relationship",
    "responsible",
    "ni_no",
)


def _members(simulation: UHSimulation) -> Iterator[Row]:
    as_of = simulation.as_of
    sid = 0
    for household in simulation.households:
        for member in household.members:
            sid += 1
            age = (
                as_of.year
                - member.dob.year
                - ((as_of.month, as_of.day) < (member.dob.month, member.dob.day))
            )
            yield (
                uh_char(household.house_ref, 10),
                member.person_no,
                sid,
                uh_char(member.title, 10),
                uh_char(member.forename, 24),
                uh_char(member.surname, 20),
                uh_char((member.forename[:1] + member.surname[:1]).upper(), 3),
                uh_char(member.gender, 1),
                _date(member.dob),
                age,
                uh_char(member.relationship, 1),
                bit(member.responsible),
                uh_char(member.ni_no, 12),
            )


CONTACTS_COLUMNS = (
    "con_key",
    "con_ref",
    "con_type",
    "tag_ref",
    "prop_ref",
    "con_name",
    "con_address",
    "con_postcode",
    "con_phone1",
    "con_phone2",
    "con_phone3",
    "email_address",
    "contacts_sid",
)


def _contact_address(account: Account) -> str:
    place = account.prop.place
    lines = [place.preamble, f"{place.desig} {place.street}".strip(), "Hackney", "London"]
    return "\n".join(line for line in lines if line)


def _contacts(simulation: UHSimulation) -> Iterator[Row]:
    main = _main_accounts(simulation)
    key = 0
    for household in simulation.households:
        account = main[household.house_ref]
        phones = [(household.mobile, household.landline, household.work_phone)]
        if household.second_mobile:
            phones.append((household.second_mobile, "", ""))
        for mobile, landline, work in phones:
            key += 1
            yield (
                key,
                uh_char(household.house_ref, 12),
                uh_char(HOUSEHOLD_CONTACT_TYPE, 1),
                uh_char(account.tag_ref, 11),
                uh_char(account.prop.prop_ref, 12),
                household.house_desc,
                uh_char(_contact_address(account), 200),
                uh_char(account.prop.place.post_code, 10),
                uh_char(mobile, 21),
                uh_char(landline, 21),
                uh_char(work, 21),
                uh_char(household.email, 50),
                key,
            )


# Direct debits and agreements ------------------------------------------------------------------

DDAGREE_COLUMNS = (
    "ddagree_ref",
    "ddagree_status",
    "ddstart",
    "ddend",
    "ddperiod",
    "u_saff_rentacc",
)
# ddagree.ddperiod: the AGREEMENT_FREQUENCIES code for monthly (UH's values are not published).
DD_MONTHLY = "0"


def _direct_debits(
    simulation: UHSimulation,
) -> Iterator[tuple[Account, str, tuple[int, int, int, str]]]:
    for account in simulation.accounts:
        for number, mandate in enumerate(account.direct_debits, start=1):
            yield account, f"DD{account.payment_ref}{number:02d}", mandate


def _ddagree(simulation: UHSimulation) -> Iterator[Row]:
    calendar = simulation.calendar
    for account, reference, (first, last, _, status) in _direct_debits(simulation):
        yield (
            uh_char(reference, 20),
            uh_char(status, 3),
            _date(calendar.date_of(first)),
            _date(calendar.date_of(last) if last >= 0 else None),
            uh_char(DD_MONTHLY, 3),
            uh_char(account.payment_ref, 12),
        )


def _ddagacc(simulation: UHSimulation) -> Iterator[Row]:
    for account, reference, (_, _, amount, _) in _direct_debits(simulation):
        yield (uh_char(reference, 20), uh_char(account.tag_ref, 11), amount)


ARAG_COLUMNS = (
    "arag_sid",
    "arag_ref",
    "tag_ref",
    "arag_status",
    "arag_statusdate",
    "arag_statususer",
    "arag_startdate",
    "arag_startbal",
    "arag_whichbal",
    "arag_amount",
    "arag_frequency",
    "arag_clearby",
    "arag_breached",
    "arag_nextcheck",
    "arag_tolerance",
    "arag_lastcheckdate",
    "arag_lastcheckbal",
    "arag_lastexpectedbal",
    "arag_cancelbal",
    "arag_fcadate",
    "arag_comment",
)


def _arag(simulation: UHSimulation) -> Iterator[Row]:
    for agreement in simulation.agreements:
        yield (
            agreement.sid,
            uh_char(agreement.ref, 15),
            uh_char(agreement.account.tag_ref, 11),
            uh_char(agreement.status, 10),
            _date(agreement.status_date),
            uh_char(agreement.status_user, 3),
            _date(agreement.start),
            agreement.start_balance,
            uh_char("TOT", 3),
            agreement.amount,
            uh_char(agreement.frequency, 3),
            _date(agreement.clear_by),
            bit(agreement.breached),
            _date(agreement.next_check),
            agreement.tolerance,
            _date(agreement.last_check_date),
            agreement.last_check_balance,
            agreement.last_expected_balance,
            agreement.cancel_balance,
            _date(agreement.fca_date),
            agreement.comment,
        )


ARAGDET_COLUMNS = (
    "aragdet_sid",
    "arag_sid",
    "aragdet_amount",
    "aragdet_frequency",
    "aragdet_startdate",
    "aragdet_enddate",
    "aragdet_comment",
)


def _aragdet(simulation: UHSimulation) -> Iterator[Row]:
    lines = [
        (line.sid, agreement.sid, line)
        for agreement in simulation.agreements
        for line in agreement.lines
    ]
    lines.sort(key=lambda item: item[0])
    for line_sid, agreement_sid, line in lines:
        yield (
            line_sid,
            agreement_sid,
            line.amount,
            uh_char(line.frequency, 3),
            _date(line.start),
            _date(line.end),
            line.comment,
        )


# Action diary ----------------------------------------------------------------------------------

ARACTION_COLUMNS = (
    "araction_sid",
    "tag_ref",
    "action_set",
    "action_no",
    "action_code",
    "action_date",
    "action_balance",
    "action_comment",
    "username",
    "comm_only",
    "action_type",
    "action_cat",
    "act_status",
    "action_subno",
    "action_subcode",
    "action_process_no",
    "action_deferred",
    "deferred_until",
    "deferral_reason",
    "severity_level",
    "action_nr_balance",
    "notice_sid",
    "courtord_sid",
    "warrant_sid",
    "action_doc_no",
    "u_saff_araction_ref",
    "comp_avail",
    "comp_display",
)
# araction.action_balance is numeric(7,2): UH cannot hold £100,000 or more there.
ACTION_BALANCE_LIMIT = 9_999_999
# A new action set (UH's arrears "case") starts after this long without any entry.
ACTION_SET_GAP = dt.timedelta(days=180)


def _araction(simulation: UHSimulation) -> Iterator[Row]:
    calendar = simulation.calendar
    blank3, blank30, blank200 = uh_char("", 3), uh_char("", 30), uh_char("", 200)
    no_date = _date(None)
    # action_set / action_no per tenancy, in date order (the diary list is sorted by date).
    numbering: dict[int, tuple[int, int, dt.datetime]] = {}
    for sid, (account, entry) in enumerate(simulation.diary, start=1):
        action_set, action_no, previous = numbering.get(account.index, (1, 0, entry.when))
        if entry.when - previous > ACTION_SET_GAP:
            action_set += 1
        action_no += 1
        numbering[account.index] = (action_set, action_no, entry.when)
        day = calendar.day_of(entry.when.date())
        balance = max(-ACTION_BALANCE_LIMIT, min(ACTION_BALANCE_LIMIT, account.balance_at_day(day)))
        if entry.policy_step:
            # UH's own policy steps (our values: UH's are not published).
            comm_only, action_type, category, status = 0, "2", "1", "002"
        else:
            # What Manage Arrears wrote for every entry (universal-housing.md §5.2).
            comm_only, action_type, category, status = 1, "9", "8", "001"
        yield (
            sid,
            uh_char(account.tag_ref, 11),
            action_set,
            action_no,
            uh_char(entry.code, 3),
            _date(entry.when),
            balance,
            entry.comment,
            entry.username if entry.username else MANAGE_ARREARS_USER,
            comm_only,
            uh_char(action_type, 3),
            uh_char(category, 3),
            uh_char(status, 3),
            1,
            blank3,
            0,
            0,
            no_date,
            blank3,
            1,
            0,
            0,
            0,
            0,
            0,
            blank30,
            blank200,
            blank200,
        )


# Tenancies -------------------------------------------------------------------------------------

TENAGREE_COLUMNS = (
    "tag_ref",
    "prop_ref",
    "house_ref",
    "tag_desc",
    "cot",
    "eot",
    "tenure",
    "prd_code",
    "present",
    "terminated",
    "active",
    "rentgrp_ref",
    "rent",
    "service",
    "other_charge",
    "tenancy_rent",
    "tenancy_service",
    "tenancy_other",
    "cur_bal",
    "cur_nr_bal",
    "occ_status",
    "tenagree_sid",
    "u_saff_rentacc",
    "high_action",
    "high_action_date",
    "u_notice_served",
    "u_notice_expiry",
    "courtdate",
    "evictdate",
    "u_court_outcome",
    "agr_type",
    "master_tag_ref",
    "rech_tag_ref",
    "u_money_judgement",
    "u_charging_order",
    "u_bal_dispute",
    "u_rent_patch",
    "nosp",
    "eviction",
    "courtapp",
)
# A NOSP's expiry as UH records it: 28 days after service (the statutory notice period).
NOSP_NOTICE_DAYS = 28


def _tenagree(simulation: UHSimulation) -> Iterator[Row]:
    for sid, account in enumerate(simulation.accounts, start=1):
        rent, service, other = _charge_columns(account)
        served = account.nosp_served
        expiry = served + dt.timedelta(days=NOSP_NOTICE_DAYS) if served else None
        period = "01" if account.kind is AccountKind.LEASEHOLD else "WK"
        live = not account.terminated
        yield (
            uh_char(account.tag_ref, 11),
            uh_char(account.prop.prop_ref, 12),
            uh_char(account.household.house_ref, 10),
            uh_char(account.household.house_desc, 200),
            _date(account.cot),
            _date(account.eot),
            uh_char(account.tenure, 3),
            uh_char(period, 2),
            bit(live),
            bit(account.terminated),
            bit(live),
            uh_char(account.rent_group, 3),
            rent,
            service,
            other,
            rent,
            service,
            other,
            account.balance,
            0,
            uh_char("OCC" if live else "", 3),
            sid,
            uh_char(account.payment_ref, 20),
            uh_char(account.high_action, 3),
            _date(account.high_action_date),
            _date(served),
            _date(expiry),
            _date(account.court_date),
            _date(account.eviction_date),
            uh_char(account.court_outcome, 3),
            uh_char(account.agr_type, 1),
            uh_char(account.master_tag_ref, 11),
            uh_char("", 11),
            account.money_judgement,
            account.charging_order,
            account.balance_dispute,
            uh_char(account.prop.patch if account.kind is AccountKind.RENT else "", 3),
            bit(served is not None),
            bit(account.eviction_date is not None),
            bit(account.court_date is not None),
        )
