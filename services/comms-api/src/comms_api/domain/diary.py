"""The UH action diary entry a sent message earns (income-rules §8.2)."""

from __future__ import annotations

DIARY_COMMENT_LENGTH = 2000


def diary_code(*, channel: str, template_name: str, automated: bool) -> str:
    """GAT/GAE for automation; for a caseworker, AMS for an "Amber" text, GMS for any other
    text (the old system's rule), GME for an email."""
    if channel == "email":
        return "GAE" if automated else "GME"
    if automated:
        return "GAT"
    return "AMS" if template_name.strip().lower().startswith("amber") else "GMS"


def diary_comment(*, channel: str, template_name: str, recipient: str, body: str) -> str:
    kind = "SMS" if channel == "sms" else "email"
    comment = f"'{template_name}' {kind} sent to '{recipient}' with content '{body}'"
    return comment[:DIARY_COMMENT_LENGTH]


LETTER_REJECTED_CODE = "VFL"


def letter_sent_comment(*, template_name: str, document_id: str, payment_ref: str | None) -> str:
    where = f" (Documents, payment reference {payment_ref})" if payment_ref else ""
    return f"Letter '{template_name}' sent by post; its PDF is document {document_id}{where}"


def letter_rejected_comment(
    *, template_name: str, document_id: str, payment_ref: str | None, reason: str | None
) -> str:
    where = f" for payment reference {payment_ref}" if payment_ref else ""
    because = f": {reason}" if reason else ""
    comment = (
        f"Letter '{template_name}' (document {document_id}) was rejected by GOV.UK Notify"
        f"{because}. Check it on the Documents page{where} and mark the failure reviewed once "
        "it is resolved"
    )
    return comment[:DIARY_COMMENT_LENGTH]
