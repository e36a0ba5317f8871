"""Reports for team leaders (the web app's dashboard), read-only:
`GET /api/v1/reports/messages-by-day`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from comms_api.domain.reports import london_days
from comms_api.use_cases.letters import london_today
from comms_api.use_cases.reports import messages_by_day
from ma_shared.auth import Reader
from ma_shared.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

MAX_DAYS = 92


class MessagesOnDay(BaseModel):
    date: dt.date = Field(description="The day, in London.")
    channel: str = Field(description="`sms`, `email` or `letter`.")
    sent: int = Field(description="Messages Notify took that day.")
    failed: int = Field(
        description="Messages that failed that day: Notify refused or could not deliver them, "
        "or the request could never be sent."
    )


class MessagesByDay(BaseModel):
    from_date: dt.date = Field(description="The first day counted (London).")
    to_date: dt.date = Field(description="The last day counted: today in London.")
    results: list[MessagesOnDay] = Field(
        description="One item per day and channel, oldest day first, days with nothing included."
    )


@router.get(
    "/messages-by-day",
    response_model=MessagesByDay,
    responses=ERROR_RESPONSES,
    summary="Texts, emails and letters sent and failed, per day and channel",
    description="A message counts as sent on the day Notify took it and as failed on the day "
    "it failed, so one sent yesterday that could not be delivered today is in both. Letters "
    "before action (posted by hand) are not sent through Notify and are not counted.",
)
def get_messages_by_day(
    request: Request,
    _: Reader,
    days: Annotated[
        int,
        Query(ge=1, le=MAX_DAYS, description=f"Days up to today, at most {MAX_DAYS}."),
    ] = 14,
) -> MessagesByDay:
    engine: Engine = request.app.state.engine
    span = london_days(last=london_today(), count=days)
    return MessagesByDay(
        from_date=span[0].date,
        to_date=span[-1].date,
        results=[
            MessagesOnDay(date=row.date, channel=row.channel, sent=row.sent, failed=row.failed)
            for row in messages_by_day(engine, span)
        ],
    )
