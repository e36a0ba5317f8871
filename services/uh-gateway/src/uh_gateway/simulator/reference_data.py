"""UH's lookup tables, filled from the code catalogues in `uh_gateway.domain.codes`."""

from __future__ import annotations

from sqlalchemy import Connection, insert

from uh_gateway.domain.codes import (
    ACTION_CODES,
    DEBIT_TYPES,
    DIRECT_DEBIT_STATUSES,
    PERIODS,
    RECEIPT_TYPES,
    RELATIONSHIPS,
    RENT_GROUPS,
    TENURES,
)
from uh_gateway.gateways.uh_schema import (
    debtype,
    lookup,
    period,
    raaction,
    rectype,
    rentgrp,
    tenure,
)

# Receipt groups are not published; ours put payments below 7 (ncc-api's "payment" test).
_PAYMENT_GROUP, _OTHER_GROUP = 1, 8


def seed_reference_data(conn: Connection) -> None:
    conn.execute(
        insert(debtype),
        [
            {
                "deb_code": code,
                "deb_desc": desc,
                "deb_cat": cat,
                "deb_link": link,
                "deb_group": group,
            }
            for code, (desc, cat, link, group) in DEBIT_TYPES.items()
        ],
    )
    conn.execute(
        insert(rectype),
        [
            {
                "rec_code": code,
                "rec_desc": desc,
                "rec_group": _PAYMENT_GROUP if is_payment else _OTHER_GROUP,
                "rec_hb": code in {"RHB", "RHA"},
                "rec_dd": code in {"RDD", "RDN"},
            }
            for code, (desc, is_payment) in RECEIPT_TYPES.items()
        ],
    )
    conn.execute(
        insert(rentgrp),
        [
            {"rentgrp_ref": code, "rentgrp_desc": desc, "prd_code": prd, "no_of_periods": n}
            for code, (desc, prd, n) in RENT_GROUPS.items()
        ],
    )
    conn.execute(
        insert(tenure),
        [
            {"ten_type": code, "ten_desc": desc, "leasehold": leasehold, "ten_secure": secure}
            for code, (desc, leasehold, secure) in TENURES.items()
        ],
    )
    conn.execute(
        insert(period),
        [
            {"prd_code": code, "prd_desc": desc, "prd_type": kind}
            for code, (desc, kind) in PERIODS.items()
        ],
    )
    conn.execute(
        insert(lookup),
        [{"lu_type": "DDS", "lu_ref": c, "lu_desc": d} for c, d in DIRECT_DEBIT_STATUSES.items()]
        + [{"lu_type": "CRE", "lu_ref": c, "lu_desc": d} for c, d in RELATIONSHIPS.items()],
    )
    conn.execute(
        insert(raaction),
        [{"act_code": code, "act_name": name} for code, name in ACTION_CODES.items()],
    )
