"""`GET /api/v1/reports/messages-by-day`: texts, emails and letters sent and failed per London
day and channel. Messages are put straight into the database as the senders leave them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from comms_api.domain.reports import london_days
from comms_api.gateways.tables import messages
from ma_shared.uk_time import LONDON

Bearer = Callable[[str], dict[str, str]]
MakeMessage = Callable[..., str]


def _london(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON).astimezone(dt.UTC)


@pytest.fixture
def today() -> dt.date:
    return dt.datetime.now(tz=LONDON).date()


@pytest.fixture
def make_message(app: FastAPI) -> MakeMessage:
    """Store a message (a text unless told otherwise) with these columns; returns its id."""

    def make(**columns: Any) -> str:
        message_id = str(uuid.uuid4())
        now = dt.datetime.now(tz=dt.UTC)
        row: dict[str, Any] = {
            "id": message_id,
            "idempotency_key": str(uuid.uuid4()),
            "request_fingerprint": "0" * 64,
            "channel": "sms",
            "tenancy_ref": "0123456/01",
            "template_id": "template",
            "template_name": "Green SMS",
            "recipient": "+447700900123",
            "personalisation": {},
            "body": "Please pay",
            "status": "sent",
            "attempts": 1,
            "sent_by": "Rita Rent",
            "created_at": now,
            "updated_at": now,
        } | columns
        with app.state.engine.begin() as conn:
            conn.execute(messages.insert().values(**row))
        return message_id

    return make


def _counts(body: dict[str, Any]) -> dict[tuple[str, str], tuple[int, int]]:
    return {
        (row["date"], row["channel"]): (row["sent"], row["failed"])
        for row in body["results"]
        if row["sent"] or row["failed"]
    }


def test_sent_and_failed_by_london_day_and_channel(
    client: TestClient, bearer: Bearer, make_message: MakeMessage, today: dt.date
) -> None:
    yesterday = today - dt.timedelta(days=1)
    make_message(sent_at=_london(today, 9))
    make_message(sent_at=_london(today, 10), status="delivered", completed_at=_london(today, 11))
    make_message(channel="email", sent_at=_london(yesterday, 15))
    # Sent yesterday, could not be delivered today: on both days.
    make_message(
        channel="email",
        sent_at=_london(yesterday, 16),
        status="failed",
        completed_at=_london(today, 8),
    )
    # Refused when sent: failed, never sent.
    make_message(channel="letter", status="failed", completed_at=_london(today, 12))
    # Waiting to be sent, and a letter to post by hand: neither sent nor failed.
    make_message(status="accepted")
    make_message(channel="letter", status="to_download")
    # 00:30 in London is the day before in UTC while the clocks are forward.
    make_message(sent_at=_london(today, 0, 30))
    # Fifteen days ago: before the fourteen days.
    make_message(sent_at=_london(today - dt.timedelta(days=14), 12))

    response = client.get("/api/v1/reports/messages-by-day", headers=bearer("team-leader"))

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["from_date"] == (today - dt.timedelta(days=13)).isoformat()
    assert body["to_date"] == today.isoformat()
    assert len(body["results"]) == 14 * 3
    assert [row["channel"] for row in body["results"][:3]] == ["sms", "email", "letter"]
    assert _counts(body) == {
        (today.isoformat(), "sms"): (3, 0),
        (today.isoformat(), "email"): (0, 1),
        (today.isoformat(), "letter"): (0, 1),
        (yesterday.isoformat(), "email"): (2, 0),
    }


def test_a_failure_recorded_without_its_time_counts_on_its_last_update(
    client: TestClient, bearer: Bearer, make_message: MakeMessage, today: dt.date
) -> None:
    yesterday = today - dt.timedelta(days=1)
    make_message(status="failed", completed_at=None, updated_at=_london(yesterday, 9))

    body = client.get(
        "/api/v1/reports/messages-by-day", params={"days": 2}, headers=bearer("rent")
    ).json()

    assert _counts(body) == {(yesterday.isoformat(), "sms"): (0, 1)}
    assert len(body["results"]) == 2 * 3


@pytest.mark.parametrize("days", ["0", "93", "a fortnight"])
def test_days_out_of_range_are_refused(client: TestClient, bearer: Bearer, days: str) -> None:
    response = client.get(
        "/api/v1/reports/messages-by-day", params={"days": days}, headers=bearer("team-leader")
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "days"


@pytest.mark.parametrize(
    ("last", "first_starts", "hours"),
    [
        (dt.date(2025, 3, 30), dt.datetime(2025, 3, 29, 0, tzinfo=dt.UTC), [24, 23]),
        (dt.date(2025, 10, 26), dt.datetime(2025, 10, 24, 23, tzinfo=dt.UTC), [24, 25]),
    ],
    ids=["clocks go forward: a 23-hour day", "clocks go back: a 25-hour day"],
)
def test_london_days_follow_the_clocks(
    last: dt.date, first_starts: dt.datetime, hours: list[int]
) -> None:
    days = london_days(last=last, count=2)
    assert [d.date for d in days] == [last - dt.timedelta(days=1), last]
    assert days[0].starts == first_starts
    assert days[0].ends == days[1].starts
    assert [(d.ends - d.starts) / dt.timedelta(hours=1) for d in days] == hours
