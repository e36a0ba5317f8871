"""The UH simulator: determinism, ledger integrity, UH storage conventions and the coverage the
classification rules need (universal-housing.md §7, income-rules.md §1.3-§1.7)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select

from uh_gateway.domain.codes import (
    COMMUNICATION_CODES,
    DIRECT_DEBIT_STATUSES,
    PAYMENT_TYPES,
)
from uh_gateway.gateways import uh_schema
from uh_gateway.gateways.uh_types import UHChar, uh_date
from uh_gateway.seed import main
from uh_gateway.simulator import (
    PROFILES,
    BuildReport,
    SimulatorAlreadyBuilt,
    SimulatorSize,
    build_simulator,
)

AS_OF = dt.date(2025, 6, 11)  # a Wednesday: "this week" is Monday 9 June to today
THIS_MONDAY = "2025-06-09 00:00:00"
SEED = 7
NO_DATE = "1900-01-01 00:00:00"
UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")
PAYMENT_CODES = ", ".join(f"'{code}'" for code in sorted(PAYMENT_TYPES))
COMMUNICATIONS = ", ".join(f"'{code}'" for code in sorted(COMMUNICATION_CODES))
BALANCE_MISMATCHES = """
    SELECT count(*) FROM tenagree t
    LEFT JOIN (SELECT tag_ref, sum(real_value) AS total FROM rtrans GROUP BY tag_ref) r
      ON r.tag_ref = t.tag_ref
    WHERE coalesce(r.total, 0) != t.cur_bal
"""
LIVE_WEEKLY_MASTERS = """
    SELECT count(*) FROM tenagree WHERE prd_code = 'WK' AND terminated = 0 AND agr_type = 'M'
"""
DEBITED_THIS_MONDAY = """
    SELECT count(DISTINCT tag_ref) FROM rtrans
    WHERE post_date = ? AND trans_type IN ('DBR', 'DTA')
"""
PAID_THIS_WEEK = f"""
    SELECT count(DISTINCT tag_ref) FROM rtrans
    WHERE post_date >= ? AND trans_type IN ({PAYMENT_CODES})
