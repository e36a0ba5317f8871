"""comms-api sending texts at GOV.UK Notify's pace: sustained rate, no 429, each sent once.

The fake Notify (`python -m fake_notify.main`, live key limited to 3,000 requests a minute as
Notify is) and comms-api (`python -m comms_api.main`: its own throwaway SQLite database, the
worker on, a round every second) run as real processes. Caseworkers are simulated by
`--clients` threads posting `POST /api/v1/messages/sms` (a rent caseworker's dev token, the
fake's "Green in arrears" template, 600 different 07700 900xxx numbers, no tenancy) on an
open-loop schedule: `--requests` texts spread evenly over `--seconds` (by default 4,000 in
60 s, 4,000 a minute against a limit of 3,000), each with its own Idempotency-Key. No SQS:
comms events stay in comms-api's outbox. Then the benchmark waits until comms-api has sent
every message (its database, read-only) and reads:

* at the fake: every notification stored (`/_fake/notifications`), with its reference and
  creation time: sends a minute over the steady state (from 5 s after the first send until the
  last caseworker was answered), the busiest rolling 60 s (Notify's window), duplicates (a
  reference stored twice) and texts missing; and from the fake's request log, the send
  requests it answered 429;
* at the caseworkers: each answer's status (201 sent, 202 kept for the worker, anything else
  counted as a failure) and latency.

**Baseline**, before and after, on the same fake: its raw capacity, texts sent straight to it
with the official client from `--baseline-threads` threads with the limit lifted (sends a
second), so the reader knows the limit, not the machine, is what holds sending back.

    uv run python bench/comms_sms.py [--requests 4000] [--seconds 60] [--clients 32]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import contextlib
import datetime as dt
import itertools
import json
import logging
import sqlite3
import tempfile
import threading
import time
import uuid
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
from notifications_python_client.notifications import NotificationsAPIClient

from bench.common import (
    configure_logging,
    dev_token,
    handle_signals,
    markdown_table,
    passed,
    percentile,
    service_process,
    sqlite_url,
    write_json,
)
from fake_notify.config import GREEN_IN_ARREARS_SMS_ID, LIVE_API_KEY
from fake_notify.testing import FakeNotifyAdmin

logger = logging.getLogger("bench.comms_sms")

TARGET_SHARE_OF_LIMIT = 0.95
STEADY_STATE_SKIP_SECONDS = 5.0
SEND_ROUTE = "/v2/notifications/{notification_type}"
UNLIMITED = 10**9


@dataclass
class Options:
    requests: int = 4000
    seconds: float = 60.0
    clients: int = 32
    limit_per_minute: int = 3000
    send_concurrency: int = 4
    baseline_sends: int = 1000
    baseline_threads: int = 4
    drain_timeout: float = 300.0


@dataclass
class Answer:
    index: int
    scheduled: float  # seconds after the start of the load
    started: float
    seconds: float
    status: int  # 0: no answer


@dataclass
class Load:
    started_at: float  # wall clock (time.time()), to line up with the fake's timestamps
    answers: list[Answer] = field(default_factory=list)

    def of_status(self, *statuses: int) -> list[Answer]:
        return [a for a in self.answers if a.status in statuses]

    def latency_ms(self, pct: float, *statuses: int) -> float:
        chosen = self.of_status(*statuses) if statuses else self.answers
        return percentile([a.seconds for a in chosen], pct) * 1000

    @property
    def last_answered_at(self) -> float:
        return self.started_at + max(a.started + a.seconds for a in self.answers)


def _phone_number(index: int) -> str:
    # Many recipients, as a bulk run has: networks block more than 100 texts an hour to one.
    return f"07700 {900300 + index % 600}"


def _sms(index: int) -> dict[str, Any]:
    return {
        "template_id": str(GREEN_IN_ARREARS_SMS_ID),
        "phone_number": _phone_number(index),
        "personalisation": {"balance": "£10.00"},
    }


def drive(base_url: str, keys: Sequence[str], options: Options) -> Load:
    """POST every text at its scheduled moment (open loop: a slow answer does not delay the
    next request, as long as a client thread is free)."""
    interval = options.seconds / len(keys)
    counter = itertools.count()
    lock = threading.Lock()
    load = Load(started_at=time.time())
    origin = time.perf_counter()
    headers = {"Authorization": f"Bearer {dev_token('rent')}"}

    def caseworker() -> None:
        with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
            while True:
                with lock:
                    index = next(counter)
                if index >= len(keys):
                    return
                scheduled = index * interval
                delay = origin + scheduled - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                started = time.perf_counter()
                try:
                    status = client.post(
                        "/api/v1/messages/sms",
                        json=_sms(index),
                        headers={"Idempotency-Key": keys[index]},
                    ).status_code
                except httpx.HTTPError:
                    status = 0
                answer = Answer(
                    index, scheduled, started - origin, time.perf_counter() - started, status
                )
                with lock:
                    load.answers.append(answer)

    threads = [threading.Thread(target=caseworker) for _ in range(options.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.answers.sort(key=lambda a: a.index)
    return load


def message_statuses(database: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        return dict(
            conn.execute("SELECT status, COUNT(*) FROM messages GROUP BY status").fetchall()
        )


def wait_until_sent(database: Path, timeout: float) -> tuple[float, dict[str, int]]:
    """Poll comms-api's database until no message is waiting or being sent: (seconds, the
    count of messages by status)."""
    started = time.perf_counter()
    while True:
        statuses = message_statuses(database)
        waiting = statuses.get("accepted", 0) + statuses.get("sending", 0)
        seconds = time.perf_counter() - started
        if waiting == 0 or seconds > timeout:
            return seconds, statuses
        logger.info("%d messages still to send", waiting)
        time.sleep(2)


def attempts_of(database: Path) -> dict[int, int]:
    """How many messages took 1, 2, ... sends to reach Notify."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        return dict(
            conn.execute("SELECT attempts, COUNT(*) FROM messages GROUP BY attempts").fetchall()
        )


