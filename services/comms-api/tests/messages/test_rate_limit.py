"""Sending at GOV.UK Notify's pace: the token bucket every send goes through keeps each
rolling minute under Notify's limit, so Notify never answers 429; a caseworker's send that
would wait too long is kept and the worker sends it later."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
import uuid
from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from comms_api.gateways.notify import RATE_LIMITED_MESSAGE, SendRateLimiter
from comms_api.gateways.tables import messages
from comms_api.main import create_app
from comms_api.settings import Settings
from comms_api.use_cases.messages import retry_due
from fake_notify.config import GREEN_IN_ARREARS_SMS_ID
from fake_notify.testing import FakeNotifyAdmin
from ma_shared.auth import mint_dev_token


class FakeClock:
    """Monotonic seconds that move only when a sender sleeps (or the test says so)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _limiter(per_minute: int, clock: FakeClock) -> SendRateLimiter:
    return SendRateLimiter(per_minute, clock=clock, sleep=clock.sleep)


def _busiest_minute(times: Sequence[float]) -> int:
    """The most of `times` (sorted) in any 60-second window closed at the start, as Notify
    counts: a request 60 s old has left the window."""
    return max(i + 1 - bisect_left(times, t - 60 + 1e-9, 0, i + 1) for i, t in enumerate(times))


@pytest.mark.parametrize(
    ("per_minute", "burst"),
    [
        pytest.param(3000, 60, id="Notify's 3,000 a minute: a burst of 60"),
        pytest.param(60, 1, id="60 a minute: a burst of one"),
        pytest.param(2, 1, id="the smallest limit it takes"),
    ],
)
def test_a_full_minute_of_sends_stays_under_the_limit_with_room_for_jitter(
    per_minute: int, burst: int
) -> None:
    limiter = _limiter(per_minute, FakeClock())

    assert limiter.burst == burst
    assert burst + 60 * limiter.rate <= 0.99 * per_minute + 1e-9


def test_notify_s_limit_is_used_to_97_percent() -> None:
    limiter = _limiter(3000, FakeClock())
    assert limiter.rate * 60 == pytest.approx(0.97 * 3000)


def test_no_rolling_minute_exceeds_the_limit_even_when_requests_arrive_bunched() -> None:
    clock = FakeClock()
    limiter = _limiter(3000, clock)
    left_at = []
    for _ in range(15_000):  # five minutes' worth, everyone waiting their turn
        assert limiter.acquire(max_wait=None)
        left_at.append(clock.now)
    # Each request reaches Notify up to half a second after it left, in any order.
    arrivals = sorted(t + random.Random(i).uniform(0, 0.5) for i, t in enumerate(left_at))

    assert _busiest_minute(left_at) <= 2970
    assert _busiest_minute(arrivals) <= 3000
    sustained = (len(left_at) - limiter.burst) / (left_at[-1] - left_at[0]) * 60
    assert sustained == pytest.approx(2910, rel=0.001), "97 % of the limit, all the way"


def test_a_sender_that_would_wait_too_long_is_refused_at_once_and_takes_no_turn() -> None:
    clock = FakeClock()
    limiter = _limiter(60, clock)  # a burst of one, then one every ~1.03 s
    assert limiter.acquire(max_wait=0.5)

    assert not limiter.acquire(max_wait=0.5)
    assert clock.slept == [], "refused without sleeping"
    clock.now += 0.6
    assert limiter.acquire(max_wait=0.5), "the turn refused was not taken"
    assert clock.slept == [pytest.approx(1 / limiter.rate - 0.6)]


def test_turns_promised_to_sleeping_senders_are_not_given_away() -> None:
    asleep = FakeClock()
    limiter = SendRateLimiter(60, clock=asleep, sleep=asleep.slept.append)  # time stands still
    assert limiter.acquire(max_wait=None)  # the burst

    for _ in range(3):
        assert limiter.acquire(max_wait=None)
    assert asleep.slept == [pytest.approx(n / limiter.rate) for n in (1, 2, 3)]
    assert not limiter.acquire(max_wait=3.5 / limiter.rate), "fourth in line"
    assert limiter.acquire(max_wait=4.5 / limiter.rate)


def test_threads_share_one_bucket() -> None:
    limiter = SendRateLimiter(60_000)  # a burst of 1,200, then ~980 a second: real time
    granted: list[float] = []
    lock = threading.Lock()

    def send(count: int) -> None:
        for _ in range(count):
            limiter.acquire(max_wait=None)
            with lock:
                granted.append(time.monotonic())

    started = time.monotonic()
    threads = [threading.Thread(target=send, args=(250,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    granted.sort()
    for count, at in enumerate(granted, start=1):
        # A turn never comes before the bucket has it (a millisecond for the clock's grain).
        assert count <= limiter.burst + (at - started + 0.001) * limiter.rate
    assert granted[-1] - started >= (2000 - limiter.burst) / limiter.rate - 0.01


# Against the fake Notify -------------------------------------------------------------------


def _sms(number: int) -> dict[str, Any]:
    return {
        "template_id": str(GREEN_IN_ARREARS_SMS_ID),
        "phone_number": f"07700 900{number:03d}",
        "personalisation": {"balance": "£10.00"},
    }


def test_a_burst_of_texts_gets_no_429_from_notify_and_the_rest_are_sent_later(
    settings: Settings, notify: FakeNotifyAdmin
) -> None:
    # Notify's limit and ours both 60 a minute: 70 texts at once would be ten too many.
    notify.set_limits(per_minute={"live": 60})
    app = create_app(settings.model_copy(update={"notify_rate_limit_per_minute": 60}))
    caseworker = {"Authorization": f"Bearer {mint_dev_token('rent', settings)}"}
    with TestClient(app) as client:
        answers = [
            client.post(
                "/api/v1/messages/sms",
                json=_sms(300 + n),
                headers=caseworker | {"Idempotency-Key": str(uuid.uuid4())},
            )
            for n in range(70)
        ]
    statuses = [a.status_code for a in answers]
    queued = [a.json() for a in answers if a.status_code == 202]

    assert set(statuses) <= {201, 202}, statuses
    assert statuses.count(201) >= 1
    assert statuses.count(202) > len(statuses) / 2, "most would wait longer than they should"
    assert len(notify.sent()) == statuses.count(201)
    assert {(m["status"], m["error"]) for m in queued} == {
        ("accepted", f"429 - {RATE_LIMITED_MESSAGE}")
    }, "kept by us, never refused by Notify"

    engine = app.state.engine
    later = [m["id"] for m in queued[:3]]
    with engine.begin() as conn:
        conn.execute(
            update(messages)
            .where(messages.c.id.in_(later))
            .values(next_attempt_at=dt.datetime.now(tz=dt.UTC))
        )
    assert retry_due(engine, app.state.notify, app.state.documents, concurrency=3) == 3

    with engine.connect() as conn:
        sent = conn.execute(
            select(messages.c.status, messages.c.error).where(messages.c.id.in_(later))
        ).all()
    assert [tuple(row) for row in sent] == [("sent", None)] * 3, "waited their turn, not 429"
    assert len(notify.sent()) == statuses.count(201) + 3
