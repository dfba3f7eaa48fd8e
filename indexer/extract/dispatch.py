"""Which extractor reads a file: by its mime type, else its name's extension, else its first bytes."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ExtractionError
from .extraction import Extraction
from .html_text import extract_html
from .pdf import extract_pdf
from .plain_text import extract_text_file

# Mime types as servers send them, vendor quirks included (OParl servers write "pdf", "PDF" …).
_KINDS = {
    "application/pdf": "pdf", "application/x-pdf": "pdf", "application/acrobat": "pdf",
    "applications/vnd.pdf": "pdf", "text/pdf": "pdf", "text/x-pdf": "pdf", "pdf": "pdf",
    "text/html": "html", "application/xhtml+xml": "html", "html": "html", "htm": "html",
    "text/plain": "txt", "txt": "txt", "text": "txt",
}
_EXTENSIONS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "txt", ".text": "txt"}
#: the kinds :func:`extract_file` reads
KINDS = ("pdf", "html", "txt")


def file_kind(path: str | os.PathLike, mime_type: str | None = None) -> tuple[str, str | None]:
    """``(kind, charset)`` of a file: "pdf", "html" or "txt", with the charset the mime type
    declares (``text/html; charset=iso-8859-1``). Raises ``ExtractionError(unsupported_type)``."""
    charset = None
    if mime_type:
        base, _, params = mime_type.partition(";")
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                charset = value.strip().strip("\"'")
        kind = _KINDS.get(base.strip().lower())
        if kind:
            return kind, charset
    path = Path(path)
    kind = _EXTENSIONS.get(path.suffix.lower())
    if kind:
        return kind, charset
    kind = _sniff(path)
    if kind:
        return kind, charset
    raise ExtractionError(f"{path.name}: cannot tell what kind of file this is "
                          f"(mime type {mime_type!r})", reason="unsupported_type")


def _sniff(path: Path) -> str | None:
    try:
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError:
        return None
    if b"%PDF-" in head[:1024]:
        return "pdf"
    low = head.lstrip().lower()
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low[:512]:
        return "html"
    if not head:
        return "txt"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the end of the sample
            return None
    return "txt" if b"\x00" not in head else None


def extract_file(path: str | os.PathLike, mime_type: str | None = None, *, ocr: str = "auto") -> Extraction:
    """The text of a PDF, HTML or text file, chosen by ``mime_type``, else by extension, else by
    content. A file declared a PDF that is not one raises ``ExtractionError(not_a_pdf)``."""
    kind, charset = file_kind(path, mime_type)
    if kind == "pdf":
        return extract_pdf(path, ocr=ocr)
    if kind == "html":
        return extract_html(path, charset=charset)
    return extract_text_file(path, charset=charset)
