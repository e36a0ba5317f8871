"""Form errors, the GOV.UK way: an error summary at the top of the page linking to each field,
and the message again above the field. A page's route builds `FormErrors` from its own checks
or from an API's 422 (`FormErrors.from_api`), and re-renders the form with what was entered,
status 400.

In a template (see `templates/macros/forms.html`):

    {% from "macros/forms.html" import error_summary %}
    {{ error_summary(errors) }}
    {{ govukInput({"name": "comment", "id": "comment", ...,
                   "errorMessage": errors.message("comment")}) }}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from frontend.gateways.errors import InvalidInput


@dataclass
class FormErrors:
    """Messages by form field, in the order the fields appear on the page."""

    by_field: dict[str, str] = field(default_factory=dict)
    # Messages that belong to no one field (shown in the summary only).
    general: list[str] = field(default_factory=list)
    # Where a field's summary link goes when that is not the field's name: a date input's
    # first box in error (`until-day`), as GOV.UK's date input asks.
    targets: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str, *, target: str | None = None) -> None:
        self.by_field.setdefault(name, message)
        if target:
            self.targets.setdefault(name, target)

    def message(self, name: str) -> dict[str, str] | None:
        """The `errorMessage` parameter of a GOV.UK macro for this field."""
        text = self.by_field.get(name)
        return {"text": text} if text else None

    @property
    def summary(self) -> list[dict[str, str]]:
        """The `errorList` of the GOV.UK error summary: each links to its field's id (our
        templates give a field the id of its name)."""
        return [
            {"text": t, "href": f"#{self.targets.get(n, n)}"} for n, t in self.by_field.items()
        ] + [{"text": t} for t in self.general]

    def __bool__(self) -> bool:
        return bool(self.by_field or self.general)

    @classmethod
    def from_api(cls, problem: InvalidInput, fields: Mapping[str, str]) -> FormErrors:
        """An API's 422: each detail whose API field is in `fields` (API name → form field)
        goes by that field; the rest go in the summary."""
        errors = cls()
        for item in problem.problems:
            name = fields.get(item.field or "")
            if name:
                errors.add(name, item.message)
            else:
                errors.general.append(item.message)
        if not errors:
            errors.general.append(problem.message)
        return errors
