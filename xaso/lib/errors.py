"""The one app-level exception family. The API turns each into the documented error shape
(``docs/api.md``); views turn them into pages with the same message."""

from __future__ import annotations


class XasoError(Exception):
    """A domain error with a stable machine code, a human message and an HTTP status."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class NotFound(XasoError):
    status = 404
    code = "not_found"


class Forbidden(XasoError):
    status = 403
    code = "forbidden"


class Conflict(XasoError):
    status = 409
    code = "conflict"


class InvalidInput(XasoError):
    status = 422
    code = "invalid"
