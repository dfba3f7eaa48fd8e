"""HTML to text with the stdlib parser: the one implementation, for readers and extraction alike.

Block elements (``p``, ``div``, headings, lists, tables …) become paragraphs; list items, table
rows, ``br`` and ``dt``/``dd`` become line breaks; table cells are separated by ``cells`` (a space
for reading, a tab where the ALLRIS/SessionNet reader needs the label/value structure of rows).
Scripts, styles, the ``head``, navigation, footers of the site, forms' option lists and elements
hidden with ``hidden``, ``aria-hidden="true"`` or an inline ``display:none``/``visibility:hidden``
are dropped. Entities are decoded by the parser; ``pre`` keeps its line breaks. The ``<title>`` and
a ``<link rel="canonical">`` are kept aside.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

# Elements whose whole content is invisible (or site navigation, not document text).
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object",
                   "canvas", "select", "datalist", "nav", "button", "footer"})
# Elements that start and end a paragraph.
_PARAGRAPH = frozenset({
    "p", "div", "section", "article", "main", "aside", "header", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
    "ol", "dl", "table", "blockquote", "pre", "form", "fieldset", "address", "figure", "figcaption", "hr",
    "caption", "center", "details", "summary", "body", "html", "legend",
})
# Elements that start and end a line.
_LINE = frozenset({"li", "tr", "dt", "dd", "br", "option", "label"})
_CELL = frozenset({"td", "th"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param",
                   "source", "track", "wbr"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class HtmlText:
    title: str | None
    text: str
    canonical: str | None = None


def _is_hidden(attrs: list[tuple[str, str | None]]) -> bool:
    for name, value in attrs:
        if name == "hidden":
            return True
        if name == "aria-hidden" and (value or "").strip().lower() == "true":
            return True
        if name == "style" and value and _HIDDEN_STYLE.search(value):
            return True
    return False


class _VisibleText(HTMLParser):
    def __init__(self, cells: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cells = cells
        self.parts: list[str] = []
        self.pending = 0          # 0: nothing, 1: line break, 2: paragraph break
        self.skip_tag: str | None = None
        self.skip_depth = 0
        self.pre = 0
        self.in_title = False
        self.title_parts: list[str] = []
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        elif tag == "link":
            a = dict(attrs)
            if (a.get("rel") or "").lower() == "canonical" and a.get("href"):
                self.canonical = a["href"]
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
        if tag == "title":
            self.in_title = False
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
            self.pending = max(self.pending, 2)
        elif tag in _LINE:
            self.pending = max(self.pending, 1)
        elif tag in _CELL:
            self.parts.append(self.cells)

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skip_tag is not None or not data:
            return
        if self.pre:
            text = data.replace("\r\n", "\n")
        else:
            text = _SPACE.sub(" ", data)
            if not text.strip():
                if self.parts and not self.parts[-1].endswith((" ", "\n", self.cells)):
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
        lines = []
        for line in "".join(self.parts).split("\n"):
            if self.cells != " ":
                line = self.cells.join(c.strip() for c in line.split(self.cells) if c.strip())
            lines.append(line.strip())
        return "\n".join(lines)


def html_to_text(markup: str, *, cells: str = " ") -> HtmlText:
    """The visible text of an HTML page (see the module docstring), its title and canonical URL."""
    parser = _VisibleText(cells)
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup; keep what it read
        pass
    text = unicodedata.normalize("NFC", parser.text()).replace("\xa0", " ")
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    title = " ".join("".join(parser.title_parts).split()) or None
    return HtmlText(title=title, text=text, canonical=parser.canonical)


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
