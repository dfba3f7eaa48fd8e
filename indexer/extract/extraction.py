"""The result of extracting one file: its pages and how they were obtained."""

from __future__ import annotations

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
