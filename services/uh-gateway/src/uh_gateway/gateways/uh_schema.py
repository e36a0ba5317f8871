"""The Universal Housing tables the gateway reads and writes, with UH's real names and types.

This is UH's schema (a minimal faithful subset, `universal-housing.md` §6.2), not ours: in
production the tables already exist in SQL Server and must not be altered. The simulator
creates them from this metadata (`uh_gateway.seed`). Names are mapped to API names only in
`uh_gateway.gateways.uh_repository`.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)

from ma_shared.database import Money
from uh_gateway.gateways.uh_types import SmallDateTime, UHChar

metadata = MetaData()


def _bit(name: str, default: bool = False) -> Column[bool]:
    return Column(name, Boolean, nullable=False, server_default=true() if default else false())


tenagree = Table(
    "tenagree",
    metadata,
    Column("tag_ref", UHChar(11), primary_key=True),
    Column("prop_ref", UHChar(12)),
    Column("house_ref", UHChar(10)),
    Column("tag_desc", UHChar(200)),
    Column("cot", SmallDateTime),
    Column("eot", SmallDateTime),
    Column("tenure", UHChar(3)),
    Column("prd_code", UHChar(2)),
    _bit("present", True),
    _bit("terminated"),
    _bit("active", True),
    Column("rentgrp_ref", UHChar(3)),
    Column("rent", Money(9)),
    Column("service", Money(9)),
    Column("other_charge", Money(9)),
    Column("tenancy_rent", Money(9)),
    Column("tenancy_service", Money(9)),
    Column("tenancy_other", Money(9)),
    Column("cur_bal", Money(9)),
    Column("cur_nr_bal", Money(9)),
    Column("occ_status", UHChar(3)),
    Column("tenagree_sid", Integer),
    Column("u_saff_rentacc", UHChar(20)),
    Column("high_action", UHChar(3)),
    Column("high_action_date", SmallDateTime),
    Column("u_notice_served", SmallDateTime),
    Column("u_notice_expiry", SmallDateTime),
    Column("courtdate", SmallDateTime),
    Column("evictdate", SmallDateTime),
    Column("u_court_outcome", UHChar(3)),
    Column("agr_type", UHChar(1)),
    Column("master_tag_ref", UHChar(11)),
    Column("rech_tag_ref", UHChar(11)),
    Column("u_money_judgement", Money(10)),
    Column("u_charging_order", Money(10)),
    Column("u_bal_dispute", Money(10)),
    Column("u_rent_patch", UHChar(3)),
    _bit("nosp"),
    _bit("eviction"),
    _bit("courtapp"),
    # UH's own indexes on tenagree (universal-housing.md §2.1), no more: a query that is only
    # fast with an index UH lacks would be slow in production, where we may not add one.
    Index("tenagree_prop_ref", "prop_ref"),
    Index("tenagree_house_ref", "house_ref"),
    Index("tenagree_rentgrp_ref", "rentgrp_ref"),
    Index("tenagree_prop_ref_cot", "prop_ref", "cot"),
    Index("tenagree_present_agr_type", "present", "agr_type"),
    Index("tenagree_terminated", "terminated", "cot", "eot", "agr_type"),
    Index("tenagree_tenure", "tenure"),
    Index("tenagree_u_saff_rentacc", "u_saff_rentacc"),
    Index("tenagree_master_tag_ref", "master_tag_ref"),
)

rtrans = Table(
    "rtrans",
    metadata,
    Column("rtrans_sid", Integer, primary_key=True, autoincrement=False),
    Column("tag_ref", UHChar(11), nullable=False),
    Column("prop_ref", UHChar(12)),
    Column("house_ref", UHChar(10)),
    Column("rentgroup", UHChar(3)),
    Column("post_year", Integer),
    Column("post_prdno", Numeric(3, 0)),
    Column("tenure", UHChar(3)),
    Column("trans_type", UHChar(3), nullable=False),
    Column("trans_src", UHChar(3)),
    Column("real_value", Money(9), nullable=False),
    Column("post_date", SmallDateTime, nullable=False),
    Column("trans_ref", UHChar(12)),
    Column("batchid", Integer, nullable=False),
    Column("transno", Integer, nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("line_segno", Numeric(2, 0), nullable=False),
    UniqueConstraint("batchid", "transno", "line_no", "line_segno", name="rtrans01"),
    # UH's (tag_ref, post_date) index: every per-account read walks it.
    Index("rtrans_tag_ref_post_date", "tag_ref", "post_date"),
)

araction = Table(
    "araction",
    metadata,
    Column("araction_sid", Integer, primary_key=True, autoincrement=False),
    Column("tag_ref", UHChar(11), nullable=False),
    Column("action_set", Integer, nullable=False),
    Column("action_no", Integer, nullable=False),
    Column("action_code", UHChar(3), nullable=False),
    Column("action_date", SmallDateTime, nullable=False),
    Column("action_balance", Money(7)),
    Column("action_comment", Text),
    Column("username", String(40)),
    _bit("comm_only"),
    Column("action_type", UHChar(3)),
    Column("action_cat", UHChar(3)),
    Column("act_status", UHChar(3)),
    Column("action_subno", Integer),
    Column("action_subcode", UHChar(3)),
    Column("action_process_no", Integer),
    _bit("action_deferred"),
    Column("deferred_until", SmallDateTime),
    Column("deferral_reason", UHChar(3)),
    Column("severity_level", Integer),
    Column("action_nr_balance", Money(10)),
    Column("notice_sid", Integer),
    Column("courtord_sid", Integer),
    Column("warrant_sid", Integer),
    Column("action_doc_no", Integer),
    Column("u_saff_araction_ref", UHChar(30)),
    Column("comp_avail", UHChar(200)),
    Column("comp_display", UHChar(200)),
    UniqueConstraint("tag_ref", "action_set", "action_no", "action_code", name="araction01"),
    Index("araction_tag_ref_code_date", "tag_ref", "action_code", "action_date"),
    Index("araction_saff_ref", "u_saff_araction_ref"),
)

raaction = Table(
    "raaction",
    metadata,
    Column("act_code", UHChar(3), primary_key=True),
    Column("act_name", UHChar(30)),
)

arag = Table(
    "arag",
    metadata,
    Column("arag_sid", Integer, primary_key=True, autoincrement=False),
    Column("arag_ref", UHChar(15), nullable=False, unique=True),
    Column("tag_ref", UHChar(11), nullable=False),
    Column("arag_status", UHChar(10)),
    Column("arag_statusdate", SmallDateTime),
    Column("arag_statususer", UHChar(3)),
    Column("arag_startdate", SmallDateTime),
    Column("arag_startbal", Money(10)),
    Column("arag_whichbal", UHChar(3)),
    Column("arag_amount", Money(10)),
    Column("arag_frequency", UHChar(3)),
    Column("arag_clearby", SmallDateTime),
    _bit("arag_breached"),
    Column("arag_nextcheck", SmallDateTime),
    Column("arag_tolerance", Integer),
    Column("arag_lastcheckdate", SmallDateTime),
    Column("arag_lastcheckbal", Money(10)),
    Column("arag_lastexpectedbal", Money(10)),
    Column("arag_cancelbal", Money(10)),
    Column("arag_fcadate", SmallDateTime),
    Column("arag_comment", Text),
    Index("arag_tag_ref", "tag_ref"),
)

aragdet = Table(
    "aragdet",
    metadata,
    Column("aragdet_sid", Integer, primary_key=True, autoincrement=False),
    Column("arag_sid", Integer, nullable=False),
    Column("aragdet_amount", Money(10), nullable=False),
    Column("aragdet_frequency", UHChar(3), nullable=False),
    Column("aragdet_startdate", SmallDateTime, nullable=False),
    Column("aragdet_enddate", SmallDateTime, nullable=False),
    Column("aragdet_comment", Text, nullable=False),
    Index("aragdet_arag_sid", "arag_sid"),
)

property_ = Table(
    "property",
    metadata,
    Column("prop_ref", UHChar(12), primary_key=True),
    Column("short_address", UHChar(200)),
    Column("address1", UHChar(255)),
    Column("post_code", UHChar(10)),
    Column("post_preamble", UHChar(60)),
    Column("post_desig", UHChar(60)),
    Column("num_bedrooms", Integer),
    Column("arr_patch", UHChar(3)),
    Column("area_office", UHChar(3)),
    Column("major_ref", UHChar(12)),
    Column("u_llpg_ref", UHChar(12)),
    Column("occ_stat", UHChar(3)),
    Column("house_ref", UHChar(10)),
    _bit("letable", True),
    Column("ownership", UHChar(10), nullable=False, server_default="LBH"),
    Index("property_arr_patch", "arr_patch"),
    Index("property_post_code", "post_code"),
)

postcode = Table(
    "postcode",
    metadata,
    Column("post_code", UHChar(10), primary_key=True),
    Column("aline1", UHChar(50)),
    Column("aline2", UHChar(50)),
    Column("aline3", UHChar(50)),
    Column("aline4", UHChar(50)),
    Column("address", String(200)),
)

rent = Table(
    "rent",
    metadata,
    Column("prop_ref", UHChar(12), primary_key=True),
    Column("rentgrp_ref", UHChar(3)),
    Column("rent", Money(9)),
    Column("service", Money(9)),
    Column("other_charge", Money(9)),
    Column("tenure", UHChar(3)),
    Column("house_ref", UHChar(10)),
    Column("short_address", UHChar(200)),
    Column("sc_leasedate", SmallDateTime),
)

member = Table(
    "member",
    metadata,
    Column("house_ref", UHChar(10), primary_key=True),
    Column("person_no", Numeric(2, 0), primary_key=True),
    Column("member_sid", Integer),
    Column("title", UHChar(10)),
    Column("forename", UHChar(24)),
    Column("surname", UHChar(20)),
    Column("initials", UHChar(3)),
    Column("gender", UHChar(1)),
    Column("dob", SmallDateTime),
    Column("age", Numeric(3, 0)),
    Column("relationship", UHChar(1)),
    _bit("responsible"),
    Column("ni_no", UHChar(12)),
    Index("member_surname", "surname"),
)

househ = Table(
    "househ",
    metadata,
    Column("house_ref", UHChar(10), primary_key=True),
    Column("prop_ref", UHChar(12)),
    Column("house_desc", UHChar(73)),
    Column("corr_preamble", UHChar(60)),
    Column("corr_desig", UHChar(60)),
    Column("corr_postcode", UHChar(10)),
    Column("post_code", UHChar(10)),
    Column("telephone", UHChar(21)),
    Column("email_address", String(50)),
    _bit("joint_ten"),
    Column("house_size", Integer),
    Column("payment_method", UHChar(3)),
    Column("househ_sid", Integer),
    _bit("vulnerable"),
)

contacts = Table(
    "contacts",
    metadata,
    Column("con_key", Integer, primary_key=True, autoincrement=False),
    Column("con_ref", UHChar(12)),
    Column("con_type", UHChar(1)),
    Column("tag_ref", UHChar(11)),
    Column("prop_ref", UHChar(12)),
    Column("con_name", String(73)),
    Column("con_address", UHChar(200)),
    Column("con_postcode", UHChar(10)),
    Column("con_phone1", UHChar(21)),
    Column("con_phone2", UHChar(21)),
    Column("con_phone3", UHChar(21)),
    Column("email_address", UHChar(50)),
    Column("contacts_sid", Integer),
    Index("contacts_con_ref_type", "con_ref", "con_type"),
    Index("contacts_tag_ref", "tag_ref"),
)

debtype = Table(
    "debtype",
    metadata,
    Column("deb_code", UHChar(3), primary_key=True),
    Column("deb_desc", UHChar(20)),
    Column("deb_cat", UHChar(1)),
    Column("deb_link", UHChar(1)),
    Column("deb_group", Numeric(1, 0)),
)

rectype = Table(
    "rectype",
    metadata,
    Column("rec_code", UHChar(3), primary_key=True),
    Column("rec_desc", UHChar(20)),
    Column("rec_group", Numeric(1, 0)),
    _bit("rec_hb"),
    _bit("rec_dd"),
)

rentgrp = Table(
    "rentgrp",
    metadata,
    Column("rentgrp_ref", UHChar(3), primary_key=True),
    Column("rentgrp_desc", UHChar(16)),
    Column("prd_code", UHChar(2)),
    Column("no_of_periods", Integer),
)

tenure = Table(
    "tenure",
    metadata,
    Column("ten_type", UHChar(3), primary_key=True),
    Column("ten_desc", UHChar(15)),
    _bit("leasehold"),
    _bit("ten_secure"),
)

period = Table(
    "period",
    metadata,
    Column("prd_code", UHChar(2), primary_key=True),
    Column("prd_desc", UHChar(16)),
    Column("prd_type", UHChar(1)),
)

lookup = Table(
    "lookup",
    metadata,
    Column("lu_type", UHChar(3), primary_key=True),
    Column("lu_ref", UHChar(3), primary_key=True),
    Column("lu_desc", String(80)),
)

ddagree = Table(
    "ddagree",
    metadata,
    Column("ddagree_ref", UHChar(20), primary_key=True),
    Column("ddagree_status", UHChar(3)),
    Column("ddstart", SmallDateTime),
    Column("ddend", SmallDateTime),
    Column("ddperiod", UHChar(3)),
    Column("u_saff_rentacc", UHChar(12)),
)

ddagacc = Table(
    "ddagacc",
    metadata,
    Column("ddagree_ref", UHChar(20), primary_key=True),
    Column("tag_ref", UHChar(11), nullable=False),
    Column("due_per_period", Money(9)),
    Index("ddagacc_tag_ref", "tag_ref"),
)
