"""`((placeholders))` in template bodies and subjects, filled as Notify fills them (B.7).

Keys match ignoring case, spaces, underscores and hyphens, so `First_Name`, `first name` and
`first-name` all fill `((first name))`. `((name??text))` shows `text` when the value is a yes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_PLACEHOLDER = re.compile(r"\(\(([^()]+)\)\)")
_KEY_NOISE = str.maketrans("", "", " _-")
# Values that show a conditional placeholder's text (notifications-utils' yes words).
_YES = {"yes", "y", "true", "t", "1", "include", "show"}


def normalise_key(key: str) -> str:
    return key.translate(_KEY_NOISE).lower()


def _name(inner: str) -> str:
    return inner.split("??", 1)[0].strip()


def placeholder_names(*texts: str | None) -> list[str]:
    """Placeholders as written, in order of first appearance, one per normalised key."""
    seen: dict[str, str] = {}
    for text in texts:
        for match in _PLACEHOLDER.finditer(text or ""):
            name = _name(match.group(1))
            seen.setdefault(normalise_key(name), name)
    return list(seen.values())


def insensitive(values: Mapping[str, object]) -> dict[str, object]:
    return {normalise_key(key): value for key, value in values.items()}


def missing_placeholders(texts: Iterable[str | None], values: Mapping[str, object]) -> list[str]:
    known = insensitive(values)
    return [
        name
        for name in placeholder_names(*texts)
        if known.get(normalise_key(name)) is None  # Notify treats null as not given.
    ]


def _as_text(value: object, *, markdown_lists: bool) -> str:
    if isinstance(value, list):
        items = [str(item) for item in value if item not in (None, "")]
        if markdown_lists:
            return "\n\n" + "\n".join(f"* {item}" for item in items) + "\n"
        if len(items) > 1:
            return ", ".join(items[:-1]) + " and " + items[-1]
        return "".join(items)
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def render(text: str | None, values: Mapping[str, object], *, markdown_lists: bool = False) -> str:
    """Fill every placeholder; callers check `missing_placeholders` first."""
    known = insensitive(values)

    def fill(match: re.Match[str]) -> str:
        inner = match.group(1)
        value = known.get(normalise_key(_name(inner)))
        if "??" in inner:
            return inner.split("??", 1)[1] if str(value).lower() in _YES else ""
        return _as_text(value, markdown_lists=markdown_lists)

    return _PLACEHOLDER.sub(fill, text or "")
