"""The case page's timeline: UH transactions and action diary entries grouped by week
(Monday to Sunday), newest first, ten weeks a page.

UH records its times without a zone, in London local time, so they are read as London times
as they are (not converted from UTC).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from frontend.domain.formatting import to_decimal
from ma_shared.uk_time import LONDON

WEEKS_PER_PAGE: Final = 10
# The old app's diary comments point at its documents page by path; ours answers the same path.
_DOCUMENTS_PATH = re.compile(r"/documents\?payment_ref=([0-9A-Za-z]{1,20})")


@dataclass(frozen=True)
class TimelineWindow:
    """The weeks one page of the timeline covers: `start` (a Monday) to `end` (a Sunday)."""

    page: int
    start: dt.date
    end: dt.date


def window(page: int, today: dt.date) -> TimelineWindow:
    this_monday = today - dt.timedelta(days=today.weekday())
    newest_monday = this_monday - dt.timedelta(weeks=(page - 1) * WEEKS_PER_PAGE)
    start = newest_monday - dt.timedelta(weeks=WEEKS_PER_PAGE - 1)
    return TimelineWindow(page=page, start=start, end=newest_monday + dt.timedelta(days=6))


def uh_time(value: str) -> dt.datetime:
    instant = dt.datetime.fromisoformat(value)
    if instant.tzinfo is not None:
        return instant.astimezone(LONDON).replace(tzinfo=None)
    return instant


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    is_action: bool
    title: str
    detail: str
    charged: Decimal | None = None
    paid: Decimal | None = None
    balance: Decimal | None = None
    by: str | None = None

    @property
    def detail_parts(self) -> list[DetailPart]:
        return linked_detail(self.detail)


@dataclass(frozen=True)
class DetailPart:
    """A piece of an entry's detail: text, or a link when `href` is set."""

    text: str
    href: str | None = None


def linked_detail(detail: str) -> list[DetailPart]:
    """The detail with each mention of the documents page made a link to it."""
    parts: list[DetailPart] = []
    position = 0
    for mention in _DOCUMENTS_PATH.finditer(detail):
        if mention.start() > position:
            parts.append(DetailPart(detail[position : mention.start()]))
        payment_ref = mention.group(1)
        parts.append(
            DetailPart(f"documents for payment reference {payment_ref}", href=mention.group(0))
        )
        position = mention.end()
    if position < len(detail):
        parts.append(DetailPart(detail[position:]))
    return parts


@dataclass
class Week:
    start: dt.date
    entries: list[TimelineEntry] = field(default_factory=list)
    closing_balance: Decimal | None = None

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    @property
    def charged(self) -> Decimal:
        return sum((e.charged for e in self.entries if e.charged is not None), Decimal(0))

    @property
    def paid(self) -> Decimal:
        return sum((e.paid for e in self.entries if e.paid is not None), Decimal(0))

    @property
    def actions(self) -> int:
        return sum(1 for e in self.entries if e.is_action)

    @property
    def transactions(self) -> int:
        return len(self.entries) - self.actions


def transaction_entry(item: Mapping[str, Any]) -> TimelineEntry:
    amount = to_decimal(item.get("amount")) or Decimal(0)
    return TimelineEntry(
        at=uh_time(item["posted_at"]),
        is_action=False,
        title=item.get("type_description") or item.get("type_code") or "Transaction",
        detail=str(item.get("kind") or "").capitalize(),
        charged=amount if amount > 0 else None,
        paid=-amount if amount < 0 else None,
        balance=to_decimal(item.get("balance_after")),
    )


def diary_entry(item: Mapping[str, Any]) -> TimelineEntry:
    code = item.get("action_code") or ""
    name = item.get("action_name")
    return TimelineEntry(
        at=uh_time(item["action_date"]),
        is_action=True,
        title=f"{name} ({code})" if name else code,
        detail=item.get("comment") or "",
        balance=to_decimal(item.get("balance")),
        by=item.get("username") or None,
    )


def weeks(
    *,
    transactions: Iterable[Mapping[str, Any]],
    diary: Iterable[Mapping[str, Any]],
    span: TimelineWindow,
    opening_balance: Decimal | None,
) -> list[Week]:
    """The weeks of `span` that have something in them, newest first; each week's closing
    balance is that of its latest transaction, or carried from the week before (starting
    from `opening_balance`, the balance before the window)."""
    entries = [transaction_entry(t) for t in transactions] + [diary_entry(d) for d in diary]
    by_week: dict[dt.date, Week] = {}
    for entry in entries:
        day = entry.at.date()
        if span.start <= day <= span.end:
            monday = day - dt.timedelta(days=day.weekday())
            by_week.setdefault(monday, Week(start=monday)).entries.append(entry)
    balance = opening_balance
    for monday in sorted(by_week):
        week = by_week[monday]
        week.entries.sort(key=lambda e: (e.at, not e.is_action), reverse=True)
        latest = next((e for e in week.entries if not e.is_action), None)
        if latest is not None:
            balance = latest.balance
        week.closing_balance = balance
    return [by_week[monday] for monday in sorted(by_week, reverse=True)]
