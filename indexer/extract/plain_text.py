"""Plain text files: decoded, cleaned, de-hyphenated, split into pages at form feeds."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from corpora.model import Page

from .cleanup import clean_text
from .extraction import Extraction, read_input
from .hyphenation import dehyphenate


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """``(text, encoding)``: a byte-order mark, else the declared charset, else UTF-8, else
    Windows-1252 (German texts from Windows tools), else Latin-1 (which decodes any byte)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    for encoding in ([declared] if declared else []) + ["utf-8", "cp1252"]:
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1"), "latin-1"


def text_pages(text: str) -> list[str]:
    """A text's pages: split at form feeds (``\\f``), each cleaned and de-hyphenated; a form feed
    at the very end does not open an empty last page. Lines are kept as they are (a text file
    has no geometry to tell a wrap from a deliberate break)."""
    pieces = text.split("\f")
    if len(pieces) > 1 and not pieces[-1].strip():
        pieces.pop()
    return [dehyphenate(clean_text(piece)) for piece in pieces]


def extract_text_file(path: str | os.PathLike, *, charset: str | None = None) -> Extraction:
    """The text file at ``path``, one page per form-feed-separated part (see :func:`text_pages`)."""
    data = read_input(path)
    text, encoding = decode_text(data, charset)
    warnings = () if encoding.startswith("utf") else (f"decoded as {encoding}",)
    pages = tuple(Page(number=i, text=t) for i, t in enumerate(text_pages(text), start=1))
    return Extraction(pages=pages, text_source="txt", warnings=warnings)
