"""Counts of messages for team leaders' reports."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Engine, and_, case, func, select

from comms_api.domain.reports import Day
from comms_api.gateways.tables import messages
from comms_api.use_cases.messages import EMAIL, FAILED, LETTER, SMS

CHANNELS = (SMS, EMAIL, LETTER)


@dataclass(frozen=True)
class MessagesOnDay:
    date: dt.date
    channel: str
    sent: int
    failed: int


def messages_by_day(engine: Engine, days: Sequence[Day]) -> list[MessagesOnDay]:
    """Messages Notify took (by `sent_at`) and messages that failed (by when they failed),
    per day and channel, every channel of every day included. A message sent one day and
    failing to arrive the next counts once on each. Letters before action, posted by hand,
    never go to Notify and are not here."""
    # A refusal at the send itself left `completed_at` empty until that was fixed; nothing
    # changes a failed message afterwards, so its last update is when it failed.
    failed_at = func.coalesce(messages.c.completed_at, messages.c.updated_at)
    sent = _count(engine, days, messages.c.sent_at)
    failed = _count(engine, days, failed_at, messages.c.status == FAILED)
    return [
        MessagesOnDay(
            date=day.date,
            channel=channel,
            sent=sent[day.date, channel],
            failed=failed[day.date, channel],
        )
        for day in days
        for channel in CHANNELS
    ]


def _count(
    engine: Engine,
    days: Sequence[Day],
    when: ColumnElement[dt.datetime],
    *where: ColumnElement[bool],
) -> Counter[tuple[dt.date, str]]:
    """Rows by London day and channel. The day is worked out in the query (a CASE over the
    days' UTC spans) so only the counts leave the database, whichever database it is."""
    if not days:
        return Counter()
    day = case(*((and_(when >= d.starts, when < d.ends), d.date.isoformat()) for d in days)).label(
        "day"
    )
    spans = (
        select(day, messages.c.channel)
        .where(when >= days[0].starts, when < days[-1].ends, *where)
        .subquery()
    )
    query = select(spans.c.day, spans.c.channel, func.count().label("total")).group_by(
        spans.c.day, spans.c.channel
    )
    with engine.connect() as conn:
        return Counter(
            {
                (dt.date.fromisoformat(row.day), row.channel): int(row.total)
                for row in conn.execute(query)
            }
        )
