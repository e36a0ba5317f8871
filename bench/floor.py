"""The floor for the bulk rent criteria: one hand-written SQL statement per page of 1,000
accounts, run straight on the database with its own driver (sqlite3 or psycopg), no HTTP,
no SQLAlchemy, no models.

It computes the same fields as `GET /api/v1/arrears-criteria/rent` (income-rules.md §2.2) with
the same approach a careful developer would take by hand: keyset pagination by `tag_ref`, and
CTEs that aggregate the page's transactions, action diary and agreements with GROUP BY and
window functions. The database returns finished rows; the only Python work is fetching them.

UH's storage quirks are handled as UH's own SQL would: `char(n)` values are space-padded (so
codes are compared padded and trimmed on the way out), on SQLite money is integer pence and
dates are 'YYYY-MM-DD HH:MM:SS' text, and 1900-01-01 means "no date".
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

import psycopg

from uh_gateway.domain.codes import (
    AGREEMENT_STATUSES,
    COMMUNICATION_CODES,
    MASTER_ACCOUNT,
    PAYMENT_TYPES,
    POLICY_GENERATED_CODE,
    POLICY_GENERATED_MARKER,
    SECURE_TENURE,
    UNIVERSAL_CREDIT_CODES,
)
from uh_gateway.domain.criteria import week_start

BROKEN_AGREEMENT_STATUS = "300"
PAGE_SIZE = 1000

# The columns of a floor row, in order, with how to compare each with the API's JSON.
FIELDS: tuple[tuple[str, str], ...] = (
    ("tenancy_ref", "text"),
    ("payment_ref", "text"),
    ("patch_code", "text"),
    ("balance", "money"),
    ("weekly_rent", "money"),
    ("weekly_service", "money"),
    ("weekly_other_charge", "money"),
    ("weekly_gross_rent", "money"),
    ("collectable_arrears", "money"),
    ("total_payment_amount_in_week", "money"),
    ("sum_of_transactions_in_week", "money"),
    ("last_payment_date", "date"),
    ("days_since_last_payment", "int"),
    ("last_communication_action", "text"),
    ("last_communication_date", "datetime"),
    ("nosp_served_date", "date"),
    ("nosp_expiry_date", "date"),
    ("court_date", "datetime"),
    ("court_outcome", "text"),
    ("eviction_date", "datetime"),
    ("highest_action", "text"),
    ("universal_credit", "datetime"),
    ("uc_rent_verification", "datetime"),
    ("uc_direct_payment_requested", "datetime"),
    ("uc_direct_payment_received", "datetime"),
    ("agreement_reference", "text"),
    ("agreement_start_date", "date"),
    ("agreement_status_code", "text"),
    ("agreement_status", "text"),
    ("broken_agreements_count", "int"),
)


def _quoted(codes: Sequence[str], width: int = 3) -> str:
    """A SQL list of UH codes, padded as `char(width)` stores them."""
    return ", ".join(f"'{code.ljust(width)}'" for code in sorted(codes))


@dataclass(frozen=True)
class Dialect:
    name: str
    not_terminated: str
    no_date: str  # the UH "no date" sentinel as a literal
    first_real_day: str  # anything before this is the sentinel
    # Prefix that keeps a condition off the indexes, so that the page walks the primary key
    # in tag_ref order and stops after a page whatever the planner's statistics say (with
    # poor ones SQLite picks an index on tenure, then sorts every account in arrears after
    # the cursor: quadratic over all the pages). The floor should not depend on them.
    unindexed: str

    def present(self, column: str) -> str:
        """A UH date, or NULL for the 1900-01-01 sentinel."""
        return f"CASE WHEN {column} >= {self.first_real_day} THEN {column} END"

    def day(self, expression: str) -> str:
        if self.name == "sqlite":
            return f"substr({expression}, 1, 10)"
        return f"CAST({expression} AS date)"

    def days_since(self, expression: str) -> str:
        if self.name == "sqlite":
            return f"CAST(julianday(:as_of) - julianday(substr({expression}, 1, 10)) AS INTEGER)"
        return f"CAST(:as_of AS date) - CAST({expression} AS date)"


SQLITE = Dialect(
    name="sqlite",
    not_terminated="t.terminated = 0",
    no_date="'1900-01-01 00:00:00'",
    first_real_day="'1900-01-02'",
    unindexed="+",
)
POSTGRESQL = Dialect(
    name="postgresql",
    not_terminated="t.terminated = false",
    no_date="TIMESTAMP '1900-01-01 00:00'",
    first_real_day="TIMESTAMP '1900-01-02 00:00'",
    unindexed="",
)


def _text(expression: str) -> str:
    """Trimmed, and NULL when blank (UH defaults char columns to a space)."""
    return f"NULLIF(TRIM({expression}), '')"


PAYMENTS = _quoted(sorted(PAYMENT_TYPES))

# The page's ledger figures: last payment, this week's payments and all this week's movements.
LEDGERS = {
    # Walk the (tag_ref, post_date) index: the newest payment is a few rows from the end of an
    # account's history, and this week's rows are a short index range.
    "indexed": f"""