"""  # noqa: S608
REFERENCES = {
    "tenancy property": "SELECT prop_ref FROM tenagree EXCEPT SELECT prop_ref FROM property",
    "tenancy household": "SELECT house_ref FROM tenagree EXCEPT SELECT house_ref FROM househ",
    "member household": "SELECT house_ref FROM member EXCEPT SELECT house_ref FROM househ",
    "diary tenancy": "SELECT tag_ref FROM araction EXCEPT SELECT tag_ref FROM tenagree",
    "ledger tenancy": "SELECT tag_ref FROM rtrans EXCEPT SELECT tag_ref FROM tenagree",
    "property postcode": "SELECT post_code FROM property EXCEPT SELECT post_code FROM postcode",
    "rent property": "SELECT prop_ref FROM rent EXCEPT SELECT prop_ref FROM property",
    "correspondence postcode": """
        SELECT corr_postcode FROM househ WHERE trim(corr_postcode) != ''
        EXCEPT SELECT post_code FROM postcode""",
}


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    path = tmp_path_factory.mktemp("uh") / "uh.sqlite3"
    report = build_simulator(_url(path), size=PROFILES["test"], as_of=AS_OF, seed=SEED)
    return path, report


@pytest.fixture(scope="module")
def db(built: tuple[Path, BuildReport]) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(built[0])
    yield connection
    connection.close()


def _all(db: sqlite3.Connection, sql: str, *parameters: object) -> list[tuple[Any, ...]]:
    return db.execute(sql, parameters).fetchall()


def _one(db: sqlite3.Connection, sql: str, *parameters: object) -> Any:
    return db.execute(sql, parameters).fetchone()[0]


def _checksums(path: Path) -> dict[str, str]:
    connection = sqlite3.connect(path)
    sums = {}
    for table in uh_schema.metadata.sorted_tables:
        digest = hashlib.sha256()
        order = ", ".join(str(n) for n in range(1, len(table.columns) + 1))
        for row in connection.execute(f"SELECT * FROM {table.name} ORDER BY {order}"):  # noqa: S608
            digest.update(repr(row).encode())
        sums[table.name] = digest.hexdigest()
    connection.close()
    return sums


# Size and determinism ----------------------------------------------------------------------------


def test_the_test_profile_has_300_rent_and_100_leasehold_accounts(
    built: tuple[Path, BuildReport], db: sqlite3.Connection
) -> None:
    _, report = built
    assert report.counts["tenagree"] == 400
    assert _one(db, "SELECT count(*) FROM tenagree WHERE rentgrp_ref = 'LSC'") == 100
    assert 60_000 < report.counts["rtrans"] < 200_000
    for table in uh_schema.metadata.sorted_tables:
        assert report.counts[table.name] == _one(db, f"SELECT count(*) FROM {table.name}")  # noqa: S608
        assert report.counts[table.name] > 0, table.name
    assert report.database_bytes > 0


def test_the_same_seed_and_date_build_the_same_database(
    built: tuple[Path, BuildReport], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    again = tmp_path / "again.sqlite3"
    arguments = ["--profile", "test", "--database-url", _url(again)]
    exit_code = main([*arguments, "--as-of", AS_OF.isoformat(), "--seed", str(SEED)])

    assert exit_code == 0
    assert "tenagree=400" in capsys.readouterr().out
    assert _checksums(again) == _checksums(built[0])


def test_a_different_seed_builds_different_data_and_force_replaces_it(tmp_path: Path) -> None:
    path = tmp_path / "small.sqlite3"
    size = SimulatorSize(rent_accounts=120, leasehold_accounts=40)
    build_simulator(_url(path), size=size, as_of=AS_OF, seed=1)
    first = _checksums(path)

    report = build_simulator(_url(path), size=size, as_of=AS_OF, seed=2, force=True)

    assert report.counts["tenagree"] == 160
    second = _checksums(path)
    assert first["rtrans"] != second["rtrans"]
    assert first["tenagree"] != second["tenagree"]


@pytest.mark.parametrize(
    "as_of",
    [dt.date(2025, 4, 7), dt.date(2024, 12, 23), dt.date(2024, 2, 29)],
    ids=["a Monday starting a rent year", "a rent-free Christmas week", "29 February"],
)
def test_any_day_can_be_today(tmp_path: Path, as_of: dt.date) -> None:
    path = tmp_path / "uh.sqlite3"
    size = SimulatorSize(rent_accounts=120, leasehold_accounts=40)

    build_simulator(_url(path), size=size, as_of=as_of, seed=5)

    connection = sqlite3.connect(path)
    monday = f"{as_of - dt.timedelta(days=as_of.weekday())} 00:00:00"
    assert _one(connection, BALANCE_MISMATCHES) == 0
    assert _one(connection, DEBITED_THIS_MONDAY, monday) == _one(connection, LIVE_WEEKLY_MASTERS)
    assert _one(connection, "SELECT max(post_date) FROM rtrans") == f"{as_of} 00:00:00"
    connection.close()


def test_a_built_database_is_kept_unless_forced(
    built: tuple[Path, BuildReport], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = built
    with pytest.raises(SimulatorAlreadyBuilt):
        build_simulator(_url(path), size=PROFILES["test"], as_of=AS_OF, seed=SEED)

    assert build_simulator(_url(path), as_of=AS_OF, if_absent=True).skipped
    assert main(["--database-url", _url(path), "--if-absent"]) == 0
    assert "already present" in capsys.readouterr().out
    assert main(["--database-url", _url(path)]) == 1


# Ledger ----------------------------------------------------------------------------------------


def test_cur_bal_is_the_sum_of_each_tenancys_transactions(db: sqlite3.Connection) -> None:
    assert _one(db, BALANCE_MISMATCHES) == 0
    orphans = "SELECT count(*) FROM rtrans WHERE tag_ref NOT IN (SELECT tag_ref FROM tenagree)"
    assert _one(db, orphans) == 0


def test_debits_are_positive_and_payments_negative(db: sqlite3.Connection) -> None:
    debits = "SELECT min(real_value) FROM rtrans WHERE trans_type LIKE 'D%'"
    assert _one(db, debits) > 0
    payments = f"""SELECT max(real_value) FROM rtrans
                   WHERE trans_type IN ({PAYMENT_CODES}) AND trans_type NOT IN ('RDN', 'RRC')"""  # noqa: S608
    assert _one(db, payments) < 0
    # Reversals of a bounced direct debit or a returned cheque put the money back: positive.
    assert _one(db, "SELECT min(real_value) FROM rtrans WHERE trans_type IN ('RDN', 'RRC')") > 0


def test_transaction_sids_grow_with_the_posting_date(db: sqlite3.Connection) -> None:
    dates = [row[0] for row in _all(db, "SELECT post_date FROM rtrans ORDER BY rtrans_sid")]
    assert dates == sorted(dates)
    keys = "SELECT DISTINCT batchid, transno, line_no, line_segno FROM rtrans"
    assert _one(db, f"SELECT count(*) FROM ({keys})") == _one(db, "SELECT count(*) FROM rtrans")  # noqa: S608


def test_every_live_weekly_account_has_this_mondays_rent_debit(db: sqlite3.Connection) -> None:
    assert _one(db, DEBITED_THIS_MONDAY, THIS_MONDAY) == _one(db, LIVE_WEEKLY_MASTERS)
    assert _one(db, PAID_THIS_WEEK, THIS_MONDAY) > 20


def test_rent_is_posted_on_mondays_and_service_charges_on_the_first(db: sqlite3.Connection) -> None:
    day = "SELECT DISTINCT strftime(?, post_date) FROM rtrans WHERE trans_type = ?"
    assert _all(db, day, "%w", "DBR") == [("1",)]
    assert _all(db, day, "%d", "DSC") == [("01",)]
    weeks = _one(db, "SELECT count(DISTINCT post_date) FROM rtrans WHERE trans_type = 'DBR'")
    assert 95 <= weeks <= 101  # two years of Mondays less 2-4 rent-free weeks a year


# Storage conventions ------------------------------------------------------------------------------


def test_char_columns_are_stored_space_padded(db: sqlite3.Connection) -> None:
    assert _all(db, "SELECT DISTINCT length(tag_ref) FROM tenagree") == [(11,)]
    assert _all(db, "SELECT DISTINCT length(u_saff_rentacc) FROM tenagree") == [(20,)]
    for table in uh_schema.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, UHChar):
                lengths = f"SELECT DISTINCT length({column.name}) FROM {table.name}"  # noqa: S608
                found = _all(db, f"{lengths} WHERE {column.name} IS NOT NULL")
                assert found in ([], [(column.type.length,)]), f"{table.name}.{column.name}"


def test_payment_references_are_unique_ten_digit_numbers(db: sqlite3.Connection) -> None:
    references = [row[0].rstrip() for row in _all(db, "SELECT u_saff_rentacc FROM tenagree")]
    assert len(set(references)) == len(references)
    assert all(re.fullmatch(r"[1-9]\d{9}", reference) for reference in references)


def test_tenancy_references_look_like_uh_ones(db: sqlite3.Connection) -> None:
    references = [row[0].rstrip() for row in _all(db, "SELECT tag_ref FROM tenagree")]
    assert all(re.fullmatch(r"\d{6}/\d{2}", reference) for reference in references)
    assert any(reference.endswith("/02") for reference in references)


def test_missing_dates_are_the_1900_sentinel_not_null(db: sqlite3.Connection) -> None:
    for column in ("courtdate", "evictdate", "u_notice_served", "u_notice_expiry"):
        assert _one(db, f"SELECT count(*) FROM tenagree WHERE {column} IS NULL") == 0  # noqa: S608
        assert _one(db, f"SELECT count(*) FROM tenagree WHERE {column} = ?", NO_DATE) > 300  # noqa: S608
    assert _all(db, "SELECT DISTINCT deferred_until FROM araction") == [(NO_DATE,)]


def test_rows_read_back_through_the_uh_column_types(built: tuple[Path, BuildReport]) -> None:
    engine = create_engine(_url(built[0]))
    with engine.connect() as connection:
        rows = connection.execute(select(uh_schema.tenagree)).mappings().all()
    engine.dispose()
    row = rows[0]
    assert re.fullmatch(r"\d{6}/\d{2}", row["tag_ref"])
    assert isinstance(row["cur_bal"], Decimal)
    assert isinstance(row["cot"], dt.datetime)
    assert any(uh_date(r["courtdate"]) is None for r in rows)
    assert any(uh_date(r["u_notice_served"]) is not None for r in rows)


# Coverage of the classification thresholds --------------------------------------------------------


def _secure_arrears(db: sqlite3.Connection) -> list[tuple[int, int, int, int]]:
    """(cur_bal, weekly gross rent, collectable arrears, arrears after one week's grace) in
    pence for live secure master accounts, as income-rules.md §1.5 and §2.2 define them."""
    rows = _all(
        db,
        f"""SELECT t.cur_bal, t.rent + t.service + t.other_charge,
                   coalesce(sum(r.real_value), 0),
                   coalesce(sum(
                       CASE WHEN r.trans_type IN ({PAYMENT_CODES}) THEN r.real_value END
                   ), 0)
            FROM tenagree t LEFT JOIN rtrans r ON r.tag_ref = t.tag_ref AND r.post_date >= ?
            WHERE t.tenure = 'SEC' AND t.agr_type = 'M' AND t.terminated = 0
            GROUP BY t.tag_ref""",  # noqa: S608
        THIS_MONDAY,
    )
    result = []
    for row in rows:
        balance, gross, week_total, week_payments = row
        collectable = balance - abs(week_total)
        grace = max(gross + week_payments, 0)
        result.append((balance, gross, collectable, collectable - grace))
    return result


def test_secure_balances_follow_the_intended_distribution(db: sqlite3.Connection) -> None:
    accounts = _secure_arrears(db)
    share = {
        "credit or nil": sum(b <= 0 for b, *_ in accounts) / len(accounts),
        "up to £10": sum(0 < b <= 1000 for b, *_ in accounts) / len(accounts),
        "£10 to 4 weeks": sum(1000 < b < 4 * g for b, g, *_ in accounts) / len(accounts),
        "4 to 12 weeks": sum(4 * g <= b <= 12 * g for b, g, *_ in accounts) / len(accounts),
        "over 12 weeks": sum(b > 12 * g for b, g, *_ in accounts) / len(accounts),
    }
    assert 0.55 <= share["credit or nil"] <= 0.72, share
    assert 0.08 <= share["up to £10"] <= 0.22, share
    assert 0.06 <= share["£10 to 4 weeks"] <= 0.18, share
    assert 0.04 <= share["4 to 12 weeks"] <= 0.14, share
    assert 0.01 <= share["over 12 weeks"] <= 0.08, share


@pytest.mark.parametrize("threshold", [500, 1000], ids=["SMS at £5", "no SMS from £10"])
def test_collectable_arrears_sit_either_side_of_the_sms_thresholds(
    db: sqlite3.Connection, threshold: int
) -> None:
    collectable = {a for _, _, a, _ in _secure_arrears(db)}
    assert threshold - 1 in collectable
    assert threshold in collectable


def test_arrears_after_grace_sit_either_side_of_letter_one(db: sqlite3.Connection) -> None:
    after_grace = {g for *_, g in _secure_arrears(db)}
    assert {999, 1000} <= after_grace


def test_arrears_after_grace_sit_either_side_of_four_weeks_rent(db: sqlite3.Connection) -> None:
    differences = {after - 4 * gross for _, gross, _, after in _secure_arrears(db)}
    assert {-1, 0} <= differences


def test_balances_sit_either_side_of_the_old_bands(db: sqlite3.Connection) -> None:
    balances = {b for b, *_ in _secure_arrears(db)}
    assert {34_999, 35_000, 104_899, 104_900} <= balances


def test_some_tenants_never_paid_and_last_payments_spread_over_months(
    db: sqlite3.Connection,
) -> None:
    rows = _all(
        db,
        f"""SELECT t.tag_ref, max(r.post_date) FROM tenagree t
            LEFT JOIN rtrans r ON r.tag_ref = t.tag_ref AND r.trans_type IN ({PAYMENT_CODES})
            WHERE t.tenure = 'SEC' AND t.cur_bal > 0 GROUP BY t.tag_ref""",  # noqa: S608
    )
    assert any(last is None for _, last in rows)
    days = [(AS_OF - dt.date.fromisoformat(str(last)[:10])).days for _, last in rows if last]
    assert min(days) <= 3
    assert max(days) >= 60


# Legal position, agreements, direct debits -------------------------------------------------------


def test_nosp_court_and_eviction_dates(db: sqlite3.Connection) -> None:
    notices = _all(
        db,
        "SELECT u_notice_served, u_notice_expiry FROM tenagree WHERE u_notice_served != ?",
        NO_DATE,
    )
    assert 3 <= len(notices) <= 20
    for served, expiry in notices:
        served_on = dt.date.fromisoformat(str(served)[:10])
        assert dt.date.fromisoformat(str(expiry)[:10]) == served_on + dt.timedelta(days=28)
    courts = _all(
        db, "SELECT courtdate, trim(u_court_outcome) FROM tenagree WHERE courtdate != ?", NO_DATE
    )
    future = [outcome for date, outcome in courts if str(date) > AS_OF.isoformat()]
    past = [outcome for date, outcome in courts if str(date) < AS_OF.isoformat()]
    assert future
    assert all(outcome == "" for outcome in future)
    assert {"", "OPD", "OPF"} <= set(past)
    assert _one(db, "SELECT count(*) FROM tenagree WHERE evictdate != ?", NO_DATE) >= 1
    stages = {row[0] for row in _all(db, "SELECT DISTINCT trim(high_action) FROM tenagree")}
    assert "111" in stages
    assert stages & {"4RS", "5RP", "6RC", "6RO", "7RE"}


def test_agreements_and_their_schedules(db: sqlite3.Connection) -> None:
    statuses = {row[0] for row in _all(db, "SELECT DISTINCT trim(arag_status) FROM arag")}
    assert {"200", "300"} <= statuses
    lines = _all(db, "SELECT arag_sid, count(*) FROM aragdet GROUP BY arag_sid")
    assert len(lines) == _one(db, "SELECT count(*) FROM arag")
    assert all(1 <= count <= 3 for _, count in lines)
    assert _one(db, "SELECT count(*) FROM aragdet WHERE aragdet_enddate = ?", NO_DATE) > 0
    share = _one(db, "SELECT count(DISTINCT tag_ref) FROM arag") / 300
    assert 0.03 <= share <= 0.12


def test_direct_debits(db: sqlite3.Connection) -> None:
    statuses = {row[0] for row in _all(db, "SELECT DISTINCT trim(ddagree_status) FROM ddagree")}
    assert statuses <= set(DIRECT_DEBIT_STATUSES)
    assert "100" in statuses
    share = _one(db, "SELECT count(DISTINCT tag_ref) FROM ddagacc") / 400
    assert 0.2 <= share <= 0.4
    joined = "SELECT count(*) FROM ddagacc a JOIN ddagree d ON d.ddagree_ref = a.ddagree_ref"
    assert _one(db, joined) == _one(db, "SELECT count(*) FROM ddagree")


def test_leasehold_accounts_cover_every_tenure(db: sqlite3.Connection) -> None:
    tenures = _all(
        db,
        "SELECT trim(tenure), count(*) FROM tenagree WHERE rentgrp_ref = 'LSC' GROUP BY 1",
    )
    assert {tenure for tenure, _ in tenures} == {"LEA", "SHO", "FRS", "FRE"}
    assert _all(db, "SELECT DISTINCT prd_code FROM tenagree WHERE rentgrp_ref = 'LSC'") == [("01",)]
    leasehold_patches = """
        SELECT DISTINCT trim(p.arr_patch) FROM property p
        JOIN tenagree t ON t.prop_ref = p.prop_ref WHERE t.rentgrp_ref = 'LSC'"""
    patches = {patch for (patch,) in _all(db, leasehold_patches)}
    assert patches - {""} <= {f"SC{n}" for n in range(1, 8)}


# Action diary -------------------------------------------------------------------------------------


def test_diary_sids_grow_with_the_action_date(db: sqlite3.Connection) -> None:
    dates = [row[0] for row in _all(db, "SELECT action_date FROM araction ORDER BY araction_sid")]
    assert dates == sorted(dates)


def test_diary_rows_are_shaped_like_uh_ones(db: sqlite3.Connection) -> None:
    users = {row[0] for row in _all(db, "SELECT DISTINCT username FROM araction")}
    assert "MANAGE ARREARS SYSTEM" in users
    assert all(re.fullmatch(r"[A-Z]{3}", user) for user in users - {"MANAGE ARREARS SYSTEM"})
    assert _one(db, "SELECT max(abs(action_balance)) FROM araction") < 10_000_000
    per_tenancy = "SELECT count(*) AS n FROM araction GROUP BY tag_ref"
    assert _one(db, f"SELECT max(n) FROM ({per_tenancy})") <= 40  # noqa: S608
    manage_arrears = """SELECT DISTINCT comm_only, action_type, action_cat, act_status
                        FROM araction WHERE action_code = 'GAT'"""
    assert _all(db, manage_arrears) == [(1, "9  ", "8  ", "001")]
    stage_two = "SELECT action_comment FROM araction WHERE action_code = 'S02'"
    comments = [comment for (comment,) in _all(db, stage_two)]
    marked = {c.split(" - ")[0] for c in comments if "policy generated" in c.lower()}
    assert len(marked) > 1  # the marker in more than one case
    assert len(marked) < len(comments)
    leasehold = "SELECT count(*) FROM araction WHERE action_code IN ('LL1', 'LF1', 'LS1')"
    assert _one(db, leasehold) > 0


@pytest.mark.parametrize("days_ago", [7, 14], ids=["7 days", "14 days"])
def test_communications_sit_either_side_of_the_day_boundary(
    db: sqlite3.Connection, days_ago: int
) -> None:
    day = AS_OF - dt.timedelta(days=days_ago)
    _assert_midnight_and_later(db, day)


def test_communications_sit_either_side_of_three_months(db: sqlite3.Connection) -> None:
    _assert_midnight_and_later(db, dt.date(2025, 3, 11))


def _assert_midnight_and_later(db: sqlite3.Connection, day: dt.date) -> None:
    on_the_day = f"""SELECT action_date FROM araction
                     WHERE action_code IN ({COMMUNICATIONS}) AND date(action_date) = ?"""  # noqa: S608
    times = {str(when)[11:] for (when,) in _all(db, on_the_day, day.isoformat())}
    assert "00:00:00" in times
    assert times - {"00:00:00"}


# People and places -------------------------------------------------------------------------------


def test_references_between_tables_resolve(db: sqlite3.Connection) -> None:
    dangling = {name: _all(db, sql) for name, sql in REFERENCES.items()}
    assert dangling == {name: [] for name in REFERENCES}


def test_addresses_postcodes_and_patches(db: sqlite3.Connection) -> None:
    property_postcodes = [row[0].rstrip() for row in _all(db, "SELECT post_code FROM property")]
    assert all(UK_POSTCODE.match(postcode) for postcode in property_postcodes)
    correspondence = [
        row[0].rstrip()
        for row in _all(db, "SELECT corr_postcode FROM househ WHERE trim(corr_postcode) != ''")
    ]
    assert correspondence
    assert not all(UK_POSTCODE.match(postcode) for postcode in correspondence)
    estates = _one(db, "SELECT count(*) FROM property WHERE post_preamble LIKE 'Flat % %'")
    assert estates > 100
    patches = {row[0].rstrip() for row in _all(db, "SELECT DISTINCT arr_patch FROM property")}
    assert "" in patches
    assert {"E01", "W01", "SC1"} <= patches
    lines = (
        "SELECT DISTINCT trim(aline2), trim(aline3) FROM postcode JOIN property USING (post_code)"
    )
    assert _all(db, lines) == [("Hackney", "London")]


def test_households_members_and_contacts(db: sqlite3.Connection) -> None:
    responsible = "SELECT count(*) FROM member WHERE responsible = 1 GROUP BY house_ref"
    assert {count for (count,) in _all(db, responsible)} == {1, 2}
    assert _one(db, "SELECT count(*) FROM member WHERE responsible = 0") > 0
    phones = [row[0].rstrip() for row in _all(db, "SELECT con_phone1 FROM contacts")]
    mobiles = [p for p in phones if _national(p).startswith("07700900")]
    assert len(mobiles) > len(phones) * 0.6
    assert "" in phones
    assert len({_national(p) for p in mobiles}) < len(
        set(mobiles)
    )  # the same numbers, typed in various ways
    emails = [row[0].rstrip() for row in _all(db, "SELECT email_address FROM contacts")]
    assert "" in emails
    assert sum("@example." in e for e in emails) > len(emails) * 0.6
    assert _one(db, "SELECT count(*) FROM househ WHERE house_desc LIKE '% & %'") > 0


def _national(phone: str) -> str:
    digits = re.sub(r"[^\d+]", "", phone)
    for prefix in ("+44", "0044"):
        if digits.startswith(prefix):
            return "0" + digits.removeprefix(prefix)
    return digits
