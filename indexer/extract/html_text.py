"""Visible text of an HTML page (stdlib :mod:`html.parser`, no dependency).

Block elements (``p``, ``div``, headings, lists, tables …) become paragraphs, list items, table
rows, ``br`` and ``dt``/``dd`` line breaks; table cells are separated by a space. Scripts, styles,
the ``head``, ``nav``\\ igation, forms' option lists and elements hidden with ``hidden``,
``aria-hidden="true"`` or an inline ``display:none`` / ``visibility:hidden`` are dropped. Entities
are decoded by the parser. ``pre`` keeps its line breaks. An HTML file is one page.
"""

from __future__ import annotations

import codecs
import os
import re
from html.parser import HTMLParser
from pathlib import Path

from corpora.model import Page

from .cleanup import clean_text
from .errors import ExtractionError
from .extraction import Extraction

# Elements whose whole content is invisible (or navigation, not document text).
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe",
                   "object", "canvas", "select", "datalist", "nav", "button"})
# Elements that start and end a paragraph.
_PARAGRAPH = frozenset({
    "p", "div", "section", "article", "main", "aside", "header", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "ul", "ol", "dl", "table", "blockquote", "pre", "form", "fieldset", "address", "figure",
    "figcaption", "hr", "caption", "center", "details", "summary", "body", "html", "legend",
})
# Elements that start and end a line.
_LINE = frozenset({"li", "tr", "dt", "dd", "br", "option", "label"})
_CELL = frozenset({"td", "th"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param",
                   "source", "track", "wbr"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.pending = 0          # 0: nothing, 1: line break, 2: paragraph break
        self.skip_tag: str | None = None
        self.skip_depth = 0
        self.pre = 0

    # -- structure -------------------------------------------------------------------------
    def _break(self, level: int) -> None:
        self.pending = max(self.pending, level)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag and tag not in _VOID:
                self.skip_depth += 1
            return
        if tag in _SKIP or _is_hidden(attrs):
            if tag not in _VOID:
                self.skip_tag, self.skip_depth = tag, 1
            return
        self._open_or_close(tag)
        if tag == "pre":
            self.pre += 1
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and alt.strip():
                self.handle_data(f" {alt.strip()} ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # "<br/>", "<img … />", "<div/>": nothing to skip or close later
        if self.skip_tag is not None or tag in _SKIP or _is_hidden(attrs):
            return
        self._open_or_close(tag)
        alt = dict(attrs).get("alt") if tag == "img" else None
        if alt and alt.strip():
            self.handle_data(f" {alt.strip()} ")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if self.skip_depth == 0:
                    self.skip_tag = None
            return
        self._open_or_close(tag)
        if tag == "pre" and self.pre:
            self.pre -= 1

    def _open_or_close(self, tag: str) -> None:
        if tag in _PARAGRAPH:
            self._break(2)
        elif tag in _LINE:
            self._break(1)
        elif tag in _CELL:
            self.parts.append(" ")

    # -- text ------------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.skip_tag is not None or not data:
            return
        if self.pre:
            text = data.replace("\r\n", "\n")
        else:
            text = _SPACE.sub(" ", data)
            if not text.strip():
                if self.parts and not self.parts[-1].endswith((" ", "\n")):
                    self.parts.append(" ")
                return
        if self.pending and any(p.strip() for p in self.parts):
            self.parts.append("\n\n" if self.pending == 2 else "\n")
            text = text.lstrip(" ")
        elif self.pending:
            text = text.lstrip(" ")
        self.pending = 0
        self.parts.append(text)

    def text(self) -> str:
        lines = [line.strip() for line in "".join(self.parts).split("\n")]
        return "\n".join(lines)


def _is_hidden(attrs: list[tuple[str, str | None]]) -> bool:
    for name, value in attrs:
        if name == "hidden":
            return True
        if name == "aria-hidden" and (value or "").strip().lower() == "true":
            return True
        if name == "style" and value and _HIDDEN_STYLE.search(value):
            return True
    return False


def html_to_text(markup: str) -> str:
    """The visible text of an HTML document, paragraphs separated by a blank line."""
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    return clean_text(parser.text())


def decode_html(data: bytes, declared: str | None = None) -> str:
    """HTML bytes as text: a byte-order mark, else the ``charset`` declared by the server
    (``declared``), else a ``<meta charset>`` in the first 4 KB, else UTF-8, else Windows-1252."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    candidates = []
    if declared:
        candidates.append(declared)
    match = _META_CHARSET.search(data[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore"))
    candidates += ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            codecs.lookup(encoding)
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def extract_html(path: str | os.PathLike, *, charset: str | None = None) -> Extraction:
    """The visible text of the HTML file at ``path`` as one page (see module doc)."""
    path = Path(path)
    data = _read(path)
    text = html_to_text(decode_html(data, charset))
    return Extraction(pages=(Page(number=1, text=text),), text_source="html")


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ExtractionError(f"{path}: no such file", reason="broken") from exc
    except OSError as exc:
        raise ExtractionError(f"{path}: cannot be read: {exc}", reason="broken") from exc
    if not data:
        raise ExtractionError(f"{path.name}: the file is empty", reason="empty_file")
    return data
