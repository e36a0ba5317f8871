"""Writes to UH on behalf of a caller: who the diary says did it, what the NOSP's dates are,
and the gateway call."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from ma_shared.auth import User
from ma_shared.errors import ValidationFailed
from uh_gateway.domain.codes import NOSP_SERVED_CODE
from uh_gateway.domain.models import Contact
from uh_gateway.domain.validation import uh_username
from uh_gateway.gateways.idempotency import uh_reference_for_key
from uh_gateway.gateways.uh_writes import ContactChanges, DiaryWrite, NewDiaryEntry, UhWrites

SYSTEM_USERNAME = "MANAGE ARREARS SYSTEM"
# A NOSP on a secure tenancy gives at least 28 days' notice before proceedings can begin.
DEFAULT_NOSP_NOTICE = relativedelta(days=28)


def diary_username(user: User, requested: str | None) -> str:
    """Caseworkers write in their own name. Only a service may name someone else (comms-api
    writing for the caseworker who sent a letter); automated work is the system's."""
    if user.is_service:
        return uh_username(requested or SYSTEM_USERNAME)
    if requested and requested != user.name:
        raise ValidationFailed(
            "Only a service may write a diary entry in someone else's name.",
            code="username_not_allowed",
        )
    return uh_username(user.name)


def add_action_diary_entry(
    *,
    writes: UhWrites,
    user: User,
    tenancy_ref: str,
    action_code: str,
    comment: str,
    username: str | None,
    idempotency_key: str,
) -> DiaryWrite:
    return writes.add_diary_entry(
        NewDiaryEntry(
            tenancy_ref=tenancy_ref,
            action_code=action_code,
            comment=comment,
            username=diary_username(user, username),
            uh_reference=uh_reference_for_key(idempotency_key),
        )
    )


def record_nosp(
    *,
    writes: UhWrites,
    user: User,
    tenancy_ref: str,
    served_date: dt.date,
    expiry_date: dt.date | None,
    comment: str | None,
    username: str | None,
    idempotency_key: str,
) -> tuple[dt.date, DiaryWrite]:
    expiry = expiry_date or served_date + DEFAULT_NOSP_NOTICE
    note = f"NOSP served on {served_date:%d/%m/%Y}, expires {expiry:%d/%m/%Y}."
    written = writes.record_nosp(
        tenancy_ref=tenancy_ref,
        served_date=served_date,
        expiry_date=expiry,
        diary=NewDiaryEntry(
            tenancy_ref=tenancy_ref,
            action_code=NOSP_SERVED_CODE,
            comment=f"{note} {comment}" if comment else note,
            username=diary_username(user, username),
            uh_reference=uh_reference_for_key(idempotency_key),
        ),
    )
    return expiry, written


def update_contact(
    *, writes: UhWrites, tenancy_ref: str, contact_id: int, changes: ContactChanges
) -> Contact:
    return writes.update_contact(tenancy_ref, contact_id, changes)
