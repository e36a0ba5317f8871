"""Bar charts drawn on the server as inline SVG, so a dashboard needs no JavaScript.

Each bar is a row: its label and numbers on one line of text, the bar beneath, so long labels
never collide and every number is readable without the bar. Series stack left to right and
differ by pattern as well as colour (solid, hatched, dotted, each outlined), with a legend;
the SVG has a title and a description for assistive technology, and pages put the same
numbers in a table beside it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Final

from markupsafe import Markup

WIDTH: Final = 640
PLOT_LEFT: Final = 20
PLOT_RIGHT: Final = WIDTH - 44  # room for the last tick's label, centred on its line
LEGEND_HEIGHT: Final = 30
LABEL_HEIGHT: Final = 20
BAR_HEIGHT: Final = 18
ROW_GAP: Final = 12
ROW_HEIGHT: Final = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
AXIS_HEIGHT: Final = 26
EMPTY_HEIGHT: Final = 40
FONT_SIZE: Final = 14
INK: Final = "#0b0c0c"
SOLID: Final = "#1d70b8"
_PATTERNS: Final = ("solid", "hatched", "dotted", "crossed")
_PATTERN_MARKUP: Final = {
    "hatched": Markup(
        '<pattern id="{id}-{name}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="{ink}" stroke-width="2"/></pattern>'
    ),
    "dotted": Markup(
        '<pattern id="{id}-{name}" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="1.5" fill="{ink}"/>'
        "</pattern>"
    ),
    "crossed": Markup(
        '<pattern id="{id}-{name}" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect width="8" height="8" fill="#ffffff"/>'
        '<path d="M0 0L8 8M8 0L0 8" stroke="{ink}" stroke-width="1"/></pattern>'
    ),
}
MAX_SERIES: Final = len(_PATTERNS)
# Candidate steps between ticks, times a power of ten: whole numbers only (counts, pounds).
NICE_STEPS: Final = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


@dataclass(frozen=True)
class ChartRow:
    """One bar: `values` are its series' amounts, stacked; `note` is read after the label
    (e.g. "£1,234.00 from 12 cases")."""

    label: str
    values: tuple[Decimal, ...]
    note: str = ""


@dataclass(frozen=True)
class Segment:
    series: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    text: str
    text_y: float
    y: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Tick:
    value: Decimal
    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    description: str
    series: tuple[str, ...]
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    height: int
    empty_text: str

    @property
    def is_empty(self) -> bool:
        return not self.bars

    def svg(self) -> Markup:
        parts = [
            Markup(
                '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
                'width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
                'aria-labelledby="{id}-title {id}-desc" font-size="{font}">'
                '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
            ).format(
                w=WIDTH,
                h=self.height,
                id=self.chart_id,
                font=FONT_SIZE,
                title=self.title,
                desc=self.description,
            )
        ]
        if self.is_empty:
            parts.append(
                Markup('<text x="{x}" y="{y}" fill="{ink}">{text}</text>').format(
                    x=PLOT_LEFT, y=EMPTY_HEIGHT // 2 + 5, ink=INK, text=self.empty_text
                )
            )
        else:
            parts += [self._patterns(), self._legend(), self._grid(), *map(self._bar, self.bars)]
        parts.append(Markup("</svg>"))
        return Markup("").join(parts)

    def _fill(self, series: int) -> str:
        return SOLID if series == 0 else f"url(#{self.chart_id}-{_PATTERNS[series]})"

    def _patterns(self) -> Markup:
        if len(self.series) < 2:
            return Markup("")
        return Markup("<defs>{}</defs>").format(
            Markup("").join(
                _PATTERN_MARKUP[name].format(id=self.chart_id, name=name, ink=INK)
                for name in _PATTERNS[1 : len(self.series)]
            )
        )

    def _legend(self) -> Markup:
        if len(self.series) < 2:
            return Markup("")
        items = []
        x = PLOT_LEFT
        for index, name in enumerate(self.series):
            items.append(
                Markup(
                    '<rect x="{x}" y="4" width="16" height="16" fill="{fill}" stroke="{ink}"/>'
                    '<text x="{tx}" y="17" fill="{ink}">{name}</text>'
                ).format(x=x, fill=self._fill(index), ink=INK, tx=x + 22, name=name)
            )
            # Legend names are short words ("Texts"); leave generous room for each.
            x += 40 + 9 * len(name)
        return Markup("").join(items)

    def _top(self) -> int:
        return LEGEND_HEIGHT if len(self.series) > 1 else 0

    def _grid(self) -> Markup:
        """A line up from each tick's label, broken where the bars' words are, so it never
        runs through them."""
        bottom = self._top() + len(self.bars) * ROW_HEIGHT
        return Markup("").join(
            Markup(
                '<path d="{path}" stroke="#b1b4b6"/>'
                '<text x="{x}" y="{label_y}" text-anchor="middle" fill="{ink}">{label}</text>'
            ).format(
                path=" ".join(
                    f"M{_px(tick.x)} {_px(bar.y - 2)}V{_px(bar.y + BAR_HEIGHT + 2)}"
                    for bar in self.bars
                ),
                x=_px(tick.x),
                label_y=bottom + AXIS_HEIGHT - 8,
                ink=INK,
                label=tick.label,
            )
            for tick in self.ticks
        )

    def _bar(self, bar: Bar) -> Markup:
        text = Markup('<text x="{x}" y="{y}" fill="{ink}">{text}</text>').format(
            x=PLOT_LEFT, y=_px(bar.text_y), ink=INK, text=bar.text
        )
        segments = Markup("").join(
            Markup(
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="{ink}"/>'
            ).format(
                x=_px(segment.x),
                y=_px(bar.y),
                w=_px(segment.width),
                h=BAR_HEIGHT,
                fill=self._fill(segment.series),
                ink=INK,
            )
            for segment in bar.segments
        )
        return text + segments


def _px(value: float) -> str:
    """Coordinates to a tenth of a pixel: enough to draw, short in the HTML."""
    return f"{value:.1f}".removesuffix(".0")


def whole_number(value: Decimal) -> str:
    return f"{value:,.0f}"


def nice_ticks(maximum: Decimal, *, count: int = 4) -> tuple[Decimal, ...]:
    """Tick values from 0 to a round number at or above `maximum`, about `count` steps of
    1, 2, 2.5 or 5 times a power of ten, never less than 1 apart (counts and pounds)."""
    if maximum <= 0:
        return (Decimal(0), Decimal(1))
    raw = maximum / count
    magnitude = Decimal(1).scaleb(raw.adjusted())
    step = next(
        candidate
        for multiple in NICE_STEPS
        if (candidate := multiple * magnitude) >= raw and candidate == candidate.to_integral()
    )
    step = max(step, Decimal(1))
    steps = int((maximum / step).to_integral_value(rounding=ROUND_CEILING))
    return tuple(step * n for n in range(steps + 1))


def _drawn_total(row: ChartRow) -> Decimal:
    return sum((value for value in row.values if value > 0), Decimal(0))


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[ChartRow],
    series: Sequence[str] = (),
    tick_label: Callable[[Decimal], str] = whole_number,
    empty_text: str = "Nothing to show.",
) -> BarChart:
    """Lay out a horizontal bar chart of `rows` (stacked when there are several `series`,
    at most four). A bar's length is its total over the largest tick; amounts below zero
    draw nothing (the text still says them)."""
    names = tuple(series) or ("",)
    if len(names) > MAX_SERIES:
        raise ValueError(f"at most {MAX_SERIES} series can be told apart")
    if any(len(row.values) != len(names) for row in rows):
        raise ValueError("every row needs one value per series")
    if not rows:
        return BarChart(
            chart_id=chart_id,
            title=title,
            description=description,
            series=names,
            bars=(),
            ticks=(),
            height=EMPTY_HEIGHT,
            empty_text=empty_text,
        )
    ticks = nice_ticks(max(_drawn_total(row) for row in rows))
    top_value = ticks[-1]
    plot_width = PLOT_RIGHT - PLOT_LEFT

    def x_of(value: Decimal) -> float:
        return PLOT_LEFT + float(value / top_value) * plot_width

    top = LEGEND_HEIGHT if len(names) > 1 else 0
    bars: list[Bar] = []
    for index, row in enumerate(rows):
        row_top = top + index * ROW_HEIGHT
        segments: list[Segment] = []
        running = Decimal(0)
        for series_index, value in enumerate(row.values):
            if value <= 0:
                continue
            start = x_of(running)
            running += value
            segments.append(Segment(series_index, start, x_of(running) - start))
        text = f"{row.label}: {row.note}" if row.note else row.label
        bars.append(Bar(text, row_top + LABEL_HEIGHT - 6, row_top + LABEL_HEIGHT, tuple(segments)))
    return BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        series=names,
        bars=tuple(bars),
        ticks=tuple(Tick(value, x_of(value), tick_label(value)) for value in ticks),
        height=top + len(rows) * ROW_HEIGHT + AXIS_HEIGHT,
        empty_text=empty_text,
    )