ledger AS (
    SELECT page.tag_ref,
           (SELECT r.post_date FROM rtrans r
            WHERE r.tag_ref = page.tag_ref AND r.trans_type IN ({PAYMENTS})
            ORDER BY r.post_date DESC LIMIT 1) AS last_payment,
           week.paid_in_week,
           week.moved_in_week
    FROM page
    LEFT JOIN (
        SELECT r.tag_ref,
               SUM(CASE WHEN r.trans_type IN ({PAYMENTS}) THEN r.real_value ELSE 0 END)
                   AS paid_in_week,
               SUM(r.real_value) AS moved_in_week
        FROM rtrans r
        WHERE r.tag_ref IN (SELECT tag_ref FROM page) AND r.post_date >= :monday
        GROUP BY r.tag_ref
    ) week ON week.tag_ref = page.tag_ref
),
""",  # noqa: S608 - constants only
    # Aggregate each account's whole history with GROUP BY: the gateway's approach.
    "grouped": f"""
ledger AS (
    SELECT r.tag_ref,
           MAX(CASE WHEN r.trans_type IN ({PAYMENTS}) THEN r.post_date END) AS last_payment,
           SUM(CASE WHEN r.trans_type IN ({PAYMENTS}) AND r.post_date >= :monday
                    THEN r.real_value ELSE 0 END) AS paid_in_week,
           SUM(CASE WHEN r.post_date >= :monday THEN r.real_value ELSE 0 END) AS moved_in_week
    FROM rtrans r
    WHERE r.tag_ref IN (SELECT tag_ref FROM page)
    GROUP BY r.tag_ref
),
""",  # noqa: S608 - constants only
}


def rent_criteria_sql(d: Dialect, ledger: str = "indexed") -> str:
    """One page of rent arrears criteria: `:after` (the last tag_ref of the previous page, as
    stored), `:page_size`, `:monday` (start of the as-of week), `:as_of`,
    `:policy_generated` (LIKE pattern). `ledger` picks how the transactions are read (see
    LEDGERS)."""
    uc = UNIVERSAL_CREDIT_CODES
    uc_columns = ",\n           ".join(
        f"MAX(CASE WHEN action_code = '{code}' THEN latest END) AS {field}"
        for code, field in uc.items()
    )
    uc_selected = ", ".join(f"uc.{name}" for name in uc.values())
    status_names = " ".join(
        f"WHEN '{code}' THEN '{name}'" for code, name in sorted(AGREEMENT_STATUSES.items())
    )
    ledger_cte = LEDGERS[ledger].strip("\n") + "\n"
    u = d.unindexed
    return f"""
