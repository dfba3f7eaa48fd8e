"""Extraction of HTML files: the visible text (:mod:`corpora.html`, the one HTML parser of the
project) cleaned like every extracted text. An HTML file is one page."""

from __future__ import annotations

import os

from corpora.html import decode_html
from corpora.html import html_to_text as _visible
from corpora.model import Page

from .cleanup import clean_text
from .extraction import Extraction, read_input

__all__ = ["decode_html", "extract_html", "html_to_text"]


def html_to_text(markup: str) -> str:
    """The visible text of an HTML document, paragraphs separated by a blank line."""
    return clean_text(_visible(markup).text)


def extract_html(path: str | os.PathLike, *, charset: str | None = None) -> Extraction:
    """The visible text of the HTML file at ``path`` as one page (see module doc)."""
    text = html_to_text(decode_html(read_input(path), charset))
    return Extraction(pages=(Page(number=1, text=text),), text_source="html")
