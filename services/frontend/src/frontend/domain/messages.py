"""Texts and emails from a case: who they can go to (the case's contacts, or a number or
address typed in), and the template's `((placeholders))` filled from the case where it knows
the answer. The message itself is rendered by `ma_shared.personalisation`, the rule comms-api
renders it with, so the preview is what the tenant reads."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

from frontend.domain.formatting import money
from ma_shared.personalisation import placeholder_key
from ma_shared.recipients import InvalidRecipient, email_address, uk_mobile_e164

if TYPE_CHECKING:
    from frontend.gateways.income_api import Case

Channel = Literal["sms", "email"]
# The recipient radio's value for "someone else": the typed number or address is used.
OTHER: Final = "other"


@dataclass(frozen=True)
class ChannelWords:
    noun: str  # "text message"
    a_noun: str  # "a text message"
    recipient: str  # "mobile phone number"
    other: str  # the "someone else" choice


CHANNELS: Final[dict[Channel, ChannelWords]] = {
    "sms": ChannelWords(
        "text message", "a text message", "mobile phone number", "Another mobile phone number"
    ),
    "email": ChannelWords("email", "an email", "email address", "Another email address"),
}

_PHONES = (("mobile_phone", "Mobile"), ("home_phone", "Home phone"), ("work_phone", "Work phone"))


@dataclass(frozen=True)
class RecipientChoice:
    value: str  # as comms-api will send to it: E.164, or the address
    text: str  # as UH holds it
    hint: str  # whose it is


def _normaliser(channel: Channel) -> Callable[[str], str]:
    return uk_mobile_e164 if channel == "sms" else email_address


def recipient_choices(channel: Channel, contacts: Mapping[str, Any]) -> list[RecipientChoice]:
    """The case's numbers that can take a text (UK mobiles: UH's other numbers cannot), or its
    email addresses, each once."""
    normalise = _normaliser(channel)
    found: dict[str, RecipientChoice] = {}
    for contact in contacts.get("contacts") or []:
        fields = _PHONES if channel == "sms" else (("email_address", "Email"),)
        for key, kind in fields:
            written = contact.get(key)
            if not written:
                continue
            try:
                value = normalise(str(written))
            except InvalidRecipient:
                continue
            whose = contact.get("name")
            found.setdefault(
                value, RecipientChoice(value, str(written), f"{kind}, {whose}" if whose else kind)
            )
    return list(found.values())


def chosen_recipient(channel: Channel, choice: str, typed: str) -> str:
    """The recipient chosen on the form, checked as comms-api will check it; `InvalidRecipient`
    says what is wrong with a typed one."""
    if choice == OTHER:
        if not typed.strip():
            raise InvalidRecipient(f"Enter a {CHANNELS[channel].recipient}.")
        return _normaliser(channel)(typed)
    return _normaliser(channel)(choice)


def _tenant(case: Case) -> Mapping[str, Any]:
    contacts = case.uh.contacts if case.uh else {}
    members = contacts.get("responsible_members") or []
    return members[0] if members else {}


def known_values(case: Case) -> dict[str, str]:
    """What the case can fill in, by Notify's placeholder key (case, spaces, `_` and `-`
    ignored), so `((Balance))` and `((first_name))` find theirs."""
    tenant = _tenant(case)
    title, forename, surname = (
        tenant.get("title") or "",
        tenant.get("forename") or "",
        tenant.get("surname") or "",
    )
    values = {
        "balance": money(case.balance),
        "tenancy ref": case.tenancy_ref,
        "tenancy reference": case.tenancy_ref,
        "payment ref": case.payment_ref or "",
        "payment reference": case.payment_ref or "",
        "title": title,
        "first name": forename,
        "last name": surname,
        "full name": tenant.get("full_name") or case.lessee or "",
        "formal name": " ".join(part for part in (title, surname) if part),
    }
    return {placeholder_key(name): value for name, value in values.items() if value}


def prefilled(names: Iterable[str], case: Case) -> dict[str, str]:
    """A value for each of a template's placeholders the case knows."""
    known = known_values(case)
    return {name: known[placeholder_key(name)] for name in names if placeholder_key(name) in known}


def is_long_text(name: str) -> bool:
    """A placeholder that holds the message itself gets a text area."""
    return placeholder_key(name) in {"message", "body", "content"}