WITH page AS (
    SELECT t.tag_ref, t.prop_ref, t.u_saff_rentacc, t.cur_bal,
           COALESCE(t.rent, 0) AS rent, COALESCE(t.service, 0) AS service,
           COALESCE(t.other_charge, 0) AS other_charge,
           t.u_notice_served, t.u_notice_expiry, t.courtdate, t.evictdate,
           t.u_court_outcome, t.high_action
    FROM tenagree t
    WHERE t.tag_ref > :after
      AND {u}t.cur_bal > 0 AND {u}t.tenure = '{SECURE_TENURE}' AND {u}{d.not_terminated}
      AND {u}t.agr_type = '{MASTER_ACCOUNT}'
    ORDER BY t.tag_ref
    LIMIT :page_size
),
{ledger_cte}diary AS (
    SELECT a.tag_ref, a.action_code, MAX(a.action_date) AS latest
    FROM araction a
    WHERE a.tag_ref IN (SELECT tag_ref FROM page)
      AND (a.action_code IN ({_quoted(sorted(COMMUNICATION_CODES | set(uc)))})
       OR (a.action_code = '{POLICY_GENERATED_CODE}'
           AND LOWER(a.action_comment) LIKE :policy_generated))
    GROUP BY a.tag_ref, a.action_code
),
communication AS (
    SELECT tag_ref, action_code, latest,
           ROW_NUMBER() OVER (PARTITION BY tag_ref
                              ORDER BY latest DESC, action_code DESC) AS n
    FROM diary
    WHERE action_code NOT IN ({_quoted(sorted(uc))})
),
universal_credit AS (
    SELECT tag_ref,
           {uc_columns}
    FROM diary
    WHERE action_code IN ({_quoted(sorted(uc))})
    GROUP BY tag_ref
),
agreements AS (
    SELECT g.tag_ref, g.arag_ref, g.arag_status, g.arag_startdate,
           ROW_NUMBER() OVER (PARTITION BY g.tag_ref
                              ORDER BY COALESCE(g.arag_startdate, {d.no_date}) DESC,
                                       g.arag_ref DESC) AS n,
           SUM(CASE WHEN g.arag_status = '{BROKEN_AGREEMENT_STATUS.ljust(10)}' THEN 1 ELSE 0 END)
               OVER (PARTITION BY g.tag_ref) AS broken
    FROM arag g
    WHERE g.tag_ref IN (SELECT tag_ref FROM page)
)
SELECT page.tag_ref,
       {_text("page.u_saff_rentacc")},
       {_text("p.arr_patch")},
       page.cur_bal,
       page.rent,
       page.service,
       page.other_charge,
       page.rent + page.service + page.other_charge,
       page.cur_bal - ABS(COALESCE(l.moved_in_week, 0)),
       COALESCE(l.paid_in_week, 0),
       COALESCE(l.moved_in_week, 0),
       {d.day("l.last_payment")},
       {d.days_since("l.last_payment")},
       {_text("c.action_code")},
       c.latest,
       {d.day(d.present("page.u_notice_served"))},
       {d.day(d.present("page.u_notice_expiry"))},
       {d.present("page.courtdate")},
       {_text("page.u_court_outcome")},
       {d.present("page.evictdate")},
       {_text("page.high_action")},
       {uc_selected},
       TRIM(g.arag_ref),
       {d.day(d.present("g.arag_startdate"))},
       {_text("g.arag_status")},
       CASE TRIM(g.arag_status) {status_names} END,
       COALESCE(g.broken, 0)
