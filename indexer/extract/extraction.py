"""The result of extracting one file: its pages and how they were obtained."""

from __future__ import annotations

import os
from pathlib import Path

from dataclasses import dataclass

from corpora.model import Page


@dataclass(frozen=True)
class Extraction:
    """The text of one file, page by page.

    ``pages`` are numbered from 1, one per PDF page (an HTML or text file without page breaks is one
    page); a page's text may be empty. ``needs_ocr`` is true when some page has no text layer and
    could not be OCR'd (OCR off, or Tesseract/pdftoppm not installed); ``ocr_pages`` lists the
    pages whose text came from OCR. ``text_source`` is ``"pdf"``, ``"ocr"`` (some page was OCR'd),
    ``"html"`` or ``"txt"``. ``warnings`` are short notes on what went wrong without failing
    (a page that could not be parsed, an OCR run that timed out …).
    """

    pages: tuple[Page, ...]
    needs_ocr: bool = False
    ocr_pages: tuple[int, ...] = ()
    text_source: str = "pdf"
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """All pages' text, pages separated by a blank line."""
        return "\n\n".join(p.text for p in self.pages if p.text)


def read_input(path: str | os.PathLike) -> bytes:
    """The bytes of a file to extract; a missing, unreadable or empty file is an ExtractionError."""
    from .errors import ExtractionError

    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ExtractionError(f"{path}: no such file", reason="broken") from exc
    except OSError as exc:
        raise ExtractionError(f"{path}: cannot be read: {exc}", reason="broken") from exc
    if not data:
        raise ExtractionError(f"{path.name}: the file is empty", reason="empty_file")
    return data
