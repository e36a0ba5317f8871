"""The worktray's CSV export: one row per case, in the columns an income officer's
spreadsheet wants. Text that a spreadsheet would run as a formula is made plain text."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from frontend.domain import labels
from ma_shared.uk_time import in_london

if TYPE_CHECKING:
    from frontend.gateways.income_api import CaseSummary

HEADER: Final = (
    "Tenancy ref",
    "Payment ref",
    "Service area",
    "Patch",
    "Balance",
    "Collectable arrears",
    "Weeks of rent owed",
    "Days since last payment",
    "Last payment date",
    "Next recommended action",
    "Why",
    "Last action",
    "Last action date",
    "NOSP served",
    "Court date",
    "Court outcome",
    "Eviction date",
    "Agreement",
    "Paused until",
    "Pause reason",
    "Vulnerability recorded",
    "Leaseholder",
    "Property address",
    "Direct debit",
    "Latest letter",
    "Latest letter date",
)
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def plain(value: object) -> str:
    """Text as a spreadsheet shows it, never as a formula (OWASP's CSV injection advice)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _day(value: dt.date | dt.datetime | None) -> str:
    if isinstance(value, dt.datetime):
        return in_london(value).date().isoformat()
    return value.isoformat() if value else ""


def _number(value: object) -> str:
    return "" if value is None else str(value)


def row(case: CaseSummary) -> list[str]:
    area = case.service_area
    return [
        case.tenancy_ref,
        plain(case.payment_ref),
        labels.SERVICE_AREAS[area],
        plain(case.patch_code),
        _number(case.balance),
        _number(case.collectable_arrears),
        _number(case.weeks_of_rent_owed),
        _number(case.days_since_last_payment),
        _day(case.last_payment_date),
        labels.recommended_action(area, case.recommended_action),
        plain(case.classification_reason),
        plain(labels.action_code(case.last_communication_action)),
        _day(case.last_communication_date),
        _day(case.nosp_served_date),
        _day(case.court_date),
        labels.label(labels.COURT_OUTCOMES, case.court_outcome),
        _day(case.eviction_date),
        labels.label(labels.AGREEMENT_STATES, case.agreement_state),
        _day(case.pause.until) if case.pause else "",
        plain(case.pause.reason) if case.pause else "",
        "Yes" if case.has_vulnerability else "No",
        plain(case.lessee),
        plain(case.property_address),
        plain(case.direct_debit_status),
        plain(labels.action_code(case.latest_letter)),
        _day(case.latest_letter_date),
    ]


def lines(rows: Iterable[list[str]]) -> Iterable[str]:
    """CSV text a line at a time (for streaming)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for values in rows:
        writer.writerow(values)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
