"""The app's addresses for a case. A tenancy reference has a slash (`012345/01`) and goes in
the path as it is: `/cases/012345/01`, `/cases/012345/01/pause`. Routes match it with the
`tenancy_ref` convertor, which takes only a well-formed reference, so a case's sub-pages can
be declared in any order and anything else is a plain 404."""

from __future__ import annotations

from typing import Final

from starlette.convertors import Convertor, register_url_convertor

from ma_shared.references import TENANCY_REF_PATTERN

# The case's action pages; the case page links to each one its viewer may take.
CASE_ACTIONS: Final[dict[str, str]] = {
    "pause": "Pause case",
    "diary/new": "Add an action diary entry",
    "nosp": "Record a NOSP",
    "contacts": "Change contact details",
    "agreements/new": "Make an agreement",
    "court-cases/new": "Add a court case",
    "evictions/new": "Add an eviction date",
    "vulnerabilities/new": "Record a vulnerability",
    "sms": "Send a text message",
    "email": "Send an email",
    "letters/new": "Send a letter",
}


class TenancyRefConvertor(Convertor[str]):
    regex = TENANCY_REF_PATTERN.strip("^$")

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("tenancy_ref", TenancyRefConvertor())


def case_url(tenancy_ref: str, action: str = "") -> str:
    return f"/cases/{tenancy_ref}/{action}" if action else f"/cases/{tenancy_ref}"
