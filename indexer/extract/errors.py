"""Errors of text extraction: one file could not be turned into text.

An :class:`ExtractionError` is an :class:`corpora.errors.ItemError`: ingestion records it with its
``reason`` and goes on with the next file. The reasons:

========== ================================================================================
reason     meaning
========== ================================================================================
empty_file the file has zero bytes
not_a_pdf  the file is declared a PDF but does not start like one (often an HTML error page)
encrypted  the PDF needs a password (or uses an encryption pdfminer cannot undo)
truncated  the PDF ends early (no ``%%EOF`` marker) and cannot be read
broken     the file cannot be parsed (damaged structure, garbage bytes, every page failing)
no_pages   the PDF is readable but has no pages
unsupported_type  neither the mime type nor the file name says PDF, HTML or text
timeout    the isolated extraction ran past its wall-clock limit
memory     the isolated extraction ran out of its address-space limit
crashed    the isolated worker process died without an answer (a signal, a crash in C code)
========== ================================================================================
"""

from __future__ import annotations

from corpora.errors import ItemError

REASONS = frozenset({
    "empty_file", "not_a_pdf", "encrypted", "truncated", "broken", "no_pages", "unsupported_type",
    "timeout", "memory", "crashed",
})


class ExtractionError(ItemError):
    """A file's text could not be extracted; ``reason`` says why in one word (see module doc)."""

    reason = "broken"

    def __init__(self, message: str, *, reason: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, reason=reason, hint=hint)

    def __reduce__(self):  # keep reason and hint when pickled across the worker pipe
        return (_rebuild, (str(self), self.reason, self.hint))


def _rebuild(message: str, reason: str, hint: str | None) -> ExtractionError:
    return ExtractionError(message, reason=reason, hint=hint)
