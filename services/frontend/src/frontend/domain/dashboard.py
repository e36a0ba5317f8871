"""The team leaders' dashboard: each report from income-api and comms-api as a chart with a
heading, a sentence that says what it shows, and the same numbers as a table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from frontend.domain import labels
from frontend.domain.charts import BarChart, ChartRow, bar_chart
from frontend.domain.formatting import date, money, number
from ma_shared.uk_time import LONDON
from ma_shared.vocabulary import ServiceArea

if TYPE_CHECKING:
    from frontend.gateways.comms_api import MessagesByDay
    from frontend.gateways.income_api import ActionChanges, CasesByAction, CasesByPatch

MESSAGE_DAYS: Final = 14
CHANNELS: Final[dict[str, tuple[str, str]]] = {
    "sms": ("text", "Texts"),
    "email": ("email", "Emails"),
    "letter": ("letter", "Letters"),
}


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...]
    # Columns from this one on are numbers (right-aligned).
    first_numeric: int = 1


@dataclass(frozen=True)
class Panel:
    heading: str
    summary: str
    chart: BarChart
    table: Table


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{number(count)} {word if count == 1 else (words or word + 's')}"


def week_start(now: dt.datetime) -> dt.datetime:
    """00:00 on Monday of this week in London, as an instant."""
    today = now.astimezone(LONDON).date()
    monday = today - dt.timedelta(days=today.weekday())
    return dt.datetime.combine(monday, dt.time(), tzinfo=LONDON)


def _pounds(value: Decimal) -> str:
    return f"£{value:,.0f}"


def _patch_name(code: str | None, names: Mapping[str, str]) -> str:
    if code is None:
        return "No patch"
    name = names.get(code)
    return f"{code} – {name}" if name else code


def arrears_by_patch(report: CasesByPatch, patch_names: Mapping[str, str]) -> Panel:
    area = labels.SERVICE_AREAS[report.service_area].lower()
    named = [(_patch_name(row.patch_code, patch_names), row) for row in report.results]
    if named:
        top_name, top = max(named, key=lambda item: item[1].collectable_arrears)
        summary = (
            f"{money(report.collectable_arrears)} collectable arrears on "
            f"{plural(report.case_count, area + ' case')} across "
            f"{plural(len(named), 'patch', 'patches')}. The most is on {top_name}: "
            f"{money(top.collectable_arrears)} on {plural(top.case_count, 'case')}."
        )
    else:
        summary = f"No {area} cases are in arrears."
    chart = bar_chart(
        chart_id="arrears-by-patch",
        title=f"Collectable arrears by patch ({area})",
        description=summary,
        rows=[
            ChartRow(
                label=name,
                values=(row.collectable_arrears,),
                note=f"{money(row.collectable_arrears)}, {plural(row.case_count, 'case')}",
            )
            for name, row in named
        ],
        tick_label=_pounds,
        empty_text="No cases in arrears.",
    )
    return Panel(
        heading="Arrears by patch",
        summary=summary,
        chart=chart,
        table=Table(
            caption=f"Collectable arrears and cases by patch ({area})",
            head=("Patch", "Collectable arrears", "Cases"),
            rows=tuple(
                (name, money(row.collectable_arrears), number(row.case_count))
                for name, row in named
            ),
            total=("Total", money(report.collectable_arrears), number(report.case_count)),
        ),
    )


def cases_by_action(report: CasesByAction) -> Panel:
    area = labels.SERVICE_AREAS[report.service_area].lower()
    words = [
        (labels.recommended_action(report.service_area, row.recommended_action), row)
        for row in report.results
    ]
    if words:
        top_words, top = max(words, key=lambda item: item[1].case_count)
        summary = (
            f"{plural(report.case_count, area + ' case')} in arrears. The most common next "
            f"action is {top_words}: {plural(top.case_count, 'case')} owing "
            f"{money(top.collectable_arrears)}."
        )
    else:
        summary = f"No {area} cases are in arrears."
    chart = bar_chart(
        chart_id="cases-by-action",
        title=f"Cases by next recommended action ({area}), most urgent first",
        description=summary,
        rows=[
            ChartRow(
                label=text,
                values=(Decimal(row.case_count),),
                note=f"{plural(row.case_count, 'case')}, {money(row.collectable_arrears)}",
            )
            for text, row in words
        ],
        empty_text="No cases in arrears.",
    )
    return Panel(
        heading="Cases by next recommended action",
        summary=summary,
        chart=chart,
        table=Table(
            caption=f"Cases and collectable arrears by next recommended action ({area})",
            head=("Next recommended action", "Cases", "Collectable arrears"),
            rows=tuple(
                (text, number(row.case_count), money(row.collectable_arrears))
                for text, row in words
            ),
            total=("Total", number(report.case_count), money(report.collectable_arrears)),
        ),
    )


def action_changes(report: ActionChanges) -> Panel:
    area = labels.SERVICE_AREAS[report.service_area].lower()
    since = f"since Monday {date(report.since)}"
    words = [
        (labels.recommended_action(report.service_area, row.recommended_action), row)
        for row in report.results
    ]
    if words:
        top_words, top = max(words, key=lambda item: item[1].case_count)
        summary = (
            f"{plural(report.case_count, area + ' case')} changed next recommended action "
            f"{since}. Most changed to {top_words}: {plural(top.case_count, 'case')}."
        )
    else:
        summary = f"No {area} case has changed next recommended action {since}."
    chart = bar_chart(
        chart_id="action-changes",
        title=f"Cases whose next recommended action changed this week ({area}), by new action",
        description=summary,
        rows=[
            ChartRow(
                label=text,
                values=(Decimal(row.case_count),),
                note=plural(row.case_count, "case"),
            )
            for text, row in words
        ],
        empty_text="No changes this week.",
    )
    return Panel(
        heading="Next actions changed this week",
        summary=summary,
        chart=chart,
        table=Table(
            caption=f"Cases whose next recommended action changed {since}, by new action",
            head=("Changed to", "Cases"),
            rows=tuple((text, number(row.case_count)) for text, row in words),
            total=("Total", number(report.case_count)),
        ),
    )


def _day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _by_day(report: MessagesByDay, outcome: str) -> list[tuple[dt.date, dict[str, int]]]:
    days: dict[dt.date, dict[str, int]] = {}
    for row in report.results:
        counts = days.setdefault(row.date, dict.fromkeys(CHANNELS, 0))
        if row.channel in counts:
            counts[row.channel] += row.sent if outcome == "sent" else row.failed
    return sorted(days.items())


def _channel_words(counts: Mapping[str, int]) -> str:
    return ", ".join(plural(counts[code], one) for code, (one, _) in CHANNELS.items())


def _day_note(counts: Mapping[str, int]) -> str:
    """`12 (10 texts, 2 emails)`: the channels' numbers in words, for readers who cannot
    tell the bar's patterns apart."""
    total = sum(counts.values())
    some = [plural(counts[code], one) for code, (one, _) in CHANNELS.items() if counts[code]]
    return f"{number(total)} ({', '.join(some)})" if total else "0"


