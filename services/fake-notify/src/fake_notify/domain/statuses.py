"""Notification statuses: the ones stored, the ones the API shows, and list filters (B.5)."""

from __future__ import annotations

from typing import Literal

Status = Literal[
    "created",
    "sending",
    "pending",
    "sent",
    "delivered",
    "temporary-failure",
    "permanent-failure",
    "technical-failure",
    "cancelled",
    "pending-virus-check",
    "virus-scan-failed",
    "validation-failed",
    "returned-letter",
]
# In Notify's order: its "is not one of [...]" message lists them so.
LIST_FILTER_STATUSES = (
    "cancelled",
    "created",
    "sending",
    "sent",
    "delivered",
    "pending",
    "failed",
    "technical-failure",
    "temporary-failure",
    "permanent-failure",
    "pending-virus-check",
    "validation-failed",
    "virus-scan-failed",
    "returned-letter",
    "accepted",
    "received",
)

FINAL_STATUSES: frozenset[Status] = frozenset(
    {
        "sent",
        "delivered",
        "temporary-failure",
        "permanent-failure",
        "technical-failure",
        "cancelled",
        "virus-scan-failed",
        "validation-failed",
        "returned-letter",
    }
)
FAILED_STATUSES: frozenset[str] = frozenset(
    {
        "technical-failure",
        "temporary-failure",
        "permanent-failure",
        "validation-failed",
        "virus-scan-failed",
        "returned-letter",
    }
)

# Filter words that stand for several stored statuses.
_EXPANSIONS: dict[str, frozenset[str]] = {
    "failed": FAILED_STATUSES,
    "accepted": frozenset({"created", "sending"}),
    "received": frozenset({"delivered"}),
}


def expand_status_filter(statuses: list[str]) -> frozenset[str]:
    expanded: set[str] = set()
    for status in statuses:
        expanded |= _EXPANSIONS.get(status, frozenset({status}))
    return frozenset(expanded)


def public_status(notification_type: str, status: Status) -> str:
    """What the API shows: a letter's printing stages read `accepted` and `received`."""
    if notification_type == "letter":
        if status in {"created", "sending"}:
            return "accepted"
        if status in {"delivered", "returned-letter"}:
            return "received"
    return status
