"""GOV.UK Notify's `((placeholder))` rules (frontend-and-notify B.7), in one place: comms-api
refuses a message missing a field before anything is sent, and the caseworkers' app previews a
message exactly as comms-api will render it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_PLACEHOLDER = re.compile(r"\(\(([^()]+?)(\?\?[^()]*)?\)\)")


def placeholder_key(name: str) -> str:
    """What Notify matches a personalisation key by: case, spaces, underscores and hyphens
    are ignored."""
    return re.sub(r"[\s_\-]", "", name).lower()


def placeholders(*texts: str | None) -> list[str]:
    """The placeholders a template needs, in order of first appearance."""
    seen: dict[str, str] = {}
    for text in texts:
        for match in _PLACEHOLDER.finditer(text or ""):
            if match.group(2):
                continue  # ((name??text)) is a conditional: optional
            seen.setdefault(placeholder_key(match.group(1)), match.group(1).strip())
    return list(seen.values())


def missing(needed: list[str], personalisation: Mapping[str, Any]) -> list[str]:
    given = {
        placeholder_key(k) for k, v in personalisation.items() if v is not None and str(v) != ""
    }
    return [name for name in needed if placeholder_key(name) not in given]


def render(text: str | None, personalisation: Mapping[str, Any]) -> str:
    values = {placeholder_key(k): v for k, v in personalisation.items()}

    def fill(match: re.Match[str]) -> str:
        key = placeholder_key(match.group(1))
        if match.group(2):
            return match.group(2)[2:] if values.get(key) else ""
        return str(values.get(key, match.group(0)))

    return _PLACEHOLDER.sub(fill, text or "")