FROM page
LEFT JOIN property p ON p.prop_ref = page.prop_ref
LEFT JOIN ledger l ON l.tag_ref = page.tag_ref
LEFT JOIN communication c ON c.tag_ref = page.tag_ref AND c.n = 1
LEFT JOIN universal_credit uc ON uc.tag_ref = page.tag_ref
LEFT JOIN agreements g ON g.tag_ref = page.tag_ref AND g.n = 1
ORDER BY page.tag_ref
"""  # noqa: S608 - only constants are formatted in; values are bound parameters


class _Cursor(Protocol):
    def fetchall(self) -> list[Any]: ...


class FloorReader:
    """Pages through every rent account in arrears with `rent_criteria_sql`, on one open
    connection (as the gateway keeps pooled connections)."""

    def __init__(self, database_url: str, ledger: str = "indexed") -> None:
        self.database_url = database_url
        self.dialect = SQLITE if database_url.startswith("sqlite") else POSTGRESQL
        sql = rent_criteria_sql(self.dialect, ledger)
        if self.dialect is POSTGRESQL:
            sql = re.sub(r":([a-z_][a-z0-9_]*)", r"%(\1)s", sql)
        self.sql = sql
        self._sqlite: sqlite3.Connection | None = None
        self._postgres: psycopg.Connection[Any] | None = None

    def __enter__(self) -> FloorReader:
        if self.dialect is SQLITE:
            path = self.database_url.removeprefix("sqlite:///")
            # mode=rw: never create an empty database by mistake.
            conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, check_same_thread=False)
            # The same tuning the gateway's engine applies (ma_shared/database.py).
            conn.execute("PRAGMA cache_size=-262144")
            conn.execute("PRAGMA temp_store=MEMORY")
            self._sqlite = conn
        else:
            url = self.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
            self._postgres = psycopg.connect(url, autocommit=True)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
        if self._postgres is not None:
            self._postgres.close()

    def _params(self, as_of: dt.date, after: str) -> dict[str, Any]:
        monday = dt.datetime.combine(week_start(as_of), dt.time())
        if self.dialect is SQLITE:
            return {
                "after": after,
                "page_size": PAGE_SIZE,
                "monday": monday.strftime("%Y-%m-%d %H:%M:%S"),
                "as_of": as_of.isoformat(),
                "policy_generated": f"%{POLICY_GENERATED_MARKER}%",
            }
        return {
            "after": after,
            "page_size": PAGE_SIZE,
            "monday": monday,
            "as_of": as_of,
            "policy_generated": f"%{POLICY_GENERATED_MARKER}%",
        }

    def _page(self, as_of: dt.date, after: str) -> list[Any]:
        params = self._params(as_of, after)
        if self._sqlite is not None:
            return self._sqlite.execute(self.sql, params).fetchall()
        assert self._postgres is not None
        with self._postgres.cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()

    def pages(self, as_of: dt.date) -> Iterator[list[Any]]:
        after = ""
        while True:
            rows = self._page(as_of, after)
            if rows:
                yield rows
            if len(rows) < PAGE_SIZE:
                return
            after = rows[-1][0]

    def all_rows(self, as_of: dt.date) -> list[Any]:
        rows: list[Any] = []
        for page in self.pages(as_of):
            rows.extend(page)
        return rows

    def explain(self, as_of: dt.date) -> str:
        """The plan of the first page's statement (for the report's observations)."""
        params = self._params(as_of, "")
        if self._sqlite is not None:
            plan = self._sqlite.execute("EXPLAIN QUERY PLAN " + self.sql, params).fetchall()
            return "\n".join(str(row[-1]) for row in plan)
        assert self._postgres is not None
        with self._postgres.cursor() as cursor:
            cursor.execute("EXPLAIN " + self.sql, params)
            return "\n".join(str(row[0]) for row in cursor.fetchall())


# Comparing with the API --------------------------------------------------------------------


def _money(value: Any, pence: bool) -> Decimal | None:
    if value is None:
        return None
    amount = Decimal(value) / 100 if pence and isinstance(value, int) else Decimal(str(value))
    return amount.quantize(Decimal("0.01"))


def _datetime(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.fromisoformat(str(value)).replace(tzinfo=None)


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def normalise(kind: str, value: Any, *, pence: bool = False) -> Any:
    if kind == "money":
        return _money(value, pence)
    if kind == "date":
        return _date(value)
    if kind == "datetime":
        return _datetime(value)
    if kind == "int":
        return None if value is None else int(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


def floor_record(row: Sequence[Any], *, sqlite: bool) -> dict[str, Any]:
    return {
        name: normalise(kind, value, pence=sqlite)
        for (name, kind), value in zip(FIELDS, row, strict=True)
    }


def api_record(result: dict[str, Any]) -> dict[str, Any]:
    agreement = result.get("most_recent_agreement") or {}
    flat = {
        **result,
        "agreement_reference": agreement.get("reference"),
        "agreement_start_date": agreement.get("start_date"),
        "agreement_status_code": agreement.get("status_code"),
        "agreement_status": agreement.get("status"),
    }
    return {name: normalise(kind, flat.get(name)) for name, kind in FIELDS}


@dataclass
class Comparison:
    compared: int
    api_count: int
    floor_count: int
    only_in_api: list[str]
    only_in_floor: list[str]
    field_mismatches: dict[str, int]
    examples: list[dict[str, Any]]

    @property
    def identical(self) -> bool:
        return not (self.only_in_api or self.only_in_floor or self.field_mismatches)


def compare(
    api_results: Sequence[dict[str, Any]], floor_rows: Sequence[Sequence[Any]], *, sqlite: bool
) -> Comparison:
    """Field by field, the API's answer against the floor's (not timed)."""
    api = {r["tenancy_ref"]: api_record(r) for r in api_results}
    floor = {
        rec["tenancy_ref"]: rec for rec in (floor_record(r, sqlite=sqlite) for r in floor_rows)
    }
    mismatches: dict[str, int] = {}
    examples: list[dict[str, Any]] = []
    for ref in sorted(api.keys() & floor.keys()):
        for name, _ in FIELDS:
            a, f = api[ref][name], floor[ref][name]
            if a != f:
                mismatches[name] = mismatches.get(name, 0) + 1
                if len(examples) < 10:
                    examples.append({"tenancy_ref": ref, "field": name, "api": a, "floor": f})
    return Comparison(
        compared=len(api.keys() & floor.keys()),
        api_count=len(api),
        floor_count=len(floor),
        only_in_api=sorted(api.keys() - floor.keys())[:20],
        only_in_floor=sorted(floor.keys() - api.keys())[:20],
        field_mismatches=mismatches,
        examples=examples,
    )
