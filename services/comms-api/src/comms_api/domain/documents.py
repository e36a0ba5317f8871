"""Documents caseworkers see on the Documents page (frontend-and-notify A.5.11, C.5): the
letters sent, each with its PDF, and documents imported from the old system."""

from __future__ import annotations

from enum import StrEnum

from comms_api.domain.letters import TemplateId


class DocumentKind(StrEnum):
    LETTER = "letter"
    LEGACY = "legacy"


class DocumentStatus(StrEnum):
    # A letter's status follows its message's...
    ACCEPTED = "accepted"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    # ...until a caseworker has dealt with a failed one.
    FAILURE_REVIEWED = "failure_reviewed"
    # A letter before action is posted by hand, not through Notify.
    TO_DOWNLOAD = "to_download"
    DOWNLOADED = "downloaded"
    # From the old system.
    IMPORTED = "imported"


def is_posted_by_hand_on_download(*, template_id: str | None, status: str) -> bool:
    """A letter before action not yet downloaded to be posted: downloading it to post (not
    just to look at it) is what "sends" it, and earns the SLB diary entry."""
    return template_id == TemplateId.LETTER_BEFORE_ACTION and status == DocumentStatus.TO_DOWNLOAD


def lba_downloaded_comment(document_id: str) -> str:
    return f"Letter before action downloaded to post by hand (document {document_id})"
