"""What Notify's statuses mean for a message (frontend-and-notify B.5). Every documented
status is mapped, so tracking never stops on one it did not expect (C.8 pitfall 3), and a
message in a final state is never polled again (pitfall 4)."""

from __future__ import annotations

from enum import StrEnum


class Delivery(StrEnum):
    IN_PROGRESS = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"


IN_PROGRESS_STATUSES = frozenset(
    {"created", "sending", "pending", "accepted", "pending-virus-check"}
)
DELIVERED_STATUSES = frozenset({"delivered", "received", "sent"})
FAILURE_REASONS = {
    "permanent-failure": "The provider could not deliver it (the number or address is wrong).",
    "temporary-failure": "The provider could not deliver it (phone off or inbox full).",
    "technical-failure": "Notify had a technical failure; it was not sent.",
    "validation-failed": "Notify rejected the letter (address or layout).",
    "virus-scan-failed": "Notify's virus scan rejected the letter.",
    "cancelled": "Cancelled before it was sent.",
    "returned-letter": "The letter was returned to sender.",
}


def delivery_for(notify_status: str) -> Delivery | None:
    """Our reading of a Notify status; None for one Notify has not documented (keep polling)."""
    if notify_status in IN_PROGRESS_STATUSES:
        return Delivery.IN_PROGRESS
    if notify_status in DELIVERED_STATUSES:
        return Delivery.DELIVERED
    if notify_status in FAILURE_REASONS:
        return Delivery.FAILED
    return None
