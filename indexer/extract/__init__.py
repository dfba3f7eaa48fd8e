"""Text extraction, page by page: PDF (pdfminer.six; OCR with Tesseract for pages without a text
layer), HTML (visible text) and plain text; in-process or in worker processes with a time and
memory limit per file. See docs/extraction.md."""

from .dispatch import extract_file
from .errors import ExtractionError
from .extraction import Extraction
from .html_text import extract_html
from .isolation import ExtractionPool, extract_file_isolated
from .pdf import extract_pdf
from .plain_text import extract_text_file

__all__ = [
    "Extraction", "ExtractionError", "ExtractionPool", "extract_file", "extract_file_isolated",
    "extract_html", "extract_pdf", "extract_text_file",
]
