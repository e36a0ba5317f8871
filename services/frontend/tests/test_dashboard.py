"""The team leaders' dashboard against the real income-api (synced from the test simulator)
and a real comms-api app, both in process. The numbers in each chart's table are checked
against the rows the two services hold.

comms-api here needs no Notify (nothing is sent): its messages are put straight into its
database, as its senders leave them. This module's income-api is its own, so a test may mark
cases as changed this week."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from comms_api.gateways.tables import messages
from comms_api.main import create_app as create_comms_app
from comms_api.settings import Settings as CommsSettings
from frontend.domain.dashboard import week_start
from frontend.domain.formatting import money
from frontend.main import create_app
from frontend.settings import Settings
from frontend.testing import Network, Page, read
from income_api.gateways.tables import cases
from ma_shared.uk_time import LONDON

SignIn = Callable[[str], TestClient]


@pytest.fixture(scope="module")
def comms_app(data_folder: Path) -> FastAPI:
    return create_comms_app(
        CommsSettings(
            database_url=f"sqlite:///{data_folder}/comms-api.sqlite3",
            worker_enabled=False,
            document_store="folder",
            documents_folder=data_folder / "documents",
        )
    )


@pytest.fixture
def comms_network(comms_app: FastAPI) -> Network:
    return Network(comms_app)


@pytest.fixture
def app(settings: Settings, income_network: Network, comms_network: Network) -> FastAPI:
    return create_app(
        settings, income_api_transport=income_network, comms_api_transport=comms_network
    )


def _london(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON).astimezone(dt.UTC)


@pytest.fixture(scope="module")
def sent_messages(comms_app: FastAPI) -> dict[tuple[dt.date, str, str], int]:
    """Messages over the last fortnight, and how many of each (day, channel, sent|failed)."""
    today = dt.datetime.now(tz=LONDON).date()
    made: Counter[tuple[dt.date, str, str]] = Counter()
    rows: list[dict[str, Any]] = []
    for days_ago, channel, outcome, count in [
        (0, "sms", "sent", 3),
        (0, "letter", "failed", 1),
        (1, "email", "sent", 2),
        (5, "sms", "failed", 2),
        (13, "letter", "sent", 4),
        (14, "sms", "sent", 5),  # a day too old to be shown
    ]:
        day = today - dt.timedelta(days=days_ago)
        at = _london(day, 10)
        for _ in range(count):
            rows.append(
                {
                    "id": str(uuid.uuid4()),
                    "idempotency_key": str(uuid.uuid4()),
                    "request_fingerprint": "0" * 64,
                    "channel": channel,
                    "template_id": "template",
                    "template_name": "A template",
                    "recipient": "someone",
                    "personalisation": {},
                    "body": "",
                    "status": "failed" if outcome == "failed" else "delivered",
                    "completed_at": at,
                    "sent_at": None if outcome == "failed" else at,
                    "attempts": 1,
                    "sent_by": "Rita Rent",
                    "created_at": at,
                    "updated_at": at,
                }
            )
        if days_ago < 14:
            made[day, channel, outcome] += count
    with comms_app.state.engine.begin() as conn:
        conn.execute(messages.insert(), rows)
    return dict(made)


@pytest.fixture(scope="module")
def changed_this_week(income_app: FastAPI) -> Counter[str]:
    """Mark a few rent cases as having changed action this week (and one last week): what a
    sync does when a case's action changes. Their count by action now."""
    engine = income_app.state.engine
    monday = week_start(dt.datetime.now(tz=dt.UTC))
    with engine.begin() as conn:
        rows = conn.execute(
            select(cases.c.tenancy_ref, cases.c.recommended_action)
            .where(cases.c.service_area == "rent", cases.c.recommended_action != "no_action")
            .order_by(cases.c.tenancy_ref)
            .limit(5)
        ).all()
        for n, row in enumerate(rows):
            conn.execute(
                update(cases)
                .where(cases.c.tenancy_ref == row.tenancy_ref)
                .values(
                    previous_recommended_action="no_action",
                    classification_changed_at=monday + dt.timedelta(seconds=n)
                    if n
                    else monday - dt.timedelta(seconds=1),
                )
            )
    return Counter(row.recommended_action for row in rows[1:])


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _pounds(text: str) -> Decimal:
    return Decimal(text.replace("£", "").replace(",", ""))


def _chart(page: Page, chart_id: str) -> Any:
    svg = page.soup.find("svg", attrs={"aria-labelledby": f"{chart_id}-title {chart_id}-desc"})
    assert svg is not None, f"no chart {chart_id}"
    return svg


def _rent_cases(income_app: FastAPI) -> list[Any]:
    with income_app.state.engine.connect() as conn:
        return list(conn.execute(select(cases).where(cases.c.service_area == "rent")))


