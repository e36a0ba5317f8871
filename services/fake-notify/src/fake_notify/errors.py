"""Notify's v2 error body, `{"status_code": N, "errors": [{"error": type, "message": text}]}`.

The official client hands `errors` to its caller as `HTTPError.message`, so the type names and
texts here are Notify's own (the domain notes, B.4), not this project's error shape.
"""

from __future__ import annotations

from typing import Any


class NotifyError(Exception):
    def __init__(self, status_code: int, errors: list[tuple[str, str]]) -> None:
        super().__init__(errors[0][1])
        self.status_code = status_code
        self.errors = errors

    def body(self) -> dict[str, Any]:
        return {
            "status_code": self.status_code,
            "errors": [{"error": error, "message": message} for error, message in self.errors],
        }


def bad_request(message: str, status_code: int = 400) -> NotifyError:
    return NotifyError(status_code, [("BadRequestError", message)])


def validation_error(message: str) -> NotifyError:
    return NotifyError(400, [("ValidationError", message)])


def auth_error(message: str, status_code: int = 403) -> NotifyError:
    return NotifyError(status_code, [("AuthError", message)])


def no_result_found() -> NotifyError:
    return NotifyError(404, [("NoResultFound", "No result found")])
