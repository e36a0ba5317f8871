"""What can go wrong when a page calls an API, in the terms a page acts on. `web/errors.py`
turns each into a page (sign-in, "not allowed", "not found", "service unavailable"); a form
catches `InvalidInput` and shows its field errors."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """One of an API's 422 `details`: `field` is the API's name for the input."""

    field: str | None
    message: str
    # The API's code for the problem (e.g. `missing`), when it gives one.
    code: str | None = None


class ApiProblem(Exception):
    status_code = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SignInRequired(ApiProblem):
    """The API refused the token (expired, or signed with another secret): sign in again."""

    status_code = 401


class NotAllowed(ApiProblem):
    status_code = 403


class NotFound(ApiProblem):
    status_code = 404


class Conflict(ApiProblem):
    """The change clashes with the case's state (e.g. an active formal agreement)."""

    status_code = 409


class InvalidInput(ApiProblem):
    status_code = 422

    def __init__(self, message: str, problems: list[FieldProblem]) -> None:
        super().__init__(message)
        self.problems = problems


class ServiceUnavailable(ApiProblem):
    """The API cannot be reached, failed (5xx), or answered something we cannot read."""

    status_code = 503

    def __init__(self, service: str) -> None:
        super().__init__(f"{service} is not available.")
        self.service = service