def messages(report: MessagesByDay, outcome: str) -> Panel:
    """`outcome` is `sent` or `failed`."""
    days = _by_day(report, outcome)
    totals = {code: sum(counts[code] for _, counts in days) for code in CHANNELS}
    total = sum(totals.values())
    verb = "sent" if outcome == "sent" else "failed"
    period = f"in the last {plural(len(days), 'day')}"
    summary = (
        f"{plural(total, 'message')} {verb} {period}: {_channel_words(totals)}."
        if total
        else f"No messages {verb} {period}."
    )
    series: Sequence[str] = [many for _, many in CHANNELS.values()]
    chart = bar_chart(
        chart_id=f"messages-{outcome}",
        title=f"Messages {verb} each day, by channel",
        description=summary,
        rows=[
            ChartRow(
                label=_day(day),
                values=tuple(Decimal(counts[code]) for code in CHANNELS),
                note=_day_note(counts),
            )
            for day, counts in days
        ],
        series=series,
    )
    return Panel(
        heading=f"Messages {verb}",
        summary=summary,
        chart=chart,
        table=Table(
            caption=f"Messages {verb} each day {period}, by channel",
            head=("Day", *series, "All"),
            rows=tuple(
                (
                    _day(day),
                    *(number(counts[code]) for code in CHANNELS),
                    number(sum(counts.values())),
                )
                for day, counts in days
            ),
            total=("Total", *(number(totals[code]) for code in CHANNELS), number(total)),
        ),
    )


def service_area_tabs(current: ServiceArea) -> list[dict[str, str | bool]]:
    return [
        {
            "label": labels.SERVICE_AREAS[area],
            "href": f"/dashboard?service_area={area.value}",
            "current": area is current,
        }
        for area in ServiceArea
    ]
