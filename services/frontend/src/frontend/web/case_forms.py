"""What every form on a case's action pages shares (the pattern of docs/frontend.md "Forms"):

* `CaseForm.blank()` when the page is shown, with a new idempotency key in a hidden field, so
  a double submit or a retry of the post repeats the key and income-api writes once;
* `await CaseForm.posted(request)` on the post: the values as typed, read with the checks of
  `domain/form_input.py` (`form.date(...)`, `form.money(...)`, `form.text(...)`), each problem
  becoming a field error; `form.refused(problem, fields)` adds income-api's 422 the same way;
* `render(...)` shows the page again with what was entered and the errors, status 400;
* success is `flash_redirect(...)` back to the case, which confirms what was done.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from fastapi import Request
from fastapi.responses import Response

from frontend.domain.form_input import (
    DATE_PARTS,
    DateEntered,
    InputProblem,
    When,
    read_date,
    read_money,
    read_time,
)
from frontend.domain.formatting import today_in_london
from frontend.domain.roles import can_act
from frontend.gateways.errors import InvalidInput, NotAllowed, NotFound
from frontend.gateways.income_api import Case
from frontend.web.deps import Templates
from frontend.web.forms import FormErrors
from ma_shared.auth import User
from ma_shared.vocabulary import ServiceArea

IDEMPOTENCY_FIELD: Final = "idempotency_key"
# What income-api accepts as an Idempotency-Key.
_KEY: Final = re.compile(r"^[\x21-\x7e]{8,200}$")


def require_writer(user: User) -> None:
    if not can_act(user):
        raise NotAllowed("Your account can look at cases but not change anything.")


def require_rent(case: Case, what: str) -> None:
    """NOSPs, court cases and evictions belong to tenancies, not to leaseholders' accounts."""
    if case.service_area is not ServiceArea.RENT:
        raise NotFound(f"Leasehold accounts have no {what}.")


@dataclass
class CaseForm:
    values: dict[str, str] = field(default_factory=dict)
    errors: FormErrors = field(default_factory=FormErrors)
    today: dt.date = field(default_factory=today_in_london)
    # The date inputs read so far, and the boxes of each to highlight.
    date_fields: set[str] = field(default_factory=set)
    date_problems: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def blank(cls, **values: str) -> CaseForm:
        return cls(values={IDEMPOTENCY_FIELD: str(uuid.uuid4()), **values})

    @classmethod
    async def posted(cls, request: Request) -> CaseForm:
        form = await request.form()
        values = {name: value.strip() for name, value in form.items() if isinstance(value, str)}
        if not _KEY.match(values.get(IDEMPOTENCY_FIELD, "")):
            # Only a page that is not ours posts without one; it gets no protection from repeats.
            values[IDEMPOTENCY_FIELD] = str(uuid.uuid4())
        return cls(values=values)

    @property
    def key(self) -> str:
        return self.values[IDEMPOTENCY_FIELD]

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def set_date(self, name: str, day: dt.date | None) -> None:
        entered = DateEntered.of(day)
        for part in DATE_PARTS:
            self.values[f"{name}-{part}"] = entered.part(part)

    def _problem(self, name: str, problem: InputProblem) -> None:
        target = (
            f"{name}-{problem.parts[0]}" if name in self.date_fields and problem.parts else None
        )
        self.errors.add(name, problem.message, target=target)
        if name in self.date_fields:
            self.date_problems.setdefault(name, problem.parts)

    def date(
        self, name: str, *, what: str, when: When = When.ANY, required: bool = True
    ) -> dt.date | None:
        self.date_fields.add(name)
        entered = DateEntered(*(self.value(f"{name}-{part}") for part in DATE_PARTS))
        try:
            return read_date(entered, what=what, today=self.today, when=when, required=required)
        except InputProblem as problem:
            self._problem(name, problem)
            return None

    def time(self, name: str, *, what: str) -> dt.time | None:
        try:
            return read_time(self.value(name), what=what)
        except InputProblem as problem:
            self._problem(name, problem)
            return None

    def money(self, name: str, *, what: str, required: bool = True) -> Decimal | None:
        try:
            return read_money(self.value(name), what=what, required=required)
        except InputProblem as problem:
            self._problem(name, problem)
            return None

    def text(self, name: str, *, what: str, max_length: int, required: bool = True) -> str:
        text = self.value(name)
        if required and not text:
            self.errors.add(name, f"Enter {what}")
        elif len(text) > max_length:
            self.errors.add(
                name, f"{what[:1].upper()}{what[1:]} must be {max_length:,} characters or fewer"
            )
        return text

    def choice(self, name: str, options: Iterable[str], *, message: str) -> str:
        chosen = self.value(name)
        if chosen not in set(options):
            self.errors.add(name, message)
            return ""
        return chosen

    def refused(self, problem: InvalidInput, fields: Mapping[str, str]) -> None:
        """income-api's 422: each detail by its form field (`fields`: API name → form name),
        the rest in the summary."""
        from_api = FormErrors.from_api(problem, fields)
        for name, message in from_api.by_field.items():
            self._problem(name, InputProblem(message))
        self.errors.general.extend(from_api.general)

    def date_items(self, name: str) -> list[dict[str, Any]]:
        """The `items` of `govukDateInput`: as typed, the boxes in error highlighted."""
        widths = {"day": 2, "month": 2, "year": 4}
        wrong = self.date_problems.get(name, ())
        return [
            {
                "name": part,
                "value": self.value(f"{name}-{part}"),
                "classes": f"govuk-input--width-{widths[part]}"
                + (" govuk-input--error" if part in wrong else ""),
            }
            for part in DATE_PARTS
        ]


def render(
    request: Request,
    templates: Templates,
    template: str,
    *,
    title: str,
    case: Case,
    form: CaseForm,
    status_code: int | None = None,
    **context: Any,
) -> Response:
    """An action page: 400 when the form has errors."""
    response: Response = templates.TemplateResponse(
        request,
        template,
        {"title": title, "case": case, "form": form, "errors": form.errors, **context},
        status_code=status_code or (400 if form.errors else 200),
    )
    return response
