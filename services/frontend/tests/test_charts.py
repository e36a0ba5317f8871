"""The dashboard's SVG bar charts (`domain/charts.py`) and the panels made from the reports
(`domain/dashboard.py`): scales, labels, stacking, empty data, and what a screen reader
is told."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup, Tag

from frontend.domain import dashboard, jobs
from frontend.domain.charts import (
    PLOT_LEFT,
    PLOT_RIGHT,
    ChartRow,
    bar_chart,
    nice_ticks,
)
from frontend.gateways.comms_api import MessagesByDay
from frontend.gateways.income_api import ActionChanges, CasesByPatch

D = Decimal


def _svg(markup: str) -> Tag:
    svg = BeautifulSoup(markup, "html.parser").find("svg")
    assert isinstance(svg, Tag)
    return svg


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (D(0), [0, 1]),
        (D(1), [0, 1]),
        (D(3), [0, 1, 2, 3]),
        (D(7), [0, 2, 4, 6, 8]),
        (D(100), [0, 25, 50, 75, 100]),
        (D(101), [0, 50, 100, 150]),
        (D("1234567.89"), [0, 500_000, 1_000_000, 1_500_000]),
        (D("0.40"), [0, 1]),
    ],
    ids=[
        "nothing: 0 to 1",
        "one",
        "small counts step by 1",
        "steps of 2",
        "steps of 25",
        "just over a round number",
        "millions of pounds",
        "under a pound: never fractions",
    ],
)
def test_ticks_are_round_numbers_from_zero_past_the_largest(
    maximum: Decimal, ticks: list[int]
) -> None:
    assert nice_ticks(maximum) == tuple(D(t) for t in ticks)


def test_bars_are_scaled_to_the_largest_tick() -> None:
    chart = bar_chart(
        chart_id="c",
        title="Cases",
        description="Three patches",
        rows=[
            ChartRow("E01", (D(100),)),
            ChartRow("E02", (D(50),)),
            ChartRow("E03", (D(0),)),
        ],
    )
    assert [tick.label for tick in chart.ticks] == ["0", "25", "50", "75", "100"]
    assert chart.ticks[0].x == PLOT_LEFT
    assert chart.ticks[-1].x == PLOT_RIGHT
    full, half, nothing = chart.bars
    assert full.segments[0].x == PLOT_LEFT
    assert full.segments[0].width == PLOT_RIGHT - PLOT_LEFT
    assert half.segments[0].width == pytest.approx((PLOT_RIGHT - PLOT_LEFT) / 2)
    assert nothing.segments == ()
    assert [bar.y for bar in chart.bars] == sorted({bar.y for bar in chart.bars})


def test_series_stack_left_to_right_and_below_zero_draws_nothing() -> None:
    chart = bar_chart(
        chart_id="c",
        title="Messages",
        description="By channel",
        rows=[ChartRow("Mon", (D(2), D(-1), D(6)))],
        series=["Texts", "Emails", "Letters"],
    )
    (bar,) = chart.bars
    texts, letters = bar.segments
    assert (texts.series, letters.series) == (0, 2)
    assert letters.x == pytest.approx(texts.x + texts.width)
    assert letters.x + letters.width == pytest.approx(PLOT_RIGHT)


def test_the_svg_has_a_title_a_description_labels_and_a_legend() -> None:
    chart = bar_chart(
        chart_id="messages-sent",
        title="Messages sent each day",
        description="12 messages sent: 10 texts & 2 emails.",
        rows=[ChartRow("Mon 3 Mar", (D(10), D(2)), note="12 (10 texts, 2 emails)")],
        series=["Texts", "Emails"],
        tick_label=lambda v: f"{v:,.0f} messages",
    )
    svg = _svg(chart.svg())
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "messages-sent-title messages-sent-desc"
    title, desc = svg.find("title"), svg.find("desc")
    assert title is not None
    assert title["id"] == "messages-sent-title"
    assert title.get_text() == "Messages sent each day"
    assert desc is not None
    assert desc.get_text() == "12 messages sent: 10 texts & 2 emails."
    texts = [text.get_text() for text in svg.find_all("text")]
    assert "Mon 3 Mar: 12 (10 texts, 2 emails)" in texts
    assert {"Texts", "Emails"} <= set(texts)
    assert "0 messages" in texts
    # Each series has its own fill, the second a pattern, so the bars differ without colour.
    fills = [rect["fill"] for rect in svg.find_all("rect") if rect.get("stroke")]
    assert "url(#messages-sent-hatched)" in fills
    assert svg.find("pattern", id="messages-sent-hatched") is not None
    assert "&amp;" in chart.svg()


def test_labels_are_escaped() -> None:
    chart = bar_chart(
        chart_id="c",
        title="<script>",
        description="d",
        rows=[ChartRow('Patch "<b>"', (D(1),))],
    )
    assert "<script>" not in chart.svg()
    assert "<b>" not in chart.svg()


def test_no_rows_draws_a_chart_that_says_so() -> None:
    chart = bar_chart(
        chart_id="c", title="Changes", description="None", rows=[], empty_text="No changes."
    )
    assert chart.is_empty
    assert chart.bars == ()
    assert chart.ticks == ()
    svg = _svg(chart.svg())
    assert svg.find("rect") is None
    assert [text.get_text() for text in svg.find_all("text")] == ["No changes."]


@pytest.mark.parametrize(
    ("rows", "series"),
    [([ChartRow("a", (D(1), D(2)))], ["one"]), ([ChartRow("a", (D(1),) * 5)], list("abcde"))],
    ids=["a value per series", "at most four series"],
)
def test_rows_must_fit_the_series(rows: list[ChartRow], series: list[str]) -> None:
    with pytest.raises(ValueError, match="series"):
        bar_chart(chart_id="c", title="t", description="d", rows=rows, series=series)


def test_arrears_by_patch_panel_names_patches_and_totals() -> None:
    report = CasesByPatch.model_validate(
        {
            "service_area": "rent",
            "case_count": 3,
            "collectable_arrears": "1500.50",
            "results": [
                {"patch_code": "E01", "case_count": 2, "collectable_arrears": "1000.50"},
                {"patch_code": None, "case_count": 1, "collectable_arrears": "500.00"},
            ],
        }
    )
    panel = dashboard.arrears_by_patch(report, {"E01": "Hackney Central"})
    assert panel.summary == (
        "£1,500.50 collectable arrears on 3 rent cases across 2 patches. The most is on "
        "E01 – Hackney Central: £1,000.50 on 2 cases."
    )
    assert panel.table.rows == (
        ("E01 – Hackney Central", "£1,000.50", "2"),
        ("No patch", "£500.00", "1"),
    )
    assert panel.table.total == ("Total", "£1,500.50", "3")
    assert [bar.text for bar in panel.chart.bars] == [
        "E01 – Hackney Central: £1,000.50, 2 cases",
        "No patch: £500.00, 1 case",
    ]
    assert panel.chart.ticks[-1].label == "£1,500"


def test_a_week_without_changes_says_so() -> None:
    report = ActionChanges.model_validate(
        {
            "service_area": "leasehold",
            "since": "2025-03-02T00:00:00Z",
            "case_count": 0,
            "results": [],
        }
    )
    panel = dashboard.action_changes(report)
    assert panel.summary == (
        "No leasehold case has changed next recommended action since Monday 2 March 2025."
    )
    assert panel.chart.is_empty
    assert panel.table.rows == ()


def test_messages_panels_count_each_channel_by_day() -> None:
    report = MessagesByDay.model_validate(
        {
            "from_date": "2025-03-02",
            "to_date": "2025-03-03",
            "results": [
                {"date": "2025-03-02", "channel": "sms", "sent": 3, "failed": 1},
                {"date": "2025-03-02", "channel": "email", "sent": 1, "failed": 0},
                {"date": "2025-03-02", "channel": "letter", "sent": 0, "failed": 0},
                {"date": "2025-03-03", "channel": "sms", "sent": 0, "failed": 0},
                {"date": "2025-03-03", "channel": "email", "sent": 0, "failed": 0},
                {"date": "2025-03-03", "channel": "letter", "sent": 2, "failed": 0},
            ],
        }
    )
    sent = dashboard.messages(report, "sent")
    assert sent.summary == "6 messages sent in the last 2 days: 3 texts, 1 email, 2 letters."
    assert sent.table.head == ("Day", "Texts", "Emails", "Letters", "All")
    assert sent.table.rows == (("Sun 2 Mar", "3", "1", "0", "4"), ("Mon 3 Mar", "0", "0", "2", "2"))
    assert [bar.text for bar in sent.chart.bars] == [
        "Sun 2 Mar: 4 (3 texts, 1 email)",
        "Mon 3 Mar: 2 (2 letters)",
    ]
    failed = dashboard.messages(report, "failed")
    assert failed.table.total == ("Total", "1", "0", "0", "1")
    assert failed.summary == "1 message failed in the last 2 days: 1 text, 0 emails, 0 letters."


@pytest.mark.parametrize(
    ("now", "week_start"),
    [
        (dt.datetime(2025, 7, 2, 12, tzinfo=dt.UTC), dt.datetime(2025, 6, 29, 23, tzinfo=dt.UTC)),
        (
            dt.datetime(2025, 7, 6, 23, 30, tzinfo=dt.UTC),
            dt.datetime(2025, 7, 6, 23, tzinfo=dt.UTC),
        ),
        (dt.datetime(2025, 1, 6, 0, 0, tzinfo=dt.UTC), dt.datetime(2025, 1, 6, tzinfo=dt.UTC)),
    ],
    ids=["midweek in summer", "Sunday night in UTC is Monday in London", "Monday in winter"],
)
def test_the_week_starts_at_midnight_on_monday_in_london(
    now: dt.datetime, week_start: dt.datetime
) -> None:
    assert dashboard.week_start(now) == week_start


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (None, ""),
        (12.34, "12.3 seconds"),
        (125, "2 minutes 5 seconds"),
        (3725, "1 hour 2 minutes"),
        (60, "1 minute"),
    ],
    ids=["not finished", "seconds", "minutes and seconds", "hours and minutes", "one minute"],
)
def test_how_long_a_run_took(seconds: float | None, words: str) -> None:
    assert jobs.duration(seconds) == words


def test_the_time_split_is_in_the_syncs_order_with_shares() -> None:
    parts = jobs.timing_split(
        {"database_seconds": 1.0, "gateway_reads_seconds": 3.0, "classification_seconds": 4.0}
    )
    assert [(p.label, p.percent) for p in parts] == [
        ("Reading accounts from UH", 38),
        ("Classifying (with migrations and breach checks)", 50),
        ("Writing cases", 12),
    ]
    assert jobs.timing_split({}) == []