def _instant(timestamp: str) -> float:
    return (
        dt.datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC).timestamp()
    )


def busiest_minute(times: Sequence[float]) -> int:
    """The most of `times` (sorted) in any window of 60 s, counted as Notify counts: at each
    request, those of the last 60 s (one exactly 60 s old has left)."""
    return max(
        (i + 1 - bisect_left(times, t - 60 + 1e-6, 0, i + 1) for i, t in enumerate(times)),
        default=0,
    )


def fake_send_answers(log_path: Path, offset: int) -> Counter[int]:
    """The fake's send requests since `offset` in its log, by status (its JSON request log)."""
    statuses: Counter[int] = Counter()
    with log_path.open("rb") as log:
        log.seek(offset)
        for line in log:
            with contextlib.suppress(ValueError):
                entry = json.loads(line)
                if entry.get("message") == "request" and entry.get("route") == SEND_ROUTE:
                    statuses[int(entry["status"])] += 1
    return statuses


def logged_errors(log_path: Path) -> Counter[str]:
    """comms-api's ERROR log lines by what went wrong: the exception raised last (its
    `Type: message` line; SQLAlchemy appends a link after it), else the log message."""
    errors: Counter[str] = Counter()
    for line in log_path.read_text(errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            entry = json.loads(line)
            if entry.get("level") == "ERROR":
                raised = [
                    text
                    for text in str(entry.get("exception") or "").splitlines()
                    if text and not text[0].isspace() and "Error: " in text
                ]
                errors[raised[-1] if raised else str(entry.get("message"))] += 1
    return errors


def fake_capacity(base_url: str, admin: FakeNotifyAdmin, options: Options) -> float:
    """Texts a second the fake takes from the official client with no limit in the way."""
    admin.reset()
    admin.set_limits(per_minute={"live": UNLIMITED})
    local = threading.local()

    def send(index: int) -> None:
        client: NotificationsAPIClient | None = getattr(local, "client", None)
        if client is None:
            client = local.client = NotificationsAPIClient(LIVE_API_KEY, base_url=base_url)
        client.send_sms_notification(
            phone_number=_phone_number(index),
            template_id=str(GREEN_IN_ARREARS_SMS_ID),
            personalisation={"balance": "£10.00"},
            reference=f"baseline-{index}",
        )

    with ThreadPoolExecutor(max_workers=options.baseline_threads) as pool:
        list(pool.map(send, range(options.baseline_threads * 5)))  # warm-up: connections
        started = time.perf_counter()
        list(pool.map(send, range(options.baseline_sends)))
        seconds = time.perf_counter() - started
    admin.reset()
    rate = options.baseline_sends / seconds
    logger.info("fake Notify alone: %.0f texts/s", rate)
    return rate


def run(options: Options) -> dict[str, Any]:
    run_id = uuid.uuid4().hex[:8]
    keys = [f"bench-sms-{run_id}-{i:05d}" for i in range(options.requests)]
    with tempfile.TemporaryDirectory(prefix="bench-comms-sms-") as directory:
        workdir = Path(directory)
        database = workdir / "comms-api.sqlite3"
        with service_process("fake-notify", "fake_notify.main", {}, workdir=workdir) as fake:
            admin = FakeNotifyAdmin(fake.base_url)
            capacity_before = fake_capacity(fake.base_url, admin, options)
            admin.set_limits(per_minute={"live": options.limit_per_minute})
            log_offset = fake.log_path.stat().st_size
            env = {
                "DATABASE_URL": sqlite_url(database),
                "NOTIFY_BASE_URL": fake.base_url,
                "NOTIFY_API_KEY": LIVE_API_KEY,
                "NOTIFY_RATE_LIMIT_PER_MINUTE": str(options.limit_per_minute),
                "SEND_CONCURRENCY": str(options.send_concurrency),
                "WORKER_ENABLED": "true",
                "RETRY_INTERVAL_SECONDS": "1",
                # No tenancy on these texts, so nothing is owed to UH's diary.
                "UH_GATEWAY_URL": "http://127.0.0.1:9",
                "DOCUMENT_STORE": "folder",
                "DOCUMENTS_FOLDER": str(workdir / "documents"),
                # No SQS: no comms requests read, and comms events stay in the outbox (each
                # round's one try to publish fails at once on a closed port).
                "COMMS_REQUESTS_ENABLED": "false",
                "SQS_ENDPOINT_URL": "http://127.0.0.1:9",
            }
            with service_process("comms-api", "comms_api.main", env, workdir=workdir) as comms:
                with httpx.Client(base_url=comms.base_url, timeout=30) as warm:
                    # Notify's templates, which every send checks, are read once and cached.
                    warm.get(
                        "/api/v1/templates", headers={"Authorization": f"Bearer {dev_token()}"}
                    ).raise_for_status()
                logger.info(
                    "posting %d texts over %.0f s from %d caseworker threads",
                    options.requests,
                    options.seconds,
                    options.clients,
                )
                load = drive(comms.base_url, keys, options)
                logger.info("answers: %s", dict(Counter(a.status for a in load.answers)))
                drain_seconds, statuses = wait_until_sent(database, options.drain_timeout)
                attempts = attempts_of(database)
                comms_errors = logged_errors(comms.log_path)
            sent = admin.sent(type="sms")
            fake_answers = fake_send_answers(fake.log_path, log_offset)
            capacity_after = fake_capacity(fake.base_url, admin, options)

    times = sorted(_instant(n["created_at"]) for n in sent)
    by_reference = Counter(n["reference"] for n in sent)
    steady_from = times[0] + STEADY_STATE_SKIP_SECONDS if times else 0.0
    steady_to = load.last_answered_at
    steady = [t for t in times if steady_from <= t <= steady_to]
    steady_per_minute = len(steady) / (steady_to - steady_from) * 60 if steady else 0.0
    report: dict[str, Any] = {
        "options": asdict(options),
        "answers": dict(Counter(a.status for a in load.answers)),
        "latency_ms": {
            "all": {p: load.latency_ms(p) for p in (50, 95, 99)},
            "201": {p: load.latency_ms(p, 201) for p in (50, 95, 99)},
            "202": {p: load.latency_ms(p, 202) for p in (50, 95, 99)},
        },
        "load_seconds": load.last_answered_at - load.started_at,
        "behind_schedule_p95_s": percentile([a.started - a.scheduled for a in load.answers], 95),
        "steady_state": {
            "from": steady_from,
            "to": steady_to,
            "sends": len(steady),
            "per_minute": steady_per_minute,
            "share_of_limit": steady_per_minute / options.limit_per_minute,
        },
        "busiest_minute": busiest_minute(times),
        "sent_at_fake": len(sent),
        "first_to_last_send_s": times[-1] - times[0] if times else None,
        "drain_seconds_after_load": drain_seconds,
        "duplicates": sum(count - 1 for count in by_reference.values() if count > 1),
        "missing": len(set(keys) - set(by_reference)),
        "fake_send_answers": dict(fake_answers),
        "fake_429s": fake_answers.get(429, 0),
        "comms_api_errors": dict(comms_errors),
        "message_statuses": statuses,
        "attempts": attempts,
        "fake_capacity_per_second": [capacity_before, capacity_after],
        "sends_per_10s": dict(
            sorted(Counter(int((t - times[0]) // 10) * 10 for t in times).items())
        )
        if times
        else {},
    }
    report["markdown"] = render(report, options)
    report["json_path"] = str(write_json("comms_sms", report))
    return report


def render(report: dict[str, Any], options: Options) -> str:
    answers: dict[int, int] = report["answers"]
    latency = report["latency_ms"]
    steady = report["steady_state"]
    capacity = report["fake_capacity_per_second"]
    limit_per_second = options.limit_per_minute / 60
    others = sum(n for status, n in answers.items() if status not in {201, 202})
    share = steady["share_of_limit"]
    rows: list[list[object]] = [
        [
            "caseworker answers 201 sent / 202 kept / other",
            f"{answers.get(201, 0):,} / {answers.get(202, 0):,} / {others}",
            "other = 0",
        ],
        ["API latency p50 / p95 / p99 ms, all", _ms(latency["all"]), "-"],
        ["  201 (sent while the caseworker waited)", _ms(latency["201"]), "-"],
        ["  202 (kept for the worker)", _ms(latency["202"]), "-"],
        [
            "steady-state sends a minute at the fake",
            f"{steady['per_minute']:,.0f} ({share:.1%} of {options.limit_per_minute:,})",
            f">= {TARGET_SHARE_OF_LIMIT:.0%}",
        ],
        [
            "busiest rolling 60 s at the fake",
            f"{report['busiest_minute']:,}",
            f"<= {options.limit_per_minute:,}",
        ],
        ["429s from the fake", report["fake_429s"], "0"],
        [
            "texts at the fake / requested",
            f"{report['sent_at_fake']:,} / {options.requests:,}",
            "equal",
        ],
        ["duplicates / missing", f"{report['duplicates']} / {report['missing']}", "0 / 0"],
        ["first to last send at the fake", f"{report['first_to_last_send_s']:.1f} s", "-"],
        [
            "fake alone, limit lifted (baseline, before / after)",
            f"{capacity[0]:,.0f} / {capacity[1]:,.0f} texts/s "
            f"({min(capacity) / limit_per_second:.0f}x the limit)",
            "-",
        ],
    ]
    ok = (
        share >= TARGET_SHARE_OF_LIMIT
        and report["fake_429s"] == 0
        and others == 0
        and report["duplicates"] == 0
        and report["missing"] == 0
        and report["busiest_minute"] <= options.limit_per_minute
    )
    return "\n".join(
        [
            "### comms-api texts at GOV.UK Notify's rate limit",
            "",
            f"{options.requests:,} `POST /api/v1/messages/sms` from {options.clients} caseworker "
            f"threads, open loop, evenly over {options.seconds:g} s "
            f"({options.requests / options.seconds * 60:,.0f} a minute offered against the "
            f"fake's {options.limit_per_minute:,} a minute); comms-api and the fake Notify as "
            f"real processes, comms-api's worker on (a round a second, "
            f"{options.send_concurrency} senders). Steady state: from "
            f"{STEADY_STATE_SKIP_SECONDS:g} s after the first send until the last caseworker "
            f"was answered ({steady['to'] - steady['from']:.1f} s). The last message was sent "
            f"{report['drain_seconds_after_load']:.0f} s after the last answer (polled every "
            f"2 s); statuses then: {report['message_statuses']}; messages by sends tried: "
            f"{report['attempts']}.",
            "",
            markdown_table(["measure", "value", "target"], rows),
            "",
            f"comms-api's logged errors: {report['comms_api_errors'] or 'none'}.",
            "",
            f"Target: >= {TARGET_SHARE_OF_LIMIT:.0%} of Notify's limit, no 429 from Notify, no "
            f"caseworker answer but 201 or 202, each text sent exactly once: {share:.1%} — "
            f"{passed(ok)}.",
        ]
    )


def _ms(percentiles: dict[int, float]) -> str:
    return " / ".join(f"{percentiles[p]:,.0f}" for p in (50, 95, 99))


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--seconds", type=float, default=60.0, help="spread the requests over")
    parser.add_argument("--clients", type=int, default=32, help="caseworker threads")
    parser.add_argument("--limit-per-minute", type=int, default=3000)
    parser.add_argument("--send-concurrency", type=int, default=4, help="comms-api's senders")
    parser.add_argument("--baseline-sends", type=int, default=1000)
    parser.add_argument("--baseline-threads", type=int, default=4)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    handle_signals()
    return Options(
        requests=args.requests,
        seconds=args.seconds,
        clients=args.clients,
        limit_per_minute=args.limit_per_minute,
        send_concurrency=args.send_concurrency,
        baseline_sends=args.baseline_sends,
        baseline_threads=args.baseline_threads,
    )


def main(argv: Sequence[str] | None = None) -> None:
    report = run(parse_args(argv))
    print(report["markdown"])


if __name__ == "__main__":
    main()
