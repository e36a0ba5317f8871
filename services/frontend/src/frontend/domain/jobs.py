"""How a sync's job run reads: its status as a tag, how long it took, where the time went, and
its counts by recommended action (rent and leasehold together, as a full sync counts them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from frontend.domain import labels
from ma_shared.vocabulary import ServiceArea

# GOV.UK tag colours: the status is in the tag's words too, so colour only helps.
STATUS_TAG_CLASSES: Final[dict[str, str]] = {
    "running": "govuk-tag--blue",
    "succeeded": "govuk-tag--green",
    "completed_with_errors": "govuk-tag--yellow",
    "failed": "govuk-tag--red",
    "abandoned": "govuk-tag--grey",
}


@dataclass(frozen=True)
class TimingPart:
    label: str
    seconds: float
    percent: int


def status_tag(status: str) -> dict[str, str]:
    """The `govukTag` parameters for a run's status."""
    return {
        "text": labels.label(labels.JOB_STATUSES, status),
        "classes": STATUS_TAG_CLASSES.get(status, "govuk-tag--grey"),
    }


def duration(seconds: float | None) -> str:
    """`1 hour 2 minutes`, `3 minutes 5 seconds`, `12.3 seconds`; empty when not known."""
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.1f} seconds"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(hours, "hour"), (minutes, "minute")] + ([] if hours else [(secs, "second")])
    return " ".join(f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n)


def timing_split(timings: Mapping[str, float]) -> list[TimingPart]:
    """Each part's seconds and share of the time measured, in the order the sync works.
    The parts overlap the run (the next page is read while one is classified), so shares
    are of their sum, not of the run's length."""
    known = [name for name in labels.JOB_TIMINGS if name in timings]
    others = sorted(name for name in timings if name not in labels.JOB_TIMINGS)
    total = sum(timings[name] for name in known + others)
    return [
        TimingPart(
            label=labels.label(labels.JOB_TIMINGS, name),
            seconds=timings[name],
            percent=round(100 * timings[name] / total) if total else 0,
        )
        for name in known + others
    ]


def action_label(code: str) -> str:
    """A recommended action's words, whichever service area's it is."""
    for area in (ServiceArea.RENT, ServiceArea.LEASEHOLD):
        found = labels.RECOMMENDED_ACTIONS[area].get(code)
        if found:
            return found
    return labels.recommended_action(ServiceArea.RENT, code)


def by_action(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Counts by recommended action, largest first, as (words, count)."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(action_label(code), count) for code, count in ordered]


def seconds(value: float) -> str:
    return f"{value:,.1f}"