def test_arrears_by_patch_match_the_cases(signed_in: SignIn, income_app: FastAPI) -> None:
    page = read(signed_in("team-leader").get("/dashboard"))

    assert page.status_code == 200
    assert page.title == "Dashboard: rent cases – Manage arrears"
    assert page.heading == "Rent cases Dashboard"
    expected: dict[str, tuple[Decimal, int]] = defaultdict(lambda: (Decimal(0), 0))
    for case in _rent_cases(income_app):
        arrears, count = expected[case.patch_code or "No patch"]
        expected[case.patch_code or "No patch"] = (
            arrears + (case.collectable_arrears or 0),
            count + 1,
        )
    rows = page.table("Collectable arrears and cases by patch (rent)")
    shown = {
        row["Patch"].split(" – ")[0]: (_pounds(row["Collectable arrears"]), _number(row["Cases"]))
        for row in rows
    }
    assert shown == expected
    assert any(" – " in row["Patch"] for row in rows), "patches are named"
    svg = _chart(page, "arrears-by-patch")
    assert svg["role"] == "img"
    assert svg.title.get_text() == "Collectable arrears by patch (rent)"
    total = sum(arrears for arrears, _ in expected.values())
    assert f"{money(total)} collectable arrears on" in page.text
    bar_texts = [text.get_text() for text in svg.find_all("text")]
    assert f"{rows[0]['Patch']}: {rows[0]['Collectable arrears']}, " in " ".join(bar_texts)


def test_cases_by_action_match_the_cases(signed_in: SignIn, income_app: FastAPI) -> None:
    page = read(signed_in("team-leader").get("/dashboard"))

    rows = page.table("Cases and collectable arrears by next recommended action (rent)")
    expected = Counter(case.recommended_action for case in _rent_cases(income_app))
    shown = {row["Next recommended action"]: _number(row["Cases"]) for row in rows}
    assert shown["Send letter 1"] == expected["send_letter_one"]
    assert shown["No action"] == expected["no_action"]
    assert sum(shown.values()) == sum(expected.values())
    assert len(_chart(page, "cases-by-action").find_all("rect")) == len(rows)


def test_cases_whose_action_changed_this_week(
    signed_in: SignIn, changed_this_week: Counter[str]
) -> None:
    page = read(signed_in("team-leader").get("/dashboard"))

    rows = page.table("Cases whose next recommended action changed since Monday")
    assert sum(_number(row["Cases"]) for row in rows) == sum(changed_this_week.values()) == 4
    assert f"{sum(changed_this_week.values())} rent cases changed next recommended action" in (
        page.text
    )
    _chart(page, "action-changes")


def test_messages_sent_and_failed_by_day_and_channel(
    signed_in: SignIn, sent_messages: dict[tuple[dt.date, str, str], int]
) -> None:
    page = read(signed_in("team-leader").get("/dashboard"))

    columns = {"sms": "Texts", "email": "Emails", "letter": "Letters"}
    for outcome in ("sent", "failed"):
        rows = page.table(f"Messages {outcome} each day in the last 14 days")
        assert len(rows) == 14
        today = dt.datetime.now(tz=LONDON).date()
        days = [today - dt.timedelta(days=n) for n in range(13, -1, -1)]
        for day, row in zip(days, rows, strict=True):
            assert row["Day"] == f"{day:%a} {day.day} {day:%b}"
            for channel, column in columns.items():
                assert _number(row[column]) == sent_messages.get((day, channel, outcome), 0), (
                    outcome,
                    day,
                    channel,
                )
        _chart(page, f"messages-{outcome}")
    assert "9 messages sent in the last 14 days: 3 texts, 2 emails, 4 letters." in page.text
    assert "3 messages failed in the last 14 days: 2 texts, 0 emails, 1 letter." in page.text


def test_leasehold_is_a_tab_of_its_own(signed_in: SignIn) -> None:
    client = signed_in("team-leader")
    rent = read(client.get("/dashboard"))
    assert rent.links()["Leasehold"] == "/dashboard?service_area=leasehold"

    page = read(client.get("/dashboard?service_area=leasehold"))

    assert page.status_code == 200
    assert page.title == "Dashboard: leasehold cases – Manage arrears"
    current = page.soup.select_one('.app-tabs a[aria-current="page"]')
    assert current is not None
    assert current.get_text(strip=True) == "Leasehold"
    assert page.table("Collectable arrears and cases by patch (leasehold)")
    assert "leasehold case" in page.text
    assert read(client.get("/dashboard?service_area=garages")).status_code == 404


def test_without_comms_api_the_case_charts_still_show(
    signed_in: SignIn, comms_network: Network
) -> None:
    comms_network.down = True
    page = read(signed_in("team-leader").get("/dashboard"))

    assert page.status_code == 200
    assert "Messages cannot be shown at the moment" in page.text
    _chart(page, "arrears-by-patch")
    assert (
        page.soup.find("svg", attrs={"aria-labelledby": "messages-sent-title messages-sent-desc"})
        is None
    )


def test_income_api_down_is_the_unavailable_page(
    signed_in: SignIn, income_network: Network
) -> None:
    income_network.down = True
    page = read(signed_in("team-leader").get("/dashboard"))
    assert page.status_code == 503
    assert page.heading == "Sorry, the service is unavailable"
