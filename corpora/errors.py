"""Errors of the corpora layer, and the root of every Ratsuche error.

Each package has its own hierarchy under :class:`RatsucheError`; the API maps them to
``application/problem+json`` in one place, the CLI to a one-line message with a hint.
"""

from __future__ import annotations


class RatsucheError(Exception):
    """Root of every error Ratsuche raises on purpose."""

    #: a short machine-readable reason (``"encrypted"``, ``"timeout"``, ``"not_found"`` …)
    reason: str = "error"

    def __init__(self, message: str, *, reason: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason
        self.hint = hint


class SettingsError(RatsucheError):
    reason = "bad_setting"


class SourceError(RatsucheError):
    """A source cannot be read at all (missing folder, unknown kind, unreachable server)."""

    reason = "bad_source"


class ItemError(RatsucheError):
    """One item of a source cannot be read; it is recorded and skipped, never fatal to the run."""

    reason = "bad_item"


class FetchError(ItemError):
    """An HTTP request failed after its retries, or its answer broke a limit."""

    reason = "fetch_failed"
