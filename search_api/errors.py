"""Errors of the search layer and their one shape on the wire: RFC 9457 problem details.

Every error a client can see is built by :func:`problem` and served as
``application/problem+json``: ``{"type", "title", "status", "detail", "param"?}``. Nothing else
(no traceback, no path) leaves the server.
"""

from __future__ import annotations

from typing import Any

from corpora.errors import RatsucheError


class ApiError(RatsucheError):
    status = 500
    title = "Internal error"
    reason = "internal"

    def __init__(self, message: str, *, param: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.param = param


class BadRequest(ApiError):
    status = 400
    title = "Bad request"
    reason = "bad_request"


class NotFound(ApiError):
    status = 404
    title = "Not found"
    reason = "not_found"


class Unavailable(ApiError):
    status = 503
    title = "Service unavailable"
    reason = "unavailable"


def problem(status: int, title: str, detail: str, *, param: str | None = None, reason: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"https://ratsuche.example/problems/{reason or title.lower().replace(' ', '-')}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if param:
        body["param"] = param
    return body
